package graph

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// MaxPage is the largest first or last a connection accepts.
const MaxPage = 100

// connection is one page of a list as the API shows it.
type connection struct {
	rows []interface{}
	// cursor writes the cursor of row i, on demand: most queries ask
	// for none.
	cursor           func(i int) string
	hasNext, hasPrev bool
	// total resolves totalCount: a value, or a thunk.
	total func() (interface{}, error)
}

func toConnection[T any](p *loader.Page[T], total func() (interface{}, error)) *connection {
	rows := make([]interface{}, len(p.Rows))
	for i, r := range p.Rows {
		rows[i] = r
	}
	return &connection{rows: rows, cursor: p.Cursor, hasNext: p.HasNext, hasPrev: p.HasPrev, total: total}
}

// edge is row i of a connection.
type edge struct {
	conn *connection
	i    int
}

var pageArgDefs = graphql.FieldConfigArgument{
	"first":  {Type: graphql.Int, Description: "Return the first n items (1 to 100). A connection requires first or last."},
	"after":  {Type: graphql.String, Description: "Return items after this cursor."},
	"last":   {Type: graphql.Int, Description: "Return the last n items (1 to 100). A connection requires first or last."},
	"before": {Type: graphql.String, Description: "Return items before this cursor."},
}

// withPaging returns args plus the paging arguments.
func withPaging(args graphql.FieldConfigArgument) graphql.FieldConfigArgument {
	out := graphql.FieldConfigArgument{}
	for k, v := range pageArgDefs {
		out[k] = v
	}
	for k, v := range args {
		out[k] = v
	}
	return out
}

// pageArgs reads and checks a connection's paging arguments.
func pageArgs(p graphql.ResolveParams) (loader.PageArgs, error) {
	var pa loader.PageArgs
	first, hasFirst := p.Args["first"].(int)
	last, hasLast := p.Args["last"].(int)
	pa.After, _ = p.Args["after"].(string)
	pa.Before, _ = p.Args["before"].(string)
	switch {
	case hasFirst && hasLast:
		return pa, registry.E(registry.Invalid, "last", "give first or last, not both")
	case !hasFirst && !hasLast:
		return pa, registry.E(registry.TooComplex, "first", "%s requires first or last (1 to %d)", p.Info.FieldName, MaxPage)
	case hasFirst && (first < 1 || first > MaxPage):
		return pa, registry.E(registry.TooComplex, "first", "first must lie between 1 and %d, not %d", MaxPage, first)
	case hasLast && (last < 1 || last > MaxPage):
		return pa, registry.E(registry.TooComplex, "last", "last must lie between 1 and %d, not %d", MaxPage, last)
	}
	for _, c := range []struct{ name, v string }{{"after", pa.After}, {"before", pa.Before}} {
		if c.v != "" && !wellFormedCursor(c.v) {
			return pa, registry.E(registry.Invalid, c.name, "%q is not a cursor issued by this API", c.v)
		}
	}
	pa.First, pa.Last = first, last
	return pa, nil
}

func wellFormedCursor(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	var vals []interface{}
	return json.Unmarshal(b, &vals) == nil && len(vals) > 0
}

// thunk adapts a dataloader thunk to the exact type graphql-go runs
// lazily. An error is raised by panic, which graphql-go recovers into a
// located error that keeps our extensions (a returned one loses them).
// A nil row becomes a plain nil so the field is null.
func thunk[V any](t dataloader.Thunk[V]) func() (interface{}, error) {
	return func() (interface{}, error) {
		v, err := t()
		if err != nil {
			panic(apiError(err))
		}
		if isNil(v) {
			return nil, nil
		}
		return v, nil
	}
}

func isNil(v interface{}) bool {
	if v == nil {
		return true
	}
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// apiError turns an error into the API's error type.
func apiError(err error) *registry.Error {
	if errors.Is(err, loader.ErrBadCursor) {
		return &registry.Error{Kind: registry.Invalid, Field: "after", Message: "the cursor is not valid for this list", Err: err}
	}
	return registry.Wrap(err)
}

func (b *builder) pageInfo() *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "PageInfo",
		Description: "Where a page lies in its list (Relay cursor connections).",
		Fields: graphql.Fields{
			"hasNextPage": {Type: graphql.NewNonNull(graphql.Boolean), Description: "Whether items follow this page.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(*connection).hasNext, nil }},
			"hasPreviousPage": {Type: graphql.NewNonNull(graphql.Boolean), Description: "Whether items precede this page (for first/after: whether after was given).",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(*connection).hasPrev, nil }},
			"startCursor": {Type: graphql.String, Description: "The cursor of the first item, null on an empty page.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					c := p.Source.(*connection)
					if len(c.rows) == 0 {
						return nil, nil
					}
					return c.cursor(0), nil
				}},
			"endCursor": {Type: graphql.String, Description: "The cursor of the last item, null on an empty page.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					c := p.Source.(*connection)
					if len(c.rows) == 0 {
						return nil, nil
					}
					return c.cursor(len(c.rows) - 1), nil
				}},
		},
	})
}

// connectionType builds the Connection and Edge types of a node type.
func (b *builder) connectionType(node *graphql.Object, what string) *graphql.Object {
	name := node.Name()
	edgeType := graphql.NewObject(graphql.ObjectConfig{
		Name:        name + "Edge",
		Description: "One " + what + " in a page, with its cursor.",
		Fields: graphql.Fields{
			"cursor": {Type: graphql.NewNonNull(graphql.String), Description: "Where this item lies, for after and before.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					e := p.Source.(edge)
					return e.conn.cursor(e.i), nil
				}},
			"node": {Type: graphql.NewNonNull(node), Description: "The " + what + ".",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					e := p.Source.(edge)
					return e.conn.rows[e.i], nil
				}},
		},
	})
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        name + "Connection",
		Description: "A page of " + what + " items.",
		Fields: graphql.Fields{
			"edges": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(edgeType))), Description: "The items with their cursors.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					c := p.Source.(*connection)
					edges := make([]interface{}, len(c.rows))
					for i := range c.rows {
						edges[i] = edge{conn: c, i: i}
					}
					return edges, nil
				}},
			"nodes": {Type: graphql.NewNonNull(graphql.NewList(graphql.NewNonNull(node))), Description: "The items, without cursors.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(*connection).rows, nil }},
			"pageInfo": {Type: graphql.NewNonNull(b.pageInfoType), Description: "Where this page lies in the list.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source, nil }},
			"totalCount": {Type: graphql.Int, Description: "How many items the whole list holds, ignoring paging (null only if counting failed).",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) { return p.Source.(*connection).total() }},
		},
	})
}

// listField is a connection field over a per-parent list: parent gives
// the parent row's id, filter the canonical form of the other arguments.
func listField[T any](conn *graphql.Object, description string, args graphql.FieldConfigArgument,
	list func(*loader.Loaders) *loader.ListLoader[T], parent func(interface{}) int,
	filter func(graphql.ResolveParams) (string, error)) *graphql.Field {
	return &graphql.Field{
		// Nullable: it resolves in a thunk, and a non-null field failing
		// there would null the whole response (graphql-go v0.8.1).
		Type:        conn,
		Description: description,
		Args:        withPaging(args),
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			pa, err := pageArgs(p)
			if err != nil {
				return nil, err
			}
			f := ""
			if filter != nil {
				if f, err = filter(p); err != nil {
					return nil, err
				}
			}
			ctx := p.Context
			ll := list(loader.FromContext(ctx))
			id := parent(p.Source)
			page := ll.Page.Load(ctx, loader.PageKey{Parent: id, Page: pa, Filter: f})
			return func() (interface{}, error) {
				pg, err := page()
				if err != nil {
					panic(apiError(err))
				}
				return toConnection(pg, func() (interface{}, error) {
					return thunk(ll.Count.Load(ctx, loader.CountKey{Parent: id, Filter: f})), nil
				}), nil
			}, nil
		},
	}
}

// guarded returns f refusing to resolve, with allow's error, under a
// source row whose lists the viewer may not read. The loaders filter
// these lists already; the guard makes the refusal a FORBIDDEN error at
// the field rather than an empty page.
func guarded(f *graphql.Field, allow func(l *loader.Loaders, source interface{}) error) *graphql.Field {
	resolve := f.Resolve
	f.Resolve = func(p graphql.ResolveParams) (interface{}, error) {
		if err := allow(loader.FromContext(p.Context), p.Source); err != nil {
			return nil, apiError(err)
		}
		return resolve(p)
	}
	return f
}

// inOrganization allows what belongs to the organization org returns.
func inOrganization(org func(interface{}) int) func(*loader.Loaders, interface{}) error {
	return func(l *loader.Loaders, v interface{}) error { return l.ReadOrganization(org(v)) }
}

// inDirectory allows what the member directory holds.
func inDirectory(l *loader.Loaders, _ interface{}) error { return l.ReadDirectory() }

// related is a field holding the row another row points at, read through
// a loader; id returns 0 when the source points at none.
func related[T any](t graphql.Output, description string, load func(*loader.Loaders) *loader.Loader[int, T], id func(interface{}) int) *graphql.Field {
	return &graphql.Field{
		Type:        t,
		Description: description,
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			k := id(p.Source)
			if k == 0 {
				return nil, nil
			}
			return thunk(load(loader.FromContext(p.Context)).Load(p.Context, k)), nil
		},
	}
}

// orZero reads an optional foreign key, 0 for none.
func orZero(id *int) int {
	if id == nil {
		return 0
	}
	return *id
}
