package registry_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// roundOne are the 15 papers of the council election's first round:
// P05 12 for, P06 11, P07 9, P08 9, P09 2; more than half of 15 returned
// is 8, so P05 and P06 are elected and P07 and P08 tie for the last
// seat.
func roundOne() []paper {
	var out []paper
	out = append(out, papers(1, 2, "+P05", "+P08", "+P09")...)
	out = append(out, papers(3, 2, "+P05", "+P08")...)
	out = append(out, papers(5, 2, "+P05", "+P06", "+P08")...)
	out = append(out, papers(7, 6, "+P05", "+P06", "+P07")...)
	return append(out, papers(13, 3, "+P06", "+P07", "+P08", "-P05")...)
}

func candidateStates(t *testing.T, x *electFixture, electionID int) []string {
	t.Helper()
	var out []string
	for _, c := range x.s.Client.Candidate.Query().Where(candidate.ElectionID(electionID)).Order(candidate.ByID()).AllX(x.ctx) {
		round := "-"
		if c.ElectedInRound != nil {
			round = fmt.Sprint(*c.ElectedInRound)
		}
		out = append(out, fmt.Sprintf("%s %s %s", c.Name, c.Status, round))
	}
	return out
}

func TestElectionFromNominationToCertifiedAppointments(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08", "P09")
		if e.Threshold.String() != "more than 1/2 of RETURNED" || e.ContestMargin.String() != "1/5" || e.MaxRounds != 3 {
			t.Errorf("election from the rules: threshold %s, margin %s, rounds %d", e.Threshold, e.ContestMargin, e.MaxRounds)
		}
		post := x.post["Council member"]
		r1 := x.open(t, e.ID, post)
		if r1.Number != 1 || r1.Seats != 3 || r1.Entitled != 15 {
			t.Errorf("round 1: number %d, seats %d, entitled %d; want 1, 3, 15", r1.Number, r1.Seats, r1.Entitled)
		}
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r1.ID, Issued: 15}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r1.ID, cands, roundOne()[:8]...)
		x.enter(t, "teller2", r1.ID, cands, roundOne()[8:]...)
		closed, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r1.ID})
		if err != nil {
			t.Fatalf("close round 1: %v", err)
		}
		if *closed.Returned != 15 || *closed.Valid != 15 || closed.Void || closed.ChainHead == "" {
			t.Errorf("round 1 closed: returned %d, valid %d, void %v, head %q", *closed.Returned, *closed.Valid, closed.Void, closed.ChainHead)
		}
		for _, line := range []string{
			"Ballots: 15 issued, 15 returned, 15 valid, 0 invalid.",
			"P05: 12 for, 3 against, 0 abstain; needs more than 1/2 of 15 returned = 8: ELECTED",
			"P07: 9 for, 0 against, 6 abstain; needs more than 1/2 of 15 returned = 8: TIED",
			"Round 2 follows for 1 seat: tie at the cut-off: 2 candidates with 9 votes for 1 seat.",
		} {
			if !strings.Contains(*closed.Report, line) {
				t.Errorf("round 1 report lacks %q:\n%s", line, *closed.Report)
			}
		}
		want := []string{"P05 ELECTED 1", "P06 ELECTED 1", "P07 NOMINATED -", "P08 NOMINATED -", "P09 NOT_ELECTED -"}
		if diff := cmp.Diff(want, candidateStates(t, x, e.ID)); diff != "" {
			t.Errorf("after round 1 (-want +got):\n%s", diff)
		}
		if _, err := x.s.CertifyElection(x.ctx, x.views["admin"], registry.CertifyInput{ElectionID: e.ID}); err == nil {
			t.Error("certified with a round to go")
		} else {
			wantErr(t, err, registry.RuleViolation, "electionId", "counted")
		}

		r2 := x.open(t, e.ID, post)
		if r2.Number != 2 || r2.Seats != 1 {
			t.Errorf("round 2: number %d, seats %d; want 2, 1", r2.Number, r2.Seats)
		}
		if ids := x.s.Client.Round.QueryCandidates(r2).IDsX(x.ctx); !slices.Equal(ids, []int{cands["P07"], cands["P08"]}) {
			t.Errorf("round 2's ballot: %v, want P07 and P08", ids)
		}
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller2"], registry.IssuedInput{RoundID: r2.ID, Issued: 15}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r2.ID, cands, append(papers(101, 10, "+P07"), papers(111, 5, "+P08")...)...)
		if _, err := x.s.CloseRound(x.ctx, x.views["office"], registry.CloseInput{RoundID: r2.ID}); err != nil {
			t.Fatalf("close round 2: %v", err)
		}
		want = []string{"P05 ELECTED 1", "P06 ELECTED 1", "P07 ELECTED 2", "P08 NOT_ELECTED -", "P09 NOT_ELECTED -"}
		if diff := cmp.Diff(want, candidateStates(t, x, e.ID)); diff != "" {
			t.Errorf("after round 2 (-want +got):\n%s", diff)
		}
		if got := x.s.Client.Election.GetX(x.ctx, e.ID).Status; got != election.StatusCOUNTED {
			t.Errorf("election %s, want COUNTED", got)
		}
		if _, err := x.s.OpenRound(x.ctx, x.views["chief"], registry.RoundInput{ElectionID: e.ID, PostID: post}); err == nil {
			t.Error("opened a round of a counted election")
		}

		// The secretariat runs elections; certifying is the chief teller's
		// or an administrator's.
		_, err = x.s.CertifyElection(x.ctx, x.views["office"], registry.CertifyInput{ElectionID: e.ID})
		wantErr(t, err, registry.Forbidden, "electionId", "")
		if _, err := x.s.CertifyElection(x.ctx, x.views["chief"], registry.CertifyInput{ElectionID: e.ID}); err != nil {
			t.Fatalf("certify: %v", err)
		}
		var held []string
		for _, a := range x.s.Client.Appointment.Query().Where(appointment.TermID(x.term["Council 3"])).Order(appointment.ByID()).AllX(x.ctx) {
			held = append(held, fmt.Sprintf("%s %s %s election=%v", x.name[a.PersonID], a.StartsOn.Format(registry.DateLayout), a.ObtainedBy,
				a.ElectionID != nil && *a.ElectionID == e.ID))
		}
		want = []string{"P05 2026-11-23 ELECTED election=true", "P06 2026-11-23 ELECTED election=true", "P07 2026-11-23 ELECTED election=true"}
		if diff := cmp.Diff(want, held); diff != "" {
			t.Errorf("certified appointments (-want +got):\n%s", diff)
		}
		_, err = x.s.CertifyElection(x.ctx, x.views["admin"], registry.CertifyInput{ElectionID: e.ID})
		wantErr(t, err, registry.Conflict, "electionId", "certified")

		var actions []string
		for _, ev := range x.s.Client.AuditEvent.Query().Order(auditevent.BySeq()).AllX(x.ctx) {
			actions = append(actions, ev.Action)
		}
		wantActions := []string{"election.create", "election.grant", "election.grant", "election.grant",
			"candidate.nominate", "candidate.nominate", "candidate.nominate", "candidate.nominate", "candidate.nominate",
			"round.open", "round.issue", "ballot.enter", "ballot.enter", "round.close",
			"round.open", "round.issue", "ballot.enter", "round.close",
			"appointment.create", "appointment.create", "appointment.create", "election.certify"}
		if diff := cmp.Diff(wantActions, actions); diff != "" {
			t.Errorf("audit trail (-want +got):\n%s", diff)
		}
		if n, brk, err := x.s.VerifyAudit(x.ctx); err != nil || brk != nil {
			t.Errorf("audit chain after %d events: %v %v", n, brk, err)
		}

		rec, err := x.s.ElectionRecord(x.ctx, x.views["reader"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range registry.CheckRecord(rec) {
			if len(c.Problems) > 0 {
				t.Errorf("re-count of round %d: %v", c.Number, c.Problems)
			}
		}
	})
}
