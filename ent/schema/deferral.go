package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Deferral is an approved postponement of a term's succession: the term
// stays active past its planned end until the day given, for a reason,
// on someone's approval. A term may be deferred more than once, each
// time to a later day; all deferrals are kept.
type Deferral struct{ ent.Schema }

// Mixin of the Deferral.
func (Deferral) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Deferral.
func (Deferral) Fields() []ent.Field {
	return []ent.Field{
		field.Int("term_id"),
		field.Time("until").SchemaType(dateType).Comment("the succession is due by this day, exclusive"),
		field.String("reason").NotEmpty().MaxLen(2000),
		field.String("approver").NotEmpty().MaxLen(800).Comment("who approved it: a body or a person, as written"),
	}
}

// Edges of the Deferral.
func (Deferral) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("term", Term.Type).Ref("deferrals").Field("term_id").Unique().Required(),
	}
}

// Indexes of the Deferral.
func (Deferral) Indexes() []ent.Index {
	return []ent.Index{index.Fields("term_id", "until")}
}
