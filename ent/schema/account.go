package schema

import (
	"regexp"

	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Account is who may use the API: a role, the organizations a branch
// secretary is scoped to, and hashed API tokens.
type Account struct{ ent.Schema }

// Mixin of the Account.
func (Account) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Account.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().MaxLen(64).Match(regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]*$`)),
		field.Enum("role").Values("ADMIN", "SECRETARIAT", "BRANCH_SECRETARY", "READER"),
		field.Bool("disabled").Default(false).Comment("a disabled account's tokens authenticate nobody"),
	}
}

// Edges of the Account.
func (Account) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("scopes", Organization.Type).
			Comment("the organizations a BRANCH_SECRETARY keeps, with their sub-organizations"),
		edge.To("tokens", Token.Type),
	}
}
