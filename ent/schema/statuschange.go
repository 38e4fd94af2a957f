package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// StatusChange is one row of a membership's status history: a move from
// one status to another, effective on a day, with its reason.
type StatusChange struct{ ent.Schema }

// Fields of the StatusChange.
func (StatusChange) Fields() []ent.Field {
	return []ent.Field{
		field.Int("membership_id"),
		field.Enum("from_status").Values(MembershipStatuses...).Optional().Nillable().
			Comment("empty for the first status of a membership"),
		field.Enum("to_status").Values(MembershipStatuses...),
		field.Time("effective_on").SchemaType(dateType),
		field.String("reason").Default("").MaxLen(2000),
		field.Time("recorded_at").Default(time.Now).Immutable(),
	}
}

// Edges of the StatusChange.
func (StatusChange) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("membership", Membership.Type).Ref("status_changes").Field("membership_id").Unique().Required(),
	}
}

// Indexes of the StatusChange.
func (StatusChange) Indexes() []ent.Index {
	return []ent.Index{index.Fields("membership_id", "effective_on")}
}
