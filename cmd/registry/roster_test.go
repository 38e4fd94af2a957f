package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/storetest"
)

func TestRosterExportImport(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		db := demo.DSN(t, d)
		s := open(t, db)
		branch := s.Client.Organization.Query().Where(organization.Name("Cardiology Branch")).OnlyX(ctx)
		active := s.Client.Term.Query().Where(term.OrganizationID(branch.ID), term.StatusEQ(term.StatusACTIVE)).OnlyX(ctx)
		id := strconv.Itoa(active.ID)

		file := filepath.Join(t.TempDir(), "roster.csv")
		if _, _, err := runArgs(t, "export", "roster", "-db", db, "-term", id, "-o", file); err != nil {
			t.Fatal(describe(err))
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), bom+"post,name,member_number,") {
			t.Fatalf("export starts %q: want a byte-order mark and the header", data[:min(40, len(data))])
		}
		rows := strings.Count(string(data), "\n") - 1
		events := s.Client.AuditEvent.Query().CountX(ctx)
		out, _, err := runArgs(t, "import", "roster", "-db", db, "-today", "2026-11-23", "-term", id, file)
		if err != nil {
			t.Fatal(describe(err))
		}
		want := "0 appointments created, 0 appointments updated, " + strconv.Itoa(rows) + " appointments unchanged; 0 appointments not in the file left as they were\n"
		if out != want {
			t.Fatalf("import of what was exported: %q, want %q", out, want)
		}
		if n := s.Client.AuditEvent.Query().CountX(ctx); n != events {
			t.Fatalf("an import that changes nothing wrote %d audit events", n-events)
		}

		bad := filepath.Join(t.TempDir(), "bad.csv")
		os.WriteFile(bad, []byte("post,member_number,starts_on,obtained_by\nChair,M999999,2026-11-23,ELECTED\nNope,M000001,2026-99-01,ELECTED\n"), 0o644)
		_, _, err = runArgs(t, "import", "roster", "-db", db, "-term", id, bad)
		msg := describe(err)
		if err == nil || !strings.Contains(msg, "2 rows are wrong (3 faults), nothing was imported") || !strings.Contains(msg, "\n  line 2: member_number:") || strings.Count(msg, "\n  ") != 3 {
			t.Fatalf("import of a bad file: %q", msg)
		}
		if _, _, err := runArgs(t, "export", "roster", "-db", db, "-term", "nope"); err == nil || !strings.Contains(describe(err), "field term") {
			t.Fatalf("export with a bad -term: %v", err)
		}
	})
}
