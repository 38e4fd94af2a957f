package graph_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// BenchmarkBranchRoster runs the benchmark's roster query (100
// appointments, ~65 KB of JSON) through the executor, without HTTP. It
// also reports the processor time per query (cpu-ns/op, the process's,
// garbage collection included), which a shared machine disturbs less than
// the wall time.
func BenchmarkBranchRoster(b *testing.B) {
	svc := newService(b, scale.Open(b, storetest.SQLite))
	query := readQuery(b, "branch-roster.graphql")
	vars := map[string]any{"id": graph.GlobalID("Organization", 17), "n": 100}
	ctx := registry.WithViewer(b.Context(), admin)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if r := svc.Execute(ctx, graph.Request{Query: query, Variables: vars}); len(r.Errors) > 0 {
			b.Fatal(r.Errors)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the processor time the process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
