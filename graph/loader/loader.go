// Package loader holds the per-request dataloaders of the GraphQL layer:
// every related row is read through them, so one level of a query costs
// one statement per kind of row, whatever the page size. Lists are read
// one page per parent in a single windowed statement, and joined rows
// (an appointment's post and person) prime the loaders they belong to.
package loader

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
)

// Options tune the loaders.
type Options struct {
	// BatchCapacity caps the keys of one statement (default 500).
	BatchCapacity int
}

func (o Options) withDefaults() Options {
	if o.BatchCapacity == 0 {
		o.BatchCapacity = 500
	}
	return o
}

// PageKey names one page of a per-parent list; Filter holds the field's
// other arguments in a canonical form.
type PageKey struct {
	Parent int
	Page   PageArgs
	Filter string
}

// CountKey names one parent's total of a list under a filter.
type CountKey struct {
	Parent int
	Filter string
}

// Loaders are one request's loaders, reading what one viewer may see.
type Loaders struct {
	db     db
	viewer *registry.Viewer
	today  time.Time
	// orgs is the viewer's reach of ReadOrganization, private its reach
	// of ReadPrivate.
	orgs, private scope
	// gen counts the resets; mu orders them against the priming of rows
	// read by batches (see [Loaders.Reset]).
	mu  sync.RWMutex
	gen uint64

	Person       *Loader[int, *ent.Person]
	Institution  *Loader[int, *ent.Institution]
	Membership   *Loader[int, *ent.Membership]
	Organization *Loader[int, *ent.Organization]
	Term         *Loader[int, *ent.Term]
	Post         *Loader[int, *ent.Post]
	Appointment  *Loader[int, *ent.Appointment]
	StatusChange *Loader[int, *ent.StatusChange]
	// AuditEvent loads events of the audit trail, for viewers who may
	// read it.
	AuditEvent *Loader[int, *ent.AuditEvent]

	// MembershipOfPerson and MembershipOfInstitution find a holder's
	// membership (nil when it has none).
	MembershipOfPerson      *Loader[int, *ent.Membership]
	MembershipOfInstitution *Loader[int, *ent.Membership]
	// CurrentTerm finds an organization's ACTIVE term (nil when none).
	CurrentTerm *Loader[int, *ent.Term]

	// TermAppointments is a term's roster; Filter is "" or an as-of day.
	TermAppointments *ListLoader[*ent.Appointment]
	// OrganizationRoster is who held the organization's posts on the day
	// in Filter.
	OrganizationRoster *ListLoader[*ent.Appointment]
	// PersonAppointments is a person's appointments, newest first.
	PersonAppointments *ListLoader[*ent.Appointment]
	// OrganizationTerms lists terms, newest first.
	OrganizationTerms *ListLoader[*ent.Term]
	// OrganizationPosts lists posts by rank.
	OrganizationPosts *ListLoader[*ent.Post]
	// OrganizationChildren lists sub-organizations by name; Filter is ""
	// or a kind.
	OrganizationChildren *ListLoader[*ent.Organization]
	// InstitutionPeople lists the people of an institution by name.
	InstitutionPeople *ListLoader[*ent.Person]
	// MembershipHistory lists status changes in the order they took
	// effect.
	MembershipHistory *ListLoader[*ent.StatusChange]

	// Predecessor and Successor find the organization's term numbered
	// before and after a term (nil when none).
	Predecessor, Successor *Loader[int, *ent.Term]
	// TermDeferrals lists a term's deferrals, earliest first.
	TermDeferrals *Loader[int, []*ent.Deferral]
	// PersonTenures lists a person's runs of consecutive terms on a
	// post, latest first.
	PersonTenures *Loader[int, []*Tenure]

	// Meetings loads assemblies, meetings, motions and votes (nil when
	// the loaders read through a plain querier rather than ent).
	Meetings *Meetings
	// Elections loads elections, candidates, rounds and ballots (nil
	// when Meetings is).
	Elections *Elections

	// SitsInScope tells whether a person sits in an organization where
	// the viewer may read private contact data: holds an appointment to
	// one of its posts whose ends_on is NULL or after today.
	SitsInScope *Loader[int, bool]
}

// ListLoader loads pages and totals of one per-parent list.
type ListLoader[T any] struct {
	Page  *Loader[PageKey, *Page[T]]
	Count *Loader[CountKey, int]
}

// New returns fresh loaders reading through q, a client of the named
// dialect, what viewer v may see (nil: an anonymous caller, who sees
// nothing); today decides who sits in an organization now.
func New(q Querier, dialectName string, v *registry.Viewer, today time.Time, opt Options) *Loaders {
	opt = opt.withDefaults()
	l := &Loaders{db: db{q: q, dialect: dialectName}, viewer: v, today: today,
		orgs: newScope(v, registry.ReadOrganization), private: newScope(v, registry.ReadPrivate)}
	d := l.db
	dir := l.directory()
	l.Person = byID(d, opt, "people", personCols, personDest, func(p *ent.Person) int { return p.ID }, dir)
	l.Institution = byID(d, opt, "institutions", institutionCols, institutionDest, func(i *ent.Institution) int { return i.ID }, dir)
	l.Membership = byID(d, opt, "memberships", membershipCols, membershipDest, func(m *ent.Membership) int { return m.ID }, dir)
	l.Organization = byID(d, opt, "organizations", organizationCols, organizationDest, func(o *ent.Organization) int { return o.ID },
		l.organization("t.id", ""))
	l.Term = byID(d, opt, "terms", termCols, termDest, func(t *ent.Term) int { return t.ID },
		l.organization("t.organization_id", ""))
	l.Post = byID(d, opt, "posts", postCols, postDest, func(p *ent.Post) int { return p.ID },
		l.organization("t.organization_id", ""))
	// An appointment belongs to the organization of its post.
	l.Appointment = byID(d, opt, "appointments", appointmentCols, appointmentDest, func(a *ent.Appointment) int { return a.ID },
		l.organization("ap.organization_id", " JOIN posts ap ON ap.id = t.post_id"))
	l.StatusChange = byID(d, opt, "status_changes", statusChangeCols, statusChangeDest, func(s *ent.StatusChange) int { return s.ID }, dir)
	l.AuditEvent = byID(d, opt, "audit_events", auditEventCols, auditEventDest, func(e *ent.AuditEvent) int { return e.ID },
		gate{refuse: l.ReadAudit()})

	l.MembershipOfPerson = byColumn(d, opt, "memberships", "person_id", "", membershipCols, membershipDest,
		func(m *ent.Membership) int { return deref(m.PersonID) }, dir)
	l.MembershipOfInstitution = byColumn(d, opt, "memberships", "institution_id", "", membershipCols, membershipDest,
		func(m *ent.Membership) int { return deref(m.InstitutionID) }, dir)
	l.CurrentTerm = byColumn(d, opt, "terms", "organization_id", fmt.Sprintf("status = '%s'", term.StatusACTIVE), termCols, termDest,
		func(t *ent.Term) int { return t.OrganizationID }, l.organization("t.organization_id", ""))

	l.TermAppointments = newList(l, opt, l.termAppointments, l.scanRosterRow)
	l.OrganizationRoster = newList(l, opt, l.organizationRoster, l.scanRosterRow)
	l.PersonAppointments = newList(l, opt, l.personAppointments, l.scanHistoryRow)
	l.OrganizationTerms = newList(l, opt, l.organizationTerms, scanTerm)
	l.OrganizationPosts = newList(l, opt, l.organizationPosts, scanPost)
	l.OrganizationChildren = newList(l, opt, l.organizationChildren, scanOrganization)
	l.InstitutionPeople = newList(l, opt, institutionPeople, scanPerson)
	l.MembershipHistory = newList(l, opt, membershipHistory, scanStatusChange)
	l.Predecessor = l.neighbourTerms(opt, true)
	l.Successor = l.neighbourTerms(opt, false)
	l.TermDeferrals = l.termDeferrals(opt)
	l.PersonTenures = l.personTenures(opt)
	l.SitsInScope = l.sitsIn(opt, l.private)
	if c, ok := q.(*ent.Client); ok {
		l.Meetings = newMeetings(c, v, l.orgs, opt)
		l.Elections = newElections(c, l.Meetings, opt)
	}
	return l
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// byID loads rows of table by primary key; a missing row loads as nil,
// a row g refuses as its error.
func byID[E any](d db, opt Options, table string, columns []string, dest func(*E) []any, id func(*E) int, g gate) *Loader[int, *E] {
	return byColumn(d, opt, table, "id", "", columns, dest, id, g)
}

// byColumn loads, for each key, the one row of table whose column equals
// it (and that meets where); key reads that column back from a scanned
// row. A key with no row loads as nil; a row g refuses loads as g's
// error, its organization being read in the same statement.
func byColumn[E any](d db, opt Options, table, column, where string, columns []string, dest func(*E) []any, key func(*E) int, g gate) *Loader[int, *E] {
	batch := func(ctx context.Context, keys []int) []*dataloader.Result[*E] {
		out := make([]*dataloader.Result[*E], len(keys))
		if g.refuse != nil {
			for i := range out {
				out[i] = &dataloader.Result[*E]{Error: g.refuse}
			}
			return out
		}
		list, args := in(keys)
		sel := cols("t", columns)
		if g.org != "" {
			sel += ", " + g.org
		}
		q := fmt.Sprintf("SELECT %s FROM %s t%s WHERE t.%s IN %s", sel, table, g.join, column, list)
		if where != "" {
			q += " AND t." + where
		}
		found := make(map[int]*E, len(keys))
		refused := map[int]error{}
		rows, err := d.query(ctx, q, args...)
		if err == nil {
			err = scanAll(ctx, rows, func() ([]any, func()) {
				row := new(E)
				targets := dest(row)
				var org int
				if g.org != "" {
					targets = append(targets, &org)
				}
				return targets, func() {
					k := key(row)
					if g.org != "" {
						if err := g.allow(org); err != nil {
							refused[k] = err
							return
						}
					}
					found[k] = row
				}
			})
		}
		for i, k := range keys {
			switch {
			case err != nil:
				out[i] = &dataloader.Result[*E]{Error: fmt.Errorf("loader: read %s: %w", table, err)}
			case refused[k] != nil:
				out[i] = &dataloader.Result[*E]{Error: refused[k]}
			default:
				out[i] = &dataloader.Result[*E]{Data: found[k]}
			}
		}
		return out
	}
	return newLoader(batch, opt)
}

// newList makes the page and count loaders of a per-parent list; spec
// builds the list for a filter.
func newList[T any](l *Loaders, opt Options, spec func(filter string) (List, error), scan func(context.Context) scanner[T]) *ListLoader[T] {
	pages := func(ctx context.Context, keys []PageKey) []*dataloader.Result[*Page[T]] {
		type group struct {
			page    PageArgs
			filter  string
			parents []int
		}
		var groups []*group
		index := map[[2]any]*group{}
		for _, k := range keys {
			g := index[[2]any{k.Page, k.Filter}]
			if g == nil {
				g = &group{page: k.Page, filter: k.Filter}
				index[[2]any{k.Page, k.Filter}] = g
				groups = append(groups, g)
			}
			g.parents = append(g.parents, k.Parent)
		}
		found := map[PageKey]*Page[T]{}
		failed := map[[2]any]error{}
		for _, g := range groups {
			list, err := spec(g.filter)
			var got map[int]*Page[T]
			if err == nil {
				got, err = fetchPages(ctx, l.db, list, g.parents, g.page, scan(ctx))
			}
			if err != nil {
				failed[[2]any{g.page, g.filter}] = err
				continue
			}
			for _, p := range g.parents {
				found[PageKey{Parent: p, Page: g.page, Filter: g.filter}] = got[p]
			}
		}
		out := make([]*dataloader.Result[*Page[T]], len(keys))
		for i, k := range keys {
			if err := failed[[2]any{k.Page, k.Filter}]; err != nil {
				out[i] = &dataloader.Result[*Page[T]]{Error: err}
				continue
			}
			p := found[k]
			if p == nil {
				p = &Page[T]{HasPrev: k.Page.After != "" && k.Page.First > 0, HasNext: k.Page.Before != "" && k.Page.Last > 0}
			}
			out[i] = &dataloader.Result[*Page[T]]{Data: p}
		}
		return out
	}
	counts := func(ctx context.Context, keys []CountKey) []*dataloader.Result[int] {
		byFilter := map[string][]int{}
		var order []string
		for _, k := range keys {
			if _, ok := byFilter[k.Filter]; !ok {
				order = append(order, k.Filter)
			}
			byFilter[k.Filter] = append(byFilter[k.Filter], k.Parent)
		}
		found := map[CountKey]int{}
		failed := map[string]error{}
		for _, f := range order {
			list, err := spec(f)
			var got map[int]int
			if err == nil {
				got, err = fetchCounts(ctx, l.db, list, byFilter[f])
			}
			if err != nil {
				failed[f] = err
				continue
			}
			for p, c := range got {
				found[CountKey{Parent: p, Filter: f}] = c
			}
		}
		out := make([]*dataloader.Result[int], len(keys))
		for i, k := range keys {
			if err := failed[k.Filter]; err != nil {
				out[i] = &dataloader.Result[int]{Error: err}
				continue
			}
			out[i] = &dataloader.Result[int]{Data: found[k]}
		}
		return out
	}
	return &ListLoader[T]{
		Page:  newLoader(pages, opt),
		Count: newLoader(counts, opt),
	}
}

type loadersKey struct{}

// NewContext returns ctx carrying the request's loaders.
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// FromContext returns the request's loaders; it panics when there are
// none, which is a wiring mistake, not a request error.
func FromContext(ctx context.Context) *Loaders {
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok {
		panic("loader: no loaders in the request context")
	}
	return l
}
