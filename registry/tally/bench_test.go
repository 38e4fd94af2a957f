package tally

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// largeRound is the benchmark: 2,000 ballots over 200 candidates
// for 150 seats. Each voter marks each candidate for (60%), against (25%)
// or blank, keeping to 150 "for" marks; candidates are not equally liked,
// so the count ranks them.
func largeRound() (Round, []Ballot) {
	const voters, candidates, seats = 2000, 200, 150
	rng := rand.New(rand.NewPCG(1, 2))
	r := Round{Seats: seats, Issued: voters, MaxRounds: 3}
	for i := range candidates {
		r.Candidates = append(r.Candidates, Candidate{ID: fmt.Sprintf("%d", 1000+i), Name: fmt.Sprintf("Candidate %d", i)})
	}
	bs := make([]Ballot, voters)
	for v := range bs {
		b := Ballot{Serial: fmt.Sprintf("S%05d", v+1)}
		for i, c := range r.Candidates {
			switch p := rng.IntN(100) - i/10; {
			case p < 60 && len(b.For) < seats:
				b.For = append(b.For, c.ID)
			case p < 85:
				b.Against = append(b.Against, c.ID)
			}
		}
		bs[v] = b
	}
	return r, bs
}

func BenchmarkTally(b *testing.B) {
	r, bs := largeRound()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Count(r, bs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChain(b *testing.B) {
	_, bs := largeRound()
	b.ReportAllocs()
	for b.Loop() {
		Head(bs)
	}
}

func BenchmarkLink(b *testing.B) {
	_, bs := largeRound()
	b.ReportAllocs()
	var prev Hash
	for i := 0; b.Loop(); i++ {
		prev = Link(prev, bs[i%len(bs)])
	}
}
