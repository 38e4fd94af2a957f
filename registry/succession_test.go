package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// succToday is the day the succession tests run on, unless a test moves
// the clock.
var succToday = registry.Day(2026, 11, 23)

// succSociety is a small society with terms to succeed:
//
//	Association (no terms)
//	├── Council (COUNCIL): 1 ENDED 2016-06-01–2021-06-01, 2 ACTIVE 2021-06-01–2026-06-01 (overdue)
//	│   posts: President (1, leadership), Council member (8)
//	│   └── Standing (STANDING_COUNCIL): terms as the council's; post Standing member (4)
//	├── Cardiology (ACADEMIC_BRANCH, 4-year terms, minimum renewal 1/3)
//	│   1 ENDED 2015–2019, 2 ENDED 2019–2023, 3 ACTIVE 2023-01-01–2027-01-01
//	│   posts: Chair (1, leadership), Vice chair (2, leadership), Member (4)
//	└── Neurology (ACADEMIC_BRANCH): 1 ACTIVE 2022-03-01–2027-03-01; post Neuro chair (1, leadership)
//
// People P01..P14, ACTIVE members born 1970-01-01. Appointments:
//
//	Cardiology 1  Chair        P02 2015–2019 TERM_ENDED
//	Cardiology 2  Chair        P01, Vice chair P02 and P03, 2019–2023 TERM_ENDED
//	Cardiology 3  Chair        P01; Vice chair P02, P04; Member P05, P06, P07 (open);
//	              Member       P08 2023-01-01–2024-06-01 RESIGNED
//	Council 1     President    P09 2016–2021 TERM_ENDED
//	Council 2     President    P09; Council member P10..P14 (open)
//	Standing 2    Standing member P09, P10 (open)
//	Neurology 1   Neuro chair  P13 (open)
var succSociety = storetest.Prepare("succession", func(ctx context.Context, s *registry.Store) error {
	c := s.Client
	day := registry.Day
	org := func(kind organization.Kind, name string, parent *ent.Organization, r rules.Rules) *ent.Organization {
		b := c.Organization.Create().SetKind(kind).SetName(name).SetRules(r)
		if parent != nil {
			b.SetParentID(parent.ID)
		}
		return b.SaveX(ctx)
	}
	trm := func(o *ent.Organization, ordinal int, status term.Status, start, end time.Time) *ent.Term {
		b := c.Term.Create().SetOrganizationID(o.ID).SetOrdinal(ordinal).SetStatus(status).SetStartsOn(start).SetEndsOn(end).
			SetName(fmt.Sprintf("%s %d", strings.Fields(o.Name)[0], ordinal))
		if status == term.StatusENDED {
			b.SetActualEnd(end)
		}
		return b.SaveX(ctx)
	}
	post := func(o *ent.Organization, title string, rank, seats int, lead bool) *ent.Post {
		return c.Post.Create().SetOrganizationID(o.ID).SetTitle(title).SetRank(rank).SetSeats(seats).SetLeadership(lead).SaveX(ctx)
	}
	assoc := org(organization.KindASSOCIATION, "Association", nil, rules.Rules{})
	council := org(organization.KindCOUNCIL, "Council", assoc, rules.Rules{})
	standing := org(organization.KindSTANDING_COUNCIL, "Standing", council, rules.Rules{})
	cardio := org(organization.KindACADEMIC_BRANCH, "Cardiology", assoc, rules.Rules{TermYears: 4, MinRenewal: &rules.Fraction{Num: 1, Den: 3}})
	neuro := org(organization.KindACADEMIC_BRANCH, "Neurology", assoc, rules.Rules{})

	council1 := trm(council, 1, term.StatusENDED, day(2016, 6, 1), day(2021, 6, 1))
	council2 := trm(council, 2, term.StatusACTIVE, day(2021, 6, 1), day(2026, 6, 1))
	trm(standing, 1, term.StatusENDED, day(2016, 6, 1), day(2021, 6, 1))
	standing2 := trm(standing, 2, term.StatusACTIVE, day(2021, 6, 1), day(2026, 6, 1))
	cardio1 := trm(cardio, 1, term.StatusENDED, day(2015, 1, 1), day(2019, 1, 1))
	cardio2 := trm(cardio, 2, term.StatusENDED, day(2019, 1, 1), day(2023, 1, 1))
	cardio3 := trm(cardio, 3, term.StatusACTIVE, day(2023, 1, 1), day(2027, 1, 1))
	neuro1 := trm(neuro, 1, term.StatusACTIVE, day(2022, 3, 1), day(2027, 3, 1))

	president := post(council, "President", 1, 1, true)
	member := post(council, "Council member", 9, 8, false)
	standingMember := post(standing, "Standing member", 9, 4, false)
	chair := post(cardio, "Chair", 1, 1, true)
	vice := post(cardio, "Vice chair", 2, 2, true)
	cmember := post(cardio, "Member", 9, 4, false)
	neuroChair := post(neuro, "Neuro chair", 1, 1, true)

	var p []*ent.Person
	for i := 1; i <= 14; i++ {
		x := c.Person.Create().SetName(fmt.Sprintf("P%02d", i)).SetBirthDate(day(1970, 1, 1)).SaveX(ctx)
		c.Membership.Create().SetMemberNumber(fmt.Sprintf("M%06d", i)).SetKind(membership.KindINDIVIDUAL).
			SetStatus(membership.StatusACTIVE).SetJoinedOn(day(2010, 1, 1)).SetPersonID(x.ID).SaveX(ctx)
		p = append(p, x)
	}
	appt := func(who int, po *ent.Post, t *ent.Term, start time.Time, end *time.Time, why appointment.EndReason) {
		b := c.Appointment.Create().SetPersonID(p[who-1].ID).SetPostID(po.ID).SetTermID(t.ID).SetStartsOn(start).
			SetNillableEndsOn(end).SetObtainedBy(appointment.ObtainedByELECTED)
		if why != "" {
			b.SetEndReason(why)
		}
		b.SaveX(ctx)
	}
	ended := func(t *ent.Term) *time.Time { return t.ActualEnd }
	appt(2, chair, cardio1, cardio1.StartsOn, ended(cardio1), appointment.EndReasonTERM_ENDED)
	appt(1, chair, cardio2, cardio2.StartsOn, ended(cardio2), appointment.EndReasonTERM_ENDED)
	appt(2, vice, cardio2, cardio2.StartsOn, ended(cardio2), appointment.EndReasonTERM_ENDED)
	appt(3, vice, cardio2, cardio2.StartsOn, ended(cardio2), appointment.EndReasonTERM_ENDED)
	appt(1, chair, cardio3, cardio3.StartsOn, nil, "")
	appt(2, vice, cardio3, cardio3.StartsOn, nil, "")
	appt(4, vice, cardio3, cardio3.StartsOn, nil, "")
	for _, who := range []int{5, 6, 7} {
		appt(who, cmember, cardio3, cardio3.StartsOn, nil, "")
	}
	resigned := day(2024, 6, 1)
	appt(8, cmember, cardio3, cardio3.StartsOn, &resigned, appointment.EndReasonRESIGNED)
	appt(9, president, council1, council1.StartsOn, ended(council1), appointment.EndReasonTERM_ENDED)
	appt(9, president, council2, council2.StartsOn, nil, "")
	for who := 10; who <= 14; who++ {
		appt(who, member, council2, council2.StartsOn, nil, "")
	}
	appt(9, standingMember, standing2, standing2.StartsOn, nil, "")
	appt(10, standingMember, standing2, standing2.StartsOn, nil, "")
	appt(13, neuroChair, neuro1, neuro1.StartsOn, nil, "")
	return nil
})

// succFixture is an open copy of succSociety with its rows found by name.
type succFixture struct {
	s   *registry.Store
	ctx context.Context

	org    map[string]int // name → id
	term   map[string]int // "Cardiology 3" → id
	post   map[string]int // title → id
	person map[string]int // "P01" → id
	held   map[string]int // "Cardiology 3 P01 Chair" → appointment id
	views  map[string]*registry.Viewer
}

func succOpen(t *testing.T, d storetest.Dialect, opts ...storetest.Option) *succFixture {
	t.Helper()
	ctx := context.Background()
	s := succSociety.Open(t, append([]storetest.Option{d}, opts...)...)
	s.Clock = registry.FixedClock(succToday)
	x := &succFixture{s: s, ctx: ctx, org: map[string]int{}, term: map[string]int{}, post: map[string]int{},
		person: map[string]int{}, held: map[string]int{}}
	parents := map[int]int{}
	for _, o := range s.Client.Organization.Query().AllX(ctx) {
		x.org[o.Name] = o.ID
		parents[o.ID] = 0
		if o.ParentID != nil {
			parents[o.ID] = *o.ParentID
		}
	}
	termName := map[int]string{}
	for _, tm := range s.Client.Term.Query().AllX(ctx) {
		x.term[tm.Name], termName[tm.ID] = tm.ID, tm.Name
	}
	postTitle := map[int]string{}
	for _, p := range s.Client.Post.Query().AllX(ctx) {
		x.post[p.Title], postTitle[p.ID] = p.ID, p.Title
	}
	personName := map[int]string{}
	for _, p := range s.Client.Person.Query().AllX(ctx) {
		x.person[p.Name], personName[p.ID] = p.ID, p.Name
	}
	for _, a := range s.Client.Appointment.Query().AllX(ctx) {
		x.held[termName[a.TermID]+" "+personName[a.PersonID]+" "+postTitle[a.PostID]] = a.ID
	}
	scoped := func(name, org string) *registry.Viewer {
		scopes := []int{x.org[org]}
		return registry.NewViewer(0, name, registry.RoleBranchSecretary, scopes, registry.ScopeReach(scopes, parents))
	}
	x.views = map[string]*registry.Viewer{
		"admin":       registry.System("test"),
		"secretariat": registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil),
		"reader":      registry.NewViewer(0, "reader", registry.RoleReader, nil, nil),
		"cardiology":  scoped("cardio.sec", "Cardiology"),
		"neurology":   scoped("neuro.sec", "Neurology"),
	}
	return x
}

// prepare prepares Cardiology 4 from 2027-01-01 as the admin, carrying
// over the named appointments of Cardiology 3 ("P04 Vice chair").
func (x *succFixture) prepare(t *testing.T, carry ...string) *ent.Term {
	t.Helper()
	return x.prepareOf(t, "Cardiology", registry.Day(2027, 1, 1), carry...)
}

func (x *succFixture) prepareOf(t *testing.T, org string, start time.Time, carry ...string) *ent.Term {
	t.Helper()
	cur := x.s.Client.Term.Query().Where(term.OrganizationID(x.org[org]), term.StatusEQ(term.StatusACTIVE)).OnlyX(x.ctx)
	var ids []int
	for _, c := range carry {
		id, ok := x.held[cur.Name+" "+c]
		if !ok {
			t.Fatalf("no appointment %q in %s", c, cur.Name)
		}
		ids = append(ids, id)
	}
	nt, err := x.s.PrepareSuccession(x.ctx, x.views["admin"], registry.PrepareInput{
		OrganizationID: x.org[org], StartsOn: start, Name: fmt.Sprintf("%s %d", org, cur.Ordinal+1), CarryOver: ids})
	if err != nil {
		t.Fatalf("prepare %s: %v", org, err)
	}
	return nt
}

// put writes appointments "P03 Chair" into term t from its first day,
// straight into the database: the checks must catch what the roster
// operations would refuse too.
func (x *succFixture) put(t *testing.T, nt *ent.Term, holders ...string) {
	t.Helper()
	for _, h := range holders {
		who, title, _ := strings.Cut(h, " ")
		x.s.Client.Appointment.Create().SetPersonID(x.person[who]).SetPostID(x.post[title]).SetTermID(nt.ID).
			SetStartsOn(nt.StartsOn).SetObtainedBy(appointment.ObtainedByELECTED).SaveX(x.ctx)
	}
}

func (x *succFixture) report(t *testing.T, nt *ent.Term) *registry.SuccessionReport {
	t.Helper()
	r, err := x.s.SuccessionReport(x.ctx, x.views["admin"], nt.ID)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	return r
}

func checkOf(t *testing.T, r *registry.SuccessionReport, name string) registry.Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %s in %v", name, r.Checks)
	return registry.Check{}
}

// succState is everything a succession writes: terms, appointments,
// and the audit trail's length.
func (x *succFixture) state(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, tm := range x.s.Client.Term.Query().Order(term.ByID()).AllX(x.ctx) {
		end := "-"
		if tm.ActualEnd != nil {
			end = tm.ActualEnd.Format(registry.DateLayout)
		}
		out = append(out, fmt.Sprintf("term %d %s %s..%s actual %s %s", tm.ID, tm.Name, tm.StartsOn.Format(registry.DateLayout),
			tm.EndsOn.Format(registry.DateLayout), end, tm.Status))
	}
	for _, a := range x.s.Client.Appointment.Query().Order(appointment.ByID()).AllX(x.ctx) {
		out = append(out, apptString(a))
	}
	return append(out, fmt.Sprintf("deferrals: %d, audit events: %d", x.s.Client.Deferral.Query().CountX(x.ctx),
		x.s.Client.AuditEvent.Query().CountX(x.ctx)))
}

func TestPrepareSuccessionCreatesThePlannedTermWithCarriedOverMembers(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		nt, err := x.s.PrepareSuccession(x.ctx, x.views["cardiology"], registry.PrepareInput{
			OrganizationID: x.org["Cardiology"], StartsOn: registry.Day(2027, 1, 1), Name: "Cardiology 4",
			CarryOver: []int{x.held["Cardiology 3 P04 Vice chair"], x.held["Cardiology 3 P05 Member"]}})
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%d %s %s..%s %s", nt.Ordinal, nt.Name, nt.StartsOn.Format(registry.DateLayout), nt.EndsOn.Format(registry.DateLayout), nt.Status)
		// Cardiology's rules set a 4-year term.
		if want := "4 Cardiology 4 2027-01-01..2031-01-01 PLANNED"; got != want {
			t.Errorf("term %q, want %q", got, want)
		}
		var apps []string
		for _, a := range x.s.Client.Appointment.Query().Where(appointment.TermID(nt.ID)).Order(appointment.ByID()).AllX(x.ctx) {
			apps = append(apps, fmt.Sprintf("person=%d post=%d %s %s open=%v", a.PersonID, a.PostID, a.StartsOn.Format(registry.DateLayout), a.ObtainedBy, a.EndsOn == nil))
		}
		want := []string{
			fmt.Sprintf("person=%d post=%d 2027-01-01 CARRIED_OVER open=true", x.person["P04"], x.post["Vice chair"]),
			fmt.Sprintf("person=%d post=%d 2027-01-01 CARRIED_OVER open=true", x.person["P05"], x.post["Member"]),
		}
		if diff := cmp.Diff(want, apps); diff != "" {
			t.Errorf("carried over (-want +got):\n%s", diff)
		}
		var actions []string
		for _, e := range x.s.Client.AuditEvent.Query().Order(auditevent.BySeq()).AllX(x.ctx) {
			actions = append(actions, e.Action+" "+e.Entity)
			if e.Actor != "cardio.sec" {
				t.Errorf("event %d by %q, want cardio.sec", e.Seq, e.Actor)
			}
		}
		if diff := cmp.Diff([]string{"succession.prepare Term", "appointment.create Appointment", "appointment.create Appointment"}, actions); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
		// The branch secretary edits its own planned roster.
		if _, err := x.s.Appoint(x.ctx, x.views["cardiology"], registry.AppointInput{PersonID: x.person["P03"], PostID: x.post["Chair"],
			TermID: nt.ID, StartsOn: nt.StartsOn, ObtainedBy: "ELECTED"}); err != nil {
			t.Errorf("appoint to the planned term: %v", err)
		}
	})
}

func TestPrepareSuccessionRefusesAndWritesNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		day := registry.Day
		in := func(edit func(*registry.PrepareInput)) registry.PrepareInput {
			in := registry.PrepareInput{OrganizationID: x.org["Cardiology"], StartsOn: day(2027, 1, 1)}
			if edit != nil {
				edit(&in)
			}
			return in
		}
		for _, c := range []struct {
			name        string
			viewer      string
			in          registry.PrepareInput
			kind        registry.Kind
			field, rule string
		}{
			{"a reader", "reader", in(nil), registry.Forbidden, "organizationId", ""},
			{"another branch's secretary", "neurology", in(nil), registry.Forbidden, "organizationId", ""},
			{"no organization", "admin", in(func(in *registry.PrepareInput) { in.OrganizationID = 0 }), registry.Invalid, "organizationId", "required"},
			{"an unknown organization", "admin", in(func(in *registry.PrepareInput) { in.OrganizationID = 999 }), registry.NotFound, "organizationId", ""},
			{"no active term", "admin", in(func(in *registry.PrepareInput) { in.OrganizationID = x.org["Association"] }), registry.RuleViolation, "organizationId", "activeTerm"},
			{"a start on the current term's first day", "admin", in(func(in *registry.PrepareInput) { in.StartsOn = day(2023, 1, 1) }), registry.RuleViolation, "startsOn", "afterCurrentStart"},
			{"a carry-over twice", "admin", in(func(in *registry.PrepareInput) {
				in.CarryOver = []int{x.held["Cardiology 3 P05 Member"], x.held["Cardiology 3 P05 Member"]}
			}), registry.Invalid, "carryOver", "unique"},
			{"a carry-over of another term", "admin", in(func(in *registry.PrepareInput) {
				in.CarryOver = []int{x.held["Cardiology 3 P05 Member"], x.held["Cardiology 2 P03 Vice chair"]}
			}), registry.RuleViolation, "carryOver[1]", "currentTerm"},
			{"a carry-over of a resigned member", "admin", in(func(in *registry.PrepareInput) {
				in.CarryOver = []int{x.held["Cardiology 3 P08 Member"]}
			}), registry.RuleViolation, "carryOver[0]", "held"},
			{"a carry-over that is no appointment", "admin", in(func(in *registry.PrepareInput) { in.CarryOver = []int{9999} }), registry.NotFound, "carryOver[0]", ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.state(t)
				_, err := x.s.PrepareSuccession(x.ctx, x.views[c.viewer], c.in)
				apptWant(t, err, c.kind, c.field, c.rule)
				if diff := cmp.Diff(before, x.state(t)); diff != "" {
					t.Errorf("written (-before +after):\n%s", diff)
				}
			})
		}
		t.Run("a second planned successor", func(t *testing.T) {
			x.prepare(t)
			before := x.state(t)
			_, err := x.s.PrepareSuccession(x.ctx, x.views["admin"], in(nil))
			apptWant(t, err, registry.Conflict, "organizationId", "oneSuccessor")
			if diff := cmp.Diff(before, x.state(t)); diff != "" {
				t.Errorf("written (-before +after):\n%s", diff)
			}
		})
	})
}

func TestSuccessionReportDiffsTheRosters(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		nt := x.prepare(t, "P04 Vice chair", "P05 Member", "P06 Member")
		// P02 moves from vice chair to member; P03 and P10 are new; P01
		// and P07 leave (P08 resigned during the term and is not on the
		// outgoing roster).
		x.put(t, nt, "P03 Chair", "P10 Vice chair", "P02 Member")
		r := x.report(t, nt)
		names := func(chs []registry.RosterChange) string {
			var out []string
			for _, ch := range chs {
				var before, after []string
				for _, a := range ch.Before {
					before = append(before, a.Edges.Post.Title)
				}
				for _, a := range ch.After {
					after = append(after, a.Edges.Post.Title)
				}
				out = append(out, fmt.Sprintf("%s %v→%v", ch.Person.Name, before, after))
			}
			return strings.Join(out, "; ")
		}
		got := []string{names(r.Stayed), names(r.Joined), names(r.Left), names(r.ChangedPost)}
		want := []string{
			"P04 [Vice chair]→[Vice chair]; P05 [Member]→[Member]; P06 [Member]→[Member]",
			"P03 []→[Chair]; P10 []→[Vice chair]",
			"P01 [Chair]→[]; P07 [Member]→[]",
			"P02 [Vice chair]→[Member]",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("stayed, joined, left, changed post (-want +got):\n%s", diff)
		}
		if r.Predecessor == nil || r.Predecessor.ID != x.term["Cardiology 3"] {
			t.Errorf("predecessor %v, want Cardiology 3", r.Predecessor)
		}
		var checks []string
		for _, c := range r.Checks {
			checks = append(checks, fmt.Sprintf("%s blocking=%v %s", c.Name, c.Blocking, c.Text))
		}
		want = []string{
			"consecutiveTermLimit blocking=true consecutive terms in a leadership post: longest 2 (P04, Vice chair), at most 2: PASS",
			"leadershipAgeLimit blocking=true leadership age on 2027-01-01: oldest 57 (P03, Chair), at most 2: PASS",
		}
		_ = want
		want = []string{
			"consecutiveTermLimit blocking=true consecutive terms in a leadership post: longest 2 (P04, Vice chair), at most 2: PASS",
			"leadershipAgeLimit blocking=true leadership age on 2027-01-01: oldest 57 (P03, Chair), at most 70: PASS",
			"activeMember blocking=true active members: 6/6 proposed are ACTIVE members, all must be: PASS",
			"seats blocking=true seats held/seats: Chair 1/1, Vice chair 2/2, Member 3/4; none over: PASS",
			"leadershipFilled blocking=true leadership posts held: Chair 1/1, Vice chair 2/2; every one filled: PASS",
			"seatsFilled blocking=false seats filled 6/7; vacant: Member 1 of 4: FAIL (not blocking)",
			"minRenewal blocking=true renewal 2/6 = 33.3%, needs at least 1/3: PASS",
		}
		if diff := cmp.Diff(want, checks); diff != "" {
			t.Errorf("checks (-want +got):\n%s", diff)
		}
		if len(r.Failing()) != 0 {
			t.Errorf("failing: %v", r.Failing())
		}
	})
}

func TestSuccessionChecksAtTheirBoundaries(t *testing.T) {
	day := registry.Day
	// Each case prepares Cardiology 4 from 2027-01-01 with a roster that
	// passes every blocking check, then changes one thing.
	base := []string{"P03 Chair", "P04 Vice chair", "P10 Vice chair", "P05 Member", "P06 Member", "P07 Member"}
	for _, c := range []struct {
		name   string
		roster []string
		setup  func(x *succFixture)
		check  string
		passed bool
		text   string
		fault  string // the first fault's message, when one is wanted
		field  string // the first fault's field
		// advisory: the check does not stop the succession
		advisory bool
	}{
		{name: "renewal of exactly a third", roster: base, check: registry.CheckMinRenewal, passed: true,
			text: "renewal 2/6 = 33.3%, needs at least 1/3: PASS"},
		{name: "renewal one short of a third", check: registry.CheckMinRenewal, passed: false,
			roster: append([]string{"P02 Member"}, base...),
			text:   "renewal 2/7 = 28.6%, needs at least 1/3: FAIL"},
		{name: "renewal without a minimum in the rules", roster: base[:4], check: registry.CheckMinRenewal, passed: true,
			setup: func(x *succFixture) {
				x.s.Client.Organization.UpdateOneID(x.org["Cardiology"]).SetRules(rules.Rules{TermYears: 4}).ExecX(x.ctx)
			},
			text: "renewal 2/4 = 50.0%, the rules set no minimum: PASS", advisory: true},
		{name: "a 70th birthday on the start day", roster: base, check: registry.CheckLeadershipAgeLimit, passed: true,
			setup: func(x *succFixture) { x.born("P03", day(1957, 1, 1)) },
			text:  "leadership age on 2027-01-01: oldest 70 (P03, Chair), at most 70: PASS"},
		{name: "a 71st birthday on the start day", roster: base, check: registry.CheckLeadershipAgeLimit, passed: false,
			setup: func(x *succFixture) { x.born("P03", day(1956, 1, 1)) },
			text:  "leadership age on 2027-01-01: oldest 71 (P03, Chair), at most 70: FAIL",
			fault: "P03, Chair: born 1956-01-01, 71 on 2027-01-01, at most 70"},
		{name: "a 71st birthday the day after the start", roster: base, check: registry.CheckLeadershipAgeLimit, passed: true,
			setup: func(x *succFixture) { x.born("P10", day(1956, 1, 2)) },
			text:  "leadership age on 2027-01-01: oldest 70 (P10, Vice chair), at most 70: PASS"},
		{name: "the age limit of the rules", roster: base, check: registry.CheckLeadershipAgeLimit, passed: false,
			setup: func(x *succFixture) {
				x.s.Client.Organization.UpdateOneID(x.org["Cardiology"]).
					SetRules(rules.Rules{TermYears: 4, LeadershipAgeLimit: 45}).ExecX(x.ctx)
				x.born("P03", day(1981, 1, 2))
			},
			text: "leadership age on 2027-01-01: oldest 57 (P04, Vice chair), at most 45: FAIL"},
		{name: "a members' age does not count", roster: base, check: registry.CheckLeadershipAgeLimit, passed: true,
			setup: func(x *succFixture) { x.born("P05", day(1940, 1, 1)) },
			text:  "leadership age on 2027-01-01: oldest 57 (P03, Chair), at most 70: PASS"},
		{name: "a leader without a birth date", roster: base, check: registry.CheckLeadershipAgeLimit, passed: false,
			setup: func(x *succFixture) {
				x.s.Client.Person.UpdateOneID(x.person["P10"]).ClearBirthDate().ExecX(x.ctx)
			},
			text:  "leadership age on 2027-01-01: oldest 57 (P03, Chair), at most 70, 1 without a birth date: FAIL",
			fault: "P10, Vice chair: no birthDate, so the leadership age limit cannot be checked", field: "birthDate"},
		{name: "a third consecutive term as chair", check: registry.CheckConsecutiveTermLimit, passed: false,
			roster: append([]string{"P01 Chair"}, base[1:]...),
			text:   "consecutive terms in a leadership post: longest 3 (P01, Chair), at most 2: FAIL",
			fault:  "P01, Chair: 3 consecutive terms with term no. 4 (no. 2 to 4), at most 2"},
		{name: "a third consecutive term as vice chair", check: registry.CheckConsecutiveTermLimit, passed: false,
			roster: []string{"P03 Chair", "P02 Vice chair", "P10 Vice chair", "P05 Member", "P06 Member", "P07 Member"},
			text:   "consecutive terms in a leadership post: longest 3 (P02, Vice chair), at most 2: FAIL"},
		{name: "a second consecutive term", roster: base, check: registry.CheckConsecutiveTermLimit, passed: true,
			text: "consecutive terms in a leadership post: longest 2 (P04, Vice chair), at most 2: PASS"},
		{name: "terms that are not consecutive", check: registry.CheckConsecutiveTermLimit, passed: true,
			roster: append([]string{"P02 Chair"}, base[1:]...), // chair in term 1 only
			text:   "consecutive terms in a leadership post: longest 2 (P04, Vice chair), at most 2: PASS"},
		{name: "the consecutive-term limit of the rules", check: registry.CheckConsecutiveTermLimit, passed: true,
			roster: append([]string{"P01 Chair"}, base[1:]...),
			setup: func(x *succFixture) {
				x.s.Client.Organization.UpdateOneID(x.org["Cardiology"]).
					SetRules(rules.Rules{TermYears: 4, ConsecutiveTermLimit: 3}).ExecX(x.ctx)
			},
			text: "consecutive terms in a leadership post: longest 3 (P01, Chair), at most 3: PASS"},
		{name: "a member who is not active", roster: base, check: registry.CheckActiveMember, passed: false,
			setup: func(x *succFixture) {
				x.s.Client.Membership.Update().Where(membership.PersonID(x.person["P06"])).SetStatus(membership.StatusSUSPENDED).ExecX(x.ctx)
			},
			text:  "active members: 5/6 proposed are ACTIVE members, all must be: FAIL",
			fault: "P06's membership M000006 is SUSPENDED"},
		{name: "a post over its seats", check: registry.CheckSeats, passed: false,
			roster: append([]string{"P11 Vice chair"}, base...),
			text:   "seats held/seats: Chair 1/1, Vice chair 3/2, Member 3/4; over: Vice chair: FAIL",
			fault:  "Vice chair: 3 people on 2 seat(s)"},
		{name: "a leadership post without a holder", roster: base[1:], check: registry.CheckLeadershipFilled, passed: false,
			text:  "leadership posts held: Chair 0/1, Vice chair 2/2; vacant: Chair: FAIL",
			fault: "Chair has no holder"},
	} {
		t.Run(c.name, func(t *testing.T) {
			storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
				x := succOpen(t, d)
				nt := x.prepare(t)
				x.put(t, nt, c.roster...)
				if c.setup != nil {
					c.setup(x)
				}
				ch := checkOf(t, x.report(t, nt), c.check)
				if ch.Passed != c.passed || ch.Text != c.text {
					t.Errorf("%s: passed %v, %q; want %v, %q", c.check, ch.Passed, ch.Text, c.passed, c.text)
				}
				if ch.Blocking == c.advisory {
					t.Errorf("%s: blocking %v, want %v", c.check, ch.Blocking, !c.advisory)
				}
				if c.fault != "" && (len(ch.Faults) == 0 || ch.Faults[0].Message != c.fault || ch.Faults[0].Field != c.field) {
					t.Errorf("faults %+v, want first %q (field %q)", ch.Faults, c.fault, c.field)
				}
				if c.passed && len(ch.Faults) > 0 {
					t.Errorf("a passing check with faults %+v", ch.Faults)
				}
			})
		})
	}
}

// born sets a person's birth date.
func (x *succFixture) born(who string, birth time.Time) {
	x.s.Client.Person.UpdateOneID(x.person[who]).SetBirthDate(birth).ExecX(x.ctx)
}

// passing is a Cardiology 4 roster that passes every blocking check.
var passing = []string{"P03 Chair", "P10 Vice chair", "P11 Member"}

func TestCompleteSuccessionEndsTheOldTermAndStartsTheNew(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		nt := x.prepare(t, "P04 Vice chair", "P05 Member", "P06 Member")
		x.put(t, nt, passing...)
		on := registry.Day(2027, 1, 1)
		x.s.Clock = registry.FixedClock(on)
		events := x.s.Client.AuditEvent.Query().CountX(x.ctx)
		got, err := x.s.CompleteSuccession(x.ctx, x.views["secretariat"], registry.CompleteInput{TermID: nt.ID, On: on})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != nt.ID || got.Status != term.StatusACTIVE || !got.StartsOn.Equal(on) || !got.EndsOn.Equal(registry.Day(2031, 1, 1)) {
			t.Errorf("new term %+v, want ACTIVE 2027-01-01..2031-01-01", got)
		}
		old := x.s.Client.Term.GetX(x.ctx, x.term["Cardiology 3"])
		if old.Status != term.StatusENDED || old.ActualEnd == nil || !old.ActualEnd.Equal(on) {
			t.Errorf("old term %+v, want ENDED on 2027-01-01", old)
		}
		// Every appointment of the old term held on the day ends then;
		// P08's resignation stays as it was.
		for _, a := range x.s.Client.Appointment.Query().Where(appointment.TermID(old.ID)).AllX(x.ctx) {
			if a.ID == x.held["Cardiology 3 P08 Member"] {
				if !a.EndsOn.Equal(registry.Day(2024, 6, 1)) || *a.EndReason != appointment.EndReasonRESIGNED {
					t.Errorf("resigned appointment changed: %s", apptString(a))
				}
				continue
			}
			if a.EndsOn == nil || !a.EndsOn.Equal(on) || a.EndReason == nil || *a.EndReason != appointment.EndReasonTERM_ENDED {
				t.Errorf("old appointment %s, want ended 2027-01-01 TERM_ENDED", apptString(a))
			}
		}
		var actions []string
		for _, e := range x.s.Client.AuditEvent.Query().Where(auditevent.SeqGT(int64(events))).Order(auditevent.BySeq()).AllX(x.ctx) {
			actions = append(actions, fmt.Sprintf("%s %s %d", e.Action, e.Entity, e.EntityID))
		}
		want := []string{}
		for _, who := range []string{"P01 Chair", "P02 Vice chair", "P04 Vice chair", "P05 Member", "P06 Member", "P07 Member"} {
			want = append(want, fmt.Sprintf("appointment.end Appointment %d", x.held["Cardiology 3 "+who]))
		}
		want = append(want, fmt.Sprintf("succession.complete Term %d", old.ID), fmt.Sprintf("succession.complete Term %d", nt.ID))
		if diff := cmp.Diff(want, actions); diff != "" {
			t.Errorf("audit (-want +got):\n%s", diff)
		}
		if n, brk, err := x.s.VerifyAudit(x.ctx); err != nil || brk != nil {
			t.Errorf("verify: %d, %v, %v", n, brk, err)
		}
		// Done once: a second complete is a conflict.
		_, err = x.s.CompleteSuccession(x.ctx, x.views["admin"], registry.CompleteInput{TermID: nt.ID, On: on})
		apptWant(t, err, registry.Conflict, "termId", "planned")
	})
}

func TestCompleteSuccessionOnAnotherDayMovesTheNewRoster(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		for _, on := range []time.Time{registry.Day(2026, 12, 20), registry.Day(2027, 1, 10)} {
			t.Run(on.Format(registry.DateLayout), func(t *testing.T) {
				x := succOpen(t, d)
				nt := x.prepare(t, "P04 Vice chair")
				x.put(t, nt, passing...)
				late := x.s.Client.Appointment.Create().SetPersonID(x.person["P12"]).SetPostID(x.post["Member"]).SetTermID(nt.ID).
					SetStartsOn(registry.Day(2027, 3, 1)).SetObtainedBy(appointment.ObtainedByAPPOINTED).SaveX(x.ctx)
				x.s.Clock = registry.FixedClock(on)
				got, err := x.s.CompleteSuccession(x.ctx, x.views["admin"], registry.CompleteInput{TermID: nt.ID, On: on})
				if err != nil {
					t.Fatal(err)
				}
				if !got.StartsOn.Equal(on) || !got.EndsOn.Equal(on.AddDate(4, 0, 0)) {
					t.Errorf("new term %s..%s, want %s for 4 years", got.StartsOn, got.EndsOn, on)
				}
				for _, a := range x.s.Client.Appointment.Query().Where(appointment.TermID(nt.ID)).AllX(x.ctx) {
					want := on
					if a.ID == late.ID {
						want = registry.Day(2027, 3, 1) // it was not to start with the term
					}
					if !a.StartsOn.Equal(want) {
						t.Errorf("new appointment %s, want it to start %s", apptString(a), want.Format(registry.DateLayout))
					}
				}
				old := x.s.Client.Term.GetX(x.ctx, x.term["Cardiology 3"])
				if !old.ActualEnd.Equal(on) {
					t.Errorf("old term ended %s, want %s", old.ActualEnd, on)
				}
			})
		}
	})
}

func TestCompleteSuccessionRefusesAndWritesNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		nt := x.prepare(t)
		x.put(t, nt, "P01 Chair", "P10 Vice chair", "P11 Member") // P01: a third consecutive term
		on := registry.Day(2027, 1, 1)
		x.s.Clock = registry.FixedClock(on)
		in := func(edit func(*registry.CompleteInput)) registry.CompleteInput {
			in := registry.CompleteInput{TermID: nt.ID, On: on}
			if edit != nil {
				edit(&in)
			}
			return in
		}
		for _, c := range []struct {
			name        string
			viewer      string
			in          registry.CompleteInput
			kind        registry.Kind
			field, rule string
		}{
			{"a branch secretary", "cardiology", in(nil), registry.Forbidden, "termId", ""},
			{"a reader", "reader", in(nil), registry.Forbidden, "termId", ""},
			{"an override by the secretariat", "secretariat", in(func(in *registry.CompleteInput) {
				in.Override = &registry.Override{Reason: "the assembly asked"}
			}), registry.Forbidden, "override", ""},
			{"an override without a reason", "admin", in(func(in *registry.CompleteInput) { in.Override = &registry.Override{} }),
				registry.Invalid, "override.reason", "required"},
			{"no day", "admin", in(func(in *registry.CompleteInput) { in.On = time.Time{} }), registry.Invalid, "on", "required"},
			{"a day after today", "admin", in(func(in *registry.CompleteInput) { in.On = on.AddDate(0, 0, 1) }), registry.RuleViolation, "on", "notAfterToday"},
			{"a day before the current term began", "admin", in(func(in *registry.CompleteInput) { in.On = registry.Day(2022, 12, 31) }),
				registry.RuleViolation, "on", "afterCurrentStart"},
			{"an unknown term", "admin", in(func(in *registry.CompleteInput) { in.TermID = 9999 }), registry.NotFound, "termId", ""},
			{"an active term", "admin", in(func(in *registry.CompleteInput) { in.TermID = x.term["Cardiology 3"] }), registry.Conflict, "termId", "planned"},
			{"a third consecutive term", "secretariat", in(nil), registry.RuleViolation, "termId", registry.CheckConsecutiveTermLimit},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.state(t)
				_, err := x.s.CompleteSuccession(x.ctx, x.views[c.viewer], c.in)
				apptWant(t, err, c.kind, c.field, c.rule)
				if diff := cmp.Diff(before, x.state(t)); diff != "" {
					t.Errorf("written (-before +after):\n%s", diff)
				}
			})
		}
		t.Run("the refusal lists every failing check", func(t *testing.T) {
			x.born("P10", registry.Day(1950, 1, 1))
			_, err := x.s.CompleteSuccession(x.ctx, x.views["secretariat"], in(nil))
			e := registry.Wrap(err)
			var got []string
			for _, p := range e.Problems {
				got = append(got, p.Field+" "+p.Rule+": "+p.Message)
			}
			want := []string{
				"termId consecutiveTermLimit: consecutive terms in a leadership post: longest 3 (P01, Chair), at most 2: FAIL",
				"termId leadershipAgeLimit: leadership age on 2027-01-01: oldest 77 (P10, Vice chair), at most 70: FAIL",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if !strings.Contains(e.Message, "an ADMIN may complete it with an override") {
				t.Errorf("message %q does not say how to override", e.Message)
			}
		})
	})
}

func TestCompleteSuccessionWithAnOverrideRecordsTheReason(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		nt := x.prepare(t)
		x.put(t, nt, "P01 Chair", "P10 Vice chair", "P11 Member")
		on := registry.Day(2027, 1, 1)
		x.s.Clock = registry.FixedClock(on)
		got, err := x.s.CompleteSuccession(x.ctx, x.views["admin"], registry.CompleteInput{TermID: nt.ID, On: on,
			Override: &registry.Override{Reason: "the assembly re-elected the chair by a two-thirds vote"}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != term.StatusACTIVE {
			t.Errorf("status %s", got.Status)
		}
		e := x.s.Client.AuditEvent.Query().Where(auditevent.Action("succession.override")).OnlyX(x.ctx)
		want := fmt.Sprintf(`{"checks":[{"name":"consecutiveTermLimit","text":"consecutive terms in a leadership post: longest 3 (P01, Chair), at most 2: FAIL"}],`+
			`"on":"2027-01-01","reason":"the assembly re-elected the chair by a two-thirds vote","termId":%d}`, nt.ID)
		if e.After == nil || *e.After != want || e.Entity != "Term" || e.EntityID != nt.ID || e.Actor != "cli:test" {
			t.Errorf("override event %s %d by %s: %v\nwant %s", e.Entity, e.EntityID, e.Actor, deref(e.After), want)
		}
		// The override comes first, before the changes it allowed.
		first := x.s.Client.AuditEvent.Query().Where(auditevent.SeqGT(e.Seq - 1)).Order(auditevent.BySeq()).FirstX(x.ctx)
		if first.ID != e.ID {
			t.Errorf("the override is not the succession's first event")
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestConcurrentCompletesOfOneSuccessionOneWins(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		for round := range 3 {
			x := succOpen(t, d, storetest.StoreOptions(registry.Options{MaxOpenConns: 8}))
			nt := x.prepare(t, "P04 Vice chair", "P05 Member")
			x.put(t, nt, passing...)
			on := registry.Day(2027, 1, 1)
			x.s.Clock = registry.FixedClock(on)
			start := make(chan struct{})
			errs := make([]error, 6)
			done := make(chan struct{})
			for i := range errs {
				go func() {
					defer func() { done <- struct{}{} }()
					<-start
					_, errs[i] = x.s.CompleteSuccession(x.ctx, x.views["secretariat"], registry.CompleteInput{TermID: nt.ID, On: on})
				}()
			}
			close(start)
			for range errs {
				<-done
			}
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
					continue
				}
				if e := registry.Wrap(err); e.Kind != registry.Conflict {
					t.Errorf("round %d: %s: %v; want CONFLICT", round, e.Kind.Code(), err)
				}
			}
			if won != 1 {
				t.Errorf("round %d: %d completes succeeded, want 1", round, won)
			}
			n := x.s.Client.AuditEvent.Query().Where(auditevent.Action("succession.complete")).CountX(x.ctx)
			if n != 2 {
				t.Errorf("round %d: %d succession.complete events, want 2", round, n)
			}
			ended := x.s.Client.Appointment.Query().Where(appointment.TermID(x.term["Cardiology 3"]),
				appointment.EndReasonEQ(appointment.EndReasonTERM_ENDED), appointment.EndsOn(on)).CountX(x.ctx)
			if ended != 6 {
				t.Errorf("round %d: %d appointments ended with the term, want 6", round, ended)
			}
			if _, brk, err := x.s.VerifyAudit(x.ctx); err != nil || brk != nil {
				t.Errorf("round %d: verify: %v, %v", round, brk, err)
			}
		}
	})
}

func TestStandingCouncilChecks(t *testing.T) {
	for _, c := range []struct {
		name           string
		standing       []string
		size, drawn    string
		sizeOK, drawOK bool
	}{
		{"a third of the council, drawn from it", []string{"P09 Standing member", "P10 Standing member"},
			"standing council 2/6 = 33.3% of Council 2, at most 1/3: PASS", "drawn from the council: 2/2 hold a post in Council 2: PASS", true, true},
		{"one over a third", []string{"P09 Standing member", "P10 Standing member", "P11 Standing member"},
			"standing council 3/6 = 50.0% of Council 2, at most 1/3: FAIL", "drawn from the council: 3/3 hold a post in Council 2: PASS", false, true},
		{"someone not on the council", []string{"P09 Standing member", "P01 Standing member"},
			"standing council 2/6 = 33.3% of Council 2, at most 1/3: PASS", "drawn from the council: 1/2 hold a post in Council 2: FAIL", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
				x := succOpen(t, d)
				nt := x.prepareOf(t, "Standing", registry.Day(2026, 12, 1))
				x.put(t, nt, c.standing...)
				r := x.report(t, nt)
				size, drawn := checkOf(t, r, registry.CheckStandingCouncilMax), checkOf(t, r, registry.CheckDrawnFromCouncil)
				if size.Text != c.size || size.Passed != c.sizeOK || !size.Blocking {
					t.Errorf("size: %v %q, want %v %q", size.Passed, size.Text, c.sizeOK, c.size)
				}
				if drawn.Text != c.drawn || drawn.Passed != c.drawOK || !drawn.Blocking {
					t.Errorf("drawn: %v %q, want %v %q", drawn.Passed, drawn.Text, c.drawOK, c.drawn)
				}
			})
		})
	}
	t.Run("the council's next term", func(t *testing.T) {
		storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
			x := succOpen(t, d)
			council := x.prepareOf(t, "Council", registry.Day(2026, 12, 1), "P09 President", "P10 Council member", "P11 Council member")
			standing := x.prepareOf(t, "Standing", registry.Day(2026, 12, 1), "P09 Standing member", "P10 Standing member")
			r := x.report(t, standing)
			want := "standing council 2/3 = 66.7% of Council 3, at most 1/3: FAIL"
			if got := checkOf(t, r, registry.CheckStandingCouncilMax).Text; got != want {
				t.Errorf("size %q, want %q", got, want)
			}
			x.put(t, council, "P12 Council member", "P13 Council member", "P14 Council member")
			r = x.report(t, standing)
			want = "standing council 2/6 = 33.3% of Council 3, at most 1/3: PASS"
			if got := checkOf(t, r, registry.CheckStandingCouncilMax).Text; got != want {
				t.Errorf("size %q, want %q", got, want)
			}
		})
	})
}

func TestASuccessorPlannedEarlyEndsTheCurrentTermsSeatsOnItsStart(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		// Cardiology 3 is planned to end on 2027-01-01; its successor is
		// planned from 2026-12-15, so the single chair can pass from one
		// to the other on that day.
		nt := x.prepareOf(t, "Cardiology", registry.Day(2026, 12, 15), "P01 Chair")
		if n := x.s.Client.Appointment.Query().Where(appointment.TermID(nt.ID)).CountX(x.ctx); n != 1 {
			t.Fatalf("%d appointments carried over, want 1", n)
		}
		_, err := x.s.UpdateAppointment(x.ctx, x.views["admin"], registry.AppointmentPatch{
			AppointmentID: x.held["Cardiology 3 P05 Member"], EndsOn: apptDay(2026, 12, 20)})
		apptWant(t, err, registry.RuleViolation, "endsOn", "withinTerm")
		if want := "until the next term starts on 2026-12-15 (planned end 2027-01-01)"; !strings.Contains(err.Error(), want) {
			t.Errorf("%v: want it to say %q", err, want)
		}
	})
}
