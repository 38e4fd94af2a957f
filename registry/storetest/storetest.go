// Package storetest gives tests real, migrated registry databases: SQLite
// always, and PostgreSQL when the environment variable
// REGISTRY_TEST_POSTGRES names a server.
//
// A fresh empty store:
//
//	s := storetest.Open(t) // SQLite in t.TempDir(), closed at cleanup
//
// The same test on both databases:
//
//	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
//		s := storetest.Open(t, d)
//		...
//	})
//
// Dialects runs f as the subtests "sqlite" and "postgres". Without
// REGISTRY_TEST_POSTGRES the postgres subtest is skipped with a message
// saying so; with CI=true it fails instead, so CI cannot pass without
// PostgreSQL.
//
// Migrate and fill once per test process, copy per test:
//
//	var demo = storetest.Prepare("demo", func(ctx context.Context, s *registry.Store) error {
//		return seed.Demo(ctx, s)
//	})
//
//	func TestRoster(t *testing.T) {
//		storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
//			s := demo.Open(t, d) // a private copy of the filled database
//			...
//		})
//	}
//
// The first Open of a template in a dialect builds it: SQLite builds a file,
// checkpoints its WAL and keeps the bytes in memory, and each Open writes
// them to a new file in t.TempDir(); PostgreSQL builds a template database,
// and each Open runs CREATE DATABASE ... TEMPLATE it, dropped at cleanup.
// Tests may modify their copy freely and run in parallel. Prepare is keyed
// by name: calling it again with the same name returns the first template.
//
// REGISTRY_TEST_POSTGRES is a postgres:// URL of a role allowed to CREATE
// DATABASE (`CREATE ROLE regtest LOGIN PASSWORD 'regtest' CREATEDB`); the
// database it names is only used to connect. Databases made here are named
// storetest_*; any left behind by a test process that died are dropped by
// the next one on the same host.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5"

	"github.com/societyregistry/registry/registry"
)

// Dialect names a database kind; it is also an [Option] choosing it.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// EnvPostgres names the environment variable holding the PostgreSQL URL.
const EnvPostgres = "REGISTRY_TEST_POSTGRES"

// Option configures [Open] and [Template.Open].
type Option interface{ apply(*config) }

type config struct {
	dialect Dialect
	store   registry.Options
	hasOpts bool
}

func (d Dialect) apply(c *config) { c.dialect = d }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// StoreOptions passes o to [registry.Open]. Without it, a PostgreSQL store
// is capped at 4 connections, so parallel tests stay well inside the
// server's limit; SQLite gets registry's defaults. SkipMigrate is ignored.
func StoreOptions(o registry.Options) Option {
	return optionFunc(func(c *config) { c.store, c.hasOpts = o, true })
}

func newConfig(opts []Option) config {
	c := config{dialect: SQLite}
	for _, o := range opts {
		o.apply(&c)
	}
	if !c.hasOpts && c.dialect == Postgres {
		c.store.MaxOpenConns = 4
	}
	c.store.SkipMigrate = false
	return c
}

// Dialects runs f as a subtest for each dialect: "sqlite", then
// "postgres", which is skipped, or fails under CI=true, when
// REGISTRY_TEST_POSTGRES is not set.
func Dialects(t *testing.T, f func(t *testing.T, d Dialect)) {
	t.Helper()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Helper()
			if d == Postgres {
				PostgresURL(t)
			}
			f(t, d)
		})
	}
}

// PostgresURL returns REGISTRY_TEST_POSTGRES. When it is not set it skips
// the test, saying why, or fails it when the environment variable CI is
// true.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn != "" {
		return dsn
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("%s is not set, and CI=true requires the PostgreSQL suite", EnvPostgres)
		return ""
	}
	t.Skipf("PostgreSQL suite skipped: set %s=postgres://user:password@127.0.0.1:5432/postgres (a role allowed to CREATE DATABASE) to run it", EnvPostgres)
	return ""
}

// Open returns a fresh, migrated, empty store, SQLite unless a [Dialect]
// option says otherwise, closed (and on PostgreSQL dropped) at cleanup.
func Open(t testing.TB, opts ...Option) *registry.Store {
	t.Helper()
	return empty.Open(t, opts...)
}

// NewDatabase returns the DSN of a new database of dialect d with no tables
// at all, not even migrated: a file path in t.TempDir(), or a PostgreSQL
// database dropped at cleanup.
func NewDatabase(t testing.TB, d Dialect) string {
	t.Helper()
	switch d {
	case SQLite:
		return filepath.Join(t.TempDir(), "registry.db")
	case Postgres:
		return newPostgresDatabase(t, "")
	}
	t.Fatalf("storetest: unknown dialect %q", d)
	return ""
}

// A Template is a database prepared once per test process and dialect, of
// which each test gets its own copy. Make one with [Prepare].
type Template struct {
	name string
	fill func(context.Context, *registry.Store) error

	mu       sync.Mutex
	prepared map[Dialect]*prepared
}

// prepared is a template built in one dialect.
type prepared struct {
	once sync.Once
	err  error
	file []byte // SQLite: the database file
	db   string // PostgreSQL: the template database
}

var templates = struct {
	sync.Mutex
	byName map[string]*Template
}{byName: map[string]*Template{}}

var validName = regexp.MustCompile(`^[a-z0-9_]{1,24}$`)

// Prepare returns the template called name (lower-case letters, digits and
// underscores, at most 24), whose database is migrated and then given to
// fill. fill runs at the first Open in each dialect, once per test process;
// a later Prepare with the same name returns the same template and ignores
// its fill.
func Prepare(name string, fill func(ctx context.Context, s *registry.Store) error) *Template {
	if !validName.MatchString(name) {
		panic(fmt.Sprintf("storetest: template name %q: want [a-z0-9_]{1,24}", name))
	}
	templates.Lock()
	defer templates.Unlock()
	if tp, ok := templates.byName[name]; ok {
		return tp
	}
	tp := &Template{name: name, fill: fill, prepared: map[Dialect]*prepared{}}
	templates.byName[name] = tp
	return tp
}

// empty is the template of Open: migrated, no rows.
var empty = &Template{name: "empty", prepared: map[Dialect]*prepared{}}

// Open returns a fresh store holding a copy of the template's database,
// closed (and on PostgreSQL dropped) at cleanup. It is SQLite unless a
// [Dialect] option says otherwise.
func (tp *Template) Open(t testing.TB, opts ...Option) *registry.Store {
	t.Helper()
	c := newConfig(opts)
	dsn := tp.DSN(t, c.dialect)
	s, err := registry.Open(context.Background(), dsn, c.store)
	if err != nil {
		t.Fatalf("storetest: open %s copy of template %q: %v", c.dialect, tp.name, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// DSN returns the DSN of a fresh copy of the template's database in
// dialect d, for a test that opens it itself; the copy is removed at
// cleanup.
func (tp *Template) DSN(t testing.TB, d Dialect) string {
	t.Helper()
	if d != SQLite && d != Postgres {
		t.Fatalf("storetest: unknown dialect %q", d)
	}
	if d == Postgres {
		PostgresURL(t)
	}
	p := tp.get(t, d)
	if p.err != nil {
		t.Fatalf("storetest: prepare template %q on %s: %v", tp.name, d, p.err)
	}
	if d == Postgres {
		return newPostgresDatabase(t, p.db)
	}
	path := filepath.Join(t.TempDir(), "registry.db")
	if err := os.WriteFile(path, p.file, 0o600); err != nil {
		t.Fatalf("storetest: copy template %q: %v", tp.name, err)
	}
	return path
}

func (tp *Template) get(t testing.TB, d Dialect) *prepared {
	tp.mu.Lock()
	p, ok := tp.prepared[d]
	if !ok {
		p = &prepared{}
		tp.prepared[d] = p
	}
	tp.mu.Unlock()
	p.once.Do(func() {
		p.err = errors.New("an earlier build panicked")
		if d == Postgres {
			p.db, p.err = tp.buildPostgres()
		} else {
			p.file, p.err = tp.buildSQLite()
		}
	})
	return p
}

// buildSQLite migrates and fills a database file and returns its bytes.
func (tp *Template) buildSQLite() ([]byte, error) {
	dir, err := os.MkdirTemp("", "storetest-"+tp.name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "registry.db")
	if err := tp.build(path, registry.Options{}); err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}

// buildPostgres migrates and fills a template database and returns its
// name.
func (tp *Template) buildPostgres() (string, error) {
	admin, err := adminDB()
	if err != nil {
		return "", err
	}
	name := dbPrefix() + "tpl_" + tp.name
	if err := createDatabase(admin, name, ""); err != nil {
		return "", err
	}
	dsn, err := databaseURL(name)
	if err != nil {
		return "", err
	}
	return name, tp.build(dsn, registry.Options{MaxOpenConns: 4})
}

// build migrates the database at dsn, fills it and closes it, leaving one
// file on SQLite (no WAL beside it) and no connection on PostgreSQL.
func (tp *Template) build(dsn string, opts registry.Options) error {
	ctx := context.Background()
	s, err := registry.Open(ctx, dsn, opts)
	if err != nil {
		return err
	}
	if tp.fill != nil {
		if err := tp.fill(ctx, s); err != nil {
			s.Close()
			return fmt.Errorf("fill: %w", err)
		}
	}
	if s.Dialect == dialect.SQLite {
		if _, err := s.DB.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			s.Close()
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	return s.Close()
}

// PostgreSQL housekeeping.

var (
	admin struct {
		once sync.Once
		db   *sql.DB
		err  error
	}
	procID = sync.OnceValue(func() string {
		b := make([]byte, 2)
		rand.Read(b)
		return strconv.Itoa(os.Getpid()) + hex.EncodeToString(b)
	})
	dbSeq atomic.Int64
)

// dbPrefix starts the name of every database this process makes.
func dbPrefix() string { return "storetest_" + procID() + "_" }

// adminDB connects to REGISTRY_TEST_POSTGRES, once per process, and drops
// the databases of dead test processes of this host.
func adminDB() (*sql.DB, error) {
	admin.once.Do(func() {
		dsn := os.Getenv(EnvPostgres)
		if _, err := databaseURL("x"); err != nil {
			admin.err = err
			return
		}
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(4)
			err = db.Ping()
		}
		if err != nil {
			admin.err = fmt.Errorf("connect to %s: %w", EnvPostgres, err)
			return
		}
		admin.db = db
		dropOrphans(db)
	})
	return admin.db, admin.err
}

// databaseURL is REGISTRY_TEST_POSTGRES with its database replaced.
func databaseURL(name string) (string, error) {
	u, err := url.Parse(os.Getenv(EnvPostgres))
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return "", fmt.Errorf("%s: want a URL postgres://user:password@host:port/database", EnvPostgres)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// newPostgresDatabase creates a database, a copy of template if it is not
// empty, drops it at cleanup, and returns its URL.
func newPostgresDatabase(t testing.TB, template string) string {
	t.Helper()
	db, err := adminDB()
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	name := dbPrefix() + strconv.FormatInt(dbSeq.Add(1), 10)
	if err := createDatabase(db, name, template); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() {
		if err := DropDatabase(db, name); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	dsn, err := databaseURL(name)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return dsn
}

func createDatabase(db *sql.DB, name, template string) error {
	stmt := "CREATE DATABASE " + quote(name)
	if template != "" {
		stmt += " TEMPLATE " + quote(template)
	}
	if _, err := db.Exec(stmt); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	if _, err := db.Exec("COMMENT ON DATABASE " + quote(name) + " IS " + literal(owner())); err != nil {
		return fmt.Errorf("comment on database %s: %w", name, err)
	}
	return nil
}

// owner is the comment that marks a database as made by this process.
func owner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("storetest host=%s pid=%d", host, os.Getpid())
}

var ownerRE = regexp.MustCompile(`^storetest host=(\S*) pid=(\d+)$`)

// dropOrphans drops the databases left by test processes of this host that
// are no longer running (killed by a timeout, say). Errors are ignored: a
// database it cannot drop is someone else's.
func dropOrphans(db *sql.DB) {
	rows, err := db.Query(`SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '')
		FROM pg_database WHERE datname LIKE 'storetest\_%'`)
	if err != nil {
		return
	}
	host, _ := os.Hostname()
	var orphans []string
	for rows.Next() {
		var name, comment string
		if rows.Scan(&name, &comment) != nil {
			continue
		}
		m := ownerRE.FindStringSubmatch(comment)
		if m == nil || m[1] != host {
			continue
		}
		if pid, _ := strconv.Atoi(m[2]); pid != os.Getpid() && !running(pid) {
			orphans = append(orphans, name)
		}
	}
	rows.Close()
	for _, name := range orphans {
		DropDatabase(db, name)
	}
}

// DropDatabase drops a test database, closing the connections to it
// first. DROP ... WITH (FORCE) refuses (SQLSTATE 42501) while an
// autovacuum worker, which belongs to no role, is at work in the
// database, as it often is after a bulk load; a plain DROP ends such a
// worker itself. So the role's own connections are ended first and a
// plain DROP follows, tried a few times while connections go away.
func DropDatabase(db *sql.DB, name string) error {
	if _, err := db.Exec("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)"); err == nil {
		return nil
	}
	var err error
	for range 50 {
		db.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()", name)
		if _, err = db.Exec("DROP DATABASE IF EXISTS " + quote(name)); err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

// running reports whether process pid exists.
func running(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
