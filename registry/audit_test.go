package registry_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

func TestCanonical(t *testing.T) {
	got, err := registry.Canonical(map[string]any{
		"b": 1, "a": []any{"x", nil, true}, "d": registry.Day(2026, 11, 23), "c": map[string]any{"z": int64(2), "y": "好"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":["x",null,true],"b":1,"c":{"y":"好","z":2},"d":"2026-11-23"}`
	if string(got) != want {
		t.Fatalf("canonical:\n got %s\nwant %s", got, want)
	}
	if _, err := registry.Canonical(map[string]any{"f": 1.5}); err == nil {
		t.Fatal("a float was encoded; canonical data has integers only")
	}
}

func TestTokensAndAuthentication(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		root := registry.System("test")
		assoc := s.Client.Organization.Create().SetKind(organization.KindASSOCIATION).SetName("Association").SetRules(rules.Rules{}).SaveX(ctx)
		branch := s.Client.Organization.Create().SetKind(organization.KindACADEMIC_BRANCH).SetName("Cardiology").SetRules(rules.Rules{}).SetParentID(assoc.ID).SaveX(ctx)
		sub := s.Client.Organization.Create().SetKind(organization.KindSPECIAL_COMMITTEE).SetName("Cardiology youth").SetRules(rules.Rules{}).SetParentID(branch.ID).SaveX(ctx)

		nt, err := s.CreateToken(ctx, root, registry.TokenRequest{Account: "li.na", Role: registry.RoleBranchSecretary, Scopes: []int{branch.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(nt.Secret) != len(registry.TokenPrefix)+43 || !nt.Created {
			t.Fatalf("token %q created=%v: want a 256-bit token for a new account", nt.Secret, nt.Created)
		}
		stored := s.Client.Token.GetX(ctx, nt.Token.ID)
		if stored.Hash != registry.HashToken(nt.Secret) || strings.Contains(stored.Hash, nt.Secret[4:]) {
			t.Fatalf("stored %q: want only the SHA-256", stored.Hash)
		}

		auth := registry.NewAuthenticator(s, 0)
		v, err := auth.Authenticate(ctx, nt.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if v.Name != "li.na" || v.Role != registry.RoleBranchSecretary || !v.InScope(branch.ID) || !v.InScope(sub.ID) || v.InScope(assoc.ID) {
			t.Fatalf("viewer %v: want li.na scoped to the branch and its sub-committee only", v)
		}
		if err := v.AuthorizeIn(registry.EditRoster, assoc.ID, "term"); registry.KindOf(err) != registry.Forbidden {
			t.Fatalf("editing the association's roster: %v, want FORBIDDEN", err)
		}
		if err := v.Authorize(registry.ManageAccounts); registry.KindOf(err) != registry.Forbidden {
			t.Fatalf("a branch secretary managing accounts: %v, want FORBIDDEN", err)
		}

		// A second token for the same account must not change its role.
		_, err = s.CreateToken(ctx, root, registry.TokenRequest{Account: "li.na", Role: registry.RoleAdmin})
		if registry.KindOf(err) != registry.Conflict {
			t.Fatalf("re-roling through a token: %v, want CONFLICT", err)
		}
		// Only an administrator manages accounts.
		if _, err := s.CreateToken(ctx, v, registry.TokenRequest{Account: "x", Role: registry.RoleReader}); registry.KindOf(err) != registry.Forbidden {
			t.Fatalf("branch secretary creating a token: %v, want FORBIDDEN", err)
		}

		if n, err := s.RevokeTokens(ctx, root, "li.na", ""); err != nil || n != 1 {
			t.Fatalf("revoke: %d, %v", n, err)
		}
		if _, err := auth.Authenticate(ctx, nt.Secret); registry.KindOf(err) != registry.Unauthenticated {
			t.Fatalf("revoked token: %v, want UNAUTHENTICATED", err)
		}
		if _, err := auth.Authenticate(ctx, "reg_nonsense"); registry.KindOf(err) != registry.Unauthenticated {
			t.Fatalf("unknown token: %v, want UNAUTHENTICATED", err)
		}

		// account.create, token.create, token.revoke: a whole chain.
		n, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 3 {
			t.Fatalf("verify: %d events, break %v, err %v; want 3 events and no break", n, brk, err)
		}
		actions := s.Client.AuditEvent.Query().Order(auditevent.BySeq()).Select(auditevent.FieldAction).StringsX(ctx)
		if strings.Join(actions, ",") != "account.create,token.create,token.revoke" {
			t.Fatalf("actions %v", actions)
		}
	})
}

func TestAuditChainTampering(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		root := registry.System("test")
		for _, name := range []string{"a", "b", "c", "d"} {
			if _, err := s.CreateToken(ctx, root, registry.TokenRequest{Account: name, Role: registry.RoleReader}); err != nil {
				t.Fatal(err)
			}
		}
		if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n != 8 {
			t.Fatalf("verify: %d, %v, %v; want 8 events, no break", n, brk, err)
		}
		// Edit event 5's after column, leaving body and hash: caught at 5.
		ev := s.Client.AuditEvent.Query().Where(auditevent.Seq(5)).OnlyX(ctx)
		forged := strings.Replace(*ev.After, `"READER"`, `"ADMIN"`, 1)
		if _, err := s.DB.ExecContext(ctx, rebind(s, "UPDATE audit_events SET after = ? WHERE seq = 5"), forged); err != nil {
			t.Fatal(err)
		}
		_, brk, err := s.VerifyAudit(ctx)
		if err != nil || brk == nil || brk.Seq != 5 {
			t.Fatalf("after editing event 5: break %v, err %v; want a break at 5", brk, err)
		}
		// Text that decodes to the same snapshot is still a change: a key
		// written twice, the later one winning for some readers.
		dup := strings.Replace(*ev.After, `"disabled":false`, `"disabled":true,"disabled":false`, 1)
		if dup == *ev.After {
			t.Fatalf("after %s: no disabled key to duplicate", *ev.After)
		}
		if _, err := s.DB.ExecContext(ctx, rebind(s, "UPDATE audit_events SET after = ? WHERE seq = 5"), dup); err != nil {
			t.Fatal(err)
		}
		if _, brk, _ = s.VerifyAudit(ctx); brk == nil || brk.Seq != 5 {
			t.Fatalf("after duplicating a key in event 5: break %v; want a break at 5", brk)
		}
		if _, err := s.DB.ExecContext(ctx, rebind(s, "UPDATE audit_events SET after = ? WHERE seq = 5"), forged); err != nil {
			t.Fatal(err)
		}
		// Rewrite body and hash of event 5 consistently: caught at 6,
		// which no longer follows it.
		body := strings.Replace(ev.Body, `"READER"`, `"ADMIN"`, 1)
		if _, err := s.DB.ExecContext(ctx, rebind(s, "UPDATE audit_events SET body = ?, hash = ? WHERE seq = 5"), body, hashOf(body)); err != nil {
			t.Fatal(err)
		}
		_, brk, _ = s.VerifyAudit(ctx)
		if brk == nil || brk.Seq != 6 || !strings.Contains(brk.Reason, "previous") {
			t.Fatalf("after re-hashing event 5: break %v; want event 6 not following", brk)
		}
	})
}

// A rolled-back change leaves no event, and concurrent appends still make
// one chain.
func TestAuditRollbackAndConcurrency(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		root := registry.System("test")
		boom := errors.New("boom")
		err := s.InTx(ctx, root, func(tx *entTx, rec *registry.Recorder) error {
			o := tx.Organization.Create().SetKind(organization.KindASSOCIATION).SetName("gone").SetRules(rules.Rules{}).SaveX(ctx)
			rec.Record(registry.Change{Action: "organization.create", Entity: "Organization", EntityID: o.ID, After: map[string]any{"id": o.ID}})
			return boom
		})
		if err == nil || s.Client.AuditEvent.Query().CountX(ctx) != 0 || s.Client.Organization.Query().CountX(ctx) != 0 {
			t.Fatalf("rolled back: err %v; want the error and nothing stored", err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 12)
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.CreateToken(ctx, root, registry.TokenRequest{Account: "acct" + string(rune('a'+i)), Role: registry.RoleReader})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err, errors.Unwrap(err))
			}
		}
		if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n != 24 {
			t.Fatalf("verify after concurrent appends: %d, %v, %v; want 24 events, no break", n, brk, err)
		}
	})
}

func TestTokenAccountNameRule(t *testing.T) {
	s := storetest.Open(t)
	for _, name := range []string{"", "-x", "王医生", "a b", strings.Repeat("a", 65)} {
		_, err := s.CreateToken(context.Background(), registry.System("test"), registry.TokenRequest{Account: name, Role: registry.RoleReader})
		if e := registry.Wrap(err); e.Kind != registry.Invalid || e.Field != "account" || e.Rule != "accountName" {
			t.Errorf("account %q: %v (%s %q %q), want BAD_USER_INPUT on account, rule accountName", name, err, e.Kind.Code(), e.Field, e.Rule)
		}
	}
	if _, err := s.CreateToken(context.Background(), registry.System("test"), registry.TokenRequest{Account: "li.na@hospital-3", Role: registry.RoleReader}); err != nil {
		t.Fatal(err)
	}
}
