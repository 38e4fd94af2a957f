package registry_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// electToday is the day the election tests run on: the planned
// council's first day.
var electToday = registry.Day(2026, 11, 23)

// electSociety is a small society electing its third council:
//
//	Association (ASSOCIATION): term "Assembly 2" ACTIVE 2021-06-01–2026-06-01,
//	  with an assembly of 15 representatives P05..P19 and its session 1 on 2026-11-23
//	Council (COUNCIL): "Council 1" ENDED 2016–2021, "Council 2" ACTIVE 2021–2026,
//	  "Council 3" PLANNED 2026-11-23–2031-11-23, with a meeting "Council 3 meeting 1"
//	  of participants P05..P12 on 2026-11-23
//	  posts: President (1, leadership), Vice President (2, leadership), Council member (6)
//	Standing (STANDING_COUNCIL, under the council): "Standing 2" ACTIVE, "Standing 3"
//	  PLANNED from 2026-11-23; post Standing member (2)
//
// People P01..P24, ACTIVE members born 1970-01-01, except: P20 born
// 1955-11-24 (70 on 2026-11-23), P21 born 1955-11-23 (71 that day), P22
// without a birth date, P23 LAPSED, P24 without a membership. P01 was
// president of councils 1 and 2, P02 a council member of council 2.
// Accounts (READER): teller1 (serving: P03), teller2 (P04), chief (P19),
// plain (no grant).
var electSociety = storetest.Prepare("elections", func(ctx context.Context, s *registry.Store) error {
	c := s.Client
	day := registry.Day
	org := func(kind organization.Kind, name string, parent *ent.Organization) *ent.Organization {
		b := c.Organization.Create().SetKind(kind).SetName(name).SetRules(rules.Rules{})
		if parent != nil {
			b.SetParentID(parent.ID)
		}
		return b.SaveX(ctx)
	}
	trm := func(o *ent.Organization, name string, ordinal int, status term.Status, start, end time.Time) *ent.Term {
		b := c.Term.Create().SetOrganizationID(o.ID).SetOrdinal(ordinal).SetStatus(status).SetStartsOn(start).SetEndsOn(end).SetName(name)
		if status == term.StatusENDED {
			b.SetActualEnd(end)
		}
		return b.SaveX(ctx)
	}
	post := func(o *ent.Organization, title string, rank, seats int, lead bool) *ent.Post {
		return c.Post.Create().SetOrganizationID(o.ID).SetTitle(title).SetRank(rank).SetSeats(seats).SetLeadership(lead).SaveX(ctx)
	}
	assoc := org(organization.KindASSOCIATION, "Association", nil)
	council := org(organization.KindCOUNCIL, "Council", assoc)
	standing := org(organization.KindSTANDING_COUNCIL, "Standing", council)
	assembly2 := trm(assoc, "Assembly 2", 2, term.StatusACTIVE, day(2021, 6, 1), day(2026, 6, 1))
	council1 := trm(council, "Council 1", 1, term.StatusENDED, day(2016, 6, 1), day(2021, 6, 1))
	council2 := trm(council, "Council 2", 2, term.StatusACTIVE, day(2021, 6, 1), day(2026, 6, 1))
	council3 := trm(council, "Council 3", 3, term.StatusPLANNED, electToday, day(2031, 11, 23))
	trm(standing, "Standing 2", 2, term.StatusACTIVE, day(2021, 6, 1), day(2026, 6, 1))
	trm(standing, "Standing 3", 3, term.StatusPLANNED, electToday, day(2031, 11, 23))
	president := post(council, "President", 1, 1, true)
	post(council, "Vice President", 2, 2, true)
	member := post(council, "Council member", 9, 6, false)
	post(standing, "Standing member", 9, 2, false)

	var people []*ent.Person
	for i := 1; i <= 24; i++ {
		b := c.Person.Create().SetName(fmt.Sprintf("P%02d", i))
		switch i {
		case 20:
			b.SetBirthDate(day(1955, 11, 24))
		case 21:
			b.SetBirthDate(day(1955, 11, 23))
		case 22:
		default:
			b.SetBirthDate(day(1970, 1, 1))
		}
		p := b.SaveX(ctx)
		people = append(people, p)
		status := membership.StatusACTIVE
		if i == 23 {
			status = membership.StatusLAPSED
		}
		if i != 24 {
			c.Membership.Create().SetMemberNumber(fmt.Sprintf("M%06d", i)).SetKind(membership.KindINDIVIDUAL).
				SetStatus(status).SetJoinedOn(day(2010, 1, 1)).SetPersonID(p.ID).SaveX(ctx)
		}
	}
	appt := func(p *ent.Person, po *ent.Post, t *ent.Term) {
		b := c.Appointment.Create().SetPersonID(p.ID).SetPostID(po.ID).SetTermID(t.ID).SetStartsOn(t.StartsOn).
			SetObtainedBy(appointment.ObtainedByELECTED)
		if t.ActualEnd != nil {
			b.SetEndsOn(*t.ActualEnd).SetEndReason(appointment.EndReasonTERM_ENDED)
		}
		b.SaveX(ctx)
	}
	appt(people[0], president, council1)
	appt(people[0], president, council2)
	appt(people[1], member, council2)

	asm := c.Assembly.Create().SetTermID(assembly2.ID).SetName("Assembly 2").SetSeats(15).SaveX(ctx)
	session := c.Meeting.Create().SetTermID(assembly2.ID).SetAssemblyID(asm.ID).SetSession(1).SetKind(meeting.KindORDINARY).
		SetTitle("Assembly 2, session 1").SetHeldOn(electToday).SaveX(ctx)
	_ = session
	for i := 5; i <= 19; i++ {
		c.Participant.Create().SetPersonID(people[i-1].ID).SetAssemblyID(asm.ID).SetRole(participant.RoleREPRESENTATIVE).SaveX(ctx)
	}
	cm := c.Meeting.Create().SetTermID(council3.ID).SetKind(meeting.KindORDINARY).SetTitle("Council 3 meeting 1").
		SetHeldOn(electToday).SaveX(ctx)
	for i := 5; i <= 12; i++ {
		c.Participant.Create().SetPersonID(people[i-1].ID).SetMeetingID(cm.ID).SetRole(participant.RoleMEMBER).SaveX(ctx)
	}
	for _, name := range []string{"teller1", "teller2", "chief", "plain"} {
		c.Account.Create().SetName(name).SetRole(account.RoleREADER).SaveX(ctx)
	}
	return nil
})

// electFixture is an open copy of electSociety with its rows by name.
type electFixture struct {
	s      *registry.Store
	ctx    context.Context
	term   map[string]int
	post   map[string]int
	person map[string]int // "P01" → id
	name   map[int]string // person id → "P01"
	meet   map[string]int
	views  map[string]*registry.Viewer
}

func electOpen(t testing.TB, d storetest.Dialect, opts ...storetest.Option) *electFixture {
	t.Helper()
	ctx := context.Background()
	s := electSociety.Open(t, append([]storetest.Option{d}, opts...)...)
	s.Clock = registry.FixedClock(electToday)
	x := &electFixture{s: s, ctx: ctx, term: map[string]int{}, post: map[string]int{}, person: map[string]int{},
		name: map[int]string{}, meet: map[string]int{}, views: map[string]*registry.Viewer{}}
	for _, tm := range s.Client.Term.Query().AllX(ctx) {
		x.term[tm.Name] = tm.ID
	}
	for _, p := range s.Client.Post.Query().AllX(ctx) {
		x.post[p.Title] = p.ID
	}
	for _, p := range s.Client.Person.Query().AllX(ctx) {
		x.person[p.Name], x.name[p.ID] = p.ID, p.Name
	}
	for _, m := range s.Client.Meeting.Query().AllX(ctx) {
		x.meet[m.Title] = m.ID
	}
	for _, name := range []string{"teller1", "teller2", "chief", "plain"} {
		v, err := s.ViewerOf(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		x.views[name] = v
	}
	x.views["admin"] = registry.System("test")
	x.views["office"] = registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil)
	x.views["reader"] = registry.NewViewer(0, "reader", registry.RoleReader, nil, nil)
	return x
}

// councilElection creates the assembly's election of 3 council members
// (contested unless told otherwise), nominates the named people and
// grants the three tellers. It returns the election and the candidates'
// ids by name.
func (x *electFixture) councilElection(t testing.TB, edit func(*registry.ElectionInput), nominees ...string) (*ent.Election, map[string]int) {
	t.Helper()
	in := registry.ElectionInput{TermID: x.term["Council 3"], MeetingID: x.meet["Assembly 2, session 1"], Title: "Council 3 members",
		Posts: []registry.ElectionPostInput{{PostID: x.post["Council member"], Seats: 3}}, Contested: true}
	if edit != nil {
		edit(&in)
	}
	e, err := x.s.CreateElection(x.ctx, x.views["office"], in)
	if err != nil {
		t.Fatalf("create election: %v", err)
	}
	x.grantTellers(t, e.ID)
	return e, x.nominate(t, e.ID, in.Posts[0].PostID, nominees...)
}

func (x *electFixture) grantTellers(t testing.TB, electionID int) {
	t.Helper()
	for _, g := range []struct {
		account, person string
		chief           bool
	}{{"teller1", "P03", false}, {"teller2", "P04", false}, {"chief", "P19", true}} {
		if _, err := x.s.GrantTeller(x.ctx, x.views["office"], registry.TellerInput{ElectionID: electionID, Account: g.account,
			PersonID: x.person[g.person], Chief: g.chief}); err != nil {
			t.Fatalf("grant %s: %v", g.account, err)
		}
	}
}

func (x *electFixture) nominate(t testing.TB, electionID, postID int, nominees ...string) map[string]int {
	t.Helper()
	cands := map[string]int{}
	for _, n := range nominees {
		c, err := x.s.NominateCandidate(x.ctx, x.views["office"], registry.NominateInput{ElectionID: electionID, PostID: postID,
			PersonID: x.person[n], NominatedBy: "the presidium", NominatedOn: electToday})
		if err != nil {
			t.Fatalf("nominate %s: %v", n, err)
		}
		cands[n] = c.ID
	}
	return cands
}

func (x *electFixture) open(t testing.TB, electionID, postID int) *ent.Round {
	t.Helper()
	r, err := x.s.OpenRound(x.ctx, x.views["chief"], registry.RoundInput{ElectionID: electionID, PostID: postID})
	if err != nil {
		t.Fatalf("open round: %v", err)
	}
	return r
}

// paper is a ballot as tellers read it: "+P05 +P06 -P07" marks P05 and
// P06 for and P07 against; "write-in:Name" writes a name in.
type paper struct {
	serial string
	marks  []string
}

func (x *electFixture) ballot(cands map[string]int, p paper) registry.BallotInput {
	b := registry.BallotInput{Serial: p.serial}
	for _, m := range p.marks {
		switch {
		case len(m) > 9 && m[:9] == "write-in:":
			b.WriteIns = append(b.WriteIns, m[9:])
		case m[0] == '+':
			b.For = append(b.For, candID(cands, m[1:]))
		case m[0] == '-':
			b.Against = append(b.Against, candID(cands, m[1:]))
		}
	}
	return b
}

func candID(cands map[string]int, name string) int {
	if id, ok := cands[name]; ok {
		return id
	}
	n, _ := strconv.Atoi(name) // an id on no ballot
	return n
}

// enter enters papers as teller v, which must succeed.
func (x *electFixture) enter(t testing.TB, v string, roundID int, cands map[string]int, papers ...paper) []*ent.Ballot {
	t.Helper()
	in := registry.EntryInput{RoundID: roundID}
	for _, p := range papers {
		in.Ballots = append(in.Ballots, x.ballot(cands, p))
	}
	bs, err := x.s.EnterBallots(x.ctx, x.views[v], in)
	if err != nil {
		t.Fatalf("enter as %s: %v", v, err)
	}
	return bs
}

// papers makes n ballot papers with serials from first, each with the
// given marks.
func papers(first, n int, marks ...string) []paper {
	out := make([]paper, n)
	for i := range out {
		out[i] = paper{serial: fmt.Sprintf("A%04d", first+i), marks: marks}
	}
	return out
}

// wantErr checks err's kind, field and rule.
func wantErr(t testing.TB, err error, kind registry.Kind, field, rule string) {
	t.Helper()
	var e *registry.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want %s on %s (%s)", err, kind.Code(), field, rule)
	}
	if e.Kind != kind || e.Field != field || (rule != "" && e.Rule != rule) {
		t.Fatalf("error %s on %q (%s): %s; want %s on %q (%s)", e.Kind.Code(), e.Field, e.Rule, e.Message, kind.Code(), field, rule)
	}
}
