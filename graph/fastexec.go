package graph

import (
	"context"
	"fmt"
	"reflect"

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
