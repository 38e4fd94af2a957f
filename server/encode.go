package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/location"
	"github.com/graphql-go/graphql/language/parser"

	"github.com/societyregistry/registry/graph"
)

// graphql-go returns results as Go maps, which encoding/json writes with
// sorted keys, sorting as it goes. The GraphQL specification wants fields
// in the order the query selected them, so the response is written here by
// a plan made from the query (PITFALLS.md 11).

// buffers recycles response buffers.
type buffers struct{ pool sync.Pool }

func (bs *buffers) get() *bytes.Buffer {
	if b, ok := bs.pool.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (bs *buffers) put(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return // let an unusually large response go
	}
	b.Reset()
	bs.pool.Put(b)
}

// jsonError is a GraphQL error as the response carries it: locations and
// path only when there are some.
type jsonError struct {
	Message    string                    `json:"message"`
	Locations  []location.SourceLocation `json:"locations,omitempty"`
	Path       []interface{}             `json:"path,omitempty"`
	Extensions map[string]interface{}    `json:"extensions,omitempty"`
}

// writeResponse writes res: errors first (the specification suggests it),
// then data when execution began, in the order of p, then extensions.
func writeResponse(buf *bytes.Buffer, res *graphql.Result, withData bool, p *plan) {
	buf.WriteByte('{')
	sep := ""
	if len(res.Errors) > 0 {
		errs := make([]jsonError, len(res.Errors))
		for i, fe := range res.Errors {
			errs[i] = jsonError{Message: fe.Message, Locations: fe.Locations, Path: fe.Path, Extensions: fe.Extensions}
		}
		b, err := json.Marshal(errs)
		if err != nil {
			b = []byte(`[{"message":"internal error","extensions":{"code":"INTERNAL"}}]`)
		}
		buf.WriteString(`"errors":`)
		buf.Write(b)
		sep = ","
	}
	if withData {
		buf.WriteString(sep + `"data":`)
		writeValue(buf, res.Data, p)
		sep = ","
	}
	if len(res.Extensions) > 0 {
		if b, err := json.Marshal(res.Extensions); err == nil {
			buf.WriteString(sep + `"extensions":`)
			buf.Write(b)
		}
	}
	buf.WriteString("}\n")
}

// plan is the order of the response keys of one selection set, with the
// plans of the keys that have selections of their own.
type plan struct {
	keys []string
	sub  map[string]*plan
}

// planBudget bounds the fields a plan may visit: beyond it (a document the
// executor would have refused anyway) the response falls back to sorted
// keys.
const planBudget = 10_000

// planCache keeps the plans of recent queries. It is cleared whenever it
// fills: simpler than an LRU, and a dashboard's few dozen queries refill it
// at once.
type planCache struct {
	mu    sync.Mutex
	max   int
	plans map[planKey]*plan
}

type planKey struct {
	query     [sha256.Size]byte
	operation string
}

func newPlanCache(max int) *planCache {
	return &planCache{max: max, plans: map[planKey]*plan{}}
}

// get returns the plan for req's operation, nil when it has none (the
// query does not parse, or is too large).
func (c *planCache) get(req graph.Request) *plan {
	key := planKey{sha256.Sum256([]byte(req.Query)), req.OperationName}
	c.mu.Lock()
	p, ok := c.plans[key]
	c.mu.Unlock()
	if ok {
		return p
	}
	p = makePlan(req)
	c.mu.Lock()
	if len(c.plans) >= c.max {
		clear(c.plans)
	}
	c.plans[key] = p
	c.mu.Unlock()
	return p
}

// makePlan parses the query and plans its selected operation.
func makePlan(req graph.Request) *plan {
	doc, err := parser.Parse(parser.ParseParams{Source: req.Query, Options: parser.ParseOptions{NoLocation: true}})
	if err != nil {
		return nil
	}
	frags := map[string]*ast.FragmentDefinition{}
	var ops []*ast.OperationDefinition
	for _, def := range doc.Definitions {
		switch def := def.(type) {
		case *ast.FragmentDefinition:
			frags[def.Name.Value] = def
		case *ast.OperationDefinition:
			if req.OperationName == "" || def.Name != nil && def.Name.Value == req.OperationName {
				ops = append(ops, def)
			}
		}
	}
	if len(ops) != 1 {
		return nil
	}
	budget := planBudget
	return planOf([]*ast.SelectionSet{ops[0].SelectionSet}, frags, &budget)
}

// planOf plans the merged selection sets of one response key, fragments
// inlined in place, keys in order of first appearance. A fragment's type
// condition is not known here, so a key that first appears under a
// fragment that does not apply takes that position: harmless, and rare.
func planOf(sets []*ast.SelectionSet, frags map[string]*ast.FragmentDefinition, budget *int) *plan {
	p := &plan{}
	subsets := map[string][]*ast.SelectionSet{}
	inside := map[string]bool{} // fragments being inlined, against cycles
	var visit func(set *ast.SelectionSet) bool
	visit = func(set *ast.SelectionSet) bool {
		if set == nil {
			return true
		}
		for _, sel := range set.Selections {
			switch sel := sel.(type) {
			case *ast.Field:
				if *budget--; *budget < 0 {
					return false
				}
				key := sel.Name.Value
				if sel.Alias != nil {
					key = sel.Alias.Value
				}
				if _, seen := subsets[key]; !seen {
					p.keys = append(p.keys, key)
					subsets[key] = nil
				}
				if sel.SelectionSet != nil {
					subsets[key] = append(subsets[key], sel.SelectionSet)
				}
			case *ast.InlineFragment:
				if !visit(sel.SelectionSet) {
					return false
				}
			case *ast.FragmentSpread:
				name := sel.Name.Value
				f, ok := frags[name]
				if !ok || inside[name] {
					continue
				}
				inside[name] = true
				more := visit(f.SelectionSet)
				delete(inside, name)
				if !more {
					return false
				}
			}
		}
		return true
	}
	for _, set := range sets {
		if !visit(set) {
			return nil
		}
	}
	for _, key := range p.keys {
		if len(subsets[key]) == 0 {
			continue
		}
		sub := planOf(subsets[key], frags, budget)
		if sub == nil {
			return nil
		}
		if p.sub == nil {
			p.sub = map[string]*plan{}
		}
		p.sub[key] = sub
	}
	return p
}

// writeValue writes a value of a result: a graph.Object in its own order,
// a map (graphql-go's) in the order of p, or sorted keys without one.
func writeValue(buf *bytes.Buffer, v interface{}, p *plan) {
	switch v := v.(type) {
	case nil:
		buf.WriteString("null")
	case *graph.Object:
		// Already in selection order.
		buf.WriteByte('{')
		for i := range v.Len() {
			if i > 0 {
				buf.WriteByte(',')
			}
			k, e := v.Field(i)
			appendString(buf, k)
			buf.WriteByte(':')
			writeValue(buf, e, nil)
		}
		buf.WriteByte('}')
	case map[string]interface{}:
		writeObject(buf, v, p)
	case []interface{}:
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeValue(buf, e, p)
		}
		buf.WriteByte(']')
	case string:
		appendString(buf, v)
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case int:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(v), 10))
	case int32:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(v), 10))
	case int64:
		buf.Write(strconv.AppendInt(buf.AvailableBuffer(), v, 10))
	default:
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte("null")
		}
		buf.Write(b)
	}
}

func writeObject(buf *bytes.Buffer, m map[string]interface{}, p *plan) {
	buf.WriteByte('{')
	n := 0
	write := func(k string, v interface{}, sub *plan) {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		appendString(buf, k)
		buf.WriteByte(':')
		writeValue(buf, v, sub)
	}
	if p != nil {
		for _, k := range p.keys {
			if v, ok := m[k]; ok {
				write(k, v, p.sub[k])
			}
		}
	}
	if n < len(m) {
		// Keys the plan does not know: none when the plan matches the
		// result, all of them without a plan.
		rest := make([]string, 0, len(m)-n)
		for k := range m {
			if p == nil || !slices.Contains(p.keys, k) {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		for _, k := range rest {
			write(k, m[k], nil)
		}
	}
	buf.WriteByte('}')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string, escaping as encoding/json does
// but for HTML characters, which need no escaping in an API response.
func appendString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[c>>4])
				buf.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but not valid JavaScript inside a script.
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}
