package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/societyregistry/registry/registry"
)

// The toy schema below stands in for the real one: an interface, a union,
// an enum with named Go values, arguments, variables, a mutation and
// fields that fail or block, which is all the executor cares about.

type kind string

type org struct {
	id   string
	name string
	kind kind
}

type person struct{ id, name string }

func newTestSchema(t testing.TB) graphql.Schema {
	t.Helper()
	kindEnum := graphql.NewEnum(graphql.EnumConfig{
		Name: "Kind",
		Values: graphql.EnumValueConfigMap{
			"ASSOCIATION": {Value: kind("association")},
			"BRANCH":      {Value: kind("branch")},
		},
	})
	node := graphql.NewInterface(graphql.InterfaceConfig{
		Name:   "Node",
		Fields: graphql.Fields{"id": {Type: graphql.NewNonNull(graphql.ID)}},
	})
	var orgType *graphql.Object
	// A connection's page arguments, as the executor's cost estimate
	// knows them.
	pageArgs := graphql.FieldConfigArgument{"first": {Type: graphql.Int}, "last": {Type: graphql.Int}}
	personType := graphql.NewObject(graphql.ObjectConfig{
		Name:       "Person",
		Interfaces: []*graphql.Interface{node},
		Fields: graphql.Fields{
			"id":   {Type: graphql.NewNonNull(graphql.ID), Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(person).id, nil }},
			"name": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(person).name, nil }},
		},
	})
	orgType = graphql.NewObject(graphql.ObjectConfig{
		Name:       "Organization",
		Interfaces: []*graphql.Interface{node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id":   {Type: graphql.NewNonNull(graphql.ID), Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(org).id, nil }},
				"name": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(org).name, nil }},
				"kind": {Type: kindEnum, Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(org).kind, nil }},
				"parent": {Type: orgType, Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					o := p.Source.(org)
					return org{id: o.id + "^", name: "parent of " + o.name, kind: "association"}, nil
				}},
				"children": {Type: graphql.NewList(orgType), Args: pageArgs, Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					o := p.Source.(org)
					return []interface{}{org{id: o.id + ".1", name: "first child", kind: "branch"}}, nil
				}},
			}
		}),
	})
	var byID = map[string]interface{}{
		"o1": org{id: "o1", name: "Cardiology", kind: "branch"},
		"p1": person{id: "p1", name: "Lin Qing"},
	}
	node.ResolveType = func(p graphql.ResolveTypeParams) *graphql.Object {
		if _, ok := p.Value.(org); ok {
			return orgType
		}
		return personType
	}
	result := graphql.NewUnion(graphql.UnionConfig{
		Name:  "SearchResult",
		Types: []*graphql.Object{orgType, personType},
		ResolveType: func(p graphql.ResolveTypeParams) *graphql.Object {
			return node.ResolveType(p)
		},
	})
	query := graphql.NewObject(graphql.ObjectConfig{
		Name: "Query",
		Fields: graphql.Fields{
			"org": {Type: orgType, Resolve: func(p graphql.ResolveParams) (interface{}, error) { return byID["o1"], nil }},
			"node": {
				Type: node,
				Args: graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID)}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					v, ok := byID[p.Args["id"].(string)]
					if !ok {
						return nil, registry.E(registry.NotFound, "id", "no node %q", p.Args["id"])
					}
					return v, nil
				},
			},
			"branches": {Type: graphql.NewList(orgType), Args: pageArgs, Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				return []interface{}{byID["o1"]}, nil
			}},
			"nodes": {
				Type: graphql.NewList(node),
				Args: graphql.FieldConfigArgument{"ids": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(graphql.ID)))}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					var out []interface{}
					for _, id := range p.Args["ids"].([]interface{}) {
						out = append(out, byID[id.(string)])
					}
					return out, nil
				},
			},
			"search": {
				Type: graphql.NewList(result),
				Args: graphql.FieldConfigArgument{"kind": {Type: kindEnum}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					if k, ok := p.Args["kind"].(kind); ok && k != "branch" {
						return []interface{}{byID["p1"]}, nil
					}
					return []interface{}{byID["o1"], byID["p1"]}, nil
				},
			},
			"kinds": {Type: graphql.NewList(kindEnum), Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				return []kind{"association", "branch"}, nil
			}},
			"sum": {
				Type: graphql.Int,
				Args: graphql.FieldConfigArgument{"values": {Type: graphql.NewList(graphql.Int)}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					n := 0
					for _, v := range p.Args["values"].([]interface{}) {
						n += v.(int)
					}
					return n, nil
				},
			},
			"slow": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				<-p.Context.Done()
				return nil, p.Context.Err()
			}},
			"fail": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				return nil, errors.New("db: connection reset by peer")
			}},
		},
	})
	mutation := graphql.NewObject(graphql.ObjectConfig{
		Name: "Mutation",
		Fields: graphql.Fields{
			"rename": {
				Type: orgType,
				Args: graphql.FieldConfigArgument{"name": {Type: graphql.NewNonNull(graphql.String)}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					return org{id: "o1", name: p.Args["name"].(string), kind: "branch"}, nil
				},
			},
		},
	})
	schema, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Mutation: mutation, Types: []graphql.Type{personType}})
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

// validations counts the executor's calls of graphql-go's validator.
type validations struct {
	any  atomic.Int64 // any rule set
	full atomic.Int64 // the specified rules
}

func newTestExecutor(t testing.TB, lim Limits) (*Executor, *validations) {
	t.Helper()
	e := NewExecutor(newTestSchema(t), lim)
	calls := &validations{}
	validate := e.validate
	e.validate = func(s *graphql.Schema, doc *ast.Document, rules []graphql.ValidationRuleFn) graphql.ValidationResult {
		calls.any.Add(1)
		if len(rules) == len(graphql.SpecifiedRules) {
			calls.full.Add(1)
		}
		return validate(s, doc, rules)
	}
	return e, calls
}

// code is the extensions.code of the result's only error.
func code(t *testing.T, res *graphql.Result) string {
	t.Helper()
	if len(res.Errors) != 1 {
		t.Fatalf("got %d errors, want 1: %v", len(res.Errors), res.Errors)
	}
	c, _ := res.Errors[0].Extensions["code"].(string)
	return c
}

func TestExecRunsQueriesAndMutations(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want map[string]interface{}
	}{
		{
			"interface, union, enum and variables",
			Request{
				Query: `query Q($id: ID!, $k: Kind) {
					node(id: $id) { id ... on Organization { kind } }
					search(kind: $k) { __typename ... on Person { name } ... on Organization { name } }
					kinds
				}`,
				Variables: map[string]interface{}{"id": "o1", "k": "BRANCH"},
			},
			map[string]interface{}{
				"node": map[string]interface{}{"id": "o1", "kind": "BRANCH"},
				"search": []interface{}{
					map[string]interface{}{"__typename": "Organization", "name": "Cardiology"},
					map[string]interface{}{"__typename": "Person", "name": "Lin Qing"},
				},
				"kinds": []interface{}{"ASSOCIATION", "BRANCH"},
			},
		},
		{
			"mutation",
			Request{Query: `mutation { rename(name: "Oncology") { name } }`},
			map[string]interface{}{"rename": map[string]interface{}{"name": "Oncology"}},
		},
		{
			"named operation among several",
			Request{Query: `query A { org { name } } query B { kinds }`, OperationName: "B"},
			map[string]interface{}{"kinds": []interface{}{"ASSOCIATION", "BRANCH"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := newTestExecutor(t, Limits{})
			res := e.Execute(context.Background(), tt.req)
			if len(res.Errors) > 0 {
				t.Fatalf("errors: %v", res.Errors)
			}
			if diff := cmp.Diff(tt.want, res.Data); diff != "" {
				t.Errorf("data mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExecRefusesBadRequestsAsUserInput(t *testing.T) {
	tests := []struct {
		name        string
		lim         Limits
		req         Request
		wantCode    string
		wantMessage string // a substring; "" skips
		notMessage  string // must not appear; "" skips
		validated   bool   // whether the full validator ran
	}{
		{name: "syntax error", req: Request{Query: "{ org { name }"}, wantCode: "BAD_USER_INPUT", wantMessage: "Syntax Error"},
		{name: "empty document", req: Request{Query: ""}, wantCode: "BAD_USER_INPUT"},
		{name: "lexical error", req: Request{Query: "{ org { name \x01 } }"}, wantCode: "BAD_USER_INPUT", wantMessage: "Invalid character"},
		{name: "no operation", req: Request{Query: "fragment F on Query { org { name } }"}, wantCode: "BAD_USER_INPUT", wantMessage: "no operation"},
		{name: "several operations, no name", req: Request{Query: "query A { kinds } query B { kinds }"}, wantCode: "BAD_USER_INPUT", wantMessage: "operationName is required"},
		{name: "unknown operation", req: Request{Query: "query A { kinds }", OperationName: "B"}, wantCode: "BAD_USER_INPUT", wantMessage: `unknown operation "B"`},
		{name: "schema definitions", req: Request{Query: "type T { a: Int } { kinds }"}, wantCode: "BAD_USER_INPUT", wantMessage: "only operations and fragments"},
		{
			name: "validation error without suggestions", req: Request{Query: "{ orgg { name } }"},
			wantCode: "BAD_USER_INPUT", wantMessage: `Cannot query field "orgg" on type "Query".`, notMessage: "Did you mean", validated: true,
		},
		{
			name: "validation error with suggestions for introspecting callers", lim: Limits{AllowIntrospection: true}, req: Request{Query: "{ orgg { name } }"},
			wantCode: "BAD_USER_INPUT", wantMessage: `Did you mean "org"?`, validated: true,
		},
		{
			name: "unknown argument without suggestions", req: Request{Query: "{ node(idd: 1) { id } }"},
			wantCode: "BAD_USER_INPUT", notMessage: "Did you mean", validated: true,
		},
		{
			name: "bad enum variable", req: Request{Query: "query($k: Kind) { search(kind: $k) { __typename } }", Variables: map[string]interface{}{"k": "NOPE"}},
			wantCode: "BAD_USER_INPUT", wantMessage: `Variable "$k"`, validated: true,
		},
		{
			name: "missing variable", req: Request{Query: "query($id: ID!) { node(id: $id) { id } }"},
			wantCode: "BAD_USER_INPUT", wantMessage: `Variable "$id"`, validated: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, calls := newTestExecutor(t, tt.lim)
			res := e.Execute(context.Background(), tt.req)
			if len(res.Errors) == 0 {
				t.Fatalf("no errors; data %v", res.Data)
			}
			for _, fe := range res.Errors {
				if got := fe.Extensions["code"]; got != tt.wantCode {
					t.Errorf("code = %v, want %s (%q)", got, tt.wantCode, fe.Message)
				}
				if tt.notMessage != "" && strings.Contains(fe.Message, tt.notMessage) {
					t.Errorf("message %q contains %q", fe.Message, tt.notMessage)
				}
			}
			if msg := res.Errors[0].Message; !strings.Contains(msg, tt.wantMessage) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantMessage)
			}
			if res.Data != nil {
				t.Errorf("data = %v, want none", res.Data)
			}
			if got := calls.full.Load() > 0; got != tt.validated {
				t.Errorf("full validation ran: %v, want %v", got, tt.validated)
			}
		})
	}
}

func TestExecResolverErrors(t *testing.T) {
	e, _ := newTestExecutor(t, Limits{})
	res := e.Execute(context.Background(), Request{Query: `{ node(id: "nope") { id } fail org { name } }`})
	if len(res.Errors) != 2 {
		t.Fatalf("errors = %v, want 2", res.Errors)
	}
	byPath := map[string]map[string]interface{}{}
	for _, fe := range res.Errors {
		byPath[fmt.Sprint(fe.Path)] = fe.Extensions
	}
	want := map[string]map[string]interface{}{
		"[node]": {"code": "NOT_FOUND", "field": "id"},
		"[fail]": nil, // no code: the server logs it and sends INTERNAL
	}
	if diff := cmp.Diff(want, byPath); diff != "" {
		t.Errorf("extensions by path mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]interface{}{"node": nil, "fail": nil, "org": map[string]interface{}{"name": "Cardiology"}}, res.Data); diff != "" {
		t.Errorf("data mismatch (-want +got):\n%s", diff)
	}
}

func TestExecTimeout(t *testing.T) {
	e, _ := newTestExecutor(t, Limits{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	res := e.Execute(ctx, Request{Query: "{ slow }"})
	if got := code(t, res); got != "TIMEOUT" {
		t.Errorf("code = %q, want TIMEOUT (%v)", got, res.Errors)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	res = e.Execute(ctx, Request{Query: "{ kinds }"})
	if got := code(t, res); got != "TIMEOUT" {
		t.Errorf("canceled: code = %q, want TIMEOUT (%v)", got, res.Errors)
	}
}

func TestExecCachesValidatedDocuments(t *testing.T) {
	e, calls := newTestExecutor(t, Limits{})
	q := "query A { kinds } query B { org { name } }"
	for _, op := range []string{"A", "B", "A", "B"} {
		res := e.Execute(context.Background(), Request{Query: q, OperationName: op})
		if len(res.Errors) > 0 {
			t.Fatalf("%s: %v", op, res.Errors)
		}
	}
	if n := calls.full.Load(); n != 1 {
		t.Errorf("validated %d times, want 1", n)
	}
	// A cached document still needs a valid operation name.
	res := e.Execute(context.Background(), Request{Query: q, OperationName: "C"})
	if got := code(t, res); got != "BAD_USER_INPUT" {
		t.Errorf("code = %q, want BAD_USER_INPUT", got)
	}
	// Refused documents are not cached: they are refused again, cheaply.
	for range 2 {
		e.Execute(context.Background(), Request{Query: "{ orgg }"})
	}
	if n := calls.full.Load(); n != 3 {
		t.Errorf("validated %d times, want 3", n)
	}
	if n := e.cache.len(); n != 1 {
		t.Errorf("cache holds %d documents, want 1", n)
	}
}

func TestExecCacheIsBounded(t *testing.T) {
	c := newDocCache(2)
	keys := [][32]byte{{1}, {2}, {3}}
	docs := []*document{{}, {}, {}}
	c.put(keys[0], docs[0])
	c.put(keys[1], docs[1])
	c.get(keys[0]) // 1 is now the least recently used
	c.put(keys[2], docs[2])
	if n := c.len(); n != 2 {
		t.Fatalf("len = %d, want 2", n)
	}
	for i, want := range []bool{true, false, true} {
		if _, ok := c.get(keys[i]); ok != want {
			t.Errorf("key %d cached = %v, want %v", i, ok, want)
		}
	}
}

// TestExecConcurrentCachedDocument runs one cached document from many
// goroutines; under -race it also proves the enum and possible-type maps
// were warmed at construction (PITFALLS.md 6 and 26).
func TestExecConcurrentCachedDocument(t *testing.T) {
	e, calls := newTestExecutor(t, Limits{})
	req := Request{
		Query: `query Q($k: Kind, $id: ID!) {
			search(kind: $k) { ... on Node { id } ... on Organization { kind } ...P }
			node(id: $id) { ... on Organization { kind parent { kind } } }
			kinds
		}
		fragment P on Person { name }`,
		Variables: map[string]interface{}{"k": "BRANCH", "id": "o1"},
	}
	want := map[string]interface{}{
		"search": []interface{}{
			map[string]interface{}{"id": "o1", "kind": "BRANCH"},
			map[string]interface{}{"id": "p1", "name": "Lin Qing"},
		},
		"node":  map[string]interface{}{"kind": "BRANCH", "parent": map[string]interface{}{"kind": "ASSOCIATION"}},
		"kinds": []interface{}{"ASSOCIATION", "BRANCH"},
	}
	var wg sync.WaitGroup
	errs := make(chan string, 32)
	for range 16 {
		wg.Go(func() {
			for range 50 {
				res := e.Execute(context.Background(), req)
				if len(res.Errors) > 0 {
					errs <- fmt.Sprint(res.Errors)
					return
				}
				if diff := cmp.Diff(want, res.Data); diff != "" {
					errs <- diff
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := calls.full.Load(); n < 1 || n > 16 {
		t.Errorf("validated %d times for 800 requests", n)
	}
}

func BenchmarkExecCached(b *testing.B) {
	e, _ := newTestExecutor(b, Limits{})
	req := Request{Query: `{ org { id name kind parent { name kind } } search { __typename } }`}
	for b.Loop() {
		e.Execute(context.Background(), req)
	}
}

// TestExecErrorsAfterTheDeadlineAreTimeouts: once the context is done,
// errors that carry no trace of it (a statement on a transaction the
// database rolled back at the deadline) are TIMEOUT, not INTERNAL; before
// it, they stay for the server to hide and log.
func TestExecErrorsAfterTheDeadlineAreTimeouts(t *testing.T) {
	txDone := errors.New("sql: transaction has already been committed or rolled back")
	results := func() *graphql.Result {
		plain := gqlerrors.FormatError(gqlerrors.NewErrorWithPath(txDone.Error(), nil, "", nil, nil, []interface{}{"a"}, txDone))
		wrapped := registry.Wrap(txDone)
		internal := gqlerrors.FormatError(gqlerrors.NewErrorWithPath(wrapped.Message, nil, "", nil, nil, []interface{}{"b"}, wrapped))
		notFound := registry.E(registry.NotFound, "id", "no such node")
		found := gqlerrors.FormatError(gqlerrors.NewErrorWithPath(notFound.Message, nil, "", nil, nil, []interface{}{"c"}, notFound))
		return &graphql.Result{Data: map[string]interface{}{"a": nil, "b": nil, "c": nil},
			Errors: []gqlerrors.FormattedError{plain, internal, found}}
	}
	codes := func(res *graphql.Result) []interface{} {
		var out []interface{}
		for _, fe := range res.Errors {
			out = append(out, []interface{}{fe.Path, fe.Extensions["code"]})
		}
		return out
	}
	res := results()
	classify(res, nil)
	want := []interface{}{
		[]interface{}{[]interface{}{"a"}, nil},
		[]interface{}{[]interface{}{"b"}, "INTERNAL"},
		[]interface{}{[]interface{}{"c"}, "NOT_FOUND"},
	}
	if diff := cmp.Diff(want, codes(res)); diff != "" {
		t.Errorf("before the deadline: mismatch (-want +got):\n%s", diff)
	}
	res = results()
	classify(res, context.DeadlineExceeded)
	want = []interface{}{
		[]interface{}{[]interface{}{"a"}, "TIMEOUT"},
		[]interface{}{[]interface{}{"b"}, "TIMEOUT"},
		[]interface{}{[]interface{}{"c"}, "NOT_FOUND"},
	}
	if diff := cmp.Diff(want, codes(res)); diff != "" {
		t.Errorf("after the deadline: mismatch (-want +got):\n%s", diff)
	}
}
