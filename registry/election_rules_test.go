package registry_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/ballot"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/registry/tally"
)

// written counts what an election operation writes, so that a refusal
// can be shown to write nothing.
func (x *electFixture) written(t testing.TB) string {
	t.Helper()
	c := x.s.Client
	return fmt.Sprintf("elections %d, candidates %d, grants %d, rounds %d, ballots %d, codes %d, appointments %d, audit %d",
		c.Election.Query().CountX(x.ctx), c.Candidate.Query().CountX(x.ctx), c.Grant.Query().CountX(x.ctx),
		c.Round.Query().CountX(x.ctx), c.Ballot.Query().CountX(x.ctx), c.BallotCode.Query().CountX(x.ctx),
		c.Appointment.Query().CountX(x.ctx), c.AuditEvent.Query().CountX(x.ctx))
}

// officers creates the council meeting's election of the president and
// the vice presidents of council 3, uncontested, with the tellers.
func (x *electFixture) officers(t testing.TB) *ent.Election {
	t.Helper()
	e, err := x.s.CreateElection(x.ctx, x.views["office"], registry.ElectionInput{TermID: x.term["Council 3"],
		MeetingID: x.meet["Council 3 meeting 1"], Title: "Officers",
		Posts: []registry.ElectionPostInput{{PostID: x.post["President"], Seats: 1}, {PostID: x.post["Vice President"], Seats: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	x.grantTellers(t, e.ID)
	return e
}

func TestNominationChecksEligibilityAtTheBoundaries(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		council, _ := x.councilElection(t, nil)
		officers := x.officers(t)
		standing, err := x.s.CreateElection(x.ctx, x.views["office"], registry.ElectionInput{TermID: x.term["Standing 3"],
			MeetingID: x.meet["Council 3 meeting 1"], Title: "Standing council",
			Posts: []registry.ElectionPostInput{{PostID: x.post["Standing member"], Seats: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, viewer string
			election     int
			post, person string
			on           string
			kind         registry.Kind
			field, rule  string
		}{
			{"an ACTIVE member", "office", council.ID, "Council member", "P05", "", 0, "", ""},
			{"a LAPSED member", "office", council.ID, "Council member", "P23", "", registry.RuleViolation, "personId", "activeMember"},
			{"no member at all", "office", council.ID, "Council member", "P24", "", registry.RuleViolation, "personId", "activeMember"},
			{"a teller", "office", council.ID, "Council member", "P03", "", registry.RuleViolation, "personId", "notTeller"},
			{"twice for one post", "office", council.ID, "Council member", "P05", "", registry.Conflict, "personId", "oncePerPost"},
			{"a post the election does not fill", "office", council.ID, "President", "P06", "", registry.RuleViolation, "postId", "electionPost"},
			{"a third consecutive term as president", "office", officers.ID, "President", "P01", "", registry.RuleViolation, "personId", "consecutiveTermLimit"},
			{"a first term as president", "office", officers.ID, "President", "P02", "", 0, "", ""},
			{"70 on the term's first day", "office", officers.ID, "Vice President", "P20", "", 0, "", ""},
			{"71 on the term's first day, a birthday on it", "office", officers.ID, "Vice President", "P21", "", registry.RuleViolation, "personId", "leadershipAgeLimit"},
			{"no birth date for a leadership post", "office", officers.ID, "Vice President", "P22", "", registry.RuleViolation, "personId", "leadershipAgeLimit"},
			{"no birth date for a member's seat", "office", council.ID, "Council member", "P22", "", 0, "", ""},
			{"not on the council", "office", standing.ID, "Standing member", "P06", "", registry.RuleViolation, "personId", "drawnFromCouncil"},
			{"nominated tomorrow", "office", council.ID, "Council member", "P07", "2026-11-24", registry.RuleViolation, "nominatedOn", "notAfterToday"},
			{"by a reader", "reader", council.ID, "Council member", "P07", "", registry.Forbidden, "", ""},
			{"an unknown person", "office", council.ID, "Council member", "nobody", "", registry.Invalid, "personId", "required"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.written(t)
				on := electToday
				if c.on != "" {
					on, _ = registry.ParseDate(c.on)
				}
				_, err := x.s.NominateCandidate(x.ctx, x.views[c.viewer], registry.NominateInput{ElectionID: c.election,
					PostID: x.post[c.post], PersonID: x.person[c.person], NominatedBy: "ten representatives", NominatedOn: on})
				if c.kind == 0 {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				wantErr(t, err, c.kind, c.field, c.rule)
				if after := x.written(t); after != before {
					t.Errorf("a refusal wrote: %s, then %s", before, after)
				}
			})
		}
		c := x.s.Client.Candidate.Query().Where(candidate.ElectionID(officers.ID), candidate.Name("P02")).OnlyX(x.ctx)
		for _, want := range []string{"activeMember: active members: 1/1", "consecutiveTermLimit: consecutive terms in a leadership post: longest 1",
			"leadershipAgeLimit: leadership age on 2026-11-23: oldest 56"} {
			if !strings.Contains(c.Eligibility, want) {
				t.Errorf("P02's eligibility lacks %q:\n%s", want, c.Eligibility)
			}
		}
		if c.NominatedBy != "ten representatives" || c.RecordedBy != "office" {
			t.Errorf("nominated by %q, recorded by %q", c.NominatedBy, c.RecordedBy)
		}
	})
}

func TestTellersAreNoCandidates(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, _ := x.councilElection(t, nil, "P05")
		plain := x.s.Client.Account.Query().Where(account.Name("plain")).OnlyIDX(x.ctx)
		x.views["plain as secretariat"] = registry.NewViewer(plain, "plain", registry.RoleSecretariat, nil, nil)
		for _, c := range []struct {
			name, viewer, account, person string
			chief                         bool
			kind                          registry.Kind
			field, rule                   string
		}{
			{"a candidate", "office", "plain", "P05", false, registry.RuleViolation, "personId", "tellerNotCandidate"},
			{"a second chief teller", "office", "plain", "P10", true, registry.Conflict, "chief", "oneChiefTeller"},
			{"an account holding a role already", "office", "teller1", "P10", false, registry.Conflict, "account", "oneRole"},
			{"a person serving through another account", "office", "plain", "P03", false, registry.Conflict, "personId", "onePersonOneTeller"},
			{"an unknown account", "office", "nobody", "P10", false, registry.NotFound, "account", ""},
			{"by a reader", "reader", "plain", "P10", false, registry.Forbidden, "", ""},
			{"to the granting account itself", "plain as secretariat", "plain", "P10", true, registry.Forbidden, "account", ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.written(t)
				_, err := x.s.GrantTeller(x.ctx, x.views[c.viewer], registry.TellerInput{ElectionID: e.ID, Account: c.account,
					PersonID: x.person[c.person], Chief: c.chief})
				wantErr(t, err, c.kind, c.field, c.rule)
				if after := x.written(t); after != before {
					t.Errorf("a refusal wrote: %s, then %s", before, after)
				}
			})
		}
	})
}

func TestAContestedElectionOpensOnlyWithEnoughCandidates(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		// 3 seats, a margin of 1/5: 0.6 rounds up to 1 more, 4 in all.
		e, _ := x.councilElection(t, nil, "P05", "P06", "P07")
		post := x.post["Council member"]
		before := x.written(t)
		_, err := x.s.OpenRound(x.ctx, x.views["chief"], registry.RoundInput{ElectionID: e.ID, PostID: post})
		wantErr(t, err, registry.RuleViolation, "postId", "contested")
		if !strings.Contains(err.Error(), "3 candidates for 3 seats; a contested election needs at least 4") {
			t.Errorf("message %q", err)
		}
		if after := x.written(t); after != before {
			t.Errorf("a refusal wrote: %s, then %s", before, after)
		}
		x.nominate(t, e.ID, post, "P08")
		x.open(t, e.ID, post)
		_, err = x.s.NominateCandidate(x.ctx, x.views["office"], registry.NominateInput{ElectionID: e.ID, PostID: post,
			PersonID: x.person["P09"], NominatedBy: "late", NominatedOn: electToday})
		wantErr(t, err, registry.RuleViolation, "postId", "beforeBallot")

		// Uncontested (等额), as many candidates as seats open.
		e2, _ := x.councilElection(t, func(in *registry.ElectionInput) { in.Contested = false }, "P05", "P06", "P07")
		x.open(t, e2.ID, post)
	})
}

func TestDoubleEntryMismatchBlocksTheCountUntilReEntered(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, func(in *registry.ElectionInput) { in.DoubleEntry = true }, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: 3}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r.ID, cands, paper{"A0001", []string{"+P05", "+P06"}}, paper{"A0002", []string{"+P05", "-P07"}},
			paper{"A0003", []string{"+P08"}})
		// The second teller reads A0001 in another order (the same marks)
		// and A0002 differently, and has not reached A0003.
		x.enter(t, "teller2", r.ID, cands, paper{"A0001", []string{"+P06", "+P05"}}, paper{"A0002", []string{"+P05", "-P06"}})

		before := x.written(t)
		_, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		wantErr(t, err, registry.RuleViolation, "roundId", "doubleEntry")
		var probs []string
		for _, p := range err.(*registry.Error).Problems {
			probs = append(probs, p.Rule+": "+p.Message)
		}
		want := []string{
			"doubleEntry: ballot A0002: entry 1 by teller1 and entry 2 by teller2 differ; re-enter it from the paper",
			"doubleEntry: ballot A0003: entered by teller1 only; a second teller must enter it",
		}
		if diff := cmp.Diff(want, probs); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if after := x.written(t); after != before {
			t.Errorf("a refused close wrote: %s, then %s", before, after)
		}

		// A teller entering a paper a second time says it corrects.
		_, err = x.s.EnterBallots(x.ctx, x.views["teller1"], registry.EntryInput{RoundID: r.ID,
			Ballots: []registry.BallotInput{x.ballot(cands, paper{"A0001", []string{"+P05"}})}})
		wantErr(t, err, registry.Conflict, "ballots[0].serial", "enteredOnce")
		_, err = x.s.EnterBallots(x.ctx, x.views["teller2"], registry.EntryInput{RoundID: r.ID,
			Ballots: []registry.BallotInput{{Serial: "A0009", Correct: true}}})
		wantErr(t, err, registry.RuleViolation, "ballots[0].correct", "nothingToCorrect")

		x.enter(t, "teller2", r.ID, cands, paper{"A0003", []string{"+P08"}})
		fix := x.ballot(cands, paper{"A0002", []string{"+P05", "-P06"}})
		fix.Correct = true
		if _, err := x.s.EnterBallots(x.ctx, x.views["teller1"], registry.EntryInput{RoundID: r.ID, Ballots: []registry.BallotInput{fix}}); err != nil {
			t.Fatal(err)
		}
		closed, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		if err != nil {
			t.Fatalf("close once settled: %v", err)
		}
		if !strings.Contains(*closed.Report, "P06: 1 for, 1 against, 1 abstain") {
			t.Errorf("the settled entry of A0002 was not counted:\n%s", *closed.Report)
		}
		var counted []string
		for _, b := range x.s.Client.Ballot.Query().Where(ballot.RoundID(r.ID), ballot.Standing(true)).Order(ballot.BySeq()).AllX(x.ctx) {
			counted = append(counted, fmt.Sprintf("%s entry %d by %s", b.Serial, b.Entry, b.EnteredBy))
		}
		want = []string{"A0001 entry 2 by teller2", "A0003 entry 2 by teller2", "A0002 entry 3 by teller1"}
		if diff := cmp.Diff(want, counted); diff != "" {
			t.Errorf("entries counted (-want +got):\n%s", diff)
		}
	})
}

func TestDoubleEntryTakesTheSecondTellersFirstEntryAfterACorrection(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, func(in *registry.ElectionInput) { in.DoubleEntry = true }, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		x.enter(t, "teller1", r.ID, cands, paper{"A0001", []string{"+P05"}})
		fix := x.ballot(cands, paper{"A0001", []string{"+P06"}})
		fix.Correct = true
		if _, err := x.s.EnterBallots(x.ctx, x.views["teller1"], registry.EntryInput{RoundID: r.ID, Ballots: []registry.BallotInput{fix}}); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.EnterBallots(x.ctx, x.views["teller2"], registry.EntryInput{RoundID: r.ID,
			Ballots: []registry.BallotInput{x.ballot(cands, paper{"A0001", []string{"+P06"}})}}); err != nil {
			t.Errorf("teller2's first entry of A0001, after teller1 corrected theirs: %v", err)
		}
		_, err := x.s.EnterBallots(x.ctx, x.views["chief"], registry.EntryInput{RoundID: r.ID,
			Ballots: []registry.BallotInput{x.ballot(cands, paper{"A0001", []string{"+P06"}})}})
		wantErr(t, err, registry.Conflict, "ballots[0].serial", "enteredOnce")
	})
}

func TestAClosedRoundsBallotsAreFinal(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		codes, err := x.s.IssueBallotCodes(x.ctx, x.views["teller1"], registry.CodesInput{RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r.ID, cands, papers(1, 3, "+P05")...)
		if _, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID}); err != nil {
			t.Fatal(err)
		}
		before := x.written(t)
		head := x.s.Client.Round.GetX(x.ctx, r.ID).ChainHead
		for name, try := range map[string]func() error{
			"enter": func() error {
				_, err := x.s.EnterBallots(x.ctx, x.views["teller1"], registry.EntryInput{RoundID: r.ID,
					Ballots: []registry.BallotInput{x.ballot(cands, paper{"A0009", []string{"+P06"}})}})
				return err
			},
			"correct": func() error {
				b := x.ballot(cands, paper{"A0001", []string{"+P06"}})
				b.Correct = true
				_, err := x.s.EnterBallots(x.ctx, x.views["teller1"], registry.EntryInput{RoundID: r.ID, Ballots: []registry.BallotInput{b}})
				return err
			},
			"issue": func() error {
				_, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: 99})
				return err
			},
			"codes": func() error {
				_, err := x.s.IssueBallotCodes(x.ctx, x.views["teller1"], registry.CodesInput{RoundID: r.ID})
				return err
			},
			"close": func() error {
				_, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
				return err
			},
		} {
			err := try()
			if registry.KindOf(err) != registry.VoteClosed {
				t.Errorf("%s after the close: %v, want VOTE_CLOSED", name, err)
			}
		}
		_, err = x.s.CastBallot(x.ctx, registry.CastInput{Code: codes[0], For: []int{cands["P06"]}})
		wantErr(t, err, registry.VoteClosed, "code", "roundOpen")
		if after := x.written(t); after != before {
			t.Errorf("a closed round changed: %s, then %s", before, after)
		}
		if got := x.s.Client.Round.GetX(x.ctx, r.ID).ChainHead; got != head {
			t.Errorf("chain head moved from %s to %s", head, got)
		}
	})
}

func TestBallotCodesCastOnceAndRecordNoVoter(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		voters := x.s.Client.Round.QueryVoters(x.s.Client.Round.GetX(x.ctx, r.ID)).AllX(x.ctx)
		first, err := x.s.IssueBallotCodes(x.ctx, x.views["teller2"], registry.CodesInput{RoundID: r.ID, ParticipantIDs: []int{voters[0].ParticipantID}})
		if err != nil || len(first) != 1 {
			t.Fatalf("one code: %v %v", first, err)
		}
		_, err = x.s.IssueBallotCodes(x.ctx, x.views["teller2"], registry.CodesInput{RoundID: r.ID, ParticipantIDs: []int{voters[0].ParticipantID}})
		wantErr(t, err, registry.Conflict, "participantIds[0]", "oneCode")
		outsider := x.s.Client.Participant.Query().Where(participant.MeetingID(x.meet["Council 3 meeting 1"])).FirstIDX(x.ctx)
		_, err = x.s.IssueBallotCodes(x.ctx, x.views["teller2"], registry.CodesInput{RoundID: r.ID, ParticipantIDs: []int{outsider}})
		wantErr(t, err, registry.RuleViolation, "participantIds[0]", "entitled")
		_, err = x.s.IssueBallotCodes(x.ctx, x.views["plain"], registry.CodesInput{RoundID: r.ID})
		wantErr(t, err, registry.Forbidden, "roundId", "")
		rest, err := x.s.IssueBallotCodes(x.ctx, x.views["teller2"], registry.CodesInput{RoundID: r.ID})
		if err != nil || len(rest) != 14 {
			t.Fatalf("the other 14 codes: %d %v", len(rest), err)
		}

		// Typed in lower case without dashes, the code still casts.
		typed := strings.ToLower(strings.ReplaceAll(first[0], "-", ""))
		rc, err := x.s.CastBallot(x.ctx, registry.CastInput{Code: typed, For: []int{cands["P05"], cands["P06"]}, Against: []int{cands["P07"]}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = x.s.CastBallot(x.ctx, registry.CastInput{Code: first[0], For: []int{cands["P08"]}})
		wantErr(t, err, registry.AlreadyVoted, "code", "oneBallot")
		_, err = x.s.CastBallot(x.ctx, registry.CastInput{Code: "0000-0000-0000-0000"})
		wantErr(t, err, registry.NotFound, "code", "")
		for _, c := range rest[:9] {
			if _, err := x.s.CastBallot(x.ctx, registry.CastInput{Code: c, For: []int{cands["P05"]}}); err != nil {
				t.Fatal(err)
			}
		}

		b := x.s.Client.Ballot.Query().Where(ballot.Serial(rc.Serial)).OnlyX(x.ctx)
		if !b.Electronic || b.EnteredBy != "ballot code" || b.TellerID != nil || b.ReceiptHash == nil {
			t.Errorf("cast ballot: electronic %v, entered by %q, teller %v, receipt %v", b.Electronic, b.EnteredBy, b.TellerID, b.ReceiptHash)
		}
		for _, ev := range x.s.Client.AuditEvent.Query().Where(auditevent.Action("ballot.cast")).AllX(x.ctx) {
			if ev.Actor != "ballot code" || ev.AccountID != nil || strings.Contains(*ev.After, "participant") {
				t.Errorf("a cast's audit event names its voter: %s %v %s", ev.Actor, ev.AccountID, *ev.After)
			}
		}
		closed, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(*closed.Report, "Ballots: 15 issued, 10 returned, 10 valid") ||
			!strings.Contains(*closed.Report, "P05: 10 for, 0 against, 0 abstain; needs more than 1/2 of 10 returned = 6: ELECTED") {
			t.Errorf("report:\n%s", *closed.Report)
		}
	})
}

func TestARoundWithMoreBallotsThanIssuedIsVoidAndHeldAgain(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		post := x.post["Council member"]
		r := x.open(t, e.ID, post)
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: 5}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r.ID, cands, papers(1, 6, "+P05", "+P06", "+P07")...)
		closed, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !closed.Void {
			t.Errorf("6 returned of 5 issued is not void:\n%s", *closed.Report)
		}
		r2 := x.open(t, e.ID, post)
		if r2.Number != 2 || r2.Seats != 3 || x.s.Client.Round.QueryCandidates(r2).CountX(x.ctx) != 4 {
			t.Errorf("the void round is not held again: round %d, %d seats", r2.Number, r2.Seats)
		}
		if n := x.s.Client.Candidate.Query().Where(candidate.ElectionID(e.ID), candidate.StatusEQ(candidate.StatusELECTED)).CountX(x.ctx); n != 0 {
			t.Errorf("%d elected in a void round", n)
		}
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r2.ID, Issued: 15}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r2.ID, cands, papers(1, 15, "+P05", "+P06", "+P07")...)
		if _, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r2.ID}); err != nil {
			t.Fatal(err)
		}
		// An exported record edited: round 2 taken out, from the audit
		// trail's rounds too. Round 1 still calls for it.
		rec, err := x.s.ElectionRecord(x.ctx, x.views["admin"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Status != "COUNTED" || len(rec.Rounds) != 2 || len(rec.AuditedRounds) != 2 {
			t.Fatalf("election %s with %d rounds, %d audited", rec.Status, len(rec.Rounds), len(rec.AuditedRounds))
		}
		rec.Rounds, rec.AuditedRounds = rec.Rounds[:1], rec.AuditedRounds[:1]
		checks := registry.CheckRecord(rec)
		if len(checks) != 1 || !slices.Equal(checks[0].Problems, []string{"its count calls for round 2, which the record lacks"}) {
			t.Errorf("round 2 missing from a counted election: %+v", checks)
		}
	})
}

func TestANameWrittenInIsElectedAndCertifiedAsAPerson(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, func(in *registry.ElectionInput) { in.WriteIns, in.Contested = true, false }, "P05", "P06")
		r := x.open(t, e.ID, x.post["Council member"])
		x.enter(t, "teller1", r.ID, cands, papers(1, 3, "+P05", "+P06", "write-in: Li  Si ")...)
		_, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		wantErr(t, err, registry.RuleViolation, "roundId", "issued")
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err = x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID}); err != nil {
			t.Fatal(err)
		}
		li := x.s.Client.Candidate.Query().Where(candidate.ElectionID(e.ID), candidate.WriteIn(true)).OnlyX(x.ctx)
		if li.Name != "Li Si" || li.Status != candidate.StatusELECTED || li.PersonID != nil {
			t.Errorf("written-in candidate %q %s person %v", li.Name, li.Status, li.PersonID)
		}
		before := x.written(t)
		_, err = x.s.CertifyElection(x.ctx, x.views["admin"], registry.CertifyInput{ElectionID: e.ID})
		wantErr(t, err, registry.RuleViolation, "writeIns", "writeInPerson")
		_, err = x.s.CertifyElection(x.ctx, x.views["admin"], registry.CertifyInput{ElectionID: e.ID,
			WriteIns: []registry.WriteInPerson{{CandidateID: li.ID, PersonID: x.person["P23"]}}})
		wantErr(t, err, registry.RuleViolation, "writeIns", "activeMember")
		_, err = x.s.CertifyElection(x.ctx, x.views["admin"], registry.CertifyInput{ElectionID: e.ID, // P03 is teller1
			WriteIns: []registry.WriteInPerson{{CandidateID: li.ID, PersonID: x.person["P03"]}}})
		wantErr(t, err, registry.RuleViolation, "writeIns", "notTeller")
		if after := x.written(t); after != before {
			t.Errorf("a refused certification wrote: %s, then %s", before, after)
		}
		if _, err := x.s.CertifyElection(x.ctx, x.views["admin"], registry.CertifyInput{ElectionID: e.ID,
			WriteIns: []registry.WriteInPerson{{CandidateID: li.ID, PersonID: x.person["P10"]}}}); err != nil {
			t.Fatal(err)
		}
		if n := x.s.Client.Appointment.Query().CountX(x.ctx); n != 3+3 {
			t.Errorf("%d appointments, want the 3 before and 3 certified", n)
		}
	})
}

func TestTheRecountNamesATamperedBallot(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08", "P09")
		r := x.open(t, e.ID, x.post["Council member"])
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: 15}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r.ID, cands, roundOne()...)
		if _, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID}); err != nil {
			t.Fatal(err)
		}
		problems := func() []string {
			t.Helper()
			rec, err := x.s.ElectionRecord(x.ctx, x.views["admin"], e.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The export carries everything: the re-count of the JSON
			// record finds what the record itself does.
			b, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			var back registry.ElectionRecord
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			got, fromFile := registry.CheckRecord(rec), registry.CheckRecord(&back)
			if diff := cmp.Diff(got, fromFile); diff != "" {
				t.Errorf("the exported record re-counts otherwise (-db +file):\n%s", diff)
			}
			var all []string
			for _, c := range got {
				all = append(all, c.Problems...)
			}
			return all
		}
		if p := problems(); len(p) > 0 {
			t.Fatalf("untouched: %v", p)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := x.s.DB.ExecContext(x.ctx, rebind(x.s, q), args...); err != nil {
				t.Fatal(err)
			}
		}
		// One FOR mark moved on ballot A0007, in the database.
		b := x.s.Client.Ballot.Query().Where(ballot.RoundID(r.ID), ballot.Serial("A0007")).OnlyX(x.ctx)
		forged := strings.Replace(b.Marks, fmt.Sprintf(`"%d"`, cands["P07"]), fmt.Sprintf(`"%d"`, cands["P08"]), 1)
		exec("UPDATE ballots SET marks = ? WHERE id = ?", forged, b.ID)
		got := problems()
		if len(got) == 0 || !strings.HasPrefix(got[0], "ballot A0007 (entry 7 in the chain): changed since it was entered") {
			t.Errorf("a changed ballot: %v", got)
		}
		exec("UPDATE ballots SET marks = ? WHERE id = ?", b.Marks, b.ID)

		// A stored count changed: the re-count names the candidate.
		rd := x.s.Client.Round.GetX(x.ctx, r.ID)
		exec("UPDATE rounds SET result = ? WHERE id = ?", strings.Replace(*rd.Result, `"for":12`, `"for":13`, 1), r.ID)
		got = problems()
		if len(got) != 1 || !strings.HasPrefix(got[0], "candidate P05: stored 13 for, 3 against, ELECTED; re-counted 12 for") {
			t.Errorf("a changed count: %v", got)
		}
		exec("UPDATE rounds SET result = ? WHERE id = ?", *rd.Result, r.ID)

		// The count rewritten with its configuration (a threshold of
		// 2/3): the re-count of the untouched ballots reproduces it, the
		// audit trail's hash of the count does not.
		forgedCfg, forgedRes := recountWith(t, rd, x.s.Client.Ballot.Query().Where(ballot.RoundID(r.ID)).Order(ballot.BySeq()).AllX(x.ctx),
			&rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Returned, Strict: true})
		exec("UPDATE rounds SET config = ?, result = ?, report = ? WHERE id = ?", forgedCfg, forgedRes, "forged", r.ID)
		got = problems()
		if len(got) != 1 || !strings.Contains(got[0], "is not the count the audit trail recorded at the round's close") {
			t.Errorf("a count rewritten with its configuration: %v", got)
		}
		exec("UPDATE rounds SET config = ?, result = ?, report = ? WHERE id = ?", *rd.Config, *rd.Result, *rd.Report, r.ID)

		// The last ballot dropped and the head moved back to the one
		// before: the audit trail still holds the head published.
		last := x.s.Client.Ballot.Query().Where(ballot.RoundID(r.ID)).Order(ent.Desc(ballot.FieldSeq)).FirstX(x.ctx)
		exec("DELETE FROM ballots WHERE id = ?", last.ID)
		exec("UPDATE rounds SET chain_head = ? WHERE id = ?", last.PrevHash, r.ID)
		got = problems()
		if len(got) == 0 || !strings.Contains(got[0], "is not the one the audit trail recorded at its close") {
			t.Errorf("a dropped ballot: %v", got)
		}

		// The round deleted with everything of it: the audit trail saw
		// it open.
		for _, q := range []string{"DELETE FROM ballots WHERE round_id = ?", "DELETE FROM round_voters WHERE round_id = ?",
			"DELETE FROM round_candidates WHERE round_id = ?", "DELETE FROM rounds WHERE id = ?"} {
			exec(q, r.ID)
		}
		got = problems()
		if want := fmt.Sprintf("round 1 (id %d) opened in the audit trail, and is missing from the record", r.ID); len(got) != 1 || got[0] != want {
			t.Errorf("a deleted round: %v", got)
		}
	})
}

// recountWith counts round rd's ballots again under threshold th and
// returns the configuration and the count as stored.
func recountWith(t *testing.T, rd *ent.Round, rows []*ent.Ballot, th *rules.Threshold) (config, result string) {
	t.Helper()
	var cfg tally.Round
	if err := json.Unmarshal([]byte(*rd.Config), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Threshold = th
	bs := make([]tally.Ballot, len(rows))
	for i, b := range rows {
		var err error
		if bs[i], err = tally.DecodeBallot([]byte(b.Marks)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := tally.Count(cfg, bs)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := json.Marshal(res.Round)
	r, _ := json.Marshal(res)
	return string(c), string(r)
}

func TestOnlyTellersHandleBallots(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		for _, who := range []string{"plain", "admin", "office"} {
			_, err := x.s.EnterBallots(x.ctx, x.views[who], registry.EntryInput{RoundID: r.ID,
				Ballots: []registry.BallotInput{x.ballot(cands, paper{"A0001", []string{"+P05"}})}})
			wantErr(t, err, registry.Forbidden, "roundId", "")
		}
		_, err := x.s.CloseRound(x.ctx, x.views["teller1"], registry.CloseInput{RoundID: r.ID})
		wantErr(t, err, registry.Forbidden, "roundId", "")
		_, err = x.s.OpenRound(x.ctx, x.views["plain"], registry.RoundInput{ElectionID: e.ID, PostID: x.post["Council member"]})
		wantErr(t, err, registry.Forbidden, "electionId", "")
		_, err = x.s.CreateElection(x.ctx, x.views["reader"], registry.ElectionInput{})
		wantErr(t, err, registry.Forbidden, "", "")
	})
}

func TestCreateElectionRefusesAndWritesNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		in := func(edit func(*registry.ElectionInput)) registry.ElectionInput {
			in := registry.ElectionInput{TermID: x.term["Council 3"], MeetingID: x.meet["Assembly 2, session 1"], Title: "Council",
				Posts: []registry.ElectionPostInput{{PostID: x.post["Council member"], Seats: 3}}}
			edit(&in)
			return in
		}
		for _, c := range []struct {
			name        string
			in          registry.ElectionInput
			kind        registry.Kind
			field, rule string
		}{
			{"an ended term", in(func(in *registry.ElectionInput) { in.TermID = x.term["Council 1"] }), registry.RuleViolation, "termId", "termEnded"},
			{"an unknown meeting", in(func(in *registry.ElectionInput) { in.MeetingID = 999 }), registry.NotFound, "meetingId", ""},
			{"the standing council elected by the assembly", in(func(in *registry.ElectionInput) {
				in.TermID, in.Posts[0] = x.term["Standing 3"], registry.ElectionPostInput{PostID: x.post["Standing member"], Seats: 2}
			}), registry.RuleViolation, "meetingId", "electingBody"},
			{"another organization's post", in(func(in *registry.ElectionInput) { in.Posts[0].PostID = x.post["Standing member"] }),
				registry.RuleViolation, "posts[0].postId", "sameOrganization"},
			{"more seats than the post", in(func(in *registry.ElectionInput) { in.Posts[0].Seats = 7 }), registry.RuleViolation, "posts[0].seats", "seats"},
			{"a post twice", in(func(in *registry.ElectionInput) { in.Posts = append(in.Posts, in.Posts[0]) }), registry.Invalid, "posts", "unique"},
			{"a threshold of those present", in(func(in *registry.ElectionInput) {
				t := *registry.RulesOf(&ent.Organization{}).Election
				t.Base = "PRESENT"
				in.Threshold = &t
			}), registry.RuleViolation, "threshold.base", "countable"},
			{"an unknown method", in(func(in *registry.ElectionInput) { in.Method = "LOTS" }), registry.Invalid, "method", "oneOf"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.written(t)
				_, err := x.s.CreateElection(x.ctx, x.views["office"], c.in)
				wantErr(t, err, c.kind, c.field, c.rule)
				if after := x.written(t); after != before {
					t.Errorf("a refusal wrote: %s, then %s", before, after)
				}
			})
		}
	})
}

func TestConcurrentTellersKeepOneChain(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		var wg sync.WaitGroup
		errs := make(chan error, 30)
		for i, teller := range []string{"teller1", "teller2", "chief"} {
			for batch := range 5 { // 15 papers in all, one per voter entitled
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := registry.EntryInput{RoundID: r.ID}
					for _, p := range papers(1000*(i+1)+batch, 1, "+P05", "-P06") {
						in.Ballots = append(in.Ballots, x.ballot(cands, p))
					}
					_, err := x.s.EnterBallots(x.ctx, x.views[teller], in)
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("entry: %v", err)
			}
		}
		if _, err := x.s.RecordIssued(x.ctx, x.views["chief"], registry.IssuedInput{RoundID: r.ID, Issued: 15}); err != nil {
			t.Fatal(err)
		}
		closed, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if closed.Entries != 15 || *closed.Returned != 15 {
			t.Errorf("%d entries, %d returned; want 15", closed.Entries, *closed.Returned)
		}
		rec, err := x.s.ElectionRecord(x.ctx, x.views["admin"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := registry.CheckRecord(rec)[0].Problems; len(p) > 0 {
			t.Errorf("re-count: %v", p)
		}
	})
}

func TestABallotCodeIsTheCredentialOfOneBallot(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		voters := x.s.Client.Round.QueryVoters(x.s.Client.Round.GetX(x.ctx, r.ID)).AllX(x.ctx)

		// A voter with their own voter token asks for a code, once.
		voter := registry.VoterViewer(voters[0].ParticipantID)
		code, err := x.s.RequestBallotCode(x.ctx, voter, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = x.s.RequestBallotCode(x.ctx, voter, r.ID)
		wantErr(t, err, registry.Conflict, "roundId", "oneCode")
		outsider := x.s.Client.Participant.Query().Where(participant.MeetingID(x.meet["Council 3 meeting 1"])).FirstIDX(x.ctx)
		_, err = x.s.RequestBallotCode(x.ctx, registry.VoterViewer(outsider), r.ID)
		wantErr(t, err, registry.RuleViolation, "roundId", "entitled")
		_, err = x.s.RequestBallotCode(x.ctx, x.views["teller1"], r.ID)
		wantErr(t, err, registry.Forbidden, "roundId", "")
		ev := x.s.Client.AuditEvent.Query().Where(auditevent.Action("round.codes")).OnlyX(x.ctx)
		if ev.Actor != voter.Name || strings.Contains(*ev.After, hashOf(strings.ReplaceAll(code, "-", ""))) {
			t.Errorf("the request's audit event: %s %s", ev.Actor, *ev.After)
		}

		// Presented as the bearer credential, the code is a voter who
		// names nobody, until it is used.
		auth := registry.NewAuthenticator(x.s, 0)
		v, err := auth.Authenticate(x.ctx, registry.BallotCodePrefix+code)
		if err != nil {
			t.Fatal(err)
		}
		if v.Name != "ballot code" || v.Role != registry.RoleVoter || v.Participant != 0 || v.AccountID != 0 || v.BallotCode != code {
			t.Errorf("the code's viewer: %+v", v)
		}
		if _, err := x.s.CastBallot(x.ctx, registry.CastInput{Code: v.BallotCode, For: []int{cands["P05"]}}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{code, "0000-0000-0000-0000"} {
			if _, err := auth.Authenticate(x.ctx, registry.BallotCodePrefix+bad); registry.KindOf(err) != registry.Unauthenticated {
				t.Errorf("code %s authenticates: %v", bad, err)
			}
		}
		// A code of a closed round is no credential.
		codes, err := x.s.IssueBallotCodes(x.ctx, x.views["teller1"], registry.CodesInput{RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := auth.Authenticate(x.ctx, registry.BallotCodePrefix+codes[0]); registry.KindOf(err) != registry.Unauthenticated {
			t.Errorf("a closed round's code authenticates: %v", err)
		}
	})
}

func TestAWithdrawnCandidateLeavesTheBallot(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, func(in *registry.ElectionInput) { in.Method, in.Contested = "PLURALITY", false },
			"P05", "P06", "P07", "P08")
		if e.Threshold != nil {
			t.Errorf("a plurality election takes no threshold unless given: %s", e.Threshold)
		}
		c, err := x.s.WithdrawCandidate(x.ctx, x.views["office"], registry.WithdrawInput{CandidateID: cands["P08"], Reason: "ill health"})
		if err != nil || c.Status != candidate.StatusWITHDRAWN || *c.WithdrawReason != "ill health" {
			t.Fatalf("withdraw: %v %v", c, err)
		}
		_, err = x.s.WithdrawCandidate(x.ctx, x.views["office"], registry.WithdrawInput{CandidateID: cands["P08"], Reason: "again"})
		wantErr(t, err, registry.RuleViolation, "candidateId", "nominated")
		r := x.open(t, e.ID, x.post["Council member"])
		if n := x.s.Client.Round.QueryCandidates(x.s.Client.Round.GetX(x.ctx, r.ID)).CountX(x.ctx); n != 3 {
			t.Errorf("%d candidates on the ballot, want the 3 not withdrawn", n)
		}
		_, err = x.s.WithdrawCandidate(x.ctx, x.views["office"], registry.WithdrawInput{CandidateID: cands["P07"], Reason: "late"})
		wantErr(t, err, registry.RuleViolation, "candidateId", "beforeBallot")

		// A mark for the withdrawn candidate is a mark for nobody on the
		// ballot: that ballot is invalid. By plurality the most marks win.
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: 6}); err != nil {
			t.Fatal(err)
		}
		x.enter(t, "teller1", r.ID, cands, append(papers(1, 5, "+P05", "+P06"), paper{"A0006", []string{"+P08"}})...)
		closed, err := x.s.CloseRound(x.ctx, x.views["chief"], registry.CloseInput{RoundID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range []string{"method PLURALITY", "Ballots: 6 issued, 6 returned, 5 valid, 1 invalid.",
			fmt.Sprintf("Ballot A0006 invalid: unknown candidate %d.", cands["P08"]), "Elected: 2 of 3 seats: P05, P06."} {
			if !strings.Contains(*closed.Report, line) {
				t.Errorf("report lacks %q:\n%s", line, *closed.Report)
			}
		}
		b := x.s.Client.Ballot.Query().Where(ballot.Serial("A0006")).OnlyX(x.ctx)
		if !b.Standing || b.Valid == nil || *b.Valid || !strings.HasPrefix(*b.Reason, "unknown candidate") {
			t.Errorf("ballot A0006: counted %v, valid %v, reason %v", b.Standing, b.Valid, b.Reason)
		}
	})
}

func TestPaperBallotsAndCodesTogetherStayWithinTheEntitled(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, _ := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		voters := x.s.Client.Round.QueryVoters(x.s.Client.Round.GetX(x.ctx, r.ID)).AllX(x.ctx)
		if _, err := x.s.IssueBallotCodes(x.ctx, x.views["teller1"], registry.CodesInput{RoundID: r.ID, ParticipantIDs: []int{voters[0].ParticipantID}}); err != nil {
			t.Fatal(err)
		}
		_, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: r.Entitled})
		wantErr(t, err, registry.RuleViolation, "issued", "issuedAtMostEntitled")
		if _, err := x.s.RecordIssued(x.ctx, x.views["teller1"], registry.IssuedInput{RoundID: r.ID, Issued: r.Entitled - 1}); err != nil {
			t.Fatal(err)
		}
		_, err = x.s.RequestBallotCode(x.ctx, registry.VoterViewer(voters[1].ParticipantID), r.ID)
		wantErr(t, err, registry.RuleViolation, "roundId", "issuedAtMostEntitled")
		_, err = x.s.IssueBallotCodes(x.ctx, x.views["teller1"], registry.CodesInput{RoundID: r.ID})
		wantErr(t, err, registry.RuleViolation, "roundId", "issuedAtMostEntitled")
		if got := x.s.Client.Round.GetX(x.ctx, r.ID); got.Issued+got.Codes != got.Entitled {
			t.Errorf("%d paper ballots and %d codes issued to %d entitled", got.Issued, got.Codes, got.Entitled)
		}
	})
}

// The ballot code rows are written when issued and never again: the
// transaction that casts a ballot leaves no mark on them (on PostgreSQL,
// no ballot_codes row shares its xmin with a ballot), so that the round's
// codes audit event, which names who was issued a code, leads to no
// ballot.
func TestCastingLeavesTheIssuedCodesUntouched(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := electOpen(t, d)
		e, cands := x.councilElection(t, nil, "P05", "P06", "P07", "P08")
		r := x.open(t, e.ID, x.post["Council member"])
		voters := x.s.Client.Round.QueryVoters(x.s.Client.Round.GetX(x.ctx, r.ID)).AllX(x.ctx)
		var codes []string
		for _, v := range voters[:2] {
			c, err := x.s.IssueBallotCodes(x.ctx, x.views["teller1"], registry.CodesInput{RoundID: r.ID, ParticipantIDs: []int{v.ParticipantID}})
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, c[0])
		}
		issued := x.rows(t, "SELECT * FROM ballot_codes ORDER BY id")
		for _, c := range codes {
			if _, err := x.s.CastBallot(x.ctx, registry.CastInput{Code: c, For: []int{cands["P05"]}}); err != nil {
				t.Fatal(err)
			}
		}
		if after := x.rows(t, "SELECT * FROM ballot_codes ORDER BY id"); after != issued {
			t.Errorf("casting changed the codes issued:\n%s\nthen\n%s", issued, after)
		}
		if x.s.Dialect == "postgres" {
			if linked := x.rows(t, "SELECT c.id FROM ballot_codes c JOIN ballots b ON b.xmin = c.xmin"); linked != "" {
				t.Errorf("ballot code rows written by the transactions of ballots: %s", linked)
			}
		}
		_, err := x.s.CastBallot(x.ctx, registry.CastInput{Code: codes[0], For: []int{cands["P06"]}})
		wantErr(t, err, registry.AlreadyVoted, "code", "oneBallot")
	})
}

// rows returns every row query q returns, one a line, for comparison.
func (x *electFixture) rows(t *testing.T, q string) string {
	t.Helper()
	rows, err := x.s.DB.QueryContext(x.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&out, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}
