package main

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

var tokenLine = regexp.MustCompile(`^reg_[A-Za-z0-9_-]{43}\n$`)

// branchID is the id of the demo organization called name.
func branchID(t *testing.T, s *registry.Store, name string) int {
	t.Helper()
	id, err := s.Client.Organization.Query().Where(organization.Name(name)).OnlyID(context.Background())
	if err != nil {
		t.Fatalf("organization %q: %v", name, err)
	}
	return id
}

func TestTokenCreateListRevoke(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		db := demo.DSN(t, d)
		s := open(t, db)
		cardiology, oncology := branchID(t, s, "Cardiology Branch"), branchID(t, s, "Oncology Branch")

		// A branch secretary of two branches, one named by number and
		// one by global ID.
		out, errs, err := runArgs(t, "token", "create", "-db", db, "--account", "wang.li", "--role", "branch_secretary",
			"--scope", strconv.Itoa(cardiology), "--scope", graph.GlobalID("Organization", oncology), "--label", "roster work")
		if err != nil {
			t.Fatalf("token create: %s (%s)", describe(err), errs)
		}
		if !tokenLine.MatchString(out) {
			t.Fatalf("stdout = %q, want the token alone on one line", out)
		}
		secret := strings.TrimSpace(out)
		for _, want := range []string{`new account "wang.li"`, "BRANCH_SECRETARY", "Cardiology Branch (" + strconv.Itoa(cardiology) + ")",
			"Oncology Branch", secret[:10], "shown only this once"} {
			if !strings.Contains(errs, want) {
				t.Errorf("stderr %q lacks %q", errs, want)
			}
		}
		if strings.Contains(errs, secret) {
			t.Errorf("stderr repeats the whole token: %q", errs)
		}
		v, err := authenticate(t, s, secret)
		if err != nil {
			t.Fatalf("the new token does not authenticate: %v", err)
		}
		if want := []int{cardiology, oncology}; v.Name != "wang.li" || v.Role != registry.RoleBranchSecretary || !slices.Equal(sorted(v.Scopes), sorted(want)) {
			t.Errorf("viewer %v with scopes %v, want wang.li, BRANCH_SECRETARY, %v", v, v.Scopes, want)
		}

		// Two tokens of a reader.
		var readerTokens []string
		for range 2 {
			out, _, err := runArgs(t, "token", "create", "-db", db, "-account", "auditor", "-role", "READER")
			if err != nil {
				t.Fatalf("token create reader: %s", describe(err))
			}
			readerTokens = append(readerTokens, strings.TrimSpace(out))
		}

		out, _, err = runArgs(t, "token", "list", "-db", db)
		if err != nil {
			t.Fatalf("token list: %s", describe(err))
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 || !strings.HasPrefix(lines[0], "ACCOUNT") {
			t.Fatalf("token list:\n%s\nwant a header and three tokens", out)
		}
		wantFields := [][]string{
			{"auditor", "READER", "-", readerTokens[0][:10], "-"},
			{"auditor", "READER", "-", readerTokens[1][:10], "-"},
			{"wang.li", "BRANCH_SECRETARY", "Cardiology Branch (" + strconv.Itoa(cardiology) + "); Oncology Branch (" + strconv.Itoa(oncology) + ")", secret[:10], "roster work"},
		}
		if cardiology > oncology {
			wantFields[2][2] = "Oncology Branch (" + strconv.Itoa(oncology) + "); Cardiology Branch (" + strconv.Itoa(cardiology) + ")"
		}
		for i, want := range wantFields {
			line := lines[i+1]
			for _, f := range want {
				if !strings.Contains(line, f) {
					t.Errorf("line %q lacks %q", line, f)
				}
			}
			if !strings.HasSuffix(line, " -") {
				t.Errorf("line %q: a live token shows a revocation time", line)
			}
		}

		// Revoke one token by its hint, then the other account's by name.
		out, _, err = runArgs(t, "token", "revoke", "-db", db, "-token", secret[:10])
		if err != nil || !strings.HasPrefix(out, "revoked 1 token;") {
			t.Fatalf("token revoke by hint: %q, %v", out, err)
		}
		if _, err := authenticate(t, s, secret); registry.KindOf(err) != registry.Unauthenticated {
			t.Errorf("a revoked token authenticates: %v", err)
		}
		out, _, err = runArgs(t, "token", "revoke", "-db", db, "-account", "auditor")
		if err != nil || !strings.HasPrefix(out, "revoked 2 tokens;") {
			t.Fatalf("token revoke by account: %q, %v", out, err)
		}
		for _, tok := range readerTokens {
			if _, err := authenticate(t, s, tok); registry.KindOf(err) != registry.Unauthenticated {
				t.Errorf("a revoked token authenticates: %v", err)
			}
		}
		out, _, err = runArgs(t, "token", "list", "-db", db, "-account", "wang.li")
		if err != nil {
			t.Fatal(err)
		}
		lines = strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || strings.HasSuffix(lines[1], " -") || !regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`).MatchString(lines[1]) {
			t.Errorf("token list -account wang.li after revoking:\n%s\nwant one token with its revocation time", out)
		}
		_, _, err = runArgs(t, "token", "revoke", "-db", db, "-account", "auditor")
		if got := describe(err); registry.KindOf(err) != registry.NotFound || !strings.Contains(got, "(NOT_FOUND, field token)") {
			t.Errorf("revoking nothing: %q", got)
		}
	})
}

func sorted(ids []int) []int {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

func TestTokenCreateRefusesBadInput(t *testing.T) {
	db := demo.DSN(t, storetest.SQLite)
	person := graph.GlobalID("Person", 1)
	tests := []struct {
		name string
		args []string
		want string // in describe(err)
	}{
		{"no account", []string{"-role", "READER"}, "(BAD_USER_INPUT, field account)"},
		{"no role", []string{"-account", "x"}, "(BAD_USER_INPUT, field role)"},
		{"unknown role", []string{"-account", "x", "-role", "OWNER"}, "(BAD_USER_INPUT, field role)"},
		{"secretary without scope", []string{"-account", "x", "-role", "BRANCH_SECRETARY"}, "at least one organization in scope (BAD_USER_INPUT, field scope)"},
		{"reader with a scope", []string{"-account", "x", "-role", "READER", "-scope", "1"}, "(BAD_USER_INPUT, field scope)"},
		{"scope of no organization", []string{"-account", "x", "-role", "BRANCH_SECRETARY", "-scope", "999999"}, "(NOT_FOUND, field scope)"},
		{"scope naming a person", []string{"-account", "x", "-role", "BRANCH_SECRETARY", "-scope", person}, "(BAD_USER_INPUT, field scope)"},
		{"scope not an id", []string{"-account", "x", "-role", "BRANCH_SECRETARY", "-scope", "Cardiology"}, `-scope "Cardiology"`},
		{"bad account name", []string{"-account", "no spaces please", "-role", "READER"}, "field account"},
		{"stray argument", []string{"-account", "x", "-role", "READER", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runArgs(t, append([]string{"token", "create", "-db", db}, tt.args...)...)
			if err == nil {
				t.Fatalf("token create %v succeeded: %q", tt.args, out)
			}
			if got := describe(err); !strings.Contains(got, tt.want) {
				t.Errorf("error %q, want it to contain %q", got, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
	s := open(t, db)
	if n, err := s.Client.Token.Query().Count(context.Background()); err != nil || n != 0 {
		t.Errorf("%d tokens after refused requests (%v), want none", n, err)
	}
}
