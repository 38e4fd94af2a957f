package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Post is a kind of seat in an organization: president, chair, member.
type Post struct{ ent.Schema }

// Mixin of the Post.
func (Post) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Post.
func (Post) Fields() []ent.Field {
	return []ent.Field{
		field.Int("organization_id"),
		field.String("title").NotEmpty().MaxLen(400),
		field.Int("rank").NonNegative().Comment("rosters list lower ranks first"),
		field.Int("seats").Positive().Comment("how many people may hold the post at once"),
		field.Bool("leadership").Default(false).
			Comment("the consecutive-term and age limits of the rules apply"),
	}
}

// Edges of the Post.
func (Post) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("organization", Organization.Type).Ref("posts").Field("organization_id").Unique().Required(),
		edge.To("appointments", Appointment.Type),
	}
}

// Indexes of the Post.
func (Post) Indexes() []ent.Index {
	return []ent.Index{index.Fields("organization_id", "rank")}
}

// Annotations of the Post.
func (Post) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Checks(map[string]string{"post_seats": "seats > 0"})}
}
