package graph

import (
	"fmt"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// asOfArg is the argument of every roster that can be read as of a day.
func (b *builder) asOfArg(description string) graphql.FieldConfigArgument {
	return graphql.FieldConfigArgument{"asOf": {Type: b.date, Description: description}}
}

// dayArg reads a Date argument, reporting whether it was given. A value
// that is no day never gets here: validation refuses it.
func dayArg(p graphql.ResolveParams, name string) (time.Time, bool, error) {
	v, given := p.Args[name]
	if !given || v == nil {
		return time.Time{}, false, nil
	}
	t, ok := v.(time.Time)
	if !ok {
		return time.Time{}, false, registry.E(registry.Invalid, name, "%s must be a date in the form YYYY-MM-DD", name)
	}
	return t, true, nil
}

// asOfFilter reads a roster's asOf argument as its list filter; def
// gives the filter when the client named no day.
func asOfFilter(def func() string) func(graphql.ResolveParams) (string, error) {
	return func(p graphql.ResolveParams) (string, error) {
		t, ok, err := dayArg(p, "asOf")
		if err != nil || !ok {
			return def(), err
		}
		return loader.FormatDay(t), nil
	}
}

func (b *builder) organizationType() *graphql.Object {
	src := func(v interface{}) *ent.Organization { return v.(*ent.Organization) }
	own := inOrganization(func(v interface{}) int { return src(v).ID })
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Organization",
		Description: "The association or one of its bodies: council, standing council, academic branch, special committee, secretariat department. " +
			"A branch secretary reads the organizations in scope and their sub-organizations, with their terms, posts and appointments; any other is FORBIDDEN.",
		Interfaces: []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("Organization", func(v interface{}) int { return src(v).ID }),
				"kind": field(nonNull(b.enums.organizationKind), "What the organization is.",
					func(v interface{}) interface{} { return src(v).Kind }),
				"name": field(nonNullString, "Name.",
					func(v interface{}) interface{} { return src(v).Name }),
				"parent": related(b.objects["Organization"], "The organization this one belongs to; null for the association, and null with FORBIDDEN when the caller may not read it.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Organization] { return l.Organization },
					func(v interface{}) int { return orZero(src(v).ParentID) }),
				"rules": {
					Type:        nonNull(b.rulesType()),
					Description: "The organization's rules from the articles, defaults filled in for what it does not set.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						o := src(p.Source)
						return registry.RulesOf(o), nil
					},
				},
				"children": guarded(listField(b.connections["Organization"], "Sub-organizations, by name.",
					graphql.FieldConfigArgument{"kind": {Type: b.enums.organizationKind, Description: "Only sub-organizations of this kind."}},
					func(l *loader.Loaders) *loader.ListLoader[*ent.Organization] { return l.OrganizationChildren },
					func(v interface{}) int { return src(v).ID },
					func(p graphql.ResolveParams) (string, error) {
						if k, ok := p.Args["kind"]; ok && k != nil {
							return fmt.Sprint(k), nil
						}
						return "", nil
					}), own),
				"terms": guarded(listField(b.connections["Term"], "Terms of office, newest first.", nil,
					func(l *loader.Loaders) *loader.ListLoader[*ent.Term] { return l.OrganizationTerms },
					func(v interface{}) int { return src(v).ID }, nil), own),
				"currentTerm": related(b.objects["Term"], "The ACTIVE term, if any (it may be past its planned end: see endsOn).",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.CurrentTerm },
					func(v interface{}) int { return src(v).ID }),
				"posts": guarded(listField(b.connections["Post"], "Posts, by rank.", nil,
					func(l *loader.Loaders) *loader.ListLoader[*ent.Post] { return l.OrganizationPosts },
					func(v interface{}) int { return src(v).ID }, nil), own),
				"roster": guarded(listField(b.connections["Appointment"],
					"Who held the organization's posts on a day, whatever the term: ordered by post rank, then name.",
					b.asOfArg("The day (default: today). Appointments run from their start day up to, not including, their end day."),
					func(l *loader.Loaders) *loader.ListLoader[*ent.Appointment] { return l.OrganizationRoster },
					func(v interface{}) int { return src(v).ID },
					asOfFilter(b.today)), own),
			}
		}),
	})
}

func (b *builder) termType() *graphql.Object {
	src := func(v interface{}) *ent.Term { return v.(*ent.Term) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Term",
		Description: "One numbered term of office (届) of an organization. Its dates are half-open: [startsOn, endsOn).",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			fields := b.termSuccessionFields(func(v interface{}) int { return src(v).ID })
			for name, f := range b.meetingTermFields(func(v interface{}) int { return src(v).ID }, func(v interface{}) int { return src(v).OrganizationID }) {
				fields[name] = f
			}
			for name, f := range b.electionTermFields(func(v interface{}) int { return src(v).ID }) {
				fields[name] = f
			}
			for name, f := range (graphql.Fields{
				"id": idField("Term", func(v interface{}) int { return src(v).ID }),
				"organization": related(b.objects["Organization"], "The organization the term belongs to.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Organization] { return l.Organization },
					func(v interface{}) int { return src(v).OrganizationID }),
				"ordinal": field(nonNullInt, "The term's number: 2 for the second council.",
					func(v interface{}) interface{} { return src(v).Ordinal }),
				"name": field(nonNullString, "The term's name, such as The Second Council.",
					func(v interface{}) interface{} { return src(v).Name }),
				"startsOn": field(nonNull(b.date), "The first day of the term.",
					func(v interface{}) interface{} { return src(v).StartsOn }),
				"endsOn": field(nonNull(b.date), "The planned end: the first day after the term.",
					func(v interface{}) interface{} { return src(v).EndsOn }),
				"actualEnd": field(b.date, "The day the term actually ended (exclusive), once it has.",
					func(v interface{}) interface{} { return src(v).ActualEnd }),
				"status": field(nonNull(b.enums.termStatus), "Planned, active or ended.",
					func(v interface{}) interface{} { return src(v).Status }),
				"overdue": {
					Type:        nonNullBool,
					Description: "Whether the term is still active past its planned end (succession is due).",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						t := src(p.Source)
						return t.Status == "ACTIVE" && !b.deps.Clock.Today().Before(t.EndsOn), nil
					},
				},
				"appointments": guarded(listField(b.connections["Appointment"],
					"The term's roster, ordered by post rank, then name: every appointment of the term, or only those held on asOf.",
					b.asOfArg("Only appointments held on this day."),
					func(l *loader.Loaders) *loader.ListLoader[*ent.Appointment] { return l.TermAppointments },
					func(v interface{}) int { return src(v).ID },
					asOfFilter(func() string { return "" })),
					inOrganization(func(v interface{}) int { return src(v).OrganizationID })),
			}) {
				fields[name] = f
			}
			return fields
		}),
	})
}

func (b *builder) postType() *graphql.Object {
	src := func(v interface{}) *ent.Post { return v.(*ent.Post) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Post",
		Description: "A kind of seat in an organization: president, chair, member.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("Post", func(v interface{}) int { return src(v).ID }),
				"organization": related(b.objects["Organization"], "The organization the post belongs to.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Organization] { return l.Organization },
					func(v interface{}) int { return src(v).OrganizationID }),
				"title": field(nonNullString, "Title, such as Vice Chair.",
					func(v interface{}) interface{} { return src(v).Title }),
				"rank": field(nonNullInt, "Rosters list lower ranks first.",
					func(v interface{}) interface{} { return src(v).Rank }),
				"seats": field(nonNullInt, "How many people may hold the post at once.",
					func(v interface{}) interface{} { return src(v).Seats }),
				"leadership": field(nonNullBool, "Whether the rules' consecutive-term and age limits apply.",
					func(v interface{}) interface{} { return src(v).Leadership }),
			}
		}),
	})
}

func (b *builder) appointmentType() *graphql.Object {
	src := func(v interface{}) *ent.Appointment { return v.(*ent.Appointment) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Appointment",
		Description: "A person holding a post in a term, from startsOn up to, not including, endsOn.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id": idField("Appointment", func(v interface{}) int { return src(v).ID }),
				"person": related(b.objects["Person"], "Who holds the post.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Person] { return l.Person },
					func(v interface{}) int { return src(v).PersonID }),
				"post": related(b.objects["Post"], "The post held.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Post] { return l.Post },
					func(v interface{}) int { return src(v).PostID }),
				"term": related(b.objects["Term"], "The term it belongs to.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
					func(v interface{}) int { return src(v).TermID }),
				"startsOn": field(nonNull(b.date), "The first day held.",
					func(v interface{}) interface{} { return src(v).StartsOn }),
				"endsOn": field(b.date, "The first day no longer held; null while open.",
					func(v interface{}) interface{} { return src(v).EndsOn }),
				"obtainedBy": field(nonNull(b.enums.obtainedBy), "How the appointment was obtained.",
					func(v interface{}) interface{} { return src(v).ObtainedBy }),
				"endReason": field(b.enums.endReason, "Why it ended, once it has.",
					func(v interface{}) interface{} {
						if r := src(v).EndReason; r != nil {
							return *r
						}
						return nil
					}),
			}
		}),
	})
}
