package loader

import (
	"context"
	"fmt"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/societyregistry/registry/registry"
)

// What the viewer may read is decided here, by asking the table in
// registry/access.go, so that no resolver can read around it:
//
//   - the by-id loaders of organizations, terms, posts and appointments
//     hand out a row outside the viewer's reach of ReadOrganization as
//     FORBIDDEN (the row's organization is read in the same statement);
//   - every list of organizations or of what belongs to them carries the
//     reach as a SQL condition, so rows, totals and cursors agree;
//   - rows joined into a list prime other loaders only when the viewer
//     may read them;
//   - directory rows (people, institutions, memberships, status changes)
//     need ReadDirectory everywhere, statistics ReadStatistics;
//   - private contact data needs ReadPrivate: everywhere, or for a person
//     who sits in an organization in reach ([Loaders.SitsInScope]).

// scope is a viewer's reach of one action as a SQL condition on an
// organization id.
type scope struct {
	all bool
	ids []int
}

func newScope(v *registry.Viewer, a registry.Action) scope {
	r, ids := v.Reach(a)
	switch r {
	case registry.Anywhere:
		return scope{all: true}
	case registry.InScope:
		return scope{ids: ids}
	}
	return scope{}
}

// cond returns the condition that expr names an organization in scope,
// "" when every organization is.
func (s scope) cond(expr string) (string, []any) {
	switch {
	case s.all:
		return "", nil
	case len(s.ids) == 0:
		return "1 = 0", nil
	}
	list, args := in(s.ids)
	return expr + " IN " + list, args
}

// narrow returns list with the condition that expr names an organization
// in scope.
func (s scope) narrow(list List, expr string) List {
	cond, args := s.cond(expr)
	if cond == "" {
		return list
	}
	if list.Where == "" {
		list.Where = cond
	} else {
		list.Where = "(" + list.Where + ") AND " + cond
	}
	list.Args = append(append([]any(nil), list.Args...), args...)
	return list
}

// gate decides which rows a by-column loader hands out.
type gate struct {
	// refuse, when set, fails every key without reading anything.
	refuse error
	// org is the SQL expression of the organization a row belongs to,
	// over the loader's table t and join; "" hands out every row.
	org  string
	join string
	// allow decides a row by its organization.
	allow func(org int) error
}

// Viewer returns who the loaders read for.
func (l *Loaders) Viewer() *registry.Viewer { return l.viewer }

// ReadOrganization returns nil when the viewer may read organization
// org and what belongs to it, and FORBIDDEN (or UNAUTHENTICATED)
// otherwise.
func (l *Loaders) ReadOrganization(org int) error {
	return l.viewer.AuthorizeIn(registry.ReadOrganization, org, "")
}

// ReadDirectory returns nil when the viewer may read people,
// institutions and memberships.
func (l *Loaders) ReadDirectory() error { return l.viewer.Authorize(registry.ReadDirectory) }

// directory gates the rows of the member directory.
func (l *Loaders) directory() gate { return gate{refuse: l.ReadDirectory()} }

// organization gates rows by the organization they belong to, expr
// (over t and join). A viewer who reaches every organization costs no
// join and no check.
func (l *Loaders) organization(expr, join string) gate {
	if l.orgs.all {
		return gate{}
	}
	return gate{org: expr, join: join, allow: l.ReadOrganization}
}

// ReadPrivate starts deciding whether the viewer may read person's
// private contact data. When the table decides at once, wait is nil and
// err is the answer; when it depends on where the person sits, wait
// gives the answer once [Loaders.SitsInScope] has read it, batched with
// the other people of the page.
func (l *Loaders) ReadPrivate(ctx context.Context, person int) (wait func() error, err error) {
	if l.private.all {
		return nil, nil
	}
	refused := l.viewer.Authorize(registry.ReadPrivate)
	if len(l.private.ids) == 0 {
		return nil, refused
	}
	sits := l.SitsInScope.Load(ctx, person)
	return func() error {
		ok, err := sits()
		switch {
		case err != nil:
			return err
		case ok:
			return nil
		}
		return refused
	}, nil
}

// sitsIn loads, for each person, whether they hold an appointment to a
// post of an organization in s that has begun by today and whose ends_on
// is NULL or after today (the rule registry applies to edits): one
// statement per batch.
func (l *Loaders) sitsIn(opt Options, s scope) *Loader[int, bool] {
	batch := func(ctx context.Context, keys []int) []*dataloader.Result[bool] {
		people, args := in(keys)
		q := "SELECT DISTINCT a.person_id FROM appointments a JOIN posts p ON p.id = a.post_id WHERE a.person_id IN " + people +
			" AND a.starts_on <= ? AND (a.ends_on IS NULL OR a.ends_on > ?)"
		args = append(args, l.today, l.today)
		if cond, cargs := s.cond("p.organization_id"); cond != "" {
			q += " AND " + cond
			args = append(args, cargs...)
		}
		sits := make(map[int]bool, len(keys))
		rows, err := l.db.query(ctx, q, args...)
		if err == nil {
			var id int
			err = scanAll(ctx, rows, func() ([]any, func()) { return []any{&id}, func() { sits[id] = true } })
		}
		out := make([]*dataloader.Result[bool], len(keys))
		for i, k := range keys {
			if err != nil {
				out[i] = &dataloader.Result[bool]{Error: fmt.Errorf("loader: read where people sit: %w", err)}
				continue
			}
			out[i] = &dataloader.Result[bool]{Data: sits[k]}
		}
		return out
	}
	return newLoader(batch, opt)
}

// primeable reports whether a row of organization org, read as part of
// another row, may be handed out by the by-id loaders without their
// check.
func (l *Loaders) primeable(org int) bool { return l.orgs.all || l.ReadOrganization(org) == nil }
