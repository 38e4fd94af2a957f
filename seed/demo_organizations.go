package seed

import (
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/rules"
)

// ---------------------------------------------------------- organizations

// demoBody plans a branch or committee.
type demoBody struct {
	name, specialty      string
	viceChairs, members  int
	years                int // term length in the body's rules
	first                time.Time
	terms                int  // ended ones and the active one
	planned              bool // the next term is planned
	leaderMin, leaderMax int  // leadership ages; 0: 45 and the rules' limit
	memberMax            int  // oldest member at a term's start; 0: no limit
}

// demoBranches are the academic branches. Seven are current, three due
// within 90 days of DemoToday, two overdue; the three-term ones run
// four-year terms.
var demoBranches = []demoBody{
	{name: "Cardiology Branch", specialty: "Cardiology", viceChairs: 4, members: 30, years: 4, first: day(2015, 9, 1), terms: 3},
	{name: "Oncology Branch", specialty: "Oncology", viceChairs: 4, members: 36, years: 4, first: day(2016, 4, 1), terms: 3},
	{name: "Pediatrics Branch", specialty: "Pediatrics", viceChairs: 3, members: 30, years: 5, first: day(2016, 12, 15), terms: 2, planned: true},
	{name: "Nursing Branch", specialty: "Nursing", viceChairs: 4, members: 40, years: 5, first: day(2016, 10, 1), terms: 2},
	{name: "Medical Imaging Branch", specialty: "Medical Imaging", viceChairs: 3, members: 28, years: 4, first: day(2015, 12, 1), terms: 3},
	{name: "Laboratory Medicine Branch", specialty: "Laboratory Medicine", viceChairs: 3, members: 24, years: 5, first: day(2017, 1, 10), terms: 2},
	{name: "Rehabilitation Medicine Branch", specialty: "Rehabilitation Medicine", viceChairs: 3, members: 20, years: 5, first: day(2018, 11, 1), terms: 2},
	{name: "General Practice Branch", specialty: "General Practice", viceChairs: 3, members: 30, years: 5, first: day(2015, 7, 1), terms: 2},
	{name: "Health Management Branch", specialty: "Health Management", viceChairs: 3, members: 20, years: 5, first: day(2017, 2, 20), terms: 2},
	{name: "Pharmacy Branch", specialty: "Pharmacy", viceChairs: 3, members: 24, years: 4, first: day(2016, 11, 1), terms: 3},
	{name: "Hospital Management Branch", specialty: "Hospital Management", viceChairs: 4, members: 28, years: 5, first: day(2017, 3, 1), terms: 2},
	{name: "Traditional Chinese Medicine Branch", specialty: "Traditional Chinese Medicine", viceChairs: 3, members: 26, years: 4, first: day(2017, 6, 1), terms: 3},
}

var demoCommittees = []demoBody{
	{name: "Medical Ethics Committee", viceChairs: 2, members: 15, years: 5, first: day(2016, 1, 1), terms: 2, leaderMin: 45},
	{name: "Young Physicians Committee", viceChairs: 2, members: 15, years: 5, first: day(2018, 7, 1), terms: 2,
		leaderMin: 30, leaderMax: 45, memberMax: 45},
}

func (d *demo) org(kind organization.Kind, name string, parent *demoOrg, r rules.Rules) *demoOrg {
	o := &demoOrg{kind: kind, name: name, parent: parent, rules: r.WithDefaults(rules.Defaults(string(kind)))}
	d.orgs = append(d.orgs, o)
	return o
}

// addTerms gives o n terms of the given length from first: all ENDED but
// the last, ACTIVE, and a PLANNED one after it when planned is set.
func addTerms(o *demoOrg, first time.Time, years, n int, planned bool) {
	start := first
	total := n
	if planned {
		total++
	}
	for i := 1; i <= total; i++ {
		t := &demoTerm{org: o, ordinal: i, start: start, end: start.AddDate(years, 0, 0), status: term.StatusENDED}
		switch {
		case i == n:
			t.status = term.StatusACTIVE
		case i > n:
			t.status = term.StatusPLANNED
		}
		o.terms = append(o.terms, t)
		start = t.end
	}
}

func (o *demoOrg) post(title string, rank, seats int, leadership bool, by appointment.ObtainedBy) *demoPost {
	p := &demoPost{org: o, title: title, rank: rank, seats: seats, leadership: leadership, by: by}
	o.posts = append(o.posts, p)
	return p
}

// postRanked returns o's post of the given rank.
func (o *demoOrg) postRanked(rank int) *demoPost {
	for _, p := range o.posts {
		if p.rank == rank {
			return p
		}
	}
	panic(fmt.Sprintf("seed: %s has no post of rank %d", o.name, rank))
}

func (o *demoOrg) active() *demoTerm {
	for _, t := range o.terms {
		if t.status == term.StatusACTIVE {
			return t
		}
	}
	return nil
}

func (d *demo) makeOrganizations() {
	assoc := d.org(organization.KindASSOCIATION, "Lakeside High-Tech Zone Medical Association", nil, rules.Rules{})
	d.council = d.org(organization.KindCOUNCIL, "Council of the Lakeside High-Tech Zone Medical Association", assoc, rules.Rules{})
	d.standing = d.org(organization.KindSTANDING_COUNCIL, "Standing Council of the Lakeside High-Tech Zone Medical Association", d.council, rules.Rules{})
	for _, name := range []string{"General Office", "Membership Department", "Academic Affairs Department"} {
		d.org(organization.KindSECRETARIAT_DEPARTMENT, name, assoc, rules.Rules{})
	}
	for _, o := range []*demoOrg{assoc, d.council, d.standing} {
		addTerms(o, day(2015, 6, 1), 5, 2, false)
	}
	d.council.post("President", 1, 1, true, appointment.ObtainedByELECTED)
	d.council.post("Executive Vice President", 2, 1, true, appointment.ObtainedByELECTED)
	d.council.post("Vice President", 3, 6, true, appointment.ObtainedByELECTED)
	d.council.post("Secretary-General", 4, 1, true, appointment.ObtainedByELECTED)
	d.council.post("Council Member", 9, councilMembers, false, appointment.ObtainedByELECTED)
	d.standing.post("Standing Council Member", 9, standingSeats, false, appointment.ObtainedByELECTED)

	bodies := func(kind organization.Kind, plans []demoBody) []*demoOrg {
		var out []*demoOrg
		for _, b := range plans {
			r := rules.Rules{TermYears: b.years}
			if b.leaderMax != 0 {
				r.LeadershipAgeLimit = b.leaderMax
			}
			o := d.org(kind, b.name, assoc, r)
			o.specialty, o.body = b.specialty, b
			addTerms(o, b.first, b.years, b.terms, b.planned)
			by := appointment.ObtainedByELECTED
			if kind == organization.KindSPECIAL_COMMITTEE {
				by = appointment.ObtainedByAPPOINTED // the council appoints its committees
			}
			o.post("Chair", 1, 1, true, by)
			o.post("Vice Chair", 2, b.viceChairs, true, by)
			o.post("Secretary", 3, 1, false, appointment.ObtainedByAPPOINTED)
			o.post("Member", 9, b.members, false, by)
			out = append(out, o)
		}
		return out
	}
	d.branches = bodies(organization.KindACADEMIC_BRANCH, demoBranches)
	d.committees = bodies(organization.KindSPECIAL_COMMITTEE, demoCommittees)
}
