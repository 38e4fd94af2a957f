package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeedTakesFlagsAfterItsWord runs the binary's seed and migrate
// commands as the Makefile does, flags after the word.
func TestSeedTakesFlagsAfterItsWord(t *testing.T) {
	db := filepath.Join(t.TempDir(), "r.db")
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"seed", "demo", "-db", db}, &out, &errs); err != nil {
		t.Fatalf("seed demo: %v (%s)", err, errs.String())
	}
	if !strings.Contains(out.String(), "loaded the demo data") {
		t.Errorf("seed demo said %q", out.String())
	}
	// A second seed refuses: the database holds data.
	if err := run(context.Background(), []string{"seed", "demo", "-db", db}, &out, &errs); err == nil || !strings.Contains(err.Error(), "already holds data") {
		t.Errorf("second seed: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "-db", db}, &out, &errs); err != nil || !strings.Contains(out.String(), "up to date") {
		t.Errorf("migrate: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"seed", "nonsense", "-db", db}, &out, &errs); err == nil {
		t.Error("seed nonsense succeeded")
	}
	if err := run(context.Background(), []string{"frobnicate"}, &out, &errs); err == nil {
		t.Error("unknown command succeeded")
	}
}
