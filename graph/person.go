package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
)

// privateField is a field of private contact data. ADMIN and
// SECRETARIAT read it; a branch secretary reads it of the people who sit
// in an organization in scope, decided for a whole page at once; anyone
// else gets null with FORBIDDEN at the field.
func privateField(what string, get func(*ent.Person) string) *graphql.Field {
	return &graphql.Field{
		// Nullable: a refusal nulls this field only.
		Type: graphql.String,
		Description: what + " (private contact data): readable by ADMIN and SECRETARIAT, and by the branch secretaries of " +
			"an organization the person sits in (holds one of its posts today: begun, with no end or an end after today); null with FORBIDDEN for anyone else.",
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			per := p.Source.(*ent.Person)
			wait, err := loader.FromContext(p.Context).ReadPrivate(p.Context, per.ID)
			if err != nil {
				return nil, apiError(err)
			}
			if wait == nil {
				return get(per), nil
			}
			return func() (interface{}, error) {
				if err := wait(); err != nil {
					panic(apiError(err))
				}
				return get(per), nil
			}, nil
		},
	}
}

func (b *builder) personType() *graphql.Object {
	src := func(v interface{}) *ent.Person { return v.(*ent.Person) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Person",
		Description: "A natural person: a member, an office holder.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("Person", func(v interface{}) int { return src(v).ID }),
				"name": field(nonNullString, "Full name.",
					func(v interface{}) interface{} { return src(v).Name }),
				"gender": field(nonNull(b.enums.gender), "Gender, as recorded.",
					func(v interface{}) interface{} { return src(v).Gender }),
				"birthDate": field(b.date, "Birth date, which the leadership age limit reads.",
					func(v interface{}) interface{} { return src(v).BirthDate }),
				"professionalTitle": field(nonNullString, "Professional title, such as Chief Physician.",
					func(v interface{}) interface{} { return src(v).ProfessionalTitle }),
				"specialty": field(nonNullString, "Medical or scientific specialty.",
					func(v interface{}) interface{} { return src(v).Specialty }),
				"email":    privateField("E-mail address", func(p *ent.Person) string { return p.Email }),
				"phone":    privateField("Telephone number", func(p *ent.Person) string { return p.Phone }),
				"idNumber": privateField("Identity number, such as a resident ID card number", func(p *ent.Person) string { return p.IDNumber }),
				"institution": related(b.objects["Institution"], "Where the person works.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Institution] { return l.Institution },
					func(v interface{}) int { return orZero(src(v).InstitutionID) }),
				"membership": related(b.objects["Membership"], "The person's membership of the association, if any.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Membership] { return l.MembershipOfPerson },
					func(v interface{}) int { return src(v).ID }),
				"memberNumber": {
					Type:        graphql.String,
					Description: "The member number of the person's membership, if any.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						t := loader.FromContext(p.Context).MembershipOfPerson.Load(p.Context, src(p.Source).ID)
						return func() (interface{}, error) {
							m, err := t()
							if err != nil {
								panic(apiError(err))
							}
							if m == nil {
								return nil, nil
							}
							return m.MemberNumber, nil
						}, nil
					},
				},
				"appointments": listField(b.connections["Appointment"],
					"The person's appointments across all organizations and terms the caller may read, newest first (by start day, then newest record).",
					nil, func(l *loader.Loaders) *loader.ListLoader[*ent.Appointment] { return l.PersonAppointments },
					func(v interface{}) int { return src(v).ID }, nil),
				"tenures":      b.personTenuresField(func(v interface{}) int { return src(v).ID }),
				"votingRecord": b.personVotingRecordField(func(v interface{}) int { return src(v).ID }),
			}
		}),
	})
}
