package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Candidate is a person nominated for a post of an election, with who
// nominated them and when, and the eligibility checks they passed; or a
// name written in on ballots that the count made a candidate, which
// names no person until certification says who it is.
type Candidate struct{ ent.Schema }

// Mixin of the Candidate.
func (Candidate) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Candidate.
func (Candidate) Fields() []ent.Field {
	return []ent.Field{
		field.Int("election_id"),
		field.Int("election_post_id"),
		field.Int("person_id").Optional().Nillable().Comment("none for a name written in"),
		field.String("name").NotEmpty().MaxLen(400).Comment("as printed on the ballot, or as written in"),
		field.Bool("write_in").Default(false),
		field.String("nominated_by").MaxLen(800).Comment("who nominated: the presidium, ten representatives jointly, ..."),
		field.Time("nominated_on").SchemaType(dateType),
		field.String("recorded_by").MaxLen(256).Comment("who entered the nomination"),
		field.Text("eligibility").Default("").Comment("the checks passed at nomination, one per line"),
		field.Enum("status").Values("NOMINATED", "WITHDRAWN", "ELECTED", "NOT_ELECTED").Default("NOMINATED"),
		field.Int("elected_in_round").Optional().Nillable(),
		field.String("withdraw_reason").Optional().Nillable().MaxLen(2000),
	}
}

// Edges of the Candidate.
func (Candidate) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("election", Election.Type).Ref("candidates").Field("election_id").Unique().Required(),
		edge.From("election_post", ElectionPost.Type).Ref("candidates").Field("election_post_id").Unique().Required(),
		edge.To("person", Person.Type).Field("person_id").Unique(),
		edge.From("rounds", Round.Type).Ref("candidates"),
	}
}

// Indexes of the Candidate: a person stands for a post of an election
// once.
func (Candidate) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("election_post_id", "person_id").Unique(),
		index.Fields("election_id", "person_id"),
	}
}
