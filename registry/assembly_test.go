package registry_test

import (
	"sync"
	"testing"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// assembly creates the association's assembly of seats and apportions
// it to Cardiology (6 active members), City Hospital (2) and Oncology
// (3), in that order of name.
func (w *voting) assembly(seats int) (*ent.Assembly, []*ent.Constituency) {
	w.t.Helper()
	a, err := w.s.CreateAssembly(w.ctx, w.admin, registry.AssemblyInput{TermID: w.term("Association").ID, Name: "Assembly", Seats: seats})
	if err != nil {
		w.t.Fatal(err)
	}
	hospital := w.s.Client.Institution.Query().OnlyX(w.ctx)
	cs, err := w.s.ApportionSeats(w.ctx, w.admin, registry.ApportionInput{AssemblyID: a.ID,
		Organizations: []int{w.org("Oncology").ID, w.org("Cardiology").ID}, Institutions: []int{hospital.ID}})
	if err != nil {
		w.t.Fatal(err)
	}
	return a, cs
}

func (w *voting) person(name string) int {
	return w.s.Client.Person.Query().Where(person.Name(name)).OnlyIDX(w.ctx)
}

func TestApportionmentDoesNotDependOnTheOrderGiven(t *testing.T) {
	w := newVoting(t, storetest.SQLite)
	// Neurology has Oncology's 3 active members: with 3 seats, 1 each,
	// the last seat's remainders tie and go to the name first.
	neuro := w.s.Client.Organization.Create().SetKind(organization.KindACADEMIC_BRANCH).SetName("Neurology").SetRules(rules.Rules{}).SaveX(w.ctx)
	tm := w.s.Client.Term.Create().SetOrganizationID(neuro.ID).SetOrdinal(1).SetStatus(term.StatusACTIVE).
		SetStartsOn(registry.Day(2021, 6, 1)).SetEndsOn(registry.Day(2026, 6, 1)).SaveX(w.ctx)
	po := w.s.Client.Post.Create().SetOrganizationID(neuro.ID).SetTitle("Member").SetRank(9).SetSeats(3).SaveX(w.ctx)
	for _, name := range []string{"V040", "V041", "V042"} {
		w.s.Client.Appointment.Create().SetPersonID(w.person(name)).SetPostID(po.ID).SetTermID(tm.ID).
			SetStartsOn(tm.StartsOn).SetObtainedBy(appointment.ObtainedByELECTED).SaveX(w.ctx)
	}
	seats := func(orgs ...int) map[string]int {
		a, err := w.s.CreateAssembly(w.ctx, w.admin, registry.AssemblyInput{TermID: w.term("Association").ID, Name: "A", Seats: 3})
		if err != nil {
			t.Fatal(err)
		}
		cs, err := w.s.ApportionSeats(w.ctx, w.admin, registry.ApportionInput{AssemblyID: a.ID, Organizations: orgs})
		if err != nil {
			t.Fatal(err)
		}
		w.s.Client.Constituency.Delete().ExecX(w.ctx)
		w.s.Client.Assembly.DeleteOne(a).ExecX(w.ctx)
		out := map[string]int{}
		for _, c := range cs {
			out[c.Name] = c.Seats
		}
		return out
	}
	one, two := seats(w.org("Oncology").ID, neuro.ID), seats(neuro.ID, w.org("Oncology").ID)
	if one["Neurology"] != 2 || two["Neurology"] != 2 || one["Oncology"] != 1 || two["Oncology"] != 1 {
		t.Fatalf("seats %v and %v, want Neurology 2 and Oncology 1 both times", one, two)
	}
}

func TestUnconfirmedRepresentativesNeitherCheckInNorVote(t *testing.T) {
	w := newVoting(t, storetest.SQLite)
	a, cs := w.assembly(10)
	rep, err := w.s.SeatRepresentative(w.ctx, w.admin, registry.SeatInput{ConstituencyID: cs[0].ID, PersonID: w.person("V046")})
	if err != nil {
		t.Fatal(err)
	}
	session, err := w.s.CreateMeeting(w.ctx, w.admin, registry.MeetingInput{AssemblyID: a.ID, Title: "S", HeldOn: registry.Day(2026, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.s.IssueVoterToken(w.ctx, w.admin, rep.ID)
	wantCode(t, err, "RULE_VIOLATION", "participantId", "credential")
	mo := w.motion(session, "", false)
	_, err = w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: rep.ID, Option: "YES"})
	wantCode(t, err, "RULE_VIOLATION", "participantId", "present")
	_, err = w.s.VotingRecordOf(w.ctx, w.admin, w.person("V046"), 999999)
	wantCode(t, err, "NOT_FOUND", "termId", "")
}

func TestAReplacedRepresentativeKeepsTheirRecordAndMayLeave(t *testing.T) {
	w := newVoting(t, storetest.SQLite)
	a, cs := w.assembly(10)
	seat := func(name string, sub bool) *ent.Participant {
		p, err := w.s.SeatRepresentative(w.ctx, w.admin, registry.SeatInput{ConstituencyID: cs[0].ID, PersonID: w.person(name), Substitute: sub})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.ConfirmCredential(w.ctx, w.admin, p.ID); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rep, sub := seat("V046", false), seat("V047", true)
	session, err := w.s.CreateMeeting(w.ctx, w.admin, registry.MeetingInput{AssemblyID: a.ID, Title: "S", HeldOn: registry.Day(2026, 3, 2)})
	if err != nil {
		t.Fatal(err)
	}
	w.checkIn(session, []*ent.Participant{rep})
	if _, err := w.s.ReplaceRepresentative(w.ctx, w.admin, registry.ReplaceInput{RepresentativeID: rep.ID, SubstituteID: sub.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CheckOut(w.ctx, w.admin, registry.AttendInput{MeetingID: session.ID, ParticipantID: rep.ID}); err != nil {
		t.Fatalf("the replaced representative leaves: %v", err)
	}
	rec, err := w.s.VotingRecordOf(w.ctx, w.admin, w.person("V046"), w.term("Association").ID)
	if err != nil || rec.MeetingsEntitled != 1 || rec.MeetingsAttended != 1 {
		t.Fatalf("the replaced representative's record: %+v %v", rec, err)
	}
}

// TestAssemblyWritesHoldUnderConcurrency runs writes that race on one
// assembly: a credential confirmed twice, a grant made twice, seats
// adjusted in three constituencies, and a representative seated while
// the seats are apportioned again.
func TestAssemblyWritesHoldUnderConcurrency(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		a, cs := w.assembly(10)
		race := func(n int, f func(i int) error) []error {
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func() { defer wg.Done(); errs[i] = f(i) }()
			}
			wg.Wait()
			return errs
		}
		oneWins := func(what string, errs []error) {
			t.Helper()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("%s: %v", what, errs)
			}
		}
		// The race of a new apportionment and a seat: either the seat goes
		// first and the apportionment is refused, or the seat finds its
		// constituency gone; never a representative without one.
		in := registry.ApportionInput{AssemblyID: a.ID, Organizations: []int{w.org("Cardiology").ID}}
		errs := race(2, func(i int) error {
			if i == 0 {
				_, err := w.s.SeatRepresentative(w.ctx, w.admin, registry.SeatInput{ConstituencyID: cs[0].ID, PersonID: w.person("V046")})
				return err
			}
			_, err := w.s.ApportionSeats(w.ctx, w.admin, in)
			return err
		})
		oneWins("seat and apportion", errs)
		if n := w.s.Client.Participant.Query().Where(participant.ConstituencyIDIsNil()).CountX(w.ctx); n != 0 {
			t.Fatalf("%d representatives without a constituency", n)
		}
		if errs[1] == nil {
			// The apportionment won: start over with three constituencies.
			w.s.Client.Constituency.Delete().ExecX(w.ctx)
			w.s.Client.Assembly.DeleteOne(a).ExecX(w.ctx)
			a, cs = w.assembly(10)
		}
		errs = race(3, func(i int) error {
			_, err := w.s.AdjustSeats(w.ctx, w.admin, registry.AdjustInput{ConstituencyID: cs[i].ID, Seats: 2 + i, Reason: "r"})
			return err
		})
		sum := 0
		for _, c := range w.s.Client.Constituency.Query().AllX(w.ctx) {
			sum += c.Seats
		}
		if a = w.s.Client.Assembly.GetX(w.ctx, a.ID); errs[0] != nil || errs[1] != nil || errs[2] != nil || a.Seats != sum {
			t.Fatalf("adjusting: %v; assembly seats %d, constituencies %d", errs, a.Seats, sum)
		}
		rep, err := w.s.SeatRepresentative(w.ctx, w.admin, registry.SeatInput{ConstituencyID: cs[1].ID, PersonID: w.person("V055")})
		if err != nil {
			t.Fatal(err)
		}
		oneWins("confirm twice", race(2, func(int) error { _, err := w.s.ConfirmCredential(w.ctx, w.admin, rep.ID); return err }))
		oneWins("grant twice", race(2, func(int) error {
			_, err := w.s.GrantClerk(w.ctx, w.admin, registry.GrantInput{Account: "clerk", AssemblyID: a.ID})
			return err
		}))
	})
}
