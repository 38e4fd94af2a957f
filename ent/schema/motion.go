package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/societyregistry/registry/registry/rules"
)

// Motion is a question put to a meeting or assembly session, and its one
// vote: the threshold and quorum its kind takes from the rules, the
// voters snapshotted when the vote opened, and the counts and result
// computed from the stored votes when it closed. A closed motion is never
// changed again.
type Motion struct{ ent.Schema }

// Mixin of the Motion.
func (Motion) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Motion.
func (Motion) Fields() []ent.Field {
	return []ent.Field{
		field.Int("meeting_id"),
		field.Int("number").Positive().Comment("the motion's number in its meeting"),
		field.String("title").NotEmpty().MaxLen(800),
		field.Text("text").Default(""),
		field.String("kind").NotEmpty().MaxLen(64).Comment("a motion kind of the rules: ORDINARY, ARTICLES_AMENDMENT, ..."),
		field.Bool("secret").Default(false).Comment("a secret vote shows counts only"),
		field.JSON("threshold", rules.Threshold{}).Comment("what passing needs, from the rules when created"),
		field.JSON("quorum", rules.Threshold{}).Comment("the presence the vote needs, from the rules when created"),
		field.Enum("status").Values("DRAFT", "OPEN", "CLOSED").Default("DRAFT"),
		field.Time("opened_at").Optional().Nillable(),
		field.Time("closed_at").Optional().Nillable(),
		field.Int("entitled").Optional().Nillable().Comment("weight of the voters snapshotted at opening"),
		field.Int("present").Optional().Nillable().Comment("weight present: checked in at opening, or voted"),
		field.Int("yes").Optional().Nillable(),
		field.Int("no").Optional().Nillable(),
		field.Int("abstain").Optional().Nillable(),
		field.Int("recused").Optional().Nillable(),
		field.Int("absent").Optional().Nillable(),
		field.Int("not_voting").Optional().Nillable(),
		field.Enum("result").Values("PASSED", "FAILED", "NO_QUORUM").Optional().Nillable(),
		field.String("arithmetic").Optional().Nillable().MaxLen(4000),
	}
}

// Edges of the Motion.
func (Motion) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("meeting", Meeting.Type).Ref("motions").Field("meeting_id").Unique().Required(),
		edge.To("voters", Voter.Type),
	}
}

// Indexes of the Motion.
func (Motion) Indexes() []ent.Index {
	return []ent.Index{index.Fields("meeting_id", "number").Unique()}
}

// Voter is one entitled voter of a motion, snapshotted when its vote
// opened: the participant, their weight, and whether they were present.
type Voter struct{ ent.Schema }

// Fields of the Voter.
func (Voter) Fields() []ent.Field {
	return []ent.Field{
		field.Int("motion_id"),
		field.Int("participant_id"),
		field.Int("weight").Positive(),
		field.Bool("present").Comment("checked in when the vote opened"),
	}
}

// Edges of the Voter.
func (Voter) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("motion", Motion.Type).Ref("voters").Field("motion_id").Unique().Required(),
		edge.To("participant", Participant.Type).Field("participant_id").Unique().Required(),
		edge.To("vote", Vote.Type).Unique(),
	}
}

// Indexes of the Voter: a participant is entitled once per motion.
func (Voter) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("motion_id", "participant_id").Unique(),
		index.Fields("participant_id"),
	}
}

// Vote is the option one entitled voter chose: cast with the voter's own
// token, or entered by a clerk for a show of hands. The unique voter
// column is what makes a second vote impossible.
type Vote struct{ ent.Schema }

// Fields of the Vote.
func (Vote) Fields() []ent.Field {
	return []ent.Field{
		field.Int("voter_id").Unique(),
		field.Int("motion_id"),
		field.Enum("option").Values("YES", "NO", "ABSTAIN", "RECUSED"),
		field.String("entered_by").Optional().Nillable().MaxLen(256).Comment("the clerk who entered it; none when the voter cast it"),
		field.Time("cast_at"),
	}
}

// Edges of the Vote.
func (Vote) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("voter", Voter.Type).Ref("vote").Field("voter_id").Unique().Required(),
	}
}

// Indexes of the Vote.
func (Vote) Indexes() []ent.Index {
	return []ent.Index{index.Fields("motion_id")}
}

// Grant gives an account a role on one event beside its account role: a
// CLERK of a meeting or of every session of an assembly, or a TELLER or
// the CHIEF_TELLER of an election, naming the person who serves (a
// teller may not be a candidate).
type Grant struct{ ent.Schema }

// Mixin of the Grant.
func (Grant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Grant.
func (Grant) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id"),
		field.Enum("role").Values("CLERK", "TELLER", "CHIEF_TELLER"),
		field.Int("meeting_id").Optional().Nillable(),
		field.Int("assembly_id").Optional().Nillable(),
		field.Int("election_id").Optional().Nillable(),
		field.Int("person_id").Optional().Nillable().Comment("the person serving as a teller"),
		field.String("granted_by").MaxLen(256),
	}
}

// Edges of the Grant.
func (Grant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Field("account_id").Unique().Required(),
		edge.To("meeting", Meeting.Type).Field("meeting_id").Unique(),
		edge.To("assembly", Assembly.Type).Field("assembly_id").Unique(),
		edge.To("election", Election.Type).Field("election_id").Unique(),
		edge.To("person", Person.Type).Field("person_id").Unique(),
	}
}

// Indexes of the Grant: an account holds one role in an election.
func (Grant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "role", "meeting_id", "assembly_id").Unique(),
		index.Fields("meeting_id"),
		index.Fields("assembly_id"),
		index.Fields("election_id", "account_id").Unique(),
	}
}
