package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// requestInfo is what the middleware and the handlers learn about one
// request, shared through its context.
type requestInfo struct {
	id        string
	operation string // GraphQL operation name, set by the /graphql handler
	account   string // the authenticated account's name; "" when none
}

type infoKey struct{}

// info returns the request's info, or an empty one outside the stack.
func info(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// requestID returns the id of the request ctx belongs to.
func requestID(ctx context.Context) string { return info(ctx).id }

// withRequestID takes the client's X-Request-Id when it is a sane token
// (a proxy's id joins our logs to its own), or makes one, and sends it back.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			id = newID()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), infoKey{}, &requestInfo{id: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// saneID accepts 1 to 64 characters of letters, digits, '-', '_' and '.'.
func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

func newID() string {
	var b [12]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// logRequests writes one line per request when it is done: method, path,
// operation, account, status, duration and request id; 5xx at Error.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := record(w)
		next.ServeHTTP(rec, r)
		ri := info(r.Context())
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("operation", ri.operation),
			slog.String("account", ri.account),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)),
			slog.String("request_id", ri.id),
		)
	})
}

// recoverPanics turns a panic into 500 INTERNAL. The client learns only the
// request id (in X-Request-Id); the log has the panic and its stack.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := record(w)
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p) // the server's own signal to drop the connection
			}
			s.log.LogAttrs(r.Context(), slog.LevelError, "panic",
				slog.String("request_id", requestID(r.Context())),
				slog.String("panic", fmt.Sprint(p)),
				slog.String("stack", string(debug.Stack())),
			)
			if rec.wroteHeader {
				panic(http.ErrAbortHandler) // too late for a clean answer
			}
			writeErrors(rec, http.StatusInternalServerError, mediaJSON, requestError{code: "INTERNAL", message: "internal error"})
		}()
		next.ServeHTTP(rec, r)
	})
}

// recorder remembers the status written through it.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

// record wraps w, or returns it when it already is a recorder.
func record(w http.ResponseWriter) *recorder {
	if rec, ok := w.(*recorder); ok {
		return rec
	}
	return &recorder{ResponseWriter: w, status: http.StatusOK}
}

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
