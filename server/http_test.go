package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// newToySchema is a small schema for tests that run the real executor
// behind the handler.
func newToySchema(t *testing.T) graphql.Schema {
	t.Helper()
	str := func(v string) *graphql.Field {
		return &graphql.Field{Type: graphql.String, Resolve: func(graphql.ResolveParams) (interface{}, error) { return v, nil }}
	}
	var item *graphql.Object
	item = graphql.NewObject(graphql.ObjectConfig{
		Name: "Item",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"z": str("last letter"), "a": str("first letter"), "m": str("middle"),
				"child": {Type: item, Resolve: func(graphql.ResolveParams) (interface{}, error) { return struct{}{}, nil }},
				"list": {Type: graphql.NewList(item), Resolve: func(graphql.ResolveParams) (interface{}, error) {
					return []interface{}{struct{}{}, struct{}{}}, nil
				}},
			}
		}),
	})
	query := graphql.NewObject(graphql.ObjectConfig{
		Name: "Query",
		Fields: graphql.Fields{
			"zeta": str("z"), "alpha": str("a"), "quote": str("say \"hi\"\n<b>&\u2028"),
			"item": {Type: item, Resolve: func(graphql.ResolveParams) (interface{}, error) { return struct{}{}, nil }},
			// slow stands for database work: it ends when its context
			// does, or fails after a while, so that a missing timeout fails
			// a test rather than hanging it.
			"slow": {Type: graphql.String, Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				select {
				case <-p.Context.Done():
					return nil, registry.Wrap(p.Context.Err())
				case <-time.After(10 * time.Second):
					return nil, errors.New("slow: never stopped")
				}
			}},
		},
	})
	mutation := graphql.NewObject(graphql.ObjectConfig{
		Name:   "Mutation",
		Fields: graphql.Fields{"touch": str("touched")},
	})
	schema, err := graphql.NewSchema(graphql.SchemaConfig{Query: query, Mutation: mutation})
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func TestHTTPWithTheExecutor(t *testing.T) {
	h, _ := newTestHandler(t, Config{Exec: graph.NewExecutor(newToySchema(t), graph.Limits{})})
	deep := "{ item { " + strings.Repeat("child { ", 12) + "a" + strings.Repeat(" }", 12) + " } }"
	tests := []struct {
		name       string
		send       func() *httptest.ResponseRecorder
		wantStatus int
		wantCode   string // "" for success
	}{
		{"query over GET", func() *httptest.ResponseRecorder {
			return get(h, url.Values{"query": {"{ alpha }"}}, mediaGraphQL)
		}, 200, ""},
		{"mutation over POST", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"mutation { touch }"}`, mediaGraphQL)
		}, 200, ""},
		{"mutation over GET", func() *httptest.ResponseRecorder {
			return get(h, url.Values{"query": {"mutation { touch }"}}, mediaGraphQL)
		}, 405, "BAD_USER_INPUT"},
		{"syntax error", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"{"}`, mediaGraphQL)
		}, 400, "BAD_USER_INPUT"},
		{"unknown field", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"{ alpah }"}`, mediaGraphQL)
		}, 400, "BAD_USER_INPUT"},
		{"too deep", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"`+deep+`"}`, mediaGraphQL)
		}, 400, "QUERY_TOO_COMPLEX"},
		{"too deep, legacy media type", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"`+deep+`"}`, mediaJSON)
		}, 200, "QUERY_TOO_COMPLEX"},
		{"cyclic fragments", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"{ item { ...A } } fragment A on Item { child { ...B } } fragment B on Item { ...A }"}`, mediaGraphQL)
		}, 400, "BAD_USER_INPUT"},
		{"introspection", func() *httptest.ResponseRecorder {
			return post(h, `{"query":"{ __schema { types { name } } }"}`, mediaGraphQL)
		}, 403, "FORBIDDEN"},
		{"introspection by an administrator", func() *httptest.ResponseRecorder {
			return postAs(h, adminToken, `{"query":"{ __schema { types { name } } }"}`, mediaGraphQL)
		}, 200, ""},
		{"introspection by a branch secretary", func() *httptest.ResponseRecorder {
			return postAs(h, secretaryToken, `{"query":"{ __type(name: \"Item\") { name } }"}`, mediaGraphQL)
		}, 403, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.send()
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantCode == "" {
				if res := decode(t, w); len(res.Errors) > 0 || !res.HasData {
					t.Errorf("body %s, want data and no errors", w.Body)
				}
				return
			}
			if got := errorCode(t, w); got != tt.wantCode {
				t.Errorf("code = %q, want %q", got, tt.wantCode)
			}
		})
	}
}

func TestHTTPResponseKeepsSelectionOrder(t *testing.T) {
	h, _ := newTestHandler(t, Config{Exec: graph.NewExecutor(newToySchema(t), graph.Limits{})})
	query := `query Q { zeta alpha second: alpha item { z ...F list { m z a } a } quote }
		fragment F on Item { m child { a ... on Item { z } } }`
	body, _ := json.Marshal(map[string]string{"query": query})
	w := post(h, string(body), "")
	want := `{"data":{"zeta":"z","alpha":"a","second":"a",` +
		`"item":{"z":"last letter","m":"middle","child":{"a":"first letter","z":"last letter"},` +
		`"list":[{"m":"middle","z":"last letter","a":"first letter"},{"m":"middle","z":"last letter","a":"first letter"}],` +
		`"a":"first letter"},` +
		`"quote":"say \"hi\"\n<b>&\u2028"}}` + "\n"
	if got := w.Body.String(); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	// The same document again comes from the plan cache.
	w = post(h, string(body), "")
	if got := w.Body.String(); got != want {
		t.Errorf("second body\n got %s\nwant %s", got, want)
	}
}

func TestHTTPWriteValueWithoutPlanSortsKeys(t *testing.T) {
	var buf bytes.Buffer
	writeValue(&buf, map[string]interface{}{
		"b": []interface{}{1, int64(2), 2.5, true, nil},
		"a": map[string]interface{}{"y": "x", "x": json.Number("7")},
	}, nil)
	want := `{"a":{"x":7,"y":"x"},"b":[1,2,2.5,true,null]}`
	if got := buf.String(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestHTTPAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"中文 名字", "emoji 🩺", "bad \xff utf-8 \xc3", "\u2028 and \u2029", "<html> & </html>",
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		var got bytes.Buffer
		appendString(&got, s)
		if got.String() != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("appendString(%q) = %s, want %s", s, got.String(), want.String())
		}
	}
}

func TestHTTPOperationScan(t *testing.T) {
	tests := []struct {
		query, operationName string
		wantKind, wantName   string
	}{
		{"{ a }", "", "query", ""},
		{"query { a }", "", "query", ""},
		{"query Q { a }", "", "query", "Q"},
		{"mutation M($x: In = {a: [1]}) @d(x: 1) { a }", "", "mutation", "M"},
		{"mutation { a }", "", "mutation", ""},
		{"subscription S { a }", "", "subscription", "S"},
		{"fragment F on T { a } mutation { ...F }", "", "mutation", ""},
		{"query A { a } mutation B { b }", "", "", ""},
		{"query A { a } mutation B { b }", "B", "mutation", "B"},
		{"query A { a } mutation B { b }", "A", "query", "A"},
		{"query A { a } mutation B { b }", "C", "", ""},
		{"query ($mutation: Int) { a(x: $mutation) }", "", "query", ""},
		{`query Q { a(s: "mutation { b }") }`, "", "query", "Q"},
		{"# mutation M { a }\n{ a }", "", "query", ""},
		{"", "", "", ""},
		{"{", "", "query", ""},
		{"\x01", "", "", ""},
	}
	for _, tt := range tests {
		kind, name := operation(tt.query, tt.operationName)
		if kind != tt.wantKind || name != tt.wantName {
			t.Errorf("operation(%q, %q) = %q, %q; want %q, %q", tt.query, tt.operationName, kind, name, tt.wantKind, tt.wantName)
		}
	}
}
