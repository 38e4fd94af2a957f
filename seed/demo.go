package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
)

// DemoToday returns the day the demo society is drawn as of,
// 2026-11-23: its due and overdue terms, ages and current rosters are
// meant to be read on it.
func DemoToday() time.Time { return registry.Day(2026, time.November, 23) }

// The demo's shape; the package comment gives every count that follows.
const (
	demoPeople     = 800
	demoApplicants = 30 // the last member numbers, applied in 2026
	demoNotables   = 13 // M000001..M000013, placed by hand
	demoMaxBranch  = 3  // nobody sits on more branches at once
	councilMembers = 111
	standingSeats  = 40
)

// day is short for registry.Day.
func day(y int, m time.Month, d int) time.Time { return registry.Day(y, m, d) }

// later returns the later of two days.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// earlier returns the earlier of two days.
func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// span is a stretch of days [from, to); a zero to is open.
type span struct{ from, to time.Time }

func (s span) overlaps(o span) bool {
	return (o.to.IsZero() || s.from.Before(o.to)) && (s.to.IsZero() || o.from.Before(s.to))
}

type demoMove struct {
	from, to membership.Status // from "" for the first status
	on       time.Time
	reason   string
}

type demoPerson struct {
	n        int // member number, and id on a fresh database
	name     string
	given    string
	surname  string
	gender   person.Gender
	birth    time.Time // zero: unknown
	joined   time.Time
	status   membership.Status
	left     time.Time // the day the membership ended, if it did
	inactive time.Time // the day the person stopped being ACTIVE, if they did
	moves    []demoMove
	inst     *demoInstitution
	specialty,
	title string
	appts []*demoAppt
	ent   *ent.Person
}

// branchesDuring counts p's branch appointments that overlap s.
func (p *demoPerson) branchesDuring(s span) int {
	n := 0
	for _, a := range p.appts {
		if a.post.org.kind == organization.KindACADEMIC_BRANCH && s.overlaps(span{a.start, a.end}) {
			n++
		}
	}
	return n
}

// ageOn is the person's age on d, or -1 when the birth date is unknown.
func (p *demoPerson) ageOn(d time.Time) int {
	if p.birth.IsZero() {
		return -1
	}
	return registry.AgeOn(p.birth, d)
}

type demoInstitution struct {
	name   string
	kind   institution.Kind
	status membership.Status
	joined time.Time
	left   time.Time
	moves  []demoMove
	ent    *ent.Institution
}

type demoOrg struct {
	kind      organization.Kind
	name      string
	parent    *demoOrg
	rules     rules.Rules
	specialty string   // academic branches: the specialty they gather
	body      demoBody // branches and committees: their plan
	terms     []*demoTerm
	posts     []*demoPost
	ent       *ent.Organization
}

type demoTerm struct {
	org     *demoOrg
	ordinal int
	start   time.Time
	end     time.Time // planned, exclusive; the actual end of an ENDED term
	status  term.Status
	appts   []*demoAppt
	ent     *ent.Term
}

// over is the span the term's appointments may cover: to its end when it
// has ended, open when it has not.
func (t *demoTerm) over() span {
	if t.status == term.StatusENDED {
		return span{t.start, t.end}
	}
	return span{t.start, time.Time{}}
}

// holders reports who holds or held a post in the term.
func (t *demoTerm) holders() map[*demoPerson]bool {
	m := map[*demoPerson]bool{}
	for _, a := range t.appts {
		m[a.person] = true
	}
	return m
}

// sits reports whether p holds or held a post in the term.
func (t *demoTerm) sits(p *demoPerson) bool {
	return slices.ContainsFunc(p.appts, func(a *demoAppt) bool { return a.term == t })
}

// leads reports whether p holds or held a leadership post in the term.
func (t *demoTerm) leads(p *demoPerson) bool {
	for _, a := range t.appts {
		if a.person == p && a.post.leadership {
			return true
		}
	}
	return false
}

type demoPost struct {
	org        *demoOrg
	title      string
	rank       int
	seats      int
	leadership bool
	by         appointment.ObtainedBy // how its holders usually get it
	ent        *ent.Post
}

type demoAppt struct {
	person *demoPerson
	post   *demoPost
	term   *demoTerm
	start  time.Time
	end    time.Time // zero: held
	by     appointment.ObtainedBy
	reason appointment.EndReason // "" while held
	// replaced: the seat was filled again later in the term, by an
	// appointment that [demo.fill] makes (and moves to its later start).
	replaced bool
}

// demo builds the demo society in memory, then writes it.
type demo struct {
	r      *rand.Rand
	people []*demoPerson
	insts  []*demoInstitution
	orgs   []*demoOrg
	appts  []*demoAppt

	council, standing *demoOrg
	branches          []*demoOrg
	committees        []*demoOrg
}

// Demo loads the demo society (see the package comment) into an empty
// database in one transaction. dialect is "sqlite3" or "postgres".
func Demo(ctx context.Context, c *ent.Client, dialect string) error {
	d := &demo{r: rand.New(rand.NewPCG(20150601, 20261123))}
	if err := d.build(); err != nil {
		return err
	}
	return inTx(ctx, c, dialect, func(l *loader) error { return d.write(ctx, l) })
}

// build draws the whole society in memory; nothing touches the database.
func (d *demo) build() error {
	d.makeInstitutions()
	d.makePeople()
	d.makeOrganizations()
	for _, step := range []func() error{
		d.placeCurrentBranches,
		d.placeCouncil,
		d.placePastBranches,
		d.placeCommittees,
	} {
		if err := step(); err != nil {
			return err
		}
	}
	d.describePeople()
	return nil
}

// ---------------------------------------------------------------- people

var (
	demoSurnames = []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
		"Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
		"Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng",
		"Qin", "Xiao", "Tian", "Dong", "Yuan", "Pan", "Shen", "Jiang", "Cai", "Du"}
	demoGiven1 = []string{"Ming", "Jian", "Hui", "Xiao", "Wen", "Yu", "Zhi", "Jia", "Rui", "Hao",
		"Yi", "Qing", "Shu", "Chen", "Lan", "Ting", "Xin", "Yun", "Zhen", "Kai",
		"Mei", "Ning", "Bo", "Feng", "Li"}
	demoGiven2 = []string{"hua", "yang", "lin", "tao", "jie", "qian", "hong", "ping", "ying", "cheng",
		"xuan", "yue", "han", "rong", "kang", "fei", "bin", "wei", "lei", "jun",
		"yan", "nan", "heng", "dong", "shan"}
	// demoAvoid keeps well-known people's names out of the invented ones.
	demoAvoid = map[string]bool{"Zhong Nanshan": true, "Li Lanjuan": true, "Zhang Wenhong": true,
		"Wu Mengchao": true, "Tu Youyou": true, "Li Wenliang": true, "Zhang Boli": true,
		"Wang Chen": true, "Chen Wei": true, "Gao Fu": true, "Wu Jieping": true, "Lin Qiaozhi": true}
)

// notable is a person placed by hand; the package comment tells their
// story.
type notable struct {
	birth    time.Time
	status   membership.Status
	inactive time.Time
	reason   string
}

var demoNotable = []notable{
	1:  {birth: day(1955, 6, 1)},  // president of both councils
	2:  {birth: day(1954, 6, 2)},  // vice president, then executive vice president
	3:  {birth: day(1968, 9, 15)}, // secretary-general of both councils
	4:  {birth: day(1950, 3, 3), status: membership.StatusLAPSED, inactive: day(2024, 8, 1), reason: "retired"},
	5:  {birth: day(1956, 12, 15)}, // Pediatrics chair
	6:  {birth: day(1956, 1, 10)},  // Laboratory Medicine vice chair
	7:  {birth: day(1963, 4, 18)},  // Cardiology chair, twice
	8:  {birth: day(1957, 2, 21)},  // Health Management chair
	9:  {birth: day(1961, 8, 8), status: membership.StatusDECEASED, inactive: day(2024, 11, 3), reason: "deceased"},
	10: {birth: day(1972, 5, 5), status: membership.StatusEXPELLED, inactive: day(2025, 9, 30), reason: "breach of the code of professional ethics"},
	11: {birth: day(1973, 2, 14)}, // resigned as Nursing secretary
	12: {birth: day(1949, 10, 10), status: membership.StatusDECEASED, inactive: day(2024, 3, 12), reason: "deceased"},
	13: {birth: day(1966, 7, 7), status: membership.StatusLAPSED, inactive: day(2025, 10, 15), reason: "resigned"},
}

// randDay returns a day in [lo, hi].
func (d *demo) randDay(lo, hi time.Time) time.Time {
	n := int(hi.Sub(lo).Hours() / 24)
	if n <= 0 {
		return lo
	}
	return lo.AddDate(0, 0, d.r.IntN(n+1))
}

// name invents a name not taken yet.
func (d *demo) name(taken map[string]bool) (surname, given string) {
	for {
		surname = demoSurnames[d.r.IntN(len(demoSurnames))]
		given = demoGiven1[d.r.IntN(len(demoGiven1))] + demoGiven2[d.r.IntN(len(demoGiven2))]
		full := surname + " " + given
		if !taken[full] && !demoAvoid[full] {
			taken[full] = true
			return surname, given
		}
	}
}

// makePeople draws the people: names, genders, joining days, statuses
// with their histories, and birth dates.
func (d *demo) makePeople() {
	taken := map[string]bool{}
	first, last := day(1998, 3, 1), day(2024, 12, 31)
	members := demoPeople - demoApplicants
	span := int(last.Sub(first).Hours() / 24)
	for n := 1; n <= demoPeople; n++ {
		p := &demoPerson{n: n, status: membership.StatusACTIVE}
		p.surname, p.given = d.name(taken)
		p.name = p.surname + " " + p.given
		switch {
		case n%20 == 0:
			p.gender = person.GenderUNDISCLOSED
		case n%2 == 0:
			p.gender = person.GenderFEMALE
		default:
			p.gender = person.GenderMALE
		}
		// Member numbers follow the order of joining.
		if n <= members {
			p.joined = first.AddDate(0, 0, (n-1)*span/(members-1))
		} else {
			p.joined = day(2026, 6, 1).AddDate(0, 0, (n-members-1)*5)
			p.status = membership.StatusAPPLICANT
		}
		d.people = append(d.people, p)
	}

	// Statuses other than ACTIVE, drawn among the generic members.
	generic := d.people[demoNotables : demoPeople-demoApplicants]
	order := d.r.Perm(len(generic))
	type group struct {
		n      int
		status membership.Status
		reason string
	}
	groups := []group{
		{20, membership.StatusSUSPENDED, "membership dues unpaid"},
		{9, membership.StatusLAPSED, "retired"},
		{9, membership.StatusLAPSED, "resigned"},
		{10, membership.StatusLAPSED, "not renewed"},
		{4, membership.StatusEXPELLED, "breach of the code of professional ethics"},
		{13, membership.StatusDECEASED, "deceased"},
	}
	k := 0
	reasons := map[*demoPerson]string{}
	for _, g := range groups {
		for range g.n {
			p := generic[order[k]]
			k++
			p.status = g.status
			reasons[p] = g.reason
		}
	}
	// Among the ACTIVE rest: 10 without a birth date, 20 once suspended
	// and 10 once lapsed (both before the first council).
	var noBirth, suspendedOnce, lapsedOnce []*demoPerson
	for _, i := range order[k:] {
		p := generic[i]
		switch {
		case len(noBirth) < 10:
			noBirth = append(noBirth, p)
		case p.joined.Before(day(2007, 1, 1)) && len(suspendedOnce) < 20:
			suspendedOnce = append(suspendedOnce, p)
		case p.joined.Before(day(2007, 1, 1)) && len(lapsedOnce) < 10:
			lapsedOnce = append(lapsedOnce, p)
		}
	}

	for _, p := range d.people {
		var nb notable
		if p.n < len(demoNotable) {
			nb = demoNotable[p.n]
			if nb.status != "" {
				p.status, p.inactive, reasons[p] = nb.status, nb.inactive, nb.reason
			}
		}
		// History: applied a month before joining, then admitted.
		if p.status == membership.StatusAPPLICANT {
			p.moves = []demoMove{{to: membership.StatusAPPLICANT, on: p.joined, reason: "application received"}}
		} else {
			p.moves = []demoMove{
				{to: membership.StatusAPPLICANT, on: p.joined.AddDate(0, 0, -30), reason: "application received"},
				{from: membership.StatusAPPLICANT, to: membership.StatusACTIVE, on: p.joined, reason: "admitted"},
			}
		}
		switch {
		case slices.Contains(suspendedOnce, p):
			on := d.randDay(day(2008, 1, 1), day(2011, 12, 31))
			back := on.AddDate(0, 0, 60+d.r.IntN(240))
			p.moves = append(p.moves,
				demoMove{membership.StatusACTIVE, membership.StatusSUSPENDED, on, "membership dues unpaid"},
				demoMove{membership.StatusSUSPENDED, membership.StatusACTIVE, back, "dues paid"})
		case slices.Contains(lapsedOnce, p):
			on := d.randDay(day(2008, 1, 1), day(2012, 12, 31))
			back := on.AddDate(0, 0, 200+d.r.IntN(500))
			p.moves = append(p.moves,
				demoMove{membership.StatusACTIVE, membership.StatusLAPSED, on, "not renewed"},
				demoMove{membership.StatusLAPSED, membership.StatusACTIVE, back, "readmitted"})
		}
		if p.status != membership.StatusACTIVE && p.status != membership.StatusAPPLICANT {
			reason := reasons[p]
			if p.inactive.IsZero() {
				lo := later(day(2024, 7, 1), p.joined.AddDate(0, 0, 180))
				hi := day(2026, 10, 31)
				if reason == "not renewed" {
					hi = day(2025, 6, 30)
				}
				p.inactive = d.randDay(lo, hi)
			}
			if reason == "not renewed" {
				// Suspended for unpaid dues, lapsed a year later.
				p.moves = append(p.moves,
					demoMove{membership.StatusACTIVE, membership.StatusSUSPENDED, p.inactive, "membership dues unpaid"},
					demoMove{membership.StatusSUSPENDED, membership.StatusLAPSED, p.inactive.AddDate(1, 0, 0), reason})
				p.left = p.inactive.AddDate(1, 0, 0)
			} else {
				p.moves = append(p.moves, demoMove{membership.StatusACTIVE, p.status, p.inactive, reason})
				if p.status != membership.StatusSUSPENDED {
					p.left = p.inactive
				}
			}
		}
		// Birth dates: members joined at 24 or older.
		switch {
		case !nb.birth.IsZero():
			p.birth = nb.birth
		case slices.Contains(noBirth, p):
		case p.status == membership.StatusAPPLICANT:
			p.birth = d.randDay(day(1962, 1, 1), day(2000, 12, 31))
		case reasons[p] == "retired":
			p.birth = d.randDay(day(1948, 1, 1), day(1958, 12, 31))
		default:
			p.birth = d.randDay(day(1950, 1, 1), earlier(day(1996, 12, 31), p.joined.AddDate(-24, 0, 0)))
		}
	}
}

// ---------------------------------------------------------- institutions

var demoInstitutions = []struct {
	name string
	kind institution.Kind
}{
	{"Lakeside First People's Hospital", institution.KindHOSPITAL},
	{"Lakeside Second People's Hospital", institution.KindHOSPITAL},
	{"Lakeside Third People's Hospital", institution.KindHOSPITAL},
	{"Lakeside High-Tech Zone Central Hospital", institution.KindHOSPITAL},
	{"Lakeside Children's Hospital", institution.KindHOSPITAL},
	{"Lakeside Maternal and Child Health Hospital", institution.KindHOSPITAL},
	{"Lakeside Cancer Hospital", institution.KindHOSPITAL},
	{"Lakeside Cardiovascular Hospital", institution.KindHOSPITAL},
	{"Lakeside Hospital of Traditional Chinese Medicine", institution.KindHOSPITAL},
	{"Lakeside Rehabilitation Hospital", institution.KindHOSPITAL},
	{"Lakeside Eastbank District Hospital", institution.KindHOSPITAL},
	{"Lakeside Westgate District Hospital", institution.KindHOSPITAL},
	{"Software Park Community Health Center", institution.KindHOSPITAL},
	{"Innovation Valley Community Health Center", institution.KindHOSPITAL},
	{"Lakeside Stomatological Hospital", institution.KindHOSPITAL},
	{"Lakeside Eye Hospital", institution.KindHOSPITAL},
	{"Lakeside Mental Health Center", institution.KindHOSPITAL},
	{"Lakeside Medical University Affiliated Hospital", institution.KindHOSPITAL},
	{"Lakeside Medical University", institution.KindUNIVERSITY},
	{"Lakeside University School of Medicine", institution.KindUNIVERSITY},
	{"Lakeside Institute of Technology", institution.KindUNIVERSITY},
	{"Lakeside Nursing College", institution.KindUNIVERSITY},
	{"Lakeside Vocational College of Health Sciences", institution.KindUNIVERSITY},
	{"Lakeside University of Traditional Chinese Medicine", institution.KindUNIVERSITY},
	{"Lakeside Institute of Biomedical Engineering", institution.KindINSTITUTE},
	{"Lakeside Institute of Clinical Pharmacology", institution.KindINSTITUTE},
	{"High-Tech Zone Health Data Research Institute", institution.KindINSTITUTE},
	{"Lakeside Center for Disease Control and Prevention", institution.KindGOVERNMENT},
	{"Bluefin Medical Devices Co., Ltd.", institution.KindCOMPANY},
	{"Cedarpeak Biopharmaceuticals Co., Ltd.", institution.KindCOMPANY},
	{"Harborlight Diagnostics Co., Ltd.", institution.KindCOMPANY},
	{"Silverstream Imaging Technology Co., Ltd.", institution.KindCOMPANY},
	{"Jadeleaf Pharmaceutical Co., Ltd.", institution.KindCOMPANY},
	{"Windmere Health Information Co., Ltd.", institution.KindCOMPANY},
	{"Quietwater Rehabilitation Equipment Co., Ltd.", institution.KindCOMPANY},
	{"Sunridge Laboratory Services Co., Ltd.", institution.KindCOMPANY},
	{"Greenlake Medical Logistics Co., Ltd.", institution.KindCOMPANY},
	{"Ninefold Gene Technology Co., Ltd.", institution.KindCOMPANY},
	{"Brightmoor Health Management Co., Ltd.", institution.KindCOMPANY},
	{"Kestrel Surgical Robotics Co., Ltd.", institution.KindCOMPANY},
}

func (d *demo) makeInstitutions() {
	for i, in := range demoInstitutions {
		n := i + 1
		u := &demoInstitution{name: in.name, kind: in.kind, status: membership.StatusACTIVE}
		switch {
		case n <= 20:
			u.joined = day(2015, 6, 1) // founding unit members
		case n <= 38:
			u.joined = day(2016, 1, 15).AddDate(0, 0, (n-21)*120)
		case n == 39:
			u.joined, u.status = day(2026, 9, 1), membership.StatusAPPLICANT
		default:
			u.joined, u.status = day(2026, 10, 15), membership.StatusAPPLICANT
		}
		if u.status == membership.StatusAPPLICANT {
			u.moves = []demoMove{{to: membership.StatusAPPLICANT, on: u.joined, reason: "application received"}}
		} else {
			u.moves = []demoMove{
				{to: membership.StatusAPPLICANT, on: u.joined.AddDate(0, 0, -30), reason: "application received"},
				{from: membership.StatusAPPLICANT, to: membership.StatusACTIVE, on: u.joined, reason: "admitted"},
			}
		}
		switch n {
		case 31:
			u.status = membership.StatusSUSPENDED
			u.moves = append(u.moves, demoMove{membership.StatusACTIVE, membership.StatusSUSPENDED, day(2025, 3, 1), "membership dues unpaid"})
		case 36:
			u.status, u.left = membership.StatusLAPSED, day(2024, 12, 31)
			u.moves = append(u.moves, demoMove{membership.StatusACTIVE, membership.StatusLAPSED, u.left, "not renewed"})
		}
		d.insts = append(d.insts, u)
	}
}

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

// ------------------------------------------------------------- describing

var demoOtherSpecialties = []string{"Neurology", "General Surgery", "Orthopedics", "Anesthesiology",
	"Obstetrics and Gynecology", "Emergency Medicine", "Respiratory Medicine", "Endocrinology",
	"Stomatology", "Ophthalmology", "Dermatology", "Psychiatry"}

// titles by seniority, most senior first.
var (
	physicianTitles    = []string{"Chief Physician", "Associate Chief Physician", "Attending Physician", "Resident Physician"}
	nurseTitles        = []string{"Chief Nurse", "Associate Chief Nurse", "Nurse-in-Charge", "Senior Nurse"}
	pharmacistTitles   = []string{"Chief Pharmacist", "Associate Chief Pharmacist", "Pharmacist-in-Charge", "Pharmacist"}
	technologistTitles = []string{"Chief Technologist", "Associate Chief Technologist", "Technologist-in-Charge", "Technologist"}
	researcherTitles   = []string{"Research Fellow", "Associate Research Fellow", "Assistant Research Fellow", "Research Assistant"}
	professorTitles    = []string{"Professor", "Associate Professor", "Lecturer", "Assistant Lecturer"}
	engineerTitles     = []string{"Professorate Senior Engineer", "Senior Engineer", "Engineer", "Assistant Engineer"}
)

// describePeople gives everyone an institution, a specialty (their first
// branch's, when they sit on one) and a title fitting both, their age and
// whether they lead.
func (d *demo) describePeople() {
	first := map[*demoPerson]string{}
	leader := map[*demoPerson]bool{}
	for _, a := range d.appts {
		if s := a.post.org.specialty; s != "" && first[a.person] == "" {
			first[a.person] = s
		}
		leader[a.person] = leader[a.person] || a.post.leadership
	}
	specialties := slices.Concat(func() []string {
		var s []string
		for _, b := range demoBranches {
			s = append(s, b.specialty)
		}
		return s
	}(), demoOtherSpecialties)
	for _, p := range d.people {
		switch w := d.r.IntN(100); {
		case w < 72:
			p.inst = d.insts[d.r.IntN(18)]
		case w < 84:
			p.inst = d.insts[18+d.r.IntN(6)]
		case w < 90:
			p.inst = d.insts[24+d.r.IntN(4)]
		default:
			p.inst = d.insts[28+d.r.IntN(12)]
		}
		p.specialty = first[p]
		if p.specialty == "" {
			p.specialty = specialties[d.r.IntN(len(specialties))]
		}
		level := 2
		if age := p.ageOn(DemoToday()); age >= 0 {
			switch {
			case age >= 52:
				level = 0
			case age >= 44:
				level = 1
			case age >= 35:
				level = 2
			default:
				level = 3
			}
		}
		if d.r.IntN(4) == 0 && level < 3 {
			level++
		}
		if leader[p] {
			level = min(level, 1) // leaders are senior
		}
		titles := physicianTitles
		switch {
		case p.specialty == "Nursing":
			titles = nurseTitles
		case p.specialty == "Pharmacy":
			titles = pharmacistTitles
		case p.specialty == "Laboratory Medicine":
			titles = technologistTitles
		case p.inst.kind == institution.KindUNIVERSITY:
			titles = professorTitles
		case p.inst.kind == institution.KindCOMPANY:
			titles = engineerTitles
		case p.specialty == "Hospital Management" || p.specialty == "Health Management" ||
			p.inst.kind == institution.KindINSTITUTE || p.inst.kind == institution.KindGOVERNMENT:
			titles = researcherTitles
		}
		p.title = titles[level]
	}
}

// ----------------------------------------------------------------- writing

// write inserts the society, parents before children, in statements of
// l.rows rows.
func (d *demo) write(ctx context.Context, l *loader) error {
	tx := l.tx
	var ib []*ent.InstitutionCreate
	for _, u := range d.insts {
		ib = append(ib, tx.Institution.Create().SetName(u.name).SetKind(u.kind))
	}
	is, err := bulk(ctx, l, "institutions", ib, func(ctx context.Context, b ...*ent.InstitutionCreate) ([]*ent.Institution, error) {
		return tx.Institution.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range is {
		d.insts[i].ent = e
	}

	var pb []*ent.PersonCreate
	for _, p := range d.people {
		b := tx.Person.Create().
			SetName(p.name).
			SetGender(p.gender).
			SetProfessionalTitle(p.title).
			SetSpecialty(p.specialty).
			SetInstitutionID(p.inst.ent.ID).
			SetEmail(fmt.Sprintf("%s.%s.%d@members.lakeside-med.example", strings.ToLower(p.given), strings.ToLower(p.surname), p.n)).
			SetPhone(fmt.Sprintf("+86 000 %04d %04d", 1000+p.n/100, p.n))
		if !p.birth.IsZero() {
			b.SetBirthDate(p.birth)
		}
		pb = append(pb, b)
	}
	ps, err := bulk(ctx, l, "people", pb, func(ctx context.Context, b ...*ent.PersonCreate) ([]*ent.Person, error) {
		return tx.Person.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range ps {
		d.people[i].ent = e
	}

	// Memberships: individuals in member-number order, then units.
	type holder struct {
		number string
		status membership.Status
		joined time.Time
		left   time.Time
		moves  []demoMove
		person *demoPerson
		inst   *demoInstitution
	}
	var hs []holder
	for _, p := range d.people {
		hs = append(hs, holder{fmt.Sprintf("M%06d", p.n), p.status, p.joined, p.left, p.moves, p, nil})
	}
	for i, u := range d.insts {
		hs = append(hs, holder{fmt.Sprintf("U%04d", i+1), u.status, u.joined, u.left, u.moves, nil, u})
	}
	var mb []*ent.MembershipCreate
	for _, h := range hs {
		b := tx.Membership.Create().SetMemberNumber(h.number).SetStatus(h.status).SetJoinedOn(h.joined)
		if h.person != nil {
			b.SetKind(membership.KindINDIVIDUAL).SetPersonID(h.person.ent.ID)
		} else {
			b.SetKind(membership.KindUNIT).SetInstitutionID(h.inst.ent.ID)
		}
		if !h.left.IsZero() {
			b.SetLeftOn(h.left)
		}
		mb = append(mb, b)
	}
	ms, err := bulk(ctx, l, "memberships", mb, func(ctx context.Context, b ...*ent.MembershipCreate) ([]*ent.Membership, error) {
		return tx.Membership.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	var sb []*ent.StatusChangeCreate
	for i, h := range hs {
		for _, m := range h.moves {
			b := tx.StatusChange.Create().
				SetMembershipID(ms[i].ID).
				SetToStatus(statuschange.ToStatus(m.to)).
				SetEffectiveOn(m.on).
				SetRecordedAt(m.on).
				SetReason(m.reason)
			if m.from != "" {
				b.SetFromStatus(statuschange.FromStatus(m.from))
			}
			sb = append(sb, b)
		}
	}
	if _, err := bulk(ctx, l, "status changes", sb, func(ctx context.Context, b ...*ent.StatusChangeCreate) ([]*ent.StatusChange, error) {
		return tx.StatusChange.CreateBulk(b...).Save(ctx)
	}); err != nil {
		return err
	}

	// Organizations one by one: each needs its parent's id.
	for _, o := range d.orgs {
		b := tx.Organization.Create().SetKind(o.kind).SetName(o.name).SetRules(o.rules)
		if o.parent != nil {
			b.SetParentID(o.parent.ent.ID)
		}
		if o.ent, err = b.Save(ctx); err != nil {
			return fmt.Errorf("seed: insert organization %q: %w", o.name, err)
		}
	}
	var tb []*ent.TermCreate
	var terms []*demoTerm
	var qb []*ent.PostCreate
	var posts []*demoPost
	for _, o := range d.orgs {
		for _, t := range o.terms {
			b := tx.Term.Create().
				SetOrganizationID(o.ent.ID).
				SetOrdinal(t.ordinal).
				SetName(termName(o.kind, t.ordinal)).
				SetStartsOn(t.start).
				SetEndsOn(t.end).
				SetStatus(t.status)
			if t.status == term.StatusENDED {
				b.SetActualEnd(t.end)
			}
			tb = append(tb, b)
			terms = append(terms, t)
		}
		for _, p := range o.posts {
			qb = append(qb, tx.Post.Create().
				SetOrganizationID(o.ent.ID).
				SetTitle(p.title).
				SetRank(p.rank).
				SetSeats(p.seats).
				SetLeadership(p.leadership))
			posts = append(posts, p)
		}
	}
	ts, err := bulk(ctx, l, "terms", tb, func(ctx context.Context, b ...*ent.TermCreate) ([]*ent.Term, error) {
		return tx.Term.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range ts {
		terms[i].ent = e
	}
	qs, err := bulk(ctx, l, "posts", qb, func(ctx context.Context, b ...*ent.PostCreate) ([]*ent.Post, error) {
		return tx.Post.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range qs {
		posts[i].ent = e
	}

	// Appointments by term, post, start and member number.
	appts := slices.Clone(d.appts)
	slices.SortStableFunc(appts, func(a, b *demoAppt) int {
		if c := a.term.ent.ID - b.term.ent.ID; c != 0 {
			return c
		}
		if c := a.post.ent.ID - b.post.ent.ID; c != 0 {
			return c
		}
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return a.person.n - b.person.n
	})
	var ab []*ent.AppointmentCreate
	for _, a := range appts {
		b := tx.Appointment.Create().
			SetPersonID(a.person.ent.ID).
			SetPostID(a.post.ent.ID).
			SetTermID(a.term.ent.ID).
			SetStartsOn(a.start).
			SetObtainedBy(a.by)
		if !a.end.IsZero() {
			b.SetEndsOn(a.end).SetEndReason(a.reason)
		}
		ab = append(ab, b)
	}
	_, err = bulk(ctx, l, "appointments", ab, func(ctx context.Context, b ...*ent.AppointmentCreate) ([]*ent.Appointment, error) {
		return tx.Appointment.CreateBulk(b...).Save(ctx)
	})
	return err
}
