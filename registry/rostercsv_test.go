package registry_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/predicate"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

var csvDemo = storetest.Prepare("csv_demo", func(ctx context.Context, s *registry.Store) error {
	return seed.Demo(ctx, s.Client, s.Dialect)
})

// rosterFixture is the demo society with the Cardiology Branch's active
// term, and a new active member with a Chinese name.
type rosterFixture struct {
	s      *registry.Store
	branch *ent.Organization
	term   *ent.Term
	newbie *ent.Person
	number string
}

func openRoster(t *testing.T, d storetest.Dialect) *rosterFixture {
	ctx := context.Background()
	s := csvDemo.Open(t, d)
	s.Clock = registry.FixedClock(seed.DemoToday())
	f := &rosterFixture{s: s}
	f.branch = s.Client.Organization.Query().Where(organization.Name("Cardiology Branch")).OnlyX(ctx)
	f.term = s.Client.Term.Query().Where(term.OrganizationID(f.branch.ID), term.StatusEQ(term.StatusACTIVE)).OnlyX(ctx)
	f.newbie = s.Client.Person.Create().SetName("欧阳明华").SaveX(ctx)
	f.number = "M900001"
	s.Client.Membership.Create().SetMemberNumber(f.number).SetKind(membership.KindINDIVIDUAL).
		SetStatus(membership.StatusACTIVE).SetJoinedOn(registry.Day(2020, 1, 1)).SetPersonID(f.newbie.ID).ExecX(ctx)
	return f
}

func (f *rosterFixture) counts(t *testing.T) (apps, events int) {
	ctx := context.Background()
	return f.s.Client.Appointment.Query().CountX(ctx), f.s.Client.AuditEvent.Query().CountX(ctx)
}

func TestRosterExportImportRoundTrip(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		f := openRoster(t, d)
		admin := registry.System("test")
		out, err := f.s.ExportRoster(ctx, admin, f.term.ID)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		held := f.s.Client.Appointment.Query().Where(appointmentOfTerm(f.term.ID)).CountX(ctx)
		if lines[0] != "post,name,member_number,person_id,starts_on,ends_on,obtained_by,end_reason" || len(lines) != held+1 || held == 0 {
			t.Fatalf("export: header %q and %d rows; want the header and %d rows", lines[0], len(lines)-1, held)
		}
		if !strings.HasPrefix(lines[1], "Chair,") {
			t.Fatalf("first row %q: want the chair first (post rank)", lines[1])
		}
		apps, events := f.counts(t)
		// Imported again, with a byte-order mark as spreadsheets write it:
		// nothing changes.
		rep, err := f.s.ImportRoster(ctx, admin, f.term.ID, append([]byte("\xEF\xBB\xBF"), out...))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != held || rep.Untouched != 0 {
			t.Fatalf("re-import: %+v; want all %d unchanged", rep, held)
		}
		if a, e := f.counts(t); a != apps || e != events {
			t.Fatalf("re-import wrote: appointments %d→%d, audit events %d→%d", apps, a, events, e)
		}
		again, _ := f.s.ExportRoster(ctx, admin, f.term.ID)
		if !bytes.Equal(again, out) {
			t.Fatal("a second export differs from the first")
		}

		// A changed row updates (a member resigns: updates go first), a
		// new row appoints to the seat it frees; the Chinese name is
		// checked against the person.
		extra := "Member,欧阳明华," + f.number + ",," + "2026-11-23,,APPOINTED,\n"
		rep, err = f.s.ImportRoster(ctx, admin, f.term.ID, append(endLastMember(t, out), []byte(extra)...))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 1 || rep.Updated != 1 || rep.Unchanged != held-1 {
			t.Fatalf("import with one new row and one changed: %+v", rep)
		}
		if a, e := f.counts(t); a != apps+1 || e != events+2 {
			t.Fatalf("one new appointment and two audit events expected: appointments %d→%d, events %d→%d", apps, a, events, e)
		}
		if n, brk, err := f.s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("verify after import: %d %v %v", n, brk, err)
		}
	})
}

func TestRosterImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		f := openRoster(t, d)
		admin := registry.System("test")
		file := strings.Join([]string{
			"post,name,member_number,starts_on,obtained_by",      // line 1
			"Member,欧阳明华," + f.number + ",2026-11-23,APPOINTED",  // 2: good
			"Member,Nobody,M999999,2026-11-23,APPOINTED",         // 3: no such member
			"Member,欧阳明华," + f.number + ",2026-13-01,APPOINTED",  // 4: bad date
			"Treasurer,欧阳明华," + f.number + ",2026-11-23,ELECTED", // 5: no such post
			"",
		}, "\n")
		apps, events := f.counts(t)
		_, err := f.s.ImportRoster(ctx, admin, f.term.ID, []byte(file))
		e := registry.Wrap(err)
		if e.Kind != registry.Invalid || len(e.Problems) != 3 {
			t.Fatalf("import: %v (%d problems %+v); want BAD_USER_INPUT with 3 problems", err, len(e.Problems), e.Problems)
		}
		want := []struct {
			line        int
			field, rule string
		}{{3, "member_number", "exists"}, {4, "starts_on", "date"}, {5, "post", "exists"}}
		for i, w := range want {
			p := e.Problems[i]
			if p.Line != w.line || p.Field != w.field || p.Rule != w.rule || p.Message == "" {
				t.Errorf("problem %d: %+v; want line %d, field %s, rule %s", i, p, w.line, w.field, w.rule)
			}
		}
		if a, ev := f.counts(t); a != apps || ev != events {
			t.Fatalf("a refused import wrote: appointments %d→%d, events %d→%d", apps, a, events, ev)
		}
	})
}

// Rows that pass their shape but break the society's rules are found in
// the transaction; all are reported and the transaction rolls back.
func TestRosterImportRuleViolationsRollBack(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		f := openRoster(t, d)
		admin := registry.System("test")
		lapsed := f.s.Client.Membership.Query().Where(membership.StatusEQ(membership.StatusLAPSED), membership.PersonIDNotNil()).FirstX(ctx)
		lapsedName := f.s.Client.Person.GetX(ctx, *lapsed.PersonID).Name
		out, err := f.s.ExportRoster(ctx, admin, f.term.ID)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(endLastMember(t, out))), "\n")
		n := len(lines) // the last line ends a member's appointment: good
		file := strings.Join(lines, "\n") + "\n" +
			"Member,欧阳明华," + f.number + ",,2026-11-23,,APPOINTED,\n" + // good: takes the freed seat
			"Chair,欧阳明华," + f.number + ",,2026-11-23,,ELECTED,\n" + // the chair's one seat is held
			"Member," + lapsedName + "," + lapsed.MemberNumber + ",,2026-11-23,,APPOINTED,\n" // not an active member
		apps, events := f.counts(t)
		_, err = f.s.ImportRoster(ctx, admin, f.term.ID, []byte(file))
		e := registry.Wrap(err)
		if len(e.Problems) != 2 || e.Problems[0].Line != n+2 || e.Problems[0].Rule != "seats" ||
			e.Problems[1].Line != n+3 || e.Problems[1].Rule != "activeMember" {
			t.Fatalf("import: %v %+v; want seats at line %d and activeMember at line %d", err, e.Problems, n+2, n+3)
		}
		if a, ev := f.counts(t); a != apps || ev != events {
			t.Fatalf("a rolled-back import wrote: appointments %d→%d, events %d→%d", apps, a, events, ev)
		}
	})
}

func TestRosterCSVAccess(t *testing.T) {
	ctx := context.Background()
	f := openRoster(t, storetest.SQLite)
	root := registry.System("test")
	onco := f.s.Client.Organization.Query().Where(organization.Name("Oncology Branch")).OnlyX(ctx)
	for _, a := range []registry.TokenRequest{
		{Account: "cardio", Role: registry.RoleBranchSecretary, Scopes: []int{f.branch.ID}},
		{Account: "onco", Role: registry.RoleBranchSecretary, Scopes: []int{onco.ID}},
		{Account: "reader", Role: registry.RoleReader},
	} {
		if _, err := f.s.CreateToken(ctx, root, a); err != nil {
			t.Fatal(err)
		}
	}
	viewer := func(name string) *registry.Viewer {
		v, err := f.s.ViewerOf(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	out, err := f.s.ExportRoster(ctx, viewer("cardio"), f.term.ID)
	if err != nil {
		t.Fatalf("the branch's own secretary exporting: %v", err)
	}
	if _, err := f.s.ImportRoster(ctx, viewer("cardio"), f.term.ID, out); err != nil {
		t.Fatalf("the branch's own secretary importing: %v", err)
	}
	if _, err := f.s.ExportRoster(ctx, viewer("reader"), f.term.ID); err != nil {
		t.Fatalf("a reader exporting: %v", err)
	}
	for _, c := range []struct {
		who    string
		export bool
	}{{"onco", true}, {"onco", false}, {"reader", false}} {
		var err error
		if c.export {
			_, err = f.s.ExportRoster(ctx, viewer(c.who), f.term.ID)
		} else {
			_, err = f.s.ImportRoster(ctx, viewer(c.who), f.term.ID, out)
		}
		if registry.KindOf(err) != registry.Forbidden {
			t.Errorf("%s export=%v: %v, want FORBIDDEN", c.who, c.export, err)
		}
	}
	// A scoped account cannot tell a missing term from a forbidden one.
	if _, err := f.s.ExportRoster(ctx, viewer("onco"), 999999); registry.KindOf(err) != registry.Forbidden {
		t.Errorf("onco exporting a missing term: %v, want FORBIDDEN", err)
	}
	if _, err := f.s.ExportRoster(ctx, nil, f.term.ID); registry.KindOf(err) != registry.Unauthenticated {
		t.Errorf("anonymous export: %v, want UNAUTHENTICATED", err)
	}
	ended := f.s.Client.Term.Query().Where(term.OrganizationID(f.branch.ID), term.StatusEQ(term.StatusENDED)).FirstX(ctx)
	_, err = f.s.ImportRoster(ctx, root, ended.ID, out)
	if e := registry.Wrap(err); e.Kind != registry.RuleViolation || e.Rule != "termEnded" {
		t.Errorf("import into an ended term: %v, want RULE_VIOLATION termEnded", err)
	}
}

func appointmentOfTerm(id int) predicate.Appointment { return appointment.TermID(id) }

// endLastMember returns a roster file with the last open Member row ended
// on the demo's today, as a resignation.
func endLastMember(t *testing.T, file []byte) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(file), "\n"), "\n")
	for i := len(lines) - 1; i > 0; i-- {
		f := strings.Split(lines[i], ",")
		if f[0] == "Member" && f[5] == "" {
			f[5], f[7] = "2026-11-23", "RESIGNED"
			lines[i] = strings.Join(f, ",")
			return []byte(strings.Join(lines, "\n") + "\n")
		}
	}
	t.Fatal("no open Member row to end")
	return nil
}

// What spreadsheets and hands write: a stray quote, an empty header cell
// past the last column, a quote inside a name. Every bad row is still
// reported, each at its own line.
func TestRosterImportMessyFile(t *testing.T) {
	ctx := context.Background()
	f := openRoster(t, storetest.SQLite)
	admin := registry.System("test")
	file := strings.Join([]string{
		"post,name,member_number,starts_on,obtained_by,",      // 1: trailing empty cell
		"Member,欧阳明华," + f.number + ",2026-13-01,APPOINTED,",  // 2: bad date
		`Mem"ber,欧阳明华,` + f.number + ",2026-11-23,APPOINTED,", // 3: stray quote: no such post
		"Member,欧阳明华," + f.number + ",2026-11-23,BOGUS,",      // 4: bad obtained_by
		"Treasurer,欧阳明华," + f.number + ",2026-11-23,ELECTED,", // 5: no such post
		`"Member,欧阳明华,` + f.number + ",2026-11-23,ELECTED",    // 6: a quote never closed
	}, "\n")
	_, err := f.s.ImportRoster(ctx, admin, f.term.ID, []byte(file))
	e := registry.Wrap(err)
	var lines []int
	for _, p := range e.Problems {
		if len(lines) == 0 || lines[len(lines)-1] != p.Line {
			lines = append(lines, p.Line)
		}
	}
	if e.Kind != registry.Invalid || fmt.Sprint(lines) != "[2 3 4 5 6]" {
		t.Fatalf("import: %v; problems at lines %v, want 2 to 6: %+v", err, lines, e.Problems)
	}
	// A quote inside a name is read as part of it.
	f.s.Client.Person.UpdateOne(f.newbie).SetName(`王"小"明`).ExecX(ctx)
	out, _ := f.s.ExportRoster(ctx, admin, f.term.ID)
	file = string(endLastMember(t, out)) + `Member,王"小"明,` + f.number + ",,2026-11-23,,APPOINTED,\n"
	if rep, err := f.s.ImportRoster(ctx, admin, f.term.ID, []byte(file)); err != nil || rep.Created != 1 {
		t.Fatalf("a name with quotes: %+v, %v", rep, err)
	}
}
