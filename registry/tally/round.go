package tally

import (
	"errors"
	"fmt"
	"strings"

	"github.com/societyregistry/registry/registry/rules"
)

// Method is how a round's ballots elect.
type Method string

// The election methods.
const (
	// ForAgainst is the articles' usual method: per candidate the voter
	// marks for, against, or leaves it blank (abstain), and a candidate
	// needs "for" votes meeting the threshold (by default more than half
	// of the ballots returned).
	ForAgainst Method = "FOR_AGAINST"
	// Plurality elects the candidates with the most "for" marks, each
	// voter marking at most as many as there are seats; a threshold
	// applies only when the round sets one.
	Plurality Method = "PLURALITY"
	// Approval elects the candidates with the most approvals ("for"
	// marks), each voter approving at most as many as there are seats; a
	// threshold applies only when the round sets one. With approvals
	// capped at the seats it counts as [Plurality] does; it stays a method
	// of its own so the record names the method the articles use.
	Approval Method = "APPROVAL"
)

// Methods lists every Method, the default first.
var Methods = []Method{ForAgainst, Plurality, Approval}

// WriteInPrefix begins the ID [Count] gives a written-in name: the
// candidate "Li Si" written in on ballots has the ID "write-in:Li Si". A
// further round lists such a candidate under that ID, and a name written
// in again there counts for it.
const WriteInPrefix = "write-in:"

// Candidate is one name on the ballot, or one written in.
type Candidate struct {
	// ID identifies the candidate on ballots; the caller chooses it (the
	// candidate's row ID, say), unique within the round.
	ID string `json:"id"`
	// Name is what the report prints.
	Name string `json:"name"`
	// WriteIn says the candidate came from names written in on ballots.
	WriteIn bool `json:"writeIn,omitempty"`
}

// Round is the configuration of one round of an election: everything
// [Count] needs besides the ballots. Its zero fields take the defaults
// their comments name.
type Round struct {
	// Number is the round's number, from 1 (0 means 1).
	Number int `json:"number"`
	// MaxRounds is the last round the election may hold; 0 means this
	// round is the last.
	MaxRounds int `json:"maxRounds"`
	// Seats is how many candidates the round elects, at least 1.
	Seats int `json:"seats"`
	// Method is how the ballots elect; "" means [ForAgainst].
	Method Method `json:"method"`
	// Threshold is what a candidate's "for" votes must meet, with its
	// base: RETURNED (the ballots returned), VALID (the valid ballots) or
	// ENTITLED ([Round.Entitled]). Nil means more than 1/2 of RETURNED for
	// [ForAgainst] and none for the other methods. With or without one,
	// nobody is elected without a single "for" vote.
	Threshold *rules.Threshold `json:"threshold,omitempty"`
	// WriteIns says voters may write in names not on the ballot. Where
	// they may not, a written-in name is ignored and the ballot's marks
	// still count (the usual rule: "a name written in is void, the rest of
	// the ballot stands"); the ballot's [Verdict.Note] says so.
	WriteIns bool `json:"writeIns"`
	// Issued is the number of ballots issued (or ballot codes, when
	// voting electronically). More ballots returned than issued voids the
	// round.
	Issued int `json:"issued"`
	// Entitled is the number of voters entitled to vote, the base of an
	// ENTITLED threshold; 0 when not known. More ballots returned than
	// voters entitled voids the round, whatever was issued.
	Entitled int `json:"entitled"`
	// Candidates are the names on the ballot, in ballot order.
	Candidates []Candidate `json:"candidates"`
}

// Error is a round configuration that breaks a rule: Field is its JSON
// path in [Round] ("seats", "threshold.base", "candidates[2].id").
type Error struct {
	// Field is the path of the value at fault.
	Field string
	// Rule is the rule it breaks, in words.
	Rule string
}

// Error writes the field and its rule.
func (e *Error) Error() string { return "tally: " + e.Field + " " + e.Rule }

// withDefaults returns r with its zero fields set to their defaults, or
// the first rule it breaks.
func (r Round) withDefaults() (Round, error) {
	if r.Number == 0 {
		r.Number = 1
	}
	if r.MaxRounds == 0 {
		r.MaxRounds = r.Number
	}
	if r.Method == "" {
		r.Method = ForAgainst
	}
	if r.Threshold == nil && r.Method == ForAgainst {
		r.Threshold = &rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Returned, Strict: true}
	}
	return r, r.check()
}

// check returns the first rule of a round that r breaks.
func (r Round) check() error {
	switch {
	case r.Number < 1:
		return &Error{"number", "must be at least 1"}
	case r.MaxRounds < r.Number:
		return &Error{"maxRounds", fmt.Sprintf("must be at least the round's number %d", r.Number)}
	case r.Seats < 1:
		return &Error{"seats", "must be at least 1"}
	case !knownMethod(r.Method):
		return &Error{"method", fmt.Sprintf("must be one of %v", Methods)}
	case r.Issued < 0:
		return &Error{"issued", "must not be negative"}
	case r.Entitled < 0:
		return &Error{"entitled", "must not be negative"}
	}
	if err := checkThreshold(r.Threshold, r.Entitled); err != nil {
		return err
	}
	seen := make(map[string]bool, len(r.Candidates))
	for i, c := range r.Candidates {
		if c.ID == "" || seen[c.ID] {
			return &Error{fmt.Sprintf("candidates[%d].id", i), "must be given and unique"}
		}
		seen[c.ID] = true
	}
	return nil
}

func knownMethod(m Method) bool {
	for _, k := range Methods {
		if m == k {
			return true
		}
	}
	return false
}

// checkThreshold accepts no threshold, or a valid one on a base an
// election counts: ballots returned, valid ballots, or the entitled when
// their number is known.
func checkThreshold(t *rules.Threshold, entitled int) error {
	if t == nil {
		return nil
	}
	if err := (rules.Rules{Election: t}).Validate(); err != nil {
		var re *rules.Error
		if !errors.As(err, &re) {
			return &Error{"threshold", err.Error()}
		}
		return &Error{"threshold" + strings.TrimPrefix(re.Field, "election"), re.Rule}
	}
	switch t.Base {
	case rules.Returned, rules.Valid:
		return nil
	case rules.Entitled:
		if entitled < 1 {
			return &Error{"entitled", "must be given for a threshold of ENTITLED"}
		}
		return nil
	}
	return &Error{"threshold.base", fmt.Sprintf("must be one of %v for an election", []rules.Base{rules.Returned, rules.Valid, rules.Entitled})}
}

// Ballot is one returned ballot as the tellers entered it (or as a voter
// cast it). A candidate in neither For nor Against is left blank: an
// abstention.
type Ballot struct {
	// Serial is the number printed on the paper ballot, or the ballot
	// code's serial; a second ballot with the same serial is invalid.
	Serial string `json:"serial"`
	// For and Against hold the IDs of the candidates marked so.
	For     []string `json:"for"`
	Against []string `json:"against"`
	// WriteIns are names written in, each a "for" vote for that name.
	// Names are compared after trimming and collapsing spaces, and never
	// merged with a listed candidate's name (two candidates may share a
	// name): a teller who reads a listed name written in records it as a
	// "for" mark of that candidate.
	WriteIns []string `json:"writeIns"`
}
