package tally

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/societyregistry/registry/registry/rules"
)

// CandidateOutcome is what a round of an election decided for one
// candidate.
type CandidateOutcome string

// The outcomes of a round for a candidate.
const (
	// Elected means the candidate met the threshold within the seats.
	Elected CandidateOutcome = "ELECTED"
	// BelowThreshold means too few "for" votes.
	BelowThreshold CandidateOutcome = "BELOW_THRESHOLD"
	// Outranked means the threshold was met, but the seats went to candidates
	// with more votes.
	Outranked CandidateOutcome = "OUTRANKED"
	// Tied means the threshold was met with as many votes as the last seat's
	// holder, and the tied candidates outnumber the seats left to them.
	// They go to a further round among themselves, or the seats stay
	// vacant when no round is left; a tie is never broken by chance.
	Tied CandidateOutcome = "TIED"
	// Void means the round is void, nobody is elected.
	Void CandidateOutcome = "VOID"
)

// Verdict is the decision on one ballot.
type Verdict struct {
	// Serial is the ballot's serial, as entered.
	Serial string `json:"serial"`
	// Valid says the ballot counts.
	Valid bool `json:"valid"`
	// Reason says why an invalid ballot is invalid.
	Reason string `json:"reason,omitempty"`
	// Note says what of a valid ballot was not counted (names written in
	// where write-ins are not allowed).
	Note string `json:"note,omitempty"`
}

// CandidateCount is one candidate's count in a round.
type CandidateCount struct {
	// Candidate is who is counted, a name written in included.
	Candidate Candidate `json:"candidate"`
	// For, Against and Abstain add up to the valid ballots.
	For     int `json:"for"`
	Against int `json:"against"`
	Abstain int `json:"abstain"`
	// Needed is the least number of "for" votes that passes.
	Needed int `json:"needed"`
	// Passed says the "for" votes met the threshold (and number at
	// least one): For >= Needed.
	Passed bool `json:"passed"`
	// Outcome is what the round decided for the candidate.
	Outcome CandidateOutcome `json:"outcome"`
	// Why explains the outcome in words.
	Why string `json:"why"`
}

// Result is the count of one round.
type Result struct {
	// Round is the round as counted, defaults filled in.
	Round Round `json:"round"`
	// Returned is the number of ballots returned: all ballots counted,
	// valid or not.
	Returned int `json:"returned"`
	// Valid is the number of valid ballots.
	Valid int `json:"valid"`
	// Base is the number the threshold is a fraction of.
	Base int `json:"base"`
	// Void says more ballots were returned than issued, or than voters
	// entitled (when known): nobody is elected and the round is to be
	// held again.
	Void bool `json:"void"`
	// Ballots holds each ballot's verdict, in entry order.
	Ballots []Verdict `json:"ballots"`
	// Candidates holds every candidate's count, most "for" votes first
	// (equal counts by ID, for display only), written-in names included.
	Candidates []CandidateCount `json:"candidates"`
	// Elected are the candidates elected, in the order of Candidates.
	Elected []Candidate `json:"elected"`
	// Vacant is the number of seats left empty with no further round.
	Vacant int `json:"vacant"`
	// Next is the further round the election must hold, or nil: its
	// seats and candidates are set, its Issued is left for the caller.
	Next *Round `json:"next,omitempty"`
	// NextReason says why there is a further round.
	NextReason string `json:"nextReason,omitempty"`
}

// Count counts one round's ballots, given in entry order (the first of
// two ballots with one serial is the one that stands). It returns an
// [*Error] when the round's configuration breaks a rule; a ballot that
// breaks one is counted invalid, with its reason, and never an error.
//
// Ballots returned counts every ballot given, valid or not. A ballot is
// invalid when its serial was seen before, when it marks an ID not on the
// ballot, when it marks one candidate twice (for and against, or a name
// written in twice), or when it has more "for" marks, names written in
// included, than seats. Names written in on valid ballots become
// candidates (ID [WriteInPrefix]+name) and are elected like any other.
func Count(r Round, ballots []Ballot) (*Result, error) {
	r, err := r.withDefaults()
	if err != nil {
		return nil, err
	}
	c := newCounter(r, len(ballots))
	res := &Result{Round: r, Returned: len(ballots), Ballots: make([]Verdict, len(ballots))}
	for i, b := range ballots {
		res.Ballots[i] = c.judge(int32(i+1), b)
		if res.Ballots[i].Valid {
			res.Valid++
		}
	}
	res.Void = res.Returned > r.Issued || r.Entitled > 0 && res.Returned > r.Entitled
	res.Base = base(r, res)
	res.Candidates = c.counts(res.Valid, res.Base)
	res.elect()
	return res, nil
}

// base is the number a round's threshold is taken of.
func base(r Round, res *Result) int {
	if r.Threshold == nil {
		return res.Returned
	}
	switch r.Threshold.Base {
	case rules.Valid:
		return res.Valid
	case rules.Entitled:
		return r.Entitled
	}
	return res.Returned
}

// counter holds a round's running count. Candidates are numbered by their
// position; per-ballot work uses slices indexed by that number, so a
// ballot costs no allocation.
type counter struct {
	round      Round
	candidates []Candidate
	index      map[string]int32 // candidate ID → position
	forN       []int
	againstN   []int
	markedBy   []int32 // the ballot that last marked each candidate
	serials    map[string]struct{}
	fors       []int32  // scratch: this ballot's "for" marks
	againsts   []int32  // scratch: this ballot's "against" marks
	newNames   []string // scratch: names this ballot writes in first
}

func newCounter(r Round, ballots int) *counter {
	n := len(r.Candidates)
	c := &counter{
		round:      r,
		candidates: slices.Clone(r.Candidates),
		index:      make(map[string]int32, n),
		forN:       make([]int, n),
		againstN:   make([]int, n),
		markedBy:   make([]int32, n),
		serials:    make(map[string]struct{}, ballots),
	}
	for i, cand := range r.Candidates {
		c.index[cand.ID] = int32(i)
	}
	return c
}

// judge decides ballot number n (from 1) and counts it when valid. Each
// rule is checked over the whole ballot, and the offender named is the
// least ID, so the verdict does not depend on the order of the marks.
func (c *counter) judge(n int32, b Ballot) Verdict {
	v := Verdict{Serial: b.Serial}
	if _, dup := c.serials[b.Serial]; dup {
		v.Reason = "duplicate serial " + b.Serial
		return v
	}
	c.serials[b.Serial] = struct{}{}
	var unknown, twice string
	c.fors, unknown, twice = c.mark(n, b.For, c.fors[:0], unknown, twice)
	c.againsts, unknown, twice = c.mark(n, b.Against, c.againsts[:0], unknown, twice)
	c.newNames = c.newNames[:0]
	if c.round.WriteIns {
		twice = c.writeIns(n, b.WriteIns, twice)
	} else if hasName(b.WriteIns) {
		v.Note = "names written in ignored: write-ins are not allowed"
	}
	marks := len(c.fors) + len(c.newNames)
	switch {
	case unknown != "":
		v.Reason = "unknown candidate " + unknown
	case twice != "":
		v.Reason = "candidate " + twice + " marked twice"
	case marks > c.round.Seats:
		v.Reason = fmt.Sprintf("too many FOR marks: %d for %d seats", marks, c.round.Seats)
	default:
		v.Valid = true
		c.add()
	}
	return v
}

// mark looks up the IDs of one column of marks, appending their positions
// to dst and noting the least unknown ID and the least ID marked twice.
func (c *counter) mark(n int32, ids []string, dst []int32, unknown, twice string) ([]int32, string, string) {
	for _, id := range ids {
		if i, ok := c.index[id]; ok {
			dst, twice = c.markOne(n, i, id, dst, twice)
		} else {
			unknown = least(unknown, id)
		}
	}
	return dst, unknown, twice
}

// markOne appends candidate i, ID id, to dst unless ballot n marked it
// already, in which case it notes the least ID marked twice.
func (c *counter) markOne(n, i int32, id string, dst []int32, twice string) ([]int32, string) {
	if c.markedBy[i] == n {
		return dst, least(twice, id)
	}
	c.markedBy[i] = n
	return append(dst, i), twice
}

// writeIns adds the names written in to this ballot's "for" marks: a
// name already a candidate by position, a new one to newNames.
func (c *counter) writeIns(n int32, names []string, twice string) string {
	for _, raw := range names {
		name := normalName(raw)
		if name == "" {
			continue
		}
		id := WriteInPrefix + name
		if i, ok := c.index[id]; ok {
			c.fors, twice = c.markOne(n, i, id, c.fors, twice)
			continue
		}
		if slices.Contains(c.newNames, name) {
			twice = least(twice, id)
			continue
		}
		c.newNames = append(c.newNames, name)
	}
	return twice
}

// add counts the current ballot, making candidates of the names it is
// the first to write in.
func (c *counter) add() {
	for _, name := range c.newNames {
		i := int32(len(c.candidates))
		c.candidates = append(c.candidates, Candidate{ID: WriteInPrefix + name, Name: name, WriteIn: true})
		c.index[WriteInPrefix+name] = i
		c.forN = append(c.forN, 0)
		c.againstN = append(c.againstN, 0)
		c.markedBy = append(c.markedBy, 0)
		c.fors = append(c.fors, i)
	}
	for _, i := range c.fors {
		c.forN[i]++
	}
	for _, i := range c.againsts {
		c.againstN[i]++
	}
}

// counts returns every candidate's count, without outcome, most "for"
// votes first.
func (c *counter) counts(valid, base int) []CandidateCount {
	t := c.round.Threshold
	needed := 1
	if t != nil {
		needed = max(int(t.Needed(int64(base))), 1)
	}
	out := make([]CandidateCount, len(c.candidates))
	for i, cand := range c.candidates {
		f := c.forN[i]
		out[i] = CandidateCount{
			Candidate: cand, For: f, Against: c.againstN[i], Abstain: valid - f - c.againstN[i],
			Needed: needed, Passed: f >= 1 && (t == nil || t.Met(int64(f), int64(base))),
		}
	}
	slices.SortStableFunc(out, func(a, b CandidateCount) int {
		return cmp.Or(cmp.Compare(b.For, a.For), strings.Compare(a.Candidate.ID, b.Candidate.ID))
	})
	return out
}

// hasName says some name is written in.
func hasName(names []string) bool {
	return slices.ContainsFunc(names, func(s string) bool { return normalName(s) != "" })
}

// normalName trims a written-in name and collapses its runs of spaces,
// so that two tellers typing it differently enter the same name.
func normalName(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// least returns the lesser of a and b, "" standing for none.
func least(a, b string) string {
	if a == "" || b < a {
		return b
	}
	return a
}
