package graph

import (
	"fmt"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// strArg reads an optional argument as a string ("" when absent).
func strArg(p graphql.ResolveParams, name string) string {
	if v, ok := p.Args[name]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// optionalID reads an optional global ID argument naming a typeName.
func optionalID(p graphql.ResolveParams, name, typeName string) (int, error) {
	s := strArg(p, name)
	if s == "" {
		return 0, nil
	}
	return idOf(s, typeName, name)
}

// topList resolves a top-level connection: the page now, the total only
// if asked.
func topList[T any](p graphql.ResolveParams, page func(loader.PageArgs) (*loader.Page[T], error), count func() (int, error)) (interface{}, error) {
	pa, err := pageArgs(p)
	if err != nil {
		return nil, err
	}
	pg, err := page(pa)
	if err != nil {
		return nil, apiError(err)
	}
	return toConnection(pg, func() (interface{}, error) {
		n, err := count()
		if err != nil {
			return nil, apiError(err)
		}
		return n, nil
	}), nil
}

// required resolves a single-object lookup whose absence is an error.
func required(what, field string, t func() (interface{}, error)) func() (interface{}, error) {
	return func() (interface{}, error) {
		v, err := t()
		if err == nil && v == nil {
			panic(registry.E(registry.NotFound, field, "no %s has that %s", what, field))
		}
		return v, err
	}
}

func (b *builder) queryType() *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Query",
		Description: "Everything the registry can be asked.",
		Fields: graphql.Fields{
			"node": {
				Type:        b.node,
				Description: "The object with this global ID, or null when there is none (with a FORBIDDEN error when the caller may not read it).",
				Args:        graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "A global ID."}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					return loadNode(p, p.Args["id"].(string))
				},
			},
			"nodes": {
				Type:        nonNull(graphql.NewList(b.node)),
				Description: "The objects with these global IDs, in order; null for each that does not exist, and null with a FORBIDDEN error at its index for each the caller may not read.",
				Args: graphql.FieldConfigArgument{"ids": {Type: nonNull(graphql.NewList(graphql.NewNonNull(graphql.ID))),
					Description: fmt.Sprintf("Global IDs, at most %d.", MaxPage)}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					ids, _ := p.Args["ids"].([]interface{})
					if len(ids) > MaxPage {
						return nil, registry.E(registry.TooComplex, "ids", "at most %d ids, not %d", MaxPage, len(ids))
					}
					// One thunk per item, so that an object the caller may
					// not read fails at its own index, not the whole list.
					out := make([]interface{}, len(ids))
					for i, id := range ids {
						t, err := loadNode(p, id.(string))
						if err != nil {
							return nil, err
						}
						out[i] = t
					}
					return out, nil
				},
			},
			"organizations": {
				Type:        nonNull(b.connections["Organization"]),
				Description: "Organizations, by name: those the caller may read (a branch secretary: the organizations in scope and their sub-organizations).",
				Args: withPaging(graphql.FieldConfigArgument{
					"kind":   {Type: b.enums.organizationKind, Description: "Only organizations of this kind."},
					"parent": {Type: graphql.ID, Description: "Only direct sub-organizations of this one."},
					"name":   {Type: graphql.String, Description: "Only names containing this text (ASCII case ignored)."},
				}),
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					parent, err := optionalID(p, "parent", "Organization")
					if err != nil {
						return nil, err
					}
					f := loader.OrganizationFilter{Kind: strArg(p, "kind"), Parent: parent, Name: strArg(p, "name")}
					l := loader.FromContext(p.Context)
					return topList(p, func(pa loader.PageArgs) (*loader.Page[*ent.Organization], error) {
						return l.Organizations(p.Context, f, pa)
					}, func() (int, error) { return l.CountOrganizations(p.Context, f) })
				},
			},
			"organization": {
				Type:        b.objects["Organization"],
				Description: "One organization; NOT_FOUND when the ID names none, FORBIDDEN when the caller may not read it.",
				Args:        graphql.FieldConfigArgument{"id": {Type: graphql.NewNonNull(graphql.ID), Description: "Its global ID."}},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					id, err := idOf(p.Args["id"].(string), "Organization", "id")
					if err != nil {
						return nil, err
					}
					return required("organization", "id", thunk(loader.FromContext(p.Context).Organization.Load(p.Context, id))), nil
				},
			},
			"people": {
				Type:        nonNull(b.connections["Person"]),
				Description: "People, by name.",
				Args: withPaging(graphql.FieldConfigArgument{
					"status":      {Type: b.enums.membershipStatus, Description: "Only people whose membership has this status."},
					"kind":        {Type: b.enums.membershipKind, Description: "Only people whose membership is of this kind."},
					"specialty":   {Type: graphql.String, Description: "Only people of this specialty (exact)."},
					"institution": {Type: graphql.ID, Description: "Only people working at this institution."},
					"name":        {Type: graphql.String, Description: "Only names containing this text (ASCII case ignored)."},
				}),
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					inst, err := optionalID(p, "institution", "Institution")
					if err != nil {
						return nil, err
					}
					f := loader.PersonFilter{Status: strArg(p, "status"), Kind: strArg(p, "kind"),
						Specialty: strArg(p, "specialty"), Institution: inst, Name: strArg(p, "name")}
					l := loader.FromContext(p.Context)
					return topList(p, func(pa loader.PageArgs) (*loader.Page[*ent.Person], error) {
						return l.People(p.Context, f, pa)
					}, func() (int, error) { return l.CountPeople(p.Context, f) })
				},
			},
			"person": {
				Type:        b.objects["Person"],
				Description: "One person, by global ID or by member number (give one); NOT_FOUND when none matches.",
				Args: graphql.FieldConfigArgument{
					"id":           {Type: graphql.ID, Description: "The person's global ID."},
					"memberNumber": {Type: graphql.String, Description: "The member number of the person's membership, such as M000042."},
				},
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					gid, number := strArg(p, "id"), strArg(p, "memberNumber")
					switch {
					case (gid == "") == (number == ""):
						return nil, registry.E(registry.Invalid, "id", "give id or memberNumber, exactly one")
					case number != "":
						per, err := loader.FromContext(p.Context).PersonByMemberNumber(p.Context, number)
						if err != nil {
							return nil, apiError(err)
						}
						if per == nil {
							return nil, registry.E(registry.NotFound, "memberNumber", "no member has number %q", number)
						}
						return per, nil
					}
					id, err := idOf(gid, "Person", "id")
					if err != nil {
						return nil, err
					}
					return required("person", "id", thunk(loader.FromContext(p.Context).Person.Load(p.Context, id))), nil
				},
			},
			"institutions": {
				Type:        nonNull(b.connections["Institution"]),
				Description: "Institutions, by name.",
				Args: withPaging(graphql.FieldConfigArgument{
					"kind": {Type: b.enums.institutionKind, Description: "Only institutions of this kind."},
					"name": {Type: graphql.String, Description: "Only names containing this text (ASCII case ignored)."},
				}),
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					f := loader.InstitutionFilter{Kind: strArg(p, "kind"), Name: strArg(p, "name")}
					l := loader.FromContext(p.Context)
					return topList(p, func(pa loader.PageArgs) (*loader.Page[*ent.Institution], error) {
						return l.Institutions(p.Context, f, pa)
					}, func() (int, error) { return l.CountInstitutions(p.Context, f) })
				},
			},
			"membershipStatistics": {
				// Nullable: a caller who may not read statistics gets null
				// and FORBIDDEN, and the rest of the answer stands.
				Type:        b.statisticsType(),
				Description: "Memberships counted by kind and status: now, or as they stood on a day (from the status history). Null with FORBIDDEN for branch secretaries.",
				Args:        b.asOfArg("The day; default: the statuses as they stand now."),
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					t, ok, err := dayArg(p, "asOf")
					if err != nil {
						return nil, err
					}
					var asOf *time.Time
					if ok {
						asOf = &t
					}
					counts, err := loader.FromContext(p.Context).MembershipStatistics(p.Context, asOf)
					if err != nil {
						return nil, apiError(err)
					}
					return statistics{asOf: asOf, counts: counts}, nil
				},
			},
			"today": {
				Type:        nonNull(b.date),
				Description: "The society's current day, which every as-of default and due date reads.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					return b.deps.Clock.Today(), nil
				},
			},
		},
	})
}

type statistics struct {
	asOf   *time.Time
	counts []loader.StatusCount
}

func (b *builder) statisticsType() *graphql.Object {
	count := graphql.NewObject(graphql.ObjectConfig{
		Name:        "MembershipCount",
		Description: "How many memberships of one kind are in one status.",
		Fields: graphql.Fields{
			"kind": field(nonNull(b.enums.membershipKind), "The kind of membership.",
				func(v interface{}) interface{} { return membershipKind(v.(loader.StatusCount).Kind) }),
			"status": field(nonNull(b.enums.membershipStatus), "The status.",
				func(v interface{}) interface{} { return membershipStatus(v.(loader.StatusCount).Status) }),
			"count": field(nonNullInt, "How many.", func(v interface{}) interface{} { return v.(loader.StatusCount).Count }),
		},
	})
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "MembershipStatistics",
		Description: "Memberships counted by kind and status.",
		Fields: graphql.Fields{
			"asOf": field(b.date, "The day counted; null for now.", func(v interface{}) interface{} { return v.(statistics).asOf }),
			"total": field(nonNullInt, "All memberships counted.", func(v interface{}) interface{} {
				n := 0
				for _, c := range v.(statistics).counts {
					n += c.Count
				}
				return n
			}),
			"byKindAndStatus": field(nonNull(graphql.NewList(nonNull(count))), "Counts by kind, then status; combinations with none are left out.",
				func(v interface{}) interface{} {
					cs := v.(statistics).counts
					out := make([]interface{}, len(cs))
					for i, c := range cs {
						out[i] = c
					}
					return out
				}),
		},
	})
}
