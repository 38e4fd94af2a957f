package graph_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry/storetest"
)

const auditPage = `query($first: Int, $after: String, $last: Int, $before: String, $entity: String, $entityId: ID, $actor: String,
	$since: DateTime, $until: DateTime) {
	auditEvents(first: $first, after: $after, last: $last, before: $before, entity: $entity, entityId: $entityId, actor: $actor,
		since: $since, until: $until) {
		totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
		nodes { id seq at actor action entity entityId prevHash hash } } }`

// seqsOf returns the seq of each node of the auditEvents connection.
func seqsOf(data map[string]any) []int64 {
	var out []int64
	for _, n := range nodesOf(path(data, "auditEvents")) {
		out = append(out, int64(path(n, "seq").(float64)))
	}
	return out
}

// TestAuditEventsPagesAndFilters writes a few changes as different
// accounts, then pages through the trail, newest first, and narrows it
// by entity, object, actor and time, each checked against the table.
func TestAuditEventsPagesAndFilters(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := setUpWrites(t, d, loader.Options{})
		ctx := context.Background()
		sec, branch := w.viewers[asSecretariat], w.viewers[asBranch]
		for _, p := range w.newcomers[:2] {
			mustDo(t, w.svc, sec, `mutation($p: ID!) { updatePerson(input: {id: $p, specialty: "Oncology"}) { person { id } } }`,
				map[string]any{"p": gid("Person", p.ID)})
		}
		mustDo(t, w.svc, branch, `mutation($a: ID!) { updateAppointment(input: {appointmentId: $a, obtainedBy: APPOINTED}) { appointment { id } } }`,
			map[string]any{"a": gid("Appointment", w.open[0].ID)})

		all := w.s.Client.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).AllX(ctx)
		var allSeqs []int64
		for _, e := range all {
			allSeqs = append(allSeqs, e.Seq)
		}
		admin := w.viewers[asAdmin]
		ask := func(vars map[string]any) map[string]any {
			t.Helper()
			return mustDo(t, w.svc, admin, auditPage, vars)
		}

		t.Run("pages newest first", func(t *testing.T) {
			var got []int64
			vars := map[string]any{"first": 4}
			for pages := 0; ; pages++ {
				data := ask(vars)
				if n := path(data, "auditEvents", "totalCount"); n != float64(len(all)) {
					t.Fatalf("totalCount %v, want %d", n, len(all))
				}
				got = append(got, seqsOf(data)...)
				nodes := nodesOf(path(data, "auditEvents"))
				for i := 1; i < len(nodes); i++ {
					if path(nodes[i-1], "prevHash") != path(nodes[i], "hash") {
						t.Errorf("event %v does not follow %v's hash", path(nodes[i-1], "seq"), path(nodes[i], "seq"))
					}
				}
				if path(data, "auditEvents", "pageInfo", "hasNextPage") != true {
					break
				}
				if pages > len(all) {
					t.Fatal("paging does not end")
				}
				vars["after"] = path(data, "auditEvents", "pageInfo", "endCursor")
			}
			if diff := cmp.Diff(allSeqs, got); diff != "" {
				t.Errorf("seqs mismatch (-want +got):\n%s", diff)
			}
			oldest := ask(map[string]any{"last": 2})
			if diff := cmp.Diff(allSeqs[len(allSeqs)-2:], seqsOf(oldest)); diff != "" {
				t.Errorf("last 2 mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("narrowed", func(t *testing.T) {
			mid := all[len(all)/2].At
			since, until := mid.UTC().Format(time.RFC3339Nano), mid.UTC().Format(time.RFC3339Nano)
			person := w.newcomers[0]
			for _, c := range []struct {
				name string
				vars map[string]any
				keep func(*ent.AuditEvent) bool
			}{
				{"entity", map[string]any{"entity": "Person"}, func(e *ent.AuditEvent) bool { return e.Entity == "Person" }},
				{"entityId", map[string]any{"entityId": gid("Person", person.ID)},
					func(e *ent.AuditEvent) bool { return e.Entity == "Person" && e.EntityID == person.ID }},
				{"actor", map[string]any{"actor": sec.Name}, func(e *ent.AuditEvent) bool { return e.Actor == sec.Name }},
				{"actor and entity", map[string]any{"actor": branch.Name, "entity": "Appointment"},
					func(e *ent.AuditEvent) bool { return e.Actor == branch.Name && e.Entity == "Appointment" }},
				{"since", map[string]any{"since": since}, func(e *ent.AuditEvent) bool { return !e.At.Before(mid) }},
				{"until", map[string]any{"until": until}, func(e *ent.AuditEvent) bool { return e.At.Before(mid) }},
			} {
				t.Run(c.name, func(t *testing.T) {
					var want []int64
					for _, e := range all {
						if c.keep(e) {
							want = append(want, e.Seq)
						}
					}
					if len(want) == 0 || len(want) == len(all) {
						t.Fatalf("the filter keeps %d of %d events: it would not show", len(want), len(all))
					}
					c.vars["first"] = 100
					data := ask(c.vars)
					if diff := cmp.Diff(want, seqsOf(data)); diff != "" {
						t.Errorf("seqs mismatch (-want +got):\n%s", diff)
					}
					if n := path(data, "auditEvents", "totalCount"); n != float64(len(want)) {
						t.Errorf("totalCount %v, want %d", n, len(want))
					}
				})
			}
		})

		t.Run("an event as a node", func(t *testing.T) {
			newest := ask(map[string]any{"first": 1})
			ev := nodesOf(path(newest, "auditEvents"))[0]
			if path(ev, "actor") != branch.Name || path(ev, "action") != "appointment.update" || path(ev, "entityId") != gid("Appointment", w.open[0].ID) {
				t.Errorf("newest event %v", ev)
			}
			data := mustDo(t, w.svc, admin, `query($id: ID!) { node(id: $id) { id ... on AuditEvent { seq } } }`, map[string]any{"id": path(ev, "id")})
			if path(data, "node", "seq") != path(ev, "seq") {
				t.Errorf("node %v, want seq %v", data, path(ev, "seq"))
			}
			for _, role := range []string{asReader, asBranch} {
				r := doAs(t, w.svc, w.viewers[role], `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": path(ev, "id")})
				if codeOf(r) != "FORBIDDEN" || path(r.Data, "node") != nil {
					t.Errorf("%s: node of an audit event answered %v %v, want null and FORBIDDEN", role, r.Data, r.Errors)
				}
			}
		})

		t.Run("refused", func(t *testing.T) {
			for _, role := range []string{asReader, asBranch} {
				r := doAs(t, w.svc, w.viewers[role], auditPage, map[string]any{"first": 1})
				if len(r.Errors) != 1 || codeOf(r) != "FORBIDDEN" || r.Data == nil || path(r.Data, "auditEvents") != nil {
					t.Errorf("%s: got %v %v, want auditEvents null and FORBIDDEN", role, r.Data, r.Errors)
				}
			}
			r := doAs(t, w.svc, admin, auditPage, map[string]any{"first": 1, "entity": "Term", "entityId": gid("Person", 1)})
			if codeOf(r) != "BAD_USER_INPUT" || path(extensions(r.Errors[0]), "field") != "entityId" {
				t.Errorf("entity and entityId disagreeing: %v", r.Errors)
			}
		})
	})
}

// TestViewerSaysWhoAsks checks viewer for each role: name, role, scopes
// and what it may do.
func TestViewerSaysWhoAsks(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		a := setUpAccess(t, s)
		svc := newService(t, s)
		all := []string{"READ_DIRECTORY", "READ_STATISTICS", "READ_ORGANIZATION", "READ_PRIVATE", "READ_AUDIT", "EDIT_MEMBERS", "EDIT_PERSON", "EDIT_ROSTER"}
		for role, want := range map[string]map[string]any{
			asAdmin:       {"role": "ADMIN", "scopes": []any{}, "can": append(slices.Clone(all), "MANAGE_ACCOUNTS", "APPROVE_SUCCESSION", "OVERRIDE_RULES", "CONVENE_MEETINGS", "CLERK_MEETINGS")},
			asSecretariat: {"role": "SECRETARIAT", "scopes": []any{}, "can": append(slices.Clone(all), "APPROVE_SUCCESSION", "CONVENE_MEETINGS", "CLERK_MEETINGS")},
			asReader:      {"role": "READER", "scopes": []any{}, "can": []string{"READ_DIRECTORY", "READ_STATISTICS", "READ_ORGANIZATION"}},
			asBranch: {"role": "BRANCH_SECRETARY", "scopes": []any{map[string]any{"id": gid("Organization", a.cardio.ID), "name": "Cardiology Branch"}},
				"can": []string{"READ_DIRECTORY", "READ_ORGANIZATION", "READ_PRIVATE", "EDIT_PERSON", "EDIT_ROSTER", "CONVENE_MEETINGS", "CLERK_MEETINGS"}},
		} {
			t.Run(role, func(t *testing.T) {
				v := a.viewers[role]
				data := mustDo(t, svc, v, `{ viewer { name role scopes { id name } can } }`, nil)
				want["name"] = v.Name
				var can []any
				for _, c := range want["can"].([]string) {
					can = append(can, c)
				}
				want["can"] = can
				if diff := cmp.Diff(want, path(data, "viewer")); diff != "" {
					t.Errorf("viewer mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}
