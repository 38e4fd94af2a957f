// Package server serves the registry over HTTP: GraphQL at /graphql as the
// GraphQL over HTTP specification says, GraphiQL at /, /healthz and
// /metrics, behind request ids, panic recovery and one log line per
// request. GraphQL requests meet rate limits per client address and per
// API token, a body limit decided before the body is read, and a timeout
// that cancels their database work; the document limits are graph's.
//
// Callers authenticate with an API token, "Authorization: Bearer <token>".
// Only /healthz and the GraphiQL page answer without one; /graphql puts
// the token's viewer into the request's context ([registry.WithViewer])
// for graph and registry to decide what it may do, and /metrics answers
// administrators only.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// Executor runs one GraphQL request; [graph.Executor] is the real one.
type Executor interface {
	Execute(ctx context.Context, req graph.Request) *graphql.Result
}

// Config is what [New] and [ListenAndServe] need.
type Config struct {
	// Addr is the TCP address [ListenAndServe] listens on, such as ":8080".
	Addr string
	// Logger receives one line per request and every internal error; nil
	// discards them.
	Logger *slog.Logger
	// Exec runs GraphQL requests.
	Exec Executor
	// Ping reports whether the database answers, for /healthz; nil is
	// always healthy.
	Ping func(ctx context.Context) error
	// Statements returns the SQL statements run so far, for /metrics; nil
	// leaves the metric out.
	Statements func() int64
	// Authenticate returns the viewer of an API token, or an error of
	// kind [registry.Unauthenticated] for a token it does not know
	// (unknown, revoked, or of a disabled account);
	// [registry.Authenticator.Authenticate] is the real one. nil refuses
	// every token.
	Authenticate func(ctx context.Context, token string) (*registry.Viewer, error)
	// MaxBodyBytes bounds a request body (default 64 KiB, DESIGN.md
	// "Query limits"); larger bodies get 413 before any is parsed.
	MaxBodyBytes int64
	// MaxImportBodyBytes bounds the body of an account allowed to import
	// rosters (default 8 MiB, and never below MaxBodyBytes).
	MaxImportBodyBytes int64
	// Timeout bounds the work of one GraphQL request, from setting up its
	// loaders to the end of execution (default 5 s). It cancels the
	// request's context, and with it every database call still running;
	// the answer says TIMEOUT.
	Timeout time.Duration
	// RateLimit bounds how fast one API token and one client address may
	// send GraphQL requests; on unless RateLimit.Off.
	RateLimit RateLimit
	// GraphiQLToken, when set, fills the GraphiQL page's request headers
	// with "Authorization: Bearer GraphiQLToken", so that the page's
	// first query works. Anyone who loads the page can read it: set it
	// only in demo mode, with the demo token.
	GraphiQLToken string
	// Prepare sets up each GraphQL request's context (loaders); may be nil.
	Prepare func(ctx context.Context) context.Context
}

// The limits when Config leaves them zero.
const (
	defaultMaxBodyBytes       = 64 << 10
	defaultMaxImportBodyBytes = 8 << 20
	defaultTimeout            = 5 * time.Second
)

// Defaults returns the limits a zero [Config] stands for: body sizes,
// timeout and rate limits.
func Defaults() Config {
	return Config{
		MaxBodyBytes:       defaultMaxBodyBytes,
		MaxImportBodyBytes: defaultMaxImportBodyBytes,
		Timeout:            defaultTimeout,
		RateLimit:          RateLimit{}.withDefaults(),
	}
}

// server holds a Config with its defaults filled in, the metrics and
// what responses reuse.
type server struct {
	cfg      Config
	log      *slog.Logger
	limits   *limiter         // nil when rate limits are off
	now      func() time.Time // the rate limits' clock
	metrics  *metrics
	plans    *planCache // response key order by query
	buffers  buffers
	graphiql []byte // the GraphiQL page
}

// New returns the HTTP handler for cfg.
func New(cfg Config) http.Handler {
	return newServer(cfg).handler()
}

func newServer(cfg Config) *server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = defaultMaxBodyBytes
	}
	if cfg.MaxImportBodyBytes <= 0 {
		cfg.MaxImportBodyBytes = defaultMaxImportBodyBytes
	}
	cfg.MaxImportBodyBytes = max(cfg.MaxImportBodyBytes, cfg.MaxBodyBytes)
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &server{cfg: cfg, log: log, limits: newLimiter(cfg.RateLimit), now: time.Now,
		metrics: newMetrics(), plans: newPlanCache(256), graphiql: graphiqlPage(cfg.GraphiQLToken)}
}

// handler is the route table under the middleware stack, which reads top
// to bottom in the order a request meets it.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/graphql", s.serveGraphQL) // authenticates, so that refusals are counted
	mux.HandleFunc("GET /{$}", s.serveGraphiQL)
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.Handle("GET /metrics", s.require(registry.ManageAccounts, "read the metrics", s.serveMetrics))

	return stack(mux,
		withRequestID,   // X-Request-Id in and out, and in the context
		s.logRequests,   // one line per request when it is done
		s.recoverPanics, // a panic becomes 500 INTERNAL, logged by request id
	)
}

// stack wraps h in middleware, the first outermost.
func stack(h http.Handler, middleware ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}

// serveHealth answers 200 "ok" when the database answers, 503 otherwise.
func (s *server) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.Ping != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.cfg.Ping(ctx); err != nil {
			s.log.ErrorContext(ctx, "health check failed", "err", err, "request_id", requestID(ctx))
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "unavailable")
			return
		}
	}
	fmt.Fprintln(w, "ok")
}

// ListenAndServe serves [New](cfg) on cfg.Addr until ctx is done, then
// shuts down gracefully, letting requests in flight finish for up to ten
// seconds.
func ListenAndServe(ctx context.Context, cfg Config) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	return Serve(ctx, ln, cfg)
}

// Serve is [ListenAndServe] on a listener the caller opened (and Serve
// closes): a command can take its address before it does anything that
// only a server able to serve should do.
func Serve(ctx context.Context, ln net.Listener, cfg Config) error {
	s := newServer(cfg)
	srv := &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.log.Info("listening", "addr", ln.Addr().String())

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("server: shut down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	s.log.Info("stopped")
	return nil
}
