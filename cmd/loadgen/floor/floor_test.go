package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

var scale = storetest.Prepare("scale", func(ctx context.Context, s *registry.Store) error {
	return seed.Scale(ctx, s.Client, s.Dialect)
})

// TestFloorAnswersAsTheRegistryDoes sends the benchmark's queries, with
// several branches and member numbers, to the registry's executor and to
// the floor: a floor that did less work than the registry would flatter
// it, so the answers must be the same JSON.
func TestFloorAnswersAsTheRegistryDoes(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := scale.Open(t, d)
		svc, err := graph.New(graph.Deps{Store: s, Clock: registry.FixedClock(registry.Day(2026, 11, 23))}, graph.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		f := &floor{db: s.DB, dialect: s.Dialect}
		mux := newMux(f)
		ctx := registry.WithViewer(context.Background(), registry.System("test"))
		check := func(file string, vars map[string]any) {
			t.Helper()
			query, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			res := svc.Execute(ctx, graph.Request{Query: string(query), Variables: vars})
			if len(res.Errors) > 0 {
				t.Fatalf("%s %v: %v", file, vars, res.Errors)
			}
			want := reencode(t, res.Data)
			body, _ := json.Marshal(map[string]any{"query": string(query), "variables": vars})
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest("POST", "/graphql", bytes.NewReader(body)))
			var got struct{ Data any }
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
				t.Fatalf("%v: %d %v %.300s", vars, rec.Code, err, rec.Body)
			}
			if diff := cmp.Diff(want, got.Data); diff != "" {
				t.Fatalf("%v: the floor's answer differs from the registry's (-registry +floor):\n%s", vars, diff)
			}
		}
		for _, branch := range []int{4, 17, 30, 43} {
			check("../../../graph/testdata/branch-roster.graphql", map[string]any{"id": graph.GlobalID("Organization", branch), "n": 100})
		}
		check("../../../graph/testdata/branch-roster.graphql", map[string]any{"id": graph.GlobalID("Organization", 17), "n": 7})
		for _, n := range []int{1, 37, 12345, 20000} {
			check("../person.graphql", map[string]any{"number": fmt.Sprintf("M%06d", n)})
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		// Three statements a roster, one a person.
		if want := fmt.Sprintf("sql_statements_total %d\n", 5*3+4); rec.Body.String() != want {
			t.Errorf("/metrics: %q, want %q", rec.Body.String(), want)
		}
	})
}

// reencode turns an executor's result into what a client decodes.
func reencode(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.NewDecoder(strings.NewReader(string(b))).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkFloorRoster writes the benchmark's roster (branch 17, 100
// appointments) as the floor does, without HTTP: compare it with graph's
// BenchmarkBranchRoster.
func BenchmarkFloorRoster(b *testing.B) {
	s := scale.Open(b, storetest.SQLite)
	f := &floor{db: s.DB, dialect: s.Dialect}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := f.roster(b.Context(), &buf, 17, 100); err != nil {
			b.Fatal(err)
		}
	}
}
