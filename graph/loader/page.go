package loader

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
)

// KeyKind says how a sort key's value travels in a cursor.
type KeyKind int

// The kinds of sort key.
const (
	Int KeyKind = iota
	Text
	Date
)

// Key is one column of a list's order.
type Key struct {
	Expr string
	Kind KeyKind
	Desc bool
}

// Order is a list's total order; its last key must be unique (an id).
type Order []Key

// ErrBadCursor is returned for a cursor this list did not issue.
var ErrBadCursor = errors.New("loader: cursor is not valid for this list")

// EncodeCursor writes a row's sort-key values as an opaque cursor.
func EncodeCursor(vals []any) string {
	out := make([]any, len(vals))
	for i, v := range vals {
		if t, ok := v.(time.Time); ok {
			out[i] = t.Format("2006-01-02")
			continue
		}
		out[i] = v
	}
	b, _ := json.Marshal(out)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decode reads a cursor back into values of the order's kinds.
func (o Order) decode(cursor string) ([]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, ErrBadCursor
	}
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != len(o) {
		return nil, ErrBadCursor
	}
	vals := make([]any, len(o))
	for i, k := range o {
		switch k.Kind {
		case Int:
			f, ok := raw[i].(float64)
			if !ok || f != float64(int64(f)) {
				return nil, ErrBadCursor
			}
			vals[i] = int64(f)
		case Text:
			s, ok := raw[i].(string)
			if !ok {
				return nil, ErrBadCursor
			}
			vals[i] = s
		case Date:
			s, ok := raw[i].(string)
			if !ok {
				return nil, ErrBadCursor
			}
			t, err := time.Parse("2006-01-02", s)
			if err != nil {
				return nil, ErrBadCursor
			}
			vals[i] = t
		}
	}
	return vals, nil
}

func (d db) keyExpr(k Key) string {
	if k.Kind == Text {
		return d.text(k.Expr)
	}
	return k.Expr
}

// orderBy writes the ORDER BY list, reversed for backward pages.
func (d db) orderBy(o Order, reverse bool) string {
	var b strings.Builder
	for i, k := range o {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d.keyExpr(k))
		if k.Desc != reverse {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

// beyond writes the condition for rows strictly after vals in the order
// (before them when reverse): (k1 > v1) OR (k1 = v1 AND k2 > v2) ...
func (d db) beyond(o Order, vals []any, reverse bool) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteByte('(')
	for i := range o {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteByte('(')
		for j := 0; j < i; j++ {
			b.WriteString(d.keyExpr(o[j]))
			b.WriteString(" = ? AND ")
			args = append(args, vals[j])
		}
		op := " > ?"
		if o[i].Desc != reverse {
			op = " < ?"
		}
		b.WriteString(d.keyExpr(o[i]))
		b.WriteString(op)
		args = append(args, vals[i])
		b.WriteByte(')')
	}
	b.WriteByte(')')
	return b.String(), args
}

// PageArgs are a connection's paging arguments, already checked: exactly
// one of First and Last is positive.
type PageArgs struct {
	First, Last   int
	After, Before string
}

// Page is one page of a list: its rows with their sort-key values.
type Page[T any] struct {
	Rows             []T
	Keys             [][]any
	HasNext, HasPrev bool
	// total counts the rows of a per-parent list beyond the cursor,
	// whether read or not.
	total int64
}

// Cursor is the cursor of row i, written when asked for: encoding one
// for every row read cost more than most queries ever ask.
func (p *Page[T]) Cursor(i int) string { return EncodeCursor(p.Keys[i]) }

// List says how to read a list: the selected columns, the tables, an
// optional condition with its arguments, the parent column that splits it
// into one list per parent ("" for a single list), and its order. Join
// adds tables that Select reads but that neither choose nor order the
// rows: they are joined to the page's rows only.
type List struct {
	Select string
	From   string
	Join   string
	Where  string
	Args   []any
	Parent string
	Order  Order
}

// scanner returns the scan targets for a fresh row and a function that
// yields the row, its parent (0 for a single list) and its sort-key
// values.
type scanner[T any] func() ([]any, func() (int, T, []any))

// fetchPages reads one page per parent in one statement: a window
// numbers each parent's rows in the list's order and keeps the first
// n+1, the extra row telling whether another page follows. With no
// parents and l.Parent == "", it reads the single list with LIMIT.
func fetchPages[T any](ctx context.Context, d db, l List, parents []int, pa PageArgs, scan scanner[T]) (map[int]*Page[T], error) {
	reverse := pa.Last > 0
	n := pa.First
	if reverse {
		n = pa.Last
	}
	var conds []string
	var args []any
	if l.Where != "" {
		conds = append(conds, l.Where)
		args = append(args, l.Args...)
	}
	for _, c := range []struct {
		cursor string
		back   bool
	}{{pa.After, false}, {pa.Before, true}} {
		if c.cursor == "" {
			continue
		}
		vals, err := l.Order.decode(c.cursor)
		if err != nil {
			return nil, err
		}
		cond, cargs := d.beyond(l.Order, vals, c.back)
		conds = append(conds, cond)
		args = append(args, cargs...)
	}
	var q strings.Builder
	if l.Parent == "" {
		q.WriteString("SELECT 0, ")
		q.WriteString(l.Select)
		q.WriteString(" FROM ")
		q.WriteString(l.From)
		q.WriteString(l.Join)
		if len(conds) > 0 {
			q.WriteString(" WHERE ")
			q.WriteString(strings.Join(conds, " AND "))
		}
		fmt.Fprintf(&q, " ORDER BY %s LIMIT %d", d.orderBy(l.Order, reverse), n+1)
	} else {
		list, pargs := in(parents)
		conds = append([]string{l.Parent + " IN " + list}, conds...)
		args = append(pargs, args...)
		d.windowed(&q, l, strings.Join(conds, " AND "), reverse, n)
	}
	rows, err := d.query(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("loader: read list: %w", err)
	}
	pages, err := scanPages(ctx, rows, l.Parent != "", n+1, scan)
	if err != nil {
		return nil, fmt.Errorf("loader: read list: %w", err)
	}
	for _, p := range pages {
		more := len(p.Rows) > n || p.total > int64(n)
		if more && len(p.Rows) > n {
			p.Rows, p.Keys = p.Rows[:n], p.Keys[:n]
		}
		if reverse {
			reverseSlice(p.Rows)
			reverseSlice(p.Keys)
			p.HasPrev, p.HasNext = more, pa.Before != ""
		} else {
			p.HasNext, p.HasPrev = more, pa.After != ""
		}
	}
	return pages, nil
}

// windowed writes the query of the first n rows of each parent's list
// under cond, each row with its number (rn) and its parent's count of
// rows under cond (total), which tells whether more follow without
// reading one more row a parent. On SQLite the window numbers narrow rows, (parent, id, rn),
// and the wide ones are joined for the page's rows only, by id: numbering
// the wide rows sorted every column of every candidate (a person's
// history a fifth slower). PostgreSQL would rather number the wide rows:
// it joins the narrow ones back by hashing the whole table.
func (d db) windowed(q *strings.Builder, l List, cond string, reverse bool, n int) {
	order := d.orderBy(l.Order, reverse)
	if d.dialect == dialect.Postgres {
		fmt.Fprintf(q, "SELECT * FROM (SELECT %s AS parent_id, %s, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s) AS rn, COUNT(*) OVER (PARTITION BY %s) AS total FROM %s%s WHERE %s) w WHERE rn <= %d ORDER BY parent_id, rn",
			l.Parent, l.Select, l.Parent, order, l.Parent, l.From, l.Join, cond, n)
		return
	}
	id := l.Order[len(l.Order)-1].Expr
	fmt.Fprintf(q, "SELECT w.parent_id, %s, w.rn, w.total FROM %s%s JOIN (SELECT %s AS parent_id, %s AS row_id, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s) AS rn, COUNT(*) OVER (PARTITION BY %s) AS total FROM %s WHERE %s) w ON w.row_id = %s WHERE w.rn <= %d ORDER BY w.parent_id, w.rn",
		l.Select, l.From, l.Join, l.Parent, id, l.Parent, order, l.Parent, l.From, cond, id, n)
}

// scanPages reads rows of (parent, scan's columns[, rn, total]) into pages of
// at most size rows, with one buffer of scan targets for all rows; it
// stops with ctx's error once ctx is done (see db.query).
func scanPages[T any](ctx context.Context, rows *sql.Rows, numbered bool, size int, scan scanner[T]) (map[int]*Page[T], error) {
	defer rows.Close()
	pages := map[int]*Page[T]{}
	var (
		parent    int
		rn, total int64
		buf       []any
	)
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dest, get := scan()
		buf = append(append(buf[:0], &parent), dest...)
		if numbered {
			buf = append(buf, &rn, &total)
		}
		if err := rows.Scan(buf...); err != nil {
			return nil, err
		}
		_, row, key := get()
		p := pages[parent]
		if p == nil {
			p = &Page[T]{Rows: make([]T, 0, size), Keys: make([][]any, 0, size)}
			pages[parent] = p
		}
		p.Rows = append(p.Rows, row)
		p.Keys = append(p.Keys, key)
		p.total = total
	}
	return pages, rows.Err()
}

func reverseSlice[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// fetchCounts counts each parent's rows (or the single list's, under
// parent 0), ignoring paging.
func fetchCounts(ctx context.Context, d db, l List, parents []int) (map[int]int, error) {
	var q strings.Builder
	var args []any
	var conds []string
	if l.Parent != "" {
		list, pargs := in(parents)
		conds = append(conds, l.Parent+" IN "+list)
		args = append(args, pargs...)
	}
	if l.Where != "" {
		conds = append(conds, l.Where)
		args = append(args, l.Args...)
	}
	parent := "0"
	if l.Parent != "" {
		parent = l.Parent
	}
	fmt.Fprintf(&q, "SELECT %s, COUNT(*) FROM %s", parent, l.From)
	if len(conds) > 0 {
		q.WriteString(" WHERE ")
		q.WriteString(strings.Join(conds, " AND "))
	}
	if l.Parent != "" {
		q.WriteString(" GROUP BY ")
		q.WriteString(l.Parent)
	}
	rows, err := d.query(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("loader: count list: %w", err)
	}
	counts := make(map[int]int, len(parents))
	var p, c int
	err = scanAll(ctx, rows, func() ([]any, func()) {
		return []any{&p, &c}, func() { counts[p] = c }
	})
	if err != nil {
		return nil, fmt.Errorf("loader: count list: %w", err)
	}
	return counts, nil
}
