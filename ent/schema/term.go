package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Term is one numbered term of office (届) of an organization. Its dates are
// half-open: [starts_on, ends_on).
type Term struct{ ent.Schema }

// Mixin of the Term.
func (Term) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Term.
func (Term) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id"),
		field.Int("ordinal").Positive(),
		field.String("name").Default("").MaxLen(800),
		field.Time("starts_on").SchemaType(dateType).Comment("planned, and actual once active"),
		field.Time("ends_on").SchemaType(dateType).Comment("planned end, exclusive"),
		field.Time("actual_end").Optional().Nillable().SchemaType(dateType).
			Comment("the day the term actually ended, exclusive; set when it ends"),
		field.Enum("status").Values("PLANNED", "ACTIVE", "ENDED").Default("PLANNED"),
	}
}

// Edges of the Term.
func (Term) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).Ref("terms").Field("organization_id").Unique().Required(),
		edge.To("appointments", Appointment.Type),
		edge.To("deferrals", Deferral.Type),
	}
}

// Indexes of the Term: one ordinal per organization, and at most one ACTIVE
// term per organization (a partial unique index, on both databases).
func (Term) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("organization_id", "ordinal").Unique(),
		index.Fields("organization_id").Unique().
			Annotations(entsql.IndexWhere("status = 'ACTIVE'")).StorageKey("term_one_active_per_organization"),
		index.Fields("status", "ends_on"),
	}
}

// Annotations of the Term.
func (Term) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entsql.Checks(map[string]string{
			"term_dates": "starts_on < ends_on",
		}),
	}
}
