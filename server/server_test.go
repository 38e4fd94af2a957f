package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// fakeExec records requests and answers with result, or with
// {"hello": "world"} when result is nil.
type fakeExec struct {
	mu     sync.Mutex
	calls  []graph.Request
	result func(ctx context.Context, req graph.Request) *graphql.Result
}

func (f *fakeExec) Execute(ctx context.Context, req graph.Request) *graphql.Result {
	f.mu.Lock()
	f.calls = append(f.calls, req)
	f.mu.Unlock()
	if f.result != nil {
		return f.result(ctx, req)
	}
	return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
}

func (f *fakeExec) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// refusedWith is a result as the executor returns it for a request refused
// before execution.
func refusedWith(kind registry.Kind, msg string) func(context.Context, graph.Request) *graphql.Result {
	return func(context.Context, graph.Request) *graphql.Result {
		e := registry.E(kind, "", "%s", msg)
		fe := gqlerrors.FormatError(gqlerrors.NewError(msg, nil, "", nil, nil, e))
		return &graphql.Result{Errors: []gqlerrors.FormattedError{fe}}
	}
}

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) lines(t *testing.T) []map[string]interface{} {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]interface{}
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]interface{}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// The tokens stubAuthenticate knows.
const (
	readerToken    = "reg_reader"
	secretaryToken = "reg_secretary"
	adminToken     = "reg_admin"
)

// stubAuthenticate stands for the registry's authenticator in tests that
// need no database.
func stubAuthenticate(_ context.Context, token string) (*registry.Viewer, error) {
	switch token {
	case readerToken:
		return registry.NewViewer(1, "reader", registry.RoleReader, nil, nil), nil
	case secretaryToken:
		return registry.NewViewer(2, "secretary", registry.RoleBranchSecretary, []int{7}, []int{7, 8}), nil
	case adminToken:
		return registry.NewViewer(3, "admin", registry.RoleAdmin, nil, nil), nil
	}
	return nil, registry.E(registry.Unauthenticated, "", "the API token is unknown or revoked")
}

// newTestHandler serves cfg, with a fake executor and the stub
// authenticator unless cfg has its own, logging as JSON into the buffer
// returned.
func newTestHandler(t *testing.T, cfg Config) (http.Handler, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if cfg.Exec == nil {
		cfg.Exec = &fakeExec{}
	}
	if cfg.Authenticate == nil {
		cfg.Authenticate = stubAuthenticate
	}
	return New(cfg), logs
}

// bearer sets r's Authorization header to token, and returns r.
func bearer(r *http.Request, token string) *http.Request {
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

// post sends a JSON body to /graphql as the reader.
func post(h http.Handler, body, accept string) *httptest.ResponseRecorder {
	return postAs(h, readerToken, body, accept)
}

// postAs sends a JSON body to /graphql with token ("" for none).
func postAs(h http.Handler, token, body, accept string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	if token != "" {
		bearer(r, token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get sends a GET to /graphql with params, as the reader.
func get(h http.Handler, params url.Values, accept string) *httptest.ResponseRecorder {
	r := bearer(httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil), readerToken)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// response is a decoded GraphQL response; HasData tells "data": null from
// no data entry.
type response struct {
	Data    json.RawMessage
	HasData bool
	Errors  []struct {
		Message    string
		Path       []interface{}
		Extensions map[string]interface{}
	}
}

func decode(t *testing.T, w *httptest.ResponseRecorder) response {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", w.Body.String(), err)
	}
	var res response
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	_, res.HasData = raw["data"]
	return res
}

// errorCode is the code of the response's only error.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	res := decode(t, w)
	if len(res.Errors) != 1 {
		t.Fatalf("errors = %+v, want one; body %s", res.Errors, w.Body)
	}
	if res.HasData {
		t.Errorf("a refused request has a data entry: %s", w.Body)
	}
	c, _ := res.Errors[0].Extensions["code"].(string)
	return c
}

func TestServerBodyLimit(t *testing.T) {
	const limit = 64 << 10
	query := `{"query":"{ hello }"}`
	padded := func(n int) string { return query + strings.Repeat(" ", n-len(query)) }
	tests := []struct {
		name       string
		cfg        Config
		body       string
		wantStatus int
	}{
		{"exactly 64 KiB", Config{}, padded(limit), http.StatusOK},
		{"64 KiB and one byte", Config{}, padded(limit + 1), http.StatusRequestEntityTooLarge},
		{"configured limit", Config{MaxBodyBytes: 100}, padded(101), http.StatusRequestEntityTooLarge},
		{"within a configured limit", Config{MaxBodyBytes: 100}, padded(100), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExec{}
			tt.cfg.Exec = exec
			h, _ := newTestHandler(t, tt.cfg)
			w := post(h, tt.body, "")
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantStatus == http.StatusOK {
				if exec.count() != 1 {
					t.Errorf("executed %d times, want 1", exec.count())
				}
				return
			}
			if got := errorCode(t, w); got != "PAYLOAD_TOO_LARGE" {
				t.Errorf("code = %q, want PAYLOAD_TOO_LARGE", got)
			}
			if exec.count() != 0 {
				t.Errorf("an oversized request was executed")
			}
		})
	}
	t.Run("long GET", func(t *testing.T) {
		exec := &fakeExec{}
		h, _ := newTestHandler(t, Config{Exec: exec})
		w := get(h, url.Values{"query": {"{ hello " + strings.Repeat(" ", limit) + "}"}}, "")
		if w.Code != http.StatusRequestEntityTooLarge || exec.count() != 0 {
			t.Errorf("status = %d, executed %d times; want 413 and none", w.Code, exec.count())
		}
	})
}

func TestServerGETRunsQueriesOnly(t *testing.T) {
	tests := []struct {
		name       string
		params     url.Values
		wantStatus int
	}{
		{"query", url.Values{"query": {"{ hello }"}}, http.StatusOK},
		{"named query with variables", url.Values{"query": {"query Q($a: Int) { hello(a: $a) }"}, "variables": {`{"a": 1}`}}, http.StatusOK},
		{"mutation", url.Values{"query": {`mutation { rename(name: "x") { name } }`}}, http.StatusMethodNotAllowed},
		{"named mutation", url.Values{"query": {`mutation M { rename(name: "x") { name } }`}}, http.StatusMethodNotAllowed},
		{"mutation selected by name", url.Values{"query": {`query A { hello } mutation B { bye }`}, "operationName": {"B"}}, http.StatusMethodNotAllowed},
		{"query selected by name", url.Values{"query": {`query A { hello } mutation B { bye }`}, "operationName": {"A"}}, http.StatusOK},
		{"subscription", url.Values{"query": {`subscription { ticks }`}}, http.StatusMethodNotAllowed},
		{"mutation after a fragment", url.Values{"query": {`fragment F on Org { name } mutation { rename { ...F } }`}}, http.StatusMethodNotAllowed},
		{"variables named like keywords", url.Values{"query": {`query ($mutation: Int = 1) { hello(a: $mutation) }`}}, http.StatusOK},
		{"missing query", url.Values{"operationName": {"A"}}, http.StatusBadRequest},
		{"variables not an object", url.Values{"query": {"{ hello }"}, "variables": {`[1]`}}, http.StatusBadRequest},
		{"variables not JSON", url.Values{"query": {"{ hello }"}, "variables": {`{a:1}`}}, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec := &fakeExec{}
			h, _ := newTestHandler(t, Config{Exec: exec})
			w := get(h, tt.params, "")
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			switch tt.wantStatus {
			case http.StatusOK:
				if exec.count() != 1 {
					t.Errorf("executed %d times, want 1", exec.count())
				}
			case http.StatusMethodNotAllowed:
				if got := w.Header().Get("Allow"); got != "POST" {
					t.Errorf("Allow = %q, want POST", got)
				}
				fallthrough
			default:
				if got := errorCode(t, w); got != "BAD_USER_INPUT" {
					t.Errorf("code = %q", got)
				}
				if exec.count() != 0 {
					t.Errorf("a refused request was executed")
				}
			}
		})
	}
}

func TestServerMalformedPOSTRefused(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		wantStatus              int
		wantMessage             string
	}{
		{"batch", "application/json", `[{"query":"{ hello }"},{"query":"{ hello }"}]`, http.StatusBadRequest, "batched requests are not supported"},
		{"batch after whitespace", "application/json", " \n[{\"query\":\"{ hello }\"}]", http.StatusBadRequest, "batched"},
		{"malformed JSON", "application/json", `{"query": "{ hello }"`, http.StatusBadRequest, "not a JSON object"},
		{"trailing data", "application/json", `{"query": "{ hello }"} {}`, http.StatusBadRequest, "not a JSON object"},
		{"empty body", "application/json", ``, http.StatusBadRequest, "empty"},
		{"missing query", "application/json", `{"qeury": "{ hello }"}`, http.StatusBadRequest, "no query"},
		{"null query", "application/json", `{"query": null}`, http.StatusBadRequest, "no query"},
		{"numeric query", "application/json", `{"query": 1}`, http.StatusBadRequest, "query must be a string"},
		{"object query", "application/json", `{"query": {"a": 1}}`, http.StatusBadRequest, "query must be a string"},
		{"numeric operationName", "application/json", `{"query": "{ hello }", "operationName": 1}`, http.StatusBadRequest, "operationName must be a string"},
		{"array variables", "application/json", `{"query": "{ hello }", "variables": [1]}`, http.StatusBadRequest, "variables must be a JSON object"},
		{"string variables", "application/json", `{"query": "{ hello }", "variables": "{}"}`, http.StatusBadRequest, "variables must be a JSON object"},
		{"string extensions", "application/json", `{"query": "{ hello }", "extensions": "x"}`, http.StatusBadRequest, "extensions must be a JSON object"},
		{"no content type", "", `{"query": "{ hello }"}`, http.StatusUnsupportedMediaType, "must be application/json"},
		{"form body", "application/x-www-form-urlencoded", `query=%7B+hello+%7D`, http.StatusUnsupportedMediaType, "must be application/json"},
		{"latin-1", "application/json; charset=iso-8859-1", `{"query": "{ hello }"}`, http.StatusUnsupportedMediaType, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, accept := range []string{"application/json", "application/graphql-response+json"} {
				exec := &fakeExec{}
				h, _ := newTestHandler(t, Config{Exec: exec})
				r := bearer(httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(tt.body)), readerToken)
				if tt.contentType != "" {
					r.Header.Set("Content-Type", tt.contentType)
				}
				r.Header.Set("Accept", accept)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != tt.wantStatus {
					t.Fatalf("Accept %s: status = %d, want %d; body %s", accept, w.Code, tt.wantStatus, w.Body)
				}
				if got := errorCode(t, w); got != "BAD_USER_INPUT" {
					t.Errorf("code = %q", got)
				}
				if msg := decode(t, w).Errors[0].Message; !strings.Contains(msg, tt.wantMessage) {
					t.Errorf("message = %q, want it to contain %q", msg, tt.wantMessage)
				}
				if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, accept) {
					t.Errorf("Content-Type = %q, want %s", got, accept)
				}
				if exec.count() != 0 {
					t.Errorf("a malformed request was executed")
				}
			}
		})
	}
	t.Run("null parameters are absent", func(t *testing.T) {
		exec := &fakeExec{}
		h, _ := newTestHandler(t, Config{Exec: exec})
		w := post(h, `{"query": "{ hello }", "operationName": null, "variables": null, "extensions": null}`, "")
		if w.Code != http.StatusOK || exec.count() != 1 {
			t.Fatalf("status = %d, executed %d; body %s", w.Code, exec.count(), w.Body)
		}
	})
	t.Run("other methods", func(t *testing.T) {
		h, _ := newTestHandler(t, Config{})
		for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
			r := bearer(httptest.NewRequest(m, "/graphql", strings.NewReader(`{"query":"{ hello }"}`)), readerToken)
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, POST" {
				t.Errorf("%s: status %d, Allow %q", m, w.Code, w.Header().Get("Allow"))
			}
		}
	})
}

func TestServerPassesTheRequestToTheExecutor(t *testing.T) {
	type key struct{}
	var got graph.Request
	var prepared interface{}
	exec := &fakeExec{result: func(ctx context.Context, req graph.Request) *graphql.Result {
		got, prepared = req, ctx.Value(key{})
		return &graphql.Result{Data: map[string]interface{}{}}
	}}
	h, _ := newTestHandler(t, Config{Exec: exec, Prepare: func(ctx context.Context) context.Context {
		return context.WithValue(ctx, key{}, "loaders")
	}})
	post(h, `{"query": "query Q($n: Int) { hello(n: $n) }", "operationName": "Q", "variables": {"n": 3, "s": ["a"]}, "extensions": {"x": 1}}`, "")
	want := graph.Request{
		Query:         "query Q($n: Int) { hello(n: $n) }",
		OperationName: "Q",
		Variables:     map[string]interface{}{"n": 3.0, "s": []interface{}{"a"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request mismatch (-want +got):\n%s", diff)
	}
	if prepared != "loaders" {
		t.Errorf("Prepare's context did not reach the executor")
	}
}

func TestServerContentNegotiation(t *testing.T) {
	tests := []struct {
		accept     string
		wantType   string
		wantStatus int
	}{
		{"", "application/json", http.StatusOK},
		{"application/json", "application/json", http.StatusOK},
		{"application/graphql-response+json", "application/graphql-response+json", http.StatusOK},
		{"application/graphql-response+json, application/json", "application/graphql-response+json", http.StatusOK},
		{"application/json, application/graphql-response+json", "application/graphql-response+json", http.StatusOK},
		{"application/graphql-response+json;q=0.9, application/json", "application/json", http.StatusOK},
		{"application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json", http.StatusOK},
		{"application/graphql-response+json, multipart/mixed;q=0.1", "application/graphql-response+json", http.StatusOK},
		{"*/*", "application/json", http.StatusOK},
		{"application/*", "application/json", http.StatusOK},
		{"text/html, */*;q=0.8", "application/json", http.StatusOK},
		{"application/json; charset=utf-8", "application/json", http.StatusOK},
		{"text/html", "application/json", http.StatusNotAcceptable},
		{"application/json;q=0, application/graphql-response+json;q=0", "application/json", http.StatusNotAcceptable},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			h, _ := newTestHandler(t, Config{})
			w := post(h, `{"query":"{ hello }"}`, tt.accept)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if got := w.Header().Get("Content-Type"); got != tt.wantType+"; charset=utf-8" {
				t.Errorf("Content-Type = %q, want %s", got, tt.wantType)
			}
		})
	}
}

func TestServerStatusFollowsTheMediaType(t *testing.T) {
	data := func(context.Context, graph.Request) *graphql.Result {
		return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
	}
	partial := func(context.Context, graph.Request) *graphql.Result {
		e := registry.E(registry.NotFound, "id", "no such person")
		fe := gqlerrors.FormatError(gqlerrors.NewErrorWithPath(e.Message, nil, "", nil, nil, []interface{}{"person"}, e))
		return &graphql.Result{Data: map[string]interface{}{"person": nil}, Errors: []gqlerrors.FormattedError{fe}}
	}
	timeout := func(context.Context, graph.Request) *graphql.Result {
		e := registry.E(registry.Timeout, "", "the request took too long")
		return &graphql.Result{Errors: []gqlerrors.FormattedError{gqlerrors.FormatError(gqlerrors.NewError(e.Message, nil, "", nil, nil, e))}}
	}
	tests := []struct {
		name       string
		result     func(context.Context, graph.Request) *graphql.Result
		accept     string
		wantStatus int
		wantData   bool
	}{
		{"data, graphql-response", data, mediaGraphQL, 200, true},
		{"data, json", data, mediaJSON, 200, true},
		{"field error, graphql-response", partial, mediaGraphQL, 200, true},
		{"syntax error, graphql-response", refusedWith(registry.Invalid, "Syntax Error"), mediaGraphQL, 400, false},
		{"syntax error, json", refusedWith(registry.Invalid, "Syntax Error"), mediaJSON, 200, false},
		{"too complex, graphql-response", refusedWith(registry.TooComplex, "too deep"), mediaGraphQL, 400, false},
		{"too complex, json", refusedWith(registry.TooComplex, "too deep"), mediaJSON, 200, false},
		{"introspection, graphql-response", refusedWith(registry.Forbidden, "introspection is not allowed"), mediaGraphQL, 403, false},
		{"introspection, json", refusedWith(registry.Forbidden, "introspection is not allowed"), mediaJSON, 200, false},
		{"timeout, graphql-response", timeout, mediaGraphQL, 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newTestHandler(t, Config{Exec: &fakeExec{result: tt.result}})
			w := post(h, `{"query":"{ hello }"}`, tt.accept)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if res := decode(t, w); res.HasData != tt.wantData {
				t.Errorf("data entry present = %v, want %v; body %s", res.HasData, tt.wantData, w.Body)
			}
		})
	}
}

func TestServerHidesInternalErrors(t *testing.T) {
	exec := &fakeExec{result: func(context.Context, graph.Request) *graphql.Result {
		fe := gqlerrors.FormatError(gqlerrors.NewErrorWithPath("pq: password authentication failed for user admin", nil, "", nil, nil, []interface{}{"hello"}, errors.New("pq")))
		return &graphql.Result{Data: map[string]interface{}{"hello": nil}, Errors: []gqlerrors.FormattedError{fe}}
	}}
	h, logs := newTestHandler(t, Config{Exec: exec})
	w := post(h, `{"query":"{ hello }"}`, "")
	if strings.Contains(w.Body.String(), "password") {
		t.Errorf("the response leaks the cause: %s", w.Body)
	}
	res := decode(t, w)
	if len(res.Errors) != 1 || res.Errors[0].Message != "internal error" || res.Errors[0].Extensions["code"] != "INTERNAL" {
		t.Errorf("errors = %+v, want one INTERNAL", res.Errors)
	}
	id := w.Header().Get("X-Request-Id")
	found := false
	for _, l := range logs.lines(t) {
		if l["msg"] == "graphql error" && l["request_id"] == id && strings.Contains(l["err"].(string), "password") {
			found = true
		}
	}
	if !found {
		t.Errorf("the log has no line with the cause and request id %s: %v", id, logs.lines(t))
	}
}

func TestServerRecoversFromPanics(t *testing.T) {
	exec := &fakeExec{result: func(context.Context, graph.Request) *graphql.Result {
		panic("secret: nil map in roster")
	}}
	h, logs := newTestHandler(t, Config{Exec: exec})
	r := bearer(httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"query Roster { hello }"}`)), readerToken)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Request-Id", "req-42")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", w.Code)
	}
	if got := errorCode(t, w); got != "INTERNAL" {
		t.Errorf("code = %q, want INTERNAL", got)
	}
	if strings.Contains(w.Body.String(), "secret") {
		t.Errorf("the response leaks the panic: %s", w.Body)
	}
	var panicked, logged bool
	for _, l := range logs.lines(t) {
		if l["msg"] == "panic" && l["request_id"] == "req-42" && strings.Contains(l["panic"].(string), "secret") {
			panicked = true
		}
		if l["msg"] == "request" && l["level"] == "ERROR" && l["status"] == 500.0 && l["operation"] == "Roster" {
			logged = true
		}
	}
	if !panicked || !logged {
		t.Errorf("log lines (panic %v, request %v): %v", panicked, logged, logs.lines(t))
	}
}

func TestServerRequestID(t *testing.T) {
	h, logs := newTestHandler(t, Config{})
	tests := []struct{ in, want string }{
		{"abc-123", "abc-123"},
		{"", ""},                      // made up
		{"bad id\n<script>", ""},      // replaced
		{strings.Repeat("a", 65), ""}, // too long
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		if tt.in != "" {
			r.Header.Set("X-Request-Id", tt.in)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header().Get("X-Request-Id")
		if tt.want != "" && got != tt.want {
			t.Errorf("X-Request-Id %q: got %q, want %q", tt.in, got, tt.want)
		}
		if tt.want == "" && (got == "" || got == tt.in) {
			t.Errorf("X-Request-Id %q: got %q, want a new id", tt.in, got)
		}
	}
	lines := logs.lines(t)
	if len(lines) != len(tests) {
		t.Fatalf("%d log lines for %d requests", len(lines), len(tests))
	}
	if lines[0]["request_id"] != "abc-123" {
		t.Errorf("log line %v lacks the request id", lines[0])
	}
}

func TestServerLogsOneLinePerRequest(t *testing.T) {
	h, logs := newTestHandler(t, Config{Exec: &fakeExec{}})
	post(h, `{"query":"query Roster { hello }"}`, "")
	lines := logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("log lines = %v, want one", lines)
	}
	l := lines[0]
	for k, want := range map[string]interface{}{"level": "INFO", "msg": "request", "method": "POST", "path": "/graphql", "operation": "Roster", "account": "reader", "status": 200.0} {
		if l[k] != want {
			t.Errorf("%s = %v, want %v", k, l[k], want)
		}
	}
	if _, ok := l["duration"]; !ok {
		t.Errorf("no duration in %v", l)
	}
	if id, _ := l["request_id"].(string); id == "" {
		t.Errorf("no request id in %v", l)
	}
}

func TestServerHealthz(t *testing.T) {
	tests := []struct {
		name       string
		ping       func(context.Context) error
		wantStatus int
		wantBody   string
	}{
		{"database answers", func(context.Context) error { return nil }, http.StatusOK, "ok\n"},
		{"database down", func(context.Context) error { return errors.New("dial tcp: connection refused") }, http.StatusServiceUnavailable, "unavailable\n"},
		{"no ping", nil, http.StatusOK, "ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newTestHandler(t, Config{Ping: tt.ping})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			if w.Code != tt.wantStatus || w.Body.String() != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestServerMetrics(t *testing.T) {
	statements := int64(0)
	exec := &fakeExec{result: func(ctx context.Context, req graph.Request) *graphql.Result {
		statements += 3
		return &graphql.Result{Data: map[string]interface{}{"hello": "world"}}
	}}
	h, _ := newTestHandler(t, Config{Exec: exec, Statements: func() int64 { return statements }})
	post(h, `{"query":"query Roster { hello }"}`, "")
	post(h, `{"query":"query Roster { hello }", "operationName": "Roster"}`, "")
	post(h, `{"query":"{ hello }"}`, "")
	post(h, `[{"query":"{ hello }"}]`, "")
	post(h, `{"query":"query X { hello }", "operationName": "bad\"name"}`, "")

	w := httptest.NewRecorder()
	h.ServeHTTP(w, bearer(httptest.NewRequest(http.MethodGet, "/metrics", nil), adminToken))
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{
		"# TYPE graphql_requests_total counter\n",
		`graphql_requests_total{operation="Roster",status="200"} 2` + "\n",
		`graphql_requests_total{operation="anonymous",status="200"} 1` + "\n",
		`graphql_requests_total{operation="anonymous",status="400"} 1` + "\n",
		`graphql_requests_total{operation="other",status="200"} 1` + "\n",
		"# TYPE graphql_request_duration_seconds histogram\n",
		`graphql_request_duration_seconds_bucket{le="+Inf"} 5` + "\n",
		"graphql_request_duration_seconds_count 5\n",
		"# TYPE sql_statements_total counter\nsql_statements_total 12\n",
		"# TYPE go_goroutines gauge\ngo_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

func TestServerMetricsBoundOperationLabels(t *testing.T) {
	m := newMetrics()
	for i := range maxOperations + 50 {
		m.observe("Op"+strings.Repeat("x", i%60)+string(rune('a'+i%26))+string(rune('a'+i/26%26)), 200, time.Millisecond)
	}
	if len(m.ops) > maxOperations {
		t.Errorf("%d operation labels, want at most %d", len(m.ops), maxOperations)
	}
	if m.requests[requestKey{"other", 200}] == 0 {
		t.Errorf("operations past the bound are not counted as other")
	}
}

func TestServerGraphiQL(t *testing.T) {
	h, _ := newTestHandler(t, Config{})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{"graphiql.min.js", `"/graphql"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/nope", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("GET /nope: status %d, want 404", w.Code)
	}
}

func TestServerListenAndServeStopsWithContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ListenAndServe(ctx, Config{Addr: addr, Exec: &fakeExec{}}) }()

	var res *http.Response
	for i := 0; ; i++ {
		res, err = http.Get("http://" + addr + "/healthz")
		if err == nil {
			break
		}
		if i == 100 {
			t.Fatalf("server did not start: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "ok\n" {
		t.Errorf("healthz = %q", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ListenAndServe = %v, want nil after shutdown", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ListenAndServe did not return after its context ended")
	}
	if err := ListenAndServe(context.Background(), Config{Addr: "127.0.0.1:-1"}); err == nil {
		t.Errorf("ListenAndServe on a bad address returned nil")
	}
}
