package graph

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/societyregistry/registry/registry"
)

// nest wraps leaf in n levels of "parent { ... }" under org.
func nest(n int, leaf string) string {
	var b strings.Builder
	b.WriteString("{ org { ")
	for range n - 1 {
		b.WriteString("parent { ")
	}
	b.WriteString(leaf)
	b.WriteString(strings.Repeat(" }", n))
	b.WriteString(" }")
	return b.String()
}

// repeat is n copies of s joined by spaces.
func repeat(s string, n int) string {
	return strings.TrimSpace(strings.Repeat(s+" ", n))
}

// aliasList is n aliased fields.
func aliasList(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d: name ", i)
	}
	return b.String()
}

// aliases is a query with n aliased fields.
func aliases(n int) string {
	return "{ org { " + aliasList(n) + "} }"
}

// tokens is a query of exactly n tokens: "{ sum ( values : [" and "] ) }"
// are nine, the rest are list items.
func tokens(n int) string {
	return "{ sum(values: [" + repeat("1", n-9) + "]) }"
}

func TestLimitBoundaries(t *testing.T) {
	tests := []struct {
		name     string
		lim      Limits
		query    string
		wantCode string // "" when the query runs
	}{
		{"depth 12 runs", Limits{}, nest(12, "name"), ""},
		{"depth 13 refused", Limits{}, nest(13, "name"), "QUERY_TOO_COMPLEX"},
		{"depth counts inlined fragments", Limits{}, nest(11, "...P") + " fragment P on Organization { parent { name } }", ""},
		{"depth over the limit through a fragment", Limits{}, nest(12, "...P") + " fragment P on Organization { parent { name } }", "QUERY_TOO_COMPLEX"},
		{"depth limit configurable", Limits{MaxDepth: 3}, nest(4, "name"), "QUERY_TOO_COMPLEX"},

		{"15 aliases run", Limits{}, aliases(15), ""},
		{"16 aliases refused", Limits{}, aliases(16), "QUERY_TOO_COMPLEX"},
		{"aliases counted after fragment expansion", Limits{},
			"{ org { ...A ...A } } fragment A on Organization { " + aliasList(8) + "}",
			"QUERY_TOO_COMPLEX"},

		{"300 fields run", Limits{}, "{ org { " + repeat("name", 299) + " } }", ""},
		{"301 fields refused", Limits{}, "{ org { " + repeat("name", 300) + " } }", "QUERY_TOO_COMPLEX"},
		{"fields counted after fragment expansion", Limits{},
			"{ org { ...F ...F ...F } } fragment F on Organization { " + repeat("name", 100) + " }", "QUERY_TOO_COMPLEX"},
		{"fields within the limit after expansion", Limits{},
			"{ org { ...F ...F ...F } } fragment F on Organization { " + repeat("name", 99) + " }", ""},

		{"2000 tokens run", Limits{}, tokens(2000), ""},
		{"2001 tokens refused", Limits{}, tokens(2001), "QUERY_TOO_COMPLEX"},
		{"comments are not tokens", Limits{}, "# " + strings.Repeat("x", 5000) + "\n" + tokens(2000), ""},

		{"introspection refused", Limits{}, "{ __schema { queryType { name } } }", "FORBIDDEN"},
		{"__type refused", Limits{}, `{ __type(name: "Query") { name } }`, "FORBIDDEN"},
		{"introspection inside a fragment refused", Limits{}, "{ ...Q } fragment Q on Query { __schema { queryType { name } } }", "FORBIDDEN"},
		{"__typename always allowed", Limits{}, "{ __typename org { __typename } }", ""},
		{"introspection allowed", Limits{AllowIntrospection: true}, "{ __schema { queryType { name } } }", ""},
		{"introspection does not count towards depth", Limits{AllowIntrospection: true}, introspectionQuery, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, calls := newTestExecutor(t, tt.lim)
			res := e.Execute(context.Background(), Request{Query: tt.query})
			if tt.wantCode == "" {
				if len(res.Errors) > 0 {
					t.Fatalf("errors: %v", res.Errors)
				}
				if calls.full.Load() != 1 {
					t.Errorf("full validation ran %d times, want 1", calls.full.Load())
				}
				return
			}
			if got := code(t, res); got != tt.wantCode {
				t.Fatalf("code = %q, want %q (errors %v)", got, tt.wantCode, res.Errors)
			}
			if res.Data != nil {
				t.Errorf("data = %v, want none", res.Data)
			}
			if n := calls.any.Load(); n != 0 {
				t.Errorf("validator ran %d times on a refused document", n)
			}
		})
	}
}

func TestLimitCyclicFragmentsRefusedWithoutCrash(t *testing.T) {
	tests := []struct {
		name, query, wantMessage string
	}{
		{"A to B to A", `{ org { ...A } } fragment A on Organization { name ...B } fragment B on Organization { ...A }`,
			`Cannot spread fragment "A" within itself via "B".`},
		{"self cycle", `{ org { ...A } } fragment A on Organization { parent { ...A } }`,
			`Cannot spread fragment "A" within itself.`},
		{"unused cycle", `{ org { name } } fragment A on Organization { ...B } fragment B on Organization { ...C } fragment C on Organization { ...A }`,
			`Cannot spread fragment "A" within itself via "B" and "C".`},
		{"cycle through an inline fragment", `{ org { ...A } } fragment A on Organization { ... on Organization { ...A } }`,
			`Cannot spread fragment "A" within itself.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, calls := newTestExecutor(t, Limits{})
			for range 1000 {
				res := e.Execute(context.Background(), Request{Query: tt.query})
				if got := code(t, res); got != "BAD_USER_INPUT" {
					t.Fatalf("code = %q, want BAD_USER_INPUT", got)
				}
				if got := res.Errors[0].Message; got != tt.wantMessage {
					t.Fatalf("message = %q, want %q", got, tt.wantMessage)
				}
			}
			if n := calls.any.Load(); n != 0 {
				t.Errorf("validator ran %d times on a cyclic document", n)
			}
		})
	}
}

func TestLimitDuplicateFragmentNamesRefused(t *testing.T) {
	// graphql-go's validator looks fragments up by name: a second
	// definition could hide a cycle from it.
	e, calls := newTestExecutor(t, Limits{})
	res := e.Execute(context.Background(), Request{Query: `{ org { ...A } } fragment A on Organization { name } fragment A on Organization { ...A }`})
	if got := code(t, res); got != "BAD_USER_INPUT" {
		t.Fatalf("code = %q, want BAD_USER_INPUT", got)
	}
	if n := calls.any.Load(); n != 0 {
		t.Errorf("validator ran %d times", n)
	}
}

func TestLimitHostileDocumentsRefusedQuickly(t *testing.T) {
	deep := nest(10000, "name")
	if len(deep) < 100_000 {
		t.Fatalf("deep query is %d bytes, want over 100 KB", len(deep))
	}
	// A fragment spread twice in each of 40 fragments asks 2^40 fields
	// from a few hundred bytes.
	var bomb strings.Builder
	bomb.WriteString("{ org { ...F40 } } fragment F0 on Organization { name }")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&bomb, " fragment F%d on Organization { ...F%d ...F%d }", i, i-1, i-1)
	}
	tests := []struct {
		name  string
		lim   Limits
		query string
	}{
		{"depth 10,000 stopped by tokens", Limits{}, deep},
		{"depth 10,000 stopped by depth", Limits{MaxTokens: 1 << 20}, deep},
		{"20,000 fields stopped by tokens", Limits{}, "{ org { " + repeat("name", 20000) + " } }"},
		{"20,000 fields stopped by fields", Limits{MaxTokens: 1 << 20}, "{ org { " + repeat("name", 20000) + " } }"},
		{"fragment bomb", Limits{}, bomb.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, calls := newTestExecutor(t, tt.lim)
			start := time.Now()
			res := e.Execute(context.Background(), Request{Query: tt.query})
			if got := code(t, res); got != "QUERY_TOO_COMPLEX" {
				t.Fatalf("code = %q, want QUERY_TOO_COMPLEX (%v)", got, res.Errors)
			}
			if n := calls.any.Load(); n != 0 {
				t.Errorf("validator ran %d times", n)
			}
			// Structural asserts above are the test; the time is a report.
			t.Logf("refused %d bytes in %v: %s", len(tt.query), time.Since(start), res.Errors[0].Message)
		})
	}
}

func TestLimitDefaults(t *testing.T) {
	got := Limits{}.withDefaults()
	want := Limits{MaxDepth: 12, MaxTokens: 2000, MaxAliases: 15, MaxFields: 300, MaxCost: 5000}
	if got != want {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
	set := Limits{MaxDepth: 1, MaxTokens: 2, MaxAliases: 3, MaxFields: 4, MaxCost: 5, AllowIntrospection: true}
	if got := set.withDefaults(); got != set {
		t.Errorf("withDefaults(%+v) = %+v", set, got)
	}
}

// TestLimitDefaultsAdmitTheBenchmarkRoster holds DESIGN.md's promise that
// the benchmark's roster query, written with edges { node }, passes every
// default limit, its cost at the largest page the benchmark asks (100)
// included, and graphql-go's validation after them.
func TestLimitDefaultsAdmitTheBenchmarkRoster(t *testing.T) {
	q, err := os.ReadFile("testdata/branch-roster.graphql")
	if err != nil {
		t.Fatal(err)
	}
	schema, err := NewSchema(Deps{Clock: registry.FixedClock(registry.Day(2026, 11, 23))})
	if err != nil {
		t.Fatal(err)
	}
	e := NewExecutor(schema, Limits{})
	doc, refused := e.check(string(q))
	if refused != nil {
		t.Fatal(refused.Message)
	}
	op, refused := selectOperation(doc.operations, "")
	if refused != nil {
		t.Fatal(refused.Message)
	}
	vars := map[string]interface{}{"id": GlobalID("Organization", 17), "n": float64(MaxPage)}
	cost := estimateCost(doc.costs[op], 1, newCostInputs(op, vars))
	if want := MaxPage + MaxPage*5; cost != want {
		t.Errorf("cost = %d, want %d (100 appointments, 5 of each person's)", cost, want)
	}
	if cost > e.lim.MaxCost {
		t.Errorf("cost %d is over the limit %d", cost, e.lim.MaxCost)
	}
	if errs := e.validateDocument(doc.ast, false); errs != nil {
		t.Fatal(errs)
	}
	w := &walker{fragments: map[string]*ast.FragmentDefinition{}, done: map[string]shape{}}
	s := w.selectionSet(op.SelectionSet)
	t.Logf("depth %d of %d, %d fields of %d, %d aliases of %d, cost %d of %d", s.depth, e.lim.MaxDepth, s.fields, e.lim.MaxFields,
		s.aliases, e.lim.MaxAliases, cost, e.lim.MaxCost)
}

// introspectionQuery is the query GraphiQL sends (graphql-js
// getIntrospectionQuery without options): deeper than MaxDepth through
// TypeRef's nested ofType.
const introspectionQuery = `
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name description
  type { ...TypeRef }
  defaultValue
}
fragment TypeRef on __Type {
  kind name
  ofType { kind name
    ofType { kind name
      ofType { kind name
        ofType { kind name
          ofType { kind name
            ofType { kind name
              ofType { kind name
                ofType { kind name }
              }
            }
          }
        }
      }
    }
  }
}`

// TestLimitIntrospectionForAdministratorsOnly decides introspection per
// request from the viewer: administrators may, every other role and an
// anonymous caller may not, whatever the cache holds.
func TestLimitIntrospectionForAdministratorsOnly(t *testing.T) {
	const query = "{ __schema { queryType { name } } }"
	viewers := []struct {
		name  string
		v     *registry.Viewer
		allow bool
	}{
		{"admin", registry.NewViewer(1, "root", registry.RoleAdmin, nil, nil), true},
		{"command line", registry.System("test"), true},
		{"secretariat", registry.NewViewer(2, "office", registry.RoleSecretariat, nil, nil), false},
		{"branch secretary", registry.NewViewer(3, "cardio", registry.RoleBranchSecretary, []int{7}, []int{7}), false},
		{"reader", registry.NewViewer(4, "dash", registry.RoleReader, nil, nil), false},
		{"anonymous", nil, false},
	}
	for _, vw := range viewers {
		t.Run(vw.name, func(t *testing.T) {
			e, calls := newTestExecutor(t, Limits{})
			ctx := registry.WithViewer(context.Background(), vw.v)
			res := e.Execute(ctx, Request{Query: query})
			if vw.allow {
				if len(res.Errors) > 0 {
					t.Fatalf("errors: %v", res.Errors)
				}
				want := map[string]interface{}{"__schema": map[string]interface{}{"queryType": map[string]interface{}{"name": "Query"}}}
				if diff := cmp.Diff(want, res.Data); diff != "" {
					t.Errorf("data mismatch (-want +got):\n%s", diff)
				}
			} else {
				if got := code(t, res); got != "FORBIDDEN" {
					t.Fatalf("code = %q, want FORBIDDEN", got)
				}
				if n := calls.any.Load(); n != 0 {
					t.Errorf("validator ran %d times on a refused document", n)
				}
			}

			// Suggestions name the schema: administrators see them, others not.
			res = e.Execute(ctx, Request{Query: "{ orgg { name } }"})
			msg := res.Errors[0].Message
			if got := strings.Contains(msg, `Did you mean "org"?`); got != vw.allow {
				t.Errorf("message %q suggests a field: %v, want %v", msg, got, vw.allow)
			}
		})
	}

	t.Run("one cached document, asked by both", func(t *testing.T) {
		e, calls := newTestExecutor(t, Limits{})
		admin := registry.WithViewer(context.Background(), viewers[0].v)
		reader := registry.WithViewer(context.Background(), viewers[4].v)
		for i, ctx := range []context.Context{admin, reader, admin, reader} {
			res := e.Execute(ctx, Request{Query: query})
			refused := len(res.Errors) > 0
			if want := i%2 == 1; refused != want {
				t.Errorf("request %d refused: %v, want %v (%v)", i, refused, want, res.Errors)
			}
			if refused && code(t, res) != "FORBIDDEN" {
				t.Errorf("request %d: code %q, want FORBIDDEN", i, code(t, res))
			}
		}
		if n := calls.full.Load(); n != 1 {
			t.Errorf("validated %d times, want 1", n)
		}
	})
}

// ids is n copies of the toy schema's organization ID.
func ids(n int) []interface{} {
	out := make([]interface{}, n)
	for i := range out {
		out[i] = "o1"
	}
	return out
}

// TestLimitCostBoundaries holds the cost estimate at its limit: each
// connection counts its page size times those above it, summed; the
// last allowed cost runs, the next is refused before validation.
func TestLimitCostBoundaries(t *testing.T) {
	tests := []struct {
		name     string
		lim      Limits
		query    string
		vars     map[string]interface{}
		wantCode string // "" when the query runs
	}{
		{"5,000 runs", Limits{}, "{ branches(first: 50) { children(first: 99) { name } } }", nil, ""}, // 50 + 50*99
		{"5,001 refused", Limits{}, "{ a: branches(first: 50) { children(first: 99) { name } } b: branches(first: 1) { name } }", nil, "QUERY_TOO_COMPLEX"},
		{"last counts like first", Limits{}, "{ branches(last: 100) { children(last: 49) { name } } }", nil, ""}, // 100 + 4900
		{"last over the limit", Limits{}, "{ branches(last: 100) { children(last: 50) { name } } }", nil, "QUERY_TOO_COMPLEX"},
		{"fields in between multiply nothing", Limits{}, "{ branches(first: 50) { parent { parent { children(first: 99) { id } } } } }", nil, ""},
		{"through a fragment", Limits{}, "{ branches(first: 50) { ...C } } fragment C on Organization { children(first: 100) { name } }", nil, "QUERY_TOO_COMPLEX"},
		{"through an inline fragment on an interface", Limits{}, `{ node(id: "o1") { ... on Organization { children(first: 100) { children(first: 50) { id } } } } }`, nil, "QUERY_TOO_COMPLEX"},
		{"a missing page size counts as 100", Limits{}, "{ branches { children(first: 49) { name } } }", nil, ""}, // 100 + 4900
		{"a missing page size over the limit", Limits{}, "{ branches { children(first: 50) { name } } }", nil, "QUERY_TOO_COMPLEX"},
		{"a page size over 100 counts as 100", Limits{}, "{ branches(first: 100000) { children(first: 49) { name } } }", nil, ""},

		{"variables within the limit", Limits{}, "query($n: Int) { branches(first: $n) { children(first: 99) { name } } }",
			map[string]interface{}{"n": float64(50)}, ""},
		{"variables over the limit", Limits{}, "query($n: Int) { branches(first: $n) { children(first: 99) { name } } }",
			map[string]interface{}{"n": float64(51)}, "QUERY_TOO_COMPLEX"},
		{"a variable's default", Limits{}, "query($n: Int = 51) { branches(first: $n) { children(first: 99) { name } } }", nil, "QUERY_TOO_COMPLEX"},
		{"a variable overrides its default", Limits{}, "query($n: Int = 51) { branches(first: $n) { children(first: 99) { name } } }",
			map[string]interface{}{"n": 50}, ""},

		{"98 ids", Limits{}, "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { children(first: 50) { id } } } }",
			map[string]interface{}{"ids": ids(98)}, ""}, // 98 + 98*50
		{"100 ids", Limits{}, "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { children(first: 50) { id } } } }",
			map[string]interface{}{"ids": ids(100)}, "QUERY_TOO_COMPLEX"},
		{"a literal list of ids", Limits{}, `{ nodes(ids: ["o1", "o1"]) { ... on Organization { children(first: 49) { children(first: 50) { id } } } } }`, nil, ""}, // 2 + 98 + 4900
		{"a literal list of ids over the limit", Limits{}, `{ nodes(ids: ["o1", "o1"]) { ... on Organization { children(first: 49) { children(first: 51) { id } } } } }`, nil, "QUERY_TOO_COMPLEX"},

		{"cost limit configurable", Limits{MaxCost: 10}, "{ branches(first: 10) { name } }", nil, ""},
		{"over a configured cost limit", Limits{MaxCost: 10}, "{ branches(first: 11) { name } }", nil, "QUERY_TOO_COMPLEX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, calls := newTestExecutor(t, tt.lim)
			res := e.Execute(context.Background(), Request{Query: tt.query, Variables: tt.vars})
			if tt.wantCode == "" {
				if len(res.Errors) > 0 {
					t.Fatalf("errors: %v", res.Errors)
				}
				if res.Data == nil {
					t.Error("no data")
				}
				return
			}
			if got := code(t, res); got != tt.wantCode {
				t.Fatalf("code = %q, want %q (errors %v)", got, tt.wantCode, res.Errors)
			}
			if msg := res.Errors[0].Message; !strings.Contains(msg, "estimated") {
				t.Errorf("message = %q, want it to name the estimate", msg)
			}
			if n := calls.any.Load(); n != 0 {
				t.Errorf("validator ran %d times on a refused document", n)
			}
		})
	}
}

// TestLimitCostFollowsTheVariablesOfACachedDocument runs one document,
// cached after its first run, with page sizes under and over the limit.
func TestLimitCostFollowsTheVariablesOfACachedDocument(t *testing.T) {
	e, calls := newTestExecutor(t, Limits{})
	q := "query($n: Int!) { branches(first: 100) { children(first: $n) { name } } }"
	for _, c := range []struct {
		n       int
		refused bool
	}{{49, false}, {50, true}, {1, false}, {100, true}} {
		res := e.Execute(context.Background(), Request{Query: q, Variables: map[string]interface{}{"n": c.n}})
		if refused := len(res.Errors) > 0; refused != c.refused {
			t.Errorf("n = %d: refused %v, want %v (%v)", c.n, refused, c.refused, res.Errors)
		}
	}
	if n := calls.full.Load(); n != 1 {
		t.Errorf("validated %d times, want 1", n)
	}
}

// TestLimitCostOfOperationsWithoutARootType estimates nothing for a
// subscription the schema does not have: the validator refuses it.
func TestLimitCostOfOperationsWithoutARootType(t *testing.T) {
	e, _ := newTestExecutor(t, Limits{})
	res := e.Execute(context.Background(), Request{Query: "subscription { branches(first: 1) { name } }"})
	if got := code(t, res); got != "BAD_USER_INPUT" {
		t.Errorf("code = %q, want BAD_USER_INPUT (%v)", got, res.Errors)
	}
}

// TestLimitVariablesWithoutATypeRefused: graphql-go's parser lets these
// through with nil types, on which its validator dereferences nil.
func TestLimitVariablesWithoutATypeRefused(t *testing.T) {
	for _, q := range []string{
		"query($a:) { kinds }",
		"query($a: !) { kinds }",
		"query($a: [!]) { kinds }",
		"query($a: [[!]!]) { kinds }",
		"query($ok: Int, $a:) { kinds }",
	} {
		e, calls := newTestExecutor(t, Limits{})
		res := e.Execute(context.Background(), Request{Query: q})
		if got := code(t, res); got != "BAD_USER_INPUT" {
			t.Errorf("%q: code = %q, want BAD_USER_INPUT", q, got)
		}
		if msg := res.Errors[0].Message; !strings.Contains(msg, `"$a" has no type`) {
			t.Errorf("%q: message %q", q, msg)
		}
		if n := calls.any.Load(); n != 0 {
			t.Errorf("%q: validator ran %d times", q, n)
		}
	}
	e, _ := newTestExecutor(t, Limits{})
	if res := e.Execute(context.Background(), Request{Query: "query($a: [Int!]!) { sum(values: $a) }", Variables: map[string]interface{}{"a": []interface{}{1, 2}}}); len(res.Errors) > 0 {
		t.Errorf("a whole type refused: %v", res.Errors)
	}
}

// TestLimitValidatorPanicRefusesTheDocument: should graphql-go's
// validator panic on another malformed document, the request is refused
// as malformed, and the executor goes on serving.
func TestLimitValidatorPanicRefusesTheDocument(t *testing.T) {
	e, _ := newTestExecutor(t, Limits{})
	validate := e.validate
	e.validate = func(s *graphql.Schema, doc *ast.Document, rules []graphql.ValidationRuleFn) graphql.ValidationResult {
		if len(rules) > 1 {
			var nothing *ast.Name
			_ = nothing.Value // the validator's kind of nil dereference
		}
		return validate(s, doc, rules)
	}
	res := e.Execute(context.Background(), Request{Query: "{ kinds }"})
	if got := code(t, res); got != "BAD_USER_INPUT" {
		t.Fatalf("code = %q, want BAD_USER_INPUT (%v)", got, res.Errors)
	}
	if n := e.cache.len(); n != 0 {
		t.Errorf("the refused document was cached")
	}
}
