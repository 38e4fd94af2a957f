package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/deferral"
	"github.com/societyregistry/registry/ent/term"
)

// A term still active past its planned end is overdue: its succession
// is late. The secretariat may defer it, with a reason and the name of
// whoever approved it, by at most the rules' maximum (default 365 days)
// past the planned end. A term may be deferred again, each time to a
// later day within that maximum; every deferral is kept.

// actionSuccessionDefer is the audit action of a deferral.
const actionSuccessionDefer = "succession.defer"

// DeferralInput defers an active term's succession.
type DeferralInput struct {
	TermID int `json:"termId" validate:"required"`
	// Until is the day by which the succession is to be completed:
	// after the planned end and after today, at most the rules' maximum
	// past the planned end.
	Until    time.Time `json:"until" validate:"required"`
	Reason   string    `json:"reason" validate:"required,max=500"`
	Approver string    `json:"approver" validate:"required,max=200"`
}

// RecordDeferral records a deferral of an ACTIVE term's succession, in
// one transaction recorded as "succession.defer", for viewers who may
// approve successions.
func (s *Store) RecordDeferral(ctx context.Context, v *Viewer, in DeferralInput) (*ent.Deferral, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if r, _ := v.Reach(ApproveSuccession); r != Anywhere {
		return nil, v.forbidden(ApproveSuccession, "termId")
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	until, today := DateOf(in.Until), s.Clock.Today()
	var out *ent.Deferral
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		t, err := succGuard(ctx, tx, in.TermID)
		if err != nil {
			if ent.IsNotFound(err) {
				return E(NotFound, "termId", "no term has id %d", in.TermID)
			}
			return err
		}
		if t.Status != term.StatusACTIVE {
			return Violation("termId", "activeTerm", "%s is %s: only an active term's succession is deferred", apptTermName(t), t.Status)
		}
		o, err := tx.Organization.Get(ctx, t.OrganizationID)
		if err != nil {
			return err
		}
		maxDays := RulesOf(o).MaxDeferralDays
		latest := t.EndsOn.AddDate(0, 0, maxDays)
		day := until.Format(DateLayout)
		switch {
		case !until.After(t.EndsOn):
			return Violation("until", "afterPlannedEnd", "until %s must be after %s's planned end, %s", day, apptTermName(t), t.EndsOn.Format(DateLayout))
		case until.After(latest):
			return Violation("until", "maxDeferralDays", "until %s is %d days past %s's planned end, %s; the rules allow at most %d, to %s",
				day, int(until.Sub(t.EndsOn).Hours()/24), apptTermName(t), t.EndsOn.Format(DateLayout), maxDays, latest.Format(DateLayout))
		case !until.After(today):
			return Violation("until", "afterToday", "until %s must be after today, %s", day, today.Format(DateLayout))
		}
		last, err := tx.Deferral.Query().Where(deferral.TermID(t.ID)).Order(ent.Desc(deferral.FieldUntil)).First(ctx)
		switch {
		case err == nil && !until.After(last.Until):
			return Violation("until", "laterThanLast", "%s is deferred until %s already; a new deferral must run later", apptTermName(t), last.Until.Format(DateLayout))
		case err != nil && !ent.IsNotFound(err):
			return err
		}
		d, err := tx.Deferral.Create().SetTermID(t.ID).SetUntil(until).SetReason(in.Reason).SetApprover(in.Approver).Save(ctx)
		if err != nil {
			return fmt.Errorf("defer succession of term %d: %w", t.ID, err)
		}
		if err := rec.Change(actionSuccessionDefer, nil, d); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
