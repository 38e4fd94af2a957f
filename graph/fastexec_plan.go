package graph

import (
	"math"
	"reflect"
	"sync/atomic"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
)

// The plan of our own executor (fastexec.go): the fields of a validated
// document collected once per object type and position, and arguments
// and variables coerced as graphql-go coerces them.

// fastPlan is what the executor keeps of a validated document.
type fastPlan struct {
	schema    *graphql.Schema
	fragments map[string]*ast.FragmentDefinition
	// defs are the fragments as ResolveInfo carries them.
	defs map[string]ast.Definition
	// ops are the operations this executor may run.
	ops map[*ast.OperationDefinition]bool
	// root holds the collected fields of the root, as fieldPlan.sub
	// those below a field.
	root atomic.Pointer[[]typedFields]
}

// typedFields are the fields collected for an object of type t at one
// position of the document: built on first use, then only read.
type typedFields struct {
	t      *graphql.Object
	fields []*fieldPlan
}

// fieldPlan is one response key of a selection on an object type.
type fieldPlan struct {
	key  string
	asts []*ast.Field
	// def is nil for __typename.
	def *graphql.FieldDefinition
	// args are the coerced arguments when they use no variable.
	args    map[string]interface{}
	dynamic bool
	// sub holds the fields collected below this one, by object type.
	sub atomic.Pointer[[]typedFields]
}

// newFastPlan decides which operations of a checked document the
// executor may run.
func newFastPlan(schema *graphql.Schema, doc *ast.Document) *fastPlan {
	p := &fastPlan{schema: schema, fragments: map[string]*ast.FragmentDefinition{},
		defs: map[string]ast.Definition{}, ops: map[*ast.OperationDefinition]bool{}}
	for _, d := range doc.Definitions {
		if f, ok := d.(*ast.FragmentDefinition); ok && f.Name != nil {
			p.fragments[f.Name.Value] = f
			p.defs[f.Name.Value] = f
		}
	}
	for _, d := range doc.Definitions {
		op, ok := d.(*ast.OperationDefinition)
		if !ok || op.Operation != ast.OperationTypeQuery || len(op.Directives) > 0 || schema.QueryType() == nil {
			continue
		}
		ok = true
		for _, v := range op.VariableDefinitions {
			ok = ok && v != nil && v.Variable != nil && v.Variable.Name != nil && plainInput(typeOfAST(schema, v.Type))
		}
		p.ops[op] = ok && p.plain(schema.QueryType(), op.SelectionSet, map[string]bool{})
	}
	return p
}

// plain reports whether a selection set on parent, fragments expanded,
// has no directive, no introspection and no input object argument.
func (p *fastPlan) plain(parent graphql.Type, set *ast.SelectionSet, seen map[string]bool) bool {
	if set == nil {
		return true
	}
	for _, sel := range set.Selections {
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.Directives) > 0 || s.Name == nil {
				return false
			}
			if s.Name.Value == "__typename" {
				continue
			}
			def := fieldOf(parent, s.Name.Value)
			if def == nil {
				return false // __schema, __type, or a field graphql-go should report
			}
			for _, a := range def.Args {
				if !plainInput(a.Type) {
					return false
				}
			}
			if !p.plain(named(def.Type), s.SelectionSet, seen) {
				return false
			}
		case *ast.InlineFragment:
			if len(s.Directives) > 0 || !p.plain(p.condition(s.TypeCondition, parent), s.SelectionSet, seen) {
				return false
			}
		case *ast.FragmentSpread:
			if len(s.Directives) > 0 || s.Name == nil {
				return false
			}
			f := p.fragments[s.Name.Value]
			if f == nil {
				return false
			}
			if seen[s.Name.Value] {
				continue
			}
			seen[s.Name.Value] = true
			if len(f.Directives) > 0 || !p.plain(p.condition(f.TypeCondition, parent), f.SelectionSet, seen) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// condition is the type a fragment's condition names, parent without one.
func (p *fastPlan) condition(n *ast.Named, parent graphql.Type) graphql.Type {
	if n == nil || n.Name == nil {
		return parent
	}
	return p.schema.Type(n.Name.Value)
}

// named unwraps lists and non-nulls.
func named(t graphql.Type) graphql.Type {
	for {
		switch w := t.(type) {
		case *graphql.NonNull:
			t = w.OfType
		case *graphql.List:
			t = w.OfType
		default:
			return t
		}
	}
}

// fieldOf finds a field of an object or interface type.
func fieldOf(t graphql.Type, name string) *graphql.FieldDefinition {
	switch t := t.(type) {
	case *graphql.Object:
		return t.Fields()[name]
	case *graphql.Interface:
		return t.Fields()[name]
	}
	return nil
}

// plainInput reports whether t is built of scalars and enums only.
func plainInput(t graphql.Type) bool {
	switch t := t.(type) {
	case *graphql.NonNull:
		return plainInput(t.OfType)
	case *graphql.List:
		return plainInput(t.OfType)
	case *graphql.Scalar, *graphql.Enum:
		return true
	}
	return false
}

// typeOfAST is the schema type a variable definition names, nil if none.
func typeOfAST(schema *graphql.Schema, t ast.Type) graphql.Type {
	switch t := t.(type) {
	case *ast.NonNull:
		if in := typeOfAST(schema, t.Type); in != nil {
			return graphql.NewNonNull(in)
		}
	case *ast.List:
		if in := typeOfAST(schema, t.Type); in != nil {
			return graphql.NewList(in)
		}
	case *ast.Named:
		if t.Name != nil {
			return schema.Type(t.Name.Value)
		}
	}
	return nil
}

// fieldsOf returns the fields of an object of type t at the position of
// parent, collected from its selections once.
func (p *fastPlan) fieldsOf(parent *fieldPlan, t *graphql.Object, sets []*ast.SelectionSet) []*fieldPlan {
	cache := &p.root
	if parent != nil {
		cache = &parent.sub
	}
	if f := lookup(cache.Load(), t); f != nil {
		return f
	}
	var order []*fieldPlan
	byKey := map[string]*fieldPlan{}
	seen := map[string]bool{}
	var collect func(set *ast.SelectionSet)
	collect = func(set *ast.SelectionSet) {
		if set == nil {
			return
		}
		for _, sel := range set.Selections {
			switch s := sel.(type) {
			case *ast.Field:
				k := s.Name.Value
				if s.Alias != nil {
					k = s.Alias.Value
				}
				if fp := byKey[k]; fp != nil {
					fp.asts = append(fp.asts, s)
					continue
				}
				fp := &fieldPlan{key: k, asts: []*ast.Field{s}}
				if s.Name.Value != "__typename" {
					fp.def = t.Fields()[s.Name.Value]
					if fp.def == nil {
						continue // validation has refused it; graphql-go skips it too
					}
					fp.args, fp.dynamic = staticArgs(fp.def.Args, s.Arguments)
				}
				byKey[k] = fp
				order = append(order, fp)
			case *ast.InlineFragment:
				if p.applies(s.TypeCondition, t) {
					collect(s.SelectionSet)
				}
			case *ast.FragmentSpread:
				f := p.fragments[s.Name.Value]
				if f == nil || seen[s.Name.Value] {
					continue
				}
				seen[s.Name.Value] = true
				if p.applies(f.TypeCondition, t) {
					collect(f.SelectionSet)
				}
			}
		}
	}
	for _, set := range sets {
		collect(set)
	}
	for {
		old := cache.Load()
		if f := lookup(old, t); f != nil {
			return f // another request collected them first
		}
		next := []typedFields{{t: t, fields: order}}
		if old != nil {
			next = append(next, *old...)
		}
		if cache.CompareAndSwap(old, &next) {
			return order
		}
	}
}

// lookup finds the fields collected for type t, nil if none yet.
func lookup(cached *[]typedFields, t *graphql.Object) []*fieldPlan {
	if cached == nil {
		return nil
	}
	for _, tf := range *cached {
		if tf.t == t {
			return tf.fields
		}
	}
	return nil
}

// applies reports whether a fragment with condition n applies to an
// object of type t.
func (p *fastPlan) applies(n *ast.Named, t *graphql.Object) bool {
	if n == nil || n.Name == nil {
		return true
	}
	switch c := p.schema.Type(n.Name.Value).(type) {
	case *graphql.Object:
		return c == t
	case *graphql.Interface:
		return p.possible(c, t)
	case *graphql.Union:
		return p.possible(c, t)
	}
	return false
}

// possible reports whether o is a possible type of t. It reads what
// Schema.IsPossibleType does without writing its lazily built map back
// into the schema, which requests share.
func (p *fastPlan) possible(t graphql.Abstract, o *graphql.Object) bool {
	for _, x := range p.schema.PossibleTypes(t) {
		if x == o {
			return true
		}
	}
	return false
}

// staticArgs coerces a field's arguments when none of them reads a
// variable; dynamic says they must be coerced per request.
func staticArgs(defs []*graphql.Argument, asts []*ast.Argument) (map[string]interface{}, bool) {
	for _, a := range asts {
		if usesVariable(a.Value) {
			return nil, true
		}
	}
	return argValues(defs, asts, nil), false
}

func usesVariable(v ast.Value) bool {
	switch v := v.(type) {
	case *ast.Variable:
		return true
	case *ast.ListValue:
		for _, item := range v.Values {
			if usesVariable(item) {
				return true
			}
		}
	}
	return false
}

// argValues coerces arguments as graphql-go does: a missing or null
// argument takes its default, and is left out when that is null too.
func argValues(defs []*graphql.Argument, asts []*ast.Argument, vars map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(defs))
	for _, def := range defs {
		var v interface{}
		for _, a := range asts {
			if a.Name != nil && a.Name.Value == def.PrivateName {
				v = valueOf(a.Value, def.Type, vars)
				break
			}
		}
		if nullish(v) {
			v = def.DefaultValue
		}
		if !nullish(v) {
			out[def.PrivateName] = v
		}
	}
	return out
}

// valueOf is an argument's value of type t: a variable's, or a literal's
// (scalars, enums and lists of them only).
func valueOf(v ast.Value, t graphql.Input, vars map[string]interface{}) interface{} {
	if v == nil {
		return nil
	}
	if variable, ok := v.(*ast.Variable); ok {
		if variable.Name == nil || vars == nil {
			return nil
		}
		return vars[variable.Name.Value]
	}
	switch t := t.(type) {
	case *graphql.NonNull:
		return valueOf(v, t.OfType, vars)
	case *graphql.List:
		if list, ok := v.(*ast.ListValue); ok {
			items := make([]interface{}, 0, len(list.Values))
			for _, item := range list.Values {
				items = append(items, valueOf(item, t.OfType, vars))
			}
			return items
		}
		return []interface{}{valueOf(v, t.OfType, vars)}
	case *graphql.Scalar:
		return t.ParseLiteral(v)
	case *graphql.Enum:
		return t.ParseLiteral(v)
	}
	return nil
}

// variables coerces the request's variables to the operation's types;
// ok is false when one does not fit, for graphql-go to refuse it in its
// own words.
func (p *fastPlan) variables(op *ast.OperationDefinition, in map[string]interface{}) (map[string]interface{}, bool) {
	out := make(map[string]interface{}, len(op.VariableDefinitions))
	for _, def := range op.VariableDefinitions {
		t := typeOfAST(p.schema, def.Type)
		name := def.Variable.Name.Value
		v := in[name]
		if nullish(v) {
			if _, required := t.(*graphql.NonNull); required {
				return nil, false
			}
			if def.DefaultValue != nil {
				out[name] = valueOf(def.DefaultValue, t, nil)
			} else {
				out[name] = nil
			}
			continue
		}
		c, ok := coerce(t, v)
		if !ok {
			return nil, false
		}
		out[name] = c
	}
	return out, true
}

// coerce turns a variable's JSON value into a value of type t.
func coerce(t graphql.Type, v interface{}) (interface{}, bool) {
	if nn, ok := t.(*graphql.NonNull); ok {
		if nullish(v) {
			return nil, false
		}
		t = nn.OfType
	}
	if nullish(v) {
		return nil, true
	}
	switch t := t.(type) {
	case *graphql.List:
		items, isList := v.([]interface{})
		if rv := reflect.ValueOf(v); !isList && rv.Kind() == reflect.Slice {
			items = make([]interface{}, rv.Len())
			for i := range items {
				items[i] = rv.Index(i).Interface()
			}
		} else if !isList {
			items = []interface{}{v}
		}
		out := make([]interface{}, len(items))
		for i, item := range items {
			c, ok := coerce(t.OfType, item)
			if !ok {
				return nil, false
			}
			out[i] = c
		}
		return out, true
	case *graphql.Scalar:
		c := t.ParseValue(v)
		return c, !nullish(c)
	case *graphql.Enum:
		c := t.ParseValue(v)
		return c, !nullish(c)
	}
	return nil, false
}

// nullish is graphql-go's test for null: nil, a nil pointer, NaN.
func nullish(v interface{}) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string, bool, int, int32, int64, map[string]interface{}, []interface{}:
		return false
	case float64:
		return math.IsNaN(v)
	}
	r := reflect.ValueOf(v)
	if r.Kind() == reflect.Pointer {
		if r.IsNil() {
			return true
		}
		r = r.Elem()
	}
	switch r.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.IsNaN(r.Float())
	}
	return false
}
