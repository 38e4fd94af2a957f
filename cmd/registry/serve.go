package main

import (
	"context"
	"fmt"
	"io"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/seed"
	"github.com/societyregistry/registry/server"
)

// serve opens (creating and migrating) the database, loads the demo
// society into it when --demo is set and it is empty, and serves the API
// until ctx ends.
func serve(ctx context.Context, c *config, stdout, stderr io.Writer) error {
	log := c.logger(stderr)
	clk, err := c.clock()
	if err != nil {
		return err
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
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
	}
	svc, err := graph.New(graph.Deps{Store: s, Clock: clk}, graph.Limits{AllowIntrospection: c.demo})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "serving GraphQL on http://%s/graphql and GraphiQL on http://%s/ (%s, today is %s)\n",
		c.addr, c.addr, s.Dialect, clk.Today().Format(registry.DateLayout))
	return server.ListenAndServe(ctx, server.Config{
		Addr:       c.addr,
		Logger:     log,
		Exec:       svc,
		Ping:       func(ctx context.Context) error { return s.DB.PingContext(ctx) },
		Statements: s.Statements.Load,
	})
}
