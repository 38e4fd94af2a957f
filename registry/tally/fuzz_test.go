package tally

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/societyregistry/registry/registry/rules"
)

// fuzzRound reads a round from cfg's bits and its ballots from marks, a
// few bytes a ballot: the serial (repeats happen), a mark per candidate
// and for an unknown one (blank, for, against, or both), names written in.
func fuzzRound(cfg uint64, marks []byte) (Round, []Ballot) {
	bits := func(n uint) int {
		v := int(cfg & (1<<n - 1))
		cfg >>= n
		return v
	}
	r := Round{Seats: 1 + bits(2), Method: Methods[bits(2)%len(Methods)], WriteIns: bits(1) == 1}
	r.Number = 1 + bits(1)
	r.MaxRounds = r.Number + bits(1)
	r.Entitled = 1 + bits(6)
	switch bits(2) {
	case 1:
		r.Threshold = &rules.Threshold{Fraction: rules.F(1, 2), Base: rules.Returned, Strict: true}
	case 2:
		r.Threshold = &rules.Threshold{Fraction: rules.F(2, 3), Base: rules.Valid}
	case 3:
		r.Threshold = &rules.Threshold{Fraction: rules.F(1, 3), Base: rules.Entitled}
	}
	for i := range 1 + bits(3) {
		r.Candidates = append(r.Candidates, Candidate{ID: fmt.Sprintf("c%d", i), Name: fmt.Sprintf("Candidate %d", i)})
	}
	names := []string{"Li Si", " Li  Si", "Zhao Lei"}
	size := len(r.Candidates) + 3
	var bs []Ballot
	for ; len(marks) >= size && len(bs) < 200; marks = marks[size:] {
		b := Ballot{Serial: fmt.Sprintf("S%d", marks[0]%64)}
		for i, m := range marks[1 : size-1] {
			id := "x" // not on the ballot
			if i < len(r.Candidates) {
				id = r.Candidates[i].ID
			}
			if m%4 == 1 || m%4 == 3 && i%2 == 0 {
				b.For = append(b.For, id)
			}
			if m%4 == 2 || m%4 == 3 && i%3 == 0 {
				b.Against = append(b.Against, id)
			}
		}
		for i, n := range names {
			if marks[size-1]>>i&1 == 1 {
				b.WriteIns = append(b.WriteIns, n)
			}
		}
		bs = append(bs, b)
	}
	r.Issued = max(0, len(bs)-1+bits(2))
	return r, bs
}

func FuzzTally(f *testing.F) {
	f.Add(uint64(0), []byte{})
	f.Add(uint64(0x3f_ff), []byte("\x01\x01\x02\x00\x00\x00\x02\x01\x01\x00\x00\x00\x03\x02\x01\x00\x00\x07"))
	f.Add(uint64(0xdead_beef), []byte("ballots are counted in the open, by tellers who may not stand"))
	f.Add(uint64(0x1234_5678_9abc), []byte("\x00\x01\x01\x01\x01\x00\x00\x00\x00\x01\x01\x01\x01\x00\x00\x00\x00\x01\x02\x02\x02\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, cfg uint64, marks []byte) {
		r, bs := fuzzRound(cfg, marks)
		res, err := Count(r, bs)
		if err != nil {
			t.Fatalf("Count: %v", err)
		}
		checkInvariants(t, res)
		if again := must(Count(r, bs)); !reflect.DeepEqual(res, again) {
			t.Fatalf("the same input counted twice differs (-first +second):\n%s", cmp.Diff(res, again))
		}
		decoded := make([]Ballot, len(bs))
		for i, b := range bs {
			if decoded[i], err = DecodeBallot(AppendCanonical(nil, b)); err != nil {
				t.Fatalf("ballot %d: %v", i, err)
			}
		}
		if fromBytes := must(Count(r, decoded)); !reflect.DeepEqual(res, fromBytes) {
			t.Fatalf("the decoded encodings count differently (-ballots +decoded):\n%s", cmp.Diff(res, fromBytes))
		}
		links := Chain(bs)
		if err := Verify(decoded, links); err != nil || (len(bs) > 0 && Head(bs) != links[len(bs)-1]) {
			t.Fatalf("the chain does not recompute: %v", err)
		}
	})
}

func must(res *Result, err error) *Result {
	if err != nil {
		panic(err)
	}
	return res
}

// checkInvariants checks what every count must satisfy.
func checkInvariants(t *testing.T, res *Result) {
	t.Helper()
	r := res.Round
	if len(res.Elected) > r.Seats {
		t.Fatalf("%d elected for %d seats", len(res.Elected), r.Seats)
	}
	next := 0
	if res.Next != nil {
		next = res.Next.Seats
	}
	if len(res.Elected)+res.Vacant+next != r.Seats {
		t.Fatalf("%d elected, %d vacant and %d to the next round for %d seats", len(res.Elected), res.Vacant, next, r.Seats)
	}
	if res.Void && len(res.Elected) > 0 {
		t.Fatalf("a void round elected %v", res.Elected)
	}
	for _, c := range res.Candidates {
		if c.For < 0 || c.Against < 0 || c.Abstain < 0 || c.For+c.Against+c.Abstain != res.Valid {
			t.Fatalf("%s: %d for + %d against + %d abstain, %d valid ballots", c.Candidate.ID, c.For, c.Against, c.Abstain, res.Valid)
		}
		if c.Passed != (c.For >= c.Needed) {
			t.Fatalf("%s: %d for, %d needed, passed %v", c.Candidate.ID, c.For, c.Needed, c.Passed)
		}
		if c.Outcome == Elected && (!c.Passed || r.Threshold != nil && !r.Threshold.Met(int64(c.For), int64(res.Base))) {
			t.Fatalf("%s elected with %d for, below %s of %d", c.Candidate.ID, c.For, r.Threshold, res.Base)
		}
	}
	if r.Method == ForAgainst && r.Threshold == nil {
		t.Fatal("FOR_AGAINST counted without a threshold")
	}
	if res.Next != nil && res.Next.Number != r.Number+1 || res.Next == nil && res.NextReason != "" {
		t.Fatalf("next round %+v after round %d (%s)", res.Next, r.Number, res.NextReason)
	}
}
