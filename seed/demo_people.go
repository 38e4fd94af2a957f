package seed

import (
	"slices"
	"time"

	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/person"
)

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
