package registry

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	amigrate "ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"

	"github.com/societyregistry/registry/ent/migrate/migrations"
)

// RevisionTable is the table in which [Migrate] records the migrations it
// has applied, one row per migration file.
const RevisionTable = "schema_revisions"

// migrateLockKey is the PostgreSQL advisory lock that serializes
// migrations of one database ("registry" in ASCII).
const migrateLockKey int64 = 0x7265676973747279

// Migrate applies the embedded migrations of ent/migrate/migrations that
// the database has not seen yet, oldest first, with Atlas's migrate
// executor, and records each in [RevisionTable]. On an up-to-date database
// it changes nothing.
//
// Each file runs in its own transaction: a failing file leaves no trace and
// the next start tries it again. On SQLite the write lock of that
// transaction, and on PostgreSQL an advisory lock held for the whole run,
// keep two processes starting at once from applying a file twice. A
// database that holds tables but no revisions (one created some other way)
// is refused rather than migrated over.
func Migrate(ctx context.Context, db *sql.DB, dialectName string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("registry: migrate: %w", err)
		}
	}()
	dir, err := migrations.Dir(dialectName)
	if err != nil {
		return err
	}
	return migrateDir(ctx, db, dialectName, dir)
}

// migrateDir applies the pending files of dir.
func migrateDir(ctx context.Context, db *sql.DB, dialectName string, dir amigrate.Dir) error {
	// One connection throughout: the advisory lock and SQLite's
	// foreign_keys pragma belong to a connection.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dialectName == dialect.Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		defer func() {
			_, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
			if uerr != nil {
				// Close the connection rather than pool it with the lock held.
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	for {
		done, err := migrateOne(ctx, conn, dialectName, dir)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the first pending migration file in one transaction,
// and reports done when none was pending.
func migrateOne(ctx context.Context, conn *sql.Conn, dialectName string, dir amigrate.Dir) (done bool, err error) {
	var (
		tx       *sql.Tx
		commit   func() error
		rollback func() error
	)
	switch dialectName {
	case dialect.SQLite:
		// Atlas rebuilds a table to change it on SQLite, which needs foreign
		// keys off; the pragma is a no-op inside a transaction, so turn it off
		// around the transaction and check before commit that no violation
		// appeared, as Atlas's own SQLite transactions do.
		var on bool
		if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil {
			return false, err
		}
		if on {
			if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
				return false, err
			}
		}
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			if on {
				_, ferr := conn.ExecContext(ctx, "PRAGMA foreign_keys = on")
				err = errors.Join(err, ferr)
			}
			return false, err
		}
		rollback = sqlite.RollbackFunc(ctx, conn, tx, on)
		if commit, err = sqlite.CommitFunc(ctx, conn, tx, on); err != nil {
			return false, errors.Join(err, rollback())
		}
	default:
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return false, err
		}
		commit, rollback = tx.Commit, tx.Rollback
	}
	defer func() {
		if err != nil {
			if rerr := rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, rerr)
			}
		}
	}()

	rev, err := newRevisions(ctx, tx, dialectName)
	if err != nil {
		return false, err
	}
	var drv amigrate.Driver
	switch dialectName {
	case dialect.SQLite:
		drv, err = sqlite.Open(tx)
	case dialect.Postgres:
		drv, err = postgres.Open(tx)
	default:
		err = fmt.Errorf("unsupported dialect %q", dialectName)
	}
	if err != nil {
		return false, err
	}
	ex, err := amigrate.NewExecutor(drv, dir, rev, amigrate.WithOperatorVersion("registry"))
	if err != nil {
		return false, err
	}
	pending, err := ex.Pending(ctx)
	switch {
	case errors.Is(err, amigrate.ErrNoPendingFiles):
		return true, commit()
	case err != nil:
		if nc := (*amigrate.NotCleanError)(nil); errors.As(err, &nc) {
			return false, fmt.Errorf("the database has tables but no %s: it was not created by these migrations (%s)", RevisionTable, nc.Reason)
		}
		return false, err
	}
	f := pending[0]
	if err := ex.Execute(ctx, f); err != nil {
		// After a failed statement the transaction is unusable, so the
		// executor's attempt to record the failure fails too: report the
		// statement's error alone.
		if se := (*amigrate.StmtExecError)(nil); errors.As(err, &se) {
			err = se
		}
		return false, fmt.Errorf("apply %s: %w", f.Name(), err)
	}
	if err := commit(); err != nil {
		return false, fmt.Errorf("apply %s: commit: %w", f.Name(), err)
	}
	return false, nil
}

// querier is what revisions needs of a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// revisions is Atlas's [amigrate.RevisionReadWriter] over [RevisionTable].
type revisions struct {
	q       querier
	dialect string
	schema  string // PostgreSQL's current schema, where the table lives
}

var _ amigrate.RevisionReadWriter = (*revisions)(nil)

// newRevisions creates the revision table if it is missing.
func newRevisions(ctx context.Context, q querier, dialectName string) (*revisions, error) {
	r := &revisions{q: q, dialect: dialectName}
	executedAt := "datetime"
	if dialectName == dialect.Postgres {
		executedAt = "timestamp with time zone"
		if err := q.QueryRowContext(ctx, "SELECT current_schema()").Scan(&r.schema); err != nil {
			return nil, fmt.Errorf("read current schema: %w", err)
		}
	}
	_, err := q.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+RevisionTable+` (
	version varchar(255) NOT NULL PRIMARY KEY,
	description varchar(255) NOT NULL,
	type integer NOT NULL,
	applied integer NOT NULL,
	total integer NOT NULL,
	executed_at `+executedAt+` NOT NULL,
	execution_time bigint NOT NULL,
	error text NOT NULL,
	error_stmt text NOT NULL,
	hash varchar(255) NOT NULL,
	partial_hashes text NOT NULL,
	operator_version varchar(255) NOT NULL
)`)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", RevisionTable, err)
	}
	return r, nil
}

// Ident implements [amigrate.RevisionReadWriter].
func (r *revisions) Ident() *amigrate.TableIdent {
	return &amigrate.TableIdent{Name: RevisionTable, Schema: r.schema}
}

const revisionColumns = "version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version"

// ReadRevisions implements [amigrate.RevisionReadWriter].
func (r *revisions) ReadRevisions(ctx context.Context) ([]*amigrate.Revision, error) {
	rows, err := r.q.QueryContext(ctx, "SELECT "+revisionColumns+" FROM "+RevisionTable+" ORDER BY version")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var revs []*amigrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	return revs, rows.Err()
}

// ReadRevision implements [amigrate.RevisionReadWriter].
func (r *revisions) ReadRevision(ctx context.Context, version string) (*amigrate.Revision, error) {
	rows, err := r.q.QueryContext(ctx, r.bind("SELECT "+revisionColumns+" FROM "+RevisionTable+" WHERE version = ?"), version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, amigrate.ErrRevisionNotExist
	}
	rev, err := scanRevision(rows)
	if err != nil {
		return nil, err
	}
	return rev, rows.Close()
}

// WriteRevision implements [amigrate.RevisionReadWriter].
func (r *revisions) WriteRevision(ctx context.Context, rev *amigrate.Revision) error {
	partial, err := json.Marshal(rev.PartialHashes)
	if err != nil {
		return err
	}
	var set []string
	for _, c := range strings.Split(revisionColumns, ", ")[1:] {
		set = append(set, c+" = excluded."+c)
	}
	_, err = r.q.ExecContext(ctx, r.bind("INSERT INTO "+RevisionTable+" ("+revisionColumns+") "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "+
		"ON CONFLICT (version) DO UPDATE SET "+strings.Join(set, ", ")),
		rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total,
		rev.ExecutedAt.UTC(), int64(rev.ExecutionTime), rev.Error, rev.ErrorStmt,
		rev.Hash, string(partial), rev.OperatorVersion)
	return err
}

// DeleteRevision implements [amigrate.RevisionReadWriter].
func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	_, err := r.q.ExecContext(ctx, r.bind("DELETE FROM "+RevisionTable+" WHERE version = ?"), version)
	return err
}

// bind rewrites ? placeholders as $1, $2, ... for PostgreSQL.
func (r *revisions) bind(query string) string {
	if r.dialect != dialect.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, ch := range query {
		if ch == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(ch)
	}
	return b.String()
}

func scanRevision(rows *sql.Rows) (*amigrate.Revision, error) {
	var (
		rev      amigrate.Revision
		typ, dur int64
		partial  string
	)
	err := rows.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total,
		&rev.ExecutedAt, &dur, &rev.Error, &rev.ErrorStmt, &rev.Hash, &partial, &rev.OperatorVersion)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", RevisionTable, err)
	}
	rev.Type = amigrate.RevisionType(typ)
	rev.ExecutionTime = time.Duration(dur)
	if err := json.Unmarshal([]byte(partial), &rev.PartialHashes); err != nil {
		return nil, fmt.Errorf("read %s: partial hashes of %s: %w", RevisionTable, rev.Version, err)
	}
	return &rev, nil
}
