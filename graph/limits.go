package graph

import (
	"fmt"

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
)

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
