package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Round is one round of ballots for one post of an election: its seats
// and candidates, the voters entitled when it opened, the ballots issued
// (paper, and ballot codes), the head of its ballots' hash chain, and,
// once closed, the count as the tally made it and its report. A closed
// round and its ballots are never changed again.
type Round struct{ ent.Schema }

// Mixin of the Round.
func (Round) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Round.
func (Round) Fields() []ent.Field {
	return []ent.Field{
		field.Int("election_id"),
		field.Int("election_post_id"),
		field.Int("number").Positive(),
		field.Int("seats").Positive(),
		field.Enum("status").Values("OPEN", "CLOSED").Default("OPEN"),
		field.Int("entitled").NonNegative().Comment("voters snapshotted when it opened"),
		field.Int("issued").Default(0).NonNegative().Comment("paper ballots issued"),
		field.Int("codes").Default(0).NonNegative().Comment("ballot codes issued"),
		field.Int("entries").Default(0).NonNegative().Comment("ballot entries so far: the chain's length"),
		field.String("chain_head").Default("").MaxLen(64).Comment("hash of the last ballot entry"),
		field.Time("opened_at"),
		field.String("opened_by").MaxLen(256),
		field.Time("closed_at").Optional().Nillable(),
		field.String("closed_by").Optional().Nillable().MaxLen(256),
		field.Int("returned").Optional().Nillable(),
		field.Int("valid").Optional().Nillable(),
		field.Bool("void").Default(false),
		field.Text("config").Optional().Nillable().Comment("the round as counted, canonical JSON"),
		field.Text("result").Optional().Nillable().Comment("the count, canonical JSON"),
		field.Text("report").Optional().Nillable().Comment("the count in words with its arithmetic"),
	}
}

// Edges of the Round.
func (Round) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("election", Election.Type).Ref("rounds").Field("election_id").Unique().Required(),
		edge.From("election_post", ElectionPost.Type).Ref("rounds").Field("election_post_id").Unique().Required(),
		edge.To("candidates", Candidate.Type).Comment("the names on its ballot"),
		edge.To("voters", RoundVoter.Type),
		edge.To("ballots", Ballot.Type),
		edge.To("codes_issued", BallotCode.Type),
		edge.To("codes_spent", SpentCode.Type),
	}
}

// Indexes of the Round: rounds of a post are numbered once.
func (Round) Indexes() []ent.Index {
	return []ent.Index{index.Fields("election_post_id", "number").Unique(), index.Fields("election_id")}
}

// RoundVoter is one voter entitled to a round, snapshotted from the
// meeting's participants when it opened, and whether a ballot code was
// issued to them. Which code is never recorded.
type RoundVoter struct{ ent.Schema }

// Fields of the RoundVoter.
func (RoundVoter) Fields() []ent.Field {
	return []ent.Field{
		field.Int("round_id"),
		field.Int("participant_id"),
		field.Bool("code_issued").Default(false),
	}
}

// Edges of the RoundVoter.
func (RoundVoter) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("round", Round.Type).Ref("voters").Field("round_id").Unique().Required(),
		edge.To("participant", Participant.Type).Field("participant_id").Unique().Required(),
	}
}

// Indexes of the RoundVoter: a participant is entitled once per round.
func (RoundVoter) Indexes() []ent.Index {
	return []ent.Index{index.Fields("round_id", "participant_id").Unique(), index.Fields("participant_id")}
}

// BallotCode is a one-time code for casting one ballot of a round
// electronically: only its hash is kept, with no link to the voter it
// was issued to. Its row is written when the code is issued and never
// again: its use is a SpentCode, so that nothing of the row (on
// PostgreSQL, its xmin, the transaction that last wrote it) ties the
// code, and whoever was issued it, to the ballot cast with it.
type BallotCode struct{ ent.Schema }

// Fields of the BallotCode.
func (BallotCode) Fields() []ent.Field {
	return []ent.Field{
		field.Int("round_id"),
		field.String("hash").Unique().MaxLen(64).Sensitive().Comment("SHA-256 of the code, hex"),
	}
}

// Edges of the BallotCode.
func (BallotCode) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("round", Round.Type).Ref("codes_issued").Field("round_id").Unique().Required(),
	}
}

// Indexes of the BallotCode.
func (BallotCode) Indexes() []ent.Index {
	return []ent.Index{index.Fields("round_id")}
}

// SpentCode is a ballot code used, written by the transaction that casts
// its ballot, under another hash of the code than its BallotCode's: only
// the code's holder can tie the two rows, so the ballot stays unlinked
// to the code issued.
type SpentCode struct{ ent.Schema }

// Fields of the SpentCode.
func (SpentCode) Fields() []ent.Field {
	return []ent.Field{
		field.Int("round_id"),
		field.String("hash").Unique().MaxLen(64).Sensitive().Comment(`SHA-256 of "spent:" and the code, hex`),
	}
}

// Edges of the SpentCode.
func (SpentCode) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("round", Round.Type).Ref("codes_spent").Field("round_id").Unique().Required(),
	}
}

// Indexes of the SpentCode.
func (SpentCode) Indexes() []ent.Index {
	return []ent.Index{index.Fields("round_id")}
}
