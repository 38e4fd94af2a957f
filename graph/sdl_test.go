package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// TestSchemaFileMatchesCode fails when graph/schema.graphql drifts from
// the schema the code builds; go test ./graph -update rewrites it.
func TestSchemaFileMatchesCode(t *testing.T) {
	s, err := graph.NewSchema(graph.Deps{Clock: registry.FixedClock(today)})
	if err != nil {
		t.Fatal(err)
	}
	got := graph.SDL(s)
	if *update {
		if err := os.WriteFile("schema.graphql", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("graph/schema.graphql is stale (run go test ./graph -run SchemaFile -update) (-file +code):\n%s", diff)
	}
}

// TestSchemaDocumentsEverything holds the API to its own documentation:
// every type, field, input field, argument and enum value has a
// description.
func TestSchemaDocumentsEverything(t *testing.T) {
	s, err := graph.NewSchema(graph.Deps{Clock: registry.FixedClock(today)})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range s.TypeMap() {
		if strings.HasPrefix(name, "__") || strings.Contains("String Int Float Boolean ID", name) {
			continue
		}
		if typ.Description() == "" {
			t.Errorf("type %s has no description", name)
		}
		var fields graphql.FieldDefinitionMap
		switch typ := typ.(type) {
		case *graphql.Object:
			fields = typ.Fields()
		case *graphql.Interface:
			fields = typ.Fields()
		case *graphql.InputObject:
			for fname, f := range typ.Fields() {
				if f.Description() == "" {
					t.Errorf("input field %s.%s has no description", name, fname)
				}
			}
		case *graphql.Enum:
			for _, v := range typ.Values() {
				if v.Description == "" {
					t.Errorf("enum value %s.%s has no description", name, v.Name)
				}
			}
		}
		for fname, f := range fields {
			if f.Description == "" {
				t.Errorf("field %s.%s has no description", name, fname)
			}
			for _, a := range f.Args {
				if a.Description() == "" {
					t.Errorf("argument %s.%s(%s) has no description", name, fname, a.Name())
				}
			}
		}
	}
}
