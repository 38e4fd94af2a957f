package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// The documents of the README's walk-through of an election; the test
// below runs them on the demo society.
const (
	createElectionDoc = `mutation($term: ID!, $meeting: ID!, $title: String!, $posts: [ElectionPostInput!]!, $contested: Boolean) {
  createElection(input: {termId: $term, meetingId: $meeting, title: $title, posts: $posts, contested: $contested}) {
    election { id status method threshold { text } contested contestMargin { text } maxRounds }
  }
}`
	grantTellerDoc = `mutation($e: ID!, $account: String!, $person: ID!, $chief: Boolean) {
  grantTeller(input: {electionId: $e, account: $account, personId: $person, chief: $chief}) { election { tellers { account role } } }
}`
	nominateDoc = `mutation($e: ID!, $post: ID!, $person: ID!) {
  nominateCandidate(input: {electionId: $e, postId: $post, personId: $person, nominatedBy: "the presidium", nominatedOn: "2026-11-23"}) {
    candidate { id name status eligibility }
  }
}`
	openRoundDoc = `mutation($e: ID!, $post: ID!) {
  openRound(input: {electionId: $e, postId: $post}) { round { id number seats entitled candidates { id } } }
}`
	issuedDoc = `mutation($r: ID!, $n: Int!) { recordBallotsIssued(input: {roundId: $r, issued: $n}) { round { issued } } }`
	enterDoc  = `mutation($r: ID!, $ballots: [BallotInput!]!) {
  enterBallots(input: {roundId: $r, ballots: $ballots}) { round { entries chainHead } }
}`
	codesDoc = `mutation($r: ID!, $ps: [ID!]) { issueBallotCodes(input: {roundId: $r, participantIds: $ps}) { codes round { codesIssued } } }`
	// castWithCodeDoc is sent with Authorization: Bearer bal_<code>.
	castWithCodeDoc = `mutation($for: [ID!]) { castBallot(input: {for: $for}) { serial receipt } }`
	ballotsDoc      = `{ ballots { round post number seats writeIns candidates { id name } } }`
	requestCodeDoc  = `mutation($r: ID!) { requestBallotCode(input: {roundId: $r}) { code } }`
	closeRoundDoc   = `mutation($r: ID!) {
  closeRound(input: {roundId: $r}) {
    round { status chainHead report result { returned valid void vacant nextSeats nextReason counts { name for outcome } } }
  }
}`
	certifyDoc = `mutation($e: ID!) { certifyElection(input: {electionId: $e}) { election { status certifiedBy } } }`
	recountDoc = `query($e: ID!) { node(id: $e) { ... on Election { status recount { entries chainHead reproduced problems } } } }`
	receiptDoc = `query($receipt: String!) { ballotReceipt(receipt: $receipt) { serial electronic enteredBy counted valid for { name } } }`
)

// electionRun drives an election through the API on the demo society.
type electionRun struct {
	meetingRun
	ctx   context.Context
	views map[string]*registry.Viewer
}

// as runs a document as the named viewer and fails on any error.
func (r electionRun) as(who, doc string, vars map[string]any) map[string]any {
	r.t.Helper()
	res := doAs(r.t, r.svc, r.views[who], doc, vars)
	if len(res.Errors) > 0 {
		r.t.Fatalf("as %s: %s: %v", who, doc, res.Errors)
	}
	return res.Data
}

// refused runs a document that must fail with code on field, rule.
func (r electionRun) refused(who, doc string, vars map[string]any, code, field, rule string) {
	r.t.Helper()
	res := doAs(r.t, r.svc, r.views[who], doc, vars)
	if len(res.Errors) == 0 {
		r.t.Fatalf("as %s: %s succeeded, want %s", who, doc, code)
	}
	ext, _ := res.Errors[0]["extensions"].(map[string]any)
	if f, _ := ext["field"].(string); ext["code"] != code || f != field || (rule != "" && ext["rule"] != rule) {
		r.t.Fatalf("as %s: %v, want %s on %s (%s)", who, res.Errors[0], code, field, rule)
	}
}

// readsOnlyItsBallot checks that the "code" and "voter" viewers read the
// ballot of round, open with the candidates given, through ballots, and
// not the round itself; other viewers have no ballots.
func (r electionRun) readsOnlyItsBallot(round string, candidates []any) {
	r.t.Helper()
	var want []any
	for _, c := range candidates {
		want = append(want, c.(map[string]any)["id"])
	}
	for _, who := range []string{"code", "voter"} {
		papers := r.as(who, ballotsDoc, nil)["ballots"].([]any)
		if len(papers) != 1 || dig(papers[0], "round") != round || dig(papers[0], "number") != 2.0 {
			r.t.Fatalf("as %s: ballots %v, want round 2's", who, papers)
		}
		var got []any
		for _, c := range dig(papers[0], "candidates").([]any) {
			got = append(got, dig(c, "id"))
		}
		if !slices.Equal(want, got) {
			r.t.Errorf("as %s: the ballot's names %v, want %v", who, got, want)
		}
		res := doAs(r.t, r.svc, r.views[who], `query($r: ID!) { node(id: $r) { ... on Round { number } } }`, map[string]any{"r": round})
		if dig(res.Data, "node") != nil {
			r.t.Errorf("as %s: reads the round itself: %v", who, res.Data)
		}
	}
	if papers := r.as("admin", ballotsDoc, nil)["ballots"].([]any); len(papers) != 0 {
		r.t.Errorf("an administrator has ballots to cast: %v", papers)
	}
}

// tellers makes three accounts with no role of their own but READER, to
// serve as the election's tellers and chief teller.
func (r electionRun) tellers() {
	r.t.Helper()
	for _, name := range []string{"teller1", "teller2", "chief"} {
		if _, err := r.s.CreateToken(r.ctx, admin, registry.TokenRequest{Account: name, Role: registry.RoleReader}); err != nil {
			r.t.Fatal(err)
		}
		v, err := r.s.ViewerOf(r.ctx, name)
		if err != nil {
			r.t.Fatal(err)
		}
		r.views[name] = v
	}
}

// grant makes the three tellers the election's, serving as the people
// given.
func (r electionRun) grant(election string, people [3]int) {
	r.t.Helper()
	for i, name := range []string{"teller1", "teller2", "chief"} {
		r.as("office", grantTellerDoc, map[string]any{"e": election, "account": name, "person": gid("Person", people[i]), "chief": name == "chief"})
	}
}

// ballot is a BallotInput of the API.
func ballot(serial string, forIDs ...string) map[string]any {
	return map[string]any{"serial": serial, "for": forIDs}
}

// enter enters ballots in batches of 50, alternating the tellers.
func (r electionRun) enter(round string, ballots []map[string]any) {
	r.t.Helper()
	for i := 0; i < len(ballots); i += 50 {
		who := []string{"teller1", "teller2"}[i/50%2]
		r.as(who, enterDoc, map[string]any{"r": round, "ballots": ballots[i:min(i+50, len(ballots))]})
	}
}

// activeMembers returns the ids of n people with an ACTIVE membership
// and a birth date that makes them 70 or younger on the demo's today,
// by id, leaving out those in skip.
func activeMembers(t *testing.T, s *registry.Store, n int, skip map[int]bool) []int {
	t.Helper()
	people := s.Client.Person.Query().Where(person.HasMembershipWith(membership.StatusEQ(membership.StatusACTIVE)),
		person.BirthDateGT(registry.Day(1956, 11, 24))).Order(ent.Asc(person.FieldID)).IDsX(context.Background())
	var out []int
	for _, id := range people {
		if !skip[id] && len(out) < n {
			out = append(out, id)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d active members to take", len(out))
	}
	return out
}

func TestDemoCouncilElectedThroughTheAPI(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		s := demo.Open(t, d)
		ctx := context.Background()
		r := electionRun{meetingRun: meetingRun{t: t, svc: newService(t, s), s: s}, ctx: ctx, views: map[string]*registry.Viewer{
			"admin": admin, "office": registry.NewViewer(0, "office", registry.RoleSecretariat, nil, nil),
		}}
		r.tellers()
		postOf := func(org *ent.Organization, title string) string {
			return gid("Post", s.Client.Post.Query().Where(post.OrganizationID(org.ID), post.Title(title)).OnlyIDX(ctx))
		}
		council := demoOrg(t, s, "Council of the Lakeside High-Tech Zone Medical Association")
		standingOrg := demoOrg(t, s, "Standing Council of the Lakeside High-Tech Zone Medical Association")

		// The assembly's first session elects the third council.
		a, reps := r.seatDemoAssembly()
		session := dig(r.ok(sessionDoc, map[string]any{"assembly": a}), "createMeeting", "meeting", "id").(string)
		third := dig(r.as("office", prepareMutation, map[string]any{"in": map[string]any{
			"organizationId": gid("Organization", council.ID), "startsOn": "2026-11-23", "name": "The Third Council"}}),
			"prepareSuccession", "term", "id").(string)
		member := postOf(council, "Council Member")
		e := dig(r.as("office", createElectionDoc, map[string]any{"term": third, "meeting": session, "title": "The Third Council",
			"posts": []any{map[string]any{"postId": member, "seats": 111}}, "contested": true}), "createElection", "election").(map[string]any)
		if e["status"] != "NOMINATING" || dig(e, "threshold", "text") != "more than 1/2 of RETURNED" || dig(e, "contestMargin", "text") != "1/5" ||
			e["maxRounds"] != 3.0 {
			t.Fatalf("election: %v", e)
		}
		election := e["id"].(string)
		tellerPeople := activeMembers(t, s, 3, nil)
		r.grant(election, [3]int{tellerPeople[0], tellerPeople[1], tellerPeople[2]})
		skip := map[int]bool{tellerPeople[0]: true, tellerPeople[1]: true, tellerPeople[2]: true}
		// A teller may not stand.
		r.refused("office", nominateDoc, map[string]any{"e": election, "post": member, "person": gid("Person", tellerPeople[0])},
			"RULE_VIOLATION", "input.personId", "notTeller")

		// 111 seats contested by a fifth: 23 more, 134 candidates.
		var cands []string
		for _, id := range activeMembers(t, s, 133, skip) {
			c := dig(r.as("office", nominateDoc, map[string]any{"e": election, "post": member, "person": gid("Person", id)}), "nominateCandidate", "candidate")
			cands = append(cands, dig(c, "id").(string))
		}
		r.refused("chief", openRoundDoc, map[string]any{"e": election, "post": member}, "RULE_VIOLATION", "input.postId", "contested")
		last := activeMembers(t, s, 134, skip)[133]
		cands = append(cands, dig(r.as("office", nominateDoc, map[string]any{"e": election, "post": member, "person": gid("Person", last)}),
			"nominateCandidate", "candidate", "id").(string))

		// Round 1: every ballot is FOR the first 109; the next three share
		// the rest two by two, a tie for the last two seats; one ballot
		// marks 112 and is invalid.
		r1 := dig(r.as("chief", openRoundDoc, map[string]any{"e": election, "post": member}), "openRound", "round").(map[string]any)
		if r1["number"] != 1.0 || r1["seats"] != 111.0 || int(r1["entitled"].(float64)) != len(reps) || len(r1["candidates"].([]any)) != 134 {
			t.Fatalf("round 1: %v", r1)
		}
		round1 := r1["id"].(string)
		r.as("teller1", issuedDoc, map[string]any{"r": round1, "n": len(reps)})
		m := (len(reps) - 1) / 3 * 3
		var ballots []map[string]any
		for i := range m {
			ballots = append(ballots, ballot(fmt.Sprintf("C%04d", i+1), append(cands[:109:109], cands[109+i%3], cands[109+(i+1)%3])...))
		}
		ballots = append(ballots, ballot(fmt.Sprintf("C%04d", m+1), cands[:112]...))
		r.enter(round1, ballots)
		r.refused("teller1", closeRoundDoc, map[string]any{"r": round1}, "FORBIDDEN", "input.roundId", "")
		closed := dig(r.as("chief", closeRoundDoc, map[string]any{"r": round1}), "closeRound", "round").(map[string]any)
		res := closed["result"].(map[string]any)
		outcomes := map[string]int{}
		for _, c := range res["counts"].([]any) {
			outcomes[dig(c, "outcome").(string)]++
		}
		if res["returned"] != float64(m+1) || res["valid"] != float64(m) || res["nextSeats"] != 2.0 ||
			outcomes["ELECTED"] != 109 || outcomes["TIED"] != 3 || outcomes["BELOW_THRESHOLD"] != 22 {
			t.Fatalf("round 1: %v, outcomes %v", res, outcomes)
		}
		for _, line := range []string{
			fmt.Sprintf("Ballot C%04d invalid: too many FOR marks: 112 for 111 seats.", m+1),
			fmt.Sprintf("Round 2 follows for 2 seats: tie at the cut-off: 3 candidates with %d votes for 2 seats.", 2*m/3),
		} {
			if !strings.Contains(closed["report"].(string), line) {
				t.Errorf("round 1 report lacks %q:\n%s", line, closed["report"])
			}
		}
		r.refused("teller2", enterDoc, map[string]any{"r": round1, "ballots": []any{ballot("C9999")}}, "VOTE_CLOSED", "input.roundId", "")

		// Round 2 among the three tied, for two seats: paper ballots, and
		// four voters cast theirs with ballot codes.
		r2 := dig(r.as("chief", openRoundDoc, map[string]any{"e": election, "post": member}), "openRound", "round").(map[string]any)
		if r2["number"] != 2.0 || r2["seats"] != 2.0 || len(r2["candidates"].([]any)) != 3 {
			t.Fatalf("round 2: %v", r2)
		}
		round2 := r2["id"].(string)
		codes := dig(r.as("teller2", codesDoc, map[string]any{"r": round2, "ps": reps[:3]}), "issueBallotCodes", "codes").([]any)
		// A fourth voter asks for their own code with their voter token.
		token := dig(r.ok(tokenDoc, map[string]any{"p": reps[3]}), "issueVoterToken", "token").(string)
		auth := registry.NewAuthenticator(s, 0)
		var err error
		if r.views["voter"], err = auth.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, dig(r.as("voter", requestCodeDoc, map[string]any{"r": round2}), "requestBallotCode", "code"))
		r.refused("voter", requestCodeDoc, map[string]any{"r": round2}, "CONFLICT", "input.roundId", "oneCode")
		// The voter token casts nothing itself: the request that casts
		// presents the code, and names nobody.
		r.refused("voter", castWithCodeDoc, map[string]any{"for": []any{cands[109]}}, "UNAUTHENTICATED", "", "")
		r.as("teller1", issuedDoc, map[string]any{"r": round2, "n": len(reps) - 4})
		ballots = nil
		for i := range len(reps) - 10 {
			ballots = append(ballots, ballot(fmt.Sprintf("D%04d", i+1), cands[109], cands[110]))
		}
		r.enter(round2, ballots)
		// Each code is the credential of the request that casts with it.
		var receipts []string
		for _, code := range codes {
			if r.views["code"], err = auth.Authenticate(ctx, registry.BallotCodePrefix+code.(string)); err != nil {
				t.Fatal(err)
			}
			if code == codes[0] {
				r.readsOnlyItsBallot(round2, r2["candidates"].([]any))
			}
			cast := dig(r.as("code", castWithCodeDoc, map[string]any{"for": []any{cands[109], cands[111]}}), "castBallot")
			receipts = append(receipts, dig(cast, "receipt").(string))
		}
		if _, err := auth.Authenticate(ctx, registry.BallotCodePrefix+codes[0].(string)); registry.KindOf(err) != registry.Unauthenticated {
			t.Errorf("a used code authenticates: %v", err)
		}
		r.refused("admin", castWithCodeDoc, map[string]any{"for": []any{cands[110]}}, "UNAUTHENTICATED", "", "")
		closed = dig(r.as("chief", closeRoundDoc, map[string]any{"r": round2}), "closeRound", "round").(map[string]any)
		if dig(closed, "result", "returned") != float64(len(reps)-6) || dig(closed, "result", "nextSeats") != nil {
			t.Fatalf("round 2: %v", closed["result"])
		}
		got := dig(r.ok(receiptDoc, map[string]any{"receipt": receipts[0]}), "ballotReceipt").(map[string]any)
		if got["electronic"] != true || got["enteredBy"] != "ballot code" || got["counted"] != true || got["valid"] != true || len(got["for"].([]any)) != 2 {
			t.Errorf("the voter's receipt finds %v", got)
		}

		// Certified by the chief teller, the election gives the third
		// council its 111 ELECTED members; the re-count reproduces both
		// rounds.
		if got := dig(r.as("chief", certifyDoc, map[string]any{"e": election}), "certifyElection", "election"); dig(got, "status") != "CERTIFIED" {
			t.Fatalf("certified: %v", got)
		}
		elected := s.Client.Appointment.Query().Where(appointment.TermID(mustID(t, third)), appointment.ObtainedByEQ(appointment.ObtainedByELECTED),
			appointment.ElectionIDNotNil()).CountX(ctx)
		if elected != 111 {
			t.Fatalf("%d ELECTED appointments in the third council, want 111", elected)
		}
		for _, c := range dig(r.as("admin", recountDoc, map[string]any{"e": election}), "node", "recount").([]any) {
			if dig(c, "reproduced") != true {
				t.Errorf("re-count: %v", c)
			}
		}

		// Its officers are elected by the council itself, at its first
		// meeting once its term has begun: the succession completes with
		// the officers' posts still to fill, on an administrator's word.
		completeDoc := `mutation($in: CompleteSuccessionInput!) { completeSuccession(input: $in) { term { status } } }`
		r.refused("office", completeDoc, map[string]any{"in": map[string]any{"termId": third, "on": "2026-11-23"}},
			"RULE_VIOLATION", "input.termId", "leadershipFilled")
		r.as("admin", completeDoc, map[string]any{"in": map[string]any{"termId": third, "on": "2026-11-23",
			"override": map[string]any{"reason": "the new council elects its officers at its first meeting, today"}}})
		cm := dig(r.as("office", meetingDoc, map[string]any{"term": third}), "createMeeting", "meeting").(map[string]any)
		if dig(cm, "participants", "totalCount") != 111.0 {
			t.Fatalf("the council's first meeting: %v", cm)
		}
		meeting := cm["id"].(string)
		councilMembers := s.Client.Appointment.Query().Where(appointment.TermID(mustID(t, third))).Order(ent.Asc(appointment.FieldPersonID)).
			Select(appointment.FieldPersonID).IntsX(ctx)

		// The president and the secretary-general, in one election.
		president, secretary := postOf(council, "President"), postOf(council, "Secretary-General")
		officers := dig(r.as("office", createElectionDoc, map[string]any{"term": third, "meeting": meeting, "title": "Officers of the Third Council",
			"posts": []any{map[string]any{"postId": president, "seats": 1}, map[string]any{"postId": secretary, "seats": 1}}}),
			"createElection", "election", "id").(string)
		r.grant(officers, [3]int{tellerPeople[0], tellerPeople[1], tellerPeople[2]})
		// M000001 was president of the first and the second council.
		r.refused("office", nominateDoc, map[string]any{"e": officers, "post": president, "person": gid("Person", 1)},
			"RULE_VIOLATION", "input.personId", "consecutiveTermLimit")
		pres := dig(r.as("office", nominateDoc, map[string]any{"e": officers, "post": president, "person": gid("Person", councilMembers[0])}),
			"nominateCandidate", "candidate", "id").(string)
		sec := dig(r.as("office", nominateDoc, map[string]any{"e": officers, "post": secretary, "person": gid("Person", councilMembers[1])}),
			"nominateCandidate", "candidate", "id").(string)
		for _, o := range []struct{ post, cand string }{{president, pres}, {secretary, sec}} {
			rd := dig(r.as("chief", openRoundDoc, map[string]any{"e": officers, "post": o.post}), "openRound", "round", "id").(string)
			r.as("teller1", issuedDoc, map[string]any{"r": rd, "n": 111})
			ballots = nil
			for i := range 100 {
				ballots = append(ballots, ballot(fmt.Sprintf("P%04d", i+1), o.cand))
			}
			r.enter(rd, ballots)
			r.as("chief", closeRoundDoc, map[string]any{"r": rd})
		}
		r.as("chief", certifyDoc, map[string]any{"e": officers})
		held := map[string]string{}
		for _, title := range []string{"President", "Secretary-General"} {
			a := s.Client.Appointment.Query().Where(appointment.TermID(mustID(t, third)), appointment.HasPostWith(post.Title(title))).OnlyX(ctx)
			held[title] = gid("Person", a.PersonID)
		}
		if held["President"] != gid("Person", councilMembers[0]) || held["Secretary-General"] != gid("Person", councilMembers[1]) {
			t.Errorf("officers: %v", held)
		}

		// The standing council: 31 seats drawn from the council, elected
		// at the same meeting, and its succession completed on the checks.
		standing := dig(r.as("office", prepareMutation, map[string]any{"in": map[string]any{
			"organizationId": gid("Organization", standingOrg.ID), "startsOn": "2026-11-23", "name": "The Third Standing Council"}}),
			"prepareSuccession", "term", "id").(string)
		seat := postOf(standingOrg, "Standing Council Member")
		sc := dig(r.as("office", createElectionDoc, map[string]any{"term": standing, "meeting": meeting, "title": "The Third Standing Council",
			"posts": []any{map[string]any{"postId": seat, "seats": 31}}, "contested": true}), "createElection", "election", "id").(string)
		r.grant(sc, [3]int{tellerPeople[0], tellerPeople[1], tellerPeople[2]})
		var outsider int
		for _, id := range activeMembers(t, s, 200, skip) {
			if outsider == 0 && !slices.Contains(councilMembers, id) {
				outsider = id
			}
		}
		r.refused("office", nominateDoc, map[string]any{"e": sc, "post": seat, "person": gid("Person", outsider)},
			"RULE_VIOLATION", "input.personId", "drawnFromCouncil")
		cands = nil
		for _, id := range councilMembers[2:40] {
			cands = append(cands, dig(r.as("office", nominateDoc, map[string]any{"e": sc, "post": seat, "person": gid("Person", id)}),
				"nominateCandidate", "candidate", "id").(string))
		}
		rd := dig(r.as("chief", openRoundDoc, map[string]any{"e": sc, "post": seat}), "openRound", "round", "id").(string)
		r.as("teller1", issuedDoc, map[string]any{"r": rd, "n": 111})
		ballots = nil
		for i := range 99 {
			ballots = append(ballots, ballot(fmt.Sprintf("S%04d", i+1), cands[:31]...))
		}
		r.enter(rd, ballots)
		r.as("chief", closeRoundDoc, map[string]any{"r": rd})
		r.as("chief", certifyDoc, map[string]any{"e": sc})
		if got := dig(r.as("office", completeDoc, map[string]any{"in": map[string]any{"termId": standing, "on": "2026-11-23"}}),
			"completeSuccession", "term", "status"); got != "ACTIVE" {
			t.Fatalf("standing council succession: %v", got)
		}
		n := s.Client.Appointment.Query().Where(appointment.TermID(mustID(t, standing))).CountX(ctx)
		if n != 31 {
			t.Errorf("the third standing council has %d members, want 31", n)
		}
		if active := s.Client.Term.Query().Where(term.StatusEQ(term.StatusACTIVE),
			term.HasOrganizationWith(organization.IDIn(council.ID, standingOrg.ID))).CountX(ctx); active != 2 {
			t.Errorf("%d active terms of the council and standing council", active)
		}
		if _, brk, err := s.VerifyAudit(ctx); brk != nil || err != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}
