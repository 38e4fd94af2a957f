package tally

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/societyregistry/registry/registry/rules"
)

// batch is n ballots marked alike.
type batch struct {
	n                     int
	for_, against, writes []string
}

// ballots numbers the ballots of the batches S0001, S0002, ... in order.
func ballots(batches ...batch) []Ballot {
	var out []Ballot
	for _, b := range batches {
		for range b.n {
			out = append(out, Ballot{Serial: fmt.Sprintf("S%04d", len(out)+1), For: b.for_, Against: b.against, WriteIns: b.writes})
		}
	}
	return out
}

// abcd are four listed candidates.
var abcd = []Candidate{{"a", "Zhang Wei", false}, {"b", "Li Na", false}, {"c", "Wang Fang", false}, {"d", "Liu Yang", false}}

func ids(cs []Candidate) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// outcomes maps each candidate's ID to its outcome.
func outcomes(res *Result) map[string]CandidateOutcome {
	m := map[string]CandidateOutcome{}
	for _, c := range res.Candidates {
		m[c.Candidate.ID] = c.Outcome
	}
	return m
}

func count(t *testing.T, r Round, bs []Ballot) *Result {
	t.Helper()
	res, err := Count(r, bs)
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return res
}

func TestCountThresholdAtTheBoundary(t *testing.T) {
	moreThanHalf := func(b rules.Base) *rules.Threshold {
		return &rules.Threshold{Fraction: rules.F(1, 2), Base: b, Strict: true}
	}
	tooMany := batch{n: 4, for_: []string{"a", "b"}} // invalid with one seat
	for _, c := range []struct {
		name       string
		threshold  *rules.Threshold
		entitled   int
		batches    []batch
		wantBase   int
		wantNeeded int
		want       CandidateOutcome
	}{
		{"exactly half of the returned is not elected", nil, 0,
			[]batch{{n: 50, for_: []string{"a"}}, {n: 50, against: []string{"a"}}}, 100, 51, BelowThreshold},
		{"one more than half is elected", nil, 0,
			[]batch{{n: 51, for_: []string{"a"}}, {n: 49, against: []string{"a"}}}, 100, 51, Elected},
		{"half of an odd base, rounded up, is more than half", nil, 0,
			[]batch{{n: 50, for_: []string{"a"}}, {n: 49}}, 99, 50, Elected},
		{"one short of more than half of an odd base", nil, 0,
			[]batch{{n: 49, for_: []string{"a"}}, {n: 50}}, 99, 50, BelowThreshold},
		{"invalid ballots count in the RETURNED base", moreThanHalf(rules.Returned), 0,
			[]batch{{n: 49, for_: []string{"a"}}, {n: 47}, tooMany}, 100, 51, BelowThreshold},
		{"invalid ballots do not count in the VALID base", moreThanHalf(rules.Valid), 0,
			[]batch{{n: 49, for_: []string{"a"}}, {n: 47}, tooMany}, 96, 49, Elected},
		{"ENTITLED base counts those who did not vote", moreThanHalf(rules.Entitled), 120,
			[]batch{{n: 60, for_: []string{"a"}}, {n: 20}}, 120, 61, BelowThreshold},
		{"at least two thirds, exactly met", &rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Returned}, 0,
			[]batch{{n: 60, for_: []string{"a"}}, {n: 30}}, 90, 60, Elected},
		{"at least two thirds, one short", &rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Returned}, 0,
			[]batch{{n: 59, for_: []string{"a"}}, {n: 31}}, 90, 60, BelowThreshold},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Round{Seats: 1, Threshold: c.threshold, Issued: 200, Entitled: c.entitled, Candidates: abcd[:2]}
			res := count(t, r, ballots(c.batches...))
			a := res.Candidates[0]
			if a.Candidate.ID != "a" || res.Base != c.wantBase || a.Needed != c.wantNeeded || a.Outcome != c.want {
				t.Errorf("first is %s with base %d, needed %d, %s; want a with base %d, needed %d, %s\n%s",
					a.Candidate.ID, res.Base, a.Needed, a.Outcome, c.wantBase, c.wantNeeded, c.want, res.Report())
			}
		})
	}
}

func TestCountDecidesEachBallotByTheRules(t *testing.T) {
	two := []string{"a", "b"}
	for _, c := range []struct {
		name     string
		writeIns bool
		b        Ballot
		want     Verdict
		wantFor  map[string]int // "for" votes of the candidates named
	}{
		{"as many FOR marks as seats is valid", false, Ballot{Serial: "1", For: two},
			Verdict{Serial: "1", Valid: true}, map[string]int{"a": 1, "b": 1}},
		{"seats + 1 FOR marks is invalid", false, Ballot{Serial: "1", For: []string{"a", "b", "c"}},
			Verdict{Serial: "1", Reason: "too many FOR marks: 3 for 2 seats"}, map[string]int{"a": 0}},
		{"names written in count as FOR marks", true, Ballot{Serial: "1", For: []string{"a"}, WriteIns: []string{"Li Si", "Zhao Lei"}},
			Verdict{Serial: "1", Reason: "too many FOR marks: 3 for 2 seats"}, map[string]int{"a": 0}},
		{"a name written in is a vote for it", true, Ballot{Serial: "1", For: []string{"a"}, WriteIns: []string{"  Li   Si "}},
			Verdict{Serial: "1", Valid: true}, map[string]int{"a": 1, "write-in:Li Si": 1}},
		{"AGAINST marks do not count against the seats", false, Ballot{Serial: "1", For: two, Against: []string{"c", "d"}},
			Verdict{Serial: "1", Valid: true}, map[string]int{"a": 1}},
		{"a blank ballot is valid: all abstain", false, Ballot{Serial: "1"},
			Verdict{Serial: "1", Valid: true}, map[string]int{"a": 0}},
		{"an unknown candidate invalidates", false, Ballot{Serial: "1", For: []string{"a"}, Against: []string{"z", "y"}},
			Verdict{Serial: "1", Reason: "unknown candidate y"}, map[string]int{"a": 0}},
		{"FOR and AGAINST one candidate invalidates", false, Ballot{Serial: "1", For: []string{"a"}, Against: []string{"a"}},
			Verdict{Serial: "1", Reason: "candidate a marked twice"}, map[string]int{"a": 0}},
		{"one name written in twice invalidates", true, Ballot{Serial: "1", WriteIns: []string{"Li Si", "Li  Si"}},
			Verdict{Serial: "1", Reason: "candidate write-in:Li Si marked twice"}, map[string]int{"write-in:Li Si": 0}},
		{"names written in where not allowed are ignored", false, Ballot{Serial: "1", For: two, WriteIns: []string{"Li Si"}},
			Verdict{Serial: "1", Valid: true, Note: "names written in ignored: write-ins are not allowed"}, map[string]int{"a": 1, "write-in:Li Si": 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := count(t, Round{Seats: 2, WriteIns: c.writeIns, Issued: 10, Candidates: abcd}, []Ballot{c.b})
			if diff := cmp.Diff([]Verdict{c.want}, res.Ballots); diff != "" {
				t.Errorf("verdict mismatch (-want +got):\n%s", diff)
			}
			got := map[string]int{}
			for id := range c.wantFor {
				got[id] = 0
			}
			for _, cc := range res.Candidates {
				if _, ok := c.wantFor[cc.Candidate.ID]; ok {
					got[cc.Candidate.ID] = cc.For
				}
			}
			if diff := cmp.Diff(c.wantFor, got); diff != "" {
				t.Errorf("for votes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCountInvalidatesTheSecondBallotOfOneSerial(t *testing.T) {
	bs := []Ballot{{Serial: "7", For: []string{"a"}}, {Serial: "8"}, {Serial: "7", For: []string{"b"}}}
	res := count(t, Round{Seats: 1, Issued: 3, Candidates: abcd}, bs)
	want := []Verdict{{Serial: "7", Valid: true}, {Serial: "8", Valid: true}, {Serial: "7", Reason: "duplicate serial 7"}}
	if diff := cmp.Diff(want, res.Ballots); diff != "" {
		t.Errorf("verdicts mismatch (-want +got):\n%s", diff)
	}
	if res.Returned != 3 || res.Valid != 2 {
		t.Errorf("returned %d, valid %d; want 3, 2", res.Returned, res.Valid)
	}
}

func TestCountVoidsARoundWithMoreBallotsReturnedThanIssued(t *testing.T) {
	all := ballots(batch{n: 10, for_: []string{"a"}})
	for _, c := range []struct {
		name             string
		issued, entitled int
		wantVoid         bool
	}{
		{"returned == issued stands", 10, 0, false},
		{"returned > issued voids", 9, 0, true},
		{"returned == issued == entitled stands", 10, 10, false},
		{"returned > entitled voids, though issued", 11, 9, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := count(t, Round{Seats: 1, MaxRounds: 2, Issued: c.issued, Entitled: c.entitled, Candidates: abcd}, all)
			if res.Void != c.wantVoid {
				t.Fatalf("void %v, want %v", res.Void, c.wantVoid)
			}
			if !c.wantVoid {
				if diff := cmp.Diff([]string{"a"}, ids(res.Elected)); diff != "" {
					t.Errorf("elected mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if len(res.Elected) != 0 || outcomes(res)["a"] != Void {
				t.Errorf("a void round elected %v, a's outcome %s", ids(res.Elected), outcomes(res)["a"])
			}
			if res.Next == nil || res.Next.Seats != 1 || len(res.Next.Candidates) != len(abcd) {
				t.Errorf("a void round is held again with every seat and candidate, got next %+v", res.Next)
			}
		})
	}
}

func TestCountSendsATieAtTheCutoffToAnotherRound(t *testing.T) {
	// Of 250 ballots, a has 60, b and c 55, d as given; all pass a
	// threshold of at least 1/5 (50).
	four := func(d int) []Ballot {
		return ballots(batch{n: 60, for_: []string{"a"}}, batch{n: 55, for_: []string{"b"}},
			batch{n: 55, for_: []string{"c"}}, batch{n: d, for_: []string{"d"}}, batch{n: 80 - d})
	}
	fifth := &rules.Threshold{Fraction: rules.F(1, 5), Base: rules.Returned}
	for _, c := range []struct {
		name                   string
		seats, maxRounds, dFor int
		wantElected            []string
		wantNext               []string
		wantNextSeats, vacant  int
		want                   map[string]CandidateOutcome
	}{
		{"the tie straddles the last seat: the tied go on for the seats left", 3, 2, 55,
			[]string{"a"}, []string{"b", "c", "d"}, 2, 0,
			map[string]CandidateOutcome{"a": Elected, "b": Tied, "c": Tied, "d": Tied}},
		{"a tie within the seats elects them all", 4, 2, 55,
			[]string{"a", "b", "c", "d"}, nil, 0, 0,
			map[string]CandidateOutcome{"a": Elected, "b": Elected, "c": Elected, "d": Elected}},
		{"a tie below the cut-off does not matter", 3, 2, 54,
			[]string{"a", "b", "c"}, nil, 0, 0,
			map[string]CandidateOutcome{"a": Elected, "b": Elected, "c": Elected, "d": Outranked}},
		{"with no round left the tied seats stay vacant", 3, 1, 55,
			[]string{"a"}, nil, 0, 2,
			map[string]CandidateOutcome{"a": Elected, "b": Tied, "c": Tied, "d": Tied}},
		{"a tie for the only seat elects nobody", 1, 2, 60,
			nil, []string{"a", "d"}, 1, 0,
			map[string]CandidateOutcome{"a": Tied, "b": Outranked, "c": Outranked, "d": Tied}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := count(t, Round{Seats: c.seats, MaxRounds: c.maxRounds, Threshold: fifth, Issued: 250, Candidates: abcd}, four(c.dFor))
			checkRound(t, res, c.wantElected, c.wantNext, c.wantNextSeats, c.vacant)
			if diff := cmp.Diff(c.want, outcomes(res)); diff != "" {
				t.Errorf("outcomes mismatch (-want +got):\n%s\n%s", diff, res.Report())
			}
		})
	}
}

// checkRound checks who a round elected, what goes to the next round and
// what stays vacant.
func checkRound(t *testing.T, res *Result, elected, next []string, nextSeats, vacant int) {
	t.Helper()
	var gotNext []string
	gotSeats := 0
	if res.Next != nil {
		gotNext, gotSeats = ids(res.Next.Candidates), res.Next.Seats
		if res.Next.Number != res.Round.Number+1 {
			t.Errorf("next round is number %d after %d", res.Next.Number, res.Round.Number)
		}
	}
	if diff := cmp.Diff(ids(candidatesOf(elected)), ids(res.Elected)); diff != "" {
		t.Errorf("elected mismatch (-want +got):\n%s\n%s", diff, res.Report())
	}
	if diff := cmp.Diff(next, gotNext); diff != "" || gotSeats != nextSeats || res.Vacant != vacant {
		t.Errorf("next round %v for %d seats, %d vacant; want %v for %d, %d vacant\n%s", gotNext, gotSeats, res.Vacant, next, nextSeats, vacant, res.Report())
	}
}

func candidatesOf(ids []string) []Candidate {
	out := []Candidate{}
	for _, id := range ids {
		out = append(out, Candidate{ID: id})
	}
	return out
}

func TestCountSendsUnfilledSeatsToAFurtherRound(t *testing.T) {
	// Only a passes (6 of 10); b has 5, c 4, d none.
	bs := ballots(batch{n: 5, for_: []string{"a", "b"}}, batch{n: 1, for_: []string{"a"}}, batch{n: 4, for_: []string{"c"}, against: []string{"a"}})
	for _, c := range []struct {
		name      string
		maxRounds int
		next      []string
		nextSeats int
		vacant    int
	}{
		{"the candidates not elected stand again for the seats left", 3, []string{"b", "c", "d"}, 2, 0},
		{"with no round left the seats stay vacant", 1, nil, 0, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Round{Seats: 3, MaxRounds: c.maxRounds, Issued: 10, Candidates: abcd}
			r.Threshold = &rules.Threshold{Fraction: rules.F(3, 5), Base: rules.Returned} // 6 of 10
			res := count(t, r, bs)
			checkRound(t, res, []string{"a"}, c.next, c.nextSeats, c.vacant)
		})
	}
	t.Run("a further round counts its own ballots", func(t *testing.T) {
		res := count(t, Round{Seats: 2, MaxRounds: 2, Issued: 10, Candidates: abcd}, ballots(batch{n: 4}))
		checkRound(t, res, nil, []string{"a", "b", "c", "d"}, 2, 0)
		res2 := count(t, withIssued(*res.Next, 3), ballots(batch{n: 3, for_: []string{"b", "d"}}))
		checkRound(t, res2, []string{"b", "d"}, nil, 0, 0)
	})
}

func withIssued(r Round, n int) Round {
	r.Issued = n
	return r
}

func TestCountElectsANameWrittenIn(t *testing.T) {
	r := Round{Seats: 1, MaxRounds: 2, WriteIns: true, Issued: 10, Candidates: abcd[:1]}
	bs := ballots(batch{n: 5, writes: []string{"Li Si"}}, batch{n: 5, for_: []string{"a"}})
	res := count(t, r, bs)
	// 5 of 10 is not more than half: a further round between both.
	checkRound(t, res, nil, []string{"a", "write-in:Li Si"}, 1, 0)
	next := *res.Next
	if w := next.Candidates[1]; !w.WriteIn || w.Name != "Li Si" {
		t.Errorf("the name written in stands again as %+v", w)
	}
	// Written in again, or marked by its ID, it is one candidate.
	next.Issued = 10
	res2 := count(t, next, ballots(batch{n: 3, writes: []string{"Li Si"}}, batch{n: 3, for_: []string{"write-in:Li Si"}}, batch{n: 4, for_: []string{"a"}}))
	checkRound(t, res2, []string{"write-in:Li Si"}, nil, 0, 0)
	if len(res2.Candidates) != 2 {
		t.Errorf("round 2 counted %d candidates, want 2\n%s", len(res2.Candidates), res2.Report())
	}
}

func TestCountByPluralityAndApproval(t *testing.T) {
	bs := ballots(batch{n: 4, for_: []string{"a", "b"}}, batch{n: 3, for_: []string{"c", "b"}}, batch{n: 2, for_: []string{"a"}}, batch{n: 1, against: []string{"a"}})
	atLeastFour := &rules.Threshold{Fraction: rules.F(2, 5), Base: rules.Returned}
	for _, c := range []struct {
		name      string
		method    Method
		seats     int
		threshold *rules.Threshold
		elected   []string
		next      []string
		nextSeats int
	}{
		// b 7, a 6, c 3, d 0.
		{"plurality elects the most votes", Plurality, 2, nil, []string{"b", "a"}, nil, 0},
		{"approval elects the most approvals", Approval, 2, nil, []string{"b", "a"}, nil, 0},
		{"no threshold elects a minority", Plurality, 3, nil, []string{"b", "a", "c"}, nil, 0},
		{"nobody is elected without a vote", Approval, 4, nil, []string{"b", "a", "c"}, []string{"d"}, 1},
		{"a threshold applies when set", Plurality, 3, atLeastFour, []string{"b", "a"}, []string{"c", "d"}, 1},
		{"for/against asks for more than half", ForAgainst, 3, nil, []string{"b", "a"}, []string{"c", "d"}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Round{Seats: c.seats, MaxRounds: 2, Method: c.method, Threshold: c.threshold, Issued: 10, Candidates: abcd}
			checkRound(t, count(t, r, bs), c.elected, c.next, c.nextSeats, 0)
		})
	}
}

func TestCountRefusesABadRound(t *testing.T) {
	ok := Round{Seats: 1, Issued: 1, Candidates: abcd}
	for _, c := range []struct {
		name  string
		edit  func(*Round)
		field string
	}{
		{"no seats", func(r *Round) { r.Seats = 0 }, "seats"},
		{"an unknown method", func(r *Round) { r.Method = "RANKED" }, "method"},
		{"max rounds before the round", func(r *Round) { r.Number, r.MaxRounds = 3, 2 }, "maxRounds"},
		{"a negative issue", func(r *Round) { r.Issued = -1 }, "issued"},
		{"a base elections do not count", func(r *Round) { r.Threshold = &rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Present} }, "threshold.base"},
		{"a fraction over one", func(r *Round) { r.Threshold = &rules.Threshold{Fraction: rules.F(3, 2), Base: rules.Valid} }, "threshold.fraction.num"},
		{"ENTITLED without the entitled", func(r *Round) { r.Threshold = &rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Entitled} }, "entitled"},
		{"two candidates with one ID", func(r *Round) { r.Candidates = []Candidate{{ID: "a"}, {ID: "b"}, {ID: "a"}} }, "candidates[2].id"},
		{"a candidate without an ID", func(r *Round) { r.Candidates = []Candidate{{Name: "Li Si"}} }, "candidates[0].id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.edit(&r)
			_, err := Count(r, nil)
			var e *Error
			if !errors.As(err, &e) || e.Field != c.field {
				t.Errorf("Count = %v, want an error on %s", err, c.field)
			}
		})
	}
	if _, err := Count(ok, nil); err != nil {
		t.Errorf("the good round: %v", err)
	}
}

func TestReportSpellsOutTheArithmetic(t *testing.T) {
	r := Round{Seats: 2, MaxRounds: 2, Issued: 92, WriteIns: true, Candidates: abcd[:3]}
	bs := ballots(
		batch{n: 41, for_: []string{"a", "b"}, against: []string{"c"}},
		batch{n: 20, for_: []string{"a", "c"}, against: []string{"b"}},
		batch{n: 20, against: []string{"a", "c"}, for_: []string{"b"}},
		batch{n: 8, writes: []string{"Li Si"}},
		batch{n: 1, for_: []string{"a", "b", "c"}},
	)
	res := count(t, r, bs)
	want := `Round 1 of at most 2: 2 seats, method FOR_AGAINST, threshold more than 1/2 of RETURNED.
Ballots: 92 issued, 90 returned, 89 valid, 1 invalid.
Ballot S0090 invalid: too many FOR marks: 3 for 2 seats.
Zhang Wei: 61 for, 20 against, 8 abstain; needs more than 1/2 of 90 returned = 46: ELECTED
Li Na: 61 for, 20 against, 8 abstain; needs more than 1/2 of 90 returned = 46: ELECTED
Wang Fang: 20 for, 61 against, 8 abstain; needs more than 1/2 of 90 returned = 46: BELOW_THRESHOLD (20 for, 46 needed)
Li Si (written in): 8 for, 0 against, 81 abstain; needs more than 1/2 of 90 returned = 46: BELOW_THRESHOLD (8 for, 46 needed)
Elected: 2 of 2 seats: Zhang Wei, Li Na.
`
	if diff := cmp.Diff(want, res.Report()); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
}

func TestReportNamesTheTieAndTheNextRound(t *testing.T) {
	r := Round{Seats: 1, MaxRounds: 2, Issued: 4, Candidates: abcd[:2]}
	res := count(t, r, ballots(batch{n: 3, for_: []string{"a"}}, batch{n: 3, for_: []string{"b"}}))
	want := `Round 1 of at most 2: 1 seat, method FOR_AGAINST, threshold more than 1/2 of RETURNED.
Ballots: 4 issued, 6 returned, 6 valid, 0 invalid.
VOID: more ballots returned than issued; nobody is elected.
Zhang Wei: 3 for, 0 against, 3 abstain; needs more than 1/2 of 6 returned = 4: VOID
Li Na: 3 for, 0 against, 3 abstain; needs more than 1/2 of 6 returned = 4: VOID
Elected: 0 of 1 seat: none.
Round 2 follows for 1 seat: the round is void: 6 ballots returned, 4 issued; it is held again.
`
	if diff := cmp.Diff(want, res.Report()); diff != "" {
		t.Errorf("void report mismatch (-want +got):\n%s", diff)
	}
	r.Issued, r.Threshold = 6, &rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Returned}
	res = count(t, r, ballots(batch{n: 3, for_: []string{"a"}}, batch{n: 3, for_: []string{"b"}}))
	want = `Zhang Wei: 3 for, 0 against, 3 abstain; needs at least 1/2 of 6 returned = 3: TIED (tie at the cut-off: 2 candidates with 3 votes for 1 seat; to round 2)
Li Na: 3 for, 0 against, 3 abstain; needs at least 1/2 of 6 returned = 3: TIED (tie at the cut-off: 2 candidates with 3 votes for 1 seat; to round 2)
Elected: 0 of 1 seat: none.
Round 2 follows for 1 seat: tie at the cut-off: 2 candidates with 3 votes for 1 seat.
`
	if got := res.Report(); !strings.HasSuffix(got, want) {
		t.Errorf("tie report ends\n%s\nwant\n%s", got, want)
	}
}

func TestCountTakesWriteInsInAFurtherRoundExceptAmongTheTied(t *testing.T) {
	// 8 ballots; a threshold of more than 1/2 of those returned (5).
	for _, c := range []struct {
		name         string
		issued       int
		ballots      []Ballot
		wantNext     []string
		wantWriteIns bool
	}{
		{"a tie at the cut-off: the tied among themselves", 8,
			ballots(batch{n: 3, for_: []string{"a", "b"}}, batch{n: 3, for_: []string{"a", "c"}}, batch{n: 2, for_: []string{"b", "c"}}),
			[]string{"b", "c"}, false},
		{"a seat unfilled: written-in names again", 8,
			ballots(batch{n: 6, for_: []string{"a"}}, batch{n: 2, for_: []string{"b"}}),
			[]string{"b", "c", "d"}, true},
		{"a void round: held again as it was", 7,
			ballots(batch{n: 8, for_: []string{"a", "b"}}),
			[]string{"a", "b", "c", "d"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := count(t, Round{Seats: 2, MaxRounds: 2, Issued: c.issued, WriteIns: true, Candidates: abcd}, c.ballots)
			if res.Next == nil {
				t.Fatalf("no further round:\n%s", res.Report())
			}
			if diff := cmp.Diff(c.wantNext, ids(res.Next.Candidates)); diff != "" || res.Next.WriteIns != c.wantWriteIns {
				t.Errorf("next round %v write-ins %v; want %v, %v\n%s", ids(res.Next.Candidates), res.Next.WriteIns, c.wantNext, c.wantWriteIns, res.Report())
			}
		})
	}
}
