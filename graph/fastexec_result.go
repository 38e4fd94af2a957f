package graph

import (
	"bytes"
	"encoding/json"
)

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
