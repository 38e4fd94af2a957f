package graph

import (
	"context"
	"crypto/sha256"
	"strconv"
	"testing"

	"github.com/graphql-go/graphql"
)

// benchQuery is a small query of the test schema with variables, an
// abstract type, fragments and nesting.
var benchQuery = Request{
	Query: `query Q($k: Kind, $id: ID!) {
		search(kind: $k) { ... on Node { id } ... on Organization { kind } ...P }
		node(id: $id) { ... on Organization { kind parent { kind } } }
		kinds
	}
	fragment P on Person { name }`,
	Variables: map[string]interface{}{"k": "BRANCH", "id": "o1"},
}

// BenchmarkDocumentCache runs one query text again and again (cached:
// parsed, checked and validated once) and a new text every time
// (uncached: every request pays for parsing, our limits and graphql-go's
// validation).
func BenchmarkDocumentCache(b *testing.B) {
	for _, cached := range []bool{true, false} {
		name := map[bool]string{true: "cached", false: "uncached"}[cached]
		b.Run(name, func(b *testing.B) {
			e, _ := newTestExecutor(b, Limits{})
			req := benchQuery
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if !cached {
					i++
					req.Query = benchQuery.Query + "\n# " + strconv.Itoa(i)
				}
				if res := e.Execute(context.Background(), req); len(res.Errors) > 0 {
					b.Fatal(res.Errors)
				}
			}
		})
	}
}

// BenchmarkExecutors runs one cached, validated document through our
// executor (fastexec.go) and through graphql.Execute.
func BenchmarkExecutors(b *testing.B) {
	e, _ := newTestExecutor(b, Limits{})
	if res := e.Execute(context.Background(), benchQuery); len(res.Errors) > 0 {
		b.Fatal(res.Errors)
	}
	doc, _ := e.cache.get(sha256.Sum256([]byte(benchQuery.Query)))
	op := doc.operations[0]
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if res, ok := doc.fast.execute(context.Background(), op, benchQuery.Variables); !ok || len(res.Errors) > 0 {
				b.Fatal(ok, res.Errors)
			}
		}
	})
	b.Run("graphql-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res := graphql.Execute(graphql.ExecuteParams{Schema: e.schema, AST: doc.ast, Args: benchQuery.Variables, Context: context.Background()})
			if len(res.Errors) > 0 {
				b.Fatal(res.Errors)
			}
		}
	})
}
