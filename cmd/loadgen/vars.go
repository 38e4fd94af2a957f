package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
)

// Rotation builds each request's variables from a JSON object template:
// every string value "$name" whose name has a list is replaced, request
// after request, by that list's next value (request i takes value i modulo
// the list's length). Other values are sent as written.
type Rotation struct {
	template map[string]any
	lists    map[string][]string
	next     atomic.Uint64
}

// NewRotation parses template (a JSON object, or empty for no variables)
// and checks that every "$name" in it has a non-empty list.
func NewRotation(template string, lists map[string][]string) (*Rotation, error) {
	r := &Rotation{template: map[string]any{}, lists: lists}
	if strings.TrimSpace(template) != "" {
		if err := json.Unmarshal([]byte(template), &r.template); err != nil {
			return nil, fmt.Errorf("-vars: not a JSON object: %v", err)
		}
	}
	for k, v := range r.template {
		name, ok := placeholder(v)
		if !ok {
			continue
		}
		if len(lists[name]) == 0 {
			return nil, fmt.Errorf("-vars: %s is $%s, but no values were given for $%s", k, name, name)
		}
	}
	return r, nil
}

// placeholder reports the list name of a "$name" string value.
func placeholder(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || len(s) < 2 || s[0] != '$' {
		return "", false
	}
	return s[1:], true
}

// Next returns the next request's variables.
func (r *Rotation) Next() map[string]any {
	i := r.next.Add(1) - 1
	out := make(map[string]any, len(r.template))
	for k, v := range r.template {
		if name, ok := placeholder(v); ok {
			if list := r.lists[name]; len(list) > 0 {
				out[k] = list[i%uint64(len(list))]
				continue
			}
		}
		out[k] = v
	}
	return out
}

// SplitList splits a comma-separated flag value, dropping empty items.
func SplitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
