package main

import (
	"context"
	"fmt"
	"io"
	"net"
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
		"demo mode: load the demo society into an empty database, allow introspection, and make and print\n"+
			"fresh demo tokens (the GraphiQL page sends the administrator's) on every start (env REGISTRY_DEMO)")
	fs.BoolVar(&c.logJSON, "log-json", envBool("REGISTRY_LOG_JSON", false), "write logs as JSON (env REGISTRY_LOG_JSON)")
	fs.DurationVar(&c.tokenTTL, "token-cache-ttl", envDuration("REGISTRY_TOKEN_CACHE_TTL", 10*time.Second),
		"how long a verified API token is trusted without asking the database; a revoked token\n"+
			"stops working within it, 0 asks on every request (env REGISTRY_TOKEN_CACHE_TTL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.tokenTTL < 0 {
		return fmt.Errorf("-token-cache-ttl: %s is negative", c.tokenTTL)
	}
	log := c.logger(stderr)
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
	svc, err := graph.New(graph.Deps{Store: s, Clock: clk}, graph.Limits{AllowIntrospection: c.demo})
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
	if c.demo {
		printDemoTokens(stdout, url, demo)
		cfg.GraphiQLToken = demo[0].secret
	}
	return server.Serve(ctx, ln, cfg)
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
