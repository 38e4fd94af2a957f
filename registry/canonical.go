package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// canonicalTime is how instants are written in hashed data: UTC with
// microseconds, the precision PostgreSQL keeps.
const canonicalTime = "2006-01-02T15:04:05.000000Z"

// Canonical encodes v as canonical JSON, the bytes the audit chain
// hashes: object keys sorted, no insignificant space, integers as
// integers, instants in UTC with microseconds, calendar days (midnight
// UTC) as YYYY-MM-DD. It accepts nil, bool, string, the integer types,
// json.Number, time.Time, pointers to those, []any, []string, []int and
// map[string]any; anything else (floats included) is an error.
func Canonical(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeCanonical(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeCanonical(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		s, _ := json.Marshal(x) // a string always encodes
		b.Write(s)
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err != nil {
			return fmt.Errorf("registry: canonical: %s is not an integer", x)
		}
		b.WriteString(string(x))
	case time.Time:
		return writeCanonical(b, canonicalInstant(x))
	case *string:
		return writeCanonical(b, deref(x))
	case *int:
		return writeCanonical(b, deref(x))
	case *time.Time:
		return writeCanonical(b, deref(x))
	case []string:
		return writeCanonicalList(b, len(x), func(i int) any { return x[i] })
	case []int:
		return writeCanonicalList(b, len(x), func(i int) any { return x[i] })
	case []any:
		return writeCanonicalList(b, len(x), func(i int) any { return x[i] })
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			_ = writeCanonical(b, k)
			b.WriteByte(':')
			if err := writeCanonical(b, x[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		if s, ok := v.(fmt.Stringer); ok { // ent's enum types
			return writeCanonical(b, s.String())
		}
		return fmt.Errorf("registry: canonical: cannot encode %T", v)
	}
	return nil
}

func writeCanonicalList(b *bytes.Buffer, n int, at func(int) any) error {
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeCanonical(b, at(i)); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}

// canonicalInstant writes a calendar day (midnight UTC) as YYYY-MM-DD
// and any other instant in UTC with microseconds.
func canonicalInstant(t time.Time) string {
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format(DateLayout)
	}
	return t.UTC().Truncate(time.Microsecond).Format(canonicalTime)
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// decodeCanonical parses canonical JSON back into the values Canonical
// accepts, keeping integers exact.
func decodeCanonical(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
