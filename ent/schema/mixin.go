// Package schema declares the registry's entities for ent, one file per
// entity.
package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// TimeMixin records when a row was created and last changed.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
	}
}

// dateType stores a calendar day as SQL DATE on both dialects. Values are
// kept as midnight UTC in Go, so comparisons agree on SQLite (text) and
// PostgreSQL (date).
var dateType = map[string]string{dialect.SQLite: "date", dialect.Postgres: "date"}

// Text limits: ent's MaxLen counts bytes, the API's input rules count
// characters; a Chinese character takes three bytes in UTF-8, so the
// schema allows four bytes for every character the input rules allow.
