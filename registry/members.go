package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/registry/rules"
)

// statusMoves is the whole of the membership status rules (DESIGN.md,
// Settled questions, Membership): from each status, the statuses a
// membership may move to. EXPELLED and DECEASED are final.
var statusMoves = map[membership.Status][]membership.Status{
	membership.StatusAPPLICANT: {membership.StatusACTIVE, membership.StatusEXPELLED, membership.StatusDECEASED},
	membership.StatusACTIVE:    {membership.StatusSUSPENDED, membership.StatusLAPSED, membership.StatusEXPELLED, membership.StatusDECEASED},
	membership.StatusSUSPENDED: {membership.StatusACTIVE, membership.StatusLAPSED, membership.StatusEXPELLED, membership.StatusDECEASED},
	// Readmitted: the member keeps the number and the joining day.
	membership.StatusLAPSED:   {membership.StatusACTIVE, membership.StatusEXPELLED, membership.StatusDECEASED},
	membership.StatusEXPELLED: {},
	membership.StatusDECEASED: {},
}

// LegalStatusMoves returns the membership status rules: for every
// status, the statuses a membership may move to from it (none from the
// final EXPELLED and DECEASED). The map is a copy, the caller's to keep.
func LegalStatusMoves() map[membership.Status][]membership.Status {
	out := make(map[membership.Status][]membership.Status, len(statusMoves))
	for from, to := range statusMoves {
		out[from] = slices.Clone(to)
	}
	return out
}

// IsLegalStatusMove reports whether a membership may move from one
// status to another. Staying in the same status is no move.
func IsLegalStatusMove(from, to membership.Status) bool {
	return slices.Contains(statusMoves[from], to)
}

// leavingStatus reports whether a move to s ends the membership, so its
// left_on is set.
func leavingStatus(s membership.Status) bool {
	return s == membership.StatusLAPSED || s == membership.StatusEXPELLED || s == membership.StatusDECEASED
}

// AdmitInput admits a person (INDIVIDUAL) or an institution (UNIT) as a
// member of the association (admitMember).
type AdmitInput struct {
	Kind string `json:"kind" validate:"required,oneof=INDIVIDUAL UNIT"`
	// PersonID is the new individual member; a UNIT has none.
	PersonID *int `json:"personId"`
	// InstitutionID is the new unit member; an INDIVIDUAL has none.
	InstitutionID *int `json:"institutionId"`
	// MemberNumber, when empty, is the next number of the association's
	// pattern for the kind (see [Store.AdmitMember]).
	MemberNumber string `json:"memberNumber" validate:"omitempty,memberno"`
	// Status is APPLICANT (the default) or ACTIVE.
	Status string `json:"status" validate:"omitempty,oneof=APPLICANT ACTIVE"`
	// JoinedOn, a calendar day, may not be after today.
	JoinedOn time.Time `json:"joinedOn" validate:"required"`
	Reason   string    `json:"reason" validate:"max=500"`
}

// StatusInput moves a membership to another status
// (changeMembershipStatus).
type StatusInput struct {
	MembershipID int    `json:"membershipId" validate:"required"`
	Status       string `json:"status" validate:"required,oneof=APPLICANT ACTIVE SUSPENDED LAPSED EXPELLED DECEASED"`
	// EffectiveOn, a calendar day, may not be after today, nor before the
	// membership's joining day or its last status change.
	EffectiveOn time.Time `json:"effectiveOn" validate:"required"`
	Reason      string    `json:"reason" validate:"required,max=500"`
}

// AdmitMember makes a membership with its first status change and
// records both under "membership.admit".
//
// Without a given number, the member gets one more than the highest
// number of its kind that the association's pattern (rules
// IndividualNumberPattern or UnitNumberPattern) produces; numbers that
// the pattern would not write, such as hand-made ones, are passed over.
//
// Concurrent admissions must not draw the same number, so the
// transaction first takes a guard row: the association organization's
// row (the one with the lowest id), whose rules it then reads. A
// registry still being set up may have no association; then the guard
// is the row with the lowest id of the table the new member comes from
// (people for INDIVIDUAL, institutions for UNIT). That row exists
// whenever the admission can succeed at all, since the new member is in
// that table, and every admission of the kind takes the same one. The
// audit chain's head cannot serve: every transaction locks it last, and
// taking it first would invert that order. The unique member number
// stands behind the guard either way.
func (s *Store) AdmitMember(ctx context.Context, v *Viewer, in AdmitInput) (*ent.Membership, error) {
	if err := v.Authorize(EditMembers); err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	joined := DateOf(in.JoinedOn)
	var joinedP *time.Time
	if !in.JoinedOn.IsZero() {
		joinedP = &joined
	}
	today := s.Clock.Today()
	var holder []*Problem
	switch in.Kind {
	case "INDIVIDUAL":
		holder = []*Problem{requiredIf("personId", in.PersonID != nil, in.Kind), excludedIf("institutionId", in.InstitutionID != nil, in.Kind)}
	case "UNIT":
		holder = []*Problem{requiredIf("institutionId", in.InstitutionID != nil, in.Kind), excludedIf("personId", in.PersonID != nil, in.Kind)}
	}
	if err := checkInput(in, append(holder, notAfter("joinedOn", joinedP, today))...); err != nil {
		return nil, err
	}
	kind := membership.Kind(in.Kind)
	status := membership.StatusAPPLICANT
	if in.Status != "" {
		status = membership.Status(in.Status)
	}
	var out *ent.Membership
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		r, err := lockNumbering(ctx, tx, kind)
		if err != nil {
			return err
		}
		if err := checkHolder(ctx, tx, in.PersonID, in.InstitutionID); err != nil {
			return err
		}
		number := in.MemberNumber
		if number != "" {
			taken, err := tx.Membership.Query().Where(membership.MemberNumber(number)).Exist(ctx)
			if err != nil {
				return err
			}
			if taken {
				return E(Conflict, "memberNumber", "member number %s is taken", number)
			}
		} else {
			pattern := r.IndividualNumberPattern
			if kind == membership.KindUNIT {
				pattern = r.UnitNumberPattern
			}
			if number, err = nextNumber(ctx, tx, kind, pattern); err != nil {
				return err
			}
		}
		m, err := tx.Membership.Create().SetMemberNumber(number).SetKind(kind).SetStatus(status).
			SetJoinedOn(joined).SetNillablePersonID(in.PersonID).SetNillableInstitutionID(in.InstitutionID).Save(ctx)
		if ent.IsConstraintError(err) {
			// Behind the guard only a number drawn outside it (a unit's
			// number in the individuals' pattern, say) can collide.
			return &Error{Kind: Conflict, Field: "memberNumber", Message: fmt.Sprintf("member number %s is taken", number), Err: err}
		}
		if err != nil {
			return err
		}
		sc, err := tx.StatusChange.Create().SetMembershipID(m.ID).SetToStatus(statuschange.ToStatus(status)).
			SetEffectiveOn(joined).SetReason(in.Reason).Save(ctx)
		if err != nil {
			return err
		}
		out = m
		if err := rec.Change("membership.admit", nil, m); err != nil {
			return err
		}
		return rec.Change("membership.admit", nil, sc)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockNumbering takes the guard row of member numbering (see
// [Store.AdmitMember]) and returns the association's rules, defaults
// filled in.
func lockNumbering(ctx context.Context, tx *ent.Tx, kind membership.Kind) (rules.Rules, error) {
	defaults := rules.Defaults(organization.KindASSOCIATION.String())
	now := time.Now()
	id, err := tx.Organization.Query().Where(organization.KindEQ(organization.KindASSOCIATION)).
		Order(organization.ByID()).FirstID(ctx)
	switch {
	case err == nil:
		if err := tx.Organization.UpdateOneID(id).SetUpdatedAt(now).Exec(ctx); err != nil {
			return rules.Rules{}, fmt.Errorf("admit: lock the association: %w", err)
		}
		org, err := tx.Organization.Get(ctx, id)
		if err != nil {
			return rules.Rules{}, err
		}
		return RulesOf(org), nil
	case !ent.IsNotFound(err):
		return rules.Rules{}, err
	}
	// No association yet: the lowest row of the new member's table. An
	// empty table means the holder cannot exist, which checkHolder says.
	if kind == membership.KindUNIT {
		id, err = tx.Institution.Query().Order(institution.ByID()).FirstID(ctx)
		if err == nil {
			err = tx.Institution.UpdateOneID(id).SetUpdatedAt(now).Exec(ctx)
		}
	} else {
		id, err = tx.Person.Query().Order(person.ByID()).FirstID(ctx)
		if err == nil {
			err = tx.Person.UpdateOneID(id).SetUpdatedAt(now).Exec(ctx)
		}
	}
	if err != nil && !ent.IsNotFound(err) {
		return rules.Rules{}, fmt.Errorf("admit: lock the numbering: %w", err)
	}
	return defaults, nil
}

// checkHolder says NOT_FOUND when the new member does not exist and
// CONFLICT when it already holds a membership.
func checkHolder(ctx context.Context, tx *ent.Tx, personID, institutionID *int) error {
	var (
		field, what string
		id          int
		exists      bool
		err         error
		held        = tx.Membership.Query()
	)
	if personID != nil {
		field, what, id = "personId", "person", *personID
		exists, err = tx.Person.Query().Where(person.ID(id)).Exist(ctx)
		held.Where(membership.PersonID(id))
	} else {
		field, what, id = "institutionId", "institution", *institutionID
		exists, err = tx.Institution.Query().Where(institution.ID(id)).Exist(ctx)
		held.Where(membership.InstitutionID(id))
	}
	if err != nil {
		return err
	}
	if !exists {
		return E(NotFound, field, "%s %d does not exist", what, id)
	}
	m, err := held.First(ctx)
	switch {
	case err == nil:
		return E(Conflict, field, "%s %d is already a member, number %s (%s)", what, id, m.MemberNumber, m.Status)
	case !ent.IsNotFound(err):
		return err
	}
	return nil
}

// nextNumber returns one more than the highest number of the kind that
// pattern writes, skipping over any number taken by a member of the
// other kind.
func nextNumber(ctx context.Context, tx *ent.Tx, kind membership.Kind, pattern string) (string, error) {
	np, err := parseNumberPattern(pattern)
	if err != nil {
		return "", Violation("memberNumber", "numberPattern",
			"the association's member number pattern %q cannot number members (%v); give memberNumber", pattern, err)
	}
	// A pattern writes larger numbers no shorter, and numbers of one
	// length in digit order; so the highest is among the longest, and
	// the first that the pattern would write, in this order, is it.
	const page = 100
	var high int64
	for offset := 0; ; offset += page {
		numbers, err := tx.Membership.Query().Where(membership.KindEQ(kind),
			membership.MemberNumberHasPrefix(np.prefix), membership.MemberNumberHasSuffix(np.suffix)).
			Order(func(s *entsql.Selector) {
				s.OrderExpr(entsql.Expr("LENGTH(" + s.C(membership.FieldMemberNumber) + ") DESC"))
			}, membership.ByMemberNumber(entsql.OrderDesc()), membership.ByID()).
			Offset(offset).Limit(page).Select(membership.FieldMemberNumber).Strings(ctx)
		if err != nil {
			return "", err
		}
		found := false
		for _, s := range numbers {
			if n, ok := np.parse(s); ok {
				high, found = n, true
				break
			}
		}
		if found || len(numbers) < page {
			break
		}
	}
	for n := high + 1; ; n++ {
		number := fmt.Sprintf(pattern, n)
		taken, err := tx.Membership.Query().Where(membership.MemberNumber(number)).Exist(ctx)
		if err != nil {
			return "", err
		}
		if !taken {
			return number, nil
		}
	}
}

// numberPattern is a member number pattern taken apart: the text
// around its one integer verb, and the verb's base.
type numberPattern struct {
	pattern, prefix, suffix string
	base                    int
}

// parseNumberPattern takes apart a pattern such as "M%06d": literal
// text (%% for a percent sign) around one integer verb, d or v in
// decimal, x or X in hexadecimal, o in octal.
func parseNumberPattern(pattern string) (numberPattern, error) {
	np := numberPattern{pattern: pattern}
	var lit strings.Builder
	verbs := 0
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '%' {
			lit.WriteByte(pattern[i])
			continue
		}
		i++
		if i < len(pattern) && pattern[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		for i < len(pattern) && strings.IndexByte("+-# 0123456789.", pattern[i]) >= 0 {
			i++
		}
		if i == len(pattern) {
			return np, errors.New("a verb is cut off")
		}
		switch pattern[i] {
		case 'd', 'v':
			np.base = 10
		case 'x', 'X':
			np.base = 16
		case 'o':
			np.base = 8
		default:
			return np, fmt.Errorf("%%%c is not an integer verb", pattern[i])
		}
		verbs++
		np.prefix = lit.String()
		lit.Reset()
	}
	if verbs != 1 {
		return np, fmt.Errorf("it has %d integer verbs, not one", verbs)
	}
	np.suffix = lit.String()
	return np, nil
}

// parse returns the sequence number that the pattern writes as s; ok is
// false when the pattern would not write s for any number.
func (np numberPattern) parse(s string) (n int64, ok bool) {
	mid, found := strings.CutPrefix(s, np.prefix)
	if !found {
		return 0, false
	}
	if mid, found = strings.CutSuffix(mid, np.suffix); !found {
		return 0, false
	}
	n, err := strconv.ParseInt(mid, np.base, 64)
	if err != nil || n < 0 || fmt.Sprintf(np.pattern, n) != s {
		return 0, false
	}
	return n, true
}

// ChangeMembershipStatus moves a membership to another status, keeps
// the move in its history, and records the membership before and after
// and the new history row under "membership.status". Only the moves of
// [LegalStatusMoves] are allowed (RULE_VIOLATION "transition"), and a
// move may not take effect before the member joined or before the
// previous move (RULE_VIOLATION "chronology"). A move to LAPSED,
// EXPELLED or DECEASED ends the membership on its effective day (a
// membership that has ended keeps its first leaving day); LAPSED to
// ACTIVE, a readmission, clears it.
func (s *Store) ChangeMembershipStatus(ctx context.Context, v *Viewer, in StatusInput) (*ent.Membership, error) {
	if err := v.Authorize(EditMembers); err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	effective := DateOf(in.EffectiveOn)
	var effectiveP *time.Time
	if !in.EffectiveOn.IsZero() {
		effectiveP = &effective
	}
	if err := checkInput(in, notAfter("effectiveOn", effectiveP, s.Clock.Today())); err != nil {
		return nil, err
	}
	to := membership.Status(in.Status)
	var out *ent.Membership
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		// The guard: the membership's row, before its status is read.
		n, err := tx.Membership.Update().Where(membership.ID(in.MembershipID)).SetUpdatedAt(time.Now()).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return E(NotFound, "membershipId", "membership %d does not exist", in.MembershipID)
		}
		before, err := tx.Membership.Get(ctx, in.MembershipID)
		if err != nil {
			return err
		}
		from := before.Status
		if !IsLegalStatusMove(from, to) {
			return illegalMove(before, to)
		}
		if effective.Before(before.JoinedOn) {
			return Violation("effectiveOn", "chronology", "effectiveOn %s is before member %s joined, on %s",
				effective.Format(DateLayout), before.MemberNumber, before.JoinedOn.Format(DateLayout))
		}
		last, err := tx.StatusChange.Query().Where(statuschange.MembershipID(before.ID)).
			Order(statuschange.ByEffectiveOn(entsql.OrderDesc()), statuschange.ByID(entsql.OrderDesc())).First(ctx)
		switch {
		case err == nil:
			if effective.Before(last.EffectiveOn) {
				return Violation("effectiveOn", "chronology", "effectiveOn %s is before the last status change of member %s, to %s on %s",
					effective.Format(DateLayout), before.MemberNumber, last.ToStatus, last.EffectiveOn.Format(DateLayout))
			}
		case !ent.IsNotFound(err):
			return err
		}
		sc, err := tx.StatusChange.Create().SetMembershipID(before.ID).
			SetFromStatus(statuschange.FromStatus(from)).SetToStatus(statuschange.ToStatus(to)).
			SetEffectiveOn(effective).SetReason(in.Reason).Save(ctx)
		if err != nil {
			return err
		}
		u := tx.Membership.UpdateOne(before).SetStatus(to)
		switch {
		case leavingStatus(to) && before.LeftOn == nil:
			u.SetLeftOn(effective)
		case to == membership.StatusACTIVE && from == membership.StatusLAPSED:
			u.ClearLeftOn()
		}
		after, err := u.Save(ctx)
		if err != nil {
			return err
		}
		out = after
		if err := rec.Change("membership.status", before, after); err != nil {
			return err
		}
		return rec.Change("membership.status", nil, sc)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// illegalMove is the RULE_VIOLATION of a move the status rules do not
// allow, naming the moves they do.
func illegalMove(m *ent.Membership, to membership.Status) error {
	from := m.Status
	legal := statusMoves[from]
	if len(legal) == 0 {
		return Violation("status", "transition", "member %s cannot move from %s to %s: %s is final", m.MemberNumber, from, to, from)
	}
	names := make([]string, len(legal))
	for i, s := range legal {
		names[i] = s.String()
	}
	return Violation("status", "transition", "member %s cannot move from %s to %s; from %s it may move to %s",
		m.MemberNumber, from, to, from, strings.Join(names, ", "))
}

// requiredIf is the problem of a holder field missing for the kind, or
// nil.
func requiredIf(field string, given bool, kind string) *Problem {
	if given {
		return nil
	}
	return &Problem{Field: field, Rule: "required", Message: fmt.Sprintf("%s is required for kind %s", field, kind)}
}

// excludedIf is the problem of a holder field given for a kind that has
// none, or nil.
func excludedIf(field string, given bool, kind string) *Problem {
	if !given {
		return nil
	}
	return &Problem{Field: field, Rule: "exclusive", Message: fmt.Sprintf("%s may not be given for kind %s", field, kind)}
}
