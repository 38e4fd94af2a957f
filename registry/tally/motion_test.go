package tally

import (
	"testing"

	"github.com/societyregistry/registry/registry/rules"
)

var (
	twoThirdsEntitled = rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Entitled}
	twoThirdsPresent  = rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Present}
	halfPresent       = rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Present, Strict: true}
)

// counts builds counts of entitled voters of whom present came and yes,
// no voted; the rest of those present abstained.
func counts(entitled, present, yes, no int64) Counts {
	return Counts{Entitled: entitled, Present: present, Yes: yes, No: no,
		Abstain: present - yes - no, Absent: entitled - present}
}

func TestDecideAtEveryBoundary(t *testing.T) {
	for _, tc := range []struct {
		name      string
		c         Counts
		threshold rules.Threshold
		want      Outcome
		text      string
	}{
		{"exactly 2/3 present has the quorum", counts(45, 30, 20, 10), twoThirdsPresent, Passed,
			"20 yes of 30 present; needs at least 2/3 = 20: PASSED"},
		{"one short of 2/3 present has none", counts(45, 29, 29, 0), twoThirdsPresent, NoQuorum,
			"29 present of 45 entitled; the quorum needs at least 2/3 = 30: NO_QUORUM"},
		{"exactly 2/3 yes passes", counts(45, 45, 30, 15), twoThirdsPresent, Passed,
			"30 yes of 45 present; needs at least 2/3 = 30: PASSED"},
		{"one short of 2/3 yes fails", counts(45, 45, 29, 16), twoThirdsPresent, Failed,
			"29 yes of 45 present; needs at least 2/3 = 30: FAILED"},
		{"exactly half is not more than half", counts(40, 40, 20, 20), halfPresent, Failed,
			"20 yes of 40 present; needs more than 1/2, so at least 21: FAILED"},
		{"one more than half passes", counts(40, 40, 21, 19), halfPresent, Passed,
			"21 yes of 40 present; needs more than 1/2, so at least 21: PASSED"},
		{"a share of the votes cast leaves the silent out", Counts{Entitled: 10, Present: 9, Yes: 4, No: 3, NotVoting: 2, Absent: 1},
			rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Cast, Strict: true}, Passed,
			"4 yes of 7 cast; needs more than 1/2, so at least 4: PASSED"},
		{"nobody casting a vote fails a share of the cast", Counts{Entitled: 10, Present: 9, NotVoting: 9, Absent: 1},
			rules.Threshold{Fraction: rules.F(0, 1), Base: rules.Cast}, Failed,
			"0 yes of 0 cast; needs at least 0/1 = 0: FAILED"},
		{"a share of the entitled counts the absent", counts(45, 40, 30, 10),
			rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Entitled, Strict: true}, Failed,
			"30 yes of 45 entitled; needs more than 2/3, so at least 31: FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decide(tc.c, twoThirdsEntitled, tc.threshold)
			if err != nil {
				t.Fatal(err)
			}
			if d.Outcome != tc.want || d.Text != tc.text {
				t.Fatalf("got %s %q, want %s %q", d.Outcome, d.Text, tc.want, tc.text)
			}
		})
	}
}

func TestDecideRefusesCountsThatDoNotAddUp(t *testing.T) {
	c := counts(10, 8, 5, 2)
	c.Absent = 3
	if _, err := Decide(c, twoThirdsEntitled, twoThirdsPresent); err == nil {
		t.Fatal("counts adding up to 11 of 10 were decided")
	}
	if _, err := Decide(counts(10, 8, 5, 2), twoThirdsEntitled, rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Returned}); err == nil {
		t.Fatal("a motion decided on ballots returned")
	}
}
