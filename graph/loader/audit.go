package loader

import (
	"context"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/registry"
)

// ReadAudit returns nil when the viewer may read the audit trail.
func (l *Loaders) ReadAudit() error { return l.viewer.Authorize(registry.ReadAudit) }

// AuditFilter narrows the audit trail; zero fields do not.
type AuditFilter struct {
	// Entity is the kind of row changed, as recorded: Person,
	// Appointment, Membership, StatusChange, Account, ...
	Entity string
	// EntityID is the changed row's id (of the kind Entity names).
	EntityID int
	// Actor is who made the change: an account's name, or cli:USER.
	Actor string
	// Since and Until bound the time of the change: since inclusive,
	// until exclusive.
	Since, Until *time.Time
}

// auditOrder is newest first: the chain's positions grow with time.
var auditOrder = Order{{Expr: "e.seq", Kind: Int, Desc: true}}

func (l *Loaders) auditEvents(f AuditFilter) List {
	var w filter
	if f.Entity != "" {
		w.add("e.entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		w.add("e.entity_id = ?", f.EntityID)
	}
	if f.Actor != "" {
		w.add("e.actor = ?", f.Actor)
	}
	// Times are stored in UTC; SQLite compares them as text, so the
	// bounds are written in UTC too.
	if f.Since != nil {
		w.add("e.at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		w.add("e.at < ?", f.Until.UTC())
	}
	return w.list(cols("e", auditEventCols), "audit_events e", auditOrder)
}

func scanAuditEvent(context.Context) scanner[*ent.AuditEvent] {
	return func() ([]any, func() (int, *ent.AuditEvent, []any)) {
		e := &ent.AuditEvent{}
		return auditEventDest(e), func() (int, *ent.AuditEvent, []any) { return 0, e, []any{e.Seq} }
	}
}

// AuditEvents reads a page of the audit trail, newest first: one
// statement. Only viewers who may read the trail get one.
func (l *Loaders) AuditEvents(ctx context.Context, f AuditFilter, pa PageArgs) (*Page[*ent.AuditEvent], error) {
	if err := l.ReadAudit(); err != nil {
		return nil, err
	}
	return single(fetchPages(ctx, l.db, l.auditEvents(f), nil, pa, scanAuditEvent(ctx)))
}

// CountAuditEvents counts the events f selects.
func (l *Loaders) CountAuditEvents(ctx context.Context, f AuditFilter) (int, error) {
	if err := l.ReadAudit(); err != nil {
		return 0, err
	}
	return total(fetchCounts(ctx, l.db, l.auditEvents(f), nil))
}
