package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Institution is a hospital, university, institute, company or public
// body; it may hold a unit membership.
type Institution struct{ ent.Schema }

// Mixin of the Institution.
func (Institution) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Institution.
func (Institution) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(800),
		field.Enum("kind").Values("HOSPITAL", "UNIVERSITY", "INSTITUTE", "COMPANY", "GOVERNMENT", "OTHER"),
	}
}

// Edges of the Institution.
func (Institution) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("people", Person.Type),
		edge.To("membership", Membership.Type).Unique(),
	}
}

// Indexes of the Institution.
func (Institution) Indexes() []ent.Index {
	return []ent.Index{index.Fields("name"), index.Fields("kind")}
}
