package graph_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/registry/storetest"
)

// TestNestedPagesWalkTheWholeList pages forward and backward through an
// organization's posts, a list read per parent in one windowed statement
// for all parents: the pages join up into the whole list, and
// hasNextPage and hasPreviousPage say when a page is the last.
func TestNestedPagesWalkTheWholeList(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := newService(t, demo.Open(t, d))
		orgs := ok(t, svc, `{ organizations(first: 40) { nodes { id posts(first: 100) { nodes { id } } } } }`, nil)
		var org string
		var want []string
		for _, o := range path(orgs, "organizations", "nodes").([]any) {
			if posts := path(o, "posts", "nodes").([]any); len(posts) > len(want) {
				org, want = path(o, "id").(string), nil
				for _, p := range posts {
					want = append(want, path(p, "id").(string))
				}
			}
		}
		if len(want) < 4 {
			t.Fatalf("no organization has 4 posts to page through: %v", want)
		}
		const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { node(id: $id) { ... on Organization {
			posts(first: $first, after: $after, last: $last, before: $before) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } } }`
		walk := func(size string, cursor, more, end string) []string {
			var got []string
			vars := map[string]any{"id": org, size: 3}
			for range len(want) {
				conn := path(ok(t, svc, q, vars), "node", "posts")
				var page []string
				for _, n := range path(conn, "nodes").([]any) {
					page = append(page, path(n, "id").(string))
				}
				if size == "first" {
					got = append(got, page...)
				} else {
					got = append(page, got...)
				}
				if path(conn, "pageInfo", more) != true {
					if len(got) != len(want) {
						t.Errorf("%s 3: %s false after %d of %d posts", size, more, len(got), len(want))
					}
					return got
				}
				vars = map[string]any{"id": org, size: 3, cursor: path(conn, "pageInfo", end)}
			}
			t.Errorf("%s 3: %s never false", size, more)
			return got
		}
		if diff := cmp.Diff(want, walk("first", "after", "hasNextPage", "endCursor")); diff != "" {
			t.Errorf("forward (-whole +pages):\n%s", diff)
		}
		if diff := cmp.Diff(want, walk("last", "before", "hasPreviousPage", "startCursor")); diff != "" {
			t.Errorf("backward (-whole +pages):\n%s", diff)
		}
	})
}
