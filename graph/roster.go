package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// The roster file of a term through the API: exportRoster reads it,
// importRoster writes it (registry/rostercsv.go holds the format).

func (b *builder) importRoster() *graphql.Field {
	in := inputType("ImportRosterInput", "A roster file to make a term's roster agree with.", graphql.InputObjectConfigFieldMap{
		"term": inField(nonNull(graphql.ID), "The global ID of the term."),
		"csv": inField(nonNull(graphql.String), "The roster file as exportRoster writes it: UTF-8 CSV, with or without a byte-order mark, "+
			"a header row naming the columns post, name, member_number, person_id, starts_on, ends_on, obtained_by, end_reason."),
	})
	count := func(about string, get func(*registry.ImportReport) int) *graphql.Field {
		return field(nonNullInt, about, func(v interface{}) interface{} { return get(v.(payload).row.(importResult).report) })
	}
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "ImportRosterPayload",
		Description: "What an import did.",
		Fields: graphql.Fields{
			"term": related(b.objects["Term"], "The term imported into.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
				func(v interface{}) int { return v.(payload).row.(importResult).term }),
			"created":   count("Appointments made from rows new to the roster.", func(r *registry.ImportReport) int { return r.Created }),
			"updated":   count("Appointments changed to agree with their rows.", func(r *registry.ImportReport) int { return r.Updated }),
			"unchanged": count("Appointments that already agreed with their rows.", func(r *registry.ImportReport) int { return r.Unchanged }),
			"untouched": count("The term's appointments the file does not mention, left as they are.", func(r *registry.ImportReport) int { return r.Untouched }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Makes a term's roster agree with a roster file, all or nothing (ADMIN, SECRETARIAT; a branch secretary in its scopes): "+
		"a row whose person holds its post in the term updates that appointment, any other row appoints, through the rules of "+
		"updateAppointment and appoint. Every bad row is reported in extensions.problems with its line, column and rule, and then nothing is written.",
		in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("term", "Term")
			if err != nil {
				return nil, err
			}
			rep, err := b.deps.Store.ImportRoster(p.Context, v, id, []byte(in.str("csv")))
			if err != nil {
				return nil, err
			}
			return importResult{term: id, report: rep}, nil
		})
}

// exportRosterField is the roster of a term as a roster file.
func (b *builder) exportRosterField() *graphql.Field {
	return &graphql.Field{
		// Nullable: a refusal nulls this field only, not the whole answer.
		Type: graphql.String,
		Description: "A term's roster as a roster file (UTF-8 CSV with a header row, no byte-order mark), ordered by post rank, then name: " +
			"what importRoster reads; imported again unchanged, it changes nothing. For callers who may read the term's organization; " +
			"null with FORBIDDEN for others.",
		Args: graphql.FieldConfigArgument{"term": {Type: nonNull(graphql.ID), Description: "The global ID of the term."}},
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			id, err := idOf(p.Args["term"].(string), "Term", "term")
			if err != nil {
				return nil, err
			}
			csv, err := b.deps.Store.ExportRoster(p.Context, registry.ViewerFrom(p.Context), id)
			if err != nil {
				return nil, registry.Wrap(err)
			}
			return string(csv), nil
		},
	}
}
