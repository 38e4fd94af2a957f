package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/lexer"
	"github.com/graphql-go/graphql/language/source"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// The response media types of the GraphQL over HTTP specification.
const (
	mediaGraphQL = "application/graphql-response+json"
	mediaJSON    = "application/json"
)

// requestError is a request refused before it reaches the executor.
type requestError struct {
	status     int
	code       string
	message    string
	challenge  string // WWW-Authenticate of a 401
	retryAfter int    // Retry-After of a 429, in seconds
}

func badRequest(msg string) *requestError {
	return &requestError{status: http.StatusBadRequest, code: "BAD_USER_INPUT", message: msg}
}

// serveGraphQL runs one GraphQL request: POST with a JSON body, or GET with
// URL parameters for queries only.
func (s *server) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	media, ok := negotiate(r.Header.Get("Accept"))
	status, op := s.graphQL(w, r, media, ok)
	s.metrics.observe(op, status, time.Since(start))
}

// graphQL serves the request and returns the status it wrote and the
// operation name to count it under. It counts the request against its
// client address's rate limit, then authenticates (an anonymous caller
// learns nothing else, and the body limit depends on the account), then
// counts it against its token's rate limit.
func (s *server) graphQL(w http.ResponseWriter, r *http.Request, media string, acceptable bool) (int, string) {
	w.Header().Set("Vary", "Accept")
	rerr := s.limits.client(r, s.now())
	if rerr == nil {
		r, rerr = s.authenticate(r)
	}
	if rerr == nil {
		token, _ := bearerToken(r.Header) // authenticate accepted it
		rerr = s.limits.token(token, s.now())
	}
	if rerr != nil {
		if !acceptable {
			media = mediaJSON
		}
		return refuse(w, media, rerr), ""
	}
	if !acceptable {
		e := &requestError{status: http.StatusNotAcceptable, code: "BAD_USER_INPUT",
			message: "the Accept header allows neither " + mediaGraphQL + " nor " + mediaJSON}
		return writeErrors(w, e.status, mediaJSON, *e), ""
	}
	var req graph.Request
	switch r.Method {
	case http.MethodPost:
		req, rerr = s.readPost(w, r)
	case http.MethodGet:
		req, rerr = s.readGet(r)
	default:
		w.Header().Set("Allow", "GET, POST")
		rerr = &requestError{status: http.StatusMethodNotAllowed, code: "BAD_USER_INPUT", message: "GraphQL requests are GET or POST"}
	}
	if rerr != nil {
		return writeErrors(w, rerr.status, media, *rerr), ""
	}

	kind, name := operation(req.Query, req.OperationName)
	if name == "" {
		name = req.OperationName
	}
	info(r.Context()).operation = name
	if r.Method == http.MethodGet && kind != "query" && kind != "" {
		// GET must be safe: a link or a prefetch may not change data.
		w.Header().Set("Allow", "POST")
		e := requestError{status: http.StatusMethodNotAllowed, code: "BAD_USER_INPUT", message: "a " + kind + " must be sent with POST"}
		return writeErrors(w, e.status, media, e), name
	}

	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	if s.cfg.Prepare != nil {
		ctx = s.cfg.Prepare(ctx)
	}
	res := s.cfg.Exec.Execute(ctx, req)
	return s.writeResult(w, r, media, req, res), name
}

// readPost reads a JSON body of at most the body limit.
func (s *server) readPost(w http.ResponseWriter, r *http.Request) (graph.Request, *requestError) {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != mediaJSON {
		return graph.Request{}, &requestError{status: http.StatusUnsupportedMediaType, code: "BAD_USER_INPUT",
			message: "a POST body must be " + mediaJSON}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return graph.Request{}, &requestError{status: http.StatusUnsupportedMediaType, code: "BAD_USER_INPUT",
			message: "a POST body must be UTF-8"}
	}
	limit := s.bodyLimit(r)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return graph.Request{}, tooLargeError(limit)
	case err != nil:
		return graph.Request{}, badRequest("the request body could not be read")
	}
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return graph.Request{}, badRequest("the request body is empty")
	case body[0] == '[':
		return graph.Request{}, badRequest("batched requests are not supported: send one operation per request")
	}
	var p struct {
		Query         json.RawMessage `json:"query"`
		OperationName json.RawMessage `json:"operationName"`
		Variables     json.RawMessage `json:"variables"`
		Extensions    json.RawMessage `json:"extensions"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return graph.Request{}, badRequest("the request body is not a JSON object")
	}
	var req graph.Request
	if rerr := decodeString(p.Query, "query", &req.Query); rerr != nil {
		return req, rerr
	}
	if rerr := decodeString(p.OperationName, "operationName", &req.OperationName); rerr != nil {
		return req, rerr
	}
	if rerr := decodeObject(p.Variables, "variables", &req.Variables); rerr != nil {
		return req, rerr
	}
	var ext map[string]interface{}
	if rerr := decodeObject(p.Extensions, "extensions", &ext); rerr != nil {
		return req, rerr
	}
	if req.Query == "" {
		return req, badRequest("the request has no query")
	}
	return req, nil
}

// bodyLimit is the most a request body may hold: more for an account
// allowed to import rosters, decided from the viewer its Authorization
// header named before the body is read (DESIGN.md "Query limits").
func (s *server) bodyLimit(r *http.Request) int64 {
	if registry.ViewerFrom(r.Context()).Can(registry.EditRoster) {
		return s.cfg.MaxImportBodyBytes
	}
	return s.cfg.MaxBodyBytes
}

func tooLargeError(limit int64) *requestError {
	return &requestError{status: http.StatusRequestEntityTooLarge, code: "PAYLOAD_TOO_LARGE",
		message: "the request is larger than " + strconv.FormatInt(limit, 10) + " bytes"}
}

// readGet reads the parameters of a GET request from its URL.
func (s *server) readGet(r *http.Request) (graph.Request, *requestError) {
	if limit := s.bodyLimit(r); int64(len(r.URL.RawQuery)) > limit {
		return graph.Request{}, tooLargeError(limit)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return graph.Request{}, badRequest("the URL's parameters are malformed")
	}
	req := graph.Request{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if rerr := decodeObject(json.RawMessage(v), "variables", &req.Variables); rerr != nil {
			return req, rerr
		}
	}
	if v := q.Get("extensions"); v != "" {
		var ext map[string]interface{}
		if rerr := decodeObject(json.RawMessage(v), "extensions", &ext); rerr != nil {
			return req, rerr
		}
	}
	if req.Query == "" {
		return req, badRequest("the request has no query")
	}
	return req, nil
}

// decodeString decodes an optional JSON string parameter; null is absent.
func decodeString(raw json.RawMessage, name string, dst *string) *requestError {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] != '"' || json.Unmarshal(raw, dst) != nil {
		return badRequest(name + " must be a string")
	}
	return nil
}

// decodeObject decodes an optional JSON object parameter; null is absent.
func decodeObject(raw json.RawMessage, name string, dst *map[string]interface{}) *requestError {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] != '{' || json.Unmarshal(raw, dst) != nil {
		return badRequest(name + " must be a JSON object")
	}
	return nil
}

// operation finds the kind ("query", "mutation", "subscription") and name
// of the operation a request selects, by a lexical scan of the document's
// top level: cheap, allocation-light, and enough to refuse a mutation over
// GET and to name the request in logs and metrics. It returns "" for what
// it cannot tell; the executor reports the document's errors.
func operation(query, operationName string) (kind, name string) {
	next := lexer.Lex(source.NewSource(&source.Source{Body: []byte(query)}))
	depth, start, found := 0, true, 0
	for {
		tok, err := next(0)
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		switch tok.Kind {
		case lexer.BRACE_L, lexer.PAREN_L, lexer.BRACKET_L:
			if depth == 0 && start && tok.Kind == lexer.BRACE_L {
				// "{ ... }": an anonymous query.
				found++
				if operationName == "" {
					kind, name = "query", ""
				}
			}
			depth++
			start = false
			continue
		case lexer.BRACE_R, lexer.PAREN_R, lexer.BRACKET_R:
			depth--
			start = depth == 0 && tok.Kind == lexer.BRACE_R
			continue
		}
		if depth != 0 || !start {
			continue
		}
		start = false
		switch tok.Value {
		case "query", "mutation", "subscription":
		default:
			continue // a fragment, or not a document at all
		}
		k := tok.Value
		n := ""
		if t, err := next(0); err == nil && t.Kind == lexer.NAME {
			n = t.Value
		} else if err == nil {
			switch t.Kind {
			case lexer.BRACE_L, lexer.PAREN_L:
				depth++
			}
		}
		found++
		if operationName == "" || n == operationName {
			kind, name = k, n
		}
	}
	if operationName == "" && found != 1 {
		return "", ""
	}
	return kind, name
}

// writeResult writes what the executor returned. A request refused before
// execution (syntax, validation, limits) has no "data" entry; with
// application/graphql-response+json it gets a 4xx status, with
// application/json 200, as the specification says.
func (s *server) writeResult(w http.ResponseWriter, r *http.Request, media string, req graph.Request, res *graphql.Result) int {
	s.hideInternalErrors(r, res)
	status := http.StatusOK
	executed := ran(res)
	if !executed && media == mediaGraphQL {
		status = statusOf(res)
	}
	var p *plan
	if _, ordered := res.Data.(*graph.Object); executed && res.Data != nil && !ordered {
		p = s.plans.get(req)
	}
	buf := s.buffers.get()
	defer s.buffers.put(buf)
	writeResponse(buf, res, executed, p)
	return writeBody(w, status, media, buf.Bytes())
}

// ran tells whether execution began: data, or an error from a resolver (a
// path) or a timeout or internal error. The executor's refusals carry a
// code and no path.
func ran(res *graphql.Result) bool {
	if res.Data != nil || len(res.Errors) == 0 {
		return true
	}
	for _, fe := range res.Errors {
		if len(fe.Path) > 0 {
			return true
		}
		switch fe.Extensions["code"] {
		case "TIMEOUT", "INTERNAL", nil:
			return true
		}
	}
	return false
}

// statusOf is the 4xx status of a request refused before execution.
func statusOf(res *graphql.Result) int {
	switch res.Errors[0].Extensions["code"] {
	case "UNAUTHENTICATED":
		return http.StatusUnauthorized
	case "FORBIDDEN":
		return http.StatusForbidden
	case "RATE_LIMITED":
		return http.StatusTooManyRequests
	}
	return http.StatusBadRequest
}

// hideInternalErrors replaces every error without a code (a resolver
// returned something other than a registry error, or graphql-go failed
// while executing) with INTERNAL, logging the detail by request id. A
// registry error of kind Internal already hides its cause from the
// client; the log gets that cause too.
func (s *server) hideInternalErrors(r *http.Request, res *graphql.Result) {
	for i, fe := range res.Errors {
		code, ok := fe.Extensions["code"]
		if ok && code != "INTERNAL" {
			continue
		}
		detail := fe.Message
		if e := registryError(fe); e != nil && e.Err != nil {
			detail = e.Err.Error()
		}
		s.log.ErrorContext(r.Context(), "graphql error",
			"request_id", requestID(r.Context()), "operation", info(r.Context()).operation,
			"path", fe.Path, "err", detail)
		fe.Message = "internal error"
		fe.Extensions = map[string]interface{}{"code": "INTERNAL"}
		res.Errors[i] = fe
	}
}

// registryError is the registry error behind fe, if any.
func registryError(fe gqlerrors.FormattedError) *registry.Error {
	err := fe.OriginalError()
	var located *gqlerrors.Error
	if errors.As(err, &located) && located.OriginalError != nil {
		err = located.OriginalError
	}
	var e *registry.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// writeErrors writes a response holding only errs, with no "data" entry.
func writeErrors(w http.ResponseWriter, status int, media string, errs ...requestError) int {
	var buf bytes.Buffer
	buf.WriteString(`{"errors":[`)
	for i, e := range errs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"message":`)
		appendString(&buf, e.message)
		buf.WriteString(`,"extensions":{"code":`)
		appendString(&buf, e.code)
		buf.WriteString(`}}`)
	}
	buf.WriteString("]}\n")
	return writeBody(w, status, media, buf.Bytes())
}

func writeBody(w http.ResponseWriter, status int, media string, body []byte) int {
	h := w.Header()
	h.Set("Content-Type", media+"; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
	return status
}

// negotiate picks the response media type from an Accept header: the one
// the client prefers, application/graphql-response+json on a tie unless
// only a wildcard matched it, and application/json when there is no
// header. ok is false when the client accepts neither.
func negotiate(accept string) (media string, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	qg, sg := quality(accept, mediaGraphQL)
	qj, sj := quality(accept, mediaJSON)
	switch {
	case qg == 0 && qj == 0:
		return "", false
	case qg > qj, qg == qj && sg > sj, qg == qj && sg == sj && sg == 2:
		return mediaGraphQL, true
	}
	return mediaJSON, true
}

// quality returns the q value the Accept header gives media and how
// specifically it names it: 2 exactly, 1 by "application/*", 0 by "*/*",
// -1 not at all.
func quality(accept, media string) (q float64, specificity int) {
	specificity = -1
	typ, _, _ := strings.Cut(media, "/")
	for _, rng := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(rng))
		if err != nil {
			continue
		}
		s := -1
		switch {
		case mt == media:
			s = 2
		case mt == typ+"/*":
			s = 1
		case mt == "*/*":
			s = 0
		}
		if s < specificity || s < 0 {
			continue
		}
		rq := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
				rq = f
			}
		}
		if s > specificity {
			q, specificity = rq, s
		} else if rq > q {
			q = rq
		}
	}
	return q, specificity
}
