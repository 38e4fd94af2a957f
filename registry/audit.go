package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/audithead"
)

// auditChain names the audit trail's row in audit_heads.
const auditChain = "audit"

// Change is one change a mutation made, as the audit trail records it:
// the action, the entity and its row, and snapshots before and after
// (nil for a row created or removed). Snapshots are maps of canonical
// values (see [Canonical]); [Snapshot] makes them from ent rows.
type Change struct {
	Action   string
	Entity   string
	EntityID int
	Before   map[string]any
	After    map[string]any
}

// Recorder collects the changes of one transaction.
type Recorder struct{ changes []Change }

// Record adds a change.
func (r *Recorder) Record(c Change) { r.changes = append(r.changes, c) }

// Changes returns what was recorded.
func (r *Recorder) Changes() []Change { return r.changes }

// InTx runs fn in one transaction on behalf of v. The changes fn records
// are appended to the audit chain at the end of the same transaction, so
// a change and its audit events commit together or not at all. Any error
// rolls everything back and is returned as an [*Error].
//
// fn takes its own guard rows first (DESIGN.md, Writes under
// contention); the audit chain's head is always locked last, so
// transactions lock in the same order and cannot deadlock.
func (s *Store) InTx(ctx context.Context, v *Viewer, fn func(tx *ent.Tx, rec *Recorder) error) (err error) {
	if v == nil {
		return unauthenticated()
	}
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return Wrap(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
			err = Wrap(err)
		}
	}()
	rec := &Recorder{}
	if err = fn(tx, rec); err != nil {
		return err
	}
	if err = appendAudit(ctx, tx, v, time.Now(), rec.changes); err != nil {
		return err
	}
	return tx.Commit()
}

// appendAudit writes one event per change at the head of the chain.
func appendAudit(ctx context.Context, tx *ent.Tx, v *Viewer, at time.Time, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	// The guard: lock the head row before reading it. The row is made
	// the first time; ON CONFLICT DO NOTHING lets a racing first
	// append wait for the other's insert instead of failing.
	n, err := tx.AuditHead.Update().Where(audithead.Chain(auditChain)).AddSeq(int64(len(changes))).Save(ctx)
	if err != nil {
		return fmt.Errorf("audit: lock head: %w", err)
	}
	if n == 0 {
		// Plain SQL: ent's DO NOTHING reports no rows when it inserts none.
		if _, err := tx.ExecContext(ctx, "INSERT INTO audit_heads (chain, seq, hash) VALUES ('"+auditChain+"', 0, '') ON CONFLICT (chain) DO NOTHING"); err != nil {
			return fmt.Errorf("audit: create head: %w", err)
		}
		if _, err := tx.AuditHead.Update().Where(audithead.Chain(auditChain)).AddSeq(int64(len(changes))).Save(ctx); err != nil {
			return fmt.Errorf("audit: lock head: %w", err)
		}
	}
	head, err := tx.AuditHead.Query().Where(audithead.Chain(auditChain)).Only(ctx)
	if err != nil {
		return fmt.Errorf("audit: read head: %w", err)
	}
	seq, prev := head.Seq-int64(len(changes)), head.Hash
	at = at.UTC().Truncate(time.Microsecond)
	var account *int
	if v.AccountID != 0 {
		account = &v.AccountID
	}
	builders := make([]*ent.AuditEventCreate, len(changes))
	for i, c := range changes {
		seq++
		e, err := newEvent(seq, at, v.Name, account, c, prev)
		if err != nil {
			return err
		}
		builders[i] = tx.AuditEvent.Create().SetSeq(e.Seq).SetAt(e.At).SetActor(e.Actor).SetNillableAccountID(e.AccountID).
			SetAction(e.Action).SetEntity(e.Entity).SetEntityID(e.EntityID).
			SetNillableBefore(e.Before).SetNillableAfter(e.After).
			SetPrevHash(e.PrevHash).SetHash(e.Hash).SetBody(e.Body)
		prev = e.Hash
	}
	for chunk := range chunks(builders, 500) {
		if err := tx.AuditEvent.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
	}
	if err := tx.AuditHead.Update().Where(audithead.Chain(auditChain)).SetHash(prev).Exec(ctx); err != nil {
		return fmt.Errorf("audit: move head: %w", err)
	}
	return nil
}

func chunks[T any](s []T, n int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}

// newEvent builds the event for change c at position seq after prev,
// with its canonical body and hash.
func newEvent(seq int64, at time.Time, actor string, account *int, c Change, prev string) (*ent.AuditEvent, error) {
	e := &ent.AuditEvent{Seq: seq, At: at, Actor: actor, AccountID: account, Action: c.Action,
		Entity: c.Entity, EntityID: c.EntityID, PrevHash: prev}
	for _, s := range []struct {
		snap map[string]any
		dst  **string
	}{{c.Before, &e.Before}, {c.After, &e.After}} {
		if s.snap == nil {
			continue
		}
		b, err := Canonical(s.snap)
		if err != nil {
			return nil, fmt.Errorf("audit: %s %s: %w", c.Action, c.Entity, err)
		}
		text := string(b)
		*s.dst = &text
	}
	body, err := eventBody(e)
	if err != nil {
		return nil, err
	}
	e.Body = string(body)
	e.Hash = hashHex(body)
	return e, nil
}

// eventBody is the canonical encoding of everything an event says.
func eventBody(e *ent.AuditEvent) ([]byte, error) {
	m := map[string]any{
		"seq": e.Seq, "at": e.At.UTC().Format(canonicalTime), "actor": e.Actor, "account": deref(e.AccountID),
		"action": e.Action, "entity": e.Entity, "entityId": e.EntityID, "prev": e.PrevHash,
		"before": nil, "after": nil,
	}
	for k, s := range map[string]*string{"before": e.Before, "after": e.After} {
		if s == nil {
			continue
		}
		v, err := decodeCanonical([]byte(*s))
		if err != nil {
			return nil, fmt.Errorf("audit: event %d: %s is not JSON: %w", e.Seq, k, err)
		}
		m[k] = v
	}
	return Canonical(m)
}

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Break is the first broken link of the audit chain.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string { return fmt.Sprintf("audit event %d: %s", b.Seq, b.Reason) }

// VerifyAudit walks the audit chain from its first event. It returns the
// number of events checked and, when the chain is broken, the first
// broken link: an event whose body does not hash to its hash, whose
// columns say something its body does not, that does not follow the
// previous event's hash, or a gap in the positions.
func (s *Store) VerifyAudit(ctx context.Context) (int64, *Break, error) {
	const page = 1000
	var last int64
	prev := ""
	for {
		evs, err := s.Client.AuditEvent.Query().Where(auditevent.SeqGT(last)).
			Order(ent.Asc(auditevent.FieldSeq)).Limit(page).All(ctx)
		if err != nil {
			return last, nil, err
		}
		for _, e := range evs {
			if brk := checkEvent(e, last+1, prev); brk != nil {
				return last, brk, nil
			}
			last, prev = e.Seq, e.Hash
		}
		if len(evs) < page {
			break
		}
	}
	head, err := s.Client.AuditHead.Query().Where(audithead.Chain(auditChain)).Only(ctx)
	switch {
	case ent.IsNotFound(err) && last == 0:
		return 0, nil, nil
	case err != nil && !ent.IsNotFound(err):
		return last, nil, err
	case ent.IsNotFound(err) || head.Seq != last || head.Hash != prev:
		return last, &Break{Seq: last + 1, Reason: "the chain's head does not point at its last event: events were removed"}, nil
	}
	return last, nil, nil
}

func checkEvent(e *ent.AuditEvent, seq int64, prev string) *Break {
	if e.Seq != seq {
		return &Break{Seq: seq, Reason: fmt.Sprintf("missing: the next event is %d", e.Seq)}
	}
	if hashHex([]byte(e.Body)) != e.Hash {
		return &Break{Seq: seq, Reason: "its body does not hash to its stored hash"}
	}
	if e.PrevHash != prev {
		return &Break{Seq: seq, Reason: "it does not follow the previous event's hash"}
	}
	// The snapshot columns must be canonical to the byte: text that only
	// decodes to the same body (keys reordered, a key twice) is a change.
	for name, col := range map[string]*string{"before": e.Before, "after": e.After} {
		if col == nil {
			continue
		}
		v, err := decodeCanonical([]byte(*col))
		if err != nil {
			return &Break{Seq: seq, Reason: fmt.Sprintf("its %s column is not JSON", name)}
		}
		if b, err := Canonical(v); err != nil || string(b) != *col {
			return &Break{Seq: seq, Reason: fmt.Sprintf("its %s column is not the canonical text it was written as", name)}
		}
	}
	want, err := eventBody(e)
	if err != nil {
		return &Break{Seq: seq, Reason: err.Error()}
	}
	if string(want) != e.Body {
		return &Break{Seq: seq, Reason: "its columns differ from its hashed body"}
	}
	return nil
}
