package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Token is one API token of an account. Only the SHA-256 of the token is
// stored; the token itself is shown once, when it is made.
type Token struct{ ent.Schema }

// Fields of the Token.
func (Token) Fields() []ent.Field {
	return []ent.Field{
		field.Int("account_id"),
		field.String("hash").Unique().MinLen(64).MaxLen(64).Sensitive().Comment("hex SHA-256 of the token"),
		field.String("hint").MaxLen(16).Comment("the token's first characters, to tell tokens apart"),
		field.String("label").Default("").MaxLen(400),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges of the Token.
func (Token) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("account", Account.Type).Ref("tokens").Field("account_id").Unique().Required(),
	}
}

// Indexes of the Token.
func (Token) Indexes() []ent.Index { return []ent.Index{index.Fields("account_id")} }
