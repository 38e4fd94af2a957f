package registry

// Succession (换届) moves an organization from one term to the next:
//
//  1. [Store.PrepareSuccession]: a branch secretary (EditRoster in the
//     organization) creates the next term, PLANNED, numbered one after
//     the last, running the rules' term length from its planned start,
//     with the organization's posts (posts are shared by all its terms)
//     and, on request, the current term's continuing members proposed
//     again as CARRIED_OVER appointments. The planned roster is then
//     edited with the roster operations.
//  2. [Store.SuccessionReport]: the planned roster against the current
//     one (stayed, joined, left, changed post) and every check of the
//     articles, each with its arithmetic in exact integers.
//  3. [Store.CompleteSuccession]: the secretariat (ApproveSuccession)
//     closes the current term and opens the new one on one day, in one
//     transaction: the old term's actual end and the new one's actual
//     start are that day (DESIGN.md, Terms). A blocking check that fails
//     stops it, unless an administrator (OverrideRules) gives a reason,
//     which the audit trail keeps.
//
// Under contention both writes take the current term's row as their
// guard first, and then the new term's: every writer of a succession
// waits for the one before it and reads what that one committed
// (DESIGN.md, Writes under contention). The roster operations take one
// term and then a post, so the order never crosses.

import (
	"context"
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/rules"
)

// Audit actions of succession.
const (
	actionSuccessionPrepare  = "succession.prepare"
	actionSuccessionComplete = "succession.complete"
	actionSuccessionOverride = "succession.override"
)

// PrepareInput prepares an organization's next term.
type PrepareInput struct {
	OrganizationID int `json:"organizationId" validate:"required"`
	// StartsOn is the planned first day of the new term, after the
	// current term's first day.
	StartsOn time.Time `json:"startsOn" validate:"required"`
	// Name names the new term, such as "The Third Council"; optional.
	Name string `json:"name" validate:"max=200"`
	// CarryOver lists open appointments of the current term whose
	// holders are proposed again, on the same posts, as CARRIED_OVER
	// appointments of the new term from its first day.
	CarryOver []int `json:"carryOver" validate:"max=1000,unique,dive,required"`
}

// CompleteInput completes the succession to a planned term.
type CompleteInput struct {
	// TermID is the planned term to make current.
	TermID int `json:"termId" validate:"required"`
	// On is the day the succession takes effect: the current term's
	// actual end and the new term's first day. Not after today.
	On time.Time `json:"on" validate:"required"`
	// Override, given by an administrator, completes the succession
	// although blocking checks fail.
	Override *Override `json:"override"`
}

// Override sets failing checks of a succession aside, for a reason.
type Override struct {
	Reason string `json:"reason" validate:"required,max=500"`
}

// RulesOf returns an organization's rules with the articles' defaults
// for its kind filled in where it sets none.
func RulesOf(o *ent.Organization) rules.Rules {
	return o.Rules.WithDefaults(rules.Defaults(string(o.Kind)))
}

// PrepareSuccession creates the organization's next term, PLANNED, in
// one transaction recorded as "succession.prepare" (and
// "appointment.create" for each carried-over appointment). The
// organization must have an ACTIVE term; there may be only one planned
// successor at a time (CONFLICT); the new term starts after the current
// one started and runs the rules' term length.
func (s *Store) PrepareSuccession(ctx context.Context, v *Viewer, in PrepareInput) (*ent.Term, error) {
	if err := apptMayEdit(v, "organizationId"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Term
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		o, err := tx.Organization.Get(ctx, in.OrganizationID)
		if err != nil {
			return apptHide(v, err, "organizationId", in.OrganizationID)
		}
		if err := v.AuthorizeIn(EditRoster, o.ID, "organizationId"); err != nil {
			return err
		}
		cur, err := succCurrent(ctx, tx, o, "organizationId")
		if err != nil {
			return err
		}
		if cur, err = succGuard(ctx, tx, cur.ID); err != nil {
			return err
		}
		if cur.Status != term.StatusACTIVE {
			return E(Conflict, "organizationId", "%s ended while this succession was being prepared", apptTermName(cur))
		}
		planned, err := tx.Term.Query().Where(term.OrganizationID(o.ID), term.StatusEQ(term.StatusPLANNED)).First(ctx)
		switch {
		case err == nil:
			e := E(Conflict, "organizationId", "%s already has a planned successor, %s: edit its roster, or complete or remove it first",
				o.Name, apptTermName(planned))
			e.Rule = "oneSuccessor"
			return e
		case !ent.IsNotFound(err):
			return err
		}
		start := DateOf(in.StartsOn)
		if !start.After(cur.StartsOn) {
			return Violation("startsOn", "afterCurrentStart", "startsOn %s must be after %s's first day, %s; terms never overlap",
				start.Format(DateLayout), apptTermName(cur), cur.StartsOn.Format(DateLayout))
		}
		last, err := tx.Term.Query().Where(term.OrganizationID(o.ID)).Order(ent.Desc(term.FieldOrdinal)).First(ctx)
		if err != nil {
			return err
		}
		r := RulesOf(o)
		nt, err := tx.Term.Create().SetOrganizationID(o.ID).SetOrdinal(last.Ordinal + 1).SetName(in.Name).
			SetStartsOn(start).SetEndsOn(start.AddDate(r.TermYears, 0, 0)).SetStatus(term.StatusPLANNED).Save(ctx)
		if err != nil {
			if ent.IsConstraintError(err) {
				return E(Conflict, "organizationId", "%s's term no. %d was created meanwhile", o.Name, last.Ordinal+1)
			}
			return fmt.Errorf("prepare succession of organization %d: %w", o.ID, err)
		}
		if err := rec.Change(actionSuccessionPrepare, nil, nt); err != nil {
			return err
		}
		for i, id := range in.CarryOver {
			if err := s.carryOver(ctx, tx, rec, v, cur, nt, id, fmt.Sprintf("carryOver[%d]", i)); err != nil {
				return err
			}
		}
		out = nt
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// carryOver proposes the holder of appointment id of the current term
// cur again, on the same post, in the new term nt.
func (s *Store) carryOver(ctx context.Context, tx *ent.Tx, rec *Recorder, v *Viewer, cur, nt *ent.Term, id int, field string) error {
	a, err := tx.Appointment.Get(ctx, id)
	switch {
	case ent.IsNotFound(err):
		return E(NotFound, field, "no appointment has id %d", id)
	case err != nil:
		return err
	case a.TermID != cur.ID:
		return Violation(field, "currentTerm", "appointment %d belongs to another term than %s, the current one", id, apptTermName(cur))
	case a.EndsOn != nil && a.EndsOn.Before(nt.StartsOn):
		return Violation(field, "held", "appointment %d ended on %s; only appointments held until the new term starts are carried over",
			id, a.EndsOn.Format(DateLayout))
	}
	_, err = s.appointTx(ctx, tx, rec, v, AppointInput{PersonID: a.PersonID, PostID: a.PostID, TermID: nt.ID,
		StartsOn: nt.StartsOn, ObtainedBy: string(appointment.ObtainedByCARRIED_OVER)})
	if err != nil {
		e := Wrap(err)
		if e.Kind == Internal {
			return err
		}
		out := *e
		out.Field, out.Problems = field, nil
		out.Message = fmt.Sprintf("carrying over appointment %d: %s", id, e.Message)
		return &out
	}
	return nil
}

// CompleteSuccession makes the planned term current on in.On, in one
// transaction: the organization's ACTIVE term ends (status ENDED, actual
// end On) with every appointment still open on that day (ends On,
// TERM_ENDED), and the planned term becomes ACTIVE from On for the
// rules' term length, its appointments that were to start before On, or
// on its planned first day, starting On. The checks of
// [Store.SuccessionReport] are made for On; when a blocking one fails
// the succession is refused (RULE_VIOLATION, every failing check in
// Problems), unless in.Override gives an administrator's reason. A
// succession completed meanwhile is a CONFLICT.
//
// It returns the new current term. Audited as "succession.complete" on
// both terms, "appointment.end" and "appointment.update" on the
// appointments, and "succession.override" with the reason and the
// checks set aside.
func (s *Store) CompleteSuccession(ctx context.Context, v *Viewer, in CompleteInput) (*ent.Term, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if r, _ := v.Reach(ApproveSuccession); r != Anywhere {
		return nil, v.forbidden(ApproveSuccession, "termId")
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if in.Override != nil {
		if r, _ := v.Reach(OverrideRules); r != Anywhere {
			return nil, v.forbidden(OverrideRules, "override")
		}
	}
	on, today := DateOf(in.On), s.Clock.Today()
	if on.After(today) {
		return nil, Violation("on", "notAfterToday", "on %s is after today, %s: a succession is completed once it has taken effect",
			on.Format(DateLayout), today.Format(DateLayout))
	}
	var out *ent.Term
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		nt, err := tx.Term.Get(ctx, in.TermID)
		if err != nil {
			if ent.IsNotFound(err) {
				return E(NotFound, "termId", "no term has id %d", in.TermID)
			}
			return err
		}
		if nt.Status != term.StatusPLANNED {
			return succNotPlanned(nt)
		}
		o, err := tx.Organization.Get(ctx, nt.OrganizationID)
		if err != nil {
			return err
		}
		cur, err := succCurrent(ctx, tx, o, "termId")
		if err != nil {
			return err
		}
		// The guard rows, the current term's first.
		if cur, err = succGuard(ctx, tx, cur.ID); err != nil {
			return err
		}
		if nt, err = succGuard(ctx, tx, nt.ID); err != nil {
			return err
		}
		if nt.Status != term.StatusPLANNED {
			return succNotPlanned(nt)
		}
		if cur.Status != term.StatusACTIVE {
			return E(Conflict, "termId", "%s ended meanwhile", apptTermName(cur))
		}
		if cur.Ordinal > nt.Ordinal {
			return Violation("termId", "successor", "%s comes before %s, the current term", apptTermName(nt), apptTermName(cur))
		}
		if !on.After(cur.StartsOn) {
			return Violation("on", "afterCurrentStart", "on %s must be after %s's first day, %s; terms never overlap",
				on.Format(DateLayout), apptTermName(cur), cur.StartsOn.Format(DateLayout))
		}

		rep, err := buildReport(ctx, tx.Client(), o, nt, on)
		if err != nil {
			return err
		}
		failing := rep.Failing()
		if len(failing) > 0 {
			if in.Override == nil {
				return succBlocked(nt, on, failing)
			}
			recordOverride(rec, nt, on, in.Override.Reason, failing)
		}

		if err := endTermAppointments(ctx, tx, rec, cur, on); err != nil {
			return err
		}
		ended, err := tx.Term.UpdateOneID(cur.ID).SetStatus(term.StatusENDED).SetActualEnd(on).Save(ctx)
		if err != nil {
			return fmt.Errorf("complete succession: end term %d: %w", cur.ID, err)
		}
		if err := rec.Change(actionSuccessionComplete, cur, ended); err != nil {
			return err
		}
		if err := startTermAppointments(ctx, tx, rec, nt, on); err != nil {
			return err
		}
		r := RulesOf(o)
		started, err := tx.Term.UpdateOneID(nt.ID).SetStatus(term.StatusACTIVE).SetStartsOn(on).
			SetEndsOn(on.AddDate(r.TermYears, 0, 0)).Save(ctx)
		if err != nil {
			if ent.IsConstraintError(err) {
				return E(Conflict, "termId", "%s has another active term", o.Name)
			}
			return fmt.Errorf("complete succession: start term %d: %w", nt.ID, err)
		}
		if err := rec.Change(actionSuccessionComplete, nt, started); err != nil {
			return err
		}
		out = started
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// endTermAppointments ends, on day on, every appointment of term t still
// held then: open, or ending later.
func endTermAppointments(ctx context.Context, tx *ent.Tx, rec *Recorder, t *ent.Term, on time.Time) error {
	held, err := tx.Appointment.Query().Where(appointment.TermID(t.ID),
		appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(on))).Order(appointment.ByID()).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range held {
		if !a.StartsOn.Before(on) {
			return Violation("on", "withinTerm", "appointment %d of %s starts on %s, not before on %s: end or move it first",
				a.ID, apptTermName(t), a.StartsOn.Format(DateLayout), on.Format(DateLayout))
		}
		after, err := tx.Appointment.UpdateOneID(a.ID).SetEndsOn(on).SetEndReason(appointment.EndReasonTERM_ENDED).Save(ctx)
		if err != nil {
			return fmt.Errorf("complete succession: end appointment %d: %w", a.ID, err)
		}
		if err := rec.Change(actionAppointmentEnd, a, after); err != nil {
			return err
		}
	}
	return nil
}

// startTermAppointments moves the first day of planned term t's
// appointments that were to begin with the term (on its planned first
// day, or before on) to on, the day it actually starts.
func startTermAppointments(ctx context.Context, tx *ent.Tx, rec *Recorder, t *ent.Term, on time.Time) error {
	apps, err := tx.Appointment.Query().Where(appointment.TermID(t.ID)).Order(appointment.ByID()).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range apps {
		if a.StartsOn.Equal(on) || (!a.StartsOn.Before(on) && !a.StartsOn.Equal(t.StartsOn)) {
			continue
		}
		if a.EndsOn != nil && !on.Before(*a.EndsOn) {
			return Violation("on", "withinTerm", "appointment %d of %s ends on %s, not after on %s: end or move it first",
				a.ID, apptTermName(t), a.EndsOn.Format(DateLayout), on.Format(DateLayout))
		}
		after, err := tx.Appointment.UpdateOneID(a.ID).SetStartsOn(on).Save(ctx)
		if err != nil {
			return fmt.Errorf("complete succession: start appointment %d: %w", a.ID, err)
		}
		if err := rec.Change(actionAppointmentUpdate, a, after); err != nil {
			return err
		}
	}
	return nil
}

// recordOverride keeps in the audit trail who set which checks aside,
// for what reason, for the succession to term t on day on.
func recordOverride(rec *Recorder, t *ent.Term, on time.Time, reason string, failing []Check) {
	checks := make([]any, len(failing))
	for i, c := range failing {
		checks[i] = map[string]any{"name": c.Name, "text": c.Text}
	}
	rec.Record(Change{Action: actionSuccessionOverride, Entity: "Term", EntityID: t.ID, After: map[string]any{
		"termId": t.ID, "on": on, "reason": reason, "checks": checks,
	}})
}

// succCurrent returns the organization's ACTIVE term, the one a
// succession replaces; field names the input that chose it.
func succCurrent(ctx context.Context, tx *ent.Tx, o *ent.Organization, field string) (*ent.Term, error) {
	cur, err := tx.Term.Query().Where(term.OrganizationID(o.ID), term.StatusEQ(term.StatusACTIVE)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Violation(field, "activeTerm", "%s has no active term to succeed", o.Name)
	}
	return cur, err
}

// succGuard takes term id's row as a guard and returns it as it stands
// once held.
func succGuard(ctx context.Context, tx *ent.Tx, id int) (*ent.Term, error) {
	if err := tx.Term.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		return nil, err
	}
	return tx.Term.Get(ctx, id)
}

func succNotPlanned(t *ent.Term) error {
	e := E(Conflict, "termId", "%s is %s, not PLANNED: its succession has been completed already", apptTermName(t), t.Status)
	e.Rule = "planned"
	return e
}

// succBlocked is the refusal of a succession whose blocking checks fail.
func succBlocked(t *ent.Term, on time.Time, failing []Check) error {
	probs := make([]Problem, len(failing))
	for i, c := range failing {
		probs[i] = Problem{Field: "termId", Rule: c.Name, Message: c.Text}
	}
	return &Error{Kind: RuleViolation, Field: "termId", Rule: failing[0].Name, Problems: probs,
		Message: fmt.Sprintf("the succession to %s on %s fails %d blocking check(s), first %s; an ADMIN may complete it with an override and a reason",
			apptTermName(t), on.Format(DateLayout), len(failing), failing[0].Text)}
}

// isBranch reports whether organizations of kind k take only ACTIVE
// members on their posts.
func isBranch(k organization.Kind) bool {
	return k == organization.KindACADEMIC_BRANCH || k == organization.KindSPECIAL_COMMITTEE
}
