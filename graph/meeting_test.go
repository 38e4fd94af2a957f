package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// The documents of the README's walk-through of an assembly session and
// a council meeting; the test below runs them on the demo society.
const (
	createAssemblyDoc = `mutation($term: ID!) {
  createAssembly(input: {termId: $term, name: "The Second Member Representative Assembly", seats: 60}) { assembly { id seats } }
}`
	apportionDoc = `mutation($assembly: ID!, $branches: [ID!], $units: [ID!]) {
  apportionSeats(input: {assemblyId: $assembly, organizationIds: $branches, institutionIds: $units}) {
    assembly { seats apportionedOn constituencies { id name activeMembers seats arithmetic organization { id } institution { id } } }
  }
}`
	seatDoc = `mutation($c: ID!, $p: ID!) {
  seatRepresentative(input: {constituencyId: $c, personId: $p}) { participant { id role onBehalfOf { name } } }
}`
	confirmDoc  = `mutation($p: ID!) { confirmCredential(input: {participantId: $p}) { participant { credentialConfirmedAt } } }`
	sessionDoc  = `mutation($assembly: ID!) { createMeeting(input: {assemblyId: $assembly, title: "First session", heldOn: "2026-11-23"}) { meeting { id session } } }`
	meetingDoc  = `mutation($term: ID!) { createMeeting(input: {termId: $term, title: "Council meeting", heldOn: "2026-11-23"}) { meeting { id participants(first: 1) { totalCount } } } }`
	checkInDoc  = `mutation($m: ID!, $p: ID!) { checkIn(input: {meetingId: $m, participantId: $p}) { attendance { present } } }`
	quorumDoc   = `query($m: ID!) { node(id: $m) { ... on Meeting { quorum { entitled present needed met text } } } }`
	motionDoc   = `mutation($m: ID!, $kind: String) { createMotion(input: {meetingId: $m, title: "Amend article 12", kind: $kind}) { motion { id threshold { text } } } }`
	openDoc     = `mutation($mo: ID!) { openVote(input: {motionId: $mo}) { motion { status counts { yes } } } }`
	voteDoc     = `mutation($mo: ID!, $p: ID, $o: VoteOption!) { castVote(input: {motionId: $mo, participantId: $p, option: $o}) { vote { option enteredBy } } }`
	tokenDoc    = `mutation($p: ID!) { issueVoterToken(input: {participantId: $p}) { token } }`
	closeDoc    = `mutation($mo: ID!) { closeVote(input: {motionId: $mo}) { motion { status result arithmetic counts { entitled present yes no abstain recused notVoting absent } } } }`
	rollCallDoc = `query($mo: ID!) { node(id: $mo) { ... on Motion { rollCall(first: 3) { totalCount nodes { option enteredBy participant { person { name } } } } } } }`
	recordDoc   = `query($p: ID!, $t: ID!) { node(id: $p) { ... on Person { votingRecord(termId: $t) { motionsEntitled motionsPresent meetingsEntitled meetingsAttended motions { option present } } } } }`
)

// meetingRun runs documents as the admin and fails on any error.
type meetingRun struct {
	t   *testing.T
	svc *graph.Service
	s   *registry.Store
}

func (r meetingRun) ok(doc string, vars map[string]any) map[string]any {
	r.t.Helper()
	res := do(r.t, r.svc, doc, vars)
	if len(res.Errors) > 0 {
		r.t.Fatalf("%s: %v", doc, res.Errors)
	}
	return res.Data
}

func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func TestDemoAssemblySessionAndCouncilMeetingThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		ctx := context.Background()
		r := meetingRun{t: t, svc: newService(t, s), s: s}
		active := func(kind organization.Kind) *ent.Term {
			return s.Client.Term.Query().Where(term.StatusEQ(term.StatusACTIVE), term.HasOrganizationWith(organization.KindEQ(kind))).OnlyX(ctx)
		}

		a, reps := r.seatDemoAssembly()
		session := dig(r.ok(sessionDoc, map[string]any{"assembly": a}), "createMeeting", "meeting", "id").(string)
		// Two thirds of the representatives check in: the quorum exactly.
		need := (2*len(reps) + 2) / 3
		for _, p := range reps[:need-1] {
			r.ok(checkInDoc, map[string]any{"m": session, "p": p})
		}
		q := dig(r.ok(quorumDoc, map[string]any{"m": session}), "node", "quorum").(map[string]any)
		if q["met"] != false || int(q["needed"].(float64)) != need {
			t.Fatalf("one short: %v", q)
		}
		r.ok(checkInDoc, map[string]any{"m": session, "p": reps[need-1]})
		if q = dig(r.ok(quorumDoc, map[string]any{"m": session}), "node", "quorum").(map[string]any); q["met"] != true {
			t.Fatalf("exactly 2/3: %v", q)
		}

		// Amending the articles needs two thirds of those present; one
		// representative votes with their own token.
		mo := dig(r.ok(motionDoc, map[string]any{"m": session, "kind": "ARTICLES_AMENDMENT"}), "createMotion", "motion", "id").(string)
		r.ok(openDoc, map[string]any{"mo": mo})
		yes := (2*need + 2) / 3
		token := dig(r.ok(tokenDoc, map[string]any{"p": reps[0]}), "issueVoterToken", "token").(string)
		voter, err := registry.NewAuthenticator(s, 0).Authenticate(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		res := doAs(t, r.svc, voter, voteDoc, map[string]any{"mo": mo, "o": "YES"})
		if len(res.Errors) > 0 || dig(res.Data, "castVote", "vote", "enteredBy") != nil {
			t.Fatalf("the voter's own vote: %v %v", res.Data, res.Errors)
		}
		res = doAs(t, r.svc, voter, voteDoc, map[string]any{"mo": mo, "o": "NO"})
		if len(res.Errors) != 1 || res.Errors[0]["extensions"].(map[string]any)["code"] != "ALREADY_VOTED" {
			t.Fatalf("a second vote: %v", res.Errors)
		}
		for i, p := range reps[1:need] {
			o := "YES"
			if i+1 >= yes {
				o = "NO"
			}
			r.ok(voteDoc, map[string]any{"mo": mo, "p": p, "o": o})
		}
		closed := dig(r.ok(closeDoc, map[string]any{"mo": mo}), "closeVote", "motion").(map[string]any)
		want := fmt.Sprintf("%d yes of %d present; needs at least 2/3 = %d: PASSED", yes, need, yes)
		if closed["result"] != "PASSED" || closed["arithmetic"] != want {
			t.Fatalf("closed: %v, want %q", closed, want)
		}
		rc := dig(r.ok(rollCallDoc, map[string]any{"mo": mo}), "node", "rollCall").(map[string]any)
		if int(rc["totalCount"].(float64)) != len(reps) || dig(rc, "nodes", 0, "option") != "YES" || dig(rc, "nodes", 0, "enteredBy") != nil ||
			dig(rc, "nodes", 1, "enteredBy") != "cli:test" {
			t.Fatalf("roll call: %v", rc)
		}

		// A council meeting: everyone on the council's roster today; two
		// thirds of those present pass an ordinary council resolution, one
		// fewer does not.
		council := active(organization.KindCOUNCIL)
		m := dig(r.ok(meetingDoc, map[string]any{"term": gid("Term", council.ID)}), "createMeeting", "meeting").(map[string]any)
		members := s.Client.Participant.Query().AllX(ctx)
		var ps []string
		for _, p := range members {
			if p.MeetingID != nil && gid("Meeting", *p.MeetingID) == m["id"] {
				ps = append(ps, gid("Participant", p.ID))
			}
		}
		if n := int(dig(m, "participants", "totalCount").(float64)); n != len(ps) || n < 100 {
			t.Fatalf("council meeting has %d participants (%d)", n, len(ps))
		}
		present := (2*len(ps) + 2) / 3
		for _, p := range ps[:present] {
			r.ok(checkInDoc, map[string]any{"m": m["id"], "p": p})
		}
		needed := (2*present + 2) / 3
		for _, tc := range []struct {
			yes    int
			result string
		}{{needed, "PASSED"}, {needed - 1, "FAILED"}} {
			mo := dig(r.ok(motionDoc, map[string]any{"m": m["id"]}), "createMotion", "motion", "id").(string)
			r.ok(openDoc, map[string]any{"mo": mo})
			for i, p := range ps[:present] {
				o := "YES"
				if i >= tc.yes {
					o = "NO"
				}
				r.ok(voteDoc, map[string]any{"mo": mo, "p": p, "o": o})
			}
			closed := dig(r.ok(closeDoc, map[string]any{"mo": mo}), "closeVote", "motion").(map[string]any)
			want := fmt.Sprintf("%d yes of %d present; needs at least 2/3 = %d: %s", tc.yes, present, needed, tc.result)
			if closed["result"] != tc.result || closed["arithmetic"] != want {
				t.Fatalf("%d yes: %v, want %q", tc.yes, closed, want)
			}
		}
		// The voting record of a council member who attended.
		first, _ := s.Client.Participant.Get(ctx, mustID(t, ps[0]))
		rec := dig(r.ok(recordDoc, map[string]any{"p": gid("Person", first.PersonID), "t": gid("Term", council.ID)}), "node", "votingRecord").(map[string]any)
		if rec["motionsEntitled"] != 2.0 || rec["motionsPresent"] != 2.0 || rec["meetingsEntitled"] != 1.0 || rec["meetingsAttended"] != 1.0 ||
			dig(rec, "motions", 0, "option") != "YES" {
			t.Fatalf("voting record: %v", rec)
		}
		if _, bad, err := s.VerifyVotes(ctx); err != nil || len(bad) != 0 {
			t.Fatalf("re-count: %v %v", bad, err)
		}
	})
}

// seatDemoAssembly makes, through the API, the assembly of the demo
// association's current term, apportioned to every academic branch and
// three unit members, with each constituency's representatives seated
// and their credentials confirmed. It returns the assembly's and the
// representatives' global IDs.
func (r meetingRun) seatDemoAssembly() (string, []string) {
	t, s, ctx := r.t, r.s, context.Background()
	t.Helper()
	active := func(kind organization.Kind) *ent.Term {
		return s.Client.Term.Query().Where(term.StatusEQ(term.StatusACTIVE), term.HasOrganizationWith(organization.KindEQ(kind))).OnlyX(ctx)
	}
	// The assembly of the association's current term, apportioned to
	// every academic branch and three unit members.
	a := dig(r.ok(createAssemblyDoc, map[string]any{"term": gid("Term", active(organization.KindASSOCIATION).ID)}), "createAssembly", "assembly", "id").(string)
	var branches, units []any
	for _, id := range s.Client.Organization.Query().Where(organization.KindEQ(organization.KindACADEMIC_BRANCH)).Order(ent.Asc(organization.FieldName)).IDsX(ctx) {
		branches = append(branches, gid("Organization", id))
	}
	hospitals := s.Client.Institution.Query().Where(institution.KindEQ(institution.KindHOSPITAL),
		institution.HasMembershipWith(membership.StatusEQ(membership.StatusACTIVE))).Order(ent.Asc(institution.FieldID)).Limit(3).AllX(ctx)
	for _, h := range hospitals {
		units = append(units, gid("Institution", h.ID))
	}
	got := r.ok(apportionDoc, map[string]any{"assembly": a, "branches": branches, "units": units})
	cs := dig(got, "apportionSeats", "assembly", "constituencies").([]any)
	if len(cs) != len(branches)+len(units) {
		t.Fatalf("%d constituencies", len(cs))
	}
	total := 0
	for _, c := range cs {
		seats := int(c.(map[string]any)["seats"].(float64))
		if seats < 1 || c.(map[string]any)["arithmetic"] == "" {
			t.Fatalf("constituency %v", c)
		}
		total += seats
	}
	if total != 60 {
		t.Fatalf("%d seats apportioned, want 60", total)
	}

	// Seat each constituency's representatives: active members sitting
	// in the branch, or on the unit's staff.
	var reps []string
	for _, c := range cs {
		cm := c.(map[string]any)
		seats := int(cm["seats"].(float64))
		q := s.Client.Person.Query().Where(person.HasMembershipWith(membership.StatusEQ(membership.StatusACTIVE)))
		if org, ok := cm["organization"].(map[string]any); ok {
			q.Where(person.HasAppointmentsWith(appointment.HasPostWith(post.OrganizationID(mustID(t, org["id"].(string)))),
				appointment.EndsOnIsNil(), appointment.HasTermWith(term.StatusEQ(term.StatusACTIVE))))
		} else {
			q.Where(person.InstitutionID(mustID(t, dig(cm, "institution", "id").(string))))
		}
		people := q.Order(ent.Asc(person.FieldID)).AllX(ctx)
		n := 0
		for _, p := range people {
			if n == seats {
				break
			}
			res := do(t, r.svc, seatDoc, map[string]any{"c": cm["id"], "p": gid("Person", p.ID)})
			if len(res.Errors) > 0 {
				// Someone already seated for another constituency.
				if res.Errors[0]["extensions"].(map[string]any)["rule"] == "oncePerAssembly" {
					continue
				}
				t.Fatalf("seat: %v", res.Errors)
			}
			reps = append(reps, dig(res.Data, "seatRepresentative", "participant", "id").(string))
			n++
		}
	}
	if len(reps) < 45 {
		t.Fatalf("only %d representatives seated", len(reps))
	}
	for _, p := range reps {
		r.ok(confirmDoc, map[string]any{"p": p})
	}
	return a, reps
}

func mustID(t *testing.T, gid string) int {
	t.Helper()
	_, id, err := graph.ParseGlobalID(gid)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSecretVotesShowNoRollCallAndReadersCannotClerk(t *testing.T) {
	s := demo.Open(t, storetest.SQLite)
	ctx := context.Background()
	r := meetingRun{t: t, svc: newService(t, s), s: s}
	council := s.Client.Term.Query().Where(term.StatusEQ(term.StatusACTIVE), term.HasOrganizationWith(organization.KindEQ(organization.KindCOUNCIL))).OnlyX(ctx)
	m := dig(r.ok(meetingDoc, map[string]any{"term": gid("Term", council.ID)}), "createMeeting", "meeting", "id").(string)
	mo := dig(r.ok(`mutation($m: ID!) { createMotion(input: {meetingId: $m, title: "Dismiss", kind: "DISMISSAL", secret: true}) { motion { id } } }`,
		map[string]any{"m": m}), "createMotion", "motion", "id").(string)
	p := s.Client.Participant.Query().Where(participant.MeetingID(mustID(t, m))).FirstX(ctx)
	r.ok(checkInDoc, map[string]any{"m": m, "p": gid("Participant", p.ID)})
	r.ok(openDoc, map[string]any{"mo": mo})
	// A voter reads nothing of the organization, yet the payload of their
	// vote stands (the motion is null, with FORBIDDEN).
	token := dig(r.ok(tokenDoc, map[string]any{"p": gid("Participant", p.ID)}), "issueVoterToken", "token").(string)
	voter, err := registry.NewAuthenticator(s, 0).Authenticate(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	res := doAs(t, r.svc, voter, `mutation($mo: ID!) { castVote(input: {motionId: $mo, option: NO}) { vote { option motion { title } } } }`, map[string]any{"mo": mo})
	if dig(res.Data, "castVote", "vote", "option") != "NO" || len(res.Errors) != 1 || res.Errors[0]["extensions"].(map[string]any)["code"] != "FORBIDDEN" {
		t.Fatalf("a voter's payload: %v %v", res.Data, res.Errors)
	}
	res = do(t, r.svc, rollCallDoc, map[string]any{"mo": mo})
	if len(res.Errors) != 1 || res.Errors[0]["extensions"].(map[string]any)["rule"] != "secretBallot" {
		t.Fatalf("roll call of a secret vote: %v %v", res.Data, res.Errors)
	}
	reader := registry.NewViewer(0, "reader", registry.RoleReader, nil, nil)
	res = doAs(t, r.svc, reader, checkInDoc, map[string]any{"m": m, "p": gid("Participant", p.ID)})
	if len(res.Errors) != 1 || res.Errors[0]["extensions"].(map[string]any)["code"] != "FORBIDDEN" ||
		res.Errors[0]["extensions"].(map[string]any)["field"] != "input.meetingId" {
		t.Fatalf("a reader checking in: %v", res.Errors)
	}
	res = do(t, r.svc, motionDoc, map[string]any{"m": m, "kind": "NO_SUCH_KIND"})
	if len(res.Errors) != 1 || res.Errors[0]["extensions"].(map[string]any)["field"] != "input.kind" ||
		res.Errors[0]["extensions"].(map[string]any)["rule"] != "motionKind" {
		t.Fatalf("an unknown motion kind: %v", res.Errors)
	}
}
