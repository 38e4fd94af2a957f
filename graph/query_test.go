package graph_test

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/seed"
)

var demo = storetest.Prepare("demo", func(ctx context.Context, s *registry.Store) error {
	return seed.Demo(ctx, s.Client, s.Dialect)
})

// demoQueries are what a dashboard asks of the demo society; their
// answers are kept in testdata/NAME.json.
var demoQueries = []struct{ name, query string }{
	{"branches", `{ organizations(kind: ACADEMIC_BRANCH, first: 20) { totalCount nodes {
		name kind parent { name } currentTerm { ordinal name startsOn endsOn status overdue } } } }`},
	{"organizations-by-name", `{ organizations(name: "CARDIO", first: 5) { totalCount nodes { name kind } } }`},
	{"secretariat", `{ organizations(kind: SECRETARIAT_DEPARTMENT, first: 10) { totalCount nodes { name parent { kind } } } }`},
	{"council", `{ organizations(kind: COUNCIL, first: 1) { nodes {
		name parent { name }
		rules { termYears consecutiveTermLimit leadershipAgeLimit maxDeferralDays individualNumberPattern unitNumberPattern
			quorum { fraction { numerator denominator } base strict text } resolution { text } articlesAmendment { text }
			election { text } standingCouncilMax { text } minRenewal { text } }
		terms(first: 5) { totalCount nodes { ordinal name startsOn endsOn actualEnd status overdue } }
		currentTerm { name appointments(first: 8) { totalCount nodes { post { title rank seats leadership } person { name memberNumber } obtainedBy startsOn endsOn } } }
		posts(first: 10) { nodes { title rank seats leadership } }
		children(first: 5) { nodes { name kind } } } } }`},
	{"people-suspended", `{ people(status: SUSPENDED, first: 100) { totalCount nodes { name memberNumber membership { status } } } }`},
	{"people-by-specialty-and-name", `{ a: people(specialty: "Cardiology", first: 5) { totalCount nodes { name specialty } }
		b: people(name: "li", first: 5) { totalCount nodes { name } }
		c: people(kind: INDIVIDUAL, status: ACTIVE, first: 1) { totalCount } }`},
	{"institutions", `{ all: institutions(first: 3) { totalCount nodes { name kind membership { memberNumber status kind } } }
		hospitals: institutions(kind: HOSPITAL, first: 100) { totalCount nodes { name people(first: 2) { totalCount nodes { name } } } } }`},
	{"statistics", `{ now: membershipStatistics { asOf total byKindAndStatus { kind status count } }
		then: membershipStatistics(asOf: "2018-01-01") { asOf total byKindAndStatus { kind status count } } }`},
	{"person-by-member-number", `{ person(memberNumber: "M000001") { name gender birthDate professionalTitle specialty memberNumber
		institution { name kind }
		membership { memberNumber kind status joinedOn leftOn history(first: 20) { nodes { fromStatus toStatus effectiveOn reason } } }
		appointments(first: 20) { totalCount nodes { post { title organization { name } } term { ordinal name status } startsOn endsOn obtainedBy endReason } } } }`},
}

func TestDemoQueries(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := newService(t, demo.Open(t, d))
		for _, q := range demoQueries {
			t.Run(q.name, func(t *testing.T) {
				// Both databases must give the very same answer.
				golden(t, q.name, ok(t, svc, q.query, nil))
			})
		}
	})
}

// councilID finds the council's global ID in the demo.
func councilID(t *testing.T, svc *graph.Service) string {
	t.Helper()
	data := ok(t, svc, `{ organizations(kind: COUNCIL, first: 1) { nodes { id } } }`, nil)
	return path(data, "organizations", "nodes").([]any)[0].(map[string]any)["id"].(string)
}

// TestRosterAsOfTermBoundaries reads the council's roster on the days
// around the change of council on 2020-06-01: dates of office are
// half-open, so the first council holds office through 2020-05-31 and
// the second from 2020-06-01.
func TestRosterAsOfTermBoundaries(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := newService(t, demo.Open(t, d))
		council := councilID(t, svc)
		const q = `query($id: ID!, $day: Date) { organization(id: $id) { roster(asOf: $day, first: 100) {
			totalCount nodes { startsOn endsOn term { ordinal } } } } }`
		for _, c := range []struct {
			day     string
			ordinal float64
		}{
			{"2015-06-01", 1}, // the first council's first day
			{"2020-05-31", 1}, // its last day
			{"2020-06-01", 2}, // the second council's first day
			{"2025-05-31", 2},
			{"2025-06-01", 2}, // past its planned end, still in office: overdue
		} {
			data := ok(t, svc, q, map[string]any{"id": council, "day": c.day})
			roster := path(data, "organization", "roster")
			nodes := path(roster, "nodes").([]any)
			if len(nodes) == 0 {
				t.Fatalf("%s: empty roster", c.day)
			}
			for _, n := range nodes {
				if got := path(n, "term", "ordinal"); got != c.ordinal {
					t.Errorf("%s: an appointment of term %v, want only term %v", c.day, got, c.ordinal)
				}
				if s := path(n, "startsOn").(string); s > c.day {
					t.Errorf("%s: appointment starting %s listed", c.day, s)
				}
				if e, ok := path(n, "endsOn").(string); ok && e <= c.day {
					t.Errorf("%s: appointment ended %s listed", c.day, e)
				}
			}
		}
		// Before the first council, nobody.
		data := ok(t, svc, q, map[string]any{"id": council, "day": "2015-05-31"})
		if n := path(data, "organization", "roster", "totalCount"); n != float64(0) {
			t.Errorf("2015-05-31: totalCount %v, want 0", n)
		}
		// The default day is today (2026-11-23): the overdue second council.
		today := ok(t, svc, q, map[string]any{"id": council})
		asOf := ok(t, svc, q, map[string]any{"id": council, "day": "2026-11-23"})
		if diff := cmp.Diff(asOf, today); diff != "" {
			t.Errorf("roster without asOf differs from asOf today (-asOf +default):\n%s", diff)
		}
	})
}

// TestPaginationWalksEveryPageBothWays pages through a list 7 at a time,
// forwards with after and backwards with before, and checks the pages
// join up into the whole list read at once.
func TestPaginationWalksEveryPageBothWays(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		svc := newService(t, demo.Open(t, d))
		whole := ok(t, svc, `{ people(specialty: "Cardiology", first: 100) { totalCount nodes { id } } }`, nil)
		var want []string
		for _, n := range path(whole, "people", "nodes").([]any) {
			want = append(want, path(n, "id").(string))
		}
		if len(want) < 15 || len(want) == 100 {
			t.Fatalf("want a list of 15 to 99 people to page through, have %d", len(want))
		}
		if path(whole, "people", "totalCount") != float64(len(want)) {
			t.Fatalf("totalCount %v, want %d", path(whole, "people", "totalCount"), len(want))
		}
		const q = `query($first: Int, $after: String, $last: Int, $before: String) {
			people(specialty: "Cardiology", first: $first, after: $after, last: $last, before: $before) {
				edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`
		var fwd []string
		vars := map[string]any{"first": 7}
		for pages := 0; ; pages++ {
			conn := path(ok(t, svc, q, vars), "people")
			for _, e := range edges(conn) {
				fwd = append(fwd, path(e, "node", "id").(string))
			}
			info := path(conn, "pageInfo")
			if pages > 0 && path(info, "hasPreviousPage") != true {
				t.Errorf("page %d after a cursor: hasPreviousPage false", pages)
			}
			if path(info, "hasNextPage") != true {
				if n := len(edges(conn)); n == 0 || n > 7 {
					t.Errorf("last page has %d edges", n)
				}
				break
			}
			vars = map[string]any{"first": 7, "after": path(info, "endCursor")}
		}
		if diff := cmp.Diff(want, fwd); diff != "" {
			t.Errorf("forward pages (-whole +pages):\n%s", diff)
		}
		var back []string
		vars = map[string]any{"last": 7}
		for {
			conn := path(ok(t, svc, q, vars), "people")
			var page []string
			for _, e := range edges(conn) {
				page = append(page, path(e, "node", "id").(string))
			}
			back = append(page, back...)
			info := path(conn, "pageInfo")
			if path(info, "hasPreviousPage") != true {
				break
			}
			vars = map[string]any{"last": 7, "before": path(info, "startCursor")}
		}
		if diff := cmp.Diff(want, back); diff != "" {
			t.Errorf("backward pages (-whole +pages):\n%s", diff)
		}
		// A page past the end is empty, with no cursors.
		lastCursor := ok(t, svc, q, map[string]any{"last": 1})
		endCursor := path(lastCursor, "people", "pageInfo", "endCursor")
		empty := path(ok(t, svc, q, map[string]any{"first": 5, "after": endCursor}), "people")
		if len(edges(empty)) != 0 || path(empty, "pageInfo", "hasNextPage") != false ||
			path(empty, "pageInfo", "startCursor") != nil || path(empty, "pageInfo", "endCursor") != nil {
			t.Errorf("page after the last item: %v", empty)
		}
		// Nested connections page the same way: a person's history.
		none := ok(t, svc, `{ people(name: "no such name at all", first: 3) { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, nil)
		wantEmpty := map[string]any{"people": map[string]any{"totalCount": float64(0), "edges": []any{},
			"pageInfo": map[string]any{"hasNextPage": false, "hasPreviousPage": false, "startCursor": nil, "endCursor": nil}}}
		if diff := cmp.Diff(wantEmpty, none); diff != "" {
			t.Errorf("empty list (-want +got):\n%s", diff)
		}
	})
}

// TestNodeFetchesEveryType round-trips a global ID of each type through
// node and nodes.
func TestNodeFetchesEveryType(t *testing.T) {
	svc := newService(t, demo.Open(t, storetest.SQLite))
	data := ok(t, svc, `{ organizations(kind: COUNCIL, first: 1) { nodes { id __typename
		currentTerm { id __typename appointments(first: 1) { nodes { id __typename post { id __typename }
		person { id __typename institution { id __typename } membership { id __typename } } } } } } } }`, nil)
	var ids, types []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				ids = append(ids, id)
				types = append(types, x["__typename"].(string))
			}
			for _, k := range sortedKeys(x) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(data)
	if len(ids) != 7 {
		t.Fatalf("found %d typed ids, want 7: %v", len(ids), types)
	}
	for i, id := range ids {
		got := ok(t, svc, `query($id: ID!) { node(id: $id) { id __typename } }`, map[string]any{"id": id})
		if path(got, "node", "id") != id || path(got, "node", "__typename") != types[i] {
			t.Errorf("node(%s) = %v, want the %s", id, got, types[i])
		}
	}
	anyIDs := make([]any, len(ids))
	for i, id := range ids {
		anyIDs[i] = id
	}
	missing := graph.GlobalID("Person", 999999)
	got := ok(t, svc, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": append(anyIDs, missing)})
	nodes := path(got, "nodes").([]any)
	if len(nodes) != len(ids)+1 || nodes[len(ids)] != nil {
		t.Errorf("nodes: %v", nodes)
	}
	for i, id := range ids {
		if path(nodes[i], "id") != id {
			t.Errorf("nodes[%d] = %v, want %s", i, nodes[i], id)
		}
	}
}

// TestErrorsNameTheirCodeAndField checks the refusals a client can meet
// on the read side.
func TestErrorsNameTheirCodeAndField(t *testing.T) {
	svc := newService(t, demo.Open(t, storetest.SQLite))
	person := graph.GlobalID("Person", 1)
	for _, c := range []struct {
		name, query  string
		code, field  string
		dataSurvives bool
	}{
		{"unknown organization", fmt.Sprintf(`{ organization(id: %q) { name } }`, graph.GlobalID("Organization", 999999)), "NOT_FOUND", "id", false},
		{"unknown member number", `{ person(memberNumber: "M999999") { name } }`, "NOT_FOUND", "memberNumber", false},
		{"garbage id", `{ organization(id: "not-an-id") { name } }`, "BAD_USER_INPUT", "id", false},
		{"id of another type", fmt.Sprintf(`{ organization(id: %q) { name } }`, person), "BAD_USER_INPUT", "id", false},
		{"neither id nor number", `{ person { name } }`, "BAD_USER_INPUT", "id", false},
		{"both first and last", `{ people(first: 1, last: 1) { totalCount } }`, "BAD_USER_INPUT", "last", false},
		{"no first or last", `{ people { totalCount } }`, "QUERY_TOO_COMPLEX", "first", false},
		{"first zero", `{ people(first: 0) { totalCount } }`, "QUERY_TOO_COMPLEX", "first", false},
		{"first over 100", `{ people(first: 101) { totalCount } }`, "QUERY_TOO_COMPLEX", "first", false},
		{"last over 100", `{ institutions(last: 101) { totalCount } }`, "QUERY_TOO_COMPLEX", "last", false},
		{"nested without first", `{ people(first: 1) { nodes { appointments { totalCount } } } }`, "QUERY_TOO_COMPLEX", "first", true},
		{"bad cursor", `{ people(first: 1, after: "%%%") { totalCount } }`, "BAD_USER_INPUT", "after", false},
		{"bad date", `{ membershipStatistics(asOf: "2020-13-01") { total } }`, "BAD_USER_INPUT", "", false},
		{"unknown enum", `{ organizations(kind: PARTY, first: 1) { totalCount } }`, "BAD_USER_INPUT", "", false},
		{"too many ids", `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, "QUERY_TOO_COMPLEX", "ids", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var vars map[string]any
			if c.name == "too many ids" {
				ids := make([]any, 101)
				for i := range ids {
					ids[i] = person
				}
				vars = map[string]any{"ids": ids}
			}
			r := do(t, svc, c.query, vars)
			if got := codeOf(r); got != c.code {
				t.Fatalf("code %q, want %q (errors %v)", got, c.code, r.Errors)
			}
			if c.field != "" {
				ext := r.Errors[0]["extensions"].(map[string]any)
				if ext["field"] != c.field {
					t.Errorf("field %v, want %q", ext["field"], c.field)
				}
			}
			if c.dataSurvives && r.Data == nil {
				t.Errorf("a nested refusal nulled the whole response")
			}
		})
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
