package graph

import (
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// permissions name the actions of registry's access table in the API,
// in the table's order, with what each allows.
var permissions = []struct {
	action      registry.Action
	name, about string
}{
	{registry.ReadDirectory, "READ_DIRECTORY", "Read people, institutions and memberships (without private contact data)."},
	{registry.ReadStatistics, "READ_STATISTICS", "Read membership statistics."},
	{registry.ReadOrganization, "READ_ORGANIZATION", "Read organizations with their terms, posts and rosters, and export rosters; a scoped account only in its scopes."},
	{registry.ReadPrivate, "READ_PRIVATE", "Read private contact data; a scoped account only of the people who sit in its scopes."},
	{registry.ReadAudit, "READ_AUDIT", "Read the audit trail (auditEvents)."},
	{registry.EditMembers, "EDIT_MEMBERS", "Create people, admit members and change membership status."},
	{registry.EditPerson, "EDIT_PERSON", "Update people's details; a scoped account only of the people who sit in its scopes."},
	{registry.EditRoster, "EDIT_ROSTER", "Appoint, end and update appointments and import rosters; a scoped account only in its scopes."},
	{registry.ManageAccounts, "MANAGE_ACCOUNTS", "Create accounts and tokens, and revoke tokens."},
	{registry.ApproveSuccession, "APPROVE_SUCCESSION", "Complete successions and record their deferrals."},
	{registry.OverrideRules, "OVERRIDE_RULES", "Complete a succession although blocking checks of the articles fail, with a reason."},
	{registry.ConveneMeetings, "CONVENE_MEETINGS", "Create assemblies and meetings, apportion and fill seats, grant clerks and put motions; a scoped account only for its scopes' meetings."},
	{registry.ClerkMeetings, "CLERK_MEETINGS", "Confirm credentials, check participants in and out, issue voter tokens, open and close votes and enter votes shown by hand; a scoped account only in its scopes (a CLERK grant gives the same for one meeting or assembly)."},
}

func (b *builder) permissionEnum() *graphql.Enum {
	vals := graphql.EnumValueConfigMap{}
	for _, p := range permissions {
		vals[p.name] = &graphql.EnumValueConfig{Value: p.name, Description: p.about}
	}
	return graphql.NewEnum(graphql.EnumConfig{Name: "Permission",
		Description: "Something an account may do; scoped accounts may do some only in their scopes.", Values: vals})
}

func (b *builder) accountRoleEnum() *graphql.Enum {
	docs := map[registry.Role]string{
		registry.RoleAdmin:           "Everything, accounts and tokens included.",
		registry.RoleSecretariat:     "All rosters and memberships, and the audit trail; no account management.",
		registry.RoleBranchSecretary: "The rosters of the organizations in scope and their sub-organizations; reads the directory.",
		registry.RoleReader:          "Reads everything but private contact data and the audit trail; changes nothing.",
		registry.RoleVoter:           "Not an account: a participant's voter token, which casts that participant's own votes and nothing else.",
	}
	vals := graphql.EnumValueConfigMap{}
	for _, r := range append(registry.Roles, registry.RoleVoter) {
		// The value is the Go type the resolver returns (PITFALLS.md 7).
		vals[string(r)] = &graphql.EnumValueConfig{Value: r, Description: docs[r]}
	}
	return graphql.NewEnum(graphql.EnumConfig{Name: "AccountRole", Description: "What an account may do, before its scopes.", Values: vals})
}

// viewerField answers who is asking: dashboards show what the caller may do.
func (b *builder) viewerField() *graphql.Field {
	src := func(v interface{}) *registry.Viewer { return v.(*registry.Viewer) }
	viewer := graphql.NewObject(graphql.ObjectConfig{
		Name:        "Viewer",
		Description: "The calling account.",
		Fields: graphql.Fields{
			"name": field(nonNullString, "The account's name, which the audit trail records as actor.",
				func(v interface{}) interface{} { return src(v).Name }),
			"role": field(nonNull(b.accountRoleEnum()), "The account's role.",
				func(v interface{}) interface{} { return src(v).Role }),
			"scopes": {
				Type:        nonNull(graphql.NewList(nonNull(b.objects["Organization"]))),
				Description: "The organizations a BRANCH_SECRETARY is scoped to (their sub-organizations are in scope too); empty for other roles.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					// Read at once, in one batch: the items are non-null, and
					// a non-null item failing in a thunk would null the whole
					// response (PITFALLS.md 5). Scopes are always in reach.
					l := loader.FromContext(p.Context)
					ids := src(p.Source).Scopes
					loads := make([]func() (*ent.Organization, error), len(ids))
					for i, id := range ids {
						loads[i] = l.Organization.Load(p.Context, id)
					}
					out := make([]interface{}, 0, len(ids))
					for _, load := range loads {
						o, err := load()
						if err != nil {
							return nil, apiError(err)
						}
						if o != nil {
							out = append(out, o)
						}
					}
					return out, nil
				},
			},
			"can": {
				Type:        nonNull(graphql.NewList(nonNull(b.permissionEnum()))),
				Description: "What the account may do: everywhere, or, for a scoped account, in its scopes.",
				Resolve: func(p graphql.ResolveParams) (interface{}, error) {
					v := src(p.Source)
					out := []interface{}{}
					for _, perm := range permissions {
						if v.Can(perm.action) {
							out = append(out, perm.name)
						}
					}
					return out, nil
				},
			},
		},
	})
	return &graphql.Field{
		Type:        nonNull(viewer),
		Description: "The calling account: its name, role, scopes and what it may do.",
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			v := registry.ViewerFrom(p.Context)
			if v == nil {
				return nil, registry.E(registry.Unauthenticated, "", "send an API token: Authorization: Bearer <token>")
			}
			return v, nil
		},
	}
}
