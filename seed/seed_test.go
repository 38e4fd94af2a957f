package seed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// forEachDB runs fn on a fresh SQLite database and, when
// REGISTRY_TEST_POSTGRES holds a DSN, on a fresh PostgreSQL database.
func forEachDB(t *testing.T, fn func(t *testing.T, s *registry.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, openStore(t, filepath.Join(t.TempDir(), "t.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("REGISTRY_TEST_POSTGRES")
		if dsn == "" {
			t.Skip("REGISTRY_TEST_POSTGRES not set: PostgreSQL suite skipped")
		}
		fn(t, openStore(t, freshPostgres(t, dsn)))
	})
}

func openStore(t *testing.T, dsn string) *registry.Store {
	t.Helper()
	s, err := registry.Open(context.Background(), dsn, registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// freshPostgres creates a database of its own for the test on the server
// dsn names, dropped when the test ends, and returns its DSN.
func freshPostgres(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "seed_" + strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(t.Name(), "_")) +
		fmt.Sprintf("_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if len(name) > 63 {
		name = name[len(name)-63:]
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	// Registered first, so it runs after the store opened on it is closed.
	t.Cleanup(func() {
		if err := storetest.DropDatabase(admin, name); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// world is every seeded row, read back for checking.
type world struct {
	people      map[int]*ent.Person
	memberships []*ent.Membership // with status changes, by id
	orgs        map[int]*ent.Organization
	terms       map[int]*ent.Term
	posts       map[int]*ent.Post
	appts       []*ent.Appointment // by id
}

func load(t *testing.T, c *ent.Client) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{people: map[int]*ent.Person{}, orgs: map[int]*ent.Organization{}, terms: map[int]*ent.Term{}, posts: map[int]*ent.Post{}}
	for _, p := range c.Person.Query().AllX(ctx) {
		w.people[p.ID] = p
	}
	w.memberships = c.Membership.Query().
		WithStatusChanges(func(q *ent.StatusChangeQuery) { q.Order(statuschange.ByEffectiveOn(), statuschange.ByID()) }).
		Order(membership.ByID()).AllX(ctx)
	for _, o := range c.Organization.Query().AllX(ctx) {
		w.orgs[o.ID] = o
	}
	for _, x := range c.Term.Query().AllX(ctx) {
		w.terms[x.ID] = x
	}
	for _, p := range c.Post.Query().AllX(ctx) {
		w.posts[p.ID] = p
	}
	w.appts = c.Appointment.Query().Order(appointment.ByID()).AllX(ctx)
	return w
}

// holds reports whether a is held on day d: dates are half-open.
func holds(a *ent.Appointment, d time.Time) bool {
	return !a.StartsOn.After(d) && (a.EndsOn == nil || d.Before(*a.EndsOn))
}

// statusOf maps people to their membership status.
func (w *world) statusOf() map[int]membership.Status {
	m := map[int]membership.Status{}
	for _, ms := range w.memberships {
		if ms.PersonID != nil {
			m[*ms.PersonID] = ms.Status
		}
	}
	return m
}

// legalMove is DESIGN.md's list: APPLICANT → ACTIVE; ACTIVE ⇄ SUSPENDED;
// ACTIVE or SUSPENDED → LAPSED; LAPSED → ACTIVE; any → EXPELLED or
// DECEASED.
func legalMove(from, to string) bool {
	switch to {
	case "EXPELLED", "DECEASED":
		return from != "EXPELLED" && from != "DECEASED"
	}
	switch from + ">" + to {
	case "APPLICANT>ACTIVE", "ACTIVE>SUSPENDED", "SUSPENDED>ACTIVE", "ACTIVE>LAPSED", "SUSPENDED>LAPSED", "LAPSED>ACTIVE":
		return true
	}
	return false
}

// checkInvariants checks what must hold of any registry data.
func checkInvariants(t *testing.T, w *world) {
	t.Helper()
	// At most one ACTIVE term per organization, and the actual dates of an
	// organization's terms never overlap.
	byOrg := map[int][]*ent.Term{}
	for _, x := range w.terms {
		byOrg[x.OrganizationID] = append(byOrg[x.OrganizationID], x)
		if !x.StartsOn.Before(x.EndsOn) {
			t.Errorf("term %d: starts %v, ends %v", x.ID, x.StartsOn, x.EndsOn)
		}
		if (x.Status == term.StatusENDED) != (x.ActualEnd != nil) {
			t.Errorf("term %d is %s with actual end %v", x.ID, x.Status, x.ActualEnd)
		}
	}
	for org, terms := range byOrg {
		active := 0
		for _, a := range terms {
			if a.Status == term.StatusACTIVE {
				active++
			}
			for _, b := range terms {
				if a.ID >= b.ID || a.Status == term.StatusPLANNED || b.Status == term.StatusPLANNED {
					continue
				}
				aEnd, bEnd := a.ActualEnd, b.ActualEnd
				if (aEnd == nil || b.StartsOn.Before(*aEnd)) && (bEnd == nil || a.StartsOn.Before(*bEnd)) {
					t.Errorf("organization %d: terms %d and %d overlap", org, a.ID, b.ID)
				}
			}
		}
		if active > 1 {
			t.Errorf("organization %d has %d ACTIVE terms", org, active)
		}
	}

	// Appointments lie inside their term, on a post of the term's
	// organization, one per person, post and term.
	type key struct{ person, post, term int }
	seen := map[key]bool{}
	byPostTerm := map[[2]int][]*ent.Appointment{}
	for _, a := range w.appts {
		x, p := w.terms[a.TermID], w.posts[a.PostID]
		if p.OrganizationID != x.OrganizationID {
			t.Errorf("appointment %d: post %d and term %d belong to different organizations", a.ID, p.ID, x.ID)
		}
		k := key{a.PersonID, a.PostID, a.TermID}
		if seen[k] {
			t.Errorf("appointment %d: person %d holds post %d twice in term %d", a.ID, a.PersonID, a.PostID, a.TermID)
		}
		seen[k] = true
		if a.StartsOn.Before(x.StartsOn) {
			t.Errorf("appointment %d starts %v, before its term %d (%v)", a.ID, a.StartsOn, x.ID, x.StartsOn)
		}
		if a.EndsOn != nil && !a.StartsOn.Before(*a.EndsOn) {
			t.Errorf("appointment %d: starts %v, ends %v", a.ID, a.StartsOn, *a.EndsOn)
		}
		switch x.Status {
		case term.StatusENDED:
			if a.EndsOn == nil || a.EndsOn.After(*x.ActualEnd) {
				t.Errorf("appointment %d ends %v, after its term %d (%v)", a.ID, a.EndsOn, x.ID, *x.ActualEnd)
			}
		case term.StatusPLANNED:
			t.Errorf("appointment %d in planned term %d", a.ID, x.ID)
		}
		if (a.EndsOn == nil) != (a.EndReason == nil) && x.Status == term.StatusENDED {
			t.Errorf("appointment %d: end %v, reason %v", a.ID, a.EndsOn, a.EndReason)
		}
		byPostTerm[[2]int{a.PostID, a.TermID}] = append(byPostTerm[[2]int{a.PostID, a.TermID}], a)
	}

	// No seat is ever over-filled: the holders on any appointment's first
	// day (where the count can rise) are at most the seats.
	for k, as := range byPostTerm {
		seats := w.posts[k[0]].Seats
		for _, a := range as {
			n := 0
			for _, b := range as {
				if holds(b, a.StartsOn) {
					n++
				}
			}
			if n > seats {
				t.Errorf("post %d in term %d: %d holders on %v, %d seats", k[0], k[1], n, a.StartsOn.Format(time.DateOnly), seats)
			}
		}
	}

	// Every membership's history is a chain of legal moves ending in its
	// status, and member numbers follow the rules' patterns.
	for _, m := range w.memberships {
		sc := m.Edges.StatusChanges
		if len(sc) == 0 {
			t.Errorf("membership %s has no history", m.MemberNumber)
			continue
		}
		if sc[0].FromStatus != nil {
			t.Errorf("membership %s: first change is from %s", m.MemberNumber, *sc[0].FromStatus)
		}
		for i := 1; i < len(sc); i++ {
			from, to := string(*sc[i].FromStatus), string(sc[i].ToStatus)
			if from != string(sc[i-1].ToStatus) || !legalMove(from, to) {
				t.Errorf("membership %s: move %d %s → %s after %s", m.MemberNumber, i, from, to, sc[i-1].ToStatus)
			}
		}
		if last := sc[len(sc)-1]; string(last.ToStatus) != string(m.Status) {
			t.Errorf("membership %s is %s, history ends %s", m.MemberNumber, m.Status, last.ToStatus)
		}
		if sc[0].EffectiveOn.After(m.JoinedOn) {
			t.Errorf("membership %s joined %v, history starts %v", m.MemberNumber, m.JoinedOn, sc[0].EffectiveOn)
		}
		pattern := `^M\d{6}$`
		if m.Kind == membership.KindUNIT {
			pattern = `^U\d{4}$`
		}
		if !regexp.MustCompile(pattern).MatchString(m.MemberNumber) {
			t.Errorf("member number %q is not %s", m.MemberNumber, pattern)
		}
	}
}

// branchesPerPerson is how many branches each person holds a post of on
// day d in the branches' active terms (by term ordinal when ordinal > 0).
func (w *world) branchesPerPerson(d time.Time, ordinal int) map[int]int {
	orgs := map[int]map[int]bool{}
	for _, a := range w.appts {
		x := w.terms[a.TermID]
		if w.orgs[x.OrganizationID].Kind != organization.KindACADEMIC_BRANCH {
			continue
		}
		if ordinal > 0 && x.Ordinal != ordinal || ordinal == 0 && (x.Status != term.StatusACTIVE || !holds(a, d)) {
			continue
		}
		if orgs[a.PersonID] == nil {
			orgs[a.PersonID] = map[int]bool{}
		}
		orgs[a.PersonID][x.OrganizationID] = true
	}
	hist := map[int]int{}
	for _, set := range orgs {
		hist[len(set)]++
	}
	return hist
}

func TestDemoSocietyHasItsDocumentedShape(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *registry.Store) {
		ctx := context.Background()
		start := time.Now()
		if err := Demo(ctx, s.Client, s.Dialect); err != nil {
			t.Fatal(err)
		}
		t.Logf("Demo on %s: %v", s.Dialect, time.Since(start).Round(time.Millisecond))
		w := load(t, s.Client)
		checkInvariants(t, w)

		got := map[string]int{}
		for _, m := range w.memberships {
			got["membership "+string(m.Kind)+" "+string(m.Status)]++
			if sc := m.Edges.StatusChanges; m.Status == membership.StatusLAPSED {
				got["lapsed: "+sc[len(sc)-1].Reason]++
			}
			got["status changes"] += len(m.Edges.StatusChanges)
			for _, sc := range m.Edges.StatusChanges {
				if sc.Reason == "dues paid" || sc.Reason == "readmitted" {
					got["history: "+sc.Reason]++
				}
			}
		}
		for _, p := range w.people {
			got["gender "+string(p.Gender)]++
			if p.BirthDate == nil {
				got["no birth date"]++
			}
		}
		for _, o := range w.orgs {
			got["organization "+string(o.Kind)]++
		}
		for _, x := range w.terms {
			got["term "+string(x.Status)]++
		}
		got["posts"] = len(w.posts)
		got["appointments"] = len(w.appts)
		for _, a := range w.appts {
			x := w.terms[a.TermID]
			got["appointments in "+string(x.Status)+" terms"]++
			got["appointments "+string(a.ObtainedBy)]++
			if holds(a, DemoToday()) {
				got["held today in "+string(w.orgs[x.OrganizationID].Kind)]++
			}
		}
		for _, m := range w.memberships {
			if sc := m.Edges.StatusChanges; sc[0].ToStatus != statuschange.ToStatusAPPLICANT {
				t.Errorf("membership %s starts %s", m.MemberNumber, sc[0].ToStatus)
			}
		}
		for n, persons := range w.branchesPerPerson(DemoToday(), 0) {
			got[fmt.Sprintf("people on %d branches today", n)] = persons
		}
		want := map[string]int{
			"membership INDIVIDUAL ACTIVE":        700,
			"membership INDIVIDUAL APPLICANT":     30,
			"membership INDIVIDUAL SUSPENDED":     20,
			"membership INDIVIDUAL LAPSED":        30,
			"membership INDIVIDUAL EXPELLED":      5,
			"membership INDIVIDUAL DECEASED":      15,
			"membership UNIT ACTIVE":              36,
			"membership UNIT APPLICANT":           2,
			"membership UNIT SUSPENDED":           1,
			"membership UNIT LAPSED":              1,
			"lapsed: retired":                     10,
			"lapsed: resigned":                    10,
			"lapsed: not renewed":                 11,
			"status changes":                      1790,
			"history: dues paid":                  20,
			"history: readmitted":                 10,
			"gender MALE":                         400,
			"gender FEMALE":                       360,
			"gender UNDISCLOSED":                  40,
			"no birth date":                       10,
			"organization ASSOCIATION":            1,
			"organization COUNCIL":                1,
			"organization STANDING_COUNCIL":       1,
			"organization SECRETARIAT_DEPARTMENT": 3,
			"organization ACADEMIC_BRANCH":        12,
			"organization SPECIAL_COMMITTEE":      2,
			"term ACTIVE":                         17,
			"term ENDED":                          22,
			"term PLANNED":                        1,
			"posts":                               62,
			"appointments":                        1371,
			"appointments in ENDED terms":         769,
			"appointments in ACTIVE terms":        602,
			"appointments ELECTED":                1245,
			"appointments APPOINTED":              108,
			"appointments EX_OFFICIO":             18,
			"held today in ACADEMIC_BRANCH":       400,
			"held today in COUNCIL":               119,
			"held today in STANDING_COUNCIL":      40,
			"held today in SPECIAL_COMMITTEE":     38,
			"people on 1 branches today":          240,
			"people on 2 branches today":          50,
			"people on 3 branches today":          20,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("demo counts mismatch (-want +got):\n%s", diff)
		}

		// Today every seat of an active term is held by an ACTIVE member
		// (leadership within the age limit on the term's first day), but
		// one council seat fell vacant.
		status := w.statusOf()
		held := map[int]int{} // by term
		for _, a := range w.appts {
			x := w.terms[a.TermID]
			if x.Status != term.StatusACTIVE || !holds(a, DemoToday()) {
				continue
			}
			held[x.ID]++
			if status[a.PersonID] != membership.StatusACTIVE {
				t.Errorf("appointment %d in active term %d held today by a %s member", a.ID, x.ID, status[a.PersonID])
			}
		}
		for _, a := range w.appts {
			x, p := w.terms[a.TermID], w.posts[a.PostID]
			if !p.Leadership {
				continue
			}
			b := w.people[a.PersonID].BirthDate
			limit := w.orgs[x.OrganizationID].Rules.WithDefaults(rules.Defaults(string(w.orgs[x.OrganizationID].Kind))).LeadershipAgeLimit
			if b == nil || registry.AgeOn(*b, x.StartsOn) > limit {
				t.Errorf("appointment %d: leader born %v in a term starting %v (limit %d)", a.ID, b, x.StartsOn, limit)
			}
		}
		for id, x := range w.terms {
			if x.Status != term.StatusACTIVE {
				continue
			}
			seats := 0
			for _, p := range w.posts {
				if p.OrganizationID == x.OrganizationID {
					seats += p.Seats
				}
			}
			want := seats
			if w.orgs[x.OrganizationID].Kind == organization.KindCOUNCIL {
				want = seats - 1
			}
			if held[id] != want {
				t.Errorf("term %d of %s: %d seats held today, want %d of %d", id, w.orgs[x.OrganizationID].Name, held[id], want, seats)
			}
		}

		// No one leads an organization longer than the consecutive-term
		// limit (two terms).
		leads := map[[2]int]map[int]bool{} // organization, person → ordinals
		for _, a := range w.appts {
			if w.posts[a.PostID].Leadership {
				x := w.terms[a.TermID]
				k := [2]int{x.OrganizationID, a.PersonID}
				if leads[k] == nil {
					leads[k] = map[int]bool{}
				}
				leads[k][x.Ordinal] = true
			}
		}
		for k, ords := range leads {
			for o := range ords {
				if ords[o+1] && ords[o+2] {
					t.Errorf("person %d leads organization %d in terms %d to %d", k[1], k[0], o, o+2)
				}
			}
		}

		if err := Demo(ctx, s.Client, s.Dialect); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("second Demo: got %v, want ErrNotEmpty", err)
		}
	})
}

// opt writes an optional value, or "-".
func opt[T any](p *T) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// dump writes the rows a reader sees, ids included, one line each.
func dump(t *testing.T, c *ent.Client) []string {
	t.Helper()
	w := load(t, c)
	var out []string
	for id := 1; id <= len(w.people); id++ {
		p := w.people[id]
		out = append(out, fmt.Sprintf("person %d %s %s %s %s %s %s %s %s", p.ID, p.Name, p.Gender, opt(p.BirthDate),
			p.ProfessionalTitle, p.Specialty, opt(p.InstitutionID), p.Email, p.Phone))
	}
	for _, m := range w.memberships {
		out = append(out, fmt.Sprintf("membership %d %s %s %v %s %s %s", m.ID, m.MemberNumber, m.Status, m.JoinedOn,
			opt(m.LeftOn), opt(m.PersonID), opt(m.InstitutionID)))
		for _, sc := range m.Edges.StatusChanges {
			out = append(out, fmt.Sprintf("  change %d %s %s %v %s", sc.ID, opt(sc.FromStatus), sc.ToStatus, sc.EffectiveOn, sc.Reason))
		}
	}
	for id := 1; id <= len(w.terms); id++ {
		x := w.terms[id]
		out = append(out, fmt.Sprintf("term %d %d %s %v %v %s %s", x.ID, x.OrganizationID, x.Name, x.StartsOn, x.EndsOn, opt(x.ActualEnd), x.Status))
	}
	for _, a := range w.appts {
		out = append(out, fmt.Sprintf("appointment %d %d %d %d %v %s %s %s", a.ID, a.PersonID, a.PostID, a.TermID, a.StartsOn,
			opt(a.EndsOn), a.ObtainedBy, opt(a.EndReason)))
	}
	return out
}

func TestDemoIsTheSameOnEveryRun(t *testing.T) {
	ctx := context.Background()
	run := func(t *testing.T, s *registry.Store) []string {
		if err := Demo(ctx, s.Client, s.Dialect); err != nil {
			t.Fatal(err)
		}
		return dump(t, s.Client)
	}
	first := run(t, openStore(t, filepath.Join(t.TempDir(), "t.db")))
	forEachDB(t, func(t *testing.T, s *registry.Store) {
		if diff := cmp.Diff(first, run(t, s)); diff != "" {
			t.Errorf("run on %s differs (-first +this):\n%s", s.Dialect, diff)
		}
	})
}

func TestDemoNotablesAreWhereThePackageCommentSays(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "t.db"))
	if err := Demo(ctx, s.Client, s.Dialect); err != nil {
		t.Fatal(err)
	}
	w := load(t, s.Client)
	// "M000005 Pediatrics Branch Chair 2" reads: member M000005 held the
	// Chair of the Pediatrics Branch in its second term.
	var got []string
	for _, a := range w.appts {
		if a.PersonID > demoNotables {
			continue
		}
		x, p := w.terms[a.TermID], w.posts[a.PostID]
		line := fmt.Sprintf("M%06d %s %s %d", a.PersonID, w.orgs[x.OrganizationID].Name, p.Title, x.Ordinal)
		if a.EndReason != nil && *a.EndReason != appointment.EndReasonTERM_ENDED {
			line += fmt.Sprintf(" until %s %s", a.EndsOn.Format(time.DateOnly), *a.EndReason)
		}
		if strings.Contains(line, "Council") || strings.Contains(line, "until") || p.Leadership {
			got = append(got, line)
		}
	}
	for _, line := range []string{
		"M000001 Council of the Lakeside High-Tech Zone Medical Association President 1",
		"M000001 Council of the Lakeside High-Tech Zone Medical Association President 2",
		"M000002 Council of the Lakeside High-Tech Zone Medical Association Vice President 1",
		"M000002 Council of the Lakeside High-Tech Zone Medical Association Executive Vice President 2",
		"M000003 Council of the Lakeside High-Tech Zone Medical Association Secretary-General 1",
		"M000003 Council of the Lakeside High-Tech Zone Medical Association Secretary-General 2",
		"M000004 Council of the Lakeside High-Tech Zone Medical Association Executive Vice President 1",
		"M000005 Pediatrics Branch Chair 2",
		"M000006 Laboratory Medicine Branch Vice Chair 2",
		"M000007 Cardiology Branch Chair 2",
		"M000007 Cardiology Branch Chair 3",
		"M000008 Health Management Branch Chair 2",
		"M000009 Cardiology Branch Vice Chair 3 until 2024-11-03 DECEASED",
		"M000010 Oncology Branch Member 3 until 2025-09-30 REMOVED",
		"M000011 Nursing Branch Secretary 2 until 2025-03-01 RESIGNED",
		"M000012 Council of the Lakeside High-Tech Zone Medical Association Council Member 2 until 2024-03-12 DECEASED",
		"M000013 Council of the Lakeside High-Tech Zone Medical Association Council Member 2 until 2025-10-15 RESIGNED",
	} {
		if !slices.Contains(got, line) {
			t.Errorf("missing: %s", line)
		}
	}
	births := map[int]string{1: "1955-06-01", 2: "1954-06-02", 5: "1956-12-15", 6: "1956-01-10", 8: "1957-02-21"}
	for id, b := range births {
		if g := w.people[id].BirthDate.Format(time.DateOnly); g != b {
			t.Errorf("M%06d born %s, want %s", id, g, b)
		}
	}
}

func TestScaleFollowsThePeersSeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *registry.Store) {
		ctx := context.Background()
		start := time.Now()
		if err := Scale(ctx, s.Client, s.Dialect); err != nil {
			t.Fatal(err)
		}
		t.Logf("Scale on %s: %v", s.Dialect, time.Since(start).Round(time.Millisecond))
		c := s.Client
		got := map[string]int{
			"institutions":   c.Institution.Query().CountX(ctx),
			"people":         c.Person.Query().CountX(ctx),
			"memberships":    c.Membership.Query().CountX(ctx),
			"status changes": c.StatusChange.Query().CountX(ctx),
			"organizations":  c.Organization.Query().CountX(ctx),
			"terms":          c.Term.Query().CountX(ctx),
			"posts":          c.Post.Query().CountX(ctx),
			"appointments":   c.Appointment.Query().CountX(ctx),
		}
		w := load(t, c)
		checkInvariants(t, w)
		for _, m := range w.memberships {
			got["membership "+string(m.Status)]++
			if m.Status == membership.StatusLAPSED {
				sc := m.Edges.StatusChanges
				got["lapsed: "+sc[len(sc)-1].Reason]++
			}
		}
		// seed.sql's checks: appointments per current term by kind, and
		// branches per person in the current terms.
		perTerm := map[int]int{}
		for _, a := range w.appts {
			perTerm[a.TermID]++
		}
		for id, x := range w.terms {
			if x.Ordinal == 3 {
				k := fmt.Sprintf("current %s term appointments %d", w.orgs[x.OrganizationID].Kind, perTerm[id])
				got[k]++
			}
		}
		for n, persons := range w.branchesPerPerson(time.Time{}, 3) {
			got[fmt.Sprintf("people on %d branches in the current terms", n)] = persons
		}
		want := map[string]int{
			"institutions": 500, "people": 20000, "memberships": 20000, "status changes": 20539,
			"organizations": 43, "terms": 129, "posts": 172, "appointments": 15018,
			"membership ACTIVE": 19461, "membership LAPSED": 398, "membership SUSPENDED": 101, "membership DECEASED": 40,
			"lapsed: retired":                               398,
			"current ASSOCIATION term appointments 6":       1,
			"current COUNCIL term appointments 150":         1,
			"current STANDING_COUNCIL term appointments 50": 1,
			"current ACADEMIC_BRANCH term appointments 120": 40,
			"people on 1 branches in the current terms":     2000,
			"people on 2 branches in the current terms":     800,
			"people on 3 branches in the current terms":     400,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("scale counts mismatch (-want +got):\n%s", diff)
		}

		// Rows the peer's saved responses show (samples/), in our terms.
		p := w.people[12345]
		inst := c.Institution.GetX(ctx, *p.InstitutionID)
		m := c.Membership.Query().Where(membership.MemberNumber("M012345")).OnlyX(ctx)
		gotPerson := fmt.Sprintf("%s %s %s %s %s %s %s %s %d %s %s", p.Name, p.Gender, p.BirthDate.Format(time.DateOnly),
			p.ProfessionalTitle, p.Specialty, m.MemberNumber, m.Status, m.JoinedOn.Format(time.DateOnly), inst.ID, inst.Name, inst.Kind)
		wantPerson := "Yu Hongyi FEMALE 1955-01-01 Associate Chief Physician Gastroenterology M012345 ACTIVE 2015-12-01 266 Qingdao University No. 2 UNIVERSITY"
		if gotPerson != wantPerson {
			t.Errorf("person 12345:\n got %s\nwant %s", gotPerson, wantPerson)
		}
		a := w.appts[5539-1]
		x, post := w.terms[a.TermID], w.posts[a.PostID]
		gotAppt := fmt.Sprintf("%d %d %s %s %s %s %s %d %s %d", a.ID, x.ID, x.StartsOn.Format(time.DateOnly), x.EndsOn.Format(time.DateOnly),
			a.StartsOn.Format(time.DateOnly), a.EndsOn.Format(time.DateOnly), a.ObtainedBy, a.PersonID, post.Title, post.Rank)
		wantAppt := "5539 51 2022-06-01 2027-06-01 2022-06-01 2027-06-01 ELECTED 3748 Chair 1"
		if gotAppt != wantAppt {
			t.Errorf("appointment 5539:\n got %s\nwant %s", gotAppt, wantAppt)
		}
		if o := w.orgs[17]; o.Name != "Branch of Dermatology" || w.people[3748].Name != "Ye Gangle" {
			t.Errorf("organization 17 is %q, person 3748 %q", o.Name, w.people[3748].Name)
		}
		var ids []int
		for _, a := range w.appts {
			if a.PersonID == 3748 {
				ids = append(ids, a.ID)
			}
		}
		if diff := cmp.Diff([]int{3099, 5459, 5539}, ids); diff != "" {
			t.Errorf("appointments of person 3748 mismatch (-want +got):\n%s", diff)
		}

		if err := Scale(ctx, s.Client, s.Dialect); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("second Scale: got %v, want ErrNotEmpty", err)
		}
	})
}
