package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sync/atomic"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
)

// Our own execution of queries. graphql-go's executor collects the fields
// of every object anew, builds a path, an argument map and extension hooks
// for every field, and allocates some fifty objects a field: on the
// benchmark's roster it was half the CPU, and most of the garbage. This
// executor runs the same resolvers on a plan made once per document:
// fields collected once per object type and position, arguments without
// variables coerced once. It keeps graphql-go's semantics: thunks run
// breadth-first (a level's loads are all issued before its first thunk
// runs, so one level is one batch), errors are located the same way, and
// a null in a non-null position nulls the nearest nullable parent.
//
// It runs queries only, and only those without directives, introspection
// or input objects; every other operation goes to graphql.Execute, as do
// requests whose variables it cannot coerce (graphql-go words the
// refusal).

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

// Object is an object of a query's result: the values of its fields in
// the order the query selected them, as the response must list them. A
// value is nil, a leaf as its scalar serialized it, a []interface{}, or
// an *Object. Results of a [Service] hold Objects where graphql-go's hold
// maps, so that the server writes them without sorting or hashing keys.
type Object struct {
	fields []*fieldPlan
	vals   []interface{}
}

// Len is the number of fields.
func (o *Object) Len() int { return len(o.vals) }

// Field returns the response key and the value of field i.
func (o *Object) Field(i int) (string, interface{}) { return o.fields[i].key, o.vals[i] }

// MarshalJSON writes the object with its fields in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, v := range o.vals {
		key, err := json.Marshal(o.fields[i].key)
		if err != nil {
			return nil, err
		}
		val, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// plain turns Objects into maps, below v too: the values graphql-go
// gives.
func plain(v interface{}) interface{} {
	switch v := v.(type) {
	case *Object:
		m := make(map[string]interface{}, len(v.vals))
		for i, f := range v.fields {
			m[f.key] = plain(v.vals[i])
		}
		return m
	case []interface{}:
		for i, e := range v {
			v[i] = plain(e)
		}
	}
	return v
}

// place is where a value sits: field idx of an object, or item idx of a
// list.
type place struct {
	obj  *Object
	list []interface{}
	idx  int
}

func (p place) set(v interface{}) {
	if p.obj != nil {
		p.obj.vals[p.idx] = v
	} else {
		p.list[p.idx] = v
	}
}

// key is the place's element of a response path.
func (p place) key() interface{} {
	if p.obj != nil {
		return p.obj.fields[p.idx].key
	}
	return p.idx
}

// node is an object or a list in the response: its place in its parent,
// so that a null it must take can be set, and the path of errors below it
// written.
type node struct {
	parent  *node // nil for the root
	at      place
	nonNull bool
}

// slot is where one value goes: a place in the object or list at n.
type slot struct {
	n  *node
	at place
}

func (s slot) set(v interface{}) { s.at.set(v) }

// path is the response path of the slot, for an error.
func (s slot) path() []interface{} {
	rev := []interface{}{s.at.key()}
	for n := s.n; n.parent != nil; n = n.parent {
		rev = append(rev, n.at.key())
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// pending is a thunk waiting for its level to be loaded.
type pending struct {
	thunk  func() (interface{}, error)
	t      graphql.Type
	parent *graphql.Object
	fp     *fieldPlan
	at     slot
}

// fastRun is one execution.
type fastRun struct {
	ctx   context.Context
	plan  *fastPlan
	op    *ast.OperationDefinition
	vars  map[string]interface{}
	args  map[*fieldPlan]map[string]interface{}
	errs  []gqlerrors.FormattedError
	queue []pending
	// nullData is set when a non-null root field failed: data is null.
	nullData bool
}

// execute runs op; ok is false when the variables do not fit, and
// graphql-go should run it instead.
func (p *fastPlan) execute(ctx context.Context, op *ast.OperationDefinition, in map[string]interface{}) (*graphql.Result, bool) {
	vars, ok := p.variables(op, in)
	if !ok {
		return nil, false
	}
	done := make(chan *graphql.Result, 1)
	go func() {
		r := &fastRun{ctx: ctx, plan: p, op: op, vars: vars}
		done <- r.run()
	}()
	// As graphql.Execute does: a done context answers at once, whatever
	// resolvers still run (they stop at their next statement).
	select {
	case <-ctx.Done():
		return &graphql.Result{Errors: []gqlerrors.FormattedError{gqlerrors.FormatError(ctx.Err())}}, true
	case res := <-done:
		return res, true
	}
}

func (r *fastRun) run() (res *graphql.Result) {
	defer func() {
		if p := recover(); p != nil {
			err, ok := p.(error)
			if !ok {
				err = fmt.Errorf("%v", p)
			}
			res = &graphql.Result{Errors: append(r.errs, gqlerrors.FormatError(err))}
		}
	}()
	query := r.plan.schema.QueryType()
	fields := r.plan.fieldsOf(nil, query, []*ast.SelectionSet{r.op.SelectionSet})
	data := &Object{fields: fields, vals: make([]interface{}, len(fields))}
	r.object(query, map[string]interface{}{}, data, &node{})
	for len(r.queue) > 0 {
		level := r.queue
		r.queue = nil
		for _, p := range level {
			r.force(p)
		}
	}
	if r.nullData {
		return &graphql.Result{Errors: r.errs}
	}
	return &graphql.Result{Data: data, Errors: r.errs}
}

// object resolves the fields of out from source, an object of type t.
func (r *fastRun) object(t *graphql.Object, source interface{}, out *Object, at *node) {
	for i, fp := range out.fields {
		s := slot{n: at, at: place{obj: out, idx: i}}
		if fp.def == nil {
			out.vals[i] = t.Name()
			continue
		}
		v, err := r.resolve(t, source, fp)
		if err != nil {
			r.fail(err, fp, s, isNonNull(fp.def.Type))
			continue
		}
		r.complete(fp.def.Type, t, fp, v, s)
	}
}

// resolve calls a field's resolver, a panic being its error.
func (r *fastRun) resolve(t *graphql.Object, source interface{}, fp *fieldPlan) (v interface{}, err interface{}) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, p
		}
	}()
	resolve := fp.def.Resolve
	if resolve == nil {
		resolve = graphql.DefaultResolveFn
	}
	v, e := resolve(graphql.ResolveParams{Source: source, Args: r.argsOf(fp), Context: r.ctx, Info: r.info(t, fp)})
	if e != nil {
		return nil, e
	}
	return v, nil
}

func (r *fastRun) info(t *graphql.Object, fp *fieldPlan) graphql.ResolveInfo {
	return graphql.ResolveInfo{FieldName: fp.asts[0].Name.Value, FieldASTs: fp.asts, ReturnType: fp.def.Type,
		ParentType: t, Schema: *r.plan.schema, Fragments: r.plan.defs, Operation: r.op, VariableValues: r.vars}
}

// argsOf returns a field's arguments, coerced once per request when
// they read variables.
func (r *fastRun) argsOf(fp *fieldPlan) map[string]interface{} {
	if !fp.dynamic {
		return fp.args
	}
	if a, ok := r.args[fp]; ok {
		return a
	}
	if r.args == nil {
		r.args = map[*fieldPlan]map[string]interface{}{}
	}
	a := argValues(fp.def.Args, fp.asts[0].Arguments, r.vars)
	r.args[fp] = a
	return a
}

func isNonNull(t graphql.Type) bool {
	_, ok := t.(*graphql.NonNull)
	return ok
}

// complete puts a resolved value of type t at s: a thunk waits for its
// level, a leaf is serialized, a list or an object is completed item by
// item or field by field.
func (r *fastRun) complete(t graphql.Type, parent *graphql.Object, fp *fieldPlan, v interface{}, s slot) {
	if thunk, ok := v.(func() (interface{}, error)); ok {
		s.set(nil)
		r.queue = append(r.queue, pending{thunk: thunk, t: t, parent: parent, fp: fp, at: s})
		return
	}
	if rt := reflect.TypeOf(v); rt != nil && rt.Kind() == reflect.Func {
		r.fail(gqlerrors.FormatError(gqlerrors.NewFormattedError("Error resolving func. Expected `func() (interface{}, error)` signature")), fp, s, isNonNull(t))
		return
	}
	nonNull := false
	if nn, ok := t.(*graphql.NonNull); ok {
		nonNull, t = true, nn.OfType
	}
	if nullish(v) {
		r.null(parent, fp, s, nonNull)
		return
	}
	switch t := t.(type) {
	case *graphql.Scalar:
		if plainScalar(t, v) {
			s.set(v)
			return
		}
		r.leaf(t.Serialize(v), parent, fp, s, nonNull)
	case *graphql.Enum:
		r.leaf(t.Serialize(v), parent, fp, s, nonNull)
	case *graphql.List:
		r.listValue(t, parent, fp, v, s, nonNull)
	case *graphql.Object:
		r.objectValue(t, fp, v, s, nonNull)
	case *graphql.Interface:
		r.abstractValue(t, t.ResolveType, parent, fp, v, s, nonNull)
	case *graphql.Union:
		r.abstractValue(t, t.ResolveType, parent, fp, v, s, nonNull)
	default:
		r.fail(fmt.Errorf("cannot complete a value of type %v", t), fp, s, nonNull)
	}
}

// plainScalar reports whether v is already what the built-in scalar t
// serializes it to: graphql-go's String and ID go through fmt.Sprintf
// even for a string, a tenth of a roster's allocations.
func plainScalar(t *graphql.Scalar, v interface{}) bool {
	switch t {
	case graphql.String, graphql.ID:
		_, ok := v.(string)
		return ok
	case graphql.Int:
		_, ok := v.(int)
		return ok
	case graphql.Boolean:
		_, ok := v.(bool)
		return ok
	}
	return false
}

func (r *fastRun) leaf(v interface{}, parent *graphql.Object, fp *fieldPlan, s slot, nonNull bool) {
	if nullish(v) {
		r.null(parent, fp, s, nonNull)
		return
	}
	s.set(v)
}

// null puts null at s, which is an error in a non-null position.
func (r *fastRun) null(parent *graphql.Object, fp *fieldPlan, s slot, nonNull bool) {
	if !nonNull {
		s.set(nil)
		return
	}
	r.fail(gqlerrors.FormatError(gqlerrors.NewFormattedError(
		fmt.Sprintf("Cannot return null for non-nullable field %v.%v.", parent, fp.asts[0].Name.Value))), fp, s, true)
}

func (r *fastRun) listValue(t *graphql.List, parent *graphql.Object, fp *fieldPlan, v interface{}, s slot, nonNull bool) {
	items, ok := v.([]interface{})
	if !ok {
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer {
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
			r.fail(gqlerrors.FormatError(gqlerrors.NewFormattedError(fmt.Sprintf(
				"User Error: expected iterable, but did not find one for field %v.%v.", parent.Name(), fp.asts[0].Name.Value))), fp, s, nonNull)
			return
		}
		items = make([]interface{}, rv.Len())
		for i := range items {
			items[i] = rv.Index(i).Interface()
		}
	}
	out := make([]interface{}, len(items))
	s.set(out)
	n := &node{parent: s.n, at: s.at, nonNull: nonNull}
	for i, item := range items {
		r.complete(t.OfType, parent, fp, item, slot{n: n, at: place{list: out, idx: i}})
	}
}

func (r *fastRun) objectValue(t *graphql.Object, fp *fieldPlan, v interface{}, s slot, nonNull bool) {
	if t.IsTypeOf != nil && !t.IsTypeOf(graphql.IsTypeOfParams{Value: v, Context: r.ctx}) {
		r.fail(gqlerrors.FormatError(gqlerrors.NewFormattedError(fmt.Sprintf(`Expected value of type "%v" but got: %T.`, t, v))), fp, s, nonNull)
		return
	}
	fields := r.plan.fieldsOf(fp, t, selectionSets(fp.asts))
	out := &Object{fields: fields, vals: make([]interface{}, len(fields))}
	s.set(out)
	r.object(t, v, out, &node{parent: s.n, at: s.at, nonNull: nonNull})
}

func selectionSets(asts []*ast.Field) []*ast.SelectionSet {
	if len(asts) == 1 {
		return []*ast.SelectionSet{asts[0].SelectionSet}
	}
	sets := make([]*ast.SelectionSet, len(asts))
	for i, a := range asts {
		sets[i] = a.SelectionSet
	}
	return sets
}

func (r *fastRun) abstractValue(t graphql.Abstract, resolveType graphql.ResolveTypeFn, parent *graphql.Object, fp *fieldPlan, v interface{}, s slot, nonNull bool) {
	var runtime *graphql.Object
	if resolveType != nil {
		runtime = resolveType(graphql.ResolveTypeParams{Value: v, Info: r.info(parent, fp), Context: r.ctx})
	} else {
		for _, o := range r.plan.schema.PossibleTypes(t) {
			if o.IsTypeOf != nil && o.IsTypeOf(graphql.IsTypeOfParams{Value: v, Context: r.ctx}) {
				runtime = o
				break
			}
		}
	}
	if runtime == nil || !r.plan.possible(t, runtime) {
		r.fail(gqlerrors.FormatError(gqlerrors.NewFormattedError(fmt.Sprintf(
			`Abstract type %v must resolve to an Object type at runtime for field %v.%v with value "%v", received "%v".`,
			t, parent, fp.asts[0].Name.Value, v, runtime))), fp, s, nonNull)
		return
	}
	r.objectValue(runtime, fp, v, s, nonNull)
}

// force runs a thunk and completes its value where it waited.
func (r *fastRun) force(p pending) {
	v, err := r.call(p.thunk)
	if err != nil {
		r.fail(err, p.fp, p.at, isNonNull(p.t))
		return
	}
	r.complete(p.t, p.parent, p.fp, v, p.at)
}

// call runs a thunk; a returned error is formatted first, as graphql-go
// does (losing its extensions: our thunks panic instead), a panic is the
// error as is.
func (r *fastRun) call(thunk func() (interface{}, error)) (v interface{}, err interface{}) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, p
		}
	}()
	v, e := thunk()
	if e != nil {
		return nil, gqlerrors.FormatError(e)
	}
	return v, nil
}

// fail records the error at s, as graphql-go locates it, and puts null
// there; in a non-null position the null goes up to the nearest nullable
// parent (the data itself at the root).
func (r *fastRun) fail(err interface{}, fp *fieldPlan, s slot, nonNull bool) {
	r.errs = append(r.errs, gqlerrors.FormatError(graphql.NewLocatedErrorWithPath(err, graphql.FieldASTsToNodeASTs(fp.asts), s.path())))
	if !nonNull {
		s.set(nil)
		return
	}
	for n := s.n; ; n = n.parent {
		if n.parent == nil {
			r.nullData = true
			return
		}
		n.at.set(nil)
		if !n.nonNull {
			return
		}
	}
}
