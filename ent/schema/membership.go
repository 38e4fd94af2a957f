package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// MembershipStatuses is the closed set of membership statuses.
var MembershipStatuses = []string{"APPLICANT", "ACTIVE", "SUSPENDED", "LAPSED", "EXPELLED", "DECEASED"}

// Membership is a person's (INDIVIDUAL) or an institution's (UNIT)
// membership of the association.
type Membership struct{ ent.Schema }

// Mixin of the Membership.
func (Membership) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Membership.
func (Membership) Fields() []ent.Field {
	return []ent.Field{
		field.String("member_number").NotEmpty().MaxLen(32).Unique(),
		field.Enum("kind").Values("INDIVIDUAL", "UNIT"),
		field.Enum("status").Values(MembershipStatuses...),
		field.Time("joined_on").SchemaType(dateType),
		field.Time("left_on").Optional().Nillable().SchemaType(dateType),
		field.Int("person_id").Optional().Nillable().Unique(),
		field.Int("institution_id").Optional().Nillable().Unique(),
	}
}

// Edges of the Membership.
func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("membership").Field("person_id").Unique(),
		edge.From("institution", Institution.Type).Ref("membership").Field("institution_id").Unique(),
		edge.To("status_changes", StatusChange.Type),
	}
}

// Indexes of the Membership.
func (Membership) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "kind")}
}

// Annotations of the Membership: exactly one holder, matching the kind.
func (Membership) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Checks(map[string]string{
			"membership_holder": "(kind = 'INDIVIDUAL' AND person_id IS NOT NULL AND institution_id IS NULL) OR " +
				"(kind = 'UNIT' AND institution_id IS NOT NULL AND person_id IS NULL)",
		}),
	}
}
