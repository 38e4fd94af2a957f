package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
)

func (b *builder) membershipType() *graphql.Object {
	src := func(v interface{}) *ent.Membership { return v.(*ent.Membership) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Membership",
		Description: "A person's or an institution's membership of the association.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("Membership", func(v interface{}) int { return src(v).ID }),
				"memberNumber": field(nonNullString, "The member number, unique in the association.",
					func(v interface{}) interface{} { return src(v).MemberNumber }),
				"kind": field(nonNull(b.enums.membershipKind), "Individual or unit.",
					func(v interface{}) interface{} { return src(v).Kind }),
				"status": field(nonNull(b.enums.membershipStatus), "The status today.",
					func(v interface{}) interface{} { return src(v).Status }),
				"joinedOn": field(nonNull(b.date), "The day the member joined.",
					func(v interface{}) interface{} { return src(v).JoinedOn }),
				"leftOn": field(b.date, "The day the membership ended, if it has.",
					func(v interface{}) interface{} { return src(v).LeftOn }),
				"person": related(b.objects["Person"], "The member, for an individual membership.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Person] { return l.Person },
					func(v interface{}) int { return orZero(src(v).PersonID) }),
				"institution": related(b.objects["Institution"], "The member, for a unit membership.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Institution] { return l.Institution },
					func(v interface{}) int { return orZero(src(v).InstitutionID) }),
				"history": guarded(listField(b.connections["StatusChange"], "The status history, in the order the changes took effect.", nil,
					func(l *loader.Loaders) *loader.ListLoader[*ent.StatusChange] { return l.MembershipHistory },
					func(v interface{}) int { return src(v).ID }, nil), inDirectory),
			}
		}),
	})
}

func (b *builder) statusChangeType() *graphql.Object {
	src := func(v interface{}) *ent.StatusChange { return v.(*ent.StatusChange) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "StatusChange",
		Description: "One move of a membership from one status to another.",
		Fields: graphql.Fields{
			"fromStatus": field(b.enums.membershipStatus, "The status before; null for a membership's first status.",
				func(v interface{}) interface{} {
					// The enum matches values by Go type: speak membership.Status.
					if s := src(v).FromStatus; s != nil {
						return membershipStatus(string(*s))
					}
					return nil
				}),
			"toStatus": field(nonNull(b.enums.membershipStatus), "The status after.",
				func(v interface{}) interface{} { return membershipStatus(string(src(v).ToStatus)) }),
			"effectiveOn": field(nonNull(b.date), "The day the change took effect.",
				func(v interface{}) interface{} { return src(v).EffectiveOn }),
			"reason": field(nonNullString, "Why, as recorded.",
				func(v interface{}) interface{} { return src(v).Reason }),
			"recordedAt": field(nonNull(b.dateTime), "When the change was recorded.",
				func(v interface{}) interface{} { return src(v).RecordedAt }),
		},
	})
}
