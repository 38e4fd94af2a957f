package loader

import (
	"context"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/registry"
)

// The lists the API pages through: their tables, orders and filters.

var (
	rosterOrder  = Order{{Expr: "p.rank", Kind: Int}, {Expr: "pe.name", Kind: Text}, {Expr: "a.id", Kind: Int}}
	historyOrder = Order{{Expr: "a.starts_on", Kind: Date, Desc: true}, {Expr: "a.id", Kind: Int, Desc: true}}
	nameOrder    = func(alias string) Order {
		return Order{{Expr: alias + ".name", Kind: Text}, {Expr: alias + ".id", Kind: Int}}
	}
)

const rosterFrom = "appointments a JOIN posts p ON p.id = a.post_id JOIN people pe ON pe.id = a.person_id"

// rosterJoin reads each person's institution and membership with the
// page: a roster shows them, and two statements fewer a page pays for
// the joins.
const rosterJoin = " LEFT JOIN institutions i ON i.id = pe.institution_id LEFT JOIN memberships m ON m.person_id = pe.id"

var rosterSelect = cols("a", appointmentCols) + ", " + cols("p", postCols) + ", " + cols("pe", personCols) + ", " +
	cols("i", institutionCols) + ", " + cols("m", membershipCols)

// asOf is the condition that an appointment was held on a day, its dates
// being half-open [starts_on, ends_on).
const asOf = "a.starts_on <= ? AND (a.ends_on IS NULL OR a.ends_on > ?)"

// FormatDay writes a day as a list filter.
func FormatDay(t time.Time) string { return t.Format("2006-01-02") }

func dayArgs(filter string) ([]any, error) {
	t, err := time.Parse("2006-01-02", filter)
	if err != nil {
		return nil, err
	}
	return []any{t, t}, nil
}

func (l *Loaders) termAppointments(filter string) (List, error) {
	list := List{Select: rosterSelect, From: rosterFrom, Join: rosterJoin, Parent: "a.term_id", Order: rosterOrder}
	if filter != "" {
		args, err := dayArgs(filter)
		if err != nil {
			return List{}, err
		}
		list.Where, list.Args = asOf, args
	}
	return l.orgs.narrow(list, "p.organization_id"), nil
}

func (l *Loaders) organizationRoster(filter string) (List, error) {
	args, err := dayArgs(filter)
	if err != nil {
		return List{}, err
	}
	// A planned term's people have not taken office, whatever the dates
	// of its appointments: until its succession completes, the
	// organization's roster is its active and ended terms'.
	where := asOf + " AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.id = a.term_id AND t.status = 'PLANNED')"
	list := List{Select: rosterSelect, From: rosterFrom, Join: rosterJoin, Parent: "p.organization_id", Where: where, Args: args, Order: rosterOrder}
	return l.orgs.narrow(list, "p.organization_id"), nil
}

// scanRosterRow reads an appointment with its post, its person and the
// person's institution and membership (either may be missing), and primes
// their loaders with what the viewer may read.
func (l *Loaders) scanRosterRow(ctx context.Context) scanner[*ent.Appointment] {
	directory := l.ReadDirectory() == nil
	prime := l.primer()
	return func() ([]any, func() (int, *ent.Appointment, []any)) {
		a, p, pe, i, m := &ent.Appointment{}, &ent.Post{}, &ent.Person{}, &ent.Institution{}, &ent.Membership{}
		var hasInstitution, hasMembership bool
		dest := make([]any, 0, len(appointmentCols)+len(postCols)+len(personCols)+len(institutionCols)+len(membershipCols))
		dest = append(append(append(dest, appointmentDest(a)...), postDest(p)...), personDest(pe)...)
		dest = append(append(dest, optional(institutionDest(i), &hasInstitution)...), optional(membershipDest(m), &hasMembership)...)
		return dest, func() (int, *ent.Appointment, []any) {
			prime(func() {
				if l.primeable(p.OrganizationID) {
					l.Post.Prime(ctx, p.ID, p)
				}
				if !directory {
					return
				}
				l.Person.Prime(ctx, pe.ID, pe)
				if hasInstitution {
					l.Institution.Prime(ctx, i.ID, i)
				}
				if hasMembership {
					l.Membership.Prime(ctx, m.ID, m)
					l.MembershipOfPerson.Prime(ctx, pe.ID, m)
				} else {
					l.MembershipOfPerson.Prime(ctx, pe.ID, nil)
				}
			})
			return 0, a, []any{p.Rank, pe.Name, a.ID}
		}
	}
}

// personAppointments lists a person's appointments to posts of the
// organizations the viewer may read.
func (l *Loaders) personAppointments(string) (List, error) {
	return l.orgs.narrow(List{
		Select: cols("a", appointmentCols) + ", " + cols("p", postCols) + ", " + cols("o", organizationCols),
		From:   "appointments a JOIN posts p ON p.id = a.post_id",
		Join:   " JOIN organizations o ON o.id = p.organization_id",
		Parent: "a.person_id",
		Order:  historyOrder,
	}, "p.organization_id"), nil
}

// scanHistoryRow reads an appointment with its post and the post's
// organization, and primes their loaders with what the viewer may read.
func (l *Loaders) scanHistoryRow(ctx context.Context) scanner[*ent.Appointment] {
	prime := l.primer()
	return func() ([]any, func() (int, *ent.Appointment, []any)) {
		a, p, o := &ent.Appointment{}, &ent.Post{}, &ent.Organization{}
		dest := make([]any, 0, len(appointmentCols)+len(postCols)+len(organizationCols))
		dest = append(append(append(dest, appointmentDest(a)...), postDest(p)...), organizationDest(o)...)
		return dest, func() (int, *ent.Appointment, []any) {
			if l.primeable(o.ID) {
				prime(func() {
					l.Post.Prime(ctx, p.ID, p)
					l.Organization.Prime(ctx, o.ID, o)
				})
			}
			return 0, a, []any{a.StartsOn, a.ID}
		}
	}
}

func (l *Loaders) organizationTerms(string) (List, error) {
	return l.orgs.narrow(List{Select: cols("t", termCols), From: "terms t", Parent: "t.organization_id",
		Order: Order{{Expr: "t.ordinal", Kind: Int, Desc: true}, {Expr: "t.id", Kind: Int, Desc: true}}}, "t.organization_id"), nil
}

func (l *Loaders) organizationPosts(string) (List, error) {
	return l.orgs.narrow(List{Select: cols("p", postCols), From: "posts p", Parent: "p.organization_id",
		Order: Order{{Expr: "p.rank", Kind: Int}, {Expr: "p.id", Kind: Int}}}, "p.organization_id"), nil
}

func (l *Loaders) organizationChildren(kind string) (List, error) {
	list := List{Select: cols("o", organizationCols), From: "organizations o", Parent: "o.parent_id", Order: nameOrder("o")}
	if kind != "" {
		list.Where, list.Args = "o.kind = ?", []any{kind}
	}
	return l.orgs.narrow(list, "o.id"), nil
}

func institutionPeople(string) (List, error) {
	return List{Select: cols("pe", personCols), From: "people pe", Parent: "pe.institution_id", Order: nameOrder("pe")}, nil
}

func membershipHistory(string) (List, error) {
	return List{Select: cols("s", statusChangeCols), From: "status_changes s", Parent: "s.membership_id",
		Order: Order{{Expr: "s.effective_on", Kind: Date}, {Expr: "s.id", Kind: Int}}}, nil
}

func scanTerm(context.Context) scanner[*ent.Term] {
	return func() ([]any, func() (int, *ent.Term, []any)) {
		t := &ent.Term{}
		return termDest(t), func() (int, *ent.Term, []any) { return 0, t, []any{t.Ordinal, t.ID} }
	}
}

func scanPost(context.Context) scanner[*ent.Post] {
	return func() ([]any, func() (int, *ent.Post, []any)) {
		p := &ent.Post{}
		return postDest(p), func() (int, *ent.Post, []any) { return 0, p, []any{p.Rank, p.ID} }
	}
}

func scanOrganization(context.Context) scanner[*ent.Organization] {
	return func() ([]any, func() (int, *ent.Organization, []any)) {
		o := &ent.Organization{}
		return organizationDest(o), func() (int, *ent.Organization, []any) { return 0, o, []any{o.Name, o.ID} }
	}
}

func scanPerson(context.Context) scanner[*ent.Person] {
	return func() ([]any, func() (int, *ent.Person, []any)) {
		p := &ent.Person{}
		return personDest(p), func() (int, *ent.Person, []any) { return 0, p, []any{p.Name, p.ID} }
	}
}

func scanInstitution(context.Context) scanner[*ent.Institution] {
	return func() ([]any, func() (int, *ent.Institution, []any)) {
		i := &ent.Institution{}
		return institutionDest(i), func() (int, *ent.Institution, []any) { return 0, i, []any{i.Name, i.ID} }
	}
}

func scanStatusChange(context.Context) scanner[*ent.StatusChange] {
	return func() ([]any, func() (int, *ent.StatusChange, []any)) {
		s := &ent.StatusChange{}
		return statusChangeDest(s), func() (int, *ent.StatusChange, []any) { return 0, s, []any{s.EffectiveOn, s.ID} }
	}
}

// contains is the condition that expr holds s, ignoring ASCII case.
func contains(expr, s string) (string, any) {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "LOWER(" + expr + ") LIKE ? ESCAPE '\\'", "%" + strings.ToLower(r.Replace(s)) + "%"
}

// filter gathers the conditions of a top-level list.
type filter struct {
	conds []string
	args  []any
}

func (f *filter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

func (f *filter) list(sel, from string, order Order) List {
	return List{Select: sel, From: from, Where: strings.Join(f.conds, " AND "), Args: f.args, Order: order}
}

// OrganizationFilter narrows the organizations list; zero fields do not.
type OrganizationFilter struct {
	Kind   string
	Parent int
	Name   string
}

func (l *Loaders) organizations(f OrganizationFilter) List {
	var w filter
	if f.Kind != "" {
		w.add("o.kind = ?", f.Kind)
	}
	if f.Parent != 0 {
		w.add("o.parent_id = ?", f.Parent)
	}
	if f.Name != "" {
		c, a := contains("o.name", f.Name)
		w.add(c, a)
	}
	if c, a := l.orgs.cond("o.id"); c != "" {
		w.add(c, a...)
	}
	return w.list(cols("o", organizationCols), "organizations o", nameOrder("o"))
}

// Organizations reads a page of the organizations the viewer may read,
// by name.
func (l *Loaders) Organizations(ctx context.Context, f OrganizationFilter, pa PageArgs) (*Page[*ent.Organization], error) {
	return single(fetchPages(ctx, l.db, l.organizations(f), nil, pa, scanOrganization(ctx)))
}

// CountOrganizations counts the organizations f selects that the viewer
// may read.
func (l *Loaders) CountOrganizations(ctx context.Context, f OrganizationFilter) (int, error) {
	return total(fetchCounts(ctx, l.db, l.organizations(f), nil))
}

// PersonFilter narrows the people list; zero fields do not.
type PersonFilter struct {
	Status      string
	Kind        string
	Specialty   string
	Institution int
	Name        string
}

func (l *Loaders) people(f PersonFilter) List {
	var w filter
	if f.Status != "" || f.Kind != "" {
		cond, args := "m.person_id = pe.id", []any{}
		if f.Status != "" {
			cond += " AND m.status = ?"
			args = append(args, f.Status)
		}
		if f.Kind != "" {
			cond += " AND m.kind = ?"
			args = append(args, f.Kind)
		}
		w.add("EXISTS (SELECT 1 FROM memberships m WHERE "+cond+")", args...)
	}
	if f.Specialty != "" {
		w.add("pe.specialty = ?", f.Specialty)
	}
	if f.Institution != 0 {
		w.add("pe.institution_id = ?", f.Institution)
	}
	if f.Name != "" {
		c, a := contains("pe.name", f.Name)
		w.add(c, a)
	}
	return w.list(cols("pe", personCols), "people pe", nameOrder("pe"))
}

// People reads a page of people, by name.
func (l *Loaders) People(ctx context.Context, f PersonFilter, pa PageArgs) (*Page[*ent.Person], error) {
	if err := l.ReadDirectory(); err != nil {
		return nil, err
	}
	return single(fetchPages(ctx, l.db, l.people(f), nil, pa, scanPerson(ctx)))
}

// CountPeople counts the people f selects.
func (l *Loaders) CountPeople(ctx context.Context, f PersonFilter) (int, error) {
	if err := l.ReadDirectory(); err != nil {
		return 0, err
	}
	return total(fetchCounts(ctx, l.db, l.people(f), nil))
}

// InstitutionFilter narrows the institutions list; zero fields do not.
type InstitutionFilter struct {
	Kind string
	Name string
}

func (l *Loaders) institutions(f InstitutionFilter) List {
	var w filter
	if f.Kind != "" {
		w.add("i.kind = ?", f.Kind)
	}
	if f.Name != "" {
		c, a := contains("i.name", f.Name)
		w.add(c, a)
	}
	return w.list(cols("i", institutionCols), "institutions i", nameOrder("i"))
}

// Institutions reads a page of institutions, by name.
func (l *Loaders) Institutions(ctx context.Context, f InstitutionFilter, pa PageArgs) (*Page[*ent.Institution], error) {
	if err := l.ReadDirectory(); err != nil {
		return nil, err
	}
	return single(fetchPages(ctx, l.db, l.institutions(f), nil, pa, scanInstitution(ctx)))
}

// CountInstitutions counts the institutions f selects.
func (l *Loaders) CountInstitutions(ctx context.Context, f InstitutionFilter) (int, error) {
	if err := l.ReadDirectory(); err != nil {
		return 0, err
	}
	return total(fetchCounts(ctx, l.db, l.institutions(f), nil))
}

func single[T any](pages map[int]*Page[T], err error) (*Page[T], error) {
	if err != nil {
		return nil, err
	}
	if p := pages[0]; p != nil {
		return p, nil
	}
	return &Page[T]{}, nil
}

func total(counts map[int]int, err error) (int, error) { return counts[0], err }

// PersonByMemberNumber finds the person holding a member number, or nil.
// The membership and the institution come in the same statement and
// prime their loaders: a lookup costs one statement, not three.
func (l *Loaders) PersonByMemberNumber(ctx context.Context, number string) (*ent.Person, error) {
	if err := l.ReadDirectory(); err != nil {
		return nil, err
	}
	rows, err := l.db.query(ctx, "SELECT "+cols("pe", personCols)+", "+cols("m", membershipCols)+", "+cols("i", institutionCols)+
		" FROM people pe JOIN memberships m ON m.person_id = pe.id LEFT JOIN institutions i ON i.id = pe.institution_id WHERE m.member_number = ?", number)
	if err != nil {
		return nil, err
	}
	var found *ent.Person
	err = scanAll(ctx, rows, func() ([]any, func()) {
		p, m, i := &ent.Person{}, &ent.Membership{}, &ent.Institution{}
		var hasInstitution bool
		dest := append(append(personDest(p), membershipDest(m)...), optional(institutionDest(i), &hasInstitution)...)
		return dest, func() {
			found = p
			l.Person.Prime(ctx, p.ID, p)
			l.Membership.Prime(ctx, m.ID, m)
			l.MembershipOfPerson.Prime(ctx, p.ID, m)
			if hasInstitution {
				l.Institution.Prime(ctx, i.ID, i)
			}
		}
	})
	return found, err
}

// StatusCount is the number of memberships of one kind in one status.
type StatusCount struct {
	Kind   string
	Status string
	Count  int
}

// MembershipStatistics counts memberships by kind and status: as they
// stand now, or as they stood at the end of day asOf, read from the
// status history.
func (l *Loaders) MembershipStatistics(ctx context.Context, asOf *time.Time) ([]StatusCount, error) {
	if err := l.viewer.Authorize(registry.ReadStatistics); err != nil {
		return nil, err
	}
	q := "SELECT m.kind, m.status, COUNT(*) FROM memberships m GROUP BY m.kind, m.status ORDER BY m.kind, m.status"
	var args []any
	if asOf != nil {
		q = `SELECT m.kind, s.to_status, COUNT(*) FROM memberships m JOIN status_changes s ON s.membership_id = m.id
WHERE s.id = (SELECT s2.id FROM status_changes s2 WHERE s2.membership_id = m.id AND s2.effective_on <= ?
              ORDER BY s2.effective_on DESC, s2.id DESC LIMIT 1)
GROUP BY m.kind, s.to_status ORDER BY m.kind, s.to_status`
		args = []any{*asOf}
	}
	rows, err := l.db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []StatusCount
	err = scanAll(ctx, rows, func() ([]any, func()) {
		var c StatusCount
		return []any{&c.Kind, &c.Status, &c.Count}, func() { out = append(out, c) }
	})
	return out, err
}
