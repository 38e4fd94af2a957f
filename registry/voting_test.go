package registry_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/motion"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/ent/vote"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// votingSociety is a society that meets and votes:
//
//	Association: term 1 ACTIVE 2021-06-01–2026-06-01 (for its assembly)
//	├── Council: term 1 ACTIVE; 500 council members (V001..V500)
//	│   └── Standing: term 1 ACTIVE; 45 standing members (V001..V045)
//	├── Cardiology (branch): term 1 ACTIVE; 6 members (V046..V051)
//	└── Oncology (branch): term 1 ACTIVE; 3 members (V052..V054)
//	City Hospital: an ACTIVE unit member; its staff V055, V056 (ACTIVE)
//	and V057 (LAPSED).
//
// Everyone V001..V057 is an ACTIVE member but V057. Accounts: clerk
// (READER), cardio (BRANCH_SECRETARY of Cardiology).
var votingSociety = storetest.Prepare("voting", func(ctx context.Context, s *registry.Store) error {
	c := s.Client
	day := registry.Day
	start, end := day(2021, 6, 1), day(2026, 6, 1)
	org := func(kind organization.Kind, name string, parent *ent.Organization) (*ent.Organization, *ent.Term) {
		b := c.Organization.Create().SetKind(kind).SetName(name).SetRules(rules.Rules{})
		if parent != nil {
			b.SetParentID(parent.ID)
		}
		o := b.SaveX(ctx)
		t := c.Term.Create().SetOrganizationID(o.ID).SetOrdinal(1).SetStatus(term.StatusACTIVE).
			SetStartsOn(start).SetEndsOn(end).SetName(name + " 1").SaveX(ctx)
		return o, t
	}
	assoc, _ := org(organization.KindASSOCIATION, "Association", nil)
	council, councilTerm := org(organization.KindCOUNCIL, "Council", assoc)
	standing, standingTerm := org(organization.KindSTANDING_COUNCIL, "Standing", council)
	cardio, cardioTerm := org(organization.KindACADEMIC_BRANCH, "Cardiology", assoc)
	onco, oncoTerm := org(organization.KindACADEMIC_BRANCH, "Oncology", assoc)
	hospital := c.Institution.Create().SetName("City Hospital").SetKind("HOSPITAL").SaveX(ctx)
	c.Membership.Create().SetMemberNumber("U0001").SetKind(membership.KindUNIT).SetStatus(membership.StatusACTIVE).
		SetJoinedOn(day(2010, 1, 1)).SetInstitutionID(hospital.ID).SaveX(ctx)

	people := make([]*ent.PersonCreate, 557)
	for i := range people {
		people[i] = c.Person.Create().SetName(fmt.Sprintf("V%03d", i+1)).SetBirthDate(day(1970, 1, 1))
		if i+1 >= 55 && i+1 <= 57 {
			people[i].SetInstitutionID(hospital.ID)
		}
	}
	ps := c.Person.CreateBulk(people...).SaveX(ctx)
	members := make([]*ent.MembershipCreate, len(ps))
	for i, p := range ps {
		status := membership.StatusACTIVE
		if i+1 == 57 {
			status = membership.StatusLAPSED
		}
		members[i] = c.Membership.Create().SetMemberNumber(fmt.Sprintf("M%06d", i+1)).SetKind(membership.KindINDIVIDUAL).
			SetStatus(status).SetJoinedOn(day(2010, 1, 1)).SetPersonID(p.ID)
	}
	c.Membership.CreateBulk(members...).ExecX(ctx)
	var appts []*ent.AppointmentCreate
	seat := func(o *ent.Organization, t *ent.Term, title string, from, to int) {
		po := c.Post.Create().SetOrganizationID(o.ID).SetTitle(title).SetRank(9).SetSeats(to - from + 1).SaveX(ctx)
		for i := from; i <= to; i++ {
			appts = append(appts, c.Appointment.Create().SetPersonID(ps[i-1].ID).SetPostID(po.ID).SetTermID(t.ID).
				SetStartsOn(start).SetObtainedBy(appointment.ObtainedByELECTED))
		}
	}
	seat(council, councilTerm, "Council member", 1, 500)
	seat(standing, standingTerm, "Standing member", 1, 45)
	seat(cardio, cardioTerm, "Member", 46, 51)
	seat(onco, oncoTerm, "Member", 52, 54)
	for part := range slices.Chunk(appts, 200) {
		c.Appointment.CreateBulk(part...).ExecX(ctx)
	}
	c.Account.Create().SetName("clerk").SetRole(account.RoleREADER).SaveX(ctx)
	c.Account.Create().SetName("cardio").SetRole(account.RoleBRANCH_SECRETARY).AddScopeIDs(cardio.ID).SaveX(ctx)
	return nil
})

// voting is one test's view of the voting society.
type voting struct {
	t     *testing.T
	ctx   context.Context
	s     *registry.Store
	admin *registry.Viewer
}

func newVoting(t *testing.T, d storetest.Dialect) *voting {
	s := votingSociety.Open(t, d)
	s.Clock = registry.Clock{Now: func() time.Time { return registry.Day(2026, 3, 2).Add(10 * time.Hour) }}
	return &voting{t: t, ctx: context.Background(), s: s, admin: registry.System("test")}
}

func (w *voting) viewer(name string) *registry.Viewer {
	w.t.Helper()
	v, err := w.s.ViewerOf(w.ctx, name)
	if err != nil {
		w.t.Fatal(err)
	}
	return v
}

func (w *voting) org(name string) *ent.Organization {
	return w.s.Client.Organization.Query().Where(organization.Name(name)).OnlyX(w.ctx)
}

func (w *voting) term(org string) *ent.Term {
	return w.s.Client.Term.Query().Where(term.HasOrganizationWith(organization.Name(org))).OnlyX(w.ctx)
}

// meeting convenes a meeting of the organization's term on 2026-03-02.
func (w *voting) meeting(org string) *ent.Meeting {
	w.t.Helper()
	m, err := w.s.CreateMeeting(w.ctx, w.admin, registry.MeetingInput{TermID: w.term(org).ID, Title: org + " meeting", HeldOn: registry.Day(2026, 3, 2)})
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

// participants lists a meeting's participants in person order.
func (w *voting) participants(m *ent.Meeting) []*ent.Participant {
	return w.s.Client.Participant.Query().Where(participant.MeetingID(m.ID)).Order(ent.Asc(participant.FieldPersonID)).AllX(w.ctx)
}

func (w *voting) checkIn(m *ent.Meeting, ps []*ent.Participant) {
	w.t.Helper()
	for _, p := range ps {
		if _, err := w.s.CheckIn(w.ctx, w.admin, registry.AttendInput{MeetingID: m.ID, ParticipantID: p.ID}); err != nil {
			w.t.Fatal(err)
		}
	}
}

// present writes check-ins of many participants at once, for tests
// whose subject is the votes that follow.
func (w *voting) present(m *ent.Meeting, ps []*ent.Participant) {
	rows := make([]*ent.AttendanceCreate, len(ps))
	for i, p := range ps {
		rows[i] = w.s.Client.Attendance.Create().SetMeetingID(m.ID).SetParticipantID(p.ID).SetPresent(true).
			SetCheckedInAt(time.Now()).SetRecordedBy("test")
	}
	w.s.Client.Attendance.CreateBulk(rows...).ExecX(w.ctx)
}

func (w *voting) motion(m *ent.Meeting, kind string, secret bool) *ent.Motion {
	w.t.Helper()
	mo, err := w.s.CreateMotion(w.ctx, w.admin, registry.MotionInput{MeetingID: m.ID, Title: "Motion", Kind: kind, Secret: secret})
	if err != nil {
		w.t.Fatal(err)
	}
	if mo, err = w.s.OpenVote(w.ctx, w.admin, mo.ID); err != nil {
		w.t.Fatal(err)
	}
	return mo
}

func (w *voting) vote(mo *ent.Motion, ps []*ent.Participant, option string) {
	w.t.Helper()
	for _, p := range ps {
		if _, err := w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: p.ID, Option: option}); err != nil {
			w.t.Fatal(err)
		}
	}
}

func (w *voting) close(mo *ent.Motion) *ent.Motion {
	w.t.Helper()
	mo, err := w.s.CloseVote(w.ctx, w.admin, mo.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return mo
}

func wantCode(t *testing.T, err error, code, field, rule string) {
	t.Helper()
	var e *registry.Error
	if !errors.As(err, &e) || e.Kind.Code() != code || e.Field != field || (rule != "" && e.Rule != rule) {
		t.Fatalf("error %v (%#v), want %s on %s rule %q", err, e, code, field, rule)
	}
}

func TestStandingCouncilVotesAtEveryBoundary(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		m := w.meeting("Standing")
		ps := w.participants(m)
		if len(ps) != 45 {
			t.Fatalf("%d participants, want the 45 standing members", len(ps))
		}
		// 29 of 45 present: one short of 2/3.
		w.checkIn(m, ps[:29])
		q, err := w.s.QuorumOf(w.ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.Met || q.Needed != 30 || q.Text != "29 present of 45 entitled; the quorum needs at least 2/3 = 30: no quorum" {
			t.Fatalf("quorum %+v", q)
		}
		short := w.motion(m, "", false)
		w.vote(short, ps[:29], "YES")
		if short = w.close(short); *short.Result != motion.ResultNO_QUORUM ||
			*short.Arithmetic != "29 present of 45 entitled; the quorum needs at least 2/3 = 30: NO_QUORUM" {
			t.Fatalf("one short of the quorum: %s %s", *short.Result, *short.Arithmetic)
		}
		// Exactly 2/3 present; exactly 2/3 of them yes passes, one fewer fails.
		w.checkIn(m, ps[29:30])
		if q, _ = w.s.QuorumOf(w.ctx, m.ID); !q.Met || q.Present != 30 {
			t.Fatalf("exactly 2/3 present: %+v", q)
		}
		for _, tc := range []struct {
			yes    int
			result motion.Result
			text   string
		}{
			{20, motion.ResultPASSED, "20 yes of 30 present; needs at least 2/3 = 20: PASSED"},
			{19, motion.ResultFAILED, "19 yes of 30 present; needs at least 2/3 = 20: FAILED"},
		} {
			mo := w.motion(m, "", false)
			w.vote(mo, ps[:tc.yes], "YES")
			w.vote(mo, ps[tc.yes:25], "NO")
			w.vote(mo, ps[25:26], "RECUSED")
			mo = w.close(mo)
			if *mo.Result != tc.result || *mo.Arithmetic != tc.text {
				t.Fatalf("%d yes: %s %q, want %s %q", tc.yes, *mo.Result, *mo.Arithmetic, tc.result, tc.text)
			}
			got := []int{*mo.Entitled, *mo.Present, *mo.Yes, *mo.No, *mo.Abstain, *mo.Recused, *mo.NotVoting, *mo.Absent}
			if want := []int{45, 30, tc.yes, 25 - tc.yes, 0, 1, 4, 15}; !slices.Equal(got, want) {
				t.Fatalf("counts %v, want %v", got, want)
			}
		}
		checked, bad, err := w.s.VerifyVotes(w.ctx)
		if err != nil || checked != 3 || len(bad) != 0 {
			t.Fatalf("verify: %d checked, %v, %v", checked, bad, err)
		}
	})
}

func TestAVoteIsCastOnceAndOnlyWhileOpen(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		m := w.meeting("Cardiology")
		ps := w.participants(m)
		w.checkIn(m, ps[:2])
		mo, err := w.s.CreateMotion(w.ctx, w.admin, registry.MotionInput{MeetingID: m.ID, Title: "Budget", Kind: "BUDGET"})
		if err != nil {
			t.Fatal(err)
		}
		in := registry.VoteInput{MotionID: mo.ID, ParticipantID: ps[0].ID, Option: "YES"}
		_, err = w.s.CastVote(w.ctx, w.admin, in)
		wantCode(t, err, "VOTE_CLOSED", "motionId", "open")
		if _, err = w.s.OpenVote(w.ctx, w.admin, mo.ID); err != nil {
			t.Fatal(err)
		}
		if _, err = w.s.CastVote(w.ctx, w.admin, in); err != nil {
			t.Fatal(err)
		}
		in.Option = "NO"
		_, err = w.s.CastVote(w.ctx, w.admin, in)
		wantCode(t, err, "ALREADY_VOTED", "participantId", "oneVote")

		// Only those checked in when the vote opened vote.
		_, err = w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: ps[2].ID, Option: "YES"})
		wantCode(t, err, "RULE_VIOLATION", "participantId", "present")

		// Someone of another meeting is not entitled.
		other := w.participants(w.meeting("Oncology"))[0]
		_, err = w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: other.ID, Option: "YES"})
		wantCode(t, err, "RULE_VIOLATION", "participantId", "entitled")

		// A voter's own token votes for that voter only.
		token, err := w.s.IssueVoterToken(w.ctx, w.admin, ps[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		voter, err := registry.NewAuthenticator(w.s, 0).Authenticate(w.ctx, token)
		if err != nil || voter.Participant != ps[1].ID {
			t.Fatalf("voter token: %+v %v", voter, err)
		}
		_, err = w.s.CastVote(w.ctx, voter, registry.VoteInput{MotionID: mo.ID, ParticipantID: ps[2].ID, Option: "YES"})
		wantCode(t, err, "FORBIDDEN", "participantId", "")
		own, err := w.s.CastVote(w.ctx, voter, registry.VoteInput{MotionID: mo.ID, Option: "ABSTAIN"})
		if err != nil || own.EnteredBy != nil {
			t.Fatalf("own vote: %+v %v", own, err)
		}
		if _, err = w.s.OpenVote(w.ctx, voter, mo.ID); err == nil {
			t.Fatal("a voter opened a vote")
		}
		// A voter token learns nothing of another meeting's motion.
		elsewhere := w.meeting("Oncology")
		foreign, err := w.s.CreateMotion(w.ctx, w.admin, registry.MotionInput{MeetingID: elsewhere.ID, Title: "Elsewhere"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.CastVote(w.ctx, voter, registry.VoteInput{MotionID: foreign.ID, Option: "YES"})
		wantCode(t, err, "FORBIDDEN", "motionId", "")

		closed := w.close(mo)
		// Two of six checked in: no quorum of more than 1/2.
		if *closed.Result != motion.ResultNO_QUORUM || *closed.Present != 2 {
			t.Fatalf("closed: %s, %d present", *closed.Result, *closed.Present)
		}
		_, err = w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: ps[3].ID, Option: "YES"})
		wantCode(t, err, "VOTE_CLOSED", "motionId", "open")
		_, err = w.s.CloseVote(w.ctx, w.admin, mo.ID)
		wantCode(t, err, "VOTE_CLOSED", "motionId", "open")
		_, err = w.s.OpenVote(w.ctx, w.admin, mo.ID)
		wantCode(t, err, "VOTE_CLOSED", "motionId", "open")
		if n := w.s.Client.Vote.Query().Where(vote.MotionID(mo.ID)).CountX(w.ctx); n != 2 {
			t.Fatalf("%d votes stored, want 2", n)
		}
	})
}

func TestClerksAndSecretariesKeepOnlyTheirMeetings(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		cardio, clerk := w.viewer("cardio"), w.viewer("clerk")
		// A branch secretary convenes their own branch, not the council.
		m, err := w.s.CreateMeeting(w.ctx, cardio, registry.MeetingInput{TermID: w.term("Cardiology").ID, Title: "Branch", HeldOn: registry.Day(2026, 3, 2)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.CreateMeeting(w.ctx, cardio, registry.MeetingInput{TermID: w.term("Standing").ID, Title: "No", HeldOn: registry.Day(2026, 3, 2)})
		wantCode(t, err, "FORBIDDEN", "termId", "")
		standing := w.meeting("Standing")
		p := w.participants(standing)[0]
		_, err = w.s.CheckIn(w.ctx, clerk, registry.AttendInput{MeetingID: standing.ID, ParticipantID: p.ID})
		wantCode(t, err, "FORBIDDEN", "meetingId", "")
		if _, err := w.s.GrantClerk(w.ctx, w.admin, registry.GrantInput{Account: "clerk", MeetingID: standing.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.CheckIn(w.ctx, clerk, registry.AttendInput{MeetingID: standing.ID, ParticipantID: p.ID}); err != nil {
			t.Fatalf("a clerk of the meeting checks in: %v", err)
		}
		_, err = w.s.CheckIn(w.ctx, clerk, registry.AttendInput{MeetingID: standing.ID, ParticipantID: p.ID})
		wantCode(t, err, "CONFLICT", "participantId", "checkedIn")
		// The grant is for that meeting only.
		_, err = w.s.CheckIn(w.ctx, clerk, registry.AttendInput{MeetingID: m.ID, ParticipantID: w.participants(m)[0].ID})
		wantCode(t, err, "FORBIDDEN", "meetingId", "")
		// A participant of another meeting is refused.
		_, err = w.s.CheckIn(w.ctx, clerk, registry.AttendInput{MeetingID: standing.ID, ParticipantID: w.participants(m)[0].ID})
		wantCode(t, err, "RULE_VIOLATION", "participantId", "participant")
		_, err = w.s.CreateMotion(w.ctx, w.admin, registry.MotionInput{MeetingID: m.ID, Title: "X", Kind: "WHATEVER"})
		wantCode(t, err, "RULE_VIOLATION", "kind", "motionKind")
	})
}

func TestAssemblySeatsAreApportionedFilledAndCheckedIn(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		a, err := w.s.CreateAssembly(w.ctx, w.admin, registry.AssemblyInput{TermID: w.term("Association").ID, Name: "First Assembly", Seats: 10})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.CreateAssembly(w.ctx, w.admin, registry.AssemblyInput{TermID: w.term("Association").ID, Name: "Again", Seats: 10})
		wantCode(t, err, "CONFLICT", "termId", "oneAssemblyPerTerm")
		hospital := w.s.Client.Institution.Query().OnlyX(w.ctx)
		in := registry.ApportionInput{AssemblyID: a.ID, Organizations: []int{w.org("Cardiology").ID, w.org("Oncology").ID}, Institutions: []int{hospital.ID}}
		cs, err := w.s.ApportionSeats(w.ctx, w.admin, in)
		if err != nil {
			t.Fatal(err)
		}
		// By name: Cardiology, City Hospital, Oncology. 10 seats, 1 each
		// first; 7 by 6:2:3 active members: quotas 3 r9, 1 r3, 1 r10 of
		// 11; the two seats left go to Oncology and Cardiology.
		var got [][2]int
		for _, c := range cs {
			got = append(got, [2]int{c.ActiveMembers, c.Seats})
		}
		if want := [][2]int{{6, 5}, {2, 2}, {3, 3}}; !slices.Equal(got, want) {
			t.Fatalf("members and seats %v, want %v", got, want)
		}
		person := func(name string) int {
			return w.s.Client.Person.Query().Where(person.Name(name)).OnlyIDX(w.ctx)
		}
		seat := func(c *ent.Constituency, name string, sub bool) (*ent.Participant, error) {
			return w.s.SeatRepresentative(w.ctx, w.admin, registry.SeatInput{ConstituencyID: c.ID, PersonID: person(name), Substitute: sub})
		}
		_, err = seat(cs[1], "V057", false)
		wantCode(t, err, "RULE_VIOLATION", "personId", "activeMember")
		_, err = seat(cs[1], "V001", false)
		wantCode(t, err, "RULE_VIOLATION", "personId", "unitStaff")
		unit, err := seat(cs[1], "V055", false)
		if err != nil || unit.OnBehalfOfID == nil || *unit.OnBehalfOfID != hospital.ID {
			t.Fatalf("unit representative: %+v %v", unit, err)
		}
		if _, err := seat(cs[1], "V056", false); err != nil {
			t.Fatal(err)
		}
		_, err = seat(cs[2], "V055", false)
		wantCode(t, err, "CONFLICT", "personId", "oncePerAssembly")
		var reps []*ent.Participant
		for i := 46; i <= 50; i++ {
			p, err := seat(cs[0], fmt.Sprintf("V%03d", i), false)
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, p)
		}
		_, err = seat(cs[0], "V051", false)
		wantCode(t, err, "RULE_VIOLATION", "constituencyId", "seats")
		sub, err := seat(cs[0], "V051", true)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.ApportionSeats(w.ctx, w.admin, in)
		wantCode(t, err, "CONFLICT", "assemblyId", "notSeated")
		_, err = w.s.AdjustSeats(w.ctx, w.admin, registry.AdjustInput{ConstituencyID: cs[0].ID, Seats: 4, Reason: "fewer"})
		wantCode(t, err, "RULE_VIOLATION", "seats", "seated")
		if _, err := w.s.AdjustSeats(w.ctx, w.admin, registry.AdjustInput{ConstituencyID: cs[2].ID, Seats: 0, Reason: "declined to send anyone"}); err != nil {
			t.Fatal(err)
		}
		if a = w.s.Client.Assembly.GetX(w.ctx, a.ID); a.Seats != 7 {
			t.Fatalf("assembly seats %d after adjusting, want 7", a.Seats)
		}

		// Session 1: seven representatives entitled; credentials first.
		session, err := w.s.CreateMeeting(w.ctx, w.admin, registry.MeetingInput{AssemblyID: a.ID, Title: "First session", HeldOn: registry.Day(2026, 3, 2)})
		if err != nil || *session.Session != 1 {
			t.Fatalf("session: %+v %v", session, err)
		}
		_, err = w.s.CheckIn(w.ctx, w.admin, registry.AttendInput{MeetingID: session.ID, ParticipantID: reps[0].ID})
		wantCode(t, err, "RULE_VIOLATION", "participantId", "credential")
		for _, p := range append(reps, unit, sub) {
			if _, err := w.s.ConfirmCredential(w.ctx, w.admin, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		_, err = w.s.CheckIn(w.ctx, w.admin, registry.AttendInput{MeetingID: session.ID, ParticipantID: sub.ID})
		wantCode(t, err, "RULE_VIOLATION", "participantId", "seated")
		w.checkIn(session, reps[:4])
		q, _ := w.s.QuorumOf(w.ctx, session.ID)
		if q.Entitled != 7 || q.Present != 4 || q.Met {
			t.Fatalf("4 of 7: %+v", q)
		}
		// The substitute takes a representative's seat and checks in: 5
		// of 7 meets 2/3.
		if _, err := w.s.ReplaceRepresentative(w.ctx, w.admin, registry.ReplaceInput{RepresentativeID: reps[4].ID, SubstituteID: sub.ID}); err != nil {
			t.Fatal(err)
		}
		w.checkIn(session, []*ent.Participant{sub})
		if q, _ = w.s.QuorumOf(w.ctx, session.ID); q.Entitled != 7 || q.Present != 5 || !q.Met {
			t.Fatalf("5 of 7: %+v", q)
		}
		if _, err := w.s.CheckOut(w.ctx, w.admin, registry.AttendInput{MeetingID: session.ID, ParticipantID: reps[0].ID}); err != nil {
			t.Fatal(err)
		}
		if q, _ = w.s.QuorumOf(w.ctx, session.ID); q.Present != 4 || q.Met {
			t.Fatalf("after a check-out: %+v", q)
		}
		// An assembly resolution: more than half of those present.
		w.checkIn(session, reps[:1])
		mo := w.motion(session, "", false)
		w.vote(mo, []*ent.Participant{reps[0], reps[1], reps[2]}, "YES")
		w.vote(mo, []*ent.Participant{reps[3], sub}, "NO")
		if mo = w.close(mo); *mo.Result != motion.ResultPASSED || *mo.Arithmetic != "3 yes of 5 present; needs more than 1/2, so at least 3: PASSED" {
			t.Fatalf("assembly resolution: %s %s", *mo.Result, *mo.Arithmetic)
		}
	})
}

func TestSixHundredVotesFromFiveHundredVoters(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		m := w.meeting("Council")
		ps := w.participants(m)
		if len(ps) != 500 {
			t.Fatalf("%d participants", len(ps))
		}
		w.present(m, ps)
		mo := w.motion(m, "", false)
		attempts := append(slices.Clone(ps), ps[:100]...)
		var mu sync.Mutex
		codes := map[string]int{}
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		for i, p := range attempts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				option := []string{"YES", "NO", "ABSTAIN"}[i%3]
				_, err := w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: p.ID, Option: option})
				code := "OK"
				if err != nil {
					code = registry.KindOf(err).Code()
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if codes["OK"] != 500 || codes["ALREADY_VOTED"] != 100 || len(codes) != 2 {
			t.Fatalf("answers %v, want 500 OK and 100 ALREADY_VOTED", codes)
		}
		if n := w.s.Client.Vote.Query().Where(vote.MotionID(mo.ID)).CountX(w.ctx); n != 500 {
			t.Fatalf("%d votes stored", n)
		}
	})
}

func TestVotesRacingTheCloseAreCountedOrRefused(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		m := w.meeting("Council")
		ps := w.participants(m)[:50]
		w.present(m, ps)
		mo := w.motion(m, "", false)
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted, refused := 0, 0
		for i, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := w.s.CastVote(w.ctx, w.admin, registry.VoteInput{MotionID: mo.ID, ParticipantID: p.ID, Option: "YES"})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					accepted++
				case registry.KindOf(err) == registry.VoteClosed:
					refused++
				default:
					t.Errorf("vote %d: %v", i, err)
				}
			}()
			if i == 25 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := w.s.CloseVote(w.ctx, w.admin, mo.ID); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		closed := w.s.Client.Motion.GetX(w.ctx, mo.ID)
		stored := w.s.Client.Vote.Query().Where(vote.MotionID(mo.ID)).CountX(w.ctx)
		if accepted+refused != 50 || stored != accepted || *closed.Yes != accepted {
			t.Fatalf("%d accepted, %d refused, %d stored, %d counted", accepted, refused, stored, *closed.Yes)
		}
		late := w.s.Client.Vote.Query().Where(vote.MotionID(mo.ID), vote.CastAtGT(*closed.ClosedAt)).CountX(w.ctx)
		if late != 0 {
			t.Fatalf("%d votes stored after the close", late)
		}
		if _, bad, err := w.s.VerifyVotes(w.ctx); err != nil || len(bad) != 0 {
			t.Fatalf("re-count: %v %v", bad, err)
		}
	})
}

func TestVerifyVotesNamesAChangedVote(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		w := newVoting(t, d)
		m := w.meeting("Oncology")
		ps := w.participants(m)
		w.checkIn(m, ps)
		mo := w.motion(m, "", true)
		w.vote(mo, ps, "YES")
		mo = w.close(mo)
		if *mo.Result != motion.ResultPASSED {
			t.Fatalf("result %s", *mo.Result)
		}
		// The audit trail of a secret vote says who voted, never how.
		events := w.s.Client.AuditEvent.Query().Where(auditevent.Action("vote.cast")).AllX(w.ctx)
		if len(events) != len(ps) {
			t.Fatalf("%d vote events", len(events))
		}
		for _, e := range events {
			if a := *e.After; strings.Contains(a, "YES") || strings.Contains(a, "option") {
				t.Fatalf("a secret vote's event tells the option: %s", *e.After)
			}
		}
		first := w.s.Client.Vote.Query().Where(vote.MotionID(mo.ID)).FirstX(w.ctx)
		if _, err := w.s.Client.ExecContext(w.ctx, rebind(w.s, "UPDATE votes SET option = ? WHERE id = ?"), "NO", first.ID); err != nil {
			t.Fatal(err)
		}
		checked, bad, err := w.s.VerifyVotes(w.ctx)
		if err != nil || checked != 1 || len(bad) != 1 || bad[0].MotionID != mo.ID {
			t.Fatalf("verify after a changed vote: %d %+v %v", checked, bad, err)
		}
	})
}
