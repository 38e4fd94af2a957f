package graph_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// today is the day every API test runs on.
var today = registry.Day(2026, 11, 23)

// admin is who tests ask as unless they choose another viewer: the
// command line's viewer, an ADMIN.
var admin = registry.System("test")

func newService(t testing.TB, s *registry.Store) *graph.Service {
	t.Helper()
	return newServiceWith(t, graph.Deps{Store: s, Clock: registry.FixedClock(today)})
}

func newServiceWith(t testing.TB, deps graph.Deps) *graph.Service {
	t.Helper()
	svc, err := graph.New(deps, graph.Limits{AllowIntrospection: true})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// result is a response decoded from JSON, as a client sees it.
type result struct {
	Data   map[string]any   `json:"data"`
	Errors []map[string]any `json:"errors"`
}

func do(t testing.TB, svc *graph.Service, query string, vars map[string]any) result {
	t.Helper()
	return doCtx(context.Background(), t, svc, query, vars)
}

// doCtx runs a query within ctx, as admin unless ctx carries a viewer.
func doCtx(ctx context.Context, t testing.TB, svc *graph.Service, query string, vars map[string]any) result {
	t.Helper()
	if registry.ViewerFrom(ctx) == nil {
		ctx = registry.WithViewer(ctx, admin)
	}
	return run(ctx, t, svc, query, vars)
}

// doAs runs a query as v; nil is an anonymous caller.
func doAs(t testing.TB, svc *graph.Service, v *registry.Viewer, query string, vars map[string]any) result {
	t.Helper()
	return run(registry.WithViewer(context.Background(), v), t, svc, query, vars)
}

func run(ctx context.Context, t testing.TB, svc *graph.Service, query string, vars map[string]any) result {
	t.Helper()
	res := svc.Execute(ctx, graph.Request{Query: query, Variables: vars})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var r result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// ok runs a query that must succeed.
func ok(t testing.TB, svc *graph.Service, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := do(t, svc, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("query failed: %v", r.Errors)
	}
	return r.Data
}

// codeOf returns the extensions.code of the first error.
func codeOf(r result) string {
	if len(r.Errors) == 0 {
		return ""
	}
	return errCode(r.Errors[0])
}

// errCode returns an error's extensions.code.
func errCode(e map[string]any) string {
	ext, _ := e["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

// pathOf writes an error's path as a/b/0/c.
func pathOf(e map[string]any) string {
	p, _ := e["path"].([]any)
	parts := make([]string, len(p))
	for i, k := range p {
		parts[i] = fmt.Sprint(k)
	}
	return strings.Join(parts, "/")
}

// golden compares v, as indented JSON, with testdata/name.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func readQuery(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// path walks a decoded response: path(data, "node", "currentTerm", "id").
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func edges(conn any) []any {
	e, _ := path(conn, "edges").([]any)
	return e
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
