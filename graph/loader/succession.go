package loader

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/societyregistry/registry/ent"
)

// What succession reads: the terms due for succession, a term's
// neighbours and deferrals, and a person's tenures. Each is one
// statement per batch or page.

// Due is an organization's active term that ends within a window or is
// overdue, with what has been done about its succession.
type Due struct {
	Term         *ent.Term
	Organization *ent.Organization
	// SuccessorID is the organization's PLANNED term, 0 when none is
	// prepared.
	SuccessorID int
	// DeferredUntil is the latest deferral's day, nil when none.
	DeferredUntil *time.Time
}

var dueOrder = Order{{Expr: "t.ends_on", Kind: Date}, {Expr: "o.name", Kind: Text}, {Expr: "t.id", Kind: Int}}

// successionsDue lists the active terms ending by the day before until
// (exclusive): overdue ones first.
func (l *Loaders) successionsDue(until time.Time) List {
	// The latest deferral: each runs later than the one before it.
	from := "terms t JOIN organizations o ON o.id = t.organization_id" +
		" LEFT JOIN terms s ON s.organization_id = t.organization_id AND s.status = 'PLANNED'" +
		" LEFT JOIN deferrals d ON d.term_id = t.id AND NOT EXISTS (SELECT 1 FROM deferrals d2 WHERE d2.term_id = t.id AND d2.until > d.until)"
	list := List{Select: cols("t", termCols) + ", " + cols("o", organizationCols) + ", s.id AS s_id, d.until AS d_until",
		From: from, Where: "t.status = 'ACTIVE' AND t.ends_on < ?", Args: []any{until}, Order: dueOrder}
	return l.orgs.narrow(list, "t.organization_id")
}

func (l *Loaders) scanDue(ctx context.Context) scanner[*Due] {
	prime := l.primer()
	return func() ([]any, func() (int, *Due, []any)) {
		t, o := &ent.Term{}, &ent.Organization{}
		var successor *int
		var until *time.Time
		dest := append(append(termDest(t), organizationDest(o)...), &successor, &until)
		return dest, func() (int, *Due, []any) {
			prime(func() {
				l.Term.Prime(ctx, t.ID, t)
				l.Organization.Prime(ctx, o.ID, o)
			})
			d := &Due{Term: t, Organization: o, DeferredUntil: until}
			if successor != nil {
				d.SuccessorID = *successor
			}
			return 0, d, []any{t.EndsOn, o.Name, t.ID}
		}
	}
}

// SuccessionsDue reads a page of the active terms, of organizations the
// viewer may read, that end within days after today or are overdue:
// the earliest end first.
func (l *Loaders) SuccessionsDue(ctx context.Context, days int, pa PageArgs) (*Page[*Due], error) {
	return single(fetchPages(ctx, l.db, l.successionsDue(l.dueBy(days)), nil, pa, l.scanDue(ctx)))
}

// CountSuccessionsDue counts what SuccessionsDue lists.
func (l *Loaders) CountSuccessionsDue(ctx context.Context, days int) (int, error) {
	return total(fetchCounts(ctx, l.db, l.successionsDue(l.dueBy(days)), nil))
}

// dueBy is the first day after a window of days from today.
func (l *Loaders) dueBy(days int) time.Time { return l.today.AddDate(0, 0, days+1) }

// Today is the day the loaders read "now" as.
func (l *Loaders) Today() time.Time { return l.today }

// neighbourTerms loads, for each term, the organization's term numbered
// next below it (before) or above it, or nil.
func (l *Loaders) neighbourTerms(opt Options, before bool) *Loader[int, *ent.Term] {
	agg, cmp := "MIN", ">"
	if before {
		agg, cmp = "MAX", "<"
	}
	q := fmt.Sprintf("SELECT %s, k.id FROM terms k JOIN terms t ON t.organization_id = k.organization_id AND t.ordinal = "+
		"(SELECT %s(n.ordinal) FROM terms n WHERE n.organization_id = k.organization_id AND n.ordinal %s k.ordinal) WHERE k.id IN ",
		cols("t", termCols), agg, cmp)
	batch := func(ctx context.Context, keys []int) []*dataloader.Result[*ent.Term] {
		list, args := in(keys)
		sql := q + list
		if cond, cargs := l.orgs.cond("t.organization_id"); cond != "" {
			sql += " AND " + cond
			args = append(args, cargs...)
		}
		found := map[int]*ent.Term{}
		rows, err := l.db.query(ctx, sql, args...)
		if err == nil {
			err = scanAll(ctx, rows, func() ([]any, func()) {
				t := &ent.Term{}
				var key int
				return append(termDest(t), &key), func() { found[key] = t }
			})
		}
		out := make([]*dataloader.Result[*ent.Term], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[*ent.Term]{Error: fmt.Errorf("loader: read neighbouring terms: %w", err)}
				continue
			}
			out[i] = &dataloader.Result[*ent.Term]{Data: found[k]}
		}
		return out
	}
	return newLoader(batch, opt)
}

var deferralCols = []string{"id", "term_id", "until", "reason", "approver", "created_at"}

func deferralDest(d *ent.Deferral) []any {
	return []any{&d.ID, &d.TermID, &d.Until, &d.Reason, &d.Approver, &d.CreatedAt}
}

// termDeferrals loads each term's deferrals, earliest first.
func (l *Loaders) termDeferrals(opt Options) *Loader[int, []*ent.Deferral] {
	batch := func(ctx context.Context, keys []int) []*dataloader.Result[[]*ent.Deferral] {
		list, args := in(keys)
		q := "SELECT " + cols("d", deferralCols) + " FROM deferrals d JOIN terms t ON t.id = d.term_id WHERE d.term_id IN " + list
		if cond, cargs := l.orgs.cond("t.organization_id"); cond != "" {
			q += " AND " + cond
			args = append(args, cargs...)
		}
		q += " ORDER BY d.term_id, d.until, d.id"
		found := map[int][]*ent.Deferral{}
		rows, err := l.db.query(ctx, q, args...)
		if err == nil {
			err = scanAll(ctx, rows, func() ([]any, func()) {
				d := &ent.Deferral{}
				return deferralDest(d), func() { found[d.TermID] = append(found[d.TermID], d) }
			})
		}
		out := make([]*dataloader.Result[[]*ent.Deferral], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[[]*ent.Deferral]{Error: fmt.Errorf("loader: read deferrals: %w", err)}
				continue
			}
			ds := found[k]
			if ds == nil {
				ds = []*ent.Deferral{}
			}
			out[i] = &dataloader.Result[[]*ent.Deferral]{Data: ds}
		}
		return out
	}
	return newLoader(batch, opt)
}

// Tenure is one run of consecutive terms of an organization in which a
// person held a post: a term counts when the person held the post in it
// at all, as the consecutive-term limit counts them.
type Tenure struct {
	PersonID, PostID, OrganizationID int
	FirstTermID, LastTermID          int
	// FirstOrdinal and LastOrdinal number the run's terms; Terms is
	// how many there are.
	FirstOrdinal, LastOrdinal, Terms int
	// StartsOn is the run's first day; EndsOn its end (exclusive), nil
	// while the post is held.
	StartsOn time.Time
	EndsOn   *time.Time
}

// personTenures loads each person's tenures in the organizations the
// viewer may read, the latest first.
func (l *Loaders) personTenures(opt Options) *Loader[int, []*Tenure] {
	batch := func(ctx context.Context, keys []int) []*dataloader.Result[[]*Tenure] {
		list, args := in(keys)
		q := "SELECT a.person_id, a.post_id, t.organization_id, t.id, t.ordinal, a.starts_on, a.ends_on " +
			"FROM appointments a JOIN terms t ON t.id = a.term_id WHERE a.person_id IN " + list
		if cond, cargs := l.orgs.cond("t.organization_id"); cond != "" {
			q += " AND " + cond
			args = append(args, cargs...)
		}
		q += " ORDER BY a.person_id, a.post_id, t.ordinal, a.starts_on, a.id"
		found := map[int][]*Tenure{}
		rows, err := l.db.query(ctx, q, args...)
		if err == nil {
			err = scanAll(ctx, rows, func() ([]any, func()) {
				var person, post, org, termID, ordinal int
				var start time.Time
				var end *time.Time
				return []any{&person, &post, &org, &termID, &ordinal, &start, &end}, func() {
					ts := found[person]
					var last *Tenure
					if n := len(ts); n > 0 && ts[n-1].PostID == post {
						last = ts[n-1]
					}
					switch {
					case last != nil && last.LastOrdinal == ordinal: // another appointment in the same term
					case last != nil && last.LastOrdinal+1 == ordinal:
						last.LastOrdinal, last.LastTermID = ordinal, termID
						last.Terms++
					default:
						last = &Tenure{PersonID: person, PostID: post, OrganizationID: org, FirstTermID: termID, LastTermID: termID,
							FirstOrdinal: ordinal, LastOrdinal: ordinal, Terms: 1, StartsOn: start, EndsOn: end}
						found[person] = append(found[person], last)
						return
					}
					if start.Before(last.StartsOn) {
						last.StartsOn = start
					}
					if last.EndsOn != nil && (end == nil || end.After(*last.EndsOn)) {
						last.EndsOn = end
					}
				}
			})
		}
		out := make([]*dataloader.Result[[]*Tenure], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[[]*Tenure]{Error: fmt.Errorf("loader: read tenures: %w", err)}
				continue
			}
			ts := found[k]
			slices.SortStableFunc(ts, func(a, b *Tenure) int { return b.StartsOn.Compare(a.StartsOn) })
			if ts == nil {
				ts = []*Tenure{}
			}
			out[i] = &dataloader.Result[[]*Tenure]{Data: ts}
		}
		return out
	}
	return newLoader(batch, opt)
}
