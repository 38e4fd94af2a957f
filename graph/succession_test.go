package graph_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

const dueQuery = `query($days: Int!, $first: Int, $after: String) {
  successionsDue(withinDays: $days, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { organization { name } endsOn daysLeft overdue state deferredUntil term { ordinal } successor { ordinal status } }
  }
}`

func dueRows(data map[string]any) []string {
	var out []string
	for _, n := range path(data, "successionsDue", "nodes").([]any) {
		succ := "-"
		if s := path(n, "successor"); s != nil {
			succ = fmt.Sprintf("%v %v", path(s, "ordinal"), path(s, "status"))
		}
		out = append(out, fmt.Sprintf("%v | %v %v overdue=%v %v | deferred %v | term %v | successor %s",
			path(n, "organization", "name"), path(n, "endsOn"), path(n, "daysLeft"), path(n, "overdue"), path(n, "state"),
			path(n, "deferredUntil"), path(n, "term", "ordinal"), succ))
	}
	return out
}

// demoOrg finds a demo organization by name.
func demoOrg(t *testing.T, s *registry.Store, name string) *ent.Organization {
	t.Helper()
	return s.Client.Organization.Query().Where(organization.Name(name)).OnlyX(context.Background())
}

// scopedTo is a branch secretary of one organization without
// sub-organizations.
func scopedTo(name string, org int) *registry.Viewer {
	return registry.NewViewer(0, name, registry.RoleBranchSecretary, []int{org}, []int{org})
}

func TestSuccessionsDueListsTheDemoDashboard(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		data := mustDo(t, svc, admin, dueQuery, map[string]any{"days": 90, "first": 50})
		want := []string{
			"Council of the Lakeside High-Tech Zone Medical Association | 2025-06-01 -540 overdue=true OVERDUE | deferred <nil> | term 2 | successor -",
			"Lakeside High-Tech Zone Medical Association | 2025-06-01 -540 overdue=true OVERDUE | deferred <nil> | term 2 | successor -",
			"Standing Council of the Lakeside High-Tech Zone Medical Association | 2025-06-01 -540 overdue=true OVERDUE | deferred <nil> | term 2 | successor -",
			"General Practice Branch | 2025-07-01 -510 overdue=true OVERDUE | deferred <nil> | term 2 | successor -",
			"Medical Ethics Committee | 2026-01-01 -326 overdue=true OVERDUE | deferred <nil> | term 2 | successor -",
			"Nursing Branch | 2026-10-01 -53 overdue=true OVERDUE | deferred <nil> | term 2 | successor -",
			"Pediatrics Branch | 2026-12-15 22 overdue=false PREPARED | deferred <nil> | term 2 | successor 3 PLANNED",
			"Laboratory Medicine Branch | 2027-01-10 48 overdue=false DUE | deferred <nil> | term 2 | successor -",
			"Health Management Branch | 2027-02-20 89 overdue=false DUE | deferred <nil> | term 2 | successor -",
		}
		if diff := cmp.Diff(want, dueRows(data)); diff != "" {
			t.Errorf("due in 90 days (-want +got):\n%s", diff)
		}
		if n := path(data, "successionsDue", "totalCount"); n != float64(9) {
			t.Errorf("totalCount %v, want 9", n)
		}
		// Health Management ends on the 89th day: in a window of 89, not 88.
		for days, n := range map[int]int{89: 9, 88: 8, 0: 6} {
			data := mustDo(t, svc, admin, dueQuery, map[string]any{"days": days, "first": 50})
			if got := len(dueRows(data)); got != n {
				t.Errorf("within %d days: %d rows, want %d", days, got, n)
			}
		}
		// Pages follow each other.
		first := mustDo(t, svc, admin, dueQuery, map[string]any{"days": 90, "first": 4})
		next := mustDo(t, svc, admin, dueQuery, map[string]any{"days": 90, "first": 5,
			"after": path(first, "successionsDue", "pageInfo", "endCursor")})
		if diff := cmp.Diff(want, append(dueRows(first), dueRows(next)...)); diff != "" {
			t.Errorf("two pages (-want +got):\n%s", diff)
		}

		// A deferral shows on the list and on the term.
		nursing := demoOrg(t, s, "Nursing Branch")
		term := mustDo(t, svc, admin, `query($id: ID!) { organization(id: $id) { currentTerm { id } } }`,
			map[string]any{"id": gid("Organization", nursing.ID)})
		termID := path(term, "organization", "currentTerm", "id")
		got := mustDo(t, svc, registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil), `mutation($in: RecordDeferralInput!) {
  recordDeferral(input: $in) { deferral { until reason approver } term { overdue deferredUntil deferrals { until approver } } }
}`, map[string]any{"in": map[string]any{"termId": termID, "until": "2027-03-01", "reason": "the branch is merging", "approver": "the standing council"}})
		wantDeferral := map[string]any{
			"deferral": map[string]any{"until": "2027-03-01", "reason": "the branch is merging", "approver": "the standing council"},
			"term": map[string]any{"overdue": true, "deferredUntil": "2027-03-01",
				"deferrals": []any{map[string]any{"until": "2027-03-01", "approver": "the standing council"}}},
		}
		if diff := cmp.Diff(wantDeferral, path(got, "recordDeferral")); diff != "" {
			t.Errorf("recordDeferral (-want +got):\n%s", diff)
		}
		rows := dueRows(mustDo(t, svc, admin, dueQuery, map[string]any{"days": 0, "first": 50}))
		if want := "Nursing Branch | 2026-10-01 -53 overdue=true DEFERRED | deferred 2027-03-01 | term 2 | successor -"; rows[5] != want {
			t.Errorf("Nursing after its deferral: %q, want %q", rows[5], want)
		}

		// A branch secretary sees its own organizations only.
		mine := mustDo(t, svc, scopedTo("nursing.sec", nursing.ID), dueQuery, map[string]any{"days": 90, "first": 50})
		if rows := dueRows(mine); len(rows) != 1 || path(mine, "successionsDue", "totalCount") != float64(1) {
			t.Errorf("the Nursing secretary sees %v", rows)
		}
		cardio := demoOrg(t, s, "Cardiology Branch")
		none := mustDo(t, svc, scopedTo("cardio.sec", cardio.ID), dueQuery, map[string]any{"days": 90, "first": 50})
		if rows := dueRows(none); len(rows) != 0 {
			t.Errorf("the Cardiology secretary sees %v", rows)
		}
		r := do(t, svc, dueQuery, map[string]any{"days": -1, "first": 5})
		if codeOf(r) != "BAD_USER_INPUT" || path(r.Errors[0], "extensions", "field") != "withinDays" {
			t.Errorf("a negative window: %v", r.Errors)
		}
	})
}

// TestSuccessionsDueStatementsDoNotGrowWithPageSize: the page, its
// successors, and each successor's roster total cost the same for 7
// rows (Pediatrics, with its successor, is the 7th) as for 9.
func TestSuccessionsDueStatementsDoNotGrowWithPageSize(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		const q = `query($first: Int) { successionsDue(withinDays: 90, first: $first) { totalCount nodes {
  organization { name currentTerm { ordinal } } term { predecessor { ordinal } successor { ordinal } deferredUntil }
  successor { appointments(first: 5) { totalCount } } } } }`
		cost := func(n int) int64 {
			var stmts atomic.Int64
			ctx := registry.WithViewer(registry.WithStatementCounter(context.Background(), &stmts), admin)
			r := run(ctx, t, svc, q, map[string]any{"first": n})
			if len(r.Errors) > 0 || len(path(r.Data, "successionsDue", "nodes").([]any)) != n {
				t.Fatalf("page of %d: %v", n, r.Errors)
			}
			return stmts.Load()
		}
		small, large := cost(7), cost(9)
		if small != large {
			t.Errorf("a page of 7 cost %d statements, a page of 9 %d", small, large)
		}
		if large > 10 {
			t.Errorf("a page cost %d statements, want at most 10", large)
		}
	})
}

// rosterPlan is how a test proposes the next term of a demo
// organization: every open appointment of the current term carried
// over, except leaders who would break the consecutive-term or age
// limit on the start day; each of their posts goes to a member who is
// younger than the limit, whose member appointment is then not carried
// over.
type rosterPlan struct {
	carry    []any             // appointment global IDs
	appoint  map[string]string // person global ID → post global ID
	replaced map[string]string // leader's person global ID → post title, for leaders not carried over
	held     int               // open appointments of the current term
}

const termRosterQuery = `query($id: ID!, $after: String) { node(id: $id) { ... on Term { id ordinal
  appointments(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
    nodes { id endsOn post { id title leadership } person { id name birthDate tenures { post { id } lastTerm { id } consecutiveTerms } } } } } } }`

func planSuccession(t *testing.T, svc *graph.Service, termID string, start time.Time, ageLimit, termLimit int) rosterPlan {
	t.Helper()
	plan := rosterPlan{appoint: map[string]string{}, replaced: map[string]string{}}
	var apps []any
	var after any
	for {
		data := mustDo(t, svc, admin, termRosterQuery, map[string]any{"id": termID, "after": after})
		conn := path(data, "node", "appointments")
		apps = append(apps, path(conn, "nodes").([]any)...)
		if path(conn, "pageInfo", "hasNextPage") != true {
			break
		}
		after = path(conn, "pageInfo", "endCursor")
	}
	young := func(a any) bool {
		b, _ := path(a, "person", "birthDate").(string)
		if b == "" {
			return false
		}
		birth, err := registry.ParseDate(b)
		return err == nil && registry.AgeOn(birth, start) <= ageLimit
	}
	run := func(a any) int {
		for _, tn := range path(a, "person", "tenures").([]any) {
			if path(tn, "post", "id") == path(a, "post", "id") && path(tn, "lastTerm", "id") == termID {
				return int(path(tn, "consecutiveTerms").(float64))
			}
		}
		t.Fatalf("appointment %v has no tenure ending in its term", path(a, "id"))
		return 0
	}
	var vacant []any // leadership posts to fill
	var members []any
	for _, a := range apps {
		if path(a, "endsOn") != nil {
			continue
		}
		plan.held++
		if path(a, "post", "leadership") != true {
			members = append(members, a)
			continue
		}
		if young(a) && run(a)+1 <= termLimit {
			plan.carry = append(plan.carry, path(a, "id"))
			continue
		}
		vacant = append(vacant, path(a, "post", "id"))
		plan.replaced[path(a, "person", "id").(string)] = path(a, "post", "title").(string)
	}
	for _, m := range members {
		who := path(m, "person", "id").(string)
		if len(vacant) > 0 && young(m) && plan.replaced[who] == "" && plan.appoint[who] == "" {
			plan.appoint[who] = vacant[0].(string)
			vacant = vacant[1:]
			continue
		}
		plan.carry = append(plan.carry, path(m, "id"))
	}
	if len(vacant) > 0 {
		t.Fatalf("no member left to fill %d leadership seats", len(vacant))
	}
	return plan
}

const prepareMutation = `mutation($in: PrepareSuccessionInput!) { prepareSuccession(input: $in) { term { id ordinal name startsOn endsOn status
  predecessor { id } appointments(first: 1) { totalCount } } } }`

const appointMutation = `mutation($in: AppointInput!) { appoint(input: $in) { appointment { id } } }`

const reportQuery = `query($id: ID!) { successionReport(term: $id) { on blocked term { id } predecessor { id }
  stayed { person { id } } joined { person { id } } left { person { id } before { post { title } } } changedPost { person { id } before { post { title } } after { post { title } } }
  checks { name passed blocking text faults { person { name } post { title } appointment { id } field message } } } }`

const completeMutation = `mutation($in: CompleteSuccessionInput!) { completeSuccession(input: $in) {
  term { id ordinal status startsOn endsOn predecessor { id } } predecessor { id status actualEnd successor { id } } } }`

const rosterAsOf = `query($id: ID!, $day: Date) { organization(id: $id) { roster(asOf: $day, first: 100) { totalCount
  nodes { person { id } post { title } term { ordinal } } } } }`

// succeed takes a demo organization through a full succession on today
// through the API: prepared by preparer, completed by the secretariat.
// It returns the new term's global ID.
func succeed(t *testing.T, svc *graph.Service, s *registry.Store, org *ent.Organization, preparer *registry.Viewer, name string) string {
	t.Helper()
	orgID := gid("Organization", org.ID)
	cur := mustDo(t, svc, admin, `query($id: ID!) { organization(id: $id) { currentTerm { id ordinal } } }`, map[string]any{"id": orgID})
	oldID := path(cur, "organization", "currentTerm", "id").(string)
	oldOrdinal := path(cur, "organization", "currentTerm", "ordinal").(float64)
	rules := registry.RulesOf(org)
	plan := planSuccession(t, svc, oldID, today, rules.LeadershipAgeLimit, rules.ConsecutiveTermLimit)
	if len(plan.replaced) == 0 {
		t.Logf("%s: every leader may go on", org.Name)
	}

	rosterToday := map[string]any{"id": orgID, "day": "2026-11-23"}
	before := mustDo(t, svc, admin, rosterAsOf, rosterToday)
	prep := mustDo(t, svc, preparer, prepareMutation, map[string]any{"in": map[string]any{
		"organizationId": orgID, "startsOn": "2026-11-23", "name": name, "carryOver": plan.carry}})
	nt := path(prep, "prepareSuccession", "term")
	newID := path(nt, "id").(string)
	wantTerm := map[string]any{"id": newID, "ordinal": oldOrdinal + 1, "name": name, "startsOn": "2026-11-23",
		"endsOn": registry.Day(2026+rules.TermYears, 11, 23).Format(registry.DateLayout), "status": "PLANNED",
		"predecessor": map[string]any{"id": oldID}, "appointments": map[string]any{"totalCount": float64(len(plan.carry))}}
	if diff := cmp.Diff(wantTerm, nt); diff != "" {
		t.Errorf("prepared term (-want +got):\n%s", diff)
	}
	for who, post := range plan.appoint {
		mustDo(t, svc, preparer, appointMutation, map[string]any{"in": map[string]any{
			"personId": who, "postId": post, "termId": newID, "startsOn": "2026-11-23", "obtainedBy": "ELECTED"}})
	}

	// Prepared but not completed: the planned people, whose
	// appointments start today, have not taken office.
	if diff := cmp.Diff(before, mustDo(t, svc, admin, rosterAsOf, rosterToday)); diff != "" {
		t.Errorf("the roster as of today changed before the succession completed (-before +after):\n%s", diff)
	}
	rep := mustDo(t, svc, preparer, reportQuery, map[string]any{"id": newID})
	report := path(rep, "successionReport")
	if path(report, "blocked") != false {
		t.Fatalf("the planned roster is blocked: %v", path(report, "checks"))
	}
	stayed, joined := len(path(report, "stayed").([]any)), len(path(report, "joined").([]any))
	left, changed := len(path(report, "left").([]any)), len(path(report, "changedPost").([]any))
	if joined != 0 || left != len(plan.replaced) || changed != len(plan.appoint) || stayed+changed+left == 0 {
		t.Errorf("diff: stayed %d, joined %d, left %d, changed post %d; want 0 joined, %d left, %d changed",
			stayed, joined, left, changed, len(plan.replaced), len(plan.appoint))
	}
	for _, c := range path(report, "checks").([]any) {
		if path(c, "blocking") == true && path(c, "passed") != true {
			t.Errorf("failing check %v", c)
		}
	}

	// A branch secretary prepares; only the secretariat completes.
	if preparer.Role == registry.RoleBranchSecretary {
		r := doAs(t, svc, preparer, completeMutation, map[string]any{"in": map[string]any{"termId": newID, "on": "2026-11-23"}})
		if codeOf(r) != "FORBIDDEN" || path(r.Data, "completeSuccession") != nil {
			t.Errorf("a branch secretary completing: %v", r.Errors)
		}
	}
	office := registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil)
	done := mustDo(t, svc, office, completeMutation, map[string]any{"in": map[string]any{"termId": newID, "on": "2026-11-23"}})
	want := map[string]any{
		"term": map[string]any{"id": newID, "ordinal": oldOrdinal + 1, "status": "ACTIVE", "startsOn": "2026-11-23",
			"endsOn": registry.Day(2026+rules.TermYears, 11, 23).Format(registry.DateLayout), "predecessor": map[string]any{"id": oldID}},
		"predecessor": map[string]any{"id": oldID, "status": "ENDED", "actualEnd": "2026-11-23", "successor": map[string]any{"id": newID}},
	}
	if diff := cmp.Diff(want, path(done, "completeSuccession")); diff != "" {
		t.Errorf("completeSuccession (-want +got):\n%s", diff)
	}
	r := doAs(t, svc, office, completeMutation, map[string]any{"in": map[string]any{"termId": newID, "on": "2026-11-23"}})
	if codeOf(r) != "CONFLICT" || path(r.Errors[0], "extensions", "field") != "input.termId" {
		t.Errorf("completing twice: %v", r.Errors)
	}

	// The roster as of the day before, the day of and the day after.
	newSize := float64(len(plan.carry) + len(plan.appoint))
	for _, c := range []struct {
		day     string
		ordinal float64
		size    float64
	}{{"2026-11-22", oldOrdinal, float64(plan.held)}, {"2026-11-23", oldOrdinal + 1, newSize}, {"2026-11-24", oldOrdinal + 1, newSize}} {
		data := mustDo(t, svc, admin, rosterAsOf, map[string]any{"id": orgID, "day": c.day})
		roster := path(data, "organization", "roster")
		if n := path(roster, "totalCount"); n != c.size {
			t.Errorf("roster as of %s: %v held, want %v", c.day, n, c.size)
		}
		for _, n := range path(roster, "nodes").([]any) {
			if o := path(n, "term", "ordinal"); o != c.ordinal {
				t.Errorf("roster as of %s: a post held in term %v, want %v", c.day, o, c.ordinal)
				break
			}
		}
	}
	return newID
}

func TestDemoCouncilSuccessionThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		council := demoOrg(t, s, "Council of the Lakeside High-Tech Zone Medical Association")
		newID := succeed(t, svc, s, council, admin, "The Third Council")
		// M000001 was president of both councils: on the 22nd the
		// president, no longer on the 23rd.
		for day, want := range map[string]string{"2026-11-22": gid("Person", 1), "2026-11-23": ""} {
			data := mustDo(t, svc, admin, rosterAsOf, map[string]any{"id": gid("Organization", council.ID), "day": day})
			first := path(data, "organization", "roster", "nodes").([]any)[0]
			if title := path(first, "post", "title"); title != "President" {
				t.Fatalf("as of %s the first post is %v", day, title)
			}
			if got := path(first, "person", "id"); (want != "" && got != want) || (want == "" && got == gid("Person", 1)) {
				t.Errorf("president as of %s: %v", day, got)
			}
		}
		// A council member carried over counts a further consecutive term.
		data := mustDo(t, svc, admin, `query($id: ID!) { node(id: $id) { ... on Term { appointments(last: 1, asOf: "2026-11-23") {
  nodes { post { title } obtainedBy person { tenures { post { title } lastTerm { id ordinal } consecutiveTerms firstTerm { ordinal } } } } } } } }`,
			map[string]any{"id": newID})
		member := path(data, "node", "appointments", "nodes").([]any)[0]
		if path(member, "post", "title") != "Council Member" || path(member, "obtainedBy") != "CARRIED_OVER" {
			t.Fatalf("last of the roster: %v", member)
		}
		var run any
		for _, tn := range path(member, "person", "tenures").([]any) {
			if path(tn, "post", "title") == "Council Member" && path(tn, "lastTerm", "id") == newID {
				run = tn
			}
		}
		first, _ := path(run, "firstTerm", "ordinal").(float64)
		if n, _ := path(run, "consecutiveTerms").(float64); n < 2 || n != 3-first+1 {
			t.Errorf("the carried-over member's tenure %v: want at least 2 consecutive terms ending with the third", run)
		}
	})
}

func TestDemoBranchSuccessionThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		nursing := demoOrg(t, s, "Nursing Branch")
		succeed(t, svc, s, nursing, scopedTo("nursing.sec", nursing.ID), "The Third Committee")
		data := mustDo(t, svc, admin, dueQuery, map[string]any{"days": 0, "first": 50})
		for _, row := range dueRows(data) {
			if contains(row, "Nursing") {
				t.Errorf("Nursing is still due: %s", row)
			}
		}
	})
}

func TestCompleteSuccessionThroughTheAPIRefusesUnlessAnAdminOverrides(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		lab := demoOrg(t, s, "Laboratory Medicine Branch")
		// The next term without its leaders: leadershipFilled fails.
		var carry []any
		cur := s.Client.Organization.QueryTerms(lab).Where(term.StatusEQ(term.StatusACTIVE)).OnlyX(context.Background())
		for _, a := range s.Client.Term.QueryAppointments(cur).WithPost().AllX(context.Background()) {
			if a.EndsOn == nil && !a.Edges.Post.Leadership {
				carry = append(carry, gid("Appointment", a.ID))
			}
		}
		prep := mustDo(t, svc, admin, prepareMutation, map[string]any{"in": map[string]any{
			"organizationId": gid("Organization", lab.ID), "startsOn": "2026-11-23", "carryOver": carry}})
		newID := path(prep, "prepareSuccession", "term", "id")
		rep := mustDo(t, svc, admin, reportQuery, map[string]any{"id": newID})
		var failing []string
		for _, c := range path(rep, "successionReport", "checks").([]any) {
			if path(c, "blocking") == true && path(c, "passed") == false {
				failing = append(failing, fmt.Sprintf("%v: %v", path(c, "name"), path(c, "text")))
			}
		}
		want := []string{"leadershipFilled: leadership posts held: Chair 0/1, Vice Chair 0/3; vacant: Chair, Vice Chair: FAIL"}
		if diff := cmp.Diff(want, failing); diff != "" {
			t.Errorf("failing checks (-want +got):\n%s", diff)
		}

		office := registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil)
		in := map[string]any{"termId": newID, "on": "2026-11-23"}
		r := doAs(t, svc, office, completeMutation, map[string]any{"in": in})
		ext, _ := path(r.Errors[0], "extensions").(map[string]any)
		if codeOf(r) != "RULE_VIOLATION" || ext["field"] != "input.termId" || ext["rule"] != "leadershipFilled" {
			t.Errorf("a blocked succession: %v", r.Errors)
		}
		if probs, _ := ext["problems"].([]any); len(probs) != 1 || path(probs[0], "rule") != "leadershipFilled" {
			t.Errorf("problems %v", ext["problems"])
		}
		in["override"] = map[string]any{"reason": "the leaders are elected at the first meeting"}
		r = doAs(t, svc, office, completeMutation, map[string]any{"in": in})
		if codeOf(r) != "FORBIDDEN" || path(r.Errors[0], "extensions", "field") != "input.override" {
			t.Errorf("the secretariat overriding: %v", r.Errors)
		}
		done := mustDo(t, svc, admin, completeMutation, map[string]any{"in": in})
		if path(done, "completeSuccession", "term", "status") != "ACTIVE" {
			t.Errorf("override: %v", done)
		}
		e := s.Client.AuditEvent.Query().Where(auditevent.Action("succession.override")).OnlyX(context.Background())
		if e.After == nil || !contains(*e.After, `"reason":"the leaders are elected at the first meeting"`) || !contains(*e.After, "leadershipFilled") {
			t.Errorf("override event %v", e.After)
		}
	})
}

func TestSuccessionReportOfTheDemoPediatricsTerm(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		svc := newService(t, s)
		ped := demoOrg(t, s, "Pediatrics Branch")
		data := mustDo(t, svc, admin, `query($id: ID!) { organization(id: $id) { terms(first: 5) { nodes { id ordinal status } }
  posts(first: 1) { nodes { id title } } } }`, map[string]any{"id": gid("Organization", ped.ID)})
		planned := path(data, "organization", "terms", "nodes").([]any)[0]
		if path(planned, "status") != "PLANNED" {
			t.Fatalf("Pediatrics' newest term %v", planned)
		}
		chair := path(data, "organization", "posts", "nodes").([]any)[0]
		// M000005 chairs Pediatrics and turns 70 on 2026-12-15, the day its
		// next term starts: a birthday on the day counts as reached, and 70
		// is within the limit.
		mustDo(t, svc, admin, appointMutation, map[string]any{"in": map[string]any{
			"personId": gid("Person", 5), "postId": path(chair, "id"), "termId": path(planned, "id"),
			"startsOn": "2026-12-15", "obtainedBy": "ELECTED"}})
		rep := mustDo(t, svc, admin, reportQuery, map[string]any{"id": path(planned, "id")})
		var age map[string]any
		for _, c := range path(rep, "successionReport", "checks").([]any) {
			if path(c, "name") == "leadershipAgeLimit" {
				age = c.(map[string]any)
			}
		}
		name := s.Client.Person.GetX(context.Background(), 5).Name
		want := fmt.Sprintf("leadership age on 2026-12-15: oldest 70 (%s, Chair), at most 70: PASS", name)
		if age == nil || age["text"] != want || age["passed"] != true {
			t.Errorf("age check %v, want %q", age, want)
		}
		if path(rep, "successionReport", "on") != "2026-12-15" {
			t.Errorf("report on %v", path(rep, "successionReport", "on"))
		}
		// A branch secretary of another branch may not read it.
		cardio := demoOrg(t, s, "Cardiology Branch")
		r := doAs(t, svc, scopedTo("cardio.sec", cardio.ID), reportQuery, map[string]any{"id": path(planned, "id")})
		if codeOf(r) != "FORBIDDEN" || r.Data == nil || path(r.Data, "successionReport") != nil {
			t.Errorf("out of scope: %v", r.Errors)
		}
	})
}

// Every organization the demo's dashboard shows due within 90 days, and
// not yet prepared, goes through a full succession through the API,
// prepared by its own branch secretary; afterwards nothing but the
// prepared one is due.
func TestEveryDueDemoBranchSuccessionThroughTheAPI(t *testing.T) {
	s := demo.Open(t)
	svc := newService(t, s)
	data := mustDo(t, svc, admin, dueQuery, map[string]any{"days": 90, "first": 50})
	done := 0
	for _, n := range path(data, "successionsDue", "nodes").([]any) {
		name := path(n, "organization", "name").(string)
		if path(n, "successor") != nil || !strings.HasSuffix(name, "Branch") {
			continue
		}
		org := demoOrg(t, s, name)
		succeed(t, svc, s, org, scopedTo("sec."+strconv.Itoa(org.ID), org.ID), "The Next Committee")
		t.Logf("%s: succeeded", name)
		done++
	}
	if done < 4 {
		t.Fatalf("%d due branches taken through succession; the demo has at least 4", done)
	}
	after := dueRows(mustDo(t, svc, admin, dueQuery, map[string]any{"days": 90, "first": 50}))
	for _, row := range after {
		if strings.Contains(row, "Branch") && !strings.Contains(row, "PREPARED") {
			t.Errorf("still due after its succession: %s", row)
		}
	}
}
