// Command registry is the society registry's one binary: it serves the
// GraphQL API, migrates the database and loads seed data.
//
//	registry serve [flags]        serve GraphQL on --addr (the default command)
//	registry migrate [flags]      apply pending migrations and exit
//	registry seed demo|scale      load the demo society or the benchmark data
//
// Every flag defaults from an environment variable (shown in -help).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
	_ "time/tzdata" // the society's time zone without the host's zoneinfo

	"github.com/societyregistry/registry/registry"
)

// config is what every subcommand reads from its flags.
type config struct {
	db       string
	addr     string
	today    string
	timeZone string
	demo     bool
	logJSON  bool
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	if v, ok := os.LookupEnv(name); ok {
		b, err := strconv.ParseBool(v)
		if err == nil {
			return b
		}
	}
	return def
}

func flags(name string, args []string, stderr io.Writer) (*config, []string, error) {
	fs := flag.NewFlagSet("registry "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.db, "db", env("REGISTRY_DATABASE", "registry.db"),
		"database: an SQLite file path, or a postgres:// DSN (env REGISTRY_DATABASE)")
	fs.StringVar(&c.addr, "addr", env("REGISTRY_ADDR", "localhost:8080"), "address to serve on (env REGISTRY_ADDR)")
	fs.StringVar(&c.today, "today", env("REGISTRY_TODAY", ""), "pin the society's current day, YYYY-MM-DD (env REGISTRY_TODAY)")
	fs.StringVar(&c.timeZone, "tz", env("REGISTRY_TZ", "Asia/Shanghai"), "the society's time zone (env REGISTRY_TZ)")
	fs.BoolVar(&c.demo, "demo", envBool("REGISTRY_DEMO", false),
		"demo mode: load the demo society into an empty database and allow introspection (env REGISTRY_DEMO)")
	fs.BoolVar(&c.logJSON, "log-json", envBool("REGISTRY_LOG_JSON", false), "write logs as JSON (env REGISTRY_LOG_JSON)")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	return c, fs.Args(), nil
}

// clock builds the registry's one clock from --today and --tz.
func (c *config) clock() (registry.Clock, error) {
	loc, err := time.LoadLocation(c.timeZone)
	if err != nil {
		return registry.Clock{}, fmt.Errorf("-tz: %w", err)
	}
	clk := registry.Clock{Location: loc}
	if c.today != "" {
		day, err := registry.ParseDate(c.today)
		if err != nil {
			return registry.Clock{}, fmt.Errorf("-today: %w", err)
		}
		// Noon of that day in the society's zone: today is that day.
		at := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, loc)
		clk.Now = func() time.Time { return at }
	}
	return clk, nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "registry:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	// "seed demo -db x": the subcommand's own word may precede the flags.
	var words []string
	if cmd == "seed" && len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		words, args = args[:1], args[1:]
	}
	c, rest, err := flags(cmd, args, stderr)
	if err != nil {
		return err
	}
	rest = append(words, rest...)
	switch cmd {
	case "serve":
		return serve(ctx, c, stdout, stderr)
	case "migrate":
		return migrate(ctx, c, stdout)
	case "seed":
		return seedCmd(ctx, c, rest, stdout)
	case "help":
		fmt.Fprintln(stdout, "usage: registry [serve|migrate|seed demo|seed scale] [flags]; registry serve -help lists the flags")
		return nil
	}
	return fmt.Errorf("unknown command %q (serve, migrate, seed)", cmd)
}
