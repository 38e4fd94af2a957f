package rules

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestThresholdAtTheBoundary(t *testing.T) {
	twoThirds := Threshold{Fraction: F(2, 3), Base: Present}
	moreThanHalf := Threshold{Fraction: F(1, 2), Base: Present, Strict: true}
	for _, c := range []struct {
		name        string
		t           Threshold
		count, base int64
		want        bool
	}{
		{"exactly two thirds", twoThirds, 30, 45, true},
		{"one short of two thirds", twoThirds, 29, 45, false},
		{"one over two thirds", twoThirds, 31, 45, true},
		{"two thirds of an indivisible base", twoThirds, 27, 40, true}, // 26.67 needed
		{"just under two thirds of it", twoThirds, 26, 40, false},
		{"exactly half is not more than half", moreThanHalf, 50, 100, false},
		{"one over half", moreThanHalf, 51, 100, true},
		{"more than half of an odd base", moreThanHalf, 50, 99, true},
		{"nothing of nothing, at least", Threshold{Fraction: F(0, 1), Base: Cast}, 0, 0, true},
		{"large counts stay exact", twoThirds, 2_000_000_000_000, 3_000_000_000_000, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.t.Met(c.count, c.base); got != c.want {
				t.Errorf("%s: Met(%d, %d) = %v, want %v", c.t, c.count, c.base, got, c.want)
			}
			// Needed is the least count that meets it.
			n := c.t.Needed(c.base)
			if c.base > 0 && (!c.t.Met(n, c.base) || c.t.Met(n-1, c.base)) {
				t.Errorf("Needed(%d) = %d is not the least count that meets %s", c.base, n, c.t)
			}
		})
	}
}

func TestNeededCounts(t *testing.T) {
	for _, c := range []struct {
		t    Threshold
		base int64
		want int64
	}{
		{Threshold{Fraction: F(2, 3), Base: Present}, 45, 30},
		{Threshold{Fraction: F(2, 3), Base: Present}, 40, 27},
		{Threshold{Fraction: F(1, 2), Base: Returned, Strict: true}, 100, 51},
		{Threshold{Fraction: F(1, 2), Base: Returned, Strict: true}, 99, 50},
		{Threshold{Fraction: F(1, 3), Base: Entitled}, 120, 40},
	} {
		if got := c.t.Needed(c.base); got != c.want {
			t.Errorf("%s of %d: needs %d, want %d", c.t, c.base, got, c.want)
		}
	}
}

func TestDefaultsFollowTheArticles(t *testing.T) {
	council := Defaults("COUNCIL")
	if council.TermYears != 5 || council.ConsecutiveTermLimit != 2 || council.LeadershipAgeLimit != 70 {
		t.Errorf("council defaults: %+v", council)
	}
	if got := council.Quorum.String(); got != "at least 2/3 of ENTITLED" {
		t.Errorf("council quorum %q", got)
	}
	if got := council.Resolution.String(); got != "at least 2/3 of PRESENT" {
		t.Errorf("council resolution %q", got)
	}
	if got := Defaults("ASSOCIATION").Resolution.String(); got != "more than 1/2 of PRESENT" {
		t.Errorf("assembly resolution %q", got)
	}
	if got := council.StandingCouncilMax.String(); got != "1/3" {
		t.Errorf("standing council share %q", got)
	}
	if council.MinRenewal != nil {
		t.Errorf("minimum renewal is optional, default none: %v", council.MinRenewal)
	}
}

func TestWithDefaultsKeepsWhatIsSet(t *testing.T) {
	set := Rules{TermYears: 4, MinRenewal: &Fraction{1, 3}, Quorum: &Threshold{Fraction: F(1, 2), Base: Entitled, Strict: true}}
	got := set.WithDefaults(Defaults("ACADEMIC_BRANCH"))
	if got.TermYears != 4 || got.MinRenewal.String() != "1/3" || got.Quorum.String() != "more than 1/2 of ENTITLED" {
		t.Errorf("set values lost: %+v", got)
	}
	if got.LeadershipAgeLimit != 70 || got.IndividualNumberPattern != "M%06d" {
		t.Errorf("defaults not filled: %+v", got)
	}
}

func TestRulesRoundTripThroughJSON(t *testing.T) {
	r := Defaults("COUNCIL")
	r.MinRenewal = &Fraction{1, 3}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Rules
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestValidateNamesTheFieldAndRule(t *testing.T) {
	for _, c := range []struct {
		r     Rules
		field string
	}{
		{Rules{TermYears: 11}, "termYears"},
		{Rules{Quorum: &Threshold{Fraction: F(2, 0), Base: Entitled}}, "quorum.fraction.den"},
		{Rules{Resolution: &Threshold{Fraction: F(4, 3), Base: Present}}, "resolution.fraction.num"},
		{Rules{Election: &Threshold{Fraction: F(1, 2), Base: "HANDS"}}, "election.base"},
		{Rules{StandingCouncilMax: &Fraction{-1, 3}}, "standingCouncilMax.num"},
		{Rules{LeadershipAgeLimit: 12}, "leadershipAgeLimit"},
		{Rules{IndividualNumberPattern: "M%s%d"}, "individualNumberPattern"},
		{Rules{UnitNumberPattern: "U-unit"}, "unitNumberPattern"},
		{Rules{Motions: map[string]Threshold{"ORDINARY": {Fraction: F(1, 2), Base: Present}}}, "motions.ORDINARY"},
		{Rules{Motions: map[string]Threshold{"lower": {Fraction: F(1, 2), Base: Present}}}, "motions.lower"},
		{Rules{Motions: map[string]Threshold{"CENSURE": {Fraction: F(3, 2), Base: Present}}}, "motions.CENSURE.fraction.num"},
		{Rules{AssemblyMinSeats: 101}, "assemblyMinSeats"},
		{Rules{ContestMargin: &Fraction{1, 0}}, "contestMargin.den"},
		{Rules{ContestMargin: &Fraction{6, 5}}, "contestMargin.num"},
		{Rules{ElectionMaxRounds: 11}, "electionMaxRounds"},
		{Rules{ElectionMaxRounds: -1}, "electionMaxRounds"},
	} {
		err := c.r.Validate()
		var e *Error
		if !errors.As(err, &e) || e.Field != c.field {
			t.Errorf("%+v: error %v, want one naming %s", c.r, err, c.field)
		}
	}
	if err := Defaults("COUNCIL").Validate(); err != nil {
		t.Errorf("the defaults are invalid: %v", err)
	}
	if err := (Rules{}).Validate(); err != nil {
		t.Errorf("empty rules (all defaults) are invalid: %v", err)
	}
}

func TestMotionThresholdsComeFromTheRulesWithDefaults(t *testing.T) {
	council := Rules{Motions: map[string]Threshold{"CENSURE": {Fraction: F(3, 4), Base: Present}}}.WithDefaults(Defaults("COUNCIL"))
	for kind, want := range map[string]string{
		MotionOrdinary:          "at least 2/3 of PRESENT",
		MotionArticlesAmendment: "at least 2/3 of PRESENT",
		MotionDismissal:         "at least 2/3 of PRESENT",
		MotionBudget:            "at least 2/3 of PRESENT",
		"CENSURE":               "at least 3/4 of PRESENT",
	} {
		got, ok := council.MotionThreshold(kind)
		if !ok || got.String() != want {
			t.Errorf("council %s: %v %v, want %s", kind, got, ok, want)
		}
	}
	if _, ok := council.MotionThreshold("NONE"); ok {
		t.Error("an unknown kind has a threshold")
	}
	if got, _ := (Rules{}).WithDefaults(Defaults("ASSOCIATION")).MotionThreshold(MotionBudget); got.String() != "more than 1/2 of PRESENT" {
		t.Errorf("the assembly's budget needs %s", got)
	}
	if got := council.MotionKinds(); !slices.Equal(got, []string{"ORDINARY", "ARTICLES_AMENDMENT", "BUDGET", "CENSURE", "DISMISSAL"}) {
		t.Errorf("kinds %v", got)
	}
}

func TestElectionDefaults(t *testing.T) {
	r := Defaults("ASSOCIATION")
	if got := r.Election.String(); got != "more than 1/2 of RETURNED" {
		t.Errorf("election threshold %q", got)
	}
	if r.ContestMargin.String() != "1/5" || r.ElectionMaxRounds != 3 {
		t.Errorf("contest margin %s, max rounds %d; want 1/5 and 3", r.ContestMargin, r.ElectionMaxRounds)
	}
	set := Rules{ContestMargin: &Fraction{1, 4}, ElectionMaxRounds: 2}.WithDefaults(r)
	if set.ContestMargin.String() != "1/4" || set.ElectionMaxRounds != 2 {
		t.Errorf("set election rules lost: %s, %d", set.ContestMargin, set.ElectionMaxRounds)
	}
}

func TestContestExtraRoundsUpAndAsksAtLeastOne(t *testing.T) {
	fifth := Fraction{1, 5}
	for _, c := range []struct {
		m           Fraction
		seats, want int
	}{
		{fifth, 5, 1},    // exactly one per five
		{fifth, 10, 2},   // exactly two
		{fifth, 11, 3},   // 2.2 rounds up
		{fifth, 1, 1},    // 0.2 rounds up
		{fifth, 111, 23}, // 22.2
		{Fraction{0, 1}, 9, 1},
		{Fraction{1, 1}, 7, 7},
	} {
		if got := ContestExtra(c.m, c.seats); got != c.want {
			t.Errorf("margin %s on %d seats: %d more candidates, want %d", c.m, c.seats, got, c.want)
		}
	}
}
