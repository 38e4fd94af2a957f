// Package migrations holds the registry's versioned schema migrations, one
// directory per dialect (sqlite/, postgres/), each with its atlas.sum, and
// embeds them so the binary carries them.
//
// The files are written by `go run ./ent/migrate/gen NAME` (see that
// command), which asks ent for the difference between the ent schema and the
// schema the existing files build; they are applied by registry.Migrate with
// Atlas's migrate executor. Never edit an applied file: add a new one.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	amigrate "ariga.io/atlas/sql/migrate"
	aschema "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	entmigrate "github.com/societyregistry/registry/ent/migrate"
)

//go:embed sqlite/*.sql sqlite/atlas.sum postgres/*.sql postgres/atlas.sum
var files embed.FS

// Subdir returns the name of the directory holding the migrations of the
// ent dialect d ("sqlite3" or "postgres").
func Subdir(d string) (string, error) {
	switch d {
	case dialect.SQLite:
		return "sqlite", nil
	case dialect.Postgres:
		return "postgres", nil
	}
	return "", fmt.Errorf("migrations: no migrations for dialect %q", d)
}

// Dir returns the embedded migration directory of the ent dialect d
// ("sqlite3" or "postgres"), as a fresh in-memory directory.
func Dir(d string) (amigrate.Dir, error) {
	sub, err := Subdir(d)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(files, sub)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	dir := &amigrate.MemDir{}
	for _, e := range entries {
		b, err := fs.ReadFile(files, path.Join(sub, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
	}
	return dir, nil
}

// Diff writes into dir one migration file, named version_name.sql (version
// defaults to the current time, as Atlas formats it), holding the changes
// that take the schema built by dir's files to the ent schema, and updates
// dir's atlas.sum. It returns Atlas's [amigrate.ErrNoPlan] when the two
// already agree.
//
// dev is a throw-away database of the ent dialect d ("sqlite3" or
// "postgres") with no tables in its current schema: the files are replayed
// into it to learn the schema they build, and it is emptied again
// afterwards. Column and index drops are included, so removing a field from
// the ent schema produces a migration too.
func Diff(ctx context.Context, dev *sql.DB, d string, dir amigrate.Dir, name, version string) error {
	opts := []schema.MigrateOption{
		schema.WithDialect(d),
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithFormatter(formatter{version: version}),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
		schema.WithErrNoPlan(true),
	}
	if d == dialect.SQLite {
		opts = append(opts, schema.WithDiffHook(wrapChecks))
	}
	m, err := schema.NewMigrate(entsql.OpenDB(d, dev), opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if err := m.NamedDiff(ctx, name, entmigrate.Tables...); err != nil {
		if err == amigrate.ErrNoPlan {
			return err
		}
		return fmt.Errorf("migrations: diff %s: %w", d, err)
	}
	return nil
}

// formatter is Atlas's default file format with a version chosen by the
// caller, so one change gets the same version in every dialect.
type formatter struct{ version string }

func (f formatter) Format(p *amigrate.Plan) ([]amigrate.File, error) {
	if f.version != "" {
		p.Version = f.version
	}
	return amigrate.DefaultFormatter.Format(p)
}

// wrapChecks puts the expression of every CHECK constraint of the ent
// schema in parentheses unless one pair already encloses all of it. Atlas
// writes an SQLite CHECK whose expression merely starts with "(" and ends
// with ")" as is, so "(a) OR (b)" would become the invalid
// "CHECK (a) OR (b)". Atlas compares checks with and without such
// parentheses as equal, so the hook changes nothing else.
func wrapChecks(next schema.Differ) schema.Differ {
	return schema.DiffFunc(func(current, desired *aschema.Schema) ([]aschema.Change, error) {
		for _, t := range desired.Tables {
			for _, a := range t.Attrs {
				if c, ok := a.(*aschema.Check); ok && !enclosed(c.Expr) {
					c.Expr = "(" + strings.TrimSpace(c.Expr) + ")"
				}
			}
		}
		return next.Diff(current, desired)
	})
}

// enclosed reports whether one pair of parentheses encloses all of expr,
// not counting parentheses inside quotes.
func enclosed(expr string) bool {
	expr = strings.TrimSpace(expr)
	if !strings.HasPrefix(expr, "(") {
		return false
	}
	depth := 0
	var quote byte
	for i := 0; i < len(expr); i++ {
		switch ch := expr[i]; {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"' || ch == '`':
			quote = ch
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return i == len(expr)-1
			}
		}
	}
	return false
}
