package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/societyregistry/registry/registry"
)

// The WWW-Authenticate challenges of a 401 (RFC 6750, section 3): no
// token at all, a malformed Authorization header, and a token the
// registry does not accept.
const (
	challengeBearer       = `Bearer realm="registry"`
	challengeBadRequest   = `Bearer realm="registry", error="invalid_request"`
	challengeInvalidToken = `Bearer realm="registry", error="invalid_token"`
)

func unauthorized(challenge, msg string) *requestError {
	return &requestError{status: http.StatusUnauthorized, code: "UNAUTHENTICATED", message: msg, challenge: challenge}
}

// bearerToken reads "Authorization: Bearer <token>". It returns "" and
// no error when the header is absent, and an error when it is there but
// is not one bearer token.
func bearerToken(h http.Header) (string, *requestError) {
	values := h.Values("Authorization")
	switch len(values) {
	case 0:
		return "", nil
	case 1:
	default:
		return "", unauthorized(challengeBadRequest, "send one Authorization header, not several")
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(values[0]), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
		return "", unauthorized(challengeBadRequest, "the Authorization header must be \"Bearer <token>\"")
	}
	return token, nil
}

// authenticate finds the viewer of r's bearer token, before anything of
// r's body is read, and returns r with the viewer in its context (and
// its account in the request log). It refuses with 401 a request with
// no token, with a malformed Authorization header, or with a token the
// registry does not accept.
func (s *server) authenticate(r *http.Request) (*http.Request, *requestError) {
	token, rerr := bearerToken(r.Header)
	switch {
	case rerr != nil:
		return r, rerr
	case token == "":
		return r, unauthorized(challengeBearer, "send an API token: Authorization: Bearer <token>")
	case s.cfg.Authenticate == nil:
		return r, unauthorized(challengeInvalidToken, "this server accepts no API tokens")
	}
	ctx := r.Context()
	v, err := s.cfg.Authenticate(ctx, token)
	if err == nil && v == nil {
		err = registry.E(registry.Unauthenticated, "", "the API token is unknown or revoked")
	}
	if err != nil {
		e := registry.Wrap(err)
		switch e.Kind {
		case registry.Unauthenticated:
			return r, unauthorized(challengeInvalidToken, e.Message)
		case registry.Timeout:
			return r, &requestError{status: http.StatusServiceUnavailable, code: e.Kind.Code(), message: e.Message}
		}
		s.log.ErrorContext(ctx, "authenticate", "request_id", requestID(ctx), "err", err)
		return r, &requestError{status: http.StatusInternalServerError, code: "INTERNAL", message: "internal error"}
	}
	info(ctx).account = v.Name
	return r.WithContext(registry.WithViewer(ctx, v)), nil
}

// require serves h to viewers who may take action a (what, for the
// error, says what h does); others get 401 or 403.
func (s *server) require(a registry.Action, what string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, rerr := s.authenticate(r)
		if rerr == nil {
			if v := registry.ViewerFrom(r.Context()); !v.Can(a) {
				rerr = &requestError{status: http.StatusForbidden, code: "FORBIDDEN",
					message: "account \"" + v.Name + "\" (" + string(v.Role) + ") may not " + what}
			}
		}
		if rerr != nil {
			refuse(w, mediaJSON, rerr)
			return
		}
		h(w, r)
	})
}

// refuse writes a request error, with its challenge or the time to
// retry after when it has one.
func refuse(w http.ResponseWriter, media string, e *requestError) int {
	if e.challenge != "" {
		w.Header().Set("WWW-Authenticate", e.challenge)
	}
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	return writeErrors(w, e.status, media, *e)
}
