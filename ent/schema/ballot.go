package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Ballot is one entry of one ballot paper of a round, as a teller
// entered it, or one ballot a voter cast with a ballot code: its serial
// and marks in one column of canonical bytes (registry/tally's
// encoding), and its place in the round's hash chain: the link after it,
// the SHA-256 of the previous link and those bytes. Entries
// are only ever appended: a correction, or a second teller's entry of
// the same paper, is a further entry. When the round closes, the entry
// that stands for each paper is marked and given its validity.
type Ballot struct{ ent.Schema }

// Fields of the Ballot.
func (Ballot) Fields() []ent.Field {
	return []ent.Field{
		field.Int("round_id"),
		field.Int("seq").Positive().Comment("its place in the round's chain, from 1"),
		field.String("serial").NotEmpty().MaxLen(64).Comment("the number printed on the paper, or an electronic ballot's"),
		field.Int("copy").Default(1).Positive().Comment("a second paper bearing the same serial is copy 2"),
		field.Int("entry").Positive().Comment("the how-manyth entry of this paper"),
		field.Text("marks").Comment("serial, FOR, AGAINST and write-ins: the canonical bytes the chain hashes"),
		field.Bool("electronic").Default(false),
		field.String("entered_by").MaxLen(256).Comment("the teller's account, or \"ballot code\""),
		field.Int("teller_id").Optional().Nillable().Comment("the teller's account"),
		field.String("receipt_hash").Optional().Nillable().Unique().MaxLen(64).Comment("SHA-256 of an electronic ballot's receipt code"),
		field.String("hash").MaxLen(64).Comment("the chain's link after this entry, hex"),
		field.String("prev_hash").MaxLen(64).Comment("the link before it; 64 zeros for the first"),
		field.Time("entered_at"),
		field.Bool("standing").Default(false).Comment("set at close on the entry counted for its paper"),
		field.Bool("valid").Optional().Nillable(),
		field.String("reason").Optional().Nillable().MaxLen(2000),
	}
}

// Edges of the Ballot.
func (Ballot) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("round", Round.Type).Ref("ballots").Field("round_id").Unique().Required(),
	}
}

// Indexes of the Ballot.
func (Ballot) Indexes() []ent.Index {
	return []ent.Index{index.Fields("round_id", "seq").Unique(), index.Fields("round_id", "serial", "copy")}
}
