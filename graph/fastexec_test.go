package graph

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/graphql-go/graphql"
)

// TestExecutorsAgree runs queries of the test schema through our executor
// and through graphql.Execute: the data and the errors (message, path,
// extensions) must be the same, and the fast path must have been taken.
func TestExecutorsAgree(t *testing.T) {
	for _, req := range []Request{
		benchQuery,
		{Query: `{ org { name kind parent { name kind } children(first: 2) { id name } } kinds }`},
		{Query: `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Organization { name } ... on Person { name } } }`,
			Variables: map[string]interface{}{"ids": []interface{}{"o1", "p1", "o2"}}},
		{Query: `{ node(id: "nope") { id } fail org { name } }`},
		{Query: `{ a: org { n: name } b: org { name __typename } search { __typename } }`},
		{Query: `{ sum(values: [1, 2, 3]) branches(first: 1) { name } }`},
		{Query: `fragment F on Organization { name } { org { ...F ...F kind } }`},
	} {
		t.Run(req.Query, func(t *testing.T) {
			e, _ := newTestExecutor(t, Limits{})
			ours := e.Execute(context.Background(), req)
			doc, cached := e.cache.get(sha256Of(req.Query))
			if !cached || !doc.fast.ops[doc.operations[0]] {
				t.Fatal("the query did not take our executor")
			}
			theirs := graphql.Execute(graphql.ExecuteParams{Schema: e.schema, AST: doc.ast, Args: req.Variables, Context: context.Background()})
			classify(theirs, nil)
			if diff := cmp.Diff(theirs.Data, ours.Data); diff != "" {
				t.Errorf("data (-graphql-go +ours):\n%s", diff)
			}
			if diff := cmp.Diff(errorsOf(theirs), errorsOf(ours)); diff != "" {
				t.Errorf("errors (-graphql-go +ours):\n%s", diff)
			}
		})
	}
}

// errorsOf lists a result's errors as JSON, sorted: graphql-go resolves
// a level's fields in map order.
func errorsOf(res *graphql.Result) []string {
	var out []string
	for _, fe := range res.Errors {
		b, _ := json.Marshal(fe)
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

// TestOrderedResults: a Service's executor gives Objects, which list
// their fields in the order the query selected them, aliases and
// fragments included.
func TestOrderedResults(t *testing.T) {
	e, _ := newTestExecutor(t, Limits{})
	e.ordered = true
	for query, want := range map[string]string{
		`{ kinds org { parent { kind } name } }`:                               `{"kinds":["ASSOCIATION","BRANCH"],"org":{"parent":{"kind":"ASSOCIATION"},"name":"Cardiology"}}`,
		`{ org { name } kinds }`:                                               `{"org":{"name":"Cardiology"},"kinds":["ASSOCIATION","BRANCH"]}`,
		`fragment F on Organization { kind } { org { z: name ...F a: name } }`: `{"org":{"z":"Cardiology","kind":"BRANCH","a":"Cardiology"}}`,
		`{ nodes(ids: ["o1", "nope"]) { id } }`:                                `{"nodes":[{"id":"o1"},null]}`,
	} {
		res := e.Execute(context.Background(), Request{Query: query})
		got, err := json.Marshal(res.Data)
		if err != nil || string(got) != want {
			t.Errorf("%s:\n got %s %v\nwant %s (errors %v)", query, got, err, want, res.Errors)
		}
		if _, ok := res.Data.(*Object); !ok {
			t.Errorf("%s: data is a %T", query, res.Data)
		}
	}
}

func sha256Of(s string) [sha256.Size]byte { return sha256.Sum256([]byte(s)) }
