package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/seed"
	"github.com/societyregistry/registry/server"
)

// serve opens (creating and migrating) the database and serves the API
// until ctx ends. With -demo it first loads the demo society into an
// empty database, and makes and prints fresh demo tokens.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("serve", stderr)
	fs.StringVar(&c.addr, "addr", env("REGISTRY_ADDR", "localhost:8080"), "address to serve on (env REGISTRY_ADDR)")
	clockFlags(fs, c)
	fs.BoolVar(&c.demo, "demo", envBool("REGISTRY_DEMO", false),
		"demo mode: load the demo society into an empty database, allow introspection to every caller\n"+
			"(else administrators only), and make and print fresh demo tokens (the GraphiQL page sends\n"+
			"the administrator's) on every start (env REGISTRY_DEMO)")
	fs.BoolVar(&c.logJSON, "log-json", envBool("REGISTRY_LOG_JSON", false), "write logs as JSON (env REGISTRY_LOG_JSON)")
	fs.DurationVar(&c.tokenTTL, "token-cache-ttl", envDuration("REGISTRY_TOKEN_CACHE_TTL", 10*time.Second),
		"how long a verified API token is trusted without asking the database; a revoked token\n"+
			"stops working within it, 0 asks on every request (env REGISTRY_TOKEN_CACHE_TTL)")
	pprofAddr := fs.String("pprof", env("REGISTRY_PPROF", ""),
		"serve net/http/pprof's profiles at http://ADDR/debug/pprof/ on a listener of their own,\n"+
			"a loopback address only; empty (the default) serves none (env REGISTRY_PPROF)")
	lim := limitFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.tokenTTL < 0 {
		return fmt.Errorf("-token-cache-ttl: %s is negative", c.tokenTTL)
	}
	if err := lim.check(); err != nil {
		return err
	}
	log := c.logger(stderr)
	tuneGC()
	clk, err := c.clock()
	if err != nil {
		return err
	}
	// Take the address first: a second server on a taken address fails
	// here, before it replaces the demo tokens of the one running.
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close() // Serve closes it too; this is for the returns before
	if *pprofAddr != "" {
		pln, err := listenPprof(*pprofAddr)
		if err != nil {
			return err
		}
		pctx, stop := context.WithCancel(ctx)
		defer stop() // and with it the profiler, whichever way serve returns
		log.Info("profiler listening", "addr", pln.Addr().String(), "path", "/debug/pprof/")
		go servePprof(pctx, pln, log)
	}
	url := baseURL(c.addr, ln.Addr())
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	s.Clock = clk
	var demo []demoToken
	if c.demo {
		empty, err := isEmpty(ctx, s)
		if err != nil {
			return err
		}
		if empty {
			log.Info("loading the demo society", "db", c.db)
			if err := seed.Demo(ctx, s.Client, s.Dialect); err != nil {
				return fmt.Errorf("seed demo: %w", err)
			}
		}
		if demo, err = demoTokens(ctx, s, cli()); err != nil {
			return fmt.Errorf("demo tokens: %w", err)
		}
	}
	lim.graph.AllowIntrospection = c.demo
	svc, err := graph.New(graph.Deps{Store: s, Clock: clk}, lim.graph)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "serving GraphQL on %s/graphql and GraphiQL on %s/ (%s, today is %s)\n",
		url, url, s.Dialect, clk.Today().Format(registry.DateLayout))
	cfg := server.Config{
		Logger:       log,
		Exec:         svc,
		Authenticate: registry.NewAuthenticator(s, c.tokenTTL).Authenticate,
		Ping:         func(ctx context.Context) error { return s.DB.PingContext(ctx) },
		Statements:   s.Statements.Load,
	}
	lim.apply(&cfg)
	lim.log(log)
	if c.demo {
		printDemoTokens(stdout, url, demo)
		cfg.GraphiQLToken = demo[0].secret
	}
	return server.Serve(ctx, ln, cfg)
}

// gcPercent is the garbage collector's target when GOGC is not set: a
// request's garbage dies with it, and collecting at twice the live heap
// rather than once spent a tenth less processor time on the benchmark's
// roster, at a peak of about 125 MB instead of 100 under 32 connections.
const gcPercent = 200

// tuneGC sets the collector's target to gcPercent, unless GOGC says
// otherwise.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}

// baseURL is the URL clients reach the server at: the host asked for, or
// localhost for a wildcard, and the port taken (which differs from the
// one asked for when that was 0).
func baseURL(asked string, got net.Addr) string {
	host, _, err := net.SplitHostPort(asked)
	_, port, err2 := net.SplitHostPort(got.String())
	if err != nil || err2 != nil {
		return "http://" + got.String()
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// limits are what serve's limit flags set: graphql's bounds on a
// document, and the server's on a request.
type limits struct {
	graph         graph.Limits
	maxBody       int64
	maxImportBody int64
	timeout       time.Duration
	rateOn        bool
	rate          server.RateLimit
}

// limitFlags adds a flag for every limit to fs, each defaulting from an
// environment variable, else from the packages' own defaults.
func limitFlags(fs *flag.FlagSet) *limits {
	g, d := graph.DefaultLimits(), server.Defaults()
	l := &limits{}
	fs.Int64Var(&l.maxBody, "max-body", envInt64("REGISTRY_MAX_BODY", d.MaxBodyBytes),
		"largest request body in bytes, else 413 PAYLOAD_TOO_LARGE (env REGISTRY_MAX_BODY)")
	fs.Int64Var(&l.maxImportBody, "max-import-body", envInt64("REGISTRY_MAX_IMPORT_BODY", d.MaxImportBodyBytes),
		"largest request body in bytes for accounts allowed to import rosters (env REGISTRY_MAX_IMPORT_BODY)")
	fs.IntVar(&l.graph.MaxTokens, "max-tokens", envInt("REGISTRY_MAX_TOKENS", g.MaxTokens),
		"most lexical tokens in a query, else QUERY_TOO_COMPLEX (env REGISTRY_MAX_TOKENS)")
	fs.IntVar(&l.graph.MaxDepth, "max-depth", envInt("REGISTRY_MAX_DEPTH", g.MaxDepth),
		"deepest nesting of fields with selections, fragments inlined (env REGISTRY_MAX_DEPTH)")
	fs.IntVar(&l.graph.MaxAliases, "max-aliases", envInt("REGISTRY_MAX_ALIASES", g.MaxAliases),
		"most aliased fields, fragments expanded (env REGISTRY_MAX_ALIASES)")
	fs.IntVar(&l.graph.MaxFields, "max-fields", envInt("REGISTRY_MAX_FIELDS", g.MaxFields),
		"most field selections, fragments expanded (env REGISTRY_MAX_FIELDS)")
	fs.IntVar(&l.graph.MaxCost, "max-cost", envInt("REGISTRY_MAX_COST", g.MaxCost),
		"highest estimated cost: page sizes (first/last) multiplied down each path, summed (env REGISTRY_MAX_COST)")
	fs.DurationVar(&l.timeout, "timeout", envDuration("REGISTRY_TIMEOUT", d.Timeout),
		"longest a GraphQL request may run before it is stopped with TIMEOUT (env REGISTRY_TIMEOUT)")
	fs.BoolVar(&l.rateOn, "rate-limit", envBool("REGISTRY_RATE_LIMIT", true),
		"limit requests per API token and per client address, else 429 RATE_LIMITED;\n"+
			"-rate-limit=false turns both off (benchmarks) (env REGISTRY_RATE_LIMIT)")
	fs.Float64Var(&l.rate.PerToken, "rate-token", envFloat("REGISTRY_RATE_TOKEN", d.RateLimit.PerToken),
		"requests per second one API token may sustain (env REGISTRY_RATE_TOKEN)")
	fs.IntVar(&l.rate.TokenBurst, "rate-token-burst", envInt("REGISTRY_RATE_TOKEN_BURST", d.RateLimit.TokenBurst),
		"requests one API token may send at once (env REGISTRY_RATE_TOKEN_BURST)")
	fs.Float64Var(&l.rate.PerIP, "rate-ip", envFloat("REGISTRY_RATE_IP", d.RateLimit.PerIP),
		"requests per second one client address (IPv6: its /64) may sustain (env REGISTRY_RATE_IP)")
	fs.IntVar(&l.rate.IPBurst, "rate-ip-burst", envInt("REGISTRY_RATE_IP_BURST", d.RateLimit.IPBurst),
		"requests one client address may send at once (env REGISTRY_RATE_IP_BURST)")
	fs.StringVar(&l.rate.ClientIPHeader, "client-ip-header", env("REGISTRY_CLIENT_IP_HEADER", ""),
		"header in which a trusted reverse proxy passes the client's address (X-Real-IP, X-Forwarded-For);\n"+
			"empty: the connection's address. Set it only behind such a proxy (env REGISTRY_CLIENT_IP_HEADER)")
	return l
}

// check refuses limits of 0 or less: downstream a zero reads as "the
// default", which is not what a flag set to 0 asks for.
func (l *limits) check() error {
	for _, c := range []struct {
		flag string
		v    float64
	}{
		{"max-body", float64(l.maxBody)}, {"max-import-body", float64(l.maxImportBody)},
		{"max-tokens", float64(l.graph.MaxTokens)}, {"max-depth", float64(l.graph.MaxDepth)},
		{"max-aliases", float64(l.graph.MaxAliases)}, {"max-fields", float64(l.graph.MaxFields)},
		{"max-cost", float64(l.graph.MaxCost)}, {"timeout", l.timeout.Seconds()},
		{"rate-token", l.rate.PerToken}, {"rate-token-burst", float64(l.rate.TokenBurst)},
		{"rate-ip", l.rate.PerIP}, {"rate-ip-burst", float64(l.rate.IPBurst)},
	} {
		if !(c.v > 0) {
			return fmt.Errorf("-%s must be above 0", c.flag)
		}
	}
	return nil
}

// apply sets the server's limits in cfg.
func (l *limits) apply(cfg *server.Config) {
	cfg.MaxBodyBytes = l.maxBody
	cfg.MaxImportBodyBytes = l.maxImportBody
	cfg.Timeout = l.timeout
	cfg.RateLimit = l.rate
	cfg.RateLimit.Off = !l.rateOn
}

// log writes the limits in force, one line.
func (l *limits) log(log *slog.Logger) {
	attrs := []any{"max_body", l.maxBody, "max_import_body", l.maxImportBody,
		"max_tokens", l.graph.MaxTokens, "max_depth", l.graph.MaxDepth, "max_aliases", l.graph.MaxAliases,
		"max_fields", l.graph.MaxFields, "max_cost", l.graph.MaxCost, "timeout", l.timeout,
		"introspection", map[bool]string{true: "everyone", false: "administrators"}[l.graph.AllowIntrospection],
		"rate_limit", l.rateOn}
	if l.rateOn {
		attrs = append(attrs, "rate_token", l.rate.PerToken, "rate_token_burst", l.rate.TokenBurst,
			"rate_ip", l.rate.PerIP, "rate_ip_burst", l.rate.IPBurst, "client_ip_header", l.rate.ClientIPHeader)
	}
	log.Info("limits", attrs...)
}

func envInt(name string, def int) int {
	return int(envInt64(name, int64(def)))
}

func envInt64(name string, def int64) int64 {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if v, ok := os.LookupEnv(name); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	}
	return def
}
