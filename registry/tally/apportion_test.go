package tally

import (
	"errors"
	"slices"
	"testing"
)

func seatsOf(a Apportionment) []int {
	out := make([]int, len(a.Shares))
	for i, s := range a.Shares {
		out[i] = s.Seats
	}
	return out
}

func TestApportionByLargestRemainderAfterTheMinimum(t *testing.T) {
	for _, tc := range []struct {
		name    string
		seats   int
		minimum int
		pops    []int64
		want    []int
	}{
		// 10 - 3 = 7 seats by 600:300:100 → quotas 4.2, 2.1, 0.7: 4, 2, 0 and
		// the last seat to the largest remainder, 0.7.
		{"remainder wins the last seat", 10, 1, []int64{600, 300, 100}, []int{5, 3, 2}},
		{"exact quotas leave nothing to remainders", 12, 0, []int64{50, 25, 25}, []int{6, 3, 3}},
		{"seats equal to the minimums", 3, 1, []int64{9, 1, 0}, []int{1, 1, 1}},
		// 2 seats by 1:3 → quotas 0.5 and 1.5: equal remainders, and the
		// larger population, given second, wins the seat left.
		{"tied remainders go to the larger population", 2, 0, []int64{1, 3}, []int{0, 2}},
		{"ties of equal populations go to the first given", 2, 0, []int64{1, 1, 1}, []int{1, 1, 0}},
		{"a constituency without members keeps its minimum", 5, 1, []int64{0, 10}, []int{1, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Apportion(tc.seats, tc.minimum, tc.pops)
			if err != nil {
				t.Fatal(err)
			}
			if got := seatsOf(a); !slices.Equal(got, tc.want) {
				t.Fatalf("seats %v, want %v", got, tc.want)
			}
			sum := 0
			for _, s := range a.Shares {
				sum += s.Seats
			}
			if sum != tc.seats {
				t.Fatalf("%d seats apportioned, want %d", sum, tc.seats)
			}
		})
	}
}

func TestApportionWritesTheArithmetic(t *testing.T) {
	a, err := Apportion(10, 1, []int64{600, 300, 100})
	if err != nil {
		t.Fatal(err)
	}
	if want := "1 minimum + 100 × 7 / 1000 = 0 remainder 700 + 1 by remainder = 2 seats"; a.Shares[2].Text != want {
		t.Fatalf("text %q, want %q", a.Shares[2].Text, want)
	}
}

func TestApportionRefusesTooFewSeatsAndNoMembers(t *testing.T) {
	if _, err := Apportion(5, 2, []int64{1, 1, 1}); !errors.Is(err, ErrTooFewSeats) {
		t.Fatalf("5 seats for 3 × 2: %v, want ErrTooFewSeats", err)
	}
	if _, err := Apportion(6, 2, []int64{1, 1, 1}); err != nil {
		t.Fatalf("6 seats for 3 × 2: %v", err)
	}
	if _, err := Apportion(4, 1, []int64{0, 0}); !errors.Is(err, ErrNoPopulation) {
		t.Fatalf("seats left and nobody to share them: %v", err)
	}
}
