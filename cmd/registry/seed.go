package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/seed"
)

// seedCmd loads the demo society or the benchmark data into an empty
// database: "seed demo|scale [-db DSN]", flags after the word as the
// Makefile passes them.
func seedCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	what, args := word(args)
	fs, c := newFlags("seed "+what, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	load := map[string]func(context.Context, *ent.Client, string) error{"demo": seed.Demo, "scale": seed.Scale}[what]
	if load == nil {
		return fmt.Errorf("usage: registry seed demo|scale [-db DSN]")
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
		return fmt.Errorf("seed %s: the database already holds data; seed an empty one", what)
	}
	start := time.Now()
	if err := load(ctx, s.Client, s.Dialect); err != nil {
		return fmt.Errorf("seed %s: %w", what, err)
	}
	fmt.Fprintf(stdout, "loaded the %s data in %s\n", what, time.Since(start).Round(time.Millisecond))
	return nil
}

// isEmpty reports whether the database holds no organization yet.
func isEmpty(ctx context.Context, s *registry.Store) (bool, error) {
	n, err := s.Client.Organization.Query().Limit(1).Count(ctx)
	return n == 0, err
}
