package registry_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// BenchmarkBallotEntry enters paper ballots into one open round on the
// embedded SQLite, from three tellers at once (eight goroutines per
// core, each entering as one of them), one ballot per transaction and in
// batches of 20, and reports ballots entered per second. Every entry is
// a transaction with its guard row, chain link and audit event.
func BenchmarkBallotEntry(b *testing.B) {
	for _, batch := range []int{1, 20} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			x := electOpen(b, storetest.SQLite)
			e, cands := x.councilElection(b, nil, "P05", "P06", "P07", "P08", "P09")
			r := x.open(b, e.ID, x.post["Council member"])
			marks := x.ballot(cands, paper{marks: []string{"+P05", "+P06", "-P07"}})
			tellers := []*registry.Viewer{x.views["teller1"], x.views["teller2"], x.views["chief"]}
			var serial, who atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				v := tellers[who.Add(1)%3]
				in := registry.EntryInput{RoundID: r.ID}
				flush := func() {
					if _, err := x.s.EnterBallots(x.ctx, v, in); err != nil {
						b.Error(err)
					}
					in.Ballots = in.Ballots[:0]
				}
				for pb.Next() {
					m := marks
					m.Serial = fmt.Sprintf("A%07d", serial.Add(1))
					if in.Ballots = append(in.Ballots, m); len(in.Ballots) == batch {
						flush()
					}
				}
				if len(in.Ballots) > 0 {
					flush()
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ballots/s")
		})
	}
}
