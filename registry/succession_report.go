package registry

// The succession report: a planned roster against the current one, and
// the articles' checks. Every share is decided in integers (a/b at least
// n/d is a*d >= n*b); a percentage in a check's text is only for the
// reader, rounded to a tenth.
//
// What the checks read:
//
//   - the new roster: the term's appointments, except those that ended
//     early (an end reason other than TERM_ENDED);
//   - the current roster: the predecessor's appointments still held at
//     its end (its actual end, or else the new term's first day);
//   - the day: the new term's first day (planned, or the day the
//     succession takes effect when it is completed).
//
// The checks, each named by the rule it applies:
//
//	consecutiveTermLimit  nobody holds a leadership post for more than the
//	                      rules' consecutive terms (default 2): a term
//	                      counts when the person held that post in it at
//	                      all, and the run is of the immediately preceding
//	                      terms of the organization, by number
//	leadershipAgeLimit    leaders are at most the rules' age (default 70)
//	                      on the day, a birthday on it counting as
//	                      reached; no birth date fails, naming birthDate
//	activeMember          academic branches and special committees: every
//	                      person proposed has an ACTIVE membership
//	seats                 no post holds more people than its seats
//	leadershipFilled      every leadership post has a holder
//	seatsFilled           every seat is filled (not blocking: a vacancy
//	                      may be filled later in the term)
//	minRenewal            at least the rules' share of the people proposed
//	                      are new; blocking only when the rules set one
//	standingCouncilMax    a standing council: its people are at most the
//	                      rules' share (default 1/3) of the people of the
//	                      council's term that covers the day
//	drawnFromCouncil      a standing council: each of its people holds a
//	                      post in that council term

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/rules"
)

// The names of the checks, which are the rules they apply.
const (
	CheckConsecutiveTermLimit = "consecutiveTermLimit"
	CheckLeadershipAgeLimit   = "leadershipAgeLimit"
	CheckActiveMember         = "activeMember"
	CheckSeats                = "seats"
	CheckLeadershipFilled     = "leadershipFilled"
	CheckSeatsFilled          = "seatsFilled"
	CheckMinRenewal           = "minRenewal"
	CheckStandingCouncilMax   = "standingCouncilMax"
	CheckDrawnFromCouncil     = "drawnFromCouncil"
)

// SuccessionReport is a term's roster compared with its predecessor's,
// and the articles' checks of it.
type SuccessionReport struct {
	Term         *ent.Term
	Organization *ent.Organization
	// Predecessor is the organization's term numbered before Term; nil
	// for a first term.
	Predecessor *ent.Term
	// Rules are the organization's rules, defaults filled in.
	Rules rules.Rules
	// On is the day the checks are made for: the term's first day.
	On time.Time
	// The people of either roster, by name: on both with the same posts,
	// only on the new one, only on the old one, on both with other
	// posts.
	Stayed, Joined, Left, ChangedPost []RosterChange
	// Checks lists every check that applies to the organization, in a
	// fixed order.
	Checks []Check
}

// RosterChange is one person's posts on the old and the new roster.
type RosterChange struct {
	Person *ent.Person
	// Before are the person's appointments on the predecessor's roster,
	// After those on the new one, each by post rank; their Post edges
	// are loaded.
	Before, After []*ent.Appointment
}

// Check is one check of the articles: whether it passed, whether its
// failure stops the succession, its arithmetic in words, and what is at
// fault.
type Check struct {
	Name     string
	Passed   bool
	Blocking bool
	// Text is the arithmetic, such as "renewal 38/120 = 31.7%, needs at
	// least 1/3: FAIL".
	Text   string
	Faults []Fault
}

// Fault is one person, post or appointment at fault in a check; an id is
// 0 when the fault is not about one.
type Fault struct {
	PersonID, PostID, AppointmentID int
	// Field names the missing datum, such as birthDate.
	Field   string
	Message string
}

// Failing returns the blocking checks that failed.
func (r *SuccessionReport) Failing() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Blocking && !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// SuccessionReport compares term termID's roster with its predecessor's
// and checks it against the organization's rules, for its first day.
// For callers who may read the organization.
func (s *Store) SuccessionReport(ctx context.Context, v *Viewer, termID int) (*SuccessionReport, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	t, err := s.Client.Term.Get(ctx, termID)
	if err != nil {
		return nil, v.hideMissing(err, ReadOrganization, "term")
	}
	if err := v.AuthorizeIn(ReadOrganization, t.OrganizationID, "term"); err != nil {
		return nil, err
	}
	o, err := s.Client.Organization.Get(ctx, t.OrganizationID)
	if err != nil {
		return nil, Wrap(err)
	}
	r, err := buildReport(ctx, s.Client, o, t, t.StartsOn)
	if err != nil {
		return nil, Wrap(err)
	}
	return r, nil
}

// buildReport makes the report of term t of organization o for day on,
// reading through c (a transaction's client when completing).
func buildReport(ctx context.Context, c *ent.Client, o *ent.Organization, t *ent.Term, on time.Time) (*SuccessionReport, error) {
	rep := &SuccessionReport{Term: t, Organization: o, Rules: RulesOf(o), On: on}
	byOrdinal, err := rep.terms(ctx, c)
	if err != nil {
		return nil, err
	}
	posts, err := c.Post.Query().Where(post.OrganizationID(o.ID)).Order(post.ByRank(), post.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	postByID := map[int]*ent.Post{}
	for _, p := range posts {
		postByID[p.ID] = p
	}
	ids := []int{t.ID}
	if rep.Predecessor != nil {
		ids = append(ids, rep.Predecessor.ID)
	}
	apps, err := c.Appointment.Query().Where(appointment.TermIDIn(ids...)).WithPerson().Order(appointment.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	var incoming, outgoing []*ent.Appointment
	for _, a := range apps {
		a.Edges.Post = postByID[a.PostID]
		switch {
		case a.TermID == t.ID && (a.EndReason == nil || *a.EndReason == appointment.EndReasonTERM_ENDED):
			incoming = append(incoming, a)
		case a.TermID != t.ID && heldAtEnd(a, rep.Predecessor, on):
			outgoing = append(outgoing, a)
		}
	}
	rep.diff(incoming, outgoing)

	leaders, err := rep.consecutive(ctx, c, byOrdinal, incoming)
	if err != nil {
		return nil, err
	}
	rep.Checks = append(rep.Checks, leaders, rep.age(incoming))
	if isBranch(o.Kind) {
		ch, err := activeMembers(ctx, c, incoming)
		if err != nil {
			return nil, err
		}
		rep.Checks = append(rep.Checks, ch)
	}
	rep.Checks = append(rep.Checks, rep.seats(posts, incoming)...)
	rep.Checks = append(rep.Checks, rep.renewal(incoming, outgoing))
	if o.Kind == organization.KindSTANDING_COUNCIL {
		chs, err := rep.standing(ctx, c, incoming)
		if err != nil {
			return nil, err
		}
		rep.Checks = append(rep.Checks, chs...)
	}
	return rep, nil
}

// terms returns the organization's terms by ordinal, and sets the
// report's Predecessor.
func (r *SuccessionReport) terms(ctx context.Context, c *ent.Client) (map[int]*ent.Term, error) {
	terms, err := c.Term.Query().Where(term.OrganizationID(r.Organization.ID)).Order(term.ByOrdinal()).All(ctx)
	if err != nil {
		return nil, err
	}
	byOrdinal := map[int]*ent.Term{}
	for _, x := range terms {
		byOrdinal[x.Ordinal] = x
		if x.Ordinal < r.Term.Ordinal {
			r.Predecessor = x
		}
	}
	return byOrdinal, nil
}

// heldAtEnd reports whether appointment a of term pred is held at pred's
// end: its actual end, or, while it has none, next, the day its
// successor starts.
func heldAtEnd(a *ent.Appointment, pred *ent.Term, next time.Time) bool {
	end := next
	if pred.ActualEnd != nil {
		end = *pred.ActualEnd
	}
	return a.StartsOn.Before(end) && (a.EndsOn == nil || !a.EndsOn.Before(end))
}

// diff sorts the people of both rosters into stayed, joined, left and
// changed post.
func (r *SuccessionReport) diff(incoming, outgoing []*ent.Appointment) {
	people := map[int]*RosterChange{}
	get := func(a *ent.Appointment) *RosterChange {
		ch := people[a.PersonID]
		if ch == nil {
			ch = &RosterChange{Person: a.Edges.Person}
			people[a.PersonID] = ch
		}
		return ch
	}
	for _, a := range outgoing {
		ch := get(a)
		ch.Before = append(ch.Before, a)
	}
	for _, a := range incoming {
		ch := get(a)
		ch.After = append(ch.After, a)
	}
	changes := make([]*RosterChange, 0, len(people))
	for _, ch := range people {
		byRank := func(a, b *ent.Appointment) int {
			return cmp.Or(cmp.Compare(a.Edges.Post.Rank, b.Edges.Post.Rank), cmp.Compare(a.PostID, b.PostID), cmp.Compare(a.ID, b.ID))
		}
		slices.SortFunc(ch.Before, byRank)
		slices.SortFunc(ch.After, byRank)
		changes = append(changes, ch)
	}
	slices.SortFunc(changes, func(a, b *RosterChange) int {
		return cmp.Or(strings.Compare(a.Person.Name, b.Person.Name), cmp.Compare(a.Person.ID, b.Person.ID))
	})
	for _, ch := range changes {
		switch {
		case len(ch.Before) == 0:
			r.Joined = append(r.Joined, *ch)
		case len(ch.After) == 0:
			r.Left = append(r.Left, *ch)
		case samePosts(ch.Before, ch.After):
			r.Stayed = append(r.Stayed, *ch)
		default:
			r.ChangedPost = append(r.ChangedPost, *ch)
		}
	}
}

func samePosts(a, b []*ent.Appointment) bool {
	set := func(apps []*ent.Appointment) []int {
		ids := make([]int, 0, len(apps))
		for _, x := range apps {
			if !slices.Contains(ids, x.PostID) {
				ids = append(ids, x.PostID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	return slices.Equal(set(a), set(b))
}

// leadersOf returns the appointments to leadership posts, by post rank
// and then name, the order in which ties are named in the checks.
func leadersOf(apps []*ent.Appointment) []*ent.Appointment {
	var out []*ent.Appointment
	for _, a := range apps {
		if a.Edges.Post.Leadership {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *ent.Appointment) int {
		return cmp.Or(cmp.Compare(a.Edges.Post.Rank, b.Edges.Post.Rank), cmp.Compare(a.PostID, b.PostID),
			strings.Compare(a.Edges.Person.Name, b.Edges.Person.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// consecutive checks the consecutive-term limit of leadership posts.
func (r *SuccessionReport) consecutive(ctx context.Context, c *ent.Client, byOrdinal map[int]*ent.Term, incoming []*ent.Appointment) (Check, error) {
	limit := r.Rules.ConsecutiveTermLimit
	ch := Check{Name: CheckConsecutiveTermLimit, Blocking: true, Passed: true}
	leaders := leadersOf(incoming)
	if len(leaders) == 0 {
		ch.Text = fmt.Sprintf("consecutive terms in a leadership post: none proposed, at most %d: PASS", limit)
		return ch, nil
	}
	var earlier, postIDs, people []int
	for ord, x := range byOrdinal {
		if ord < r.Term.Ordinal {
			earlier = append(earlier, x.ID)
		}
	}
	for _, a := range leaders {
		postIDs = append(postIDs, a.PostID)
		people = append(people, a.PersonID)
	}
	type held struct{ person, post, term int }
	had := map[held]bool{}
	if len(earlier) > 0 {
		past, err := c.Appointment.Query().Where(appointment.TermIDIn(earlier...), appointment.PostIDIn(postIDs...),
			appointment.PersonIDIn(people...)).All(ctx)
		if err != nil {
			return ch, err
		}
		for _, a := range past {
			had[held{a.PersonID, a.PostID, a.TermID}] = true
		}
	}
	longest, who := 0, ""
	for _, a := range leaders {
		run := 1
		for ord := r.Term.Ordinal - 1; ; ord-- {
			x := byOrdinal[ord]
			if x == nil || !had[held{a.PersonID, a.PostID, x.ID}] {
				break
			}
			run++
		}
		name := fmt.Sprintf("%s, %s", a.Edges.Person.Name, a.Edges.Post.Title)
		if run > longest {
			longest, who = run, name
		}
		if run > limit {
			ch.Passed = false
			ch.Faults = append(ch.Faults, Fault{PersonID: a.PersonID, PostID: a.PostID, AppointmentID: a.ID,
				Message: fmt.Sprintf("%s: %d consecutive terms with term no. %d (no. %d to %d), at most %d",
					name, run, r.Term.Ordinal, r.Term.Ordinal-run+1, r.Term.Ordinal, limit)})
		}
	}
	ch.Text = fmt.Sprintf("consecutive terms in a leadership post: longest %d (%s), at most %d: %s", longest, who, limit, verdict(ch.Passed))
	return ch, nil
}

// age checks the leadership age limit on the report's day.
func (r *SuccessionReport) age(incoming []*ent.Appointment) Check {
	limit := r.Rules.LeadershipAgeLimit
	day := r.On.Format(DateLayout)
	ch := Check{Name: CheckLeadershipAgeLimit, Blocking: true, Passed: true}
	oldest, who, missing := -1, "", 0
	seen := map[int]bool{}
	for _, a := range leadersOf(incoming) {
		if seen[a.PersonID] {
			continue
		}
		seen[a.PersonID] = true
		p := a.Edges.Person
		name := fmt.Sprintf("%s, %s", p.Name, a.Edges.Post.Title)
		if p.BirthDate == nil {
			missing++
			ch.Passed = false
			ch.Faults = append(ch.Faults, Fault{PersonID: p.ID, PostID: a.PostID, AppointmentID: a.ID, Field: "birthDate",
				Message: fmt.Sprintf("%s: no birthDate, so the leadership age limit cannot be checked", name)})
			continue
		}
		age := AgeOn(*p.BirthDate, r.On)
		if age > oldest {
			oldest, who = age, name
		}
		if age > limit {
			ch.Passed = false
			ch.Faults = append(ch.Faults, Fault{PersonID: p.ID, PostID: a.PostID, AppointmentID: a.ID,
				Message: fmt.Sprintf("%s: born %s, %d on %s, at most %d", name, p.BirthDate.Format(DateLayout), age, day, limit)})
		}
	}
	switch {
	case len(seen) == 0:
		ch.Text = fmt.Sprintf("leadership age on %s: no leader proposed, at most %d: PASS", day, limit)
	case oldest < 0:
		ch.Text = fmt.Sprintf("leadership age on %s: %d without a birth date, at most %d: FAIL", day, missing, limit)
	default:
		ch.Text = fmt.Sprintf("leadership age on %s: oldest %d (%s), at most %d", day, oldest, who, limit)
		if missing > 0 {
			ch.Text += fmt.Sprintf(", %d without a birth date", missing)
		}
		ch.Text += ": " + verdict(ch.Passed)
	}
	return ch
}

// activeMembers checks that every person proposed is an ACTIVE member.
func activeMembers(ctx context.Context, c *ent.Client, incoming []*ent.Appointment) (Check, error) {
	ch := Check{Name: CheckActiveMember, Blocking: true, Passed: true}
	var people []int
	first := map[int]*ent.Appointment{}
	for _, a := range incoming {
		if first[a.PersonID] == nil {
			first[a.PersonID] = a
			people = append(people, a.PersonID)
		}
	}
	ms, err := c.Membership.Query().Where(membership.PersonIDIn(people...)).All(ctx)
	if err != nil {
		return ch, err
	}
	status := map[int]*ent.Membership{}
	for _, m := range ms {
		status[*m.PersonID] = m
	}
	active := 0
	for _, id := range people {
		a := first[id]
		switch m := status[id]; {
		case m == nil:
			ch.Faults = append(ch.Faults, Fault{PersonID: id, AppointmentID: a.ID,
				Message: fmt.Sprintf("%s has no membership", a.Edges.Person.Name)})
		case m.Status != membership.StatusACTIVE:
			ch.Faults = append(ch.Faults, Fault{PersonID: id, AppointmentID: a.ID,
				Message: fmt.Sprintf("%s's membership %s is %s", a.Edges.Person.Name, m.MemberNumber, m.Status)})
		default:
			active++
		}
	}
	ch.Passed = len(ch.Faults) == 0
	ch.Text = fmt.Sprintf("active members: %d/%d proposed are ACTIVE members, all must be: %s", active, len(people), verdict(ch.Passed))
	return ch, nil
}

// seats checks that no post is over its seats, that every leadership
// post is held, and reports vacant seats.
func (r *SuccessionReport) seats(posts []*ent.Post, incoming []*ent.Appointment) []Check {
	held := map[int]int{}
	for _, a := range incoming {
		held[a.PostID]++
	}
	over := Check{Name: CheckSeats, Blocking: true, Passed: true}
	filled := Check{Name: CheckLeadershipFilled, Blocking: true, Passed: true}
	vacant := Check{Name: CheckSeatsFilled, Passed: true}
	var all, leaders, vacancies []string
	var overNames, emptyNames []string
	seats, taken := 0, 0
	for _, p := range posts {
		n := held[p.ID]
		tally := fmt.Sprintf("%s %d/%d", p.Title, n, p.Seats)
		all = append(all, tally)
		seats += p.Seats
		taken += min(n, p.Seats)
		if n > p.Seats {
			over.Passed = false
			overNames = append(overNames, p.Title)
			over.Faults = append(over.Faults, Fault{PostID: p.ID,
				Message: fmt.Sprintf("%s: %d people on %d seat(s)", p.Title, n, p.Seats)})
		}
		if p.Leadership {
			leaders = append(leaders, tally)
			if n == 0 {
				filled.Passed = false
				emptyNames = append(emptyNames, p.Title)
				filled.Faults = append(filled.Faults, Fault{PostID: p.ID, Message: fmt.Sprintf("%s has no holder", p.Title)})
			}
		}
		if n < p.Seats {
			vacant.Passed = false
			vacancies = append(vacancies, fmt.Sprintf("%s %d of %d", p.Title, p.Seats-n, p.Seats))
			vacant.Faults = append(vacant.Faults, Fault{PostID: p.ID,
				Message: fmt.Sprintf("%s: %d of %d seat(s) vacant", p.Title, p.Seats-n, p.Seats)})
		}
	}
	list := func(s []string) string {
		if len(s) == 0 {
			return "no posts"
		}
		return strings.Join(s, ", ")
	}
	over.Text = fmt.Sprintf("seats held/seats: %s", list(all))
	if over.Passed {
		over.Text += "; none over: PASS"
	} else {
		over.Text += fmt.Sprintf("; over: %s: FAIL", strings.Join(overNames, ", "))
	}
	filled.Text = fmt.Sprintf("leadership posts held: %s", list(leaders))
	if filled.Passed {
		filled.Text += "; every one filled: PASS"
	} else {
		filled.Text += fmt.Sprintf("; vacant: %s: FAIL", strings.Join(emptyNames, ", "))
	}
	vacant.Text = fmt.Sprintf("seats filled %d/%d", taken, seats)
	if vacant.Passed {
		vacant.Text += ": PASS"
	} else {
		vacant.Text += fmt.Sprintf("; vacant: %s: FAIL (not blocking)", strings.Join(vacancies, ", "))
	}
	return []Check{over, filled, vacant}
}

// renewal checks the share of new people on the roster.
func (r *SuccessionReport) renewal(incoming, outgoing []*ent.Appointment) Check {
	before := map[int]bool{}
	for _, a := range outgoing {
		before[a.PersonID] = true
	}
	after := map[int]bool{}
	fresh := 0
	for _, a := range incoming {
		if after[a.PersonID] {
			continue
		}
		after[a.PersonID] = true
		if !before[a.PersonID] {
			fresh++
		}
	}
	n, base := int64(fresh), int64(len(after))
	ch := Check{Name: CheckMinRenewal, Passed: true}
	share := fmt.Sprintf("renewal %d/%d = %s", n, base, percent(n, base))
	if r.Rules.MinRenewal == nil {
		ch.Text = share + ", the rules set no minimum: PASS"
		return ch
	}
	need := rules.Threshold{Fraction: *r.Rules.MinRenewal}
	ch.Blocking = true
	ch.Passed = need.Met(n, base)
	ch.Text = fmt.Sprintf("%s, needs at least %s: %s", share, r.Rules.MinRenewal, verdict(ch.Passed))
	return ch
}

// standing checks a standing council against its council: at most the
// rules' share of it, and drawn from it.
func (r *SuccessionReport) standing(ctx context.Context, c *ent.Client, incoming []*ent.Appointment) ([]Check, error) {
	size := Check{Name: CheckStandingCouncilMax, Blocking: true}
	drawn := Check{Name: CheckDrawnFromCouncil, Blocking: true}
	council, err := councilOf(ctx, c, r.Organization)
	if err != nil {
		return nil, err
	}
	day := r.On.Format(DateLayout)
	if council == nil {
		size.Text = fmt.Sprintf("%s belongs to no council: FAIL", r.Organization.Name)
		drawn.Text = size.Text
		return []Check{size, drawn}, nil
	}
	ct, err := c.Term.Query().Where(term.OrganizationID(council.ID), term.StartsOnLTE(r.On)).
		Order(ent.Desc(term.FieldStartsOn)).First(ctx)
	if ent.IsNotFound(err) {
		size.Text = fmt.Sprintf("%s has no term on %s: FAIL", council.Name, day)
		drawn.Text = size.Text
		return []Check{size, drawn}, nil
	}
	if err != nil {
		return nil, err
	}
	members, err := c.Appointment.Query().Where(appointment.TermID(ct.ID),
		appointment.Or(appointment.EndReasonIsNil(), appointment.EndReasonEQ(appointment.EndReasonTERM_ENDED))).All(ctx)
	if err != nil {
		return nil, err
	}
	onCouncil := map[int]bool{}
	for _, a := range members {
		onCouncil[a.PersonID] = true
	}
	people := map[int]bool{}
	for _, a := range incoming {
		if people[a.PersonID] {
			continue
		}
		people[a.PersonID] = true
		if !onCouncil[a.PersonID] {
			drawn.Faults = append(drawn.Faults, Fault{PersonID: a.PersonID, AppointmentID: a.ID,
				Message: fmt.Sprintf("%s holds no post in %s", a.Edges.Person.Name, termLabel(ct))})
		}
	}
	n, base := int64(len(people)), int64(len(onCouncil))
	limit := *r.Rules.StandingCouncilMax
	// n/base at most num/den: n*den <= num*base, the complement of more
	// than num/den.
	size.Passed = !rules.Threshold{Fraction: limit, Strict: true}.Met(n, base)
	size.Text = fmt.Sprintf("standing council %d/%d = %s of %s, at most %s: %s", n, base, percent(n, base), termLabel(ct), limit, verdict(size.Passed))
	drawn.Passed = len(drawn.Faults) == 0
	drawn.Text = fmt.Sprintf("drawn from the council: %d/%d hold a post in %s: %s", n-int64(len(drawn.Faults)), n, termLabel(ct), verdict(drawn.Passed))
	return []Check{size, drawn}, nil
}

// councilOf returns the council a standing council belongs to: its
// parent, or else the council beside it; nil when there is none.
func councilOf(ctx context.Context, c *ent.Client, o *ent.Organization) (*ent.Organization, error) {
	if o.ParentID == nil {
		return nil, nil
	}
	parent, err := c.Organization.Get(ctx, *o.ParentID)
	if err != nil {
		return nil, err
	}
	if parent.Kind == organization.KindCOUNCIL {
		return parent, nil
	}
	council, err := c.Organization.Query().Where(organization.ParentID(parent.ID), organization.KindEQ(organization.KindCOUNCIL)).
		Order(organization.ByID()).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return council, err
}

// termLabel names a term in a check's text.
func termLabel(t *ent.Term) string {
	if t.Name != "" {
		return t.Name
	}
	return fmt.Sprintf("term no. %d", t.Ordinal)
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

// percent writes n/base as a percentage rounded half up to a tenth, in
// integers: "31.7%".
func percent(n, base int64) string {
	if base == 0 {
		return "0.0%"
	}
	tenths := (2*n*1000 + base) / (2 * base)
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}
