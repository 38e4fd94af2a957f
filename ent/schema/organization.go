package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/societyregistry/registry/registry/rules"
)

// Organization is the association or one of its bodies: council, standing
// council, academic branch, special committee, secretariat department.
type Organization struct{ ent.Schema }

// Mixin of the Organization.
func (Organization) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Organization.
func (Organization) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("ASSOCIATION", "COUNCIL", "STANDING_COUNCIL", "ACADEMIC_BRANCH",
			"SPECIAL_COMMITTEE", "SECRETARIAT_DEPARTMENT"),
		field.String("name").NotEmpty().MaxLen(800),
		field.Int("parent_id").Optional().Nillable(),
		field.JSON("rules", rules.Rules{}).
			Comment("the articles' rules for this organization; defaults fill what is unset"),
	}
}

// Edges of the Organization.
func (Organization) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Organization.Type).From("parent").Field("parent_id").Unique(),
		edge.To("terms", Term.Type),
		edge.To("posts", Post.Type),
		edge.From("secretaries", Account.Type).Ref("scopes").
			Comment("the branch secretaries' accounts scoped to this organization"),
	}
}

// Indexes of the Organization.
func (Organization) Indexes() []ent.Index {
	return []ent.Index{index.Fields("parent_id"), index.Fields("kind"), index.Fields("name")}
}
