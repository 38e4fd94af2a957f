package registry

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, as "pgx"
	_ "github.com/mattn/go-sqlite3"    // the embedded driver, as "sqlite3"

	"github.com/societyregistry/registry/ent"
)

// Store is an open database: the ent client over it, its dialect, and a
// count of the SQL statements it has run.
type Store struct {
	Client  *ent.Client
	DB      *sql.DB
	Dialect string
	// Statements counts every statement sent through Client.
	Statements atomic.Int64
	// Clock decides "today" for the rules operations check (terms
	// ended, appointments current); the zero Clock is the real one, in
	// UTC.
	Clock Clock
}

// Options tune [Open].
type Options struct {
	// MaxOpenConns caps the connection pool; 0 means 20 on PostgreSQL
	// (the server allows 100) and 8 on SQLite.
	MaxOpenConns int
	// SkipMigrate opens the database without applying migrations.
	SkipMigrate bool
}

// Open opens the database named by dsn and applies pending migrations.
// A dsn starting with postgres:// or postgresql:// selects PostgreSQL;
// anything else is an SQLite file path or file: URI, which is created if
// missing and opened with foreign keys, WAL, a busy timeout and immediate
// write transactions.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	driverName, dial, source := "sqlite3", dialect.SQLite, SQLiteDSN(dsn)
	if IsPostgres(dsn) {
		driverName, dial, source = "pgx", dialect.Postgres, dsn
	}
	db, err := sql.Open(driverName, source)
	if err != nil {
		return nil, fmt.Errorf("registry: open %s: %w", dial, err)
	}
	n := opt.MaxOpenConns
	if n == 0 {
		n = 20
		if dial == dialect.SQLite {
			n = 8
		}
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("registry: connect to %s: %w", dial, err)
	}
	s := &Store{DB: db, Dialect: dial}
	if !opt.SkipMigrate {
		if err := Migrate(ctx, db, dial); err != nil {
			db.Close()
			return nil, err
		}
	}
	drv := &countingDriver{Driver: entsql.OpenDB(dial, db), n: &s.Statements}
	s.Client = ent.NewClient(ent.Driver(drv))
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.Client.Close() }

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// SQLiteDSN turns a path or file: URI into a go-sqlite3 DSN with the
// settings the registry relies on; settings already present are kept.
func SQLiteDSN(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	base, query, _ := strings.Cut(dsn, "?")
	q, _ := url.ParseQuery(query)
	for k, v := range map[string]string{
		"_fk":           "1",
		"_journal_mode": "WAL",
		"_busy_timeout": "10000",
		"_txlock":       "immediate",
		"_synchronous":  "NORMAL",
	} {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	return base + "?" + q.Encode()
}

type statementCounterKey struct{}

// WithStatementCounter returns a context in which every statement the
// store runs on its behalf also adds one to n.
func WithStatementCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, statementCounterKey{}, n)
}

// countingDriver counts the statements sent through it, in total and on
// the counter a context carries.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func count(ctx context.Context, n *atomic.Int64) {
	n.Add(1)
	if c, ok := ctx.Value(statementCounterKey{}).(*atomic.Int64); ok {
		c.Add(1)
	}
}

func (d *countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	count(ctx, d.n)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d *countingDriver) Query(ctx context.Context, query string, args, v any) error {
	count(ctx, d.n)
	return d.Driver.Query(ctx, query, args, v)
}

func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, n: d.n}, nil
}

func (d *countingDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	}).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &countingTx{Tx: tx, n: d.n}, nil
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	count(ctx, t.n)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	count(ctx, t.n)
	return t.Tx.Query(ctx, query, args, v)
}

type execQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// QueryContext runs a hand-written query, counted like any other.
func (d *countingDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	count(ctx, d.n)
	return d.Driver.(execQuerier).QueryContext(ctx, query, args...)
}

// ExecContext runs a hand-written statement, counted like any other.
func (d *countingDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	count(ctx, d.n)
	return d.Driver.(execQuerier).ExecContext(ctx, query, args...)
}

// QueryContext runs a hand-written query inside the transaction.
func (t *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	count(ctx, t.n)
	return t.Tx.(execQuerier).QueryContext(ctx, query, args...)
}

// ExecContext runs a hand-written statement inside the transaction.
func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	count(ctx, t.n)
	return t.Tx.(execQuerier).ExecContext(ctx, query, args...)
}
