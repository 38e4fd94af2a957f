package registry

// The roster rules that read the calendar and the rows around an
// appointment: a term's dates and how far an overdue one reaches, the
// seats of a post on every day, and who may hold a branch post.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/term"
)

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
