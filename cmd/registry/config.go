package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"time"

	"github.com/societyregistry/registry/registry"
)

// config is what the commands read from their setting flags.
type config struct {
	db       string
	addr     string
	today    string
	timeZone string
	demo     bool
	logJSON  bool
	tokenTTL time.Duration
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

func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		d, err := time.ParseDuration(v)
		if err == nil {
			return d
		}
	}
	return def
}

// newFlags returns the flag set of command name with -db, which every
// command takes.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *config) {
	fs := flag.NewFlagSet("registry "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	fs.StringVar(&c.db, "db", env("REGISTRY_DATABASE", "registry.db"),
		"database: an SQLite file path, or a postgres:// DSN (env REGISTRY_DATABASE)")
	return fs, c
}

// parse parses args into fs and refuses arguments left over.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// clockFlags adds -today and -tz, which decide the society's today.
func clockFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.today, "today", env("REGISTRY_TODAY", ""), "pin the society's current day, YYYY-MM-DD (env REGISTRY_TODAY)")
	fs.StringVar(&c.timeZone, "tz", env("REGISTRY_TZ", "Asia/Shanghai"), "the society's time zone (env REGISTRY_TZ)")
}

// clock builds the registry's one clock from -today and -tz.
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

// cli is the viewer of the command line: an administrator, recorded in
// the audit trail as the operating-system user who ran the command.
func cli() *registry.Viewer {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return registry.System(name)
}
