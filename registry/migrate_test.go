package registry_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"

	amigrate "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"

	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/migrate/migrations"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// entDialect maps a storetest dialect to ent's name for it.
func entDialect(d storetest.Dialect) string {
	if d == storetest.Postgres {
		return dialect.Postgres
	}
	return dialect.SQLite
}

// openRaw opens the database at dsn without migrating it.
func openRaw(t *testing.T, dsn string) *registry.Store {
	t.Helper()
	s, err := registry.Open(context.Background(), dsn, registry.Options{SkipMigrate: true, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// revisionVersions lists the versions recorded in schema_revisions, and
// fails the test if any is only partly applied.
func revisionVersions(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query("SELECT version, applied, total, error FROM " + registry.RevisionTable + " ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var versions []string
	for rows.Next() {
		var (
			v              string
			applied, total int
			msg            string
		)
		if err := rows.Scan(&v, &applied, &total, &msg); err != nil {
			t.Fatal(err)
		}
		if applied != total || msg != "" {
			t.Errorf("revision %s: applied %d of %d statements, error %q", v, applied, total, msg)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return versions
}

// fileVersions lists the versions of the files of dir.
func fileVersions(t *testing.T, dir amigrate.Dir) []string {
	t.Helper()
	files, err := dir.Files()
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, f := range files {
		versions = append(versions, f.Version())
	}
	return versions
}

func embeddedDir(t *testing.T, d storetest.Dialect) amigrate.Dir {
	t.Helper()
	dir, err := migrations.Dir(entDialect(d))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMigrationsMatchEntSchema(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		var dev *sql.DB
		if d == storetest.SQLite {
			var err error
			if dev, err = sql.Open("sqlite3", "file:drift?mode=memory&_fk=1"); err != nil {
				t.Fatal(err)
			}
			dev.SetMaxOpenConns(1) // one connection, one in-memory database
			t.Cleanup(func() { dev.Close() })
		} else {
			dev = openRaw(t, storetest.NewDatabase(t, d)).DB
		}
		dir := embeddedDir(t, d)
		before, err := dir.Files()
		if err != nil {
			t.Fatal(err)
		}
		switch err := migrations.Diff(ctx, dev, entDialect(d), dir, "drift", ""); {
		case errors.Is(err, amigrate.ErrNoPlan):
			// The files build exactly the ent schema.
		case err != nil:
			t.Fatal(err)
		default:
			after, _ := dir.Files()
			var b strings.Builder
			for _, f := range after[len(before):] {
				b.Write(f.Bytes())
			}
			t.Errorf("the ent schema and ent/migrate/migrations/ disagree; run `go generate ./ent` and "+
				"`go run ./ent/migrate/gen NAME` to write a migration like this:\n%s", b.String())
		}
	})
}

func TestMigrateAppliesEachFileOnce(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := openRaw(t, storetest.NewDatabase(t, d))
		if err := registry.Migrate(ctx, s.DB, s.Dialect); err != nil {
			t.Fatal(err)
		}
		want := fileVersions(t, embeddedDir(t, d))
		got := revisionVersions(t, s.DB)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("revisions %v, want one per file %v", got, want)
		}
		var stamp string
		q := "SELECT max(executed_at) FROM " + registry.RevisionTable
		if err := s.DB.QueryRow(q).Scan(&stamp); err != nil {
			t.Fatal(err)
		}
		// A second start finds nothing to do and records nothing.
		if err := registry.Migrate(ctx, s.DB, s.Dialect); err != nil {
			t.Fatalf("second migration: %v", err)
		}
		var again string
		if err := s.DB.QueryRow(q).Scan(&again); err != nil {
			t.Fatal(err)
		}
		if got2 := revisionVersions(t, s.DB); strings.Join(got2, " ") != strings.Join(want, " ") || again != stamp {
			t.Errorf("second migration changed the revisions: %v at %s, want %v at %s", got2, again, want, stamp)
		}
		// The schema is usable through ent.
		if _, err := s.Client.Institution.Create().SetName("A hospital").SetKind(institution.KindHOSPITAL).Save(ctx); err != nil {
			t.Errorf("insert after migration: %v", err)
		}
	})
}

func TestMigrateConcurrentStarts(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		dsn := storetest.NewDatabase(t, d)
		// Create the database first: what is under test is migrating it,
		// not two processes creating one SQLite file at once.
		if err := openRaw(t, dsn).Close(); err != nil {
			t.Fatal(err)
		}
		const n = 4
		var (
			wg   sync.WaitGroup
			errs = make([]error, n)
		)
		for i := range n {
			wg.Go(func() {
				s, err := registry.Open(context.Background(), dsn, registry.Options{MaxOpenConns: 2})
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("start %d: %v", i, err)
			}
		}
		s := openRaw(t, dsn)
		want := fileVersions(t, embeddedDir(t, d))
		if got := revisionVersions(t, s.DB); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("revisions %v, want one per file %v", got, want)
		}
	})
}

func TestMigrateRefusesForeignDatabase(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := openRaw(t, storetest.NewDatabase(t, d))
		if _, err := s.DB.Exec("CREATE TABLE legacy (id integer PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		err := registry.Migrate(context.Background(), s.DB, s.Dialect)
		if err == nil || !strings.Contains(err.Error(), "not created by these migrations") {
			t.Errorf("Migrate over a foreign table: %v, want a refusal", err)
		}
	})
}

// withFile returns the embedded directory of d plus one more file.
func withFile(t *testing.T, d storetest.Dialect, name, body string) amigrate.Dir {
	t.Helper()
	dir := embeddedDir(t, d)
	if err := dir.WriteFile(name, []byte(body)); err != nil {
		t.Fatal(err)
	}
	sum, err := dir.Checksum()
	if err != nil {
		t.Fatal(err)
	}
	if err := amigrate.WriteSumFile(dir, sum); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMigrateRollsBackFailingFile(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := openRaw(t, storetest.NewDatabase(t, d))
		const name = "29991231000000_more.sql"
		bad := withFile(t, d, name, "CREATE TABLE half (id integer);\nINSERT INTO nowhere VALUES (1);\n")
		err := registry.MigrateDir(ctx, s.DB, s.Dialect, bad)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("Migrate with a failing file: %v, want an error naming %s", err, name)
		}
		// The files before it stay applied; nothing of it remains.
		want := fileVersions(t, embeddedDir(t, d))
		if got := revisionVersions(t, s.DB); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("revisions %v, want %v", got, want)
		}
		if _, err := s.DB.Exec("SELECT count(*) FROM half"); err == nil {
			t.Error("table half of the failed file exists")
		}
		// Fixed, it applies on the next start.
		good := withFile(t, d, name, "CREATE TABLE half (id integer);\nINSERT INTO half VALUES (1);\n")
		if err := registry.MigrateDir(ctx, s.DB, s.Dialect, good); err != nil {
			t.Fatalf("Migrate with the fixed file: %v", err)
		}
		if got := revisionVersions(t, s.DB); len(got) != len(want)+1 || got[len(got)-1] != "29991231000000" {
			t.Errorf("revisions %v, want %v and 29991231000000", got, want)
		}
	})
}

func TestMigrateAppliesFileWithoutStatements(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := openRaw(t, storetest.NewDatabase(t, d))
		dir := withFile(t, d, "29991231000000_nothing.sql", "-- No changes in this dialect.\n")
		if err := registry.MigrateDir(context.Background(), s.DB, s.Dialect, dir); err != nil {
			t.Fatal(err)
		}
		if got := revisionVersions(t, s.DB); got[len(got)-1] != "29991231000000" {
			t.Errorf("revisions %v, want the empty file's last", got)
		}
	})
}

// TestMigrateRebuildsReferencedSQLiteTable applies the kind of file Atlas
// writes to change an SQLite table: foreign keys off, copy the table,
// drop the old one, rename, foreign keys on. Rows referencing the table
// survive.
func TestMigrateRebuildsReferencedSQLiteTable(t *testing.T) {
	ctx := context.Background()
	// One connection, so the foreign_keys pragma read below is the one the
	// migration ran on.
	s := storetest.Open(t, storetest.StoreOptions(registry.Options{MaxOpenConns: 1}))
	inst, err := s.Client.Institution.Create().SetName("A hospital").SetKind(institution.KindHOSPITAL).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client.Person.Create().SetName("A doctor").SetInstitutionID(inst.ID).Save(ctx); err != nil {
		t.Fatal(err)
	}
	dir := withFile(t, storetest.SQLite, "29991231000000_rebuild.sql", "PRAGMA foreign_keys = off;\n"+
		"CREATE TABLE `new_institutions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, "+
		"`updated_at` datetime NOT NULL, `name` text NOT NULL, `kind` text NOT NULL, `note` text NOT NULL DEFAULT (''));\n"+
		"INSERT INTO `new_institutions` (`id`, `created_at`, `updated_at`, `name`, `kind`) "+
		"SELECT `id`, `created_at`, `updated_at`, `name`, `kind` FROM `institutions`;\n"+
		"DROP TABLE `institutions`;\n"+
		"ALTER TABLE `new_institutions` RENAME TO `institutions`;\n"+
		"CREATE INDEX `institution_name` ON `institutions` (`name`);\n"+
		"CREATE INDEX `institution_kind` ON `institutions` (`kind`);\n"+
		"PRAGMA foreign_keys = on;\n")
	if err := registry.MigrateDir(ctx, s.DB, s.Dialect, dir); err != nil {
		t.Fatal(err)
	}
	n, err := s.Client.Person.Query().QueryInstitution().Count(ctx)
	if err != nil || n != 1 {
		t.Errorf("people's institutions after the rebuild: %d, %v; want 1", n, err)
	}
	var fk bool
	if err := s.DB.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || !fk {
		t.Errorf("foreign keys after migrating: %v, %v; want on", fk, err)
	}
}

func TestMigrationDirsAreSummedAndInStep(t *testing.T) {
	var names [2][]string
	for i, d := range []storetest.Dialect{storetest.SQLite, storetest.Postgres} {
		dir := embeddedDir(t, d)
		if err := amigrate.Validate(dir); err != nil {
			t.Errorf("%s migrations do not match their atlas.sum (edited by hand? regenerate instead): %v", d, err)
		}
		files, err := dir.Files()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			names[i] = append(names[i], f.Name())
		}
	}
	if strings.Join(names[0], " ") != strings.Join(names[1], " ") {
		t.Errorf("sqlite and postgres migrations differ: %v and %v; write both with `go run ./ent/migrate/gen NAME`", names[0], names[1])
	}
}
