package graph_test

import (
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// asBranchOut is the branch secretary asking about another branch's
// rows: the council's term, post and appointments.
const asBranchOut = "BRANCH_SECRETARY out of scope"

// writeRoles are the matrix's rows, in the order they run.
var writeRoles = []string{asAdmin, asSecretariat, asReader, asBranch, asBranchOut, asAnonymous}

// slot gives each role that may succeed rows of its own: 0 for ADMIN, 1
// for SECRETARIAT, 2 for the branch secretary in scope. The others are
// refused and write nothing, so they share slot 2 (READER asks before the
// branch secretary, with the same input).
func slot(role string) int {
	switch role {
	case asAdmin:
		return 0
	case asSecretariat:
		return 1
	}
	return 2
}

// matrixOp is one operation of the matrix.
type matrixOp struct {
	name  string
	query string
	// vars is the role's input, made when the role asks.
	vars func(role string) map[string]any
	// ok are the roles that succeed; the other signed-in roles get
	// FORBIDDEN, the anonymous caller UNAUTHENTICATED.
	ok []string
	// writes says a success appends to the audit trail.
	writes bool
	// check asserts a success by its data, and by reading back.
	check func(t *testing.T, role string, data map[string]any)
}

// TestWriteAccessMatrix runs every mutation, the roster export, the audit
// trail and viewer as every role, in and out of the branch secretary's
// scope, and as an anonymous caller. A success is checked by its answer
// and by reading it back, and appends audit events by the account; a
// refusal has the right code and leaves every table as it was.
func TestWriteAccessMatrix(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := setUpWrites(t, d, loader.Options{})
		ctx := context.Background()
		c := w.s.Client
		ends, updates, imports := take(t, &w.open, 3), take(t, &w.open, 3), take(t, &w.open, 3)
		viewer := func(role string) *registry.Viewer {
			if role == asBranchOut {
				return w.viewers[asBranch]
			}
			return w.viewers[role]
		}
		out := func(role string) bool { return role == asBranchOut }
		readBack := func(t *testing.T, query string, vars map[string]any) map[string]any {
			t.Helper()
			return mustDo(t, w.svc, w.viewers[asAdmin], query, vars)
		}
		term := func(role string) *ent.Term {
			if out(role) {
				return w.outTerm
			}
			return w.inTerm
		}
		payloadID := func(data map[string]any, keys ...string) string { return path(data, keys...).(string) }
		scoped := []string{asAdmin, asSecretariat, asBranch}
		everywhere := []string{asAdmin, asSecretariat}

		ops := []matrixOp{
			{
				name:  "viewer",
				query: `{ viewer { name role scopes { id } } }`,
				vars:  func(string) map[string]any { return nil },
				ok:    []string{asAdmin, asSecretariat, asReader, asBranch, asBranchOut},
				check: func(t *testing.T, role string, data map[string]any) {
					v := viewer(role)
					if path(data, "viewer", "name") != v.Name || path(data, "viewer", "role") != string(v.Role) {
						t.Errorf("viewer %v, want %s", path(data, "viewer"), v)
					}
				},
			},
			{
				name:  "exportRoster",
				query: `query($t: ID!) { exportRoster(term: $t) }`,
				vars:  func(role string) map[string]any { return map[string]any{"t": gid("Term", term(role).ID)} },
				ok:    []string{asAdmin, asSecretariat, asReader, asBranch},
				check: func(t *testing.T, role string, data map[string]any) {
					rows, err := csv.NewReader(strings.NewReader(path(data, "exportRoster").(string))).ReadAll()
					if err != nil {
						t.Fatal(err)
					}
					n := c.Appointment.Query().Where(appointment.TermID(w.inTerm.ID)).CountX(ctx)
					if len(rows) != n+1 || rows[0][0] != "post" {
						t.Errorf("%d rows under %v, want %d", len(rows)-1, rows[0], n)
					}
				},
			},
			{
				name:  "auditEvents",
				query: `{ auditEvents(first: 5) { totalCount nodes { seq } } }`,
				vars:  func(string) map[string]any { return nil },
				ok:    everywhere,
				check: func(t *testing.T, role string, data map[string]any) {
					if n := path(data, "auditEvents", "totalCount"); n != float64(c.AuditEvent.Query().CountX(ctx)) {
						t.Errorf("totalCount %v", n)
					}
				},
			},
			{
				name:  "createPerson",
				query: `mutation($name: String!) { createPerson(input: {name: $name, specialty: "Cardiology"}) { person { id name } } }`,
				vars:  func(role string) map[string]any { return map[string]any{"name": "Matrix " + role} },
				ok:    everywhere, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					back := readBack(t, `query($id: ID!) { person(id: $id) { name } }`, map[string]any{"id": payloadID(data, "createPerson", "person", "id")})
					if path(back, "person", "name") != "Matrix "+role || path(data, "createPerson", "person", "name") != "Matrix "+role {
						t.Errorf("created %v, read back %v", data, back)
					}
				},
			},
			{
				name:  "updatePerson",
				query: `mutation($id: ID!, $s: String!) { updatePerson(input: {id: $id, specialty: $s}) { person { id specialty } } }`,
				vars: func(role string) map[string]any {
					p := map[int]*ent.Person{0: w.never, 1: w.sat, 2: w.sits}[slot(role)]
					if out(role) {
						p = w.never
					}
					return map[string]any{"id": gid("Person", p.ID), "s": "Matrix " + role}
				},
				ok: scoped, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					back := readBack(t, `query($id: ID!) { person(id: $id) { specialty } }`, map[string]any{"id": payloadID(data, "updatePerson", "person", "id")})
					if path(back, "person", "specialty") != "Matrix "+role {
						t.Errorf("read back %v", back)
					}
				},
			},
			{
				name: "admitMember",
				query: `mutation($p: ID!) { admitMember(input: {kind: INDIVIDUAL, personId: $p, joinedOn: "2026-11-23"}) {
					membership { memberNumber status person { id } } } }`,
				vars: func(role string) map[string]any {
					return map[string]any{"p": gid("Person", w.newcomers[slot(role)].ID)}
				},
				ok: everywhere, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					id := gid("Person", w.newcomers[slot(role)].ID)
					back := readBack(t, `query($id: ID!) { person(id: $id) { memberNumber } }`, map[string]any{"id": id})
					m := path(data, "admitMember", "membership")
					if path(m, "person", "id") != id || path(m, "status") != "APPLICANT" || path(back, "person", "memberNumber") != path(m, "memberNumber") {
						t.Errorf("admitted %v, read back %v", m, back)
					}
				},
			},
			{
				name: "changeMembershipStatus",
				query: `mutation($m: ID!) { changeMembershipStatus(input: {membershipId: $m, status: SUSPENDED, effectiveOn: "2026-11-23", reason: "matrix"}) {
					membership { id status } } }`,
				vars: func(role string) map[string]any {
					return map[string]any{"m": gid("Membership", w.memberships[slot(role)].ID)}
				},
				ok: everywhere, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					back := readBack(t, `query($id: ID!) { node(id: $id) { ... on Membership { status } } }`,
						map[string]any{"id": payloadID(data, "changeMembershipStatus", "membership", "id")})
					if path(back, "node", "status") != "SUSPENDED" {
						t.Errorf("read back %v", back)
					}
				},
			},
			{
				name: "appoint",
				query: `mutation($p: ID!, $post: ID!, $t: ID!) { appoint(input: {personId: $p, postId: $post, termId: $t, startsOn: "2026-11-23", obtainedBy: APPOINTED}) {
					appointment { id person { id } post { title } term { ordinal } } } }`,
				vars: func(role string) map[string]any {
					p := w.memberPost
					if out(role) {
						p = w.outPost
					}
					return map[string]any{"p": gid("Person", w.eligible[slot(role)].ID), "post": gid("Post", p.ID), "t": gid("Term", term(role).ID)}
				},
				ok: scoped, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					a := path(data, "appoint", "appointment")
					want := map[string]any{"id": path(a, "id"), "person": map[string]any{"id": gid("Person", w.eligible[slot(role)].ID)},
						"post": map[string]any{"title": "Member"}, "term": map[string]any{"ordinal": float64(w.inTerm.Ordinal)}}
					if diff := cmp.Diff(want, a); diff != "" {
						t.Errorf("appointment mismatch (-want +got):\n%s", diff)
					}
					back := readBack(t, `query($id: ID!) { node(id: $id) { ... on Appointment { startsOn endsOn } } }`, map[string]any{"id": path(a, "id")})
					if path(back, "node", "startsOn") != "2026-11-23" || path(back, "node", "endsOn") != nil {
						t.Errorf("read back %v", back)
					}
				},
			},
			{
				name:  "endAppointment",
				query: `mutation($a: ID!) { endAppointment(input: {appointmentId: $a, endsOn: "2026-11-30", reason: RESIGNED}) { appointment { id endsOn } } }`,
				vars: func(role string) map[string]any {
					a := ends[slot(role)]
					if out(role) {
						a = w.outOpen
					}
					return map[string]any{"a": gid("Appointment", a.ID)}
				},
				ok: scoped, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					id := gid("Appointment", ends[slot(role)].ID)
					back := readBack(t, `query($id: ID!) { node(id: $id) { ... on Appointment { endsOn endReason } } }`, map[string]any{"id": id})
					if payloadID(data, "endAppointment", "appointment", "id") != id || path(back, "node", "endsOn") != "2026-11-30" ||
						path(back, "node", "endReason") != "RESIGNED" {
						t.Errorf("ended %v, read back %v", data, back)
					}
				},
			},
			{
				name:  "updateAppointment",
				query: `mutation($a: ID!) { updateAppointment(input: {appointmentId: $a, obtainedBy: EX_OFFICIO}) { appointment { id obtainedBy } } }`,
				vars: func(role string) map[string]any {
					a := updates[slot(role)]
					if out(role) {
						a = w.outOpen
					}
					return map[string]any{"a": gid("Appointment", a.ID)}
				},
				ok: scoped, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					id := gid("Appointment", updates[slot(role)].ID)
					back := readBack(t, `query($id: ID!) { node(id: $id) { ... on Appointment { obtainedBy } } }`, map[string]any{"id": id})
					if payloadID(data, "updateAppointment", "appointment", "id") != id || path(back, "node", "obtainedBy") != "EX_OFFICIO" {
						t.Errorf("updated %v, read back %v", data, back)
					}
				},
			},
			{
				name: "importRoster",
				query: `mutation($t: ID!, $csv: String!) { importRoster(input: {term: $t, csv: $csv}) {
					created updated unchanged untouched term { id } } }`,
				vars: func(role string) map[string]any {
					tm, a := term(role), imports[slot(role)]
					if out(role) {
						a = w.outOpen
					}
					text, err := w.s.ExportRoster(ctx, admin, tm.ID)
					if err != nil {
						t.Fatal(err)
					}
					changed, _ := withObtainedBy(t, string(text), a.PersonID, c.Post.GetX(ctx, a.PostID).Title, "EX_OFFICIO")
					return map[string]any{"t": gid("Term", tm.ID), "csv": changed}
				},
				ok: scoped, writes: true,
				check: func(t *testing.T, role string, data map[string]any) {
					n := c.Appointment.Query().Where(appointment.TermID(w.inTerm.ID)).CountX(ctx)
					want := map[string]any{"created": 0.0, "updated": 1.0, "unchanged": float64(n - 1), "untouched": 0.0,
						"term": map[string]any{"id": gid("Term", w.inTerm.ID)}}
					if diff := cmp.Diff(want, path(data, "importRoster")); diff != "" {
						t.Errorf("report mismatch (-want +got):\n%s", diff)
					}
					got := c.Appointment.GetX(ctx, imports[slot(role)].ID).ObtainedBy
					if got != appointment.ObtainedByEX_OFFICIO {
						t.Errorf("read back obtained by %s", got)
					}
				},
			},
		}

		for _, op := range ops {
			for _, role := range writeRoles {
				t.Run(op.name+"/"+role, func(t *testing.T) {
					v := viewer(role)
					vars := op.vars(role)
					before := w.count(t)
					r := doAs(t, w.svc, v, op.query, vars)
					after := w.count(t)
					switch {
					case role == asAnonymous:
						if r.Data != nil || len(r.Errors) != 1 || codeOf(r) != "UNAUTHENTICATED" {
							t.Fatalf("anonymous: got data %v, errors %v; want only UNAUTHENTICATED", r.Data, r.Errors)
						}
					case slices.Contains(op.ok, role):
						if len(r.Errors) > 0 {
							t.Fatalf("want success, got %v", r.Errors)
						}
						op.check(t, role, r.Data)
						if !op.writes {
							break
						}
						if after.Audit <= before.Audit {
							t.Fatalf("a success wrote no audit event")
						}
						for _, e := range w.lastEvents(t, after.Audit-before.Audit) {
							if e.Actor != v.Name {
								t.Errorf("audit event %d by %q, want %q", e.Seq, e.Actor, v.Name)
							}
						}
						return
					default:
						if len(r.Errors) != 1 || codeOf(r) != "FORBIDDEN" {
							t.Fatalf("got errors %v, want one FORBIDDEN", r.Errors)
						}
						for k, v := range r.Data {
							if v != nil {
								t.Errorf("%s answered %v beside FORBIDDEN", k, v)
							}
						}
					}
					if diff := cmp.Diff(before, after); diff != "" {
						t.Errorf("wrote (-before +after):\n%s", diff)
					}
				})
			}
		}
	})
}
