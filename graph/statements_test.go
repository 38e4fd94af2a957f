package graph_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

var scale = storetest.Prepare("scale", func(ctx context.Context, s *registry.Store) error {
	return seed.Scale(ctx, s.Client, s.Dialect)
})

// rosterStatements is what the benchmark's roster query costs: the
// organization, its current term, the page of appointments joined with
// posts and people, institutions, memberships, and the people's
// appointments joined with their posts and organizations.
const rosterStatements = 6

// TestRosterStatementsDoNotGrowWithPageSize proves that the roster costs
// a fixed number of statements: a page of 100 costs what a page of 10
// does.
func TestRosterStatementsDoNotGrowWithPageSize(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := scale.Open(t, d)
		// A wide batch window, so that a busy test machine cannot split
		// a batch: the test is about the plan, not the timing.
		svc := newServiceWith(t, graph.Deps{Store: s, Clock: registry.FixedClock(today),
			Loader: loader.Options{Wait: 50 * time.Millisecond}})
		query := readQuery(t, "branch-roster.graphql")
		branch := graph.GlobalID("Organization", 17)
		for _, n := range []int{10, 100} {
			var stmts atomic.Int64
			ctx := registry.WithStatementCounter(context.Background(), &stmts)
			r := doCtx(ctx, t, svc, query, map[string]any{"id": branch, "n": n})
			if len(r.Errors) > 0 {
				t.Fatalf("page of %d: %v", n, r.Errors)
			}
			got := edges(path(r.Data, "node", "currentTerm", "appointments"))
			if len(got) != n {
				t.Fatalf("page of %d returned %d appointments", n, len(got))
			}
			for i, e := range got {
				if hist := edges(path(e, "node", "person", "appointments")); len(hist) == 0 || len(hist) > 5 {
					t.Fatalf("appointment %d: %d history rows, want 1 to 5", i, len(hist))
				}
			}
			if stmts.Load() != rosterStatements {
				t.Errorf("page of %d cost %d statements, want %d", n, stmts.Load(), rosterStatements)
			}
		}
	})
}
