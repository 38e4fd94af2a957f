package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/societyregistry/registry/registry/rules"
)

// Election fills posts of a term by ballot, held in an assembly session
// or a council meeting whose participants are its voters: its method,
// threshold, write-ins, contest margin (差额) and rounds are fixed when it
// is created, from the rules of the term's organization unless given.
type Election struct{ ent.Schema }

// Mixin of the Election.
func (Election) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Election.
func (Election) Fields() []ent.Field {
	return []ent.Field{
		field.Int("term_id").Comment("the term whose posts it fills, PLANNED or ACTIVE"),
		field.Int("meeting_id").Comment("the assembly session or meeting whose participants vote"),
		field.String("title").NotEmpty().MaxLen(800),
		field.Enum("method").Values("FOR_AGAINST", "PLURALITY", "APPROVAL").Default("FOR_AGAINST"),
		field.JSON("threshold", &rules.Threshold{}).Optional().
			Comment("what a candidate's FOR votes must meet; none for plurality or approval without one"),
		field.Bool("write_ins").Default(false).Comment("voters may write in names not on the ballot"),
		field.JSON("contest_margin", &rules.Fraction{}).Optional().
			Comment("set on a contested election (差额): candidates must outnumber seats by this share"),
		field.Int("max_rounds").Positive().Comment("the last round any post may hold"),
		field.Bool("double_entry").Default(false).Comment("two tellers enter every paper ballot, and they must agree"),
		field.Enum("status").Values("NOMINATING", "VOTING", "COUNTED", "CERTIFIED").Default("NOMINATING"),
		field.Time("certified_at").Optional().Nillable(),
		field.String("certified_by").Optional().Nillable().MaxLen(256),
	}
}

// Edges of the Election.
func (Election) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("term", Term.Type).Field("term_id").Unique().Required(),
		edge.To("meeting", Meeting.Type).Field("meeting_id").Unique().Required(),
		edge.To("posts", ElectionPost.Type),
		edge.To("candidates", Candidate.Type),
		edge.To("rounds", Round.Type),
		edge.From("grants", Grant.Type).Ref("election"),
		edge.From("appointments", Appointment.Type).Ref("election"),
	}
}

// Indexes of the Election.
func (Election) Indexes() []ent.Index {
	return []ent.Index{index.Fields("term_id"), index.Fields("meeting_id")}
}

// ElectionPost is one post an election fills, with the seats it fills:
// an election of officers fills the president's, the vice presidents'
// and the secretary-general's; each post is balloted and counted on its
// own.
type ElectionPost struct{ ent.Schema }

// Fields of the ElectionPost.
func (ElectionPost) Fields() []ent.Field {
	return []ent.Field{
		field.Int("election_id"),
		field.Int("post_id"),
		field.Int("seats").Positive(),
	}
}

// Edges of the ElectionPost.
func (ElectionPost) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("election", Election.Type).Ref("posts").Field("election_id").Unique().Required(),
		edge.To("post", Post.Type).Field("post_id").Unique().Required(),
		edge.To("candidates", Candidate.Type),
		edge.To("rounds", Round.Type),
	}
}

// Indexes of the ElectionPost: an election fills a post once.
func (ElectionPost) Indexes() []ent.Index {
	return []ent.Index{index.Fields("election_id", "post_id").Unique()}
}
