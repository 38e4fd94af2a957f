package tally

import (
	"fmt"
	"strings"
)

// Report writes the count of the round as text, a line per fact, with the
// arithmetic spelled out, for example
//
//	Zhang Wei: 61 for, 20 against, 9 abstain; needs more than 1/2 of 90 returned = 46: ELECTED
func (res *Result) Report() string {
	var b strings.Builder
	r := res.Round
	fmt.Fprintf(&b, "Round %d of at most %d: %s, method %s, threshold %s.\n", r.Number, r.MaxRounds, plural(r.Seats, "seat"), r.Method, res.rule())
	fmt.Fprintf(&b, "Ballots: %d issued, %d returned, %d valid, %d invalid.\n", r.Issued, res.Returned, res.Valid, res.Returned-res.Valid)
	if res.Void {
		fmt.Fprintf(&b, "VOID: more ballots returned than issued; nobody is elected.\n")
	}
	for _, v := range res.Ballots {
		switch {
		case !v.Valid:
			fmt.Fprintf(&b, "Ballot %s invalid: %s.\n", v.Serial, v.Reason)
		case v.Note != "":
			fmt.Fprintf(&b, "Ballot %s: %s.\n", v.Serial, v.Note)
		}
	}
	for _, c := range res.Candidates {
		fmt.Fprintf(&b, "%s: %d for, %d against, %d abstain; needs %s = %d: %s", displayName(c.Candidate), c.For, c.Against, c.Abstain, res.share(), c.Needed, c.Outcome)
		if c.Outcome != Elected && c.Outcome != Void {
			fmt.Fprintf(&b, " (%s)", c.Why)
		}
		b.WriteString("\n")
	}
	names := make([]string, len(res.Elected))
	for i, c := range res.Elected {
		names[i] = displayName(c)
	}
	fmt.Fprintf(&b, "Elected: %d of %s: %s.\n", len(res.Elected), plural(r.Seats, "seat"), orNone(strings.Join(names, ", ")))
	if res.Next != nil {
		fmt.Fprintf(&b, "Round %d follows for %s: %s.\n", res.Next.Number, plural(res.Next.Seats, "seat"), res.NextReason)
	}
	if res.Vacant > 0 {
		fmt.Fprintf(&b, "Vacant: %s, no further round.\n", plural(res.Vacant, "seat"))
	}
	return b.String()
}

// rule names the round's threshold in general terms.
func (res *Result) rule() string {
	if t := res.Round.Threshold; t != nil {
		return t.String()
	}
	return "none"
}

// share writes the threshold on this round's base: "more than 1/2 of 90
// returned".
func (res *Result) share() string {
	t := res.Round.Threshold
	if t == nil {
		return "at least one vote"
	}
	word := "at least"
	if t.Strict {
		word = "more than"
	}
	return fmt.Sprintf("%s %s of %d %s", word, t.Fraction, res.Base, strings.ToLower(string(t.Base)))
}

// displayName is the name the report prints: written-in names say so.
func displayName(c Candidate) string {
	if c.WriteIn {
		return c.Name + " (written in)"
	}
	return c.Name
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// plural writes a count with its noun: "1 seat", "2 seats".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
