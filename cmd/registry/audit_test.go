package main

import (
	"context"
	"strings"
	"testing"

	"github.com/societyregistry/registry/registry/storetest"
)

func TestAuditVerify(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		db := demo.DSN(t, d)
		out, _, err := runArgs(t, "audit", "verify", "-db", db)
		if err != nil || out != "0 events, chain intact\n" {
			t.Fatalf("audit verify of an empty trail: %q, %v", out, err)
		}
		// Each new account and token is an event: four events.
		for _, account := range []string{"a", "b"} {
			if _, _, err := runArgs(t, "token", "create", "-db", db, "-account", account, "-role", "READER"); err != nil {
				t.Fatal(describe(err))
			}
		}
		out, _, err = runArgs(t, "audit", "verify", "-db", db)
		if err != nil || out != "4 events, chain intact\n" {
			t.Fatalf("audit verify: %q, %v", out, err)
		}

		s := open(t, db)
		if _, err := s.DB.ExecContext(context.Background(), "UPDATE audit_events SET actor = 'cli:mallory' WHERE seq = 3"); err != nil {
			t.Fatal(err)
		}
		out, _, err = runArgs(t, "audit", "verify", "-db", db)
		if err == nil {
			t.Fatalf("audit verify of a tampered trail succeeded: %q", out)
		}
		if got, want := describe(err), "audit chain broken at event 3: its columns differ from its hashed body (the 2 events before it verified)"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
		if exitCode(err) != 2 {
			t.Errorf("exit code %d, want 2", exitCode(err))
		}
		if strings.Contains(out, "intact") {
			t.Errorf("stdout %q", out)
		}
	})
}
