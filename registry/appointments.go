package registry

// The roster operations: appoint a person to a post in a term, end an
// appointment, and change one. Each checks the society's roster rules:
//
//   - the post belongs to the term's organization (sameOrganization);
//   - an ended term's roster is read-only (termEnded);
//   - an appointment lies inside its term's dates (withinTerm);
//   - one person holds a post at most once in a term (oncePerTerm);
//   - a post never holds more people than its seats on any day (seats);
//   - only members with an ACTIVE membership take posts in academic
//     branches and special committees (activeMember);
//   - an end reason goes with an end date (requiresEnd), and an
//     appointment is ended once (alreadyEnded).
//
// Seats are counted across all the post's terms, so that two terms'
// rosters cannot overlap on a full post. Under contention each operation
// first updates its guard rows, the term's and then the post's, always
// in this order (DESIGN.md, Writes under contention): every writer of a
// post's roster waits for the one before it, and reads what that one
// committed.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/term"
)

// AppointInput appoints a person to a post in a term.
type AppointInput struct {
	PersonID int       `json:"personId" validate:"required"`
	PostID   int       `json:"postId" validate:"required"`
	TermID   int       `json:"termId" validate:"required"`
	StartsOn time.Time `json:"startsOn" validate:"required"`
	// EndsOn is the first day the person no longer holds the post;
	// nil while the appointment is open.
	EndsOn     *time.Time `json:"endsOn" validate:"omitempty,gtfield=StartsOn"`
	ObtainedBy string     `json:"obtainedBy" validate:"required,oneof=ELECTED APPOINTED CARRIED_OVER EX_OFFICIO"`
	// EndReason says why the appointment ends; only with EndsOn.
	EndReason string `json:"endReason" validate:"omitempty,oneof=TERM_ENDED RESIGNED REMOVED DECEASED OTHER"`
	// election is the election whose certified result makes the
	// appointment; set by certification only.
	election *int
}

// EndInput ends an open appointment.
type EndInput struct {
	AppointmentID int `json:"appointmentId" validate:"required"`
	// EndsOn is the first day the person no longer holds the post.
	EndsOn time.Time `json:"endsOn" validate:"required"`
	Reason string    `json:"reason" validate:"required,oneof=TERM_ENDED RESIGNED REMOVED DECEASED OTHER"`
}

// AppointmentPatch changes an appointment; a nil field stays as it is.
type AppointmentPatch struct {
	AppointmentID int        `json:"appointmentId" validate:"required"`
	StartsOn      *time.Time `json:"startsOn"`
	EndsOn        *time.Time `json:"endsOn"`
	// ClearEnd reopens the appointment: it clears endsOn and endReason.
	ClearEnd   bool    `json:"clearEnd" validate:"excluded_with=EndsOn"`
	ObtainedBy *string `json:"obtainedBy" validate:"omitempty,oneof=ELECTED APPOINTED CARRIED_OVER EX_OFFICIO"`
	EndReason  *string `json:"endReason" validate:"omitempty,oneof=TERM_ENDED RESIGNED REMOVED DECEASED OTHER"`
}

// Audit actions of the roster operations.
const (
	actionAppointmentCreate = "appointment.create"
	actionAppointmentEnd    = "appointment.end"
	actionAppointmentUpdate = "appointment.update"
)

// Appoint appoints a person to a post in a term, in one transaction
// recorded as "appointment.create", after checking the roster rules.
func (s *Store) Appoint(ctx context.Context, v *Viewer, in AppointInput) (*ent.Appointment, error) {
	if err := apptMayEdit(v, "termId"); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *ent.Appointment
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) (err error) {
		out, err = s.appointTx(ctx, tx, rec, v, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndAppointment ends an open appointment on a day for a reason, in one
// transaction recorded as "appointment.end". An appointment that already
// has an end is refused: [Store.UpdateAppointment] changes an end.
func (s *Store) EndAppointment(ctx context.Context, v *Viewer, in EndInput) (*ent.Appointment, error) {
	if err := apptMayEdit(v, "appointmentId"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Appointment
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) (err error) {
		out, err = s.endAppointmentTx(ctx, tx, rec, v, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateAppointment changes an appointment's dates, how it was obtained
// or why it ended, in one transaction recorded as "appointment.update".
// A patch that changes nothing writes nothing and records no event.
func (s *Store) UpdateAppointment(ctx context.Context, v *Viewer, in AppointmentPatch) (*ent.Appointment, error) {
	if err := apptMayEdit(v, "appointmentId"); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *ent.Appointment
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) (err error) {
		out, err = s.updateAppointmentTx(ctx, tx, rec, v, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appointTx is the part of [Store.Appoint] inside the transaction, for
// callers that make many roster changes in one.
func (s *Store) appointTx(ctx context.Context, tx *ent.Tx, rec *Recorder, v *Viewer, in AppointInput) (*ent.Appointment, error) {
	if err := apptMayEdit(v, "termId"); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	start, end := DateOf(in.StartsOn), apptDay(in.EndsOn)
	// Two instants in order may still fall on one day.
	if err := (apptState{start: start, end: end}).inOrder("endsOn", "dateOrder"); err != nil {
		return nil, err
	}
	t, p, err := apptGuard(ctx, tx, v, in.TermID, in.PostID, "termId", "postId")
	if err != nil {
		return nil, err
	}
	if err := apptPersonExists(ctx, tx, in.PersonID); err != nil {
		return nil, err
	}
	if t.Status == term.StatusENDED {
		return nil, apptTermEnded(t, "termId")
	}
	if p.OrganizationID != t.OrganizationID {
		return nil, Violation("postId", "sameOrganization",
			// The post's title stays out: its organization may lie
			// outside the caller's reach.
			"post %d belongs to another organization than %s", p.ID, apptTermName(t))
	}
	today := s.Clock.Today()
	caps, err := apptTermCaps(ctx, tx, t.OrganizationID, today)
	if err != nil {
		return nil, err
	}
	if err := apptWithin(t, caps[t.ID], "startsOn", start, true); err != nil {
		return nil, err
	}
	if end != nil {
		if err := apptWithin(t, caps[t.ID], "endsOn", *end, false); err != nil {
			return nil, err
		}
	}
	if err := apptActiveMember(ctx, tx, t.OrganizationID, in.PersonID); err != nil {
		return nil, err
	}
	held, err := tx.Appointment.Query().Where(appointment.PersonID(in.PersonID), appointment.PostID(p.ID),
		appointment.TermID(t.ID)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if held {
		return nil, apptOncePerTerm(in.PersonID, p, t)
	}
	if err := apptSeats(ctx, tx, p, 0, caps, "postId", start, apptMinEnd(end, caps[t.ID])); err != nil {
		return nil, err
	}
	c := tx.Appointment.Create().SetPersonID(in.PersonID).SetPostID(p.ID).SetTermID(t.ID).
		SetStartsOn(start).SetNillableEndsOn(end).SetObtainedBy(appointment.ObtainedBy(in.ObtainedBy)).
		SetNillableElectionID(in.election)
	if in.EndReason != "" {
		c.SetEndReason(appointment.EndReason(in.EndReason))
	}
	a, err := c.Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) && apptUniqueViolation(err) {
			return nil, apptOncePerTerm(in.PersonID, p, t)
		}
		return nil, fmt.Errorf("appoint person %d to post %d in term %d: %w", in.PersonID, p.ID, t.ID, err)
	}
	if err := rec.Change(actionAppointmentCreate, nil, a); err != nil {
		return nil, err
	}
	return a, nil
}

// endAppointmentTx is the part of [Store.EndAppointment] inside the
// transaction.
func (s *Store) endAppointmentTx(ctx context.Context, tx *ent.Tx, rec *Recorder, v *Viewer, in EndInput) (*ent.Appointment, error) {
	if err := apptMayEdit(v, "appointmentId"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	end, reason := DateOf(in.EndsOn), appointment.EndReason(in.Reason)
	return s.changeAppointmentTx(ctx, tx, rec, v, in.AppointmentID, actionAppointmentEnd, func(a *ent.Appointment) (apptState, error) {
		if a.EndsOn != nil {
			return apptState{}, Violation("appointmentId", "alreadyEnded",
				"appointment %d already ended on %s; change its end with updateAppointment", a.ID, a.EndsOn.Format(DateLayout))
		}
		st := apptStateOf(a)
		st.end, st.reason = &end, &reason
		return st, st.inOrder("endsOn", "dateOrder")
	})
}

// updateAppointmentTx is the part of [Store.UpdateAppointment] inside
// the transaction, for callers that make many roster changes in one.
func (s *Store) updateAppointmentTx(ctx context.Context, tx *ent.Tx, rec *Recorder, v *Viewer, in AppointmentPatch) (*ent.Appointment, error) {
	if err := apptMayEdit(v, "appointmentId"); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	return s.changeAppointmentTx(ctx, tx, rec, v, in.AppointmentID, actionAppointmentUpdate, in.apply)
}

// changeAppointmentTx changes appointment id to what next makes of it,
// checking the roster rules on what changes, and records the change
// under action. next is asked twice: once to find an unchanged patch
// (which then writes nothing at all, no guard row either), and again on
// the row as it stands once the guard rows are held.
func (s *Store) changeAppointmentTx(ctx context.Context, tx *ent.Tx, rec *Recorder, v *Viewer, id int, action string,
	next func(*ent.Appointment) (apptState, error)) (*ent.Appointment, error) {
	const field = "appointmentId"
	a, err := tx.Appointment.Get(ctx, id)
	if err != nil {
		return nil, apptHide(v, err, field, id)
	}
	t, err := tx.Term.Get(ctx, a.TermID)
	if err != nil {
		return nil, err
	}
	if err := v.AuthorizeIn(EditRoster, t.OrganizationID, field); err != nil {
		return nil, err
	}
	if t.Status == term.StatusENDED {
		return nil, apptTermEnded(t, field)
	}
	st, err := next(a)
	if err != nil {
		return nil, err
	}
	if st.same(a) {
		return a, nil
	}

	t, p, err := apptGuard(ctx, tx, v, a.TermID, a.PostID, field, field)
	if err != nil {
		return nil, err
	}
	if a, err = tx.Appointment.Get(ctx, id); err != nil {
		return nil, err
	}
	if t.Status == term.StatusENDED {
		return nil, apptTermEnded(t, field)
	}
	if st, err = next(a); err != nil {
		return nil, err
	}
	if st.same(a) {
		return a, nil
	}
	today := s.Clock.Today()
	caps, err := apptTermCaps(ctx, tx, t.OrganizationID, today)
	if err != nil {
		return nil, err
	}
	if !st.start.Equal(a.StartsOn) {
		if err := apptWithin(t, caps[t.ID], "startsOn", st.start, true); err != nil {
			return nil, err
		}
	}
	if st.end != nil && (a.EndsOn == nil || !st.end.Equal(*a.EndsOn)) {
		if err := apptWithin(t, caps[t.ID], "endsOn", *st.end, false); err != nil {
			return nil, err
		}
	}
	// Seats are counted only on the days the appointment gains: ending
	// or shortening one never fails for want of a seat.
	oldEnd, newEnd := apptMinEnd(a.EndsOn, caps[t.ID]), apptMinEnd(st.end, caps[t.ID])
	if st.start.Before(a.StartsOn) {
		to := apptMinEnd(&a.StartsOn, newEnd)
		if err := apptSeats(ctx, tx, p, a.ID, caps, "startsOn", st.start, to); err != nil {
			return nil, err
		}
	}
	if oldEnd != nil && (newEnd == nil || newEnd.After(*oldEnd)) {
		from, field := *oldEnd, "endsOn"
		if st.start.After(from) {
			from = st.start
		}
		if st.end == nil {
			field = "clearEnd"
		}
		if err := apptSeats(ctx, tx, p, a.ID, caps, field, from, newEnd); err != nil {
			return nil, err
		}
	}

	u := tx.Appointment.UpdateOneID(a.ID).SetStartsOn(st.start).SetObtainedBy(st.obtainedBy)
	if st.end == nil {
		u.ClearEndsOn()
	} else {
		u.SetEndsOn(*st.end)
	}
	if st.reason == nil {
		u.ClearEndReason()
	} else {
		u.SetEndReason(*st.reason)
	}
	after, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s %d: %w", action, a.ID, err)
	}
	if err := rec.Change(action, a, after); err != nil {
		return nil, err
	}
	return after, nil
}

// check checks the input's shape, the tags and what they cannot say.
func (in AppointInput) check() error {
	var extra []Problem
	if in.EndReason != "" && in.EndsOn == nil {
		extra = append(extra, Problem{Field: "endReason", Rule: "requiresEnd",
			Message: "endReason goes with endsOn: an open appointment has no end reason"})
	}
	return apptInvalid(in, extra)
}

// check checks the patch's shape, the tags and what they cannot say.
func (in AppointmentPatch) check() error {
	var extra []Problem
	if in.ClearEnd && in.EndReason != nil {
		extra = append(extra, Problem{Field: "endReason", Rule: "requiresEnd",
			Message: "endReason may not be given with clearEnd: a reopened appointment has no end reason"})
	}
	return apptInvalid(in, extra)
}

// apply returns what the patch makes of a.
func (in AppointmentPatch) apply(a *ent.Appointment) (apptState, error) {
	st := apptStateOf(a)
	if in.StartsOn != nil {
		st.start = DateOf(*in.StartsOn)
	}
	if in.ClearEnd {
		st.end, st.reason = nil, nil
	}
	if in.EndsOn != nil {
		st.end = apptDay(in.EndsOn)
	}
	if in.ObtainedBy != nil {
		st.obtainedBy = appointment.ObtainedBy(*in.ObtainedBy)
	}
	if in.EndReason != nil {
		r := appointment.EndReason(*in.EndReason)
		st.reason = &r
	}
	if st.reason != nil && st.end == nil {
		return st, &Error{Kind: Invalid, Field: "endReason", Rule: "requiresEnd",
			Message: fmt.Sprintf("appointment %d is open: endReason goes with endsOn", a.ID)}
	}
	if in.EndsOn != nil {
		return st, st.inOrder("endsOn", "dateOrder")
	}
	return st, st.inOrder("startsOn", "ltfield")
}

// apptState is what an appointment's changeable fields are to become.
type apptState struct {
	start      time.Time
	end        *time.Time
	obtainedBy appointment.ObtainedBy
	reason     *appointment.EndReason
}

func apptStateOf(a *ent.Appointment) apptState {
	return apptState{start: a.StartsOn, end: a.EndsOn, obtainedBy: a.ObtainedBy, reason: a.EndReason}
}

// same reports whether st leaves a as it is.
func (st apptState) same(a *ent.Appointment) bool {
	sameEnd := (st.end == nil) == (a.EndsOn == nil) && (st.end == nil || st.end.Equal(*a.EndsOn))
	sameReason := (st.reason == nil) == (a.EndReason == nil) && (st.reason == nil || *st.reason == *a.EndReason)
	return st.start.Equal(a.StartsOn) && sameEnd && st.obtainedBy == a.ObtainedBy && sameReason
}

// inOrder says BAD_USER_INPUT on field when the dates are not in order.
func (st apptState) inOrder(field, rule string) error {
	if st.end == nil || st.start.Before(*st.end) {
		return nil
	}
	msg := fmt.Sprintf("endsOn must be after startsOn (%s)", st.start.Format(DateLayout))
	if field == "startsOn" {
		msg = fmt.Sprintf("startsOn must be before endsOn (%s)", st.end.Format(DateLayout))
	}
	return &Error{Kind: Invalid, Field: field, Rule: rule, Message: msg}
}

// apptMayEdit refuses, before anything is read, a viewer who may change
// no roster at all.
func apptMayEdit(v *Viewer, field string) error {
	if v == nil {
		return unauthenticated()
	}
	if !v.Can(EditRoster) {
		return v.forbidden(EditRoster, field)
	}
	return nil
}

// apptInvalid checks in's validate tags and adds the faults in extra, so
// that one error lists every fault of the input.
func apptInvalid(in any, extra []Problem) error {
	err := Validate(in)
	if len(extra) == 0 {
		return err
	}
	var probs []Problem
	if err != nil {
		e := Wrap(err)
		if e.Kind != Invalid {
			return e
		}
		probs = e.Problems
	}
	probs = append(probs, extra...)
	msg := probs[0].Message
	if len(probs) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(probs)-1)
	}
	return &Error{Kind: Invalid, Field: probs[0].Field, Rule: probs[0].Rule, Message: msg, Problems: probs}
}

// apptHide reports a row that is not there: NOT_FOUND to a viewer who
// may edit every roster, FORBIDDEN to a scoped one, who is not told
// which rows exist outside its organizations.
func apptHide(v *Viewer, err error, field string, id int) error {
	if !ent.IsNotFound(err) {
		return err
	}
	if r, _ := v.Reach(EditRoster); r != Anywhere {
		return v.forbidden(EditRoster, field)
	}
	return E(NotFound, field, "no %s has id %d", strings.TrimSuffix(field, "Id"), id)
}

// apptGuard takes the guard rows of a roster change, the term's and then
// the post's, and returns both as they stand once held. The viewer must
// be allowed to edit the roster of the term's organization; termField
// and postField name the input that chose each row.
func apptGuard(ctx context.Context, tx *ent.Tx, v *Viewer, termID, postID int, termField, postField string) (*ent.Term, *ent.Post, error) {
	now := time.Now()
	if err := tx.Term.UpdateOneID(termID).SetUpdatedAt(now).Exec(ctx); err != nil {
		return nil, nil, apptHide(v, err, termField, termID)
	}
	t, err := tx.Term.Get(ctx, termID)
	if err != nil {
		return nil, nil, err
	}
	if err := v.AuthorizeIn(EditRoster, t.OrganizationID, termField); err != nil {
		return nil, nil, err
	}
	if err := tx.Post.UpdateOneID(postID).SetUpdatedAt(now).Exec(ctx); err != nil {
		if ent.IsNotFound(err) {
			return nil, nil, E(NotFound, postField, "no post has id %d", postID)
		}
		return nil, nil, err
	}
	p, err := tx.Post.Get(ctx, postID)
	if err != nil {
		return nil, nil, err
	}
	return t, p, nil
}

// apptTermName names a term in messages.
func apptTermName(t *ent.Term) string {
	if t.Name != "" {
		return fmt.Sprintf("term %q (id %d)", t.Name, t.ID)
	}
	return fmt.Sprintf("term no. %d (id %d)", t.Ordinal, t.ID)
}

func apptTermEnded(t *ent.Term, field string) error {
	return Violation(field, "termEnded", "%s has ended; an ended term's roster is read-only", apptTermName(t))
}

func apptOncePerTerm(personID int, p *ent.Post, t *ent.Term) error {
	e := E(Conflict, "personId", "person %d already holds post %q in %s; one person holds a post at most once in a term",
		personID, p.Title, apptTermName(t))
	e.Rule = "oncePerTerm"
	return e
}

// apptUniqueViolation reports whether a constraint error is a unique
// index's: on appointments, only one person per post per term.
func apptUniqueViolation(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "unique") || strings.Contains(msg, "duplicate key")
}
