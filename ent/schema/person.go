package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Person is a natural person: a member, an office holder, a contact.
type Person struct{ ent.Schema }

// Mixin of the Person.
func (Person) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Person.
func (Person) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(400),
		field.Enum("gender").Values("MALE", "FEMALE", "UNDISCLOSED").Default("UNDISCLOSED"),
		field.Time("birth_date").Optional().Nillable().SchemaType(dateType).
			Comment("for the leadership age limit"),
		field.String("professional_title").Default("").MaxLen(400),
		field.String("specialty").Default("").MaxLen(400),
		field.Int("institution_id").Optional().Nillable(),
		field.String("email").Default("").MaxLen(254).Comment("private contact"),
		field.String("phone").Default("").MaxLen(32).Comment("private contact"),
		field.String("id_number").Default("").MaxLen(32).Sensitive().Comment("private identity number"),
	}
}

// Edges of the Person.
func (Person) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("institution", Institution.Type).Ref("people").Field("institution_id").Unique(),
		edge.To("membership", Membership.Type).Unique(),
		edge.To("appointments", Appointment.Type),
	}
}

// Indexes of the Person.
func (Person) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("name"),
		index.Fields("institution_id"),
		index.Fields("specialty"),
	}
}

// Annotations of the Person: the table is "people".
func (Person) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "people"}}
}
