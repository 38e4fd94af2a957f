package graph

import (
	"time"

	"github.com/graphql-go/graphql"
	"github.com/graphql-go/graphql/language/ast"

	"github.com/societyregistry/registry/registry"
)

func serializeDate(v interface{}) interface{} {
	switch t := v.(type) {
	case time.Time:
		return t.Format(registry.DateLayout)
	case *time.Time:
		if t == nil {
			return nil
		}
		return t.Format(registry.DateLayout)
	}
	return nil
}

func parseDate(v interface{}) interface{} {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	t, err := registry.ParseDate(s)
	if err != nil {
		return nil
	}
	return t
}

func serializeDateTime(v interface{}) interface{} {
	switch t := v.(type) {
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano)
	case *time.Time:
		if t == nil {
			return nil
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	return nil
}

func parseDateTime(v interface{}) interface{} {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	return t
}

func literal(parse func(interface{}) interface{}) func(ast.Value) interface{} {
	return func(v ast.Value) interface{} {
		if s, ok := v.(*ast.StringValue); ok {
			return parse(s.Value)
		}
		return nil
	}
}

// newScalars returns the Date and DateTime scalars.
func newScalars() (date, dateTime *graphql.Scalar) {
	date = graphql.NewScalar(graphql.ScalarConfig{
		Name:         "Date",
		Description:  "A calendar day, written YYYY-MM-DD. Dates of office are half-open: a term or appointment runs from its start day up to, not including, its end day.",
		Serialize:    serializeDate,
		ParseValue:   parseDate,
		ParseLiteral: literal(parseDate),
	})
	dateTime = graphql.NewScalar(graphql.ScalarConfig{
		Name:         "DateTime",
		Description:  "An instant, written in RFC 3339 in UTC.",
		Serialize:    serializeDateTime,
		ParseValue:   parseDateTime,
		ParseLiteral: literal(parseDateTime),
	})
	return date, dateTime
}
