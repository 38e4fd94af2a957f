package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// The roles of the matrix, and the anonymous caller.
const (
	asAdmin       = "ADMIN"
	asSecretariat = "SECRETARIAT"
	asReader      = "READER"
	asBranch      = "BRANCH_SECRETARY"
	asAnonymous   = "anonymous"
)

var matrixRoles = []string{asAdmin, asSecretariat, asReader, asBranch, asAnonymous}

// outcome is what one role gets from one read path: the fields that are
// null with FORBIDDEN (paths written a/b/0/c; no other error may come),
// and checks on the data.
type outcome struct {
	forbidden []string
	checks    []check
}

// check asserts one thing of a response's data.
type check struct {
	what string
	keys []string
	want any
}

// is checks that the value at keys is want (numbers as JSON gives them).
func is(want any, keys ...string) check {
	if n, ok := want.(int); ok {
		want = float64(n)
	}
	return check{what: "value", keys: keys, want: want}
}

// idsAt checks the ids of the nodes of the connection at keys, in order.
func idsAt(want []string, keys ...string) check { return check{what: "ids", keys: keys, want: want} }

// sees is an outcome without errors.
func sees(checks ...check) outcome { return outcome{checks: checks} }

// forbids is an outcome with FORBIDDEN errors at paths.
func forbids(paths []string, checks ...check) outcome {
	return outcome{forbidden: paths, checks: checks}
}

// everyone gives o to every signed-in role; set replaces single roles.
func everyone(o outcome, set ...any) map[string]outcome {
	m := map[string]outcome{asAdmin: o, asSecretariat: o, asReader: o, asBranch: o}
	for i := 0; i < len(set); i += 2 {
		m[set[i].(string)] = set[i+1].(outcome)
	}
	return m
}

// demoAccess is the demo society as the matrix reads it: the Cardiology
// Branch (with a sub-organization added, so that reach through
// sub-organizations shows) in scope of its secretary, the council out.
type demoAccess struct {
	viewers map[string]*registry.Viewer
	reach   []int

	assoc, council, cardio, sub *ent.Organization
	inTerm, outTerm             *ent.Term
	inPost, outPost             *ent.Post
	inApp, outApp               *ent.Appointment
	// sits holds a branch post today and posts elsewhere; sat held branch
	// posts that have all ended; never has held none, and has one to come.
	sits, sat, never *ent.Person
}

func setUpAccess(t *testing.T, s *registry.Store) *demoAccess {
	t.Helper()
	ctx := context.Background()
	c := s.Client
	a := &demoAccess{}
	a.assoc = c.Organization.Query().Where(organization.KindEQ(organization.KindASSOCIATION)).OnlyX(ctx)
	a.council = c.Organization.Query().Where(organization.KindEQ(organization.KindCOUNCIL)).OnlyX(ctx)
	a.cardio = c.Organization.Query().Where(organization.Name("Cardiology Branch")).OnlyX(ctx)
	a.sub = c.Organization.Create().SetKind(organization.KindSPECIAL_COMMITTEE).SetName("Cardiology Young Investigators Group").
		SetParentID(a.cardio.ID).SetRules(rules.Rules{}).SaveX(ctx)

	a.viewers = map[string]*registry.Viewer{asAnonymous: nil}
	for _, acct := range []struct {
		name   string
		role   registry.Role
		scopes []int
	}{
		{asAdmin, registry.RoleAdmin, nil},
		{asSecretariat, registry.RoleSecretariat, nil},
		{asReader, registry.RoleReader, nil},
		{asBranch, registry.RoleBranchSecretary, []int{a.cardio.ID}},
	} {
		if _, err := s.CreateToken(ctx, admin, registry.TokenRequest{Account: "matrix-" + acct.name, Role: acct.role, Scopes: acct.scopes}); err != nil {
			t.Fatal(err)
		}
		v, err := s.ViewerOf(ctx, "matrix-"+acct.name)
		if err != nil {
			t.Fatal(err)
		}
		a.viewers[acct.name] = v
	}
	_, a.reach = a.viewers[asBranch].Reach(registry.ReadOrganization)
	if want := []int{a.cardio.ID, a.sub.ID}; !slices.Equal(a.reach, want) {
		t.Fatalf("the branch secretary reaches %v, want %v", a.reach, want)
	}

	activeTerm := func(org int) *ent.Term {
		return c.Term.Query().Where(term.OrganizationID(org), term.StatusEQ(term.StatusACTIVE)).OnlyX(ctx)
	}
	a.inTerm, a.outTerm = activeTerm(a.cardio.ID), activeTerm(a.council.ID)
	a.inPost = c.Post.Query().Where(post.OrganizationID(a.cardio.ID)).FirstX(ctx)
	a.outPost = c.Post.Query().Where(post.OrganizationID(a.council.ID)).FirstX(ctx)
	a.inApp = c.Appointment.Query().Where(appointment.TermID(a.inTerm.ID)).FirstX(ctx)
	a.outApp = c.Appointment.Query().Where(appointment.TermID(a.outTerm.ID)).FirstX(ctx)

	inBranch := appointment.HasPostWith(post.OrganizationIDIn(a.reach...))
	open := appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(today))
	a.sits = c.Person.Query().Where(
		person.HasAppointmentsWith(inBranch, open),
		person.HasAppointmentsWith(appointment.Not(inBranch)),
	).Order(ent.Asc(person.FieldID)).FirstX(ctx)
	a.sat = c.Person.Query().Where(
		person.HasAppointmentsWith(inBranch),
		person.Not(person.HasAppointmentsWith(inBranch, open)),
	).Order(ent.Asc(person.FieldID)).FirstX(ctx)
	a.never = c.Person.Query().Where(person.Not(person.HasAppointmentsWith(inBranch))).Order(ent.Asc(person.FieldID)).FirstX(ctx)
	// An appointment still to come does not make a person sit in the
	// branch.
	c.Appointment.Create().SetPersonID(a.never.ID).SetPostID(a.inPost.ID).SetTermID(a.inTerm.ID).
		SetStartsOn(today.AddDate(0, 0, 8)).SetObtainedBy(appointment.ObtainedByAPPOINTED).ExecX(ctx)
	return a
}

func gid(typeName string, id int) string { return graph.GlobalID(typeName, id) }

// TestReadAccessMatrix asks every read path of the API as every role,
// in and out of the branch secretary's scope, and checks each answer:
// the data, null with FORBIDDEN at the right path, lists and totals
// filtered to what the database holds in scope, or UNAUTHENTICATED.
func TestReadAccessMatrix(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		a := setUpAccess(t, s)
		ctx := context.Background()
		c := s.Client

		allOrgs := c.Organization.Query().CountX(ctx)
		reachOrgs := c.Organization.Query().Where(organization.IDIn(a.reach...)).CountX(ctx)
		assocChildren := c.Organization.Query().Where(organization.ParentID(a.assoc.ID)).CountX(ctx)
		branchChildren := c.Organization.Query().Where(organization.ParentID(a.assoc.ID), organization.IDIn(a.reach...)).CountX(ctx)
		roster := c.Appointment.Query().Where(appointment.HasPostWith(post.OrganizationID(a.cardio.ID)),
			appointment.StartsOnLTE(today), appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(today))).CountX(ctx)
		termApps := func(tm *ent.Term) int { return c.Appointment.Query().Where(appointment.TermID(tm.ID)).CountX(ctx) }
		sitsAll := c.Appointment.Query().Where(appointment.PersonID(a.sits.ID)).CountX(ctx)
		sitsInReach := c.Appointment.Query().Where(appointment.PersonID(a.sits.ID),
			appointment.HasPostWith(post.OrganizationIDIn(a.reach...))).CountX(ctx)
		if sitsInReach == 0 || sitsInReach == sitsAll {
			t.Fatalf("person %d has %d of %d appointments in reach: the filter would not show", a.sits.ID, sitsInReach, sitsAll)
		}

		org := func(o *ent.Organization) string { return gid("Organization", o.ID) }
		inNodes := []string{org(a.cardio), gid("Term", a.inTerm.ID), gid("Post", a.inPost.ID), gid("Appointment", a.inApp.ID)}
		outNodes := []string{org(a.council), gid("Term", a.outTerm.ID), gid("Post", a.outPost.ID), gid("Appointment", a.outApp.ID)}
		mixed := []string{}
		for i := range inNodes {
			mixed = append(mixed, inNodes[i], outNodes[i])
		}
		private := func(p *ent.Person, key string) []check {
			return []check{is(p.Email, key, "email"), is(p.Phone, key, "phone"), is(p.IDNumber, key, "idNumber")}
		}
		allPrivate := slices.Concat(private(a.sits, "sits"), private(a.sat, "sat"), private(a.never, "never"))
		nullPrivate := func(keys ...string) []check {
			var cs []check
			for _, k := range keys {
				cs = append(cs, is(nil, k, "email"), is(nil, k, "phone"), is(nil, k, "idNumber"))
			}
			return cs
		}

		paths := []struct {
			name  string
			query string
			vars  map[string]any
			want  map[string]outcome
		}{
			{
				name: "organizations list: rows, totals and pages",
				query: `query($assoc: ID!) { all: organizations(first: 100) { totalCount nodes { id } }
					under: organizations(parent: $assoc, first: 100) { totalCount nodes { id } }
					page: organizations(first: 2) { pageInfo { hasNextPage } } }`,
				vars: map[string]any{"assoc": org(a.assoc)},
				want: everyone(sees(is(allOrgs, "all", "totalCount"), is(assocChildren, "under", "totalCount"), is(true, "page", "pageInfo", "hasNextPage")),
					asBranch, sees(is(reachOrgs, "all", "totalCount"), idsAt([]string{org(a.cardio), org(a.sub)}, "all"),
						is(branchChildren, "under", "totalCount"), idsAt([]string{org(a.cardio)}, "under"),
						is(false, "page", "pageInfo", "hasNextPage"))),
			},
			{
				name:  "organization in scope",
				query: `query($id: ID!) { organization(id: $id) { name } }`,
				vars:  map[string]any{"id": org(a.cardio)},
				want:  everyone(sees(is("Cardiology Branch", "organization", "name"))),
			},
			{
				name:  "organization out of scope, with its roster, terms and posts",
				query: `query($id: ID!) { organization(id: $id) { name roster(first: 1) { totalCount } terms(first: 1) { totalCount } posts(first: 1) { totalCount } } }`,
				vars:  map[string]any{"id": org(a.council)},
				want: everyone(sees(is(a.council.Name, "organization", "name")),
					asBranch, forbids([]string{"organization"}, is(nil, "organization"))),
			},
			{
				name:  "node of each kind in scope",
				query: `query($o: ID!, $t: ID!, $p: ID!, $a: ID!) { o: node(id: $o) { id } t: node(id: $t) { id } p: node(id: $p) { id } a: node(id: $a) { id } }`,
				vars:  map[string]any{"o": inNodes[0], "t": inNodes[1], "p": inNodes[2], "a": inNodes[3]},
				want:  everyone(sees(is(inNodes[0], "o", "id"), is(inNodes[1], "t", "id"), is(inNodes[2], "p", "id"), is(inNodes[3], "a", "id"))),
			},
			{
				name: "node of each kind out of scope, with what hangs below",
				query: `query($o: ID!, $t: ID!, $p: ID!, $a: ID!) {
					o: node(id: $o) { id ... on Organization { roster(first: 1) { totalCount } } }
					t: node(id: $t) { id ... on Term { appointments(first: 1) { totalCount } } }
					p: node(id: $p) { id ... on Post { organization { name } } }
					a: node(id: $a) { id ... on Appointment { person { name } } } }`,
				vars: map[string]any{"o": outNodes[0], "t": outNodes[1], "p": outNodes[2], "a": outNodes[3]},
				want: everyone(sees(is(outNodes[0], "o", "id"), is(termApps(a.outTerm), "t", "appointments", "totalCount"),
					is(a.council.Name, "p", "organization", "name"), is(outNodes[3], "a", "id")),
					asBranch, forbids([]string{"o", "t", "p", "a"}, is(nil, "o"), is(nil, "t"), is(nil, "p"), is(nil, "a"))),
			},
			{
				name:  "nodes in and out of scope",
				query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
				vars:  map[string]any{"ids": mixed},
				want: everyone(sees(idsAt(mixed, "nodes")),
					asBranch, forbids([]string{"nodes/1", "nodes/3", "nodes/5", "nodes/7"},
						is(mixed[0], "nodes", "0", "id"), is(nil, "nodes", "1"), is(mixed[2], "nodes", "2", "id"), is(nil, "nodes", "3"),
						is(mixed[4], "nodes", "4", "id"), is(nil, "nodes", "5"), is(mixed[6], "nodes", "6", "id"), is(nil, "nodes", "7"))),
			},
			{
				name:  "organization roster",
				query: `query($id: ID!) { organization(id: $id) { roster(first: 100) { totalCount nodes { id } } } }`,
				vars:  map[string]any{"id": org(a.cardio)},
				want:  everyone(sees(is(roster, "organization", "roster", "totalCount"), check{what: "len", keys: []string{"organization", "roster"}, want: roster})),
			},
			{
				name:  "term appointments",
				query: `query($id: ID!) { node(id: $id) { ... on Term { appointments(first: 100) { totalCount nodes { id } } } } }`,
				vars:  map[string]any{"id": gid("Term", a.inTerm.ID)},
				want: everyone(sees(is(termApps(a.inTerm), "node", "appointments", "totalCount"),
					check{what: "len", keys: []string{"node", "appointments"}, want: termApps(a.inTerm)})),
			},
			{
				name: "organization parent, and walking up from a term",
				query: `query($id: ID!, $sub: ID!) { organization(id: $id) { parent { name } currentTerm { organization { parent { name } } } }
					sub: organization(id: $sub) { parent { name } } }`,
				vars: map[string]any{"id": org(a.cardio), "sub": org(a.sub)},
				want: everyone(sees(is(a.assoc.Name, "organization", "parent", "name"), is(a.assoc.Name, "organization", "currentTerm", "organization", "parent", "name"),
					is(a.cardio.Name, "sub", "parent", "name")),
					asBranch, forbids([]string{"organization/parent", "organization/currentTerm/organization/parent"},
						is(nil, "organization", "parent"), is(nil, "organization", "currentTerm", "organization", "parent"),
						is(a.cardio.Name, "sub", "parent", "name"))),
			},
			{
				name: "organization children",
				query: `query($id: ID!, $assoc: ID!) { organization(id: $id) { children(first: 10) { totalCount nodes { id } } }
					assoc: organization(id: $assoc) { children(first: 100) { totalCount } } }`,
				vars: map[string]any{"id": org(a.cardio), "assoc": org(a.assoc)},
				want: everyone(sees(is(1, "organization", "children", "totalCount"), idsAt([]string{org(a.sub)}, "organization", "children"),
					is(assocChildren, "assoc", "children", "totalCount")),
					asBranch, forbids([]string{"assoc"}, is(1, "organization", "children", "totalCount"),
						idsAt([]string{org(a.sub)}, "organization", "children"), is(nil, "assoc"))),
			},
			{
				name: "person appointments",
				query: `query($id: ID!) { person(id: $id) { appointments(first: 100) { totalCount pageInfo { hasNextPage }
					nodes { post { organization { id } } term { organization { id } } } } } }`,
				vars: map[string]any{"id": gid("Person", a.sits.ID)},
				want: everyone(sees(is(sitsAll, "person", "appointments", "totalCount"), check{what: "len", keys: []string{"person", "appointments"}, want: sitsAll}),
					asBranch, sees(is(sitsInReach, "person", "appointments", "totalCount"),
						check{what: "len", keys: []string{"person", "appointments"}, want: sitsInReach},
						check{what: "orgs", keys: []string{"person", "appointments"}, want: org(a.cardio)})),
			},
			{
				name:  "people list",
				query: `{ people(first: 1) { totalCount } }`,
				want:  everyone(sees(is(c.Person.Query().CountX(ctx), "people", "totalCount"))),
			},
			{
				name:  "private contact data",
				query: `query($sits: ID!, $sat: ID!, $never: ID!) { sits: person(id: $sits) { email phone idNumber } sat: person(id: $sat) { email phone idNumber } never: person(id: $never) { email phone idNumber } }`,
				vars:  map[string]any{"sits": gid("Person", a.sits.ID), "sat": gid("Person", a.sat.ID), "never": gid("Person", a.never.ID)},
				want: everyone(sees(allPrivate...),
					asReader, forbids([]string{"sits/email", "sits/phone", "sits/idNumber", "sat/email", "sat/phone", "sat/idNumber",
						"never/email", "never/phone", "never/idNumber"},
						nullPrivate("sits", "sat", "never")...),
					asBranch, forbids([]string{"sat/email", "sat/phone", "sat/idNumber", "never/email", "never/phone", "never/idNumber"},
						append(private(a.sits, "sits"), nullPrivate("sat", "never")...)...)),
			},
			{
				name:  "membership statistics",
				query: `{ membershipStatistics { total } today }`,
				want: everyone(sees(is(c.Membership.Query().CountX(ctx), "membershipStatistics", "total")),
					asBranch, forbids([]string{"membershipStatistics"}, is(nil, "membershipStatistics"), is("2026-11-23", "today"))),
			},
			{
				name:  "institutions",
				query: `{ institutions(first: 1) { totalCount } }`,
				want:  everyone(sees(is(c.Institution.Query().CountX(ctx), "institutions", "totalCount"))),
			},
		}

		for _, p := range paths {
			for _, role := range matrixRoles {
				t.Run(p.name+"/"+role, func(t *testing.T) {
					r := doAs(t, svc, a.viewers[role], p.query, p.vars)
					if role == asAnonymous {
						if r.Data != nil || len(r.Errors) != 1 || codeOf(r) != "UNAUTHENTICATED" {
							t.Fatalf("anonymous: got data %v, errors %v; want only UNAUTHENTICATED", r.Data, r.Errors)
						}
						return
					}
					want, ok := p.want[role]
					if !ok {
						t.Fatalf("no outcome for %s", role)
					}
					assertOutcome(t, r, want)
				})
			}
		}
	})
}

// assertOutcome checks a response against an outcome.
func assertOutcome(t *testing.T, r result, want outcome) {
	t.Helper()
	var got []string
	for _, e := range r.Errors {
		if errCode(e) != "FORBIDDEN" {
			t.Fatalf("unexpected error %v", e)
		}
		got = append(got, pathOf(e))
	}
	slices.Sort(got)
	wantPaths := slices.Sorted(slices.Values(want.forbidden))
	if diff := cmp.Diff(wantPaths, got); diff != "" {
		t.Errorf("FORBIDDEN paths mismatch (-want +got):\n%s", diff)
	}
	if r.Data == nil {
		t.Fatal("no data")
	}
	for _, c := range want.checks {
		at := walk(r.Data, c.keys)
		switch c.what {
		case "value":
			if diff := cmp.Diff(c.want, at); diff != "" {
				t.Errorf("%v mismatch (-want +got):\n%s", c.keys, diff)
			}
		case "ids":
			var ids []string
			for _, n := range nodesOf(at) {
				ids = append(ids, path(n, "id").(string))
			}
			if diff := cmp.Diff(c.want, ids); diff != "" {
				t.Errorf("%v ids mismatch (-want +got):\n%s", c.keys, diff)
			}
		case "len":
			if n := len(nodesOf(at)); n != c.want.(int) {
				t.Errorf("%v holds %d nodes, want %d", c.keys, n, c.want)
			}
		case "orgs":
			for i, n := range nodesOf(at) {
				for _, via := range []string{"post", "term"} {
					if got := path(n, via, "organization", "id"); got != c.want {
						t.Errorf("%v node %d: %s of organization %v, want %v", c.keys, i, via, got, c.want)
					}
				}
			}
		}
	}
}

// walk is path over keys that may index lists ("0").
func walk(v any, keys []string) any {
	for _, k := range keys {
		if l, ok := v.([]any); ok {
			i := 0
			for _, ch := range k {
				i = i*10 + int(ch-'0')
			}
			if i >= len(l) {
				return nil
			}
			v = l[i]
			continue
		}
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// nodesOf reads the nodes of a connection, or a list itself.
func nodesOf(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	n, _ := path(v, "nodes").([]any)
	return n
}

// TestAnonymousRefusedBeforeAnything refuses a caller without a viewer
// before the document is even read: a broken query gets the same single
// UNAUTHENTICATED error as a good one.
func TestAnonymousRefusedBeforeAnything(t *testing.T) {
	svc := newService(t, demo.Open(t, storetest.SQLite))
	for _, q := range []string{`{ today }`, `{ nope`} {
		r := doAs(t, svc, nil, q, nil)
		if r.Data != nil || len(r.Errors) != 1 || codeOf(r) != "UNAUTHENTICATED" {
			t.Errorf("%s: got data %v, errors %v; want only UNAUTHENTICATED", q, r.Data, r.Errors)
		}
	}
}
