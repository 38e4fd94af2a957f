package tally

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Share is one constituency's part of an apportionment: its minimum, its
// whole quota, and the extra seat its remainder may win.
type Share struct {
	// Population is the constituency's active members.
	Population int64
	// Minimum is the seats every constituency gets first.
	Minimum int
	// Quota is the whole part of Population × Rest / Total.
	Quota int
	// Remainder is what is left of Population × Rest after dividing by
	// Total: the largest remainders win the seats the quotas leave.
	Remainder int64
	// ByRemainder is 1 when the remainder won a seat.
	ByRemainder int
	// Seats is Minimum + Quota + ByRemainder.
	Seats int
	// Text is the arithmetic in words.
	Text string
}

// Apportionment is the result of [Apportion]: the shares in the order
// the populations were given, and the figures every share was computed
// from.
type Apportionment struct {
	Seats  int   // the seats apportioned
	Rest   int   // the seats left after every minimum
	Total  int64 // the sum of the populations
	Shares []Share
}

// ErrTooFewSeats is returned when the seats do not cover every
// constituency's minimum.
var ErrTooFewSeats = errors.New("tally: fewer seats than the constituencies' minimums")

// ErrNoPopulation is returned when seats are left after the minimums but
// no constituency has a member to share them by.
var ErrNoPopulation = errors.New("tally: no constituency has active members")

// Apportion shares seats among constituencies of the given populations
// by the largest-remainder (Hamilton) method after a minimum each: every
// constituency gets minimum seats, then the rest go in proportion to the
// populations, each its whole quota Population × Rest / Total, and the
// seats still left one each to the largest remainders. Remainders that
// tie at the cut-off go to the larger population, then to the
// constituency given first; callers order their constituencies (by name)
// so the outcome is reproducible. Integer arithmetic only.
func Apportion(seats, minimum int, populations []int64) (Apportionment, error) {
	k := len(populations)
	a := Apportionment{Seats: seats, Shares: make([]Share, k)}
	if k == 0 {
		return a, nil
	}
	a.Rest = seats - minimum*k
	if minimum < 0 || a.Rest < 0 {
		return a, fmt.Errorf("%w: %d seats, %d constituencies × %d", ErrTooFewSeats, seats, k, minimum)
	}
	for _, p := range populations {
		if p < 0 {
			return a, fmt.Errorf("tally: negative population %d", p)
		}
		a.Total += p
	}
	if a.Total == 0 && a.Rest > 0 {
		return a, ErrNoPopulation
	}
	left := a.Rest
	for i, p := range populations {
		s := Share{Population: p, Minimum: minimum}
		if a.Total > 0 {
			prod := p * int64(a.Rest)
			s.Quota, s.Remainder = int(prod/a.Total), prod%a.Total
		}
		left -= s.Quota
		a.Shares[i] = s
	}
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		sx, sy := a.Shares[x], a.Shares[y]
		if c := cmp.Compare(sy.Remainder, sx.Remainder); c != 0 {
			return c
		}
		return cmp.Compare(sy.Population, sx.Population)
	})
	for _, i := range order[:left] {
		a.Shares[i].ByRemainder = 1
	}
	for i := range a.Shares {
		s := &a.Shares[i]
		s.Seats = s.Minimum + s.Quota + s.ByRemainder
		s.Text = a.text(*s)
	}
	return a, nil
}

// text writes one share's arithmetic: "1 minimum + 412 × 80 / 5210 = 6
// remainder 1720 + 1 by remainder = 8 seats".
func (a Apportionment) text(s Share) string {
	t := fmt.Sprintf("%d minimum", s.Minimum)
	if a.Total > 0 {
		t += fmt.Sprintf(" + %d × %d / %d = %d remainder %d", s.Population, a.Rest, a.Total, s.Quota, s.Remainder)
	}
	if s.ByRemainder > 0 {
		t += " + 1 by remainder"
	}
	return t + fmt.Sprintf(" = %d seats", s.Seats)
}
