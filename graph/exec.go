package graph

import (
	"container/list"
	"context"
	"crypto/sha256"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/parser"
	"github.com/graphql-go/graphql/language/source"

	"github.com/societyregistry/registry/registry"
)

// Request is one GraphQL request.
type Request struct {
	Query         string
	OperationName string
	Variables     map[string]interface{}
}

// Executor parses, checks limits, validates (caching validated documents by
// query hash, bounded LRU) and executes. It never calls graphql.Do, whose
// validator dies on cyclic fragments (PITFALLS.md 1). An Executor is safe for
// concurrent use.
type Executor struct {
	schema graphql.Schema
	lim    Limits
	cache  *docCache
	// ordered makes the results of queries our executor runs hold
	// *Object values, in selection order, rather than maps.
	ordered bool
	// validate is graphql.ValidateDocument; tests count its calls.
	validate func(*graphql.Schema, *ast.Document, []graphql.ValidationRuleFn) graphql.ValidationResult
}

// cacheSize bounds the validated documents an Executor keeps. A document
// within the default limits costs at most a few hundred kilobytes; a
// dashboard sends a few dozen distinct ones.
const cacheSize = 256

// NewExecutor returns an Executor for schema with the limits lim, zero
// fields taking their defaults. It warms graphql-go's lazily built lookup
// maps first, which are filled without a lock on first use (PITFALLS.md 6
// and 26).
func NewExecutor(schema graphql.Schema, lim Limits) *Executor {
	warm(&schema)
	return &Executor{
		schema:   schema,
		lim:      lim.withDefaults(),
		cache:    newDocCache(cacheSize),
		validate: graphql.ValidateDocument,
	}
}

// warmMu serializes warm: graphql-go's introspection types are package
// globals shared by every schema, so two executors built at once would
// race on them.
var warmMu sync.Mutex

// warm fills every lazy lookup map graphql-go keeps in a schema's types,
// so that concurrent requests only read them.
func warm(s *graphql.Schema) {
	warmMu.Lock()
	defer warmMu.Unlock()
	for _, t := range s.TypeMap() {
		switch t := t.(type) {
		case *graphql.Enum:
			for _, v := range t.Values() {
				t.Serialize(v.Value)
				t.ParseValue(v.Name)
				t.ParseLiteral(&ast.EnumValue{Kind: "EnumValue", Value: v.Name})
			}
		case *graphql.Object:
			t.Fields()
			t.Interfaces()
		case *graphql.Interface:
			t.Fields()
			for _, o := range s.PossibleTypes(t) {
				s.IsPossibleType(t, o)
			}
		case *graphql.Union:
			for _, o := range s.PossibleTypes(t) {
				s.IsPossibleType(t, o)
			}
		case *graphql.InputObject:
			t.Fields()
		}
	}
}

// Execute runs req within ctx. Refusals come back as a result with no data
// and errors whose extensions.code says why: QUERY_TOO_COMPLEX (tokens,
// depth, aliases, fields, cost), BAD_USER_INPUT (syntax, validation,
// cyclic fragments, unknown operation, bad variables), FORBIDDEN
// (introspection), TIMEOUT (ctx done).
func (e *Executor) Execute(ctx context.Context, req Request) *graphql.Result {
	if err := ctx.Err(); err != nil {
		return &graphql.Result{Errors: []gqlerrors.FormattedError{ctxError(err)}}
	}
	introspect := e.mayIntrospect(ctx)

	key := sha256.Sum256([]byte(req.Query))
	doc, cached := e.cache.get(key)
	if !cached {
		var refused *gqlerrors.FormattedError
		if doc, refused = e.check(req.Query); refused != nil {
			return refuse(*refused)
		}
	}
	if doc.introspection != nil && !introspect {
		return refuse(refusal(registry.Forbidden, []ast.Node{doc.introspection}, "introspection is not allowed"))
	}
	op, refused := selectOperation(doc.operations, req.OperationName)
	if refused != nil {
		return refuse(*refused)
	}
	// The cost depends on the variables, so it is estimated for every
	// request, cached document or not, and before a new one is validated.
	if cost := estimateCost(doc.costs[op], 1, newCostInputs(op, req.Variables)); cost > e.lim.MaxCost {
		return refuse(refusal(registry.TooComplex, []ast.Node{op},
			"the query may return an estimated %s items (page sizes multiplied down each path, summed); the limit is %d", count(cost), e.lim.MaxCost))
	}
	if !cached {
		if errs := e.validateDocument(doc.ast, introspect); errs != nil {
			return &graphql.Result{Errors: errs}
		}
		e.cache.put(key, doc)
	}
	if doc.fast != nil && doc.fast.ops[op] {
		if res, ok := doc.fast.execute(ctx, op, req.Variables); ok {
			if !e.ordered && res.Data != nil {
				res.Data = plain(res.Data)
			}
			classify(res, doneErr(ctx))
			return res
		}
	}
	res := graphql.Execute(graphql.ExecuteParams{
		Schema:        e.schema,
		AST:           doc.ast,
		OperationName: req.OperationName,
		Args:          req.Variables,
		Context:       ctx,
	})
	classify(res, doneErr(ctx))
	return res
}

// mayIntrospect decides, per request, whether the caller may ask
// __schema and __type and see "Did you mean" suggestions: everyone when
// the limits allow it (the demo), else administrators only. The access
// table has no action of its own for reading the schema; managing
// accounts is what makes an administrator, so that action stands for it.
func (e *Executor) mayIntrospect(ctx context.Context) bool {
	return e.lim.AllowIntrospection || registry.ViewerFrom(ctx).Can(registry.ManageAccounts)
}

// document is a parsed document that passed our checks, with the cost
// nodes of each operation; once graphql-go has validated it too, it is
// cached and shared between concurrent executions.
type document struct {
	ast *ast.Document
	checked
	costs map[*ast.OperationDefinition][]*costNode
	// fast runs the queries our executor can run (fastexec.go); nil for
	// a document that asks for introspection.
	fast *fastPlan
}

// check takes a query text through our checks, in order of cost: tokens,
// parse, then the limits on the tree. None of them runs graphql-go's
// validator.
func (e *Executor) check(query string) (*document, *gqlerrors.FormattedError) {
	src := source.NewSource(&source.Source{Body: []byte(query), Name: "GraphQL request"})
	if err := countTokens(src, e.lim.MaxTokens); err != nil {
		return nil, err
	}
	tree, err := parser.Parse(parser.ParseParams{Source: src})
	if err != nil {
		fe := withCode(gqlerrors.FormatError(err), registry.Invalid)
		return nil, &fe
	}
	c, refused := checkDocument(tree, e.lim)
	if refused != nil {
		return nil, refused
	}
	doc := &document{ast: tree, checked: *c, costs: costPlans(&e.schema, tree)}
	if c.introspection == nil {
		doc.fast = newFastPlan(&e.schema, tree)
	}
	return doc, nil
}

// validateDocument runs graphql-go's validation on a checked document:
// first the cycle rule alone, then all of them. Its validator has
// dereferenced nil in malformed documents its parser let through; should
// it do so again, the document is refused as malformed rather than the
// request failing (stack overflows, which cannot be recovered, are kept
// away by checkDocument).
func (e *Executor) validateDocument(tree *ast.Document, introspect bool) (refused []gqlerrors.FormattedError) {
	defer func() {
		if p := recover(); p != nil {
			refused = []gqlerrors.FormattedError{refusal(registry.Invalid, nil, "the query is malformed")}
		}
	}()
	// checkDocument already refused cycles; the rule stays as a belt, run
	// alone because the full set recurses forever on a cycle.
	for _, rules := range [][]graphql.ValidationRuleFn{{graphql.NoFragmentCyclesRule}, graphql.SpecifiedRules} {
		// The validator writes into the schema it is given (IsPossibleType
		// stores its map back), so it gets a copy of ours.
		schema := e.schema
		if v := e.validate(&schema, tree, rules); !v.IsValid {
			return validationErrors(v.Errors, introspect)
		}
	}
	return nil
}

// validationErrors gives graphql-go's validation errors their code and,
// for callers who may not introspect, drops the "Did you mean" suggestions
// that would reveal the schema (PITFALLS.md 27).
func validationErrors(errs []gqlerrors.FormattedError, introspect bool) []gqlerrors.FormattedError {
	out := make([]gqlerrors.FormattedError, len(errs))
	for i, fe := range errs {
		if !introspect {
			if j := strings.Index(fe.Message, " Did you mean "); j >= 0 {
				fe.Message = fe.Message[:j]
			}
		}
		out[i] = withInputField(withCode(fe, registry.Invalid))
	}
	return out
}

var (
	badValue    = regexp.MustCompile(`^(?:Argument "(\w+)" has|Variable "\$(\w+)" got) invalid value`)
	fieldPrefix = regexp.MustCompile(`In field "([^"]+)": `)
)

// withInputField names the input field at fault, and the rule it broke,
// in graphql-go's own refusals of argument and variable values ("Argument
// "input" has invalid value {...}. In field "startsOn": Expected type
// "Date", ..."), as the registry's own errors do: field input.startsOn,
// rule type (or required, for a missing value).
func withInputField(fe gqlerrors.FormattedError) gqlerrors.FormattedError {
	m := badValue.FindStringSubmatch(fe.Message)
	if m == nil {
		return fe
	}
	path := []string{m[1] + m[2]}
	rest := fe.Message
	for {
		loc := fieldPrefix.FindStringSubmatchIndex(rest)
		if loc == nil {
			break
		}
		path = append(path, rest[loc[2]:loc[3]])
		rest = rest[loc[1]:]
	}
	rule := "type"
	if strings.Contains(rest, `!", found null`) {
		rule = "required"
	}
	fe.Extensions["field"] = strings.Join(path, ".")
	fe.Extensions["rule"] = rule
	return fe
}

// classify gives the errors graphql-go raises itself their codes: a done
// context is TIMEOUT; errors before the first resolver ran (no data, no
// path: variable values that do not fit their types) are BAD_USER_INPUT.
// Once ctx is done (done is its error), an internal error is taken for
// what the deadline caused (a statement of a transaction the database
// already rolled back fails with no trace of the context) and is a
// TIMEOUT too. Anything else without a code is left for the server to
// log and send as INTERNAL.
func classify(res *graphql.Result, done error) {
	for i, fe := range res.Errors {
		code, coded := fe.Extensions["code"]
		if coded && (code != registry.Internal.Code() || done == nil) {
			continue
		}
		cause := fe.OriginalError()
		var located *gqlerrors.Error
		if errors.As(cause, &located) && located.OriginalError != nil {
			cause = located.OriginalError
		}
		switch {
		case errors.Is(cause, context.DeadlineExceeded), errors.Is(cause, context.Canceled):
			res.Errors[i] = ctxError(cause)
		case done != nil:
			res.Errors[i] = ctxError(done)
		case res.Data == nil && len(fe.Path) == 0:
			res.Errors[i] = withInputField(withCode(fe, registry.Invalid))
			continue
		default:
			continue
		}
		res.Errors[i].Path = fe.Path
		res.Errors[i].Locations = fe.Locations
	}
}

// doneErr is ctx.Err(), or DeadlineExceeded once ctx's deadline has
// passed even if its timer has not fired yet: the PostgreSQL driver
// watches the deadline itself, and on a busy machine its "i/o timeout"
// can come back before the context says it is done.
func doneErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

// ctxError reports a done context as TIMEOUT.
func ctxError(err error) gqlerrors.FormattedError {
	msg := "the request took too long"
	if errors.Is(err, context.Canceled) {
		msg = "the request was canceled"
	}
	return refusal(registry.Timeout, nil, "%s", msg)
}

// refuse wraps one refusal as a result.
func refuse(e gqlerrors.FormattedError) *graphql.Result {
	return &graphql.Result{Errors: []gqlerrors.FormattedError{e}}
}

// docCache is a bounded LRU of validated documents keyed by the SHA-256 of
// their text.
type docCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recently used first
	byKey map[[sha256.Size]byte]*list.Element
}

type cacheEntry struct {
	key [sha256.Size]byte
	doc *document
}

func newDocCache(max int) *docCache {
	return &docCache{max: max, order: list.New(), byKey: map[[sha256.Size]byte]*list.Element{}}
}

func (c *docCache) get(key [sha256.Size]byte) (*document, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).doc, true
}

func (c *docCache) put(key [sha256.Size]byte, doc *document) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, doc: doc})
	for c.order.Len() > c.max {
		el := c.order.Back()
		c.order.Remove(el)
		delete(c.byKey, el.Value.(*cacheEntry).key)
	}
}

func (c *docCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
