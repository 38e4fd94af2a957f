package graph_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// rosterWorld is the demo society set up for writes: the access matrix's
// accounts and organizations, and rows to write on, each used once.
type rosterWorld struct {
	*demoAccess
	s   *registry.Store
	svc *graph.Service
	// memberPost is the Cardiology Branch's Member post, with seats
	// freed from today; chairPost its Chair, full.
	memberPost, chairPost *ent.Post
	// open are open appointments of the active Cardiology term, none of
	// them of sits; outOpen is an open one of the council.
	open    []*ent.Appointment
	outOpen *ent.Appointment
	// eligible are ACTIVE individual members with no appointment in the
	// active Cardiology term; newcomers are people with no membership.
	eligible  []*ent.Person
	newcomers []*ent.Person
	// memberships are ACTIVE memberships of people with no appointment
	// in the active Cardiology term, and none of eligible.
	memberships []*ent.Membership
}

// take removes and returns the first n items of *s, failing when there
// are fewer.
func take[T any](t *testing.T, s *[]T, n int) []T {
	t.Helper()
	if len(*s) < n {
		t.Fatalf("the fixture has %d left, want %d", len(*s), n)
	}
	out := (*s)[:n:n]
	*s = (*s)[n:]
	return out
}

// setUpWrites opens a copy of the demo society on d and prepares it for
// writes: the store's clock on today, three seats of the Cardiology
// Branch's Member post freed from today, and the pools of rows.
func setUpWrites(t *testing.T, d storetest.Dialect, opt loader.Options) *rosterWorld {
	t.Helper()
	ctx := context.Background()
	s := demo.Open(t, d)
	s.Clock = registry.FixedClock(today)
	w := &rosterWorld{s: s, demoAccess: setUpAccess(t, s),
		svc: newServiceWith(t, graph.Deps{Store: s, Clock: registry.FixedClock(today), Loader: opt})}
	c := s.Client
	w.memberPost = c.Post.Query().Where(post.OrganizationID(w.cardio.ID), post.Title("Member")).OnlyX(ctx)
	w.chairPost = c.Post.Query().Where(post.OrganizationID(w.cardio.ID), post.Title("Chair")).OnlyX(ctx)
	open := appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(today))
	w.open = c.Appointment.Query().Where(appointment.TermID(w.inTerm.ID), appointment.PostID(w.memberPost.ID), open,
		appointment.PersonIDNEQ(w.sits.ID)).Order(ent.Asc(appointment.FieldID)).AllX(ctx)
	w.outOpen = c.Appointment.Query().Where(appointment.TermID(w.outTerm.ID), open).Order(ent.Asc(appointment.FieldID)).FirstX(ctx)
	for _, a := range take(t, &w.open, 3) {
		if _, err := s.EndAppointment(ctx, admin, registry.EndInput{AppointmentID: a.ID, EndsOn: today, Reason: "RESIGNED"}); err != nil {
			t.Fatalf("free a seat: %v", err)
		}
	}
	inTerm := map[int]bool{}
	for _, a := range c.Appointment.Query().Where(appointment.TermID(w.inTerm.ID)).AllX(ctx) {
		inTerm[a.PersonID] = true
	}
	for _, m := range c.Membership.Query().Where(membership.StatusEQ(membership.StatusACTIVE), membership.PersonIDNotNil()).
		Order(ent.Asc(membership.FieldID)).WithPerson().AllX(ctx) {
		if inTerm[*m.PersonID] {
			continue
		}
		if len(w.eligible) < 6 {
			w.eligible = append(w.eligible, m.Edges.Person)
		} else {
			w.memberships = append(w.memberships, m)
		}
	}
	for i := range 6 {
		p, err := s.CreatePerson(ctx, admin, registry.PersonInput{Name: "Newcomer " + string(rune('A'+i)), Specialty: "Cardiology"})
		if err != nil {
			t.Fatal(err)
		}
		w.newcomers = append(w.newcomers, p)
	}
	return w
}

// counts are the rows a write may add or change, and the audit trail.
type counts struct{ People, Memberships, StatusChanges, Appointments, Open, Audit int }

func (w *rosterWorld) count(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	c := w.s.Client
	return counts{
		People:        c.Person.Query().CountX(ctx),
		Memberships:   c.Membership.Query().CountX(ctx),
		StatusChanges: c.StatusChange.Query().CountX(ctx),
		Appointments:  c.Appointment.Query().CountX(ctx),
		Open:          c.Appointment.Query().Where(appointment.EndsOnIsNil()).CountX(ctx),
		Audit:         c.AuditEvent.Query().CountX(ctx),
	}
}

// lastEvents returns the newest n audit events, newest first.
func (w *rosterWorld) lastEvents(t *testing.T, n int) []*ent.AuditEvent {
	t.Helper()
	return w.s.Client.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).Limit(n).AllX(context.Background())
}

// mustDo runs a document as v and fails on any error.
func mustDo(t *testing.T, svc *graph.Service, v *registry.Viewer, query string, vars map[string]any) map[string]any {
	t.Helper()
	r := doAs(t, svc, v, query, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	return r.Data
}

// snapshot decodes an audit event's before or after JSON.
func snapshot(t *testing.T, v any) map[string]any {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("audit snapshot %q: %v", s, err)
	}
	return m
}

const auditQuery = `query($id: ID) { auditEvents(first: 5, entityId: $id) { totalCount nodes {
	id seq at actor action entity entityId before after prevHash hash } } }`

// auditOf returns the audit events of the object with global ID gid
// through the API, newest first, as ADMIN.
func auditOf(t *testing.T, w *rosterWorld, gid string) []any {
	t.Helper()
	d := mustDo(t, w.svc, w.viewers[asAdmin], auditQuery, map[string]any{"id": gid})
	return nodesOf(path(d, "auditEvents"))
}

// TestMutationsHappyPaths runs each mutation as the account allowed to,
// and checks its payload (nested objects read through the loaders), the
// rows read back, and the one audit event it wrote, read through
// auditEvents.
func TestMutationsHappyPaths(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := setUpWrites(t, d, loader.Options{})
		sec, branch := w.viewers[asSecretariat], w.viewers[asBranch]
		inst := w.s.Client.Institution.Query().FirstX(context.Background())

		// checkEvent checks the newest event of gid: one more than before,
		// by actor, with action and the snapshots' fields.
		checkEvent := func(t *testing.T, gid string, wantEvents int, actor, action string, before, after map[string]any) {
			t.Helper()
			evs := auditOf(t, w, gid)
			if len(evs) != wantEvents {
				t.Fatalf("%d audit events of %s, want %d", len(evs), gid, wantEvents)
			}
			ev := evs[0]
			for k, want := range map[string]any{"actor": actor, "action": action, "entityId": gid} {
				if got := path(ev, k); got != want {
					t.Errorf("audit event %s = %v, want %v", k, got, want)
				}
			}
			for _, s := range []struct {
				name string
				want map[string]any
			}{{"before", before}, {"after", after}} {
				got := snapshot(t, path(ev, s.name))
				if s.want == nil {
					if got != nil {
						t.Errorf("audit %s = %v, want null", s.name, got)
					}
					continue
				}
				for k, v := range s.want {
					if diff := cmp.Diff(v, got[k]); diff != "" {
						t.Errorf("audit %s.%s mismatch (-want +got):\n%s", s.name, k, diff)
					}
				}
			}
		}

		t.Run("createPerson", func(t *testing.T) {
			d := mustDo(t, w.svc, sec, `mutation($inst: ID!) { createPerson(input: {name: "  王小明 ", gender: MALE, birthDate: "1980-02-29",
				professionalTitle: "Attending Physician", specialty: "Cardiology", institutionId: $inst, email: "wang@example.cn",
				phone: "+86 10 1234 5678", idNumber: "11010519800229123X", clientMutationId: "c1"}) {
				clientMutationId person { id name gender birthDate email phone institution { name } membership { id } } } }`,
				map[string]any{"inst": gid("Institution", inst.ID)})
			p := path(d, "createPerson", "person")
			want := map[string]any{"name": "王小明", "gender": "MALE", "birthDate": "1980-02-29", "email": "wang@example.cn",
				"phone": "+86 10 1234 5678", "institution": map[string]any{"name": inst.Name}, "membership": nil}
			for k, v := range want {
				if diff := cmp.Diff(v, path(p, k)); diff != "" {
					t.Errorf("person.%s mismatch (-want +got):\n%s", k, diff)
				}
			}
			if got := path(d, "createPerson", "clientMutationId"); got != "c1" {
				t.Errorf("clientMutationId = %v", got)
			}
			id := path(p, "id").(string)
			back := mustDo(t, w.svc, sec, `query($id: ID!) { person(id: $id) { name specialty } }`, map[string]any{"id": id})
			if got := path(back, "person", "specialty"); got != "Cardiology" {
				t.Errorf("read back specialty %v", got)
			}
			checkEvent(t, id, 1, sec.Name, "person.create", nil, map[string]any{"name": "王小明", "idNumberSet": true, "email": "wang@example.cn"})
		})

		t.Run("updatePerson", func(t *testing.T) {
			id := gid("Person", w.sits.ID)
			d := mustDo(t, w.svc, branch, `mutation($id: ID!) { updatePerson(input: {id: $id, specialty: "Interventional Cardiology", clearInstitution: true}) {
				person { id name specialty institution { id } appointments(first: 1) { totalCount } } } }`, map[string]any{"id": id})
			p := path(d, "updatePerson", "person")
			if path(p, "specialty") != "Interventional Cardiology" || path(p, "institution") != nil || path(p, "name") != w.sits.Name {
				t.Errorf("payload person %v", p)
			}
			if n, _ := path(p, "appointments", "totalCount").(float64); n == 0 {
				t.Errorf("no appointments in reach through the payload: %v", p)
			}
			checkEvent(t, id, 1, branch.Name, "person.update",
				map[string]any{"specialty": w.sits.Specialty}, map[string]any{"specialty": "Interventional Cardiology", "institutionId": nil})
		})

		t.Run("admitMember and changeMembershipStatus", func(t *testing.T) {
			who := w.newcomers[0]
			d := mustDo(t, w.svc, sec, `mutation($p: ID!) { admitMember(input: {kind: INDIVIDUAL, personId: $p, status: ACTIVE, joinedOn: "2026-11-01", reason: "approved"}) {
				membership { id memberNumber kind status joinedOn person { name memberNumber } history(first: 5) { nodes { fromStatus toStatus reason } } } } }`,
				map[string]any{"p": gid("Person", who.ID)})
			m := path(d, "admitMember", "membership")
			number, _ := path(m, "memberNumber").(string)
			if !strings.HasPrefix(number, "M") || path(m, "status") != "ACTIVE" || path(m, "person", "name") != who.Name ||
				path(m, "person", "memberNumber") != number {
				t.Errorf("payload membership %v", m)
			}
			if diff := cmp.Diff([]any{map[string]any{"fromStatus": nil, "toStatus": "ACTIVE", "reason": "approved"}}, nodesOf(path(m, "history"))); diff != "" {
				t.Errorf("history mismatch (-want +got):\n%s", diff)
			}
			mid := path(m, "id").(string)
			checkEvent(t, mid, 1, sec.Name, "membership.admit", nil, map[string]any{"memberNumber": number, "status": "ACTIVE"})

			d = mustDo(t, w.svc, sec, `mutation($m: ID!) { changeMembershipStatus(input: {membershipId: $m, status: SUSPENDED, effectiveOn: "2026-11-20", reason: "dues"}) {
				membership { status leftOn history(first: 5) { nodes { fromStatus toStatus effectiveOn } } } } }`, map[string]any{"m": mid})
			m = path(d, "changeMembershipStatus", "membership")
			if path(m, "status") != "SUSPENDED" {
				t.Errorf("status %v", m)
			}
			hist := nodesOf(path(m, "history"))
			if len(hist) != 2 || path(hist[1], "toStatus") != "SUSPENDED" || path(hist[1], "fromStatus") != "ACTIVE" {
				t.Errorf("history %v", hist)
			}
			checkEvent(t, mid, 2, sec.Name, "membership.status", map[string]any{"status": "ACTIVE"}, map[string]any{"status": "SUSPENDED"})
		})

		t.Run("appoint, endAppointment, updateAppointment", func(t *testing.T) {
			who := w.eligible[0]
			d := mustDo(t, w.svc, branch, `mutation($p: ID!, $post: ID!, $term: ID!) {
				appoint(input: {personId: $p, postId: $post, termId: $term, startsOn: "2026-11-23", obtainedBy: APPOINTED}) {
				appointment { id startsOn endsOn obtainedBy person { name } post { title } term { ordinal organization { name } } } } }`,
				map[string]any{"p": gid("Person", who.ID), "post": gid("Post", w.memberPost.ID), "term": gid("Term", w.inTerm.ID)})
			a := path(d, "appoint", "appointment")
			want := map[string]any{"startsOn": "2026-11-23", "endsOn": nil, "obtainedBy": "APPOINTED", "person": map[string]any{"name": who.Name},
				"post": map[string]any{"title": "Member"}, "term": map[string]any{"ordinal": float64(w.inTerm.Ordinal), "organization": map[string]any{"name": "Cardiology Branch"}}}
			for k, v := range want {
				if diff := cmp.Diff(v, path(a, k)); diff != "" {
					t.Errorf("appointment.%s mismatch (-want +got):\n%s", k, diff)
				}
			}
			id := path(a, "id").(string)
			checkEvent(t, id, 1, branch.Name, "appointment.create", nil, map[string]any{"personId": float64(who.ID), "postId": float64(w.memberPost.ID), "endsOn": nil})

			d = mustDo(t, w.svc, branch, `mutation($a: ID!) { endAppointment(input: {appointmentId: $a, endsOn: "2026-12-01", reason: RESIGNED}) {
				appointment { id endsOn endReason person { name } } } }`, map[string]any{"a": id})
			if a := path(d, "endAppointment", "appointment"); path(a, "endsOn") != "2026-12-01" || path(a, "endReason") != "RESIGNED" || path(a, "id") != id {
				t.Errorf("ended %v", a)
			}
			checkEvent(t, id, 2, branch.Name, "appointment.end", map[string]any{"endsOn": nil}, map[string]any{"endsOn": "2026-12-01", "endReason": "RESIGNED"})

			d = mustDo(t, w.svc, branch, `mutation($a: ID!) { updateAppointment(input: {appointmentId: $a, clearEnd: true, obtainedBy: ELECTED}) {
				appointment { endsOn endReason obtainedBy term { appointments(first: 100, asOf: "2027-01-01") { totalCount } } } } }`, map[string]any{"a": id})
			a = path(d, "updateAppointment", "appointment")
			if path(a, "endsOn") != nil || path(a, "endReason") != nil || path(a, "obtainedBy") != "ELECTED" {
				t.Errorf("updated %v", a)
			}
			checkEvent(t, id, 3, branch.Name, "appointment.update", map[string]any{"obtainedBy": "APPOINTED"}, map[string]any{"obtainedBy": "ELECTED", "endsOn": nil})
		})

		t.Run("exportRoster and importRoster", func(t *testing.T) {
			term := gid("Term", w.inTerm.ID)
			d := mustDo(t, w.svc, branch, `query($t: ID!) { exportRoster(term: $t) }`, map[string]any{"t": term})
			text := path(d, "exportRoster").(string)
			rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			n := w.s.Client.Appointment.Query().Where(appointment.TermID(w.inTerm.ID)).CountX(context.Background())
			if len(rows) != n+1 || rows[0][0] != "post" {
				t.Fatalf("export has %d rows, header %v; want %d appointments", len(rows)-1, rows[0], n)
			}
			before := w.count(t)
			const importDoc = `mutation($t: ID!, $csv: String!) { importRoster(input: {term: $t, csv: $csv, clientMutationId: "i"}) {
				clientMutationId created updated unchanged untouched term { ordinal } } }`
			d = mustDo(t, w.svc, branch, importDoc, map[string]any{"t": term, "csv": text})
			want := map[string]any{"clientMutationId": "i", "created": 0.0, "updated": 0.0, "unchanged": float64(n), "untouched": 0.0,
				"term": map[string]any{"ordinal": float64(w.inTerm.Ordinal)}}
			if diff := cmp.Diff(want, path(d, "importRoster")); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, w.count(t)); diff != "" {
				t.Errorf("a round trip wrote (-before +after):\n%s", diff)
			}

			// Change one row's obtained_by: one appointment updated, one event.
			target := w.open[0]
			if target.ObtainedBy == appointment.ObtainedByEX_OFFICIO {
				t.Fatalf("appointment %d is EX_OFFICIO already", target.ID)
			}
			changed, row := withObtainedBy(t, text, target.PersonID, "Member", "EX_OFFICIO")
			d = mustDo(t, w.svc, branch, importDoc, map[string]any{"t": term, "csv": changed})
			want["updated"], want["unchanged"] = 1.0, float64(n-1)
			if diff := cmp.Diff(want, path(d, "importRoster")); diff != "" {
				t.Errorf("import of line %d mismatch (-want +got):\n%s", row, diff)
			}
			checkEvent(t, gid("Appointment", target.ID), 1, branch.Name, "appointment.update",
				map[string]any{"obtainedBy": string(target.ObtainedBy)}, map[string]any{"obtainedBy": "EX_OFFICIO"})
		})
	})
}

// withObtainedBy returns the roster file text with the obtained_by of
// person's row of the post titled title changed to by, and that row's
// line.
func withObtainedBy(t *testing.T, text string, person int, title, by string) (string, int) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	line := 0
	for i, r := range rows[1:] {
		if r[col("person_id")] == strconv.Itoa(person) && r[col("post")] == title {
			r[col("obtained_by")] = by
			line = i + 2
		}
	}
	if line == 0 {
		t.Fatalf("no %s row of person %d", title, person)
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(rows)
	return b.String(), line
}

// refused runs a document as v that must fail with one error of code,
// its payload null, and write nothing; it returns the error.
func refused(t *testing.T, w *rosterWorld, v *registry.Viewer, code, query string, vars map[string]any) map[string]any {
	t.Helper()
	before := w.count(t)
	r := doAs(t, w.svc, v, query, vars)
	if len(r.Errors) != 1 || codeOf(r) != code {
		t.Fatalf("got errors %v, want one %s", r.Errors, code)
	}
	for k, v := range r.Data {
		if v != nil {
			t.Errorf("%s answered %v beside its error", k, v)
		}
	}
	if diff := cmp.Diff(before, w.count(t)); diff != "" {
		t.Errorf("a refused write wrote (-before +after):\n%s", diff)
	}
	return r.Errors[0]
}

// extensions returns an error's extensions without the message.
func extensions(e map[string]any) map[string]any {
	ext, _ := e["extensions"].(map[string]any)
	return ext
}

// TestMutationsRefuseBadInput checks that bad input is refused with its
// code, the input field at fault as input.<field>, the rule, and every
// fault listed, and that nothing is written.
func TestMutationsRefuseBadInput(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := setUpWrites(t, d, loader.Options{})
		sec := w.viewers[asSecretariat]
		const appointDoc = `mutation($p: ID!, $post: ID!, $term: ID!) {
			appoint(input: {personId: $p, postId: $post, termId: $term, startsOn: "2026-11-23", obtainedBy: ELECTED}) { appointment { id } } }`
		appointVars := func(person, postID string) map[string]any {
			return map[string]any{"p": person, "post": postID, "term": gid("Term", w.inTerm.ID)}
		}

		t.Run("an invalid email", func(t *testing.T) {
			e := refused(t, w, sec, "BAD_USER_INPUT", `mutation { createPerson(input: {name: "Li Lei", email: "li.lei-at-example.cn"}) { person { id } } }`, nil)
			want := map[string]any{"code": "BAD_USER_INPUT", "field": "input.email", "rule": "email",
				"problems": []any{map[string]any{"field": "input.email", "rule": "email", "message": "email must be an email address"}}}
			if diff := cmp.Diff(want, extensions(e)); diff != "" {
				t.Errorf("extensions mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("every fault of an input", func(t *testing.T) {
			e := refused(t, w, sec, "BAD_USER_INPUT", `mutation { createPerson(input: {name: "", phone: "12", birthDate: "2030-01-01"}) { person { id } } }`, nil)
			var got []string
			for _, p := range extensions(e)["problems"].([]any) {
				got = append(got, path(p, "field").(string)+" "+path(p, "rule").(string))
			}
			slices.Sort(got)
			if diff := cmp.Diff([]string{"input.birthDate past", "input.name required", "input.phone phone"}, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("an appointment over the seats", func(t *testing.T) {
			e := refused(t, w, sec, "RULE_VIOLATION", appointDoc, appointVars(gid("Person", w.eligible[1].ID), gid("Post", w.chairPost.ID)))
			if ext := extensions(e); ext["rule"] != "seats" || ext["field"] != "input.postId" {
				t.Errorf("extensions %v, want rule seats on input.postId", ext)
			}
		})

		t.Run("an ID of the wrong type", func(t *testing.T) {
			e := refused(t, w, sec, "BAD_USER_INPUT", appointDoc, appointVars(gid("Post", w.memberPost.ID), gid("Post", w.memberPost.ID)))
			if ext := extensions(e); ext["field"] != "input.personId" {
				t.Errorf("extensions %v, want field input.personId", ext)
			}
			e = refused(t, w, sec, "BAD_USER_INPUT", appointDoc, appointVars(gid("Person", w.eligible[1].ID), "not-an-id"))
			if ext := extensions(e); ext["field"] != "input.postId" {
				t.Errorf("extensions %v, want field input.postId", ext)
			}
		})

		t.Run("an illegal status move", func(t *testing.T) {
			m := w.memberships[0]
			e := refused(t, w, sec, "RULE_VIOLATION", `mutation($m: ID!) { changeMembershipStatus(input: {membershipId: $m, status: APPLICANT,
				effectiveOn: "2026-11-23", reason: "back"}) { membership { id } } }`, map[string]any{"m": gid("Membership", m.ID)})
			if ext := extensions(e); ext["rule"] != "transition" || ext["field"] != "input.status" {
				t.Errorf("extensions %v, want rule transition on input.status", ext)
			}
		})

		t.Run("a person out of scope", func(t *testing.T) {
			e := refused(t, w, w.viewers[asBranch], "FORBIDDEN", `mutation($id: ID!) { updatePerson(input: {id: $id, specialty: "x"}) { person { id } } }`,
				map[string]any{"id": gid("Person", w.never.ID)})
			if ext := extensions(e); ext["field"] != "input.id" {
				t.Errorf("extensions %v, want field input.id", ext)
			}
		})

		t.Run("a roster file with three bad rows", func(t *testing.T) {
			term := gid("Term", w.inTerm.ID)
			text := path(mustDo(t, w.svc, sec, `query($t: ID!) { exportRoster(term: $t) }`, map[string]any{"t": term}), "exportRoster").(string)
			lines := strings.Count(text, "\n")
			number := w.s.Client.Membership.Query().Where(membership.PersonID(w.eligible[2].ID)).OnlyX(context.Background()).MemberNumber
			bad := text +
				"Janitor,," + number + ",,2026-11-23,,APPOINTED,\n" + // no such post
				"Member,," + number + ",,2026-13-01,,APPOINTED,\n" + // no such day
				"Member,," + number + ",,2026-11-23,,BRIBED,\n" // no such way
			e := refused(t, w, sec, "BAD_USER_INPUT", `mutation($t: ID!, $csv: String!) { importRoster(input: {term: $t, csv: $csv}) { created } }`,
				map[string]any{"t": term, "csv": bad})
			ext := extensions(e)
			if ext["field"] != "input.csv" {
				t.Errorf("field %v, want input.csv", ext["field"])
			}
			var got []string
			for _, p := range ext["problems"].([]any) {
				got = append(got, jsonInt(path(p, "line"))+" "+path(p, "field").(string)+" "+path(p, "rule").(string))
			}
			want := []string{jsonInt(lines+1) + " post exists", jsonInt(lines+2) + " starts_on date", jsonInt(lines+3) + " obtained_by oneOf"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	})
}

func jsonInt(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestMutationsInOneDocumentSeeEachOther sends several writes in one
// document. They run in order, and each starts the request's loaders
// over: a row a payload before it loaded (the person, read at once by
// a batch of one) is read again, not served stale from the cache.
func TestMutationsInOneDocumentSeeEachOther(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		// A batch of one key runs as soon as it is asked for, so the
		// first payload's person is read before the rename.
		w := setUpWrites(t, d, loader.Options{BatchCapacity: 1})
		sec := w.viewers[asSecretariat]
		a := w.open[0]
		person := w.s.Client.Person.GetX(context.Background(), a.PersonID)
		data := mustDo(t, w.svc, sec, `mutation($a: ID!, $p: ID!) {
			end: endAppointment(input: {appointmentId: $a, endsOn: "2026-12-01", reason: RESIGNED}) {
				appointment { id endsOn endReason person { id } } }
			rename: updatePerson(input: {id: $p, name: "林新名"}) { person { name } }
			change: updateAppointment(input: {appointmentId: $a, endReason: OTHER}) {
				appointment { id endsOn endReason person { name appointments(first: 100) { nodes { id endsOn endReason } } } } }
		}`, map[string]any{"a": gid("Appointment", a.ID), "p": gid("Person", person.ID)})
		want := map[string]any{
			"end": map[string]any{"appointment": map[string]any{"id": gid("Appointment", a.ID), "endsOn": "2026-12-01", "endReason": "RESIGNED",
				"person": map[string]any{"id": gid("Person", person.ID)}}},
			"rename": map[string]any{"person": map[string]any{"name": "林新名"}},
			"change": map[string]any{"appointment": map[string]any{"id": gid("Appointment", a.ID), "endsOn": "2026-12-01", "endReason": "OTHER",
				"person": map[string]any{"name": "林新名"}}},
		}
		// The person's history, read after every write, holds the
		// appointment as the last write left it.
		var held []any
		for _, n := range nodesOf(path(data, "change", "appointment", "person", "appointments")) {
			if path(n, "id") == gid("Appointment", a.ID) {
				held = append(held, n)
			}
		}
		if diff := cmp.Diff([]any{map[string]any{"id": gid("Appointment", a.ID), "endsOn": "2026-12-01", "endReason": "OTHER"}}, held); diff != "" {
			t.Errorf("history mismatch (-want +got):\n%s", diff)
		}
		delete(path(data, "change", "appointment", "person").(map[string]any), "appointments")
		if diff := cmp.Diff(want, data); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		if got := len(auditOf(t, w, gid("Appointment", a.ID))); got != 2 {
			t.Errorf("%d audit events of the appointment, want 2", got)
		}
	})
}

// TestLoadersStartOver reads a row through the loaders, changes it
// behind them, and reads it again: the cache answers until Reset, the
// database after.
func TestLoadersStartOver(t *testing.T) {
	s := demo.Open(t, storetest.SQLite)
	ctx := context.Background()
	p := s.Client.Person.Query().FirstX(ctx)
	l := loader.New(s.Client, s.Dialect, admin, today, loader.Options{})
	name := func() string {
		t.Helper()
		got, err := l.Person.Load(ctx, p.ID)()
		if err != nil {
			t.Fatal(err)
		}
		return got.Name
	}
	if got := name(); got != p.Name {
		t.Fatalf("first read %q, want %q", got, p.Name)
	}
	s.Client.Person.UpdateOneID(p.ID).SetName("Renamed").ExecX(ctx)
	if got := name(); got != p.Name {
		t.Fatalf("before Reset the cache answers %q, want %q", got, p.Name)
	}
	l.Reset()
	if got := name(); got != "Renamed" {
		t.Errorf("after Reset %q, want Renamed", got)
	}
}

// graphql-go refuses a value that does not fit its input type before any
// resolver runs; the refusal still names the field and the rule.
func TestInputTypeErrorsNameTheField(t *testing.T) {
	svc := newService(t, demo.Open(t))
	const lit = `mutation { appoint(input: {personId: "x", postId: "y", termId: "z", startsOn: %s}) { appointment { id } } }`
	const byVar = `mutation($in: AppointInput!) { appoint(input: $in) { appointment { id } } }`
	for _, c := range []struct {
		name, query         string
		vars                map[string]any
		wantField, wantRule string
	}{
		{"a literal that is no date", fmt.Sprintf(lit, `"2026-13-01", obtainedBy: APPOINTED`), nil, "input.startsOn", "type"},
		{"a literal missing a required field", fmt.Sprintf(lit, `"2026-12-01"`), nil, "input.obtainedBy", "required"},
		{"a variable that is no date", byVar, map[string]any{"in": map[string]any{"personId": "x", "postId": "y", "termId": "z",
			"startsOn": "2026-13-01", "obtainedBy": "APPOINTED"}}, "in.startsOn", "type"},
		{"a variable missing a required field", byVar, map[string]any{"in": map[string]any{"personId": "x", "postId": "y", "termId": "z",
			"startsOn": "2026-12-01"}}, "in.obtainedBy", "required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := do(t, svc, c.query, c.vars)
			if len(res.Errors) != 1 {
				t.Fatalf("errors %v", res.Errors)
			}
			ext, _ := res.Errors[0]["extensions"].(map[string]any)
			if ext["code"] != "BAD_USER_INPUT" || ext["field"] != c.wantField || ext["rule"] != c.wantRule {
				t.Fatalf("extensions %v, want BAD_USER_INPUT, field %s, rule %s", ext, c.wantField, c.wantRule)
			}
		})
	}
}
