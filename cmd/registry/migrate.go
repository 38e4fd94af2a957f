package main

import (
	"context"
	"fmt"
	"io"

	"github.com/societyregistry/registry/registry"
)

// migrate applies pending migrations (Open does) and reports the dialect.
func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "%s database is up to date\n", s.Dialect)
	return nil
}
