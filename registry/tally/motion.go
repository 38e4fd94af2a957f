package tally

import (
	"fmt"

	"github.com/societyregistry/registry/registry/rules"
)

// Outcome is the result of a vote on a motion.
type Outcome string

// The outcomes of a vote.
const (
	Passed   Outcome = "PASSED"
	Failed   Outcome = "FAILED"
	NoQuorum Outcome = "NO_QUORUM"
)

// Counts are the weights of a closed vote. Every entitled voter is in
// exactly one of Yes, No, Abstain, Recused, NotVoting (present, no vote)
// and Absent, so they add up to Entitled; Present is everyone but the
// absent.
type Counts struct {
	Entitled, Present         int64
	Yes, No, Abstain, Recused int64
	NotVoting, Absent         int64
}

// Cast is yes + no + abstain.
func (c Counts) Cast() int64 { return c.Yes + c.No + c.Abstain }

// Check reports an error when the counts do not add up.
func (c Counts) Check() error {
	if sum := c.Yes + c.No + c.Abstain + c.Recused + c.NotVoting + c.Absent; sum != c.Entitled {
		return fmt.Errorf("tally: the counts add up to %d, not the %d entitled", sum, c.Entitled)
	}
	if c.Entitled-c.Absent != c.Present {
		return fmt.Errorf("tally: %d present, but %d entitled less %d absent", c.Present, c.Entitled, c.Absent)
	}
	return nil
}

// Decision is a motion's outcome and the arithmetic that led to it.
type Decision struct {
	Outcome Outcome
	// Base is the count the threshold is a share of, Needed the fewest
	// yes votes that pass.
	Base, Needed int64
	Text         string
}

// Decide decides a vote: without the quorum (Present measured against
// Entitled) it is NO_QUORUM; otherwise it passes when the yes votes meet
// the threshold of its base (ENTITLED, PRESENT or CAST). Integer
// arithmetic only; the text reads "31 yes of 45 present; needs at least
// 2/3 = 30: PASSED".
func Decide(c Counts, quorum, threshold rules.Threshold) (Decision, error) {
	if err := c.Check(); err != nil {
		return Decision{}, err
	}
	if !quorum.Met(c.Present, c.Entitled) {
		return Decision{Outcome: NoQuorum, Base: c.Entitled, Needed: quorum.Needed(c.Entitled),
			Text: fmt.Sprintf("%d present of %d entitled; the quorum needs %s: NO_QUORUM",
				c.Present, c.Entitled, NeedsText(quorum, quorum.Needed(c.Entitled)))}, nil
	}
	var base int64
	var of string
	switch threshold.Base {
	case rules.Entitled:
		base, of = c.Entitled, "entitled"
	case rules.Present:
		base, of = c.Present, "present"
	case rules.Cast:
		base, of = c.Cast(), "cast"
	default:
		return Decision{}, fmt.Errorf("tally: a motion's threshold cannot be a share of %s", threshold.Base)
	}
	d := Decision{Outcome: Failed, Base: base, Needed: threshold.Needed(base)}
	if base > 0 && threshold.Met(c.Yes, base) {
		d.Outcome = Passed
	}
	d.Text = fmt.Sprintf("%d yes of %d %s; needs %s: %s", c.Yes, base, of, NeedsText(threshold, d.Needed), d.Outcome)
	return d, nil
}

// shareWords writes a threshold's share and the count it comes to: "at
// least 2/3 = 30", or "more than 1/2, so at least 21".
func NeedsText(t rules.Threshold, needed int64) string {
	if t.Strict {
		return fmt.Sprintf("more than %s, so at least %d", t.Fraction, needed)
	}
	return fmt.Sprintf("at least %s = %d", t.Fraction, needed)
}
