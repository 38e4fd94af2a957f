package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/ballot"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// councilByElection holds, in the demo database at dsn, an election of
// one council member at a meeting of the current council: two
// candidates, 20 paper ballots, counted. It returns the election's id.
func councilByElection(t *testing.T, s *registry.Store) int {
	t.Helper()
	ctx, v := context.Background(), registry.System("test")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(describe(err))
		}
	}
	council := s.Client.Term.Query().Where(term.StatusEQ(term.StatusACTIVE),
		term.HasOrganizationWith(organization.KindEQ(organization.KindCOUNCIL))).OnlyX(ctx)
	m, err := s.CreateMeeting(ctx, v, registry.MeetingInput{TermID: council.ID, Title: "By-election", HeldOn: registry.Day(2026, 11, 23)})
	must(err)
	seat := s.Client.Post.Query().Where(post.OrganizationID(council.OrganizationID), post.Title("Council Member")).OnlyIDX(ctx)
	e, err := s.CreateElection(ctx, v, registry.ElectionInput{TermID: council.ID, MeetingID: m.ID, Title: "By-election",
		Posts: []registry.ElectionPostInput{{PostID: seat, Seats: 1}}})
	must(err)
	people := s.Client.Person.Query().Where(person.HasMembershipWith(membership.StatusEQ(membership.StatusACTIVE))).
		Order(ent.Asc(person.FieldID)).Limit(3).IDsX(ctx)
	_, err = s.CreateToken(ctx, v, registry.TokenRequest{Account: "teller", Role: registry.RoleReader})
	must(err)
	_, err = s.GrantTeller(ctx, v, registry.TellerInput{ElectionID: e.ID, Account: "teller", PersonID: people[0], Chief: true})
	must(err)
	var cands []int
	for _, p := range people[1:] {
		c, err := s.NominateCandidate(ctx, v, registry.NominateInput{ElectionID: e.ID, PostID: seat, PersonID: p,
			NominatedBy: "the standing council", NominatedOn: registry.Day(2026, 11, 23)})
		must(err)
		cands = append(cands, c.ID)
	}
	teller, err := s.ViewerOf(ctx, "teller")
	must(err)
	r, err := s.OpenRound(ctx, teller, registry.RoundInput{ElectionID: e.ID, PostID: seat})
	must(err)
	_, err = s.RecordIssued(ctx, teller, registry.IssuedInput{RoundID: r.ID, Issued: 20})
	must(err)
	in := registry.EntryInput{RoundID: r.ID}
	for i := range 20 {
		in.Ballots = append(in.Ballots, registry.BallotInput{Serial: fmt.Sprintf("B%03d", i+1), For: []int{cands[i%4/3]}})
	}
	_, err = s.EnterBallots(ctx, teller, in)
	must(err)
	_, err = s.CloseRound(ctx, teller, registry.CloseInput{RoundID: r.ID})
	must(err)
	return e.ID
}

func TestTallyReCountsAnElectionFromTheDatabaseAndFromItsExport(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		db := demo.DSN(t, d)
		s := open(t, db)
		id := councilByElection(t, s)
		election := fmt.Sprint(id)

		out, _, err := runArgs(t, "tally", "-election", election, "-db", db)
		if err != nil || !strings.Contains(out, "Council Member, round 1: 20 entries in the chain, head ") || !strings.HasSuffix(out, ": reproduced\n") {
			t.Fatalf("tally: %q, %v", out, err)
		}
		file := filepath.Join(t.TempDir(), "election.json")
		if _, _, err := runArgs(t, "export", "election", "-election", election, "-db", db, "-o", file); err != nil {
			t.Fatalf("export: %v", err)
		}
		// The exported record is re-counted alone: the database named
		// does not exist.
		fromFile, _, err := runArgs(t, "tally", "-file", file, "-db", filepath.Join(t.TempDir(), "none", "x.db"))
		if err != nil || fromFile != out {
			t.Fatalf("tally of the export: %q, %v; the database's: %q", fromFile, err, out)
		}

		// A ballot changed in the database is named.
		ctx := context.Background()
		b := s.Client.Ballot.Query().Where(ballot.Serial("B004")).OnlyX(ctx)
		forged := strings.Replace(b.Marks, `"for":["`, `"for":["9`, 1)
		if _, err := s.DB.ExecContext(ctx, rebind(s, "UPDATE ballots SET marks = ? WHERE id = ?"), forged, b.ID); err != nil {
			t.Fatal(err)
		}
		out, _, err = runArgs(t, "tally", "-election", election, "-db", db)
		if err == nil || exitCode(err) != 2 || !strings.Contains(out, "  ballot B004 (entry 4 in the chain): changed since it was entered") {
			t.Fatalf("tally of a changed ballot: %q, %v", out, err)
		}

		// So is one changed in the exported file.
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		serial := `"serial\":\"B011\"`
		if !strings.Contains(string(data), serial) {
			t.Fatalf("the export holds no ballot B011:\n%s", data)
		}
		changed := strings.Replace(string(data), serial, `"serial\":\"B011X\"`, 1)
		if err := os.WriteFile(file, []byte(changed), 0o644); err != nil {
			t.Fatal(err)
		}
		out, _, err = runArgs(t, "tally", "-file", file)
		if err == nil || exitCode(err) != 2 || !strings.Contains(out, "ballot B011 (entry 11 in the chain): its marks name serial B011X") {
			t.Fatalf("tally of a changed export: %q, %v", out, err)
		}
	})
}

// rebind turns ? placeholders into $n on PostgreSQL.
func rebind(s *registry.Store, q string) string {
	if s.Dialect != "postgres" {
		return q
	}
	n := 0
	var b strings.Builder
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
