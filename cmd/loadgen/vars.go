package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// Rotation builds each request's variables from a JSON object template:
// every string value "$name" whose name has a list is replaced, request
// after request, by that list's next value (request i takes value i modulo
// the list's length); "$name:int" sends the value as a JSON integer (a
// server whose IDs are numbers). Other values are sent as written.
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
		name, asInt, ok := placeholder(v)
		if !ok {
			continue
		}
		if len(lists[name]) == 0 {
			return nil, fmt.Errorf("-vars: %s is $%s, but no values were given for $%s", k, name, name)
		}
		for _, item := range lists[name] {
			if _, err := strconv.Atoi(item); asInt && err != nil {
				return nil, fmt.Errorf("-vars: %s is $%s:int, but %q is not an integer", k, name, item)
			}
		}
	}
	return r, nil
}

// placeholder reports the list name of a "$name" or "$name:int" string
// value, and whether it is sent as an integer.
func placeholder(v any) (name string, asInt, ok bool) {
	s, isString := v.(string)
	if !isString || len(s) < 2 || s[0] != '$' {
		return "", false, false
	}
	name, asInt = strings.CutSuffix(s[1:], ":int")
	return name, asInt, true
}

// Next returns the next request's variables.
func (r *Rotation) Next() map[string]any {
	i := r.next.Add(1) - 1
	out := make(map[string]any, len(r.template))
	for k, v := range r.template {
		if name, asInt, ok := placeholder(v); ok {
			if list := r.lists[name]; len(list) > 0 {
				item := list[i%uint64(len(list))]
				out[k] = item
				if n, err := strconv.Atoi(item); asInt && err == nil {
					out[k] = n
				}
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
