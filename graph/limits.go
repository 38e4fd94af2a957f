package graph

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/lexer"
	"github.com/graphql-go/graphql/language/source"

	"github.com/societyregistry/registry/registry"
)

// Limits bound what a document may ask before graphql-go sees it. Zero
// fields take defaults. graphql-go v0.8.1 has no limits of its own and its
// validator is quadratic in the size of the document, so every bound here is
// checked on the raw text or the parsed document, never after validation.
type Limits struct {
	// MaxDepth bounds the nesting of fields that have a selection set,
	// fragments inlined (default 12, DESIGN.md "Query limits").
	MaxDepth int
	// MaxTokens bounds the lexical tokens of the query text (default 2000).
	MaxTokens int
	// MaxAliases bounds the aliased fields, fragments expanded (default 15).
	MaxAliases int
	// MaxFields bounds the field selections after fragments are expanded
	// (default 300).
	MaxFields int
	// MaxCost bounds an operation's estimated cost, the number of items
	// it may ask for (default 5000): each connection counts its page size
	// (first or last; 100 when it gives neither) times the page sizes of
	// the connections above it, a list asked for by a list of keys
	// (nodes(ids:)) counts as a page of that many, and the operation
	// costs the sum. It is computed with the request's variables before
	// validation and execution.
	MaxCost int
	// AllowIntrospection lets every caller ask __schema and __type (the
	// demo mode). Without it only administrators may; others are refused
	// with FORBIDDEN and their validation messages carry no "Did you
	// mean" suggestions, which would leak the schema.
	AllowIntrospection bool
}

// The defaults of [Limits].
const (
	defaultMaxDepth   = 12
	defaultMaxTokens  = 2000
	defaultMaxAliases = 15
	defaultMaxFields  = 300
	defaultMaxCost    = 5000
)

// DefaultLimits returns the limits a zero [Limits] stands for.
func DefaultLimits() Limits { return Limits{}.withDefaults() }

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = defaultMaxDepth
	}
	if l.MaxTokens <= 0 {
		l.MaxTokens = defaultMaxTokens
	}
	if l.MaxAliases <= 0 {
		l.MaxAliases = defaultMaxAliases
	}
	if l.MaxFields <= 0 {
		l.MaxFields = defaultMaxFields
	}
	if l.MaxCost <= 0 {
		l.MaxCost = defaultMaxCost
	}
	return l
}

// refusal is a request refused before execution, as graphql-go formats it,
// with extensions.code from kind.
func refusal(kind registry.Kind, nodes []ast.Node, format string, args ...any) gqlerrors.FormattedError {
	e := registry.E(kind, "", format, args...)
	return gqlerrors.FormatError(gqlerrors.NewError(e.Message, nodes, "", nil, nil, e))
}

// withCode gives a graphql-go error (syntax, validation, variables) the
// extensions.code of kind, keeping its message and locations.
func withCode(fe gqlerrors.FormattedError, kind registry.Kind) gqlerrors.FormattedError {
	ext := make(map[string]interface{}, len(fe.Extensions)+1)
	for k, v := range fe.Extensions {
		ext[k] = v
	}
	ext["code"] = kind.Code()
	fe.Extensions = ext
	return fe
}

// countTokens lexes src and refuses it when it holds more than max tokens.
// The lexer stops at the first token over the limit, so the cost is bounded
// by the limit, not by the text. A lexical error is left for the parser to
// report with its usual message.
func countTokens(src *source.Source, max int) *gqlerrors.FormattedError {
	next := lexer.Lex(src)
	for n := 0; ; n++ {
		tok, err := next(0)
		if err != nil || tok.Kind == lexer.EOF {
			return nil
		}
		if n == max {
			e := refusal(registry.TooComplex, nil, "the query has more than %d tokens", max)
			return &e
		}
	}
}

// shape is what a selection set asks once its fragments are inlined.
type shape struct {
	depth   int // fields with a selection set, nested
	fields  int // field selections
	aliases int // aliased field selections
	// introspection is the first __schema or __type field, if any.
	introspection *ast.Field
}

// saturated caps the counts of a shape: fragments spread in fragments can
// ask for exponentially many fields, and the count must not overflow.
const saturated = 1 << 30

func satAdd(a, b int) int {
	if s := a + b; s < saturated {
		return s
	}
	return saturated
}

// add merges a sibling selection's shape into s.
func (s *shape) add(o shape) {
	s.depth = max(s.depth, o.depth)
	s.fields = satAdd(s.fields, o.fields)
	s.aliases = satAdd(s.aliases, o.aliases)
	if s.introspection == nil {
		s.introspection = o.introspection
	}
}

// checked is a parsed document that passed checkDocument.
type checked struct {
	operations    []*ast.OperationDefinition
	introspection *ast.Field // the first __schema or __type field, if any
}

// walker computes the shapes of a document's definitions, inlining each
// fragment once (memoized) and refusing cycles among fragment spreads.
type walker struct {
	fragments map[string]*ast.FragmentDefinition
	done      map[string]shape
	stack     []string // fragments being walked, outermost first
	refused   *gqlerrors.FormattedError
}

func (w *walker) fragment(spread *ast.FragmentSpread) shape {
	name := spread.Name.Value
	if s, ok := w.done[name]; ok {
		return s
	}
	for i, open := range w.stack {
		if open != name {
			continue
		}
		// graphql-go's validator recurses forever on this (PITFALLS.md 1).
		msg := fmt.Sprintf("Cannot spread fragment %q within itself", name)
		if via := w.stack[i+1:]; len(via) > 0 {
			msg = fmt.Sprintf("Cannot spread fragment %q within itself via %s", name, quoted(via))
		}
		e := refusal(registry.Invalid, []ast.Node{spread}, "%s.", msg)
		w.refused = &e
		return shape{}
	}
	def, ok := w.fragments[name]
	if !ok {
		return shape{} // unknown fragments are the validator's to report
	}
	w.stack = append(w.stack, name)
	s := w.selectionSet(def.SelectionSet)
	w.stack = w.stack[:len(w.stack)-1]
	if w.refused == nil {
		w.done[name] = s
	}
	return s
}

func (w *walker) selectionSet(set *ast.SelectionSet) shape {
	var s shape
	if set == nil {
		return s
	}
	for _, sel := range set.Selections {
		if w.refused != nil {
			return s
		}
		switch sel := sel.(type) {
		case *ast.Field:
			s.add(w.field(sel))
		case *ast.InlineFragment:
			s.add(w.selectionSet(sel.SelectionSet))
		case *ast.FragmentSpread:
			s.add(w.fragment(sel))
		}
	}
	return s
}

func (w *walker) field(f *ast.Field) shape {
	s := shape{fields: 1}
	if f.Alias != nil {
		s.aliases = 1
	}
	intro := f.Name != nil && (f.Name.Value == "__schema" || f.Name.Value == "__type")
	if intro {
		s.introspection = f
	}
	if f.SelectionSet == nil {
		return s
	}
	sub := w.selectionSet(f.SelectionSet)
	s.fields = satAdd(s.fields, sub.fields)
	s.aliases = satAdd(s.aliases, sub.aliases)
	// Introspection is refused outright for callers who may not use it;
	// for those who may, its depth is bounded by the schema's type
	// references (GraphiQL's own query nests ofType deeper than
	// the default limit), so it does not count towards MaxDepth.
	if !intro {
		s.depth = 1 + sub.depth
	}
	if s.introspection == nil {
		s.introspection = sub.introspection
	}
	return s
}

// checkDocument runs our limits on a parsed document: only operations and
// fragments, unique fragment names, no cycles among fragment spreads, and
// the depth, alias and field limits on every definition, used or not (the
// validator walks them all). It reports introspection for the caller to
// allow or refuse.
func checkDocument(doc *ast.Document, lim Limits) (*checked, *gqlerrors.FormattedError) {
	w := &walker{
		fragments: map[string]*ast.FragmentDefinition{},
		done:      map[string]shape{},
	}
	c := &checked{}
	var defs []ast.Definition
	for _, def := range doc.Definitions {
		switch def := def.(type) {
		case *ast.OperationDefinition:
			if e := checkVariableTypes(def); e != nil {
				return nil, e
			}
			c.operations = append(c.operations, def)
			defs = append(defs, def)
		case *ast.FragmentDefinition:
			name := def.Name.Value
			if _, dup := w.fragments[name]; dup {
				e := refusal(registry.Invalid, []ast.Node{def.Name}, "There can be only one fragment named %q.", name)
				return nil, &e
			}
			w.fragments[name] = def
			defs = append(defs, def)
		default:
			e := refusal(registry.Invalid, []ast.Node{def}, "A request may hold only operations and fragments.")
			return nil, &e
		}
	}
	for _, def := range defs {
		var s shape
		if f, ok := def.(*ast.FragmentDefinition); ok {
			s = w.fragment(&ast.FragmentSpread{Name: f.Name, Loc: f.Loc})
		} else {
			s = w.selectionSet(def.GetSelectionSet())
		}
		if w.refused != nil {
			return nil, w.refused
		}
		nodes := []ast.Node{def}
		var e gqlerrors.FormattedError
		switch {
		case s.depth > lim.MaxDepth:
			e = refusal(registry.TooComplex, nodes, "the query is %d levels deep; the limit is %d", s.depth, lim.MaxDepth)
		case s.aliases > lim.MaxAliases:
			e = refusal(registry.TooComplex, nodes, "the query has %s aliases; the limit is %d", count(s.aliases), lim.MaxAliases)
		case s.fields > lim.MaxFields:
			e = refusal(registry.TooComplex, nodes, "the query selects %s fields once fragments are expanded; the limit is %d", count(s.fields), lim.MaxFields)
		default:
			if c.introspection == nil {
				c.introspection = s.introspection
			}
			continue
		}
		return nil, &e
	}
	return c, nil
}

// checkVariableTypes refuses variables without a whole type. graphql-go's
// parser accepts "($a:)", "($a: !)" and "($a: [!])", leaving nil where
// the type's name should be, and its validator then dereferences it.
func checkVariableTypes(op *ast.OperationDefinition) *gqlerrors.FormattedError {
	for _, d := range op.VariableDefinitions {
		if d.Variable == nil || d.Variable.Name == nil {
			e := refusal(registry.Invalid, []ast.Node{d}, "Syntax Error: a variable has no name.")
			return &e
		}
		if !wholeType(d.Type) {
			e := refusal(registry.Invalid, []ast.Node{d}, "Syntax Error: variable \"$%s\" has no type.", d.Variable.Name.Value)
			return &e
		}
	}
	return nil
}

// wholeType reports whether t names a type at its core.
func wholeType(t ast.Type) bool {
	switch t := t.(type) {
	case *ast.Named:
		return t != nil && t.Name != nil
	case *ast.List:
		return t != nil && wholeType(t.Type)
	case *ast.NonNull:
		return t != nil && wholeType(t.Type)
	}
	return false
}

// count prints a saturated count as a bound.
func count(n int) string {
	if n >= saturated {
		return fmt.Sprintf("over %d", saturated)
	}
	return fmt.Sprint(n)
}

// quoted lists names as "A", "B" and "C".
func quoted(names []string) string {
	s := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			s += " and "
		default:
			s += ", "
		}
		s += fmt.Sprintf("%q", n)
	}
	return s
}

// selectOperation picks the operation a request names, by the GraphQL
// spec's rules: the only one when no name is given, else the one so named.
func selectOperation(ops []*ast.OperationDefinition, name string) (*ast.OperationDefinition, *gqlerrors.FormattedError) {
	var refused gqlerrors.FormattedError
	switch {
	case name == "" && len(ops) == 1:
		return ops[0], nil
	case len(ops) == 0:
		refused = refusal(registry.Invalid, nil, "the document holds no operation")
	case name == "":
		refused = refusal(registry.Invalid, nil, "operationName is required when the document holds several operations")
	default:
		for _, op := range ops {
			if op.Name != nil && op.Name.Value == name {
				return op, nil
			}
		}
		refused = refusal(registry.Invalid, nil, "unknown operation %q", name)
	}
	return nil, &refused
}

// costNode is a field that multiplies the cost of what it selects: a
// connection, sized by first or last, or a list field sized by the list
// of keys it is given. Fields in between are transparent.
type costNode struct {
	paged       bool      // a connection: sized by first or last
	first, last ast.Value // its page arguments; nil when absent
	keys        ast.Value // else the list argument of a list field
	children    []*costNode
}

// costPlanner builds the cost nodes of a parsed document against the
// schema's types. It runs before validation, so it passes over what it
// cannot place (unknown fields and types are the validator's to report).
// Each fragment is planned once, for its type condition; checkDocument
// has refused cycles and bounded the expanded size beforehand.
type costPlanner struct {
	schema    *graphql.Schema
	fragments map[string]*ast.FragmentDefinition
	done      map[string][]*costNode
}

// costPlans returns the cost nodes of each operation of doc.
func costPlans(schema *graphql.Schema, doc *ast.Document) map[*ast.OperationDefinition][]*costNode {
	p := &costPlanner{schema: schema, fragments: map[string]*ast.FragmentDefinition{}, done: map[string][]*costNode{}}
	var ops []*ast.OperationDefinition
	for _, def := range doc.Definitions {
		switch def := def.(type) {
		case *ast.OperationDefinition:
			ops = append(ops, def)
		case *ast.FragmentDefinition:
			p.fragments[def.Name.Value] = def
		}
	}
	plans := make(map[*ast.OperationDefinition][]*costNode, len(ops))
	for _, op := range ops {
		var root *graphql.Object
		switch op.Operation {
		case ast.OperationTypeQuery:
			root = schema.QueryType()
		case ast.OperationTypeMutation:
			root = schema.MutationType()
		case ast.OperationTypeSubscription:
			root = schema.SubscriptionType()
		}
		if root == nil {
			continue // no such root type: the validator says so
		}
		plans[op] = p.selectionSet(op.SelectionSet, root)
	}
	return plans
}

func (p *costPlanner) selectionSet(set *ast.SelectionSet, parent graphql.Type) []*costNode {
	if set == nil {
		return nil
	}
	var out []*costNode
	for _, sel := range set.Selections {
		switch sel := sel.(type) {
		case *ast.Field:
			out = append(out, p.field(sel, parent)...)
		case *ast.InlineFragment:
			t := parent
			if sel.TypeCondition != nil {
				t = p.schema.Type(sel.TypeCondition.Name.Value)
			}
			out = append(out, p.selectionSet(sel.SelectionSet, t)...)
		case *ast.FragmentSpread:
			out = append(out, p.fragment(sel.Name.Value)...)
		}
	}
	return out
}

func (p *costPlanner) fragment(name string) []*costNode {
	if nodes, ok := p.done[name]; ok {
		return nodes
	}
	def, ok := p.fragments[name]
	if !ok {
		return nil
	}
	var t graphql.Type
	if def.TypeCondition != nil {
		t = p.schema.Type(def.TypeCondition.Name.Value)
	}
	nodes := p.selectionSet(def.SelectionSet, t)
	p.done[name] = nodes
	return nodes
}

// field is the cost node of f, or, when f multiplies nothing, the nodes
// of its selections.
func (p *costPlanner) field(f *ast.Field, parent graphql.Type) []*costNode {
	var fields graphql.FieldDefinitionMap
	switch t := parent.(type) {
	case *graphql.Object:
		if t != nil {
			fields = t.Fields()
		}
	case *graphql.Interface:
		if t != nil {
			fields = t.Fields()
		}
	}
	def := fields[f.Name.Value]
	if def == nil {
		return nil // __typename, introspection, or unknown
	}
	var named graphql.Type
	if t, ok := graphql.GetNamed(def.Type).(graphql.Type); ok {
		named = t
	}
	children := p.selectionSet(f.SelectionSet, named)
	n := &costNode{children: children}
	sized := false
	for _, arg := range def.Args {
		switch name := arg.Name(); {
		case name == "first":
			n.paged, n.first, sized = true, argument(f, name), true
		case name == "last":
			n.paged, n.last, sized = true, argument(f, name), true
		case isList(def.Type) && isList(arg.Type) && n.keys == nil:
			n.keys, sized = argument(f, name), true
		}
	}
	if !sized {
		return children
	}
	return []*costNode{n}
}

// argument is the value f gives its argument name, or nil.
func argument(f *ast.Field, name string) ast.Value {
	for _, a := range f.Arguments {
		if a.Name != nil && a.Name.Value == name {
			return a.Value
		}
	}
	return nil
}

// isList reports whether t is a list type, non-null or not.
func isList(t graphql.Type) bool {
	if nn, ok := t.(*graphql.NonNull); ok {
		t = nn.OfType
	}
	_, ok := t.(*graphql.List)
	return ok
}

// costInputs are the values a cost is computed with: the request's
// variables, and the operation's defaults for those it leaves out.
type costInputs struct {
	vars     map[string]interface{}
	defaults map[string]ast.Value
}

func newCostInputs(op *ast.OperationDefinition, vars map[string]interface{}) *costInputs {
	in := &costInputs{vars: vars, defaults: map[string]ast.Value{}}
	for _, d := range op.VariableDefinitions {
		if d.Variable != nil && d.Variable.Name != nil && d.DefaultValue != nil {
			in.defaults[d.Variable.Name.Value] = d.DefaultValue
		}
	}
	return in
}

// estimateCost is the cost of nodes under a multiplier: for each node,
// the product of the sizes down to it, summed. It saturates.
func estimateCost(nodes []*costNode, mult int, in *costInputs) int {
	total := 0
	for _, n := range nodes {
		m := satMul(mult, n.size(in))
		if m == 0 {
			continue
		}
		total = satAdd(total, m)
		total = satAdd(total, estimateCost(n.children, m, in))
	}
	return total
}

// size is how many items n may return. A connection without a usable
// first or last is counted as a full page: its resolver refuses it, but
// an estimate must not be lower than what could run.
func (n *costNode) size(in *costInputs) int {
	if !n.paged {
		if l, ok := in.length(n.keys); ok {
			return l
		}
		return MaxPage
	}
	first, okFirst := in.int(n.first)
	last, okLast := in.int(n.last)
	switch {
	case okFirst && okLast:
		return max(first, last)
	case okFirst:
		return first
	case okLast:
		return last
	}
	return MaxPage
}

// value resolves v to a literal or to a variable's value (Go values as
// JSON decodes them); nil when there is none.
func (in *costInputs) value(v ast.Value) (ast.Value, interface{}) {
	if vr, ok := v.(*ast.Variable); ok && vr.Name != nil {
		if x, ok := in.vars[vr.Name.Value]; ok {
			return nil, x
		}
		return in.defaults[vr.Name.Value], nil
	}
	return v, nil
}

// int is an integer argument clamped to 0..MaxPage; false when it is
// absent, null or not a number.
func (in *costInputs) int(v ast.Value) (int, bool) {
	lit, x := in.value(v)
	var f float64
	switch {
	case lit != nil:
		iv, ok := lit.(*ast.IntValue)
		if !ok {
			return 0, false
		}
		n, err := strconv.ParseFloat(iv.Value, 64)
		if err != nil {
			return 0, false
		}
		f = n
	case x != nil:
		switch x := x.(type) {
		case int:
			f = float64(x)
		case int32:
			f = float64(x)
		case int64:
			f = float64(x)
		case float32:
			f = float64(x)
		case float64:
			f = x
		case json.Number:
			n, err := x.Float64()
			if err != nil {
				return 0, false
			}
			f = n
		default:
			return 0, false
		}
	default:
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return int(min(max(f, 0), MaxPage)), true
}

// length is the length of a list argument, clamped to MaxPage; a single
// value is a list of one (GraphQL's input coercion). False when absent.
func (in *costInputs) length(v ast.Value) (int, bool) {
	lit, x := in.value(v)
	n := 0
	switch {
	case lit != nil:
		n = 1
		if l, ok := lit.(*ast.ListValue); ok {
			n = len(l.Values)
		}
	case x != nil:
		n = 1
		if l, ok := x.([]interface{}); ok {
			n = len(l)
		}
	default:
		return 0, false
	}
	return min(n, MaxPage), true
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= saturated/b {
		return saturated
	}
	return a * b
}
