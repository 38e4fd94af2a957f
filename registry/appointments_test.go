package registry_test

import (
	"context"
	"fmt"
	"sync"
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

// apptToday is the day the roster tests run on.
var apptToday = registry.Day(2026, 11, 23)

// apptRoster is a small society for the roster operations:
//
//	Association
//	├── Council (COUNCIL): term 1 ACTIVE 2022–2027; post Council member (5 seats)
//	├── Cardiology (ACADEMIC_BRANCH)
//	│   terms: 1 ENDED 2017–2022, 2 ACTIVE 2022–2027, 3 PLANNED 2027–2032
//	│   posts: Chair (1 seat), Vice chair (2), Secretary (2, never held), Member (20)
//	│   └── Cardiology youth (SPECIAL_COMMITTEE): term 1 ACTIVE 2023–2028; post Youth member (3)
//	└── Neurology (ACADEMIC_BRANCH)
//	    terms: 1 ACTIVE 2021-06-01–2026-06-01 (overdue on apptToday), 2 PLANNED from 2027-03-01
//	    posts: Neuro chair (1), Neuro member (4)
//
// People: "Active 01" to "Active 12" (ACTIVE members), "Lapsed" (LAPSED)
// and "Nobody" (no membership). Appointments, all dates half-open:
//
//	Cardiology 1  Chair       Active 01  2017-01-01–2022-01-01 TERM_ENDED
//	Cardiology 2  Chair       Active 02  2022-01-01–2024-01-01 RESIGNED
//	Cardiology 2  Chair       Active 03  2024-01-01–open
//	Cardiology 2  Vice chair  Active 04  2022-01-01–2025-01-01
//	Cardiology 2  Vice chair  Active 05  2022-01-01–open
//	Cardiology 2  Member      Active 06  2022-01-01–2024-01-01 RESIGNED
//	Neurology 1   Neuro chair Active 07  2021-06-01–open
var apptRoster = storetest.Prepare("appointments", func(ctx context.Context, s *registry.Store) error {
	c := s.Client
	day := registry.Day
	org := func(kind organization.Kind, name string, parent *ent.Organization) *ent.Organization {
		b := c.Organization.Create().SetKind(kind).SetName(name).SetRules(rules.Rules{})
		if parent != nil {
			b.SetParentID(parent.ID)
		}
		return b.SaveX(ctx)
	}
	trm := func(o *ent.Organization, ordinal int, status term.Status, start, end time.Time) *ent.Term {
		b := c.Term.Create().SetOrganizationID(o.ID).SetOrdinal(ordinal).SetStatus(status).SetStartsOn(start).SetEndsOn(end)
		if status == term.StatusENDED {
			b.SetActualEnd(end)
		}
		return b.SaveX(ctx)
	}
	post := func(o *ent.Organization, title string, rank, seats int) *ent.Post {
		return c.Post.Create().SetOrganizationID(o.ID).SetTitle(title).SetRank(rank).SetSeats(seats).SaveX(ctx)
	}
	assoc := org(organization.KindASSOCIATION, "Association", nil)
	council := org(organization.KindCOUNCIL, "Council", assoc)
	cardio := org(organization.KindACADEMIC_BRANCH, "Cardiology", assoc)
	youth := org(organization.KindSPECIAL_COMMITTEE, "Cardiology youth", cardio)
	neuro := org(organization.KindACADEMIC_BRANCH, "Neurology", assoc)

	trm(council, 1, term.StatusACTIVE, day(2022, 1, 1), day(2027, 1, 1))
	cardio1 := trm(cardio, 1, term.StatusENDED, day(2017, 1, 1), day(2022, 1, 1))
	cardio2 := trm(cardio, 2, term.StatusACTIVE, day(2022, 1, 1), day(2027, 1, 1))
	trm(cardio, 3, term.StatusPLANNED, day(2027, 1, 1), day(2032, 1, 1))
	trm(youth, 1, term.StatusACTIVE, day(2023, 1, 1), day(2028, 1, 1))
	neuro1 := trm(neuro, 1, term.StatusACTIVE, day(2021, 6, 1), day(2026, 6, 1))
	trm(neuro, 2, term.StatusPLANNED, day(2027, 3, 1), day(2032, 3, 1))

	post(council, "Council member", 1, 5)
	chair := post(cardio, "Chair", 1, 1)
	vice := post(cardio, "Vice chair", 2, 2)
	post(cardio, "Secretary", 3, 2)
	member := post(cardio, "Member", 4, 20)
	post(youth, "Youth member", 1, 3)
	neuroChair := post(neuro, "Neuro chair", 1, 1)
	post(neuro, "Neuro member", 2, 4)

	var active []*ent.Person
	for i := 1; i <= 12; i++ {
		p := c.Person.Create().SetName(fmt.Sprintf("Active %02d", i)).SaveX(ctx)
		c.Membership.Create().SetMemberNumber(fmt.Sprintf("M%06d", i)).SetKind(membership.KindINDIVIDUAL).
			SetStatus(membership.StatusACTIVE).SetJoinedOn(day(2010, 1, 1)).SetPersonID(p.ID).SaveX(ctx)
		active = append(active, p)
	}
	lapsed := c.Person.Create().SetName("Lapsed").SaveX(ctx)
	c.Membership.Create().SetMemberNumber("M000099").SetKind(membership.KindINDIVIDUAL).
		SetStatus(membership.StatusLAPSED).SetJoinedOn(day(2010, 1, 1)).SetPersonID(lapsed.ID).SaveX(ctx)
	c.Person.Create().SetName("Nobody").SaveX(ctx)

	appt := func(p *ent.Person, po *ent.Post, t *ent.Term, start time.Time, end *time.Time, why appointment.EndReason) {
		b := c.Appointment.Create().SetPersonID(p.ID).SetPostID(po.ID).SetTermID(t.ID).SetStartsOn(start).
			SetNillableEndsOn(end).SetObtainedBy(appointment.ObtainedByELECTED)
		if why != "" {
			b.SetEndReason(why)
		}
		b.SaveX(ctx)
	}
	on := func(y int, m time.Month, d int) *time.Time { t := day(y, m, d); return &t }
	appt(active[0], chair, cardio1, day(2017, 1, 1), on(2022, 1, 1), appointment.EndReasonTERM_ENDED)
	appt(active[1], chair, cardio2, day(2022, 1, 1), on(2024, 1, 1), appointment.EndReasonRESIGNED)
	appt(active[2], chair, cardio2, day(2024, 1, 1), nil, "")
	appt(active[3], vice, cardio2, day(2022, 1, 1), on(2025, 1, 1), "")
	appt(active[4], vice, cardio2, day(2022, 1, 1), nil, "")
	appt(active[5], member, cardio2, day(2022, 1, 1), on(2024, 1, 1), appointment.EndReasonRESIGNED)
	appt(active[6], neuroChair, neuro1, day(2021, 6, 1), nil, "")
	return nil
})

// apptFixture is an open copy of apptRoster with its rows found by name.
type apptFixture struct {
	s   *registry.Store
	ctx context.Context

	org    map[string]int // organization name → id
	term   map[string]int // "Cardiology 2" → id
	post   map[string]int // title → id
	person map[string]int // name → id
	held   map[string]int // "Active 03 Chair" → appointment id (the person's only one on the post)
	parent map[int]int    // organization → parent, for scopes
	views  map[string]*registry.Viewer
}

func apptOpen(t *testing.T, d storetest.Dialect, opts ...storetest.Option) *apptFixture {
	t.Helper()
	ctx := context.Background()
	s := apptRoster.Open(t, append([]storetest.Option{d}, opts...)...)
	s.Clock = registry.FixedClock(apptToday)
	x := &apptFixture{s: s, ctx: ctx, org: map[string]int{}, term: map[string]int{}, post: map[string]int{},
		person: map[string]int{}, held: map[string]int{}, parent: map[int]int{}}
	orgName := map[int]string{}
	for _, o := range s.Client.Organization.Query().AllX(ctx) {
		x.org[o.Name], orgName[o.ID] = o.ID, o.Name
		if o.ParentID != nil {
			x.parent[o.ID] = *o.ParentID
		} else {
			x.parent[o.ID] = 0
		}
	}
	for _, tm := range s.Client.Term.Query().AllX(ctx) {
		x.term[fmt.Sprintf("%s %d", orgName[tm.OrganizationID], tm.Ordinal)] = tm.ID
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
		x.held[personName[a.PersonID]+" "+postTitle[a.PostID]] = a.ID
	}
	scoped := func(name, org string) *registry.Viewer {
		scopes := []int{x.org[org]}
		return registry.NewViewer(0, name, registry.RoleBranchSecretary, scopes, registry.ScopeReach(scopes, x.parent))
	}
	x.views = map[string]*registry.Viewer{
		"admin":       registry.System("test"),
		"secretariat": registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil),
		"reader":      registry.NewViewer(0, "reader", registry.RoleReader, nil, nil),
		"cardiology":  scoped("cardio.sec", "Cardiology"),
		"youth":       scoped("youth.sec", "Cardiology youth"),
		"neurology":   scoped("neuro.sec", "Neurology"),
		"anonymous":   nil,
	}
	return x
}

// state is everything the roster operations may write: every
// appointment, and the audit trail's length.
func (x *apptFixture) state(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, a := range x.s.Client.Appointment.Query().Order(appointment.ByID()).AllX(x.ctx) {
		out = append(out, apptString(a))
	}
	return append(out, fmt.Sprintf("audit events: %d", x.s.Client.AuditEvent.Query().CountX(x.ctx)))
}

func apptString(a *ent.Appointment) string {
	end, why := "open", "-"
	if a.EndsOn != nil {
		end = a.EndsOn.Format(registry.DateLayout)
	}
	if a.EndReason != nil {
		why = a.EndReason.String()
	}
	return fmt.Sprintf("%d person=%d post=%d term=%d %s..%s %s %s", a.ID, a.PersonID, a.PostID, a.TermID,
		a.StartsOn.Format(registry.DateLayout), end, a.ObtainedBy, why)
}

// lastEvent returns the audit trail's last event.
func (x *apptFixture) lastEvent(t *testing.T) *ent.AuditEvent {
	t.Helper()
	return x.s.Client.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).FirstX(x.ctx)
}

func apptWant(t *testing.T, err error, kind registry.Kind, field, rule string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s on %q (rule %q)", kind.Code(), field, rule)
	}
	e := registry.Wrap(err)
	if e.Kind != kind || e.Field != field || e.Rule != rule {
		t.Fatalf("got %s on %q (rule %q): %v; want %s on %q (rule %q)", e.Kind.Code(), e.Field, e.Rule, err, kind.Code(), field, rule)
	}
}

func apptDay(y int, m time.Month, d int) *time.Time { t := registry.Day(y, m, d); return &t }

func apptStr(s string) *string { return &s }

// apptSnap is the audit snapshot of an appointment, as canonical JSON.
func apptSnap(t *testing.T, a *ent.Appointment) string {
	t.Helper()
	m, err := registry.Snapshot(a)
	if err != nil {
		t.Fatal(err)
	}
	b, err := registry.Canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRosterOperationsRefuseEachRuleAndWriteNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := apptOpen(t, d)
		p, post, trm, held := x.person, x.post, x.term, x.held
		in := func(person, postTitle, termName string, start time.Time) registry.AppointInput {
			return registry.AppointInput{PersonID: p[person], PostID: post[postTitle], TermID: trm[termName],
				StartsOn: start, ObtainedBy: "APPOINTED"}
		}
		day := registry.Day
		appoint := func(viewer string, in registry.AppointInput, edit func(*registry.AppointInput)) func() error {
			if edit != nil {
				edit(&in)
			}
			return func() error { _, err := x.s.Appoint(x.ctx, x.views[viewer], in); return err }
		}
		end := func(viewer string, in registry.EndInput) func() error {
			return func() error { _, err := x.s.EndAppointment(x.ctx, x.views[viewer], in); return err }
		}
		update := func(viewer string, in registry.AppointmentPatch) func() error {
			return func() error { _, err := x.s.UpdateAppointment(x.ctx, x.views[viewer], in); return err }
		}
		newMember := in("Active 08", "Member", "Cardiology 2", day(2026, 12, 1))
		tests := []struct {
			name        string
			do          func() error
			kind        registry.Kind
			field, rule string
		}{
			// Who may.
			{"appoint anonymous", appoint("anonymous", newMember, nil), registry.Unauthenticated, "", ""},
			{"appoint reader", appoint("reader", newMember, nil), registry.Forbidden, "termId", ""},
			{"appoint secretary out of scope", appoint("neurology", newMember, nil), registry.Forbidden, "termId", ""},
			{"appoint secretary of a sub-committee in its parent", appoint("youth", newMember, nil), registry.Forbidden, "termId", ""},
			{"appoint unknown term, admin", appoint("admin", newMember, func(in *registry.AppointInput) { in.TermID = 999999 }), registry.NotFound, "termId", ""},
			{"appoint unknown term, secretary", appoint("cardiology", newMember, func(in *registry.AppointInput) { in.TermID = 999999 }), registry.Forbidden, "termId", ""},
			{"appoint unknown post", appoint("admin", newMember, func(in *registry.AppointInput) { in.PostID = 999999 }), registry.NotFound, "postId", ""},
			{"appoint unknown person", appoint("cardiology", newMember, func(in *registry.AppointInput) { in.PersonID = 999999 }), registry.NotFound, "personId", ""},
			// Shape.
			{"appoint without obtainedBy", appoint("admin", newMember, func(in *registry.AppointInput) { in.ObtainedBy = "" }), registry.Invalid, "obtainedBy", "required"},
			{"appoint with a bad obtainedBy", appoint("admin", newMember, func(in *registry.AppointInput) { in.ObtainedBy = "BOUGHT" }), registry.Invalid, "obtainedBy", "oneOf"},
			{"appoint without startsOn", appoint("admin", newMember, func(in *registry.AppointInput) { in.StartsOn = time.Time{} }), registry.Invalid, "startsOn", "required"},
			{"appoint ending on its first day", appoint("admin", newMember, func(in *registry.AppointInput) { in.EndsOn = apptDay(2026, 12, 1) }), registry.Invalid, "endsOn", "dateOrder"},
			{"appoint ending on its first day, later in the day", appoint("admin", newMember, func(in *registry.AppointInput) {
				in.EndsOn = &time.Time{}
				*in.EndsOn = registry.Day(2026, 12, 1).Add(10 * time.Hour)
			}), registry.Invalid, "endsOn", "dateOrder"},
			{"appoint with endReason and no endsOn", appoint("admin", newMember, func(in *registry.AppointInput) { in.EndReason = "RESIGNED" }), registry.Invalid, "endReason", "requiresEnd"},
			// Society rules.
			{"appoint in an ended term", appoint("admin", in("Active 08", "Member", "Cardiology 1", day(2018, 1, 1)), nil), registry.RuleViolation, "termId", "termEnded"},
			{"appoint to another organization's post", appoint("admin", in("Active 08", "Neuro member", "Cardiology 2", day(2026, 12, 1)), nil), registry.RuleViolation, "postId", "sameOrganization"},
			{"appoint before the term", appoint("admin", in("Active 08", "Member", "Cardiology 2", day(2021, 12, 31)), nil), registry.RuleViolation, "startsOn", "withinTerm"},
			{"appoint on the term's end", appoint("admin", in("Active 08", "Member", "Cardiology 2", day(2027, 1, 1)), nil), registry.RuleViolation, "startsOn", "withinTerm"},
			{"appoint ending after the term", appoint("admin", newMember, func(in *registry.AppointInput) { in.EndsOn = apptDay(2027, 1, 2) }), registry.RuleViolation, "endsOn", "withinTerm"},
			{"appoint before an overdue term", appoint("admin", in("Active 08", "Neuro member", "Neurology 1", day(2021, 5, 31)), nil), registry.RuleViolation, "startsOn", "withinTerm"},
			{"appoint to an overdue term after the next term starts", appoint("admin", in("Active 08", "Neuro chair", "Neurology 1", day(2027, 5, 1)), nil), registry.RuleViolation, "startsOn", "withinTerm"},
			{"appoint to an overdue term ending after the next term starts", appoint("admin", in("Active 08", "Neuro member", "Neurology 1", day(2026, 12, 1)), func(in *registry.AppointInput) { in.EndsOn = apptDay(2027, 3, 2) }), registry.RuleViolation, "endsOn", "withinTerm"},
			{"appoint a lapsed member to a branch", appoint("admin", in("Lapsed", "Member", "Cardiology 2", day(2026, 12, 1)), nil), registry.RuleViolation, "personId", "activeMember"},
			{"appoint a non-member to a branch", appoint("admin", in("Nobody", "Member", "Cardiology 2", day(2026, 12, 1)), nil), registry.RuleViolation, "personId", "activeMember"},
			{"appoint a non-member to a special committee", appoint("admin", in("Nobody", "Youth member", "Cardiology youth 1", day(2026, 12, 1)), nil), registry.RuleViolation, "personId", "activeMember"},
			{"appoint twice in a term", appoint("admin", in("Active 06", "Member", "Cardiology 2", day(2026, 12, 1)), nil), registry.Conflict, "personId", "oncePerTerm"},
			{"appoint to a full post", appoint("admin", in("Active 08", "Chair", "Cardiology 2", day(2026, 12, 1)), nil), registry.RuleViolation, "postId", "seats"},
			{"appoint to a post full later", appoint("admin", in("Active 08", "Chair", "Cardiology 2", day(2022, 6, 1)), func(in *registry.AppointInput) { in.EndsOn = apptDay(2024, 1, 2) }), registry.RuleViolation, "postId", "seats"},
			{"appoint to a full post of an overdue term", appoint("admin", in("Active 08", "Neuro chair", "Neurology 1", day(2026, 12, 1)), nil), registry.RuleViolation, "postId", "seats"},
			{"appoint to a post full for a while", appoint("admin", in("Active 08", "Vice chair", "Cardiology 2", day(2022, 6, 1)), nil), registry.RuleViolation, "postId", "seats"},

			{"end anonymous", end("anonymous", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2026, 12, 1), Reason: "RESIGNED"}), registry.Unauthenticated, "", ""},
			{"end reader", end("reader", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2026, 12, 1), Reason: "RESIGNED"}), registry.Forbidden, "appointmentId", ""},
			{"end secretary out of scope", end("neurology", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2026, 12, 1), Reason: "RESIGNED"}), registry.Forbidden, "appointmentId", ""},
			{"end unknown, admin", end("admin", registry.EndInput{AppointmentID: 999999, EndsOn: day(2026, 12, 1), Reason: "RESIGNED"}), registry.NotFound, "appointmentId", ""},
			{"end unknown, secretary", end("cardiology", registry.EndInput{AppointmentID: 999999, EndsOn: day(2026, 12, 1), Reason: "RESIGNED"}), registry.Forbidden, "appointmentId", ""},
			{"end without reason", end("admin", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2026, 12, 1)}), registry.Invalid, "reason", "required"},
			{"end with a bad reason", end("admin", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2026, 12, 1), Reason: "BORED"}), registry.Invalid, "reason", "oneOf"},
			{"end on its first day", end("admin", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2024, 1, 1), Reason: "RESIGNED"}), registry.Invalid, "endsOn", "dateOrder"},
			{"end after the term", end("admin", registry.EndInput{AppointmentID: held["Active 03 Chair"], EndsOn: day(2027, 1, 2), Reason: "RESIGNED"}), registry.RuleViolation, "endsOn", "withinTerm"},
			{"end twice", end("admin", registry.EndInput{AppointmentID: held["Active 06 Member"], EndsOn: day(2025, 1, 1), Reason: "RESIGNED"}), registry.RuleViolation, "appointmentId", "alreadyEnded"},
			{"end in an ended term", end("admin", registry.EndInput{AppointmentID: held["Active 01 Chair"], EndsOn: day(2021, 1, 1), Reason: "RESIGNED"}), registry.RuleViolation, "appointmentId", "termEnded"},

			{"update reader", update("reader", registry.AppointmentPatch{AppointmentID: held["Active 03 Chair"], ObtainedBy: apptStr("APPOINTED")}), registry.Forbidden, "appointmentId", ""},
			{"update secretary out of scope", update("neurology", registry.AppointmentPatch{AppointmentID: held["Active 03 Chair"], ObtainedBy: apptStr("APPOINTED")}), registry.Forbidden, "appointmentId", ""},
			{"update unknown, admin", update("admin", registry.AppointmentPatch{AppointmentID: 999999, ObtainedBy: apptStr("APPOINTED")}), registry.NotFound, "appointmentId", ""},
			{"update unknown, secretary", update("cardiology", registry.AppointmentPatch{AppointmentID: 999999}), registry.Forbidden, "appointmentId", ""},
			{"update with a bad obtainedBy", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 03 Chair"], ObtainedBy: apptStr("BOUGHT")}), registry.Invalid, "obtainedBy", "oneOf"},
			{"update clearing and setting the end", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 06 Member"], ClearEnd: true, EndsOn: apptDay(2025, 1, 1)}), registry.Invalid, "clearEnd", "exclusive"},
			{"update clearing the end with a reason", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 06 Member"], ClearEnd: true, EndReason: apptStr("OTHER")}), registry.Invalid, "endReason", "requiresEnd"},
			{"update an open appointment's endReason", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 03 Chair"], EndReason: apptStr("OTHER")}), registry.Invalid, "endReason", "requiresEnd"},
			{"update start past the end", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 06 Member"], StartsOn: apptDay(2024, 1, 1)}), registry.Invalid, "startsOn", "ltfield"},
			{"update end before the start", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 06 Member"], EndsOn: apptDay(2021, 1, 1)}), registry.Invalid, "endsOn", "dateOrder"},
			{"update in an ended term", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 01 Chair"], ObtainedBy: apptStr("APPOINTED")}), registry.RuleViolation, "appointmentId", "termEnded"},
			{"update start before the term", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 06 Member"], StartsOn: apptDay(2021, 12, 1)}), registry.RuleViolation, "startsOn", "withinTerm"},
			{"update end after the term", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 06 Member"], EndsOn: apptDay(2027, 2, 1)}), registry.RuleViolation, "endsOn", "withinTerm"},
			{"update start into a full post", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 03 Chair"], StartsOn: apptDay(2023, 12, 31)}), registry.RuleViolation, "startsOn", "seats"},
			{"update end into a full post", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 02 Chair"], EndsOn: apptDay(2024, 1, 2)}), registry.RuleViolation, "endsOn", "seats"},
			{"reopen into a full post", update("admin", registry.AppointmentPatch{AppointmentID: held["Active 02 Chair"], ClearEnd: true}), registry.RuleViolation, "clearEnd", "seats"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := x.state(t)
				apptWant(t, tc.do(), tc.kind, tc.field, tc.rule)
				if diff := cmp.Diff(before, x.state(t)); diff != "" {
					t.Fatalf("a refused operation wrote (-before +after):\n%s", diff)
				}
			})
		}
	})
}

func TestRosterErrorsSayWhy(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := apptOpen(t, d)
		in := registry.AppointInput{PersonID: x.person["Lapsed"], PostID: x.post["Member"], TermID: x.term["Cardiology 2"],
			StartsOn: registry.Day(2026, 12, 1), ObtainedBy: "APPOINTED"}
		for _, tc := range []struct {
			edit func(*registry.AppointInput)
			want string
		}{
			{func(*registry.AppointInput) {},
				fmt.Sprintf("person %d's membership M000099 is LAPSED; only members with an ACTIVE membership take posts in academic branches and special committees", x.person["Lapsed"])},
			{func(in *registry.AppointInput) { in.PersonID = x.person["Nobody"] },
				fmt.Sprintf("person %d has no membership; only members with an ACTIVE membership take posts in academic branches and special committees", x.person["Nobody"])},
			{func(in *registry.AppointInput) { in.PersonID, in.PostID = x.person["Active 08"], x.post["Chair"] },
				fmt.Sprintf(`post "Chair" (id %d) has 1 seat(s), all taken on 2026-12-01; a post never holds more people than its seats`, x.post["Chair"])},
			{func(in *registry.AppointInput) {
				in.PersonID, in.PostID, in.StartsOn, in.EndsOn = x.person["Active 08"], x.post["Chair"], registry.Day(2022, 6, 1), apptDay(2024, 1, 2)
			}, fmt.Sprintf(`post "Chair" (id %d) has 1 seat(s), all taken on 2022-06-01; a post never holds more people than its seats`, x.post["Chair"])},
			{func(in *registry.AppointInput) {
				in.PersonID, in.StartsOn = x.person["Active 08"], registry.Day(2027, 1, 1)
			},
				fmt.Sprintf("startsOn 2027-01-01 lies outside term no. 2 (id %d), which runs from 2022-01-01 to 2027-01-01 (exclusive); an appointment lies inside its term's dates", x.term["Cardiology 2"])},
			{func(in *registry.AppointInput) {
				in.PersonID, in.PostID, in.TermID, in.StartsOn = x.person["Active 08"], x.post["Neuro member"], x.term["Neurology 1"], registry.Day(2021, 1, 1)
			}, fmt.Sprintf("startsOn 2021-01-01 lies outside term no. 1 (id %d), which runs from 2021-06-01, overdue since 2026-06-01, until the next term starts on 2027-03-01; an appointment lies inside its term's dates", x.term["Neurology 1"])},
		} {
			in := in
			tc.edit(&in)
			_, err := x.s.Appoint(x.ctx, x.views["admin"], in)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		}
	})
}

func TestAppointRecordsAppointmentCreate(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := apptOpen(t, d)
		in := registry.AppointInput{PersonID: x.person["Active 08"], PostID: x.post["Member"], TermID: x.term["Cardiology 2"],
			// Not midnight UTC: the day counts, in the time's own zone.
			StartsOn: time.Date(2026, 12, 1, 23, 30, 0, 0, time.FixedZone("CST", 8*3600)),
			EndsOn:   apptDay(2027, 1, 1), ObtainedBy: "APPOINTED", EndReason: "TERM_ENDED"}
		a, err := x.s.Appoint(x.ctx, x.views["cardiology"], in)
		if err != nil {
			t.Fatal(err)
		}
		stored := x.s.Client.Appointment.GetX(x.ctx, a.ID)
		want := fmt.Sprintf("%d person=%d post=%d term=%d 2026-12-01..2027-01-01 APPOINTED TERM_ENDED",
			a.ID, x.person["Active 08"], x.post["Member"], x.term["Cardiology 2"])
		if got := apptString(stored); got != want || apptString(a) != want {
			t.Fatalf("stored %s, returned %s; want %s", got, apptString(a), want)
		}
		if n := x.s.Client.AuditEvent.Query().CountX(x.ctx); n != 1 {
			t.Fatalf("%d audit events, want 1", n)
		}
		ev := x.lastEvent(t)
		wantAfter := fmt.Sprintf(`{"endReason":"TERM_ENDED","endsOn":"2027-01-01","id":%d,"obtainedBy":"APPOINTED","personId":%d,"postId":%d,"startsOn":"2026-12-01","termId":%d}`,
			a.ID, x.person["Active 08"], x.post["Member"], x.term["Cardiology 2"])
		if ev.Action != "appointment.create" || ev.Entity != "Appointment" || ev.EntityID != a.ID || ev.Actor != "cardio.sec" ||
			ev.Before != nil || ev.After == nil || *ev.After != wantAfter {
			t.Fatalf("event %s %s %d by %s, before %v, after %v; want appointment.create of %d by cardio.sec, after %s",
				ev.Action, ev.Entity, ev.EntityID, ev.Actor, ev.Before, ev.After, a.ID, wantAfter)
		}

		// More that the rules allow, each one event.
		for _, tc := range []struct {
			name   string
			viewer string
			in     registry.AppointInput
		}{
			// A sub-committee is in its parent branch's secretary's scope.
			{"sub-committee by the parent's secretary", "cardiology", registry.AppointInput{PersonID: x.person["Active 09"], PostID: x.post["Youth member"], TermID: x.term["Cardiology youth 1"], StartsOn: registry.Day(2026, 12, 1), ObtainedBy: "ELECTED"}},
			{"sub-committee by its own secretary", "youth", registry.AppointInput{PersonID: x.person["Active 10"], PostID: x.post["Youth member"], TermID: x.term["Cardiology youth 1"], StartsOn: registry.Day(2026, 12, 1), ObtainedBy: "ELECTED"}},
			// Branch rules do not bind the council.
			{"a non-member to the council", "secretariat", registry.AppointInput{PersonID: x.person["Nobody"], PostID: x.post["Council member"], TermID: x.term["Council 1"], StartsOn: registry.Day(2022, 1, 1), ObtainedBy: "EX_OFFICIO"}},
			// The next term's roster: the chair's open appointment
			// ends with its term, so the chair's seat is free then.
			{"the planned term's chair", "cardiology", registry.AppointInput{PersonID: x.person["Active 08"], PostID: x.post["Chair"], TermID: x.term["Cardiology 3"], StartsOn: registry.Day(2027, 1, 1), ObtainedBy: "ELECTED"}},
			// An overdue term stays open: an appointment may end after its planned end.
			{"past an overdue term's planned end", "neurology", registry.AppointInput{PersonID: x.person["Active 08"], PostID: x.post["Neuro member"], TermID: x.term["Neurology 1"], StartsOn: registry.Day(2026, 7, 1), EndsOn: apptDay(2027, 2, 1), ObtainedBy: "APPOINTED"}},
			// ... and ends when the next term starts.
			{"the next term's chair after an overdue one", "neurology", registry.AppointInput{PersonID: x.person["Active 09"], PostID: x.post["Neuro chair"], TermID: x.term["Neurology 2"], StartsOn: registry.Day(2027, 3, 1), ObtainedBy: "ELECTED"}},
			// The seat Active 02 left on 2024-01-01 until Active 03 took it.
			{"a free seat between two holders", "admin", registry.AppointInput{PersonID: x.person["Active 11"], PostID: x.post["Vice chair"], TermID: x.term["Cardiology 2"], StartsOn: registry.Day(2025, 1, 1), ObtainedBy: "APPOINTED"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := x.s.Client.AuditEvent.Query().CountX(x.ctx)
				a, err := x.s.Appoint(x.ctx, x.views[tc.viewer], tc.in)
				if err != nil {
					t.Fatal(err)
				}
				ev := x.lastEvent(t)
				if x.s.Client.AuditEvent.Query().CountX(x.ctx) != n+1 || ev.Action != "appointment.create" || ev.EntityID != a.ID || *ev.After != apptSnap(t, a) {
					t.Fatalf("want one appointment.create event of %d, got %s of %d", a.ID, ev.Action, ev.EntityID)
				}
			})
		}
		if n, brk, err := x.s.VerifyAudit(x.ctx); err != nil || brk != nil || n != 8 {
			t.Fatalf("verify: %d, %v, %v; want 8 events, no break", n, brk, err)
		}
	})
}

func TestEndAppointmentRecordsAppointmentEnd(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := apptOpen(t, d)
		id := x.held["Active 03 Chair"]
		before := x.s.Client.Appointment.GetX(x.ctx, id)
		// The term's last day is the latest end (exclusive) there is.
		a, err := x.s.EndAppointment(x.ctx, x.views["cardiology"], registry.EndInput{AppointmentID: id, EndsOn: registry.Day(2027, 1, 1), Reason: "TERM_ENDED"})
		if err != nil {
			t.Fatal(err)
		}
		stored := x.s.Client.Appointment.GetX(x.ctx, id)
		want := fmt.Sprintf("%d person=%d post=%d term=%d 2024-01-01..2027-01-01 ELECTED TERM_ENDED", id, x.person["Active 03"], x.post["Chair"], x.term["Cardiology 2"])
		if apptString(stored) != want || apptString(a) != want {
			t.Fatalf("stored %s, returned %s; want %s", apptString(stored), apptString(a), want)
		}
		ev := x.lastEvent(t)
		if x.s.Client.AuditEvent.Query().CountX(x.ctx) != 1 || ev.Action != "appointment.end" || ev.EntityID != id ||
			ev.Before == nil || *ev.Before != apptSnap(t, before) || *ev.After != apptSnap(t, stored) {
			t.Fatalf("event %s of %d before %v after %v; want one appointment.end with the row before and after", ev.Action, ev.EntityID, ev.Before, ev.After)
		}
		if *ev.Before == *ev.After {
			t.Fatal("before and after are the same")
		}
	})
}

func TestUpdateAppointment(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := apptOpen(t, d)
		tests := []struct {
			name   string
			viewer string
			patch  registry.AppointmentPatch
			want   string // the row after, from its dates on
		}{
			{"how it was obtained", "cardiology", registry.AppointmentPatch{AppointmentID: x.held["Active 03 Chair"], ObtainedBy: apptStr("CARRIED_OVER")},
				"2024-01-01..open CARRIED_OVER -"},
			// Vice chair has 2 seats, held by Active 04 until 2025 and
			// by Active 05: Active 04 staying longer counts only
			// Active 05 beside, not Active 04's own appointment.
			{"an end later, the appointment not counted against itself", "secretariat", registry.AppointmentPatch{AppointmentID: x.held["Active 04 Vice chair"], EndsOn: apptDay(2026, 1, 1), EndReason: apptStr("RESIGNED")},
				"2022-01-01..2026-01-01 ELECTED RESIGNED"},
			{"a start later", "admin", registry.AppointmentPatch{AppointmentID: x.held["Active 05 Vice chair"], StartsOn: apptDay(2022, 3, 1)},
				"2022-03-01..open ELECTED -"},
			{"an earlier end on a full post", "admin", registry.AppointmentPatch{AppointmentID: x.held["Active 02 Chair"], EndsOn: apptDay(2023, 12, 1)},
				"2022-01-01..2023-12-01 ELECTED RESIGNED"},
			{"reopen", "cardiology", registry.AppointmentPatch{AppointmentID: x.held["Active 06 Member"], ClearEnd: true},
				"2022-01-01..open ELECTED -"},
			{"a start earlier into a seat just freed", "admin", registry.AppointmentPatch{AppointmentID: x.held["Active 03 Chair"], StartsOn: apptDay(2023, 12, 1)},
				"2023-12-01..open CARRIED_OVER -"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				id := tc.patch.AppointmentID
				n := x.s.Client.AuditEvent.Query().CountX(x.ctx)
				before := x.s.Client.Appointment.GetX(x.ctx, id)
				a, err := x.s.UpdateAppointment(x.ctx, x.views[tc.viewer], tc.patch)
				if err != nil {
					t.Fatal(err)
				}
				stored := x.s.Client.Appointment.GetX(x.ctx, id)
				want := fmt.Sprintf("%d person=%d post=%d term=%d %s", id, before.PersonID, before.PostID, before.TermID, tc.want)
				if apptString(stored) != want || apptString(a) != want {
					t.Fatalf("stored %s, returned %s; want %s", apptString(stored), apptString(a), want)
				}
				ev := x.lastEvent(t)
				if x.s.Client.AuditEvent.Query().CountX(x.ctx) != n+1 || ev.Action != "appointment.update" || ev.EntityID != id ||
					*ev.Before != apptSnap(t, before) || *ev.After != apptSnap(t, stored) {
					t.Fatalf("event %s of %d before %v after %v; want one appointment.update with the row before and after", ev.Action, ev.EntityID, *ev.Before, *ev.After)
				}
			})
		}
		if n, brk, err := x.s.VerifyAudit(x.ctx); err != nil || brk != nil || n != int64(len(tests)) {
			t.Fatalf("verify: %d, %v, %v; want %d events, no break", n, brk, err, len(tests))
		}
	})
}

func TestUnchangedPatchWritesNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := apptOpen(t, d)
		a := x.s.Client.Appointment.GetX(x.ctx, x.held["Active 06 Member"])
		termBefore := x.s.Client.Term.GetX(x.ctx, a.TermID)
		postBefore := x.s.Client.Post.GetX(x.ctx, a.PostID)
		for _, patch := range []registry.AppointmentPatch{
			{AppointmentID: a.ID},
			{AppointmentID: a.ID, StartsOn: &a.StartsOn, EndsOn: a.EndsOn, ObtainedBy: apptStr("ELECTED"), EndReason: apptStr("RESIGNED")},
		} {
			got, err := x.s.UpdateAppointment(x.ctx, x.views["cardiology"], patch)
			if err != nil {
				t.Fatal(err)
			}
			if apptString(got) != apptString(a) {
				t.Fatalf("returned %s, want %s", apptString(got), apptString(a))
			}
		}
		after := x.s.Client.Appointment.GetX(x.ctx, a.ID)
		termAfter := x.s.Client.Term.GetX(x.ctx, a.TermID)
		postAfter := x.s.Client.Post.GetX(x.ctx, a.PostID)
		if !after.UpdatedAt.Equal(a.UpdatedAt) || !termAfter.UpdatedAt.Equal(termBefore.UpdatedAt) || !postAfter.UpdatedAt.Equal(postBefore.UpdatedAt) {
			t.Fatal("an unchanged patch wrote to the appointment or its guard rows")
		}
		if n := x.s.Client.AuditEvent.Query().CountX(x.ctx); n != 0 {
			t.Fatalf("%d audit events, want none", n)
		}
	})
}

// Two seats, eight people appointed at once: two take them, six are told
// the post is full. Run several times: each round is a fresh database.
func TestAppointConcurrentlyNeverOverfillsSeats(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		for round := range 5 {
			x := apptOpen(t, d, storetest.StoreOptions(registry.Options{MaxOpenConns: 8}))
			start := make(chan struct{})
			errs := make([]error, 8)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = x.s.Appoint(x.ctx, x.views["cardiology"], registry.AppointInput{
						PersonID: x.person[fmt.Sprintf("Active %02d", i+1)], PostID: x.post["Secretary"], TermID: x.term["Cardiology 2"],
						StartsOn: registry.Day(2026, 12, 1), EndsOn: apptDay(2027, 1, 1), ObtainedBy: "APPOINTED"})
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
					continue
				}
				if e := registry.Wrap(err); e.Kind != registry.RuleViolation || e.Rule != "seats" {
					t.Errorf("round %d: %s (rule %q): %v; want RULE_VIOLATION seats", round, e.Kind.Code(), e.Rule, err)
				}
			}
			if ok != 2 {
				t.Errorf("round %d: %d appointments succeeded, want 2", round, ok)
			}
			if n := x.s.Client.Appointment.Query().Where(appointment.PostID(x.post["Secretary"])).CountX(x.ctx); n != 2 {
				t.Errorf("round %d: %d appointments stored, want 2", round, n)
			}
			if n, brk, err := x.s.VerifyAudit(x.ctx); err != nil || brk != nil || n != 2 {
				t.Errorf("round %d: verify: %d, %v, %v; want 2 events, no break", round, n, brk, err)
			}
		}
	})
}
