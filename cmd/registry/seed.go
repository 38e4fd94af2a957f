package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/seed"
)

// seedCmd loads the demo society or the benchmark data into an empty
// database.
func seedCmd(ctx context.Context, c *config, args []string, stdout io.Writer) error {
	if len(args) != 1 || (args[0] != "demo" && args[0] != "scale") {
		return fmt.Errorf("usage: registry seed demo|scale")
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	empty, err := isEmpty(ctx, s)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("seed %s: the database already holds data; seed an empty one", args[0])
	}
	start := time.Now()
	load := seed.Demo
	if args[0] == "scale" {
		load = seed.Scale
	}
	if err := load(ctx, s.Client, s.Dialect); err != nil {
		return fmt.Errorf("seed %s: %w", args[0], err)
	}
	fmt.Fprintf(stdout, "loaded the %s data in %s\n", args[0], time.Since(start).Round(time.Millisecond))
	return nil
}

// isEmpty reports whether the database holds no organization yet.
func isEmpty(ctx context.Context, s *registry.Store) (bool, error) {
	n, err := s.Client.Organization.Query().Limit(1).Count(ctx)
	return n == 0, err
}
