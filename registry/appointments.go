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
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
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
		SetStartsOn(start).SetNillableEndsOn(end).SetObtainedBy(appointment.ObtainedBy(in.ObtainedBy))
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

// apptTermEnd returns the end (exclusive) of a term's dates as the
// roster rules see them, or nil when the term is open-ended: its actual
// end once it has one, else its planned end, except that an active term
// already past its planned end stays open until its succession.
func apptTermEnd(t *ent.Term, today time.Time) *time.Time {
	switch {
	case t.ActualEnd != nil:
		return t.ActualEnd
	case t.Status == term.StatusACTIVE && !today.Before(t.EndsOn):
		return nil
	}
	return &t.EndsOn
}

// apptWithin refuses a day outside term t's dates, [start, end): a
// first day (isStart) lies inside them, and an end (exclusive) on or
// before the term's end. end is the term's cap (see apptTermCaps): an
// overdue term ends, at the latest, when the organization's next term
// starts; nil when nothing bounds it yet.
func apptWithin(t *ent.Term, end *time.Time, field string, day time.Time, isStart bool) error {
	inside := !isStart || !day.Before(t.StartsOn)
	if end != nil {
		if isStart {
			inside = inside && day.Before(*end)
		} else {
			inside = !day.After(*end)
		}
	}
	if inside {
		return nil
	}
	from, planned := t.StartsOn.Format(DateLayout), t.EndsOn.Format(DateLayout)
	var dates string
	switch {
	case end == nil:
		dates = fmt.Sprintf("from %s, open while overdue (planned end %s)", from, planned)
	case t.ActualEnd == nil && end.Before(t.EndsOn):
		dates = fmt.Sprintf("from %s until the next term starts on %s (planned end %s)", from, end.Format(DateLayout), planned)
	case t.ActualEnd == nil && !end.Equal(t.EndsOn):
		dates = fmt.Sprintf("from %s, overdue since %s, until the next term starts on %s", from, planned, end.Format(DateLayout))
	default:
		dates = fmt.Sprintf("from %s to %s (exclusive)", from, end.Format(DateLayout))
	}
	return Violation(field, "withinTerm", "%s %s lies outside %s, which runs %s; an appointment lies inside its term's dates",
		field, day.Format(DateLayout), apptTermName(t), dates)
}

// apptActiveMember refuses a person who may not take a post in the
// organization: academic branches and special committees take only
// members with an ACTIVE membership.
func apptActiveMember(ctx context.Context, tx *ent.Tx, orgID, personID int) error {
	kind, err := tx.Organization.Query().Where(organization.ID(orgID)).Select(organization.FieldKind).String(ctx)
	if err != nil {
		return err
	}
	if k := organization.Kind(kind); k != organization.KindACADEMIC_BRANCH && k != organization.KindSPECIAL_COMMITTEE {
		return nil
	}
	m, err := tx.Membership.Query().Where(membership.PersonID(personID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return Violation("personId", "activeMember",
			"person %d has no membership; only members with an ACTIVE membership take posts in academic branches and special committees", personID)
	case err != nil:
		return err
	case m.Status != membership.StatusACTIVE:
		return Violation("personId", "activeMember",
			"person %d's membership %s is %s; only members with an ACTIVE membership take posts in academic branches and special committees",
			personID, m.MemberNumber, m.Status)
	}
	return nil
}

func apptPersonExists(ctx context.Context, tx *ent.Tx, personID int) error {
	ok, err := tx.Person.Query().Where(person.ID(personID)).Exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return E(NotFound, "personId", "no person has id %d", personID)
	}
	return nil
}

// apptTermCaps returns, for each term of an organization, the day its
// appointments end at the latest when they count against a post's seats
// (nil for none). An appointment lies inside its term, so an open one
// ends with the term: at the term's end (see apptTermEnd), and, for a
// term that has not ended, when the organization's next term starts if
// that comes first (an overdue term, or a successor planned to start
// before the planned end), since terms never overlap.
func apptTermCaps(ctx context.Context, tx *ent.Tx, orgID int, today time.Time) (map[int]*time.Time, error) {
	ts, err := tx.Term.Query().Where(term.OrganizationID(orgID)).Order(term.ByStartsOn()).All(ctx)
	if err != nil {
		return nil, err
	}
	caps := make(map[int]*time.Time, len(ts))
	for i, t := range ts {
		end := apptTermEnd(t, today)
		if t.ActualEnd == nil {
			for _, later := range ts[i+1:] {
				if later.StartsOn.After(t.StartsOn) {
					if end == nil || later.StartsOn.Before(*end) {
						end = &later.StartsOn
					}
					break
				}
			}
		}
		caps[t.ID] = end
	}
	return caps, nil
}

// apptSeats refuses one more holder of post p over [from, to) (to nil:
// open) when on some day of it the post's other appointments (all
// terms, but not appointment self) already fill its seats. Each
// appointment counts until its end, at the latest its term's cap.
func apptSeats(ctx context.Context, tx *ent.Tx, p *ent.Post, self int, caps map[int]*time.Time, field string, from time.Time, to *time.Time) error {
	if to != nil && !from.Before(*to) {
		return nil
	}
	q := tx.Appointment.Query().Where(appointment.PostID(p.ID), appointment.IDNEQ(self),
		appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(from)))
	if to != nil {
		q.Where(appointment.StartsOnLT(*to))
	}
	others, err := q.All(ctx)
	if err != nil {
		return err
	}
	// Sweep the days on which the count changes; an end is exclusive,
	// so on a day where one appointment ends and another starts the end
	// goes first.
	type change struct {
		day time.Time
		by  int
	}
	var changes []change
	for _, o := range others {
		start := o.StartsOn
		if start.Before(from) {
			start = from
		}
		end := apptMinEnd(apptMinEnd(o.EndsOn, caps[o.TermID]), to)
		if end != nil && !start.Before(*end) {
			continue
		}
		changes = append(changes, change{start, +1})
		if end != nil {
			changes = append(changes, change{*end, -1})
		}
	}
	slices.SortFunc(changes, func(a, b change) int {
		return cmp.Or(a.day.Compare(b.day), cmp.Compare(a.by, b.by))
	})
	held := 0
	for _, c := range changes {
		held += c.by
		if c.by > 0 && held >= p.Seats {
			return Violation(field, "seats", "post %q (id %d) has %d seat(s), all taken on %s; a post never holds more people than its seats",
				p.Title, p.ID, p.Seats, c.day.Format(DateLayout))
		}
	}
	return nil
}

// apptMinEnd returns the earlier of two exclusive ends, nil meaning
// none.
func apptMinEnd(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.Before(*b):
		return a
	}
	return b
}

// apptDay returns the calendar day of *t, or nil.
func apptDay(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := DateOf(*t)
	return &d
}
