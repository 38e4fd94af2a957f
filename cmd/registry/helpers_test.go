package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

// demo is the demo society, loaded once per test process and dialect.
var demo = storetest.Prepare("demo", func(ctx context.Context, s *registry.Store) error {
	return seed.Demo(ctx, s.Client, s.Dialect)
})

// runArgs runs the binary's run with args and returns what it wrote.
func runArgs(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errs bytes.Buffer
	err = run(context.Background(), args, &out, &errs)
	return out.String(), errs.String(), err
}

// open opens the database at dsn for a test's own checks.
func open(t *testing.T, dsn string) *registry.Store {
	t.Helper()
	s, err := registry.Open(context.Background(), dsn, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// authenticate returns the viewer of token in s, or the error, asking
// the database every time (no cache).
func authenticate(t *testing.T, s *registry.Store, token string) (*registry.Viewer, error) {
	t.Helper()
	return registry.NewAuthenticator(s, 0).Authenticate(context.Background(), token)
}
