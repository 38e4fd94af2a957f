package loader

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/registry/rules"
)

// An entity's columns and how to scan them, written out once so joined
// queries can read several entities from one row.

// cols selects every column of the table alias, each renamed alias_name
// so that joined tables never repeat a column name.
func cols(alias string, names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(alias)
		b.WriteByte('.')
		b.WriteString(n)
		b.WriteString(" AS ")
		b.WriteString(alias)
		b.WriteByte('_')
		b.WriteString(n)
	}
	return b.String()
}

var (
	personCols       = []string{"id", "name", "gender", "birth_date", "professional_title", "specialty", "institution_id", "email", "phone", "id_number"}
	institutionCols  = []string{"id", "name", "kind"}
	membershipCols   = []string{"id", "member_number", "kind", "status", "joined_on", "left_on", "person_id", "institution_id"}
	statusChangeCols = []string{"id", "membership_id", "from_status", "to_status", "effective_on", "reason", "recorded_at"}
	organizationCols = []string{"id", "kind", "name", "parent_id", "rules"}
	termCols         = []string{"id", "organization_id", "ordinal", "name", "starts_on", "ends_on", "actual_end", "status"}
	postCols         = []string{"id", "organization_id", "title", "rank", "seats", "leadership"}
	appointmentCols  = []string{"id", "person_id", "post_id", "term_id", "starts_on", "ends_on", "obtained_by", "end_reason"}
	// auditEventCols leave out the body: what it says is in the columns.
	auditEventCols = []string{"id", "seq", "at", "actor", "account_id", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash"}
)

func personDest(p *ent.Person) []any {
	return []any{&p.ID, &p.Name, &p.Gender, &p.BirthDate, &p.ProfessionalTitle, &p.Specialty, &p.InstitutionID, &p.Email, &p.Phone, &p.IDNumber}
}

func institutionDest(i *ent.Institution) []any { return []any{&i.ID, &i.Name, &i.Kind} }

func membershipDest(m *ent.Membership) []any {
	return []any{&m.ID, &m.MemberNumber, &m.Kind, &m.Status, &m.JoinedOn, &m.LeftOn, &m.PersonID, &m.InstitutionID}
}

func statusChangeDest(s *ent.StatusChange) []any {
	return []any{&s.ID, &s.MembershipID, &s.FromStatus, &s.ToStatus, &s.EffectiveOn, &s.Reason, &s.RecordedAt}
}

// rulesColumn scans the JSON rules into an Organization after the row.
type rulesColumn struct{ o *ent.Organization }

func (r rulesColumn) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("loader: rules column of type %T", src)
	}
	rs, err := parsedRules.get(b)
	r.o.Rules = rs
	return err
}

// parsedRules remembers the rules texts already parsed. A roster page
// joins the same few organizations' rules into hundreds of rows, and
// parsing them was a tenth of its cost. Parsed rules are shared, as
// rules.Defaults are: nothing writes into an organization's rules.
var parsedRules = rulesCache{byText: map[string]rules.Rules{}}

// rulesCacheSize bounds the texts kept: one per organization whose rules
// differ, far fewer in any society.
const rulesCacheSize = 1024

type rulesCache struct {
	mu     sync.RWMutex
	byText map[string]rules.Rules
}

func (c *rulesCache) get(b []byte) (rules.Rules, error) {
	c.mu.RLock()
	rs, ok := c.byText[string(b)]
	c.mu.RUnlock()
	if ok {
		return rs, nil
	}
	if err := json.Unmarshal(b, &rs); err != nil {
		return rules.Rules{}, err
	}
	c.mu.Lock()
	if len(c.byText) < rulesCacheSize {
		c.byText[string(b)] = rs
	}
	c.mu.Unlock()
	return rs, nil
}

func organizationDest(o *ent.Organization) []any {
	return []any{&o.ID, &o.Kind, &o.Name, &o.ParentID, rulesColumn{o}}
}

func termDest(t *ent.Term) []any {
	return []any{&t.ID, &t.OrganizationID, &t.Ordinal, &t.Name, &t.StartsOn, &t.EndsOn, &t.ActualEnd, &t.Status}
}

func postDest(p *ent.Post) []any {
	return []any{&p.ID, &p.OrganizationID, &p.Title, &p.Rank, &p.Seats, &p.Leadership}
}

func appointmentDest(a *ent.Appointment) []any {
	return []any{&a.ID, &a.PersonID, &a.PostID, &a.TermID, &a.StartsOn, &a.EndsOn, &a.ObtainedBy, &a.EndReason}
}

func auditEventDest(e *ent.AuditEvent) []any {
	return []any{&e.ID, &e.Seq, &e.At, &e.Actor, &e.AccountID, &e.Action, &e.Entity, &e.EntityID, &e.Before, &e.After, &e.PrevHash, &e.Hash}
}

// optional wraps the scan targets of a row read through a LEFT JOIN:
// when there is no such row every column is NULL, the targets keep their
// zero values and *found stays false.
func optional(dest []any, found *bool) []any {
	out := make([]any, len(dest))
	ns := make([]nullable, len(dest)) // one allocation, not one a column
	for i, d := range dest {
		ns[i] = nullable{dest: d, found: found}
		out[i] = &ns[i]
	}
	return out
}

// nullable scans one column of an optional row.
type nullable struct {
	dest  any
	found *bool
}

func (n *nullable) Scan(src any) error {
	if src == nil {
		return nil
	}
	*n.found = true
	return assign(n.dest, src)
}

// assign stores a driver value in a scan target as database/sql would for
// the targets our entities have: integers, strings and their named types,
// times, booleans, pointers to them, and scanners.
func assign(dest, src any) error {
	if s, ok := dest.(sql.Scanner); ok {
		return s.Scan(src)
	}
	d := reflect.ValueOf(dest).Elem()
	if d.Kind() == reflect.Pointer {
		p := reflect.New(d.Type().Elem())
		if err := assign(p.Interface(), src); err != nil {
			return err
		}
		d.Set(p)
		return nil
	}
	if b, ok := src.([]byte); ok {
		src = string(b)
	}
	s := reflect.ValueOf(src)
	switch {
	case s.Type().AssignableTo(d.Type()):
		d.Set(s)
	case s.CanInt() && d.CanInt(), s.Kind() == reflect.String && d.Kind() == reflect.String:
		d.Set(s.Convert(d.Type()))
	case s.CanInt() && d.Kind() == reflect.Bool:
		d.SetBool(s.Int() != 0)
	default:
		return fmt.Errorf("loader: cannot store a %T in a %s", src, d.Type())
	}
	return nil
}

// scanAll reads every row with dest, which returns the scan targets of a
// fresh row and a function that keeps it; it stops with ctx's error once
// ctx is done (see db.query).
func scanAll(ctx context.Context, rows *sql.Rows, dest func() ([]any, func())) error {
	defer rows.Close()
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, keep := dest()
		if err := rows.Scan(d...); err != nil {
			return err
		}
		keep()
	}
	return rows.Err()
}
