package seed

import (
	"fmt"
	"slices"
	"time"

	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/term"
)

// ------------------------------------------------------------ appointments

// appoint records p holding post in t from start (the term's start when
// zero) until it ends.
func (d *demo) appoint(p *demoPerson, post *demoPost, t *demoTerm, start time.Time) *demoAppt {
	if start.IsZero() {
		start = t.start
	}
	a := &demoAppt{person: p, post: post, term: t, start: start, by: post.by}
	if t.status == term.StatusENDED {
		a.end, a.reason = t.end, appointment.EndReasonTERM_ENDED
	}
	t.appts = append(t.appts, a)
	p.appts = append(p.appts, a)
	d.appts = append(d.appts, a)
	return a
}

// close ends an appointment before its term, for the reason why.
func (a *demoAppt) close(on time.Time, why appointment.EndReason) *demoAppt {
	a.end, a.reason = on, why
	return a
}

// eligible reports whether p may sit in t at all: a member from its
// start, ACTIVE throughout (so nobody who left holds a post of an active
// term), and, in a branch, on fewer than three branches meanwhile.
func (d *demo) eligible(p *demoPerson, t *demoTerm) bool {
	if p.status == membership.StatusAPPLICANT || p.joined.After(t.start) {
		return false
	}
	if p.status != membership.StatusACTIVE && (t.status != term.StatusENDED || p.inactive.Before(t.end)) {
		return false
	}
	if t.sits(p) {
		return false
	}
	if old := t.org.body.memberMax; old != 0 && (p.ageOn(t.start) < 0 || p.ageOn(t.start) > old) {
		return false
	}
	return t.org.kind != organization.KindACADEMIC_BRANCH || p.branchesDuring(t.over()) < demoMaxBranch
}

// canLead reports whether p may take a leadership post of t: a known
// birth date, of age within the rules on the term's first day, and not
// leading the organization in the two terms next to t already (the
// consecutive-term limit).
func canLead(p *demoPerson, t *demoTerm) bool {
	age := p.ageOn(t.start)
	lo := t.org.body.leaderMin
	if lo == 0 {
		lo = 45
	}
	if age < lo || age > t.org.rules.LeadershipAgeLimit {
		return false
	}
	terms := t.org.terms
	i := slices.Index(terms, t)
	run := 1
	for j := i - 1; j >= 0 && terms[j].leads(p); j-- {
		run++
	}
	for j := i + 1; j < len(terms) && terms[j].leads(p); j++ {
		run++
	}
	return run <= t.org.rules.ConsecutiveTermLimit
}

// shuffled returns people in an order of the generator's choosing.
func (d *demo) shuffled(people []*demoPerson) []*demoPerson {
	out := slices.Clone(people)
	d.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// fill gives the free seats of t's posts, from rank 1 down, to the first
// eligible candidates.
func (d *demo) fill(t *demoTerm, cands []*demoPerson) error {
	for _, post := range t.org.posts {
		taken := 0
		for _, a := range t.appts {
			if a.post == post && !a.replaced {
				taken++
			}
		}
		for _, p := range cands {
			if taken == post.seats {
				break
			}
			if !d.eligible(p, t) || post.leadership && !canLead(p, t) {
				continue
			}
			// Secretaries are younger.
			if post.rank == 3 && !post.leadership && p.ageOn(t.start) >= 50 {
				continue
			}
			d.appoint(p, post, t, time.Time{})
			taken++
		}
		if taken < post.seats {
			return fmt.Errorf("seed: demo: %d of %d seats of %s in %s term %d left empty",
				post.seats-taken, post.seats, post.title, t.org.name, t.ordinal)
		}
	}
	return nil
}

// pastCandidates orders candidates for an ended term: up to half of its
// seats from the next term's holders, then everyone else.
func (d *demo) pastCandidates(t, next *demoTerm) []*demoPerson {
	seats := 0
	for _, p := range t.org.posts {
		seats += p.seats
	}
	var carry []*demoPerson
	for _, p := range d.shuffled(d.sorted(next.holders())) {
		if len(carry) < seats/2 && d.eligible(p, t) {
			carry = append(carry, p)
		}
	}
	var rest []*demoPerson
	for _, p := range d.shuffled(d.people) {
		if !slices.Contains(carry, p) {
			rest = append(rest, p)
		}
	}
	return append(carry, rest...)
}

// sorted lists a set of people by member number.
func (d *demo) sorted(set map[*demoPerson]bool) []*demoPerson {
	var out []*demoPerson
	for _, p := range d.people {
		if set[p] {
			out = append(out, p)
		}
	}
	return out
}

func (d *demo) person(n int) *demoPerson { return d.people[n-1] }

func (d *demo) branch(name string) *demoOrg {
	for _, o := range d.branches {
		if o.name == name+" Branch" {
			return o
		}
	}
	panic("seed: no branch " + name)
}

// placeCurrentBranches fills the 400 seats of the branches' active terms
// with 310 people: 20 on three branches, 50 on two, 240 on one.
func (d *demo) placeCurrentBranches() error {
	// By hand first: the notables and the mid-term events.
	cardio, onco, nursing := d.branch("Cardiology").active(), d.branch("Oncology").active(), d.branch("Nursing").active()
	d.appoint(d.person(5), d.branch("Pediatrics").postRanked(1), d.branch("Pediatrics").active(), time.Time{})
	d.appoint(d.person(6), d.branch("Laboratory Medicine").postRanked(2), d.branch("Laboratory Medicine").active(), time.Time{})
	d.appoint(d.person(7), cardio.org.postRanked(1), cardio, time.Time{})
	d.appoint(d.person(8), d.branch("Health Management").postRanked(1), d.branch("Health Management").active(), time.Time{})
	d.appoint(d.person(9), cardio.org.postRanked(2), cardio, time.Time{}).close(day(2024, 11, 3), appointment.EndReasonDECEASED).replaced = true
	d.appoint(d.person(10), onco.org.postRanked(9), onco, time.Time{}).close(day(2025, 9, 30), appointment.EndReasonREMOVED).replaced = true
	d.appoint(d.person(11), nursing.org.postRanked(3), nursing, time.Time{}).close(day(2025, 3, 1), appointment.EndReasonRESIGNED).replaced = true

	// How many branches each person sits on.
	copies := map[*demoPerson]int{d.person(6): 1}
	var order []*demoPerson
	order = append(order, d.person(6))
	var pool []*demoPerson
	for _, p := range d.people[demoNotables:] {
		if p.status == membership.StatusACTIVE && !p.joined.After(day(2020, 6, 30)) {
			pool = append(pool, p)
		}
	}
	pool = d.shuffled(pool)
	for i, n := range []int{3, 2, 1} {
		count := []int{20, 49, 237}[i]
		for _, p := range pool[:count] {
			copies[p] = n
			order = append(order, p)
		}
		pool = pool[count:]
	}
	// Then the rest, most branches first, each to the branches with the
	// most free seats: this always fits when the seats add up.
	rosters := map[*demoOrg][]*demoPerson{}
	free := map[*demoOrg]int{}
	for _, o := range d.branches {
		t := o.active()
		for _, p := range o.posts {
			free[o] += p.seats
		}
		for _, a := range t.appts {
			if !a.replaced {
				free[o]--
			}
		}
		rosters[o] = d.sorted(t.holders()) // placed by hand, kept out of the draw
	}
	slices.SortStableFunc(order, func(a, b *demoPerson) int { return copies[b] - copies[a] })
	for _, p := range order {
		cands := slices.Clone(d.branches)
		slices.SortStableFunc(cands, func(a, b *demoOrg) int { return free[b] - free[a] })
		k := copies[p]
		for _, o := range cands {
			if k == 0 {
				break
			}
			if slices.Contains(rosters[o], p) || free[o] == 0 {
				continue
			}
			rosters[o] = append(rosters[o], p)
			free[o]--
			k--
		}
		if k > 0 {
			return fmt.Errorf("seed: demo: no branch left for member %d", p.n)
		}
	}
	for _, o := range d.branches {
		t := o.active()
		var cands []*demoPerson
		for _, p := range rosters[o] {
			if !t.holders()[p] {
				cands = append(cands, p)
			}
		}
		if err := d.fill(t, d.shuffled(cands)); err != nil {
			return err
		}
	}
	// The seats left by the mid-term events were filled later.
	d.lastOf(cardio, 2).start, d.lastOf(cardio, 2).by = day(2025, 3, 15), appointment.ObtainedByAPPOINTED
	d.lastOf(onco, 9).start, d.lastOf(onco, 9).by = day(2025, 12, 1), appointment.ObtainedByAPPOINTED
	d.lastOf(nursing, 3).start, d.lastOf(nursing, 3).by = day(2025, 4, 1), appointment.ObtainedByAPPOINTED
	return nil
}

// lastOf returns the last appointment made to the post of the given rank
// in t.
func (d *demo) lastOf(t *demoTerm, rank int) *demoAppt {
	var last *demoAppt
	for _, a := range t.appts {
		if a.post.rank == rank {
			last = a
		}
	}
	return last
}

// placeCouncil fills both councils, their officers and standing councils.
func (d *demo) placeCouncil() error {
	c1, c2 := d.council.terms[0], d.council.terms[1]
	s1, s2 := d.standing.terms[0], d.standing.terms[1]
	president, evp, vp, sg, member := d.council.postRanked(1), d.council.postRanked(2),
		d.council.postRanked(3), d.council.postRanked(4), d.council.postRanked(9)

	// The first council.
	d.appoint(d.person(1), president, c1, time.Time{})
	d.appoint(d.person(4), evp, c1, time.Time{})
	d.appoint(d.person(2), vp, c1, time.Time{})
	d.appoint(d.person(3), sg, c1, time.Time{})
	d.appoint(d.person(13), member, c1, time.Time{})
	if err := d.fill(c1, d.shuffled(d.people[demoNotables:])); err != nil {
		return err
	}

	// The second: officers re-elected or new, about half the council
	// carried over, and two seats that fell vacant.
	d.appoint(d.person(1), president, c2, time.Time{})
	d.appoint(d.person(2), evp, c2, time.Time{})
	d.appoint(d.person(3), sg, c2, time.Time{})
	d.appoint(d.person(12), member, c2, time.Time{}).close(day(2024, 3, 12), appointment.EndReasonDECEASED)
	d.appoint(d.person(13), member, c2, time.Time{}).close(day(2025, 10, 15), appointment.EndReasonRESIGNED)
	var vps, members []*demoPerson
	for _, a := range c1.appts {
		if a.post == vp && a.person.n > demoNotables {
			vps = append(vps, a.person)
		}
		if a.post == member && a.person.n > demoNotables {
			members = append(members, a.person)
		}
	}
	vps = d.shuffled(vps)
	for _, p := range vps[:3] {
		if d.eligible(p, c2) && canLead(p, c2) {
			d.appoint(p, vp, c2, time.Time{})
		}
	}
	var cands []*demoPerson
	for _, p := range d.shuffled(members) {
		if len(cands) < councilMembers/2 && d.eligible(p, c2) {
			cands = append(cands, p)
		}
	}
	// Officers first: the new vice presidents come from outside the carry.
	rest := d.shuffled(d.people[demoNotables:])
	if err := d.fillPosts(c2, rest, vp); err != nil {
		return err
	}
	if err := d.fillPosts(c2, append(cands, rest...), member); err != nil {
		return err
	}
	// One of the two vacancies was filled by a by-election.
	for _, p := range rest {
		if d.eligible(p, c2) && !p.joined.After(day(2024, 6, 20)) {
			d.appoint(p, member, c2, day(2024, 6, 20))
			break
		}
	}

	// Standing councils: the officers ex officio, the rest elected from
	// the council's sitting members.
	seat := d.standing.postRanked(9)
	for _, pair := range [][2]*demoTerm{{c1, s1}, {c2, s2}} {
		c, s := pair[0], pair[1]
		var elected []*demoPerson
		for _, a := range c.appts {
			if a.post.leadership {
				d.appoint(a.person, seat, s, time.Time{}).by = appointment.ObtainedByEX_OFFICIO
			} else if a.end.IsZero() || c.status == term.StatusENDED {
				if a.start.Equal(c.start) {
					elected = append(elected, a.person)
				}
			}
		}
		if err := d.fillPosts(s, d.shuffled(elected), seat); err != nil {
			return err
		}
	}
	return nil
}

// fillPosts fills only the given posts of t.
func (d *demo) fillPosts(t *demoTerm, cands []*demoPerson, posts ...*demoPost) error {
	all := t.org.posts
	t.org.posts = posts
	defer func() { t.org.posts = all }()
	return d.fill(t, cands)
}

// placePastBranches fills the branches' ended terms, latest first, each
// carrying about half of its people over into the next.
func (d *demo) placePastBranches() error {
	for _, o := range d.branches {
		terms := o.terms
		for i := slices.Index(terms, o.active()) - 1; i >= 0; i-- {
			t := terms[i]
			if o.name == "Cardiology Branch" && i == 1 {
				d.appoint(d.person(7), o.postRanked(1), t, time.Time{}) // chair twice
			}
			if err := d.fill(t, d.pastCandidates(t, terms[i+1])); err != nil {
				return err
			}
		}
	}
	return nil
}

// placeCommittees fills the special committees: the active term first,
// then the ended one.
func (d *demo) placeCommittees() error {
	for _, o := range d.committees {
		t := o.active()
		if err := d.fill(t, d.shuffled(d.people[demoNotables:])); err != nil {
			return err
		}
		for i := slices.Index(o.terms, t) - 1; i >= 0; i-- {
			if err := d.fill(o.terms[i], d.pastCandidates(o.terms[i], o.terms[i+1])); err != nil {
				return err
			}
		}
	}
	return nil
}
