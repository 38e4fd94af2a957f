package seed

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
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
