package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Appointment is a person holding a post in a term (a Popolo membership).
// Its dates are half-open: [starts_on, ends_on); no ends_on means open.
type Appointment struct{ ent.Schema }

// Mixin of the Appointment.
func (Appointment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Appointment.
func (Appointment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id"),
		field.Int("post_id"),
		field.Int("term_id"),
		field.Time("starts_on").SchemaType(dateType),
		field.Time("ends_on").Optional().Nillable().SchemaType(dateType).Comment("exclusive"),
		field.Enum("obtained_by").Values("ELECTED", "APPOINTED", "CARRIED_OVER", "EX_OFFICIO"),
		field.Enum("end_reason").Values("TERM_ENDED", "RESIGNED", "REMOVED", "DECEASED", "OTHER").
			Optional().Nillable(),
		field.Int("election_id").Optional().Nillable().Comment("the election whose certified result made it"),
	}
}

// Edges of the Appointment.
func (Appointment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("appointments").Field("person_id").Unique().Required(),
		edge.From("post", Post.Type).Ref("appointments").Field("post_id").Unique().Required(),
		edge.From("term", Term.Type).Ref("appointments").Field("term_id").Unique().Required(),
		edge.To("election", Election.Type).Field("election_id").Unique(),
	}
}

// Indexes of the Appointment: one person holds a post at most once in a term.
func (Appointment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("person_id", "post_id", "term_id").Unique(),
		index.Fields("term_id", "post_id"),
		index.Fields("post_id"),
		index.Fields("person_id", "starts_on"),
		index.Fields("election_id"),
	}
}

// Annotations of the Appointment.
func (Appointment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Checks(map[string]string{"appointment_dates": "ends_on IS NULL OR starts_on < ends_on"}),
	}
}
