package graph_test

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

var scale = storetest.Prepare("scale", func(ctx context.Context, s *registry.Store) error {
	return seed.Scale(ctx, s.Client, s.Dialect)
})

// rosterStatements is what the benchmark's roster query costs: the
// organization, its current term, the page of appointments joined with
// posts, people, their institutions and memberships, and the people's
// appointments joined with their posts and organizations.
const rosterStatements = 4

// scaleBranch is the benchmark's branch in the scale data.
const scaleBranch = 17

// rosterCost runs the roster query for a page of n as v and returns what
// it cost in statements, after checking the page and each person's
// history.
func rosterCost(t *testing.T, svc *graph.Service, v *registry.Viewer, query string, n int) (int64, result) {
	t.Helper()
	var stmts atomic.Int64
	ctx := registry.WithViewer(registry.WithStatementCounter(context.Background(), &stmts), v)
	r := run(ctx, t, svc, query, map[string]any{"id": graph.GlobalID("Organization", scaleBranch), "n": n})
	got := edges(path(r.Data, "node", "currentTerm", "appointments"))
	if len(got) != n {
		t.Fatalf("page of %d returned %d appointments: %v", n, len(got), r.Errors)
	}
	for i, e := range got {
		if hist := edges(path(e, "node", "person", "appointments")); len(hist) == 0 || len(hist) > 5 {
			t.Fatalf("appointment %d: %d history rows, want 1 to 5", i, len(hist))
		}
	}
	return stmts.Load(), r
}

// rosterService serves the scale data. Its loaders read a batch when its
// first thunk runs, not when a timer fires, so the statements a query
// costs do not depend on how busy the machine is.
func rosterService(t *testing.T, s *registry.Store) *graph.Service {
	return newServiceWith(t, graph.Deps{Store: s, Clock: registry.FixedClock(today)})
}

// TestRosterStatementsDoNotGrowWithPageSize proves that the roster costs
// a fixed number of statements: a page of 100 costs what a page of 10
// does.
func TestRosterStatementsDoNotGrowWithPageSize(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := rosterService(t, scale.Open(t, d))
		query := readQuery(t, "branch-roster.graphql")
		for _, n := range []int{10, 100} {
			stmts, r := rosterCost(t, svc, admin, query, n)
			if len(r.Errors) > 0 {
				t.Fatalf("page of %d: %v", n, r.Errors)
			}
			if stmts != rosterStatements {
				t.Errorf("page of %d cost %d statements, want %d", n, stmts, rosterStatements)
			}
		}
	})
}

// TestScopedRosterStatementsDoNotGrowWithPageSize asks the same roster
// as the branch's secretary, whose scope is a SQL condition and a check
// on rows already read, not more statements; and with the people's
// private contact data, which costs one statement for the whole page for
// the secretary (where the people sit) and none for an ADMIN.
func TestScopedRosterStatementsDoNotGrowWithPageSize(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := scale.Open(t, d)
		ctx := context.Background()
		if _, err := s.CreateToken(ctx, admin, registry.TokenRequest{Account: "branch-17",
			Role: registry.RoleBranchSecretary, Scopes: []int{scaleBranch}}); err != nil {
			t.Fatal(err)
		}
		secretary, err := s.ViewerOf(ctx, "branch-17")
		if err != nil {
			t.Fatal(err)
		}
		svc := rosterService(t, s)
		roster := readQuery(t, "branch-roster.graphql")
		private := strings.Replace(roster, "memberNumber", "memberNumber email phone", 1)
		for _, c := range []struct {
			name   string
			viewer *registry.Viewer
			query  string
			want   int64
		}{
			{"secretary", secretary, roster, rosterStatements},
			{"secretary with private data", secretary, private, rosterStatements + 1},
			{"admin with private data", admin, private, rosterStatements},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, n := range []int{10, 100} {
					stmts, r := rosterCost(t, svc, c.viewer, c.query, n)
					for _, e := range r.Errors {
						// People who no longer sit in the branch keep
						// their contact data from its secretary.
						p := pathOf(e)
						if c.viewer == admin || errCode(e) != "FORBIDDEN" || !strings.HasSuffix(p, "/email") && !strings.HasSuffix(p, "/phone") {
							t.Fatalf("page of %d: %v", n, e)
						}
					}
					if c.query == private {
						shown := 0
						for _, e := range edges(path(r.Data, "node", "currentTerm", "appointments")) {
							if path(e, "node", "person", "email") != nil {
								shown++
							}
						}
						if shown == 0 || c.viewer == admin && shown != n {
							t.Errorf("page of %d showed %d e-mail addresses", n, shown)
						}
					}
					if stmts != c.want {
						t.Errorf("page of %d cost %d statements, want %d", n, stmts, c.want)
					}
				}
			})
		}
	})
}

// TestAuditEventsCostOneStatementAPage reads pages of the audit trail:
// one statement a page whatever its size, one more for totalCount.
func TestAuditEventsCostOneStatementAPage(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		a := setUpAccess(t, s) // its accounts and tokens are audited
		svc := newService(t, s)
		for _, c := range []struct {
			query string
			want  int64
		}{
			{`{ auditEvents(first: 2) { nodes { id seq actor entityId before after } } }`, 1},
			{`{ auditEvents(first: 100) { nodes { id seq actor entityId before after } } }`, 1},
			{`{ auditEvents(first: 100, actor: "cli:test") { totalCount nodes { id } } }`, 2},
		} {
			var stmts atomic.Int64
			ctx := registry.WithViewer(registry.WithStatementCounter(context.Background(), &stmts), a.viewers[asSecretariat])
			r := run(ctx, t, svc, c.query, nil)
			if len(r.Errors) > 0 || len(nodesOf(path(r.Data, "auditEvents"))) < 2 {
				t.Fatalf("%s: %v %v", c.query, r.Data, r.Errors)
			}
			if got := stmts.Load(); got != c.want {
				t.Errorf("%s cost %d statements, want %d", c.query, got, c.want)
			}
		}
	})
}

// TestPersonLookupCostsOneStatement: the benchmark's person lookup reads
// the person with the membership and the institution in one statement.
func TestPersonLookupCostsOneStatement(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := rosterService(t, scale.Open(t, d))
		query, err := os.ReadFile("../cmd/loadgen/person.graphql")
		if err != nil {
			t.Fatal(err)
		}
		var stmts atomic.Int64
		ctx := registry.WithViewer(registry.WithStatementCounter(context.Background(), &stmts), admin)
		r := run(ctx, t, svc, string(query), map[string]any{"number": "M012345"})
		if len(r.Errors) > 0 || path(r.Data, "person", "membership", "status") == nil || path(r.Data, "person", "institution", "name") == nil ||
			path(r.Data, "person", "memberNumber") != "M012345" {
			t.Fatalf("%v %v", r.Data, r.Errors)
		}
		if got := stmts.Load(); got != 1 {
			t.Errorf("the person lookup cost %d statements, want 1", got)
		}
	})
}
