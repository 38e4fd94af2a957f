package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
)

func (b *builder) institutionType() *graphql.Object {
	src := func(v interface{}) *ent.Institution { return v.(*ent.Institution) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Institution",
		Description: "A hospital, university, institute, company or public body; it may be a unit member.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("Institution", func(v interface{}) int { return src(v).ID }),
				"name": field(nonNullString, "Name.",
					func(v interface{}) interface{} { return src(v).Name }),
				"kind": field(nonNull(b.enums.institutionKind), "What the institution is.",
					func(v interface{}) interface{} { return src(v).Kind }),
				"membership": related(b.objects["Membership"], "The institution's unit membership, if any.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Membership] { return l.MembershipOfInstitution },
					func(v interface{}) int { return src(v).ID }),
				"people": guarded(listField(b.connections["Person"], "The people who work there, by name.", nil,
					func(l *loader.Loaders) *loader.ListLoader[*ent.Person] { return l.InstitutionPeople },
					func(v interface{}) int { return src(v).ID }, nil), inDirectory),
			}
		}),
	})
}
