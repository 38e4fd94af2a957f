package main

import (
	"context"
	"fmt"
	"io"

	"github.com/societyregistry/registry/registry"
)

// migrate applies pending migrations (Open does) and reports the dialect.
func migrate(ctx context.Context, c *config, stdout io.Writer) error {
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "%s database is up to date\n", s.Dialect)
	return nil
}
