// Command floor serves the benchmark's two queries, the branch roster and
// the person lookup, from hand-written SQL with the JSON written
// directly: the floor that make bench measures the registry against. It
// reads the request's variables only, checks no token and enforces no
// access rule, so it is a benchmark tool, never a server to deploy.
//
//	floor -db bench.db -addr 127.0.0.1:18081
//
// POST /graphql answers {"variables":{"id":GLOBAL_ID,"n":N}} with the
// roster and {"variables":{"number":M}} with the person, in the JSON the
// registry gives for cmd/loadgen's queries; GET /metrics gives
// sql_statements_total, as the registry's does; GET /healthz answers ok.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/societyregistry/registry/registry"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	db := fs.String("db", "registry.db", "the seeded database: an SQLite file or a postgres:// DSN")
	addr := fs.String("addr", "127.0.0.1:18081", "address to serve on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The registry's own pool settings, so both meet the database alike.
	s, err := registry.Open(ctx, *db, registry.Options{SkipMigrate: true})
	if err != nil {
		return err
	}
	defer s.Close()
	srv := &http.Server{Addr: *addr, Handler: newMux(&floor{db: s.DB, dialect: s.Dialect}), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// newMux routes the floor's three paths.
func newMux(f *floor) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("POST /graphql", f)
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "sql_statements_total %d\n", f.statements.Load())
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	return mux
}
