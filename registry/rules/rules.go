// Package rules holds an organization's rules from its articles of
// association: term length, quorums and thresholds as exact fractions,
// term and age limits, the standing council's share, member numbering.
// Every value has the articles' usual default; nothing here touches a
// database.
package rules

import (
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
)

// Base names what a threshold or quorum is a fraction of.
type Base string

// The bases every threshold is counted on.
const (
	// Entitled is the voters snapshotted when a vote or round opened.
	Entitled Base = "ENTITLED"
	// Present is those of the entitled checked in at that moment.
	Present Base = "PRESENT"
	// Cast is yes + no + abstain.
	Cast Base = "CAST"
	// Returned is the ballots returned, in elections.
	Returned Base = "RETURNED"
	// Valid is the valid ballots, in elections.
	Valid Base = "VALID"
)

// Bases lists every Base, in the order the API shows them.
var Bases = []Base{Entitled, Present, Cast, Returned, Valid}

// Fraction is an exact ratio of two integers. Rules never use floats.
type Fraction struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// F returns the fraction num/den.
func F(num, den int64) Fraction { return Fraction{Num: num, Den: den} }

// String writes the fraction as "2/3".
func (f Fraction) String() string { return fmt.Sprintf("%d/%d", f.Num, f.Den) }

func (f Fraction) validate(field string) error {
	if f.Den <= 0 {
		return &Error{Field: field + ".den", Rule: "must be positive"}
	}
	if f.Num < 0 || f.Num > f.Den {
		return &Error{Field: field + ".num", Rule: fmt.Sprintf("must lie between 0 and the denominator %d", f.Den)}
	}
	return nil
}

// Threshold is a share of a base that a count must reach: at least the
// fraction (Strict false) or more than it (Strict true).
type Threshold struct {
	Fraction Fraction `json:"fraction"`
	Base     Base     `json:"base"`
	Strict   bool     `json:"strict"`
}

// Met reports whether count reaches the threshold of base, in exact
// integer arithmetic: count/base >= num/den is count*den >= num*base.
func (t Threshold) Met(count, base int64) bool {
	l := new(big.Int).Mul(big.NewInt(count), big.NewInt(t.Fraction.Den))
	r := new(big.Int).Mul(big.NewInt(t.Fraction.Num), big.NewInt(base))
	c := l.Cmp(r)
	if t.Strict {
		return c > 0
	}
	return c >= 0
}

// Needed returns the smallest count that meets the threshold of base.
func (t Threshold) Needed(base int64) int64 {
	// ceil(num*base/den), plus one when strict and exact.
	prod := t.Fraction.Num * base
	n := prod / t.Fraction.Den
	if prod%t.Fraction.Den != 0 {
		n++
	} else if t.Strict {
		n++
	}
	return n
}

// String writes the threshold as "more than 1/2 of PRESENT".
func (t Threshold) String() string {
	if t.Strict {
		return fmt.Sprintf("more than %s of %s", t.Fraction, t.Base)
	}
	return fmt.Sprintf("at least %s of %s", t.Fraction, t.Base)
}

func (t Threshold) validate(field string) error {
	if err := t.Fraction.validate(field + ".fraction"); err != nil {
		return err
	}
	for _, b := range Bases {
		if t.Base == b {
			return nil
		}
	}
	return &Error{Field: field + ".base", Rule: fmt.Sprintf("must be one of %v", Bases)}
}

// Rules are one organization's rules. The zero value of a field means
// "not set": [Rules.WithDefaults] fills it from the articles' defaults
// for the organization's kind.
type Rules struct {
	// TermYears is the length of a term of office in years.
	TermYears int `json:"termYears,omitempty"`
	// Quorum is the share of the entitled who must be present.
	Quorum *Threshold `json:"quorum,omitempty"`
	// Resolution is what an ordinary motion needs to pass.
	Resolution *Threshold `json:"resolution,omitempty"`
	// ArticlesAmendment is what a motion amending the articles needs.
	ArticlesAmendment *Threshold `json:"articlesAmendment,omitempty"`
	// Election is what a candidate needs to be elected.
	Election *Threshold `json:"election,omitempty"`
	// ContestMargin is the least share of the seats by which a contested
	// election's (差额) candidates must outnumber its seats: 1/5 asks one
	// more candidate for every five seats, rounded up, and never fewer
	// than one more.
	ContestMargin *Fraction `json:"contestMargin,omitempty"`
	// ElectionMaxRounds is the most rounds of ballots an election may
	// hold for one post: ties and unfilled seats go to a further round
	// until this one, and then stay vacant.
	ElectionMaxRounds int `json:"electionMaxRounds,omitempty"`
	// Motions holds what the other kinds of motion need to pass, by kind
	// (DISMISSAL, BUDGET, ...); ORDINARY is Resolution and
	// ARTICLES_AMENDMENT is ArticlesAmendment.
	Motions map[string]Threshold `json:"motions,omitempty"`
	// AssemblyMinSeats is the fewest representatives any constituency of
	// the member representative assembly gets.
	AssemblyMinSeats int `json:"assemblyMinSeats,omitempty"`
	// ConsecutiveTermLimit is how many consecutive terms one person may
	// hold a leadership post.
	ConsecutiveTermLimit int `json:"consecutiveTermLimit,omitempty"`
	// LeadershipAgeLimit is the oldest age, in whole years on a term's
	// first day, at which a person may take a leadership post.
	LeadershipAgeLimit int `json:"leadershipAgeLimit,omitempty"`
	// StandingCouncilMax is the largest share of the council that the
	// standing council may have.
	StandingCouncilMax *Fraction `json:"standingCouncilMax,omitempty"`
	// MinRenewal, when set, is the least share of a new term's roster that
	// must be new people.
	MinRenewal *Fraction `json:"minRenewal,omitempty"`
	// MaxDeferralDays is the longest a succession may be deferred.
	MaxDeferralDays int `json:"maxDeferralDays,omitempty"`
	// IndividualNumberPattern and UnitNumberPattern format new member
	// numbers from a sequence (fmt verbs, one integer).
	IndividualNumberPattern string `json:"individualNumberPattern,omitempty"`
	UnitNumberPattern       string `json:"unitNumberPattern,omitempty"`
}

// Defaults returns the articles' usual rules for an organization of the
// given kind (the ent Organization kind, as a string).
func Defaults(kind string) Rules {
	twoThirdsOfEntitled := Threshold{Fraction: F(2, 3), Base: Entitled}
	r := Rules{
		TermYears:         5,
		Quorum:            &twoThirdsOfEntitled,
		Resolution:        &Threshold{Fraction: F(1, 2), Base: Present, Strict: true},
		ArticlesAmendment: &Threshold{Fraction: F(2, 3), Base: Present},
		Election:          &Threshold{Fraction: F(1, 2), Base: Returned, Strict: true},
		ContestMargin:     &Fraction{Num: 1, Den: 5},
		ElectionMaxRounds: 3,
		Motions: map[string]Threshold{
			// Dismissing an officer needs two thirds of those present;
			// the budget is an ordinary decision, spelled out.
			MotionDismissal: {Fraction: F(2, 3), Base: Present},
			MotionBudget:    {Fraction: F(1, 2), Base: Present, Strict: true},
		},
		AssemblyMinSeats:        1,
		ConsecutiveTermLimit:    2,
		LeadershipAgeLimit:      70,
		StandingCouncilMax:      &Fraction{Num: 1, Den: 3},
		MaxDeferralDays:         365,
		IndividualNumberPattern: "M%06d",
		UnitNumberPattern:       "U%04d",
	}
	switch kind {
	case "COUNCIL", "STANDING_COUNCIL":
		// Council resolutions need two thirds of those present.
		r.Resolution = &Threshold{Fraction: F(2, 3), Base: Present}
		r.Motions[MotionBudget] = *r.Resolution
	case "ACADEMIC_BRANCH", "SPECIAL_COMMITTEE", "SECRETARIAT_DEPARTMENT":
		r.Quorum = &Threshold{Fraction: F(1, 2), Base: Entitled, Strict: true}
	}
	return r
}

// WithDefaults returns r with every unset field taken from d.
func (r Rules) WithDefaults(d Rules) Rules {
	if r.TermYears == 0 {
		r.TermYears = d.TermYears
	}
	if r.Quorum == nil {
		r.Quorum = d.Quorum
	}
	if r.Resolution == nil {
		r.Resolution = d.Resolution
	}
	if r.ArticlesAmendment == nil {
		r.ArticlesAmendment = d.ArticlesAmendment
	}
	if r.Election == nil {
		r.Election = d.Election
	}
	if r.ContestMargin == nil {
		r.ContestMargin = d.ContestMargin
	}
	if r.ElectionMaxRounds == 0 {
		r.ElectionMaxRounds = d.ElectionMaxRounds
	}
	if len(d.Motions) > 0 {
		m := make(map[string]Threshold, len(r.Motions)+len(d.Motions))
		for k, t := range d.Motions {
			m[k] = t
		}
		for k, t := range r.Motions {
			m[k] = t
		}
		r.Motions = m
	}
	if r.AssemblyMinSeats == 0 {
		r.AssemblyMinSeats = d.AssemblyMinSeats
	}
	if r.ConsecutiveTermLimit == 0 {
		r.ConsecutiveTermLimit = d.ConsecutiveTermLimit
	}
	if r.LeadershipAgeLimit == 0 {
		r.LeadershipAgeLimit = d.LeadershipAgeLimit
	}
	if r.StandingCouncilMax == nil {
		r.StandingCouncilMax = d.StandingCouncilMax
	}
	if r.MinRenewal == nil {
		r.MinRenewal = d.MinRenewal
	}
	if r.MaxDeferralDays == 0 {
		r.MaxDeferralDays = d.MaxDeferralDays
	}
	if r.IndividualNumberPattern == "" {
		r.IndividualNumberPattern = d.IndividualNumberPattern
	}
	if r.UnitNumberPattern == "" {
		r.UnitNumberPattern = d.UnitNumberPattern
	}
	return r
}

// Error is a rule that a value of the rules breaks; Field is its JSON path
// inside the rules.
type Error struct {
	Field string
	Rule  string
}

func (e *Error) Error() string { return "rules: " + e.Field + " " + e.Rule }

// Validate checks every set field of r and returns the first rule broken.
func (r Rules) Validate() error {
	if r.TermYears != 0 && (r.TermYears < 1 || r.TermYears > 10) {
		return &Error{Field: "termYears", Rule: "must lie between 1 and 10"}
	}
	for _, t := range []struct {
		name string
		t    *Threshold
	}{{"quorum", r.Quorum}, {"resolution", r.Resolution}, {"articlesAmendment", r.ArticlesAmendment}, {"election", r.Election}} {
		if t.t != nil {
			if err := t.t.validate(t.name); err != nil {
				return err
			}
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(r.Motions)) {
		if !motionKind.MatchString(kind) || kind == MotionOrdinary || kind == MotionArticlesAmendment {
			return &Error{Field: "motions." + kind, Rule: "must be an upper-case name other than ORDINARY and ARTICLES_AMENDMENT, such as DISMISSAL"}
		}
		if err := r.Motions[kind].validate("motions." + kind); err != nil {
			return err
		}
	}
	if r.ContestMargin != nil {
		if err := r.ContestMargin.validate("contestMargin"); err != nil {
			return err
		}
	}
	if r.ElectionMaxRounds < 0 || r.ElectionMaxRounds > 10 {
		return &Error{Field: "electionMaxRounds", Rule: "must lie between 1 and 10"}
	}
	if r.AssemblyMinSeats < 0 || r.AssemblyMinSeats > 100 {
		return &Error{Field: "assemblyMinSeats", Rule: "must lie between 1 and 100"}
	}
	if r.ConsecutiveTermLimit < 0 || r.ConsecutiveTermLimit > 20 {
		return &Error{Field: "consecutiveTermLimit", Rule: "must lie between 1 and 20"}
	}
	if r.LeadershipAgeLimit < 0 || (r.LeadershipAgeLimit != 0 && (r.LeadershipAgeLimit < 18 || r.LeadershipAgeLimit > 120)) {
		return &Error{Field: "leadershipAgeLimit", Rule: "must lie between 18 and 120"}
	}
	for _, f := range []struct {
		name string
		f    *Fraction
	}{{"standingCouncilMax", r.StandingCouncilMax}, {"minRenewal", r.MinRenewal}} {
		if f.f != nil {
			if err := f.f.validate(f.name); err != nil {
				return err
			}
		}
	}
	if r.MaxDeferralDays < 0 || r.MaxDeferralDays > 3660 {
		return &Error{Field: "maxDeferralDays", Rule: "must lie between 1 and 3660"}
	}
	for _, p := range []struct{ name, v string }{{"individualNumberPattern", r.IndividualNumberPattern}, {"unitNumberPattern", r.UnitNumberPattern}} {
		if p.v != "" && !validPattern(p.v) {
			return &Error{Field: p.name, Rule: "must hold exactly one integer verb such as %06d"}
		}
	}
	return nil
}

// validPattern accepts a member-number pattern with one integer verb and
// nothing that fmt would report as a bad or missing argument.
func validPattern(p string) bool {
	s := fmt.Sprintf(p, 7)
	return len(s) <= 32 && strings.Contains(s, "7") && !strings.Contains(s, "%!")
}

// The motion kinds every organization knows; the rules may name more.
const (
	MotionOrdinary          = "ORDINARY"
	MotionArticlesAmendment = "ARTICLES_AMENDMENT"
	MotionDismissal         = "DISMISSAL"
	MotionBudget            = "BUDGET"
)

var motionKind = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,39}$`)

// MotionThreshold returns what a motion of the kind needs to pass, and
// false when the rules know no such kind.
func (r Rules) MotionThreshold(kind string) (Threshold, bool) {
	switch kind {
	case MotionOrdinary:
		if r.Resolution != nil {
			return *r.Resolution, true
		}
	case MotionArticlesAmendment:
		if r.ArticlesAmendment != nil {
			return *r.ArticlesAmendment, true
		}
	default:
		t, ok := r.Motions[kind]
		return t, ok
	}
	return Threshold{}, false
}

// MotionKinds lists the kinds of motion the rules know, sorted, ORDINARY
// and ARTICLES_AMENDMENT first.
func (r Rules) MotionKinds() []string {
	return append([]string{MotionOrdinary, MotionArticlesAmendment}, slices.Sorted(maps.Keys(r.Motions))...)
}

// ContestExtra returns how many candidates more than seats a contested
// election needs under the margin m: the seats times m, rounded up, and
// at least one.
func ContestExtra(m Fraction, seats int) int {
	n := (int64(seats)*m.Num + m.Den - 1) / m.Den
	return int(max(n, 1))
}
