package graph_test

import (
	"testing"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// BenchmarkBranchRoster runs the benchmark's roster query (100
// appointments, ~65 KB of JSON) through the executor, without HTTP.
func BenchmarkBranchRoster(b *testing.B) {
	svc := newService(b, scale.Open(b, storetest.SQLite))
	query := readQuery(b, "branch-roster.graphql")
	vars := map[string]any{"id": graph.GlobalID("Organization", 17), "n": 100}
	ctx := registry.WithViewer(b.Context(), admin)
	b.ReportAllocs()
	for b.Loop() {
		if r := svc.Execute(ctx, graph.Request{Query: query, Variables: vars}); len(r.Errors) > 0 {
			b.Fatal(r.Errors)
		}
	}
}
