package loader

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"entgo.io/ent/dialect"
)

// Querier runs hand-written SQL; the ent client (feature sql/execquery)
// and its transactions satisfy it, so every statement is counted.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// db runs queries written with ? placeholders on either dialect.
type db struct {
	q       Querier
	dialect string
}

// query rebinds ? to $n on PostgreSQL and runs q. SQLite's driver
// (go-sqlite3 1.14) reads every row in a goroutine of its own when the
// context can be canceled, so that it can interrupt the read: a third of
// a roster page's cost. It gets ctx without its cancellation instead, and
// the loops that read rows (scanAll, scanPages) stop at the next row once
// ctx is done; PostgreSQL's driver watches ctx once per statement.
func (d db) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d.dialect == dialect.Postgres {
		q = rebind(q)
	} else {
		ctx = context.WithoutCancel(ctx)
	}
	return d.q.QueryContext(ctx, q, args...)
}

// rebind turns ? placeholders into $1, $2, ... (our SQL has no ? in
// literals).
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// text returns the expression compared as bytes, so names sort the same
// on both databases whatever the PostgreSQL database's collation.
func (d db) text(expr string) string {
	if d.dialect == dialect.Postgres {
		return expr + ` COLLATE "C"`
	}
	return expr
}

// in returns "(?, ?, ?)" for n values and the values as []any.
func in[T any](vals []T) (string, []any) {
	var b strings.Builder
	args := make([]any, len(vals))
	b.WriteByte('(')
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('?')
		args[i] = v
	}
	b.WriteByte(')')
	return b.String(), args
}
