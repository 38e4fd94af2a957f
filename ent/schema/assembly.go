package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Assembly is the member representative assembly of one term of the
// association: its seats are apportioned to constituencies and filled by
// representatives, and it sits in numbered sessions (Meetings).
type Assembly struct{ ent.Schema }

// Mixin of the Assembly.
func (Assembly) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Assembly.
func (Assembly) Fields() []ent.Field {
	return []ent.Field{
		field.Int("term_id").Comment("the association's term; one assembly per term"),
		field.String("name").NotEmpty().MaxLen(800),
		field.Int("seats").Positive().Comment("representatives to apportion"),
		field.Time("apportioned_on").Optional().Nillable().SchemaType(dateType).
			Comment("the day whose active members the apportionment counted"),
	}
}

// Edges of the Assembly.
func (Assembly) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("term", Term.Type).Field("term_id").Unique().Required(),
		edge.To("constituencies", Constituency.Type),
		edge.To("participants", Participant.Type),
		edge.To("sessions", Meeting.Type),
	}
}

// Indexes of the Assembly: one assembly per term.
func (Assembly) Indexes() []ent.Index {
	return []ent.Index{index.Fields("term_id").Unique()}
}

// Constituency is a branch or a unit member that sends representatives to
// an assembly, with its active members when seats were apportioned, the
// seats the largest-remainder method gave it, and the seats it has after
// the secretariat's adjustment.
type Constituency struct{ ent.Schema }

// Mixin of the Constituency.
func (Constituency) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Constituency.
func (Constituency) Fields() []ent.Field {
	return []ent.Field{
		field.Int("assembly_id"),
		field.Int("organization_id").Optional().Nillable().Comment("an academic branch or special committee"),
		field.Int("institution_id").Optional().Nillable().Comment("a unit member"),
		field.String("name").NotEmpty().MaxLen(800),
		field.Int("active_members").NonNegative(),
		field.Int("computed_seats").NonNegative().Comment("what the apportionment gave"),
		field.Int("seats").NonNegative().Comment("after any adjustment"),
		field.String("adjust_reason").Optional().Nillable().MaxLen(2000),
		field.String("arithmetic").Default("").MaxLen(2000).Comment("how the apportionment computed its seats"),
	}
}

// Edges of the Constituency.
func (Constituency) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assembly", Assembly.Type).Ref("constituencies").Field("assembly_id").Unique().Required(),
		edge.To("organization", Organization.Type).Field("organization_id").Unique(),
		edge.To("institution", Institution.Type).Field("institution_id").Unique(),
	}
}

// Indexes of the Constituency: a body is one constituency of an assembly.
func (Constituency) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assembly_id", "organization_id").Unique(),
		index.Fields("assembly_id", "institution_id").Unique(),
	}
}
