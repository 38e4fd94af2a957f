package tally

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// elect decides every candidate's outcome from the counts, ranked most
// "for" votes first, and the further round if one is due. Candidates
// that passed form a prefix of the ranking, since passing only asks for
// enough "for" votes.
func (res *Result) elect() {
	r := res.Round
	if res.Void {
		why := fmt.Sprintf("the round is void: %s returned, %d issued", plural(res.Returned, "ballot"), r.Issued)
		if res.Returned <= r.Issued {
			why = fmt.Sprintf("the round is void: %s returned, %d voters entitled", plural(res.Returned, "ballot"), r.Entitled)
		}
		for i := range res.Candidates {
			res.Candidates[i].Outcome, res.Candidates[i].Why = Void, why
		}
		res.further(r.Seats, r.Candidates, why+"; it is held again")
		return
	}
	passed := 0
	for passed < len(res.Candidates) && res.Candidates[passed].Passed {
		passed++
	}
	elected, tiedEnd := min(passed, r.Seats), min(passed, r.Seats)
	if passed > r.Seats && res.Candidates[r.Seats].For == res.Candidates[r.Seats-1].For {
		// The tie straddles the last seat: none of the tied is elected.
		cut := res.Candidates[r.Seats-1].For
		for elected > 0 && res.Candidates[elected-1].For == cut {
			elected--
		}
		for tiedEnd < passed && res.Candidates[tiedEnd].For == cut {
			tiedEnd++
		}
	}
	res.settle(elected, tiedEnd, passed)
}

// settle gives the outcomes: ranks [0, elected) are elected, [elected,
// tiedEnd) are tied at the cut-off, [tiedEnd, passed) are outranked and
// the rest below the threshold. It sends the tied, or else the seats left
// unfilled, to a further round: the tied among themselves only, the
// unfilled seats with names written in, when the round took them.
func (res *Result) settle(elected, tiedEnd, passed int) {
	r := res.Round
	left := r.Seats - elected
	var tied, remaining []Candidate
	for i := range res.Candidates {
		c := &res.Candidates[i]
		switch {
		case i < elected:
			c.Outcome, c.Why = Elected, "met the threshold within the seats"
			res.Elected = append(res.Elected, c.Candidate)
		case i < tiedEnd:
			c.Outcome = Tied
			tied = append(tied, c.Candidate)
		case i < passed:
			c.Outcome, c.Why = Outranked, fmt.Sprintf("met the threshold, but the %s went to candidates with more votes", plural(r.Seats, "seat"))
		default:
			c.Outcome, c.Why = BelowThreshold, fmt.Sprintf("%d for, %d needed", c.For, c.Needed)
		}
		if c.Outcome != Elected {
			remaining = append(remaining, c.Candidate)
		}
	}
	switch {
	case len(tied) > 0:
		why := fmt.Sprintf("tie at the cut-off: %d candidates with %s for %s", len(tied), plural(res.Candidates[elected].For, "vote"), plural(left, "seat"))
		res.further(left, tied, why)
		if res.Next != nil {
			// The tied stand among themselves: a name written in there
			// would take a seat none of them won.
			res.Next.WriteIns = false
		}
		for i := elected; i < tiedEnd; i++ {
			res.Candidates[i].Why = res.fate(why)
		}
	case left > 0:
		res.further(left, remaining, fmt.Sprintf("%s unfilled: the candidates not elected stand again", plural(left, "seat")))
	}
}

// further sends seats to the next round among cands, ordered as on the
// ballot, or leaves them vacant when no round or no candidate is left.
func (res *Result) further(seats int, cands []Candidate, why string) {
	r := res.Round
	if r.Number >= r.MaxRounds || len(cands) == 0 {
		res.Vacant = seats
		return
	}
	next := r
	next.Number, next.Seats, next.Issued = r.Number+1, seats, 0
	next.Candidates = ballotOrder(r.Candidates, cands)
	res.Next, res.NextReason = &next, why
}

// fate completes why with what becomes of a tied candidate.
func (res *Result) fate(why string) string {
	if res.Next == nil {
		return why + "; no round is left, the seats stay vacant"
	}
	return fmt.Sprintf("%s; to round %d", why, res.Next.Number)
}

// ballotOrder returns cands in the order of the listed candidates, then
// names written in by ID.
func ballotOrder(listed, cands []Candidate) []Candidate {
	at := make(map[string]int, len(listed))
	for i, c := range listed {
		at[c.ID] = i
	}
	pos := func(c Candidate) int {
		if i, ok := at[c.ID]; ok {
			return i
		}
		return len(listed)
	}
	out := slices.Clone(cands)
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(pos(a), pos(b)), strings.Compare(a.ID, b.ID))
	})
	return out
}
