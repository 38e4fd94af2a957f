package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// textType keeps canonical bytes verbatim on both dialects (never jsonb,
// which reorders keys).
var textType = map[string]string{dialect.SQLite: "text", dialect.Postgres: "text"}

// AuditEvent is one append-only record of a change. Events form a hash
// chain: body is the canonical encoding of the event (its fields and the
// previous event's hash), hash is the SHA-256 of body.
type AuditEvent struct{ ent.Schema }

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("seq").Unique().Positive().Immutable().Comment("position in the chain, from 1"),
		field.Time("at").Immutable(),
		field.String("actor").Immutable().Comment("the account's name, or cli:USER for the command line"),
		field.Int("account_id").Optional().Nillable().Immutable(),
		field.String("action").Immutable(),
		field.String("entity").Immutable(),
		field.Int("entity_id").Immutable(),
		field.String("before").Optional().Nillable().Immutable().SchemaType(textType).Comment("canonical JSON"),
		field.String("after").Optional().Nillable().Immutable().SchemaType(textType).Comment("canonical JSON"),
		field.String("prev_hash").Immutable(),
		field.String("hash").Immutable(),
		field.String("body").Immutable().SchemaType(textType).Comment("the exact bytes hashed"),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("entity", "entity_id"),
		index.Fields("actor"),
		index.Fields("at"),
	}
}

// AuditHead is the guard row of the audit chain: its one row holds the
// last event's position and hash, and every appending transaction
// updates it first, so appends are serialized on both databases.
type AuditHead struct{ ent.Schema }

// Fields of the AuditHead.
func (AuditHead) Fields() []ent.Field {
	return []ent.Field{
		field.String("chain").Unique().Comment("the chain's name: audit"),
		field.Int64("seq").Default(0),
		field.String("hash").Default(""),
	}
}
