package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// The demo accounts, and the demo society's branch the secretary keeps.
const (
	demoAdmin     = "demo-admin"
	demoSecretary = "demo-secretary"
	demoBranch    = "Cardiology Branch"
)

// demoToken is a token serve -demo made, with a query to try it on.
type demoToken struct {
	account string
	role    registry.Role
	scope   string // the organization a secretary keeps
	secret  string
	query   string
}

// demoTokens revokes the live tokens of the demo accounts and makes one
// new token for each, so that every start of serve -demo shows tokens
// that work and only those work: an administrator's, first, and, when
// the database holds the demo society's Cardiology Branch, its branch
// secretary's. The accounts are made the first time.
func demoTokens(ctx context.Context, s *registry.Store, v *registry.Viewer) ([]demoToken, error) {
	reqs := []registry.TokenRequest{{Account: demoAdmin, Role: registry.RoleAdmin, Label: "serve -demo"}}
	toks := []demoToken{{account: demoAdmin, role: registry.RoleAdmin,
		query: `{ membershipStatistics { total } people(first: 3) { nodes { name memberNumber phone email } } }`}}
	branch, err := s.Client.Organization.Query().Where(organization.Name(demoBranch)).
		Order(ent.Asc(organization.FieldID)).First(ctx)
	switch {
	case err == nil:
		reqs = append(reqs, registry.TokenRequest{Account: demoSecretary, Role: registry.RoleBranchSecretary,
			Scopes: []int{branch.ID}, Label: "serve -demo"})
		toks = append(toks, demoToken{account: demoSecretary, role: registry.RoleBranchSecretary, scope: branch.Name,
			query: fmt.Sprintf(`{ organization(id: %q) { name roster(first: 3) { totalCount nodes { post { title } person { name phone } } } } }`,
				graph.GlobalID("Organization", branch.ID))})
	case !ent.IsNotFound(err):
		return nil, err
	}
	for i, r := range reqs {
		if _, err := s.RevokeTokens(ctx, v, r.Account, ""); err != nil && registry.KindOf(err) != registry.NotFound {
			return nil, err
		}
		t, err := s.CreateToken(ctx, v, r)
		if err != nil {
			return nil, err
		}
		toks[i].secret = t.Secret
	}
	return toks, nil
}

// printDemoTokens shows the demo tokens with a curl command for each, to
// the server at url.
func printDemoTokens(w io.Writer, url string, toks []demoToken) {
	fmt.Fprintf(w, "\nDemo API tokens, new on every start (the previous ones are revoked):\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range toks {
		role := string(t.role)
		if t.scope != "" {
			role += " of " + t.scope
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", t.account, role, t.secret)
	}
	tw.Flush()
	if len(toks) < 2 {
		fmt.Fprintf(w, "  (no %s in this database, so no branch secretary token)\n", demoBranch)
	}
	fmt.Fprintf(w, "\nGraphiQL at %s/ sends the %s token. With curl:\n\n", url, toks[0].account)
	for _, t := range toks {
		body, _ := json.Marshal(map[string]string{"query": t.query})
		fmt.Fprintf(w, "  # as %s\n  curl -s %s/graphql -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '%s'\n\n",
			t.account, url, t.secret, body)
	}
}
