// Command gen writes the next versioned migration of the registry's
// database, for SQLite and PostgreSQL, from the ent schema:
//
//	go run ./ent/migrate/gen NAME
//
// run from the module root after changing ent/schema and running
// `go generate ./ent`. For each dialect it replays the existing files of
// ent/migrate/migrations/<dialect> into a throw-away database, asks ent for
// the difference to the ent schema, and writes it as VERSION_NAME.sql (the
// same VERSION in both directories) with an updated atlas.sum. When only
// one dialect changes, the other gets a file without statements, so both
// directories always list the same versions.
//
// SQLite needs nothing: its dev database lives in memory. PostgreSQL needs a
// server: REGISTRY_DEV_POSTGRES names an empty database to use as is (it is
// emptied again afterwards); otherwise REGISTRY_TEST_POSTGRES names a role
// allowed to CREATE DATABASE, and a temporary database is created and
// dropped. Without either, gen refuses to write anything, so the two
// directories never fall out of step.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"

	amigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"github.com/societyregistry/registry/ent/migrate/migrations"
)

func main() {
	root := flag.String("dir", filepath.Join("ent", "migrate", "migrations"), "the migrations `directory`, holding sqlite/ and postgres/")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./ent/migrate/gen [-dir DIR] NAME\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *root, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

var validName = regexp.MustCompile(`^[a-z0-9_]+$`)

func run(ctx context.Context, root, name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("name %q: use lower-case letters, digits and underscores", name)
	}
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		sub, _ := migrations.Subdir(d)
		if _, err := os.Stat(filepath.Join(root, sub)); err != nil {
			return fmt.Errorf("%w (run gen from the module root, or pass -dir)", err)
		}
	}
	// Connect to both dev databases before writing anything.
	sqliteDev, err := sql.Open("sqlite3", "file:gen-dev?mode=memory&_fk=1")
	if err != nil {
		return err
	}
	defer sqliteDev.Close()
	sqliteDev.SetMaxOpenConns(1) // one connection, one in-memory database
	pgDev, drop, err := postgresDev(ctx)
	if err != nil {
		return err
	}
	defer drop()

	version := amigrate.NewVersion()
	file := version + "_" + name + ".sql"
	var unchanged []*amigrate.LocalDir
	for _, dev := range []struct {
		dialect string
		db      *sql.DB
	}{{dialect.SQLite, sqliteDev}, {dialect.Postgres, pgDev}} {
		sub, _ := migrations.Subdir(dev.dialect)
		dir, err := amigrate.NewLocalDir(filepath.Join(root, sub))
		if err != nil {
			return err
		}
		switch err := migrations.Diff(ctx, dev.db, dev.dialect, dir, name, version); {
		case errors.Is(err, amigrate.ErrNoPlan):
			unchanged = append(unchanged, dir)
		case err != nil:
			return err
		default:
			fmt.Printf("wrote %s\n", filepath.Join(dir.Path(), file))
		}
	}
	switch len(unchanged) {
	case 2:
		fmt.Println("no changes: the migrations already match the ent schema")
	case 1:
		// Keep both directories listing the same versions, so a deployment
		// on either database is at the same schema version.
		dir := unchanged[0]
		body := "-- No changes in this dialect; the file keeps both directories in step.\n"
		if err := dir.WriteFile(file, []byte(body)); err != nil {
			return err
		}
		sum, err := dir.Checksum()
		if err != nil {
			return err
		}
		if err := amigrate.WriteSumFile(dir, sum); err != nil {
			return err
		}
		fmt.Printf("wrote %s (no changes in this dialect)\n", filepath.Join(dir.Path(), file))
	}
	return nil
}

// postgresDev opens the PostgreSQL dev database, creating a temporary one
// when only REGISTRY_TEST_POSTGRES is given; drop removes it again.
func postgresDev(ctx context.Context) (db *sql.DB, drop func(), err error) {
	if dsn := os.Getenv("REGISTRY_DEV_POSTGRES"); dsn != "" {
		db, err := openPostgres(ctx, dsn)
		return db, func() { db.Close() }, err
	}
	admin := os.Getenv("REGISTRY_TEST_POSTGRES")
	if admin == "" {
		return nil, nil, errors.New("the PostgreSQL migration needs a dev database: set REGISTRY_DEV_POSTGRES " +
			"to an empty database, or REGISTRY_TEST_POSTGRES to a role allowed to CREATE DATABASE " +
			"(postgres://user:password@127.0.0.1:5432/db)")
	}
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, nil, errors.New("REGISTRY_TEST_POSTGRES: want a postgres:// URL")
	}
	adminDB, err := openPostgres(ctx, admin)
	if err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("registry_gen_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	quoted := pgx.Identifier{name}.Sanitize()
	if _, err := adminDB.ExecContext(ctx, "CREATE DATABASE "+quoted+" TEMPLATE template0"); err != nil {
		adminDB.Close()
		return nil, nil, fmt.Errorf("create dev database: %w", err)
	}
	u.Path = "/" + name
	db, err = openPostgres(ctx, u.String())
	drop = func() {
		if db != nil {
			db.Close()
		}
		if _, err := adminDB.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+quoted+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "gen: drop dev database %s: %v\n", name, err)
		}
		adminDB.Close()
	}
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, drop, nil
}

func openPostgres(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(dsn), err)
	}
	return db, nil
}

// redact hides the password of a URL DSN.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL server"
	}
	return u.Redacted()
}
