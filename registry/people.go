package registry

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
)

// PersonInput is a new person of the member directory (createPerson).
// Text limits count characters, not bytes: a Chinese name of 100
// characters is allowed.
type PersonInput struct {
	Name   string `json:"name" validate:"required,max=100"`
	Gender string `json:"gender" validate:"omitempty,oneof=MALE FEMALE UNDISCLOSED"`
	// BirthDate, a calendar day, may not be after today.
	BirthDate         *time.Time `json:"birthDate"`
	ProfessionalTitle string     `json:"professionalTitle" validate:"max=100"`
	Specialty         string     `json:"specialty" validate:"max=100"`
	// InstitutionID names the person's institution, which must exist.
	InstitutionID *int   `json:"institutionId"`
	Email         string `json:"email" validate:"omitempty,email,max=254"`
	Phone         string `json:"phone" validate:"omitempty,phone"`
	IDNumber      string `json:"idNumber" validate:"omitempty,alphanum,max=32"`
}

// PersonPatch changes a person's details (updatePerson): a nil field is
// left as it is. The rules are those of [PersonInput]; an empty
// professional title, specialty, email, phone or identity number clears
// it, and ClearBirthDate and ClearInstitution clear the others.
type PersonPatch struct {
	ID                int        `json:"id" validate:"required"`
	Name              *string    `json:"name" validate:"omitnil,min=1,max=100"`
	Gender            *string    `json:"gender" validate:"omitnil,oneof=MALE FEMALE UNDISCLOSED"`
	BirthDate         *time.Time `json:"birthDate"`
	ClearBirthDate    bool       `json:"clearBirthDate"`
	ProfessionalTitle *string    `json:"professionalTitle" validate:"omitnil,max=100"`
	Specialty         *string    `json:"specialty" validate:"omitnil,max=100"`
	InstitutionID     *int       `json:"institutionId"`
	ClearInstitution  bool       `json:"clearInstitution"`
	// omitzero skips a pointer to "", which clears the field.
	Email    *string `json:"email" validate:"omitzero,email,max=254"`
	Phone    *string `json:"phone" validate:"omitzero,phone"`
	IDNumber *string `json:"idNumber" validate:"omitzero,alphanum,max=32"`
}

// CreatePerson adds a person to the member directory and records
// "person.create" in the audit trail.
func (s *Store) CreatePerson(ctx context.Context, v *Viewer, in PersonInput) (*ent.Person, error) {
	if err := v.Authorize(EditMembers); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	var birth *time.Time
	if in.BirthDate != nil {
		d := DateOf(*in.BirthDate)
		birth = &d
	}
	today := s.Clock.Today()
	if err := checkInput(in, notAfter("birthDate", birth, today)); err != nil {
		return nil, err
	}
	var out *ent.Person
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		if err := institutionExists(ctx, tx, in.InstitutionID); err != nil {
			return err
		}
		c := tx.Person.Create().SetName(in.Name).SetNillableBirthDate(birth).
			SetProfessionalTitle(in.ProfessionalTitle).SetSpecialty(in.Specialty).
			SetNillableInstitutionID(in.InstitutionID).
			SetEmail(in.Email).SetPhone(in.Phone).SetIDNumber(in.IDNumber)
		if in.Gender != "" {
			c.SetGender(person.Gender(in.Gender))
		}
		p, err := c.Save(ctx)
		if err != nil {
			return err
		}
		out = p
		return rec.Change("person.create", nil, p)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdatePerson changes a person's details and records "person.update"
// (nothing when the patch changes nothing). A branch secretary may
// update only a person who sits in one of the secretary's organizations;
// for anyone else, existing or not, the answer is FORBIDDEN, so the
// error does not tell which ids exist.
func (s *Store) UpdatePerson(ctx context.Context, v *Viewer, in PersonPatch) (*ent.Person, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	reach, orgs := v.Reach(EditPerson)
	if reach == Nowhere {
		return nil, v.forbidden(EditPerson, "id")
	}
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		in.Name = &name
	}
	var birth *time.Time
	if in.BirthDate != nil {
		d := DateOf(*in.BirthDate)
		birth = &d
	}
	today := s.Clock.Today()
	err := checkInput(in, notAfter("birthDate", birth, today),
		excludedWith("clearBirthDate", in.ClearBirthDate, "birthDate", in.BirthDate != nil),
		excludedWith("clearInstitution", in.ClearInstitution, "institutionId", in.InstitutionID != nil))
	if err != nil {
		return nil, err
	}
	var out *ent.Person
	err = s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		// The guard: the person's row, before anything is read.
		n, err := tx.Person.Update().Where(person.ID(in.ID)).SetUpdatedAt(time.Now()).Save(ctx)
		if err != nil {
			return err
		}
		if reach == InScope {
			ok, err := sitsIn(ctx, tx, in.ID, orgs, today)
			if err != nil {
				return err
			}
			if !ok {
				return v.forbidden(EditPerson, "id")
			}
		}
		if n == 0 {
			return E(NotFound, "id", "person %d does not exist", in.ID)
		}
		before, err := tx.Person.Get(ctx, in.ID)
		if err != nil {
			return err
		}
		if err := institutionExists(ctx, tx, in.InstitutionID); err != nil {
			return err
		}
		u := tx.Person.UpdateOne(before)
		if in.Name != nil {
			u.SetName(*in.Name)
		}
		if in.Gender != nil {
			u.SetGender(person.Gender(*in.Gender))
		}
		switch {
		case birth != nil:
			u.SetBirthDate(*birth)
		case in.ClearBirthDate:
			u.ClearBirthDate()
		}
		if in.ProfessionalTitle != nil {
			u.SetProfessionalTitle(*in.ProfessionalTitle)
		}
		if in.Specialty != nil {
			u.SetSpecialty(*in.Specialty)
		}
		switch {
		case in.InstitutionID != nil:
			u.SetInstitutionID(*in.InstitutionID)
		case in.ClearInstitution:
			u.ClearInstitutionID()
		}
		if in.Email != nil {
			u.SetEmail(*in.Email)
		}
		if in.Phone != nil {
			u.SetPhone(*in.Phone)
		}
		if in.IDNumber != nil {
			u.SetIDNumber(*in.IDNumber)
		}
		after, err := u.Save(ctx)
		if err != nil {
			return err
		}
		out = after
		if samePerson(before, after, in.IDNumber) {
			return nil
		}
		return rec.Change("person.update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// samePerson reports whether an update changed nothing. The trail keeps
// only whether an identity number is set, so a new number in place of
// another is compared on the rows themselves.
func samePerson(before, after *ent.Person, idNumber *string) bool {
	if idNumber != nil && before.IDNumber != after.IDNumber {
		return false
	}
	b, err1 := Snapshot(before)
	a, err2 := Snapshot(after)
	if err1 != nil || err2 != nil {
		return false
	}
	return maps.EqualFunc(b, a, func(x, y any) bool {
		cx, err1 := Canonical(x)
		cy, err2 := Canonical(y)
		return err1 == nil && err2 == nil && string(cx) == string(cy)
	})
}

// sitsIn reports whether the person sits in one of orgs on today: holds
// an appointment to a post of one of them that has begun and has not
// ended by today. An appointment to come does not count: otherwise a
// secretary could reach anyone's private data by appointing them to a
// planned term.
func sitsIn(ctx context.Context, tx *ent.Tx, personID int, orgs []int, today time.Time) (bool, error) {
	if len(orgs) == 0 {
		return false, nil
	}
	return tx.Appointment.Query().Where(
		appointment.PersonID(personID),
		appointment.HasPostWith(post.OrganizationIDIn(orgs...)),
		appointment.StartsOnLTE(today),
		appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(today)),
	).Exist(ctx)
}

// institutionExists returns NOT_FOUND on institutionId when id names no
// institution; a nil id is fine.
func institutionExists(ctx context.Context, tx *ent.Tx, id *int) error {
	if id == nil {
		return nil
	}
	ok, err := tx.Institution.Query().Where(institution.ID(*id)).Exist(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return E(NotFound, "institutionId", "institution %d does not exist", *id)
	}
	return nil
}

// notAfter is the problem of a day that lies after today, or nil.
func notAfter(field string, day *time.Time, today time.Time) *Problem {
	if day == nil || !day.After(today) {
		return nil
	}
	return &Problem{Field: field, Rule: "past",
		Message: fmt.Sprintf("%s %s is after today, %s", field, day.Format(DateLayout), today.Format(DateLayout))}
}

// excludedWith is the problem of field given together with other, or
// nil.
func excludedWith(field string, given bool, other string, otherGiven bool) *Problem {
	if !given || !otherGiven {
		return nil
	}
	return &Problem{Field: field, Rule: "exclusive", Message: fmt.Sprintf("%s may not be given with %s", field, other)}
}

// checkInput validates in by its tags (see [Validate]) and adds the
// problems that tags cannot state (nil entries are none), returning one
// BAD_USER_INPUT error with all of them.
func checkInput(in any, extra ...*Problem) error {
	var probs []Problem
	if err := Validate(in); err != nil {
		e := Wrap(err)
		if e.Kind != Invalid {
			return e
		}
		probs = append(probs, e.Problems...)
	}
	for _, p := range extra {
		if p != nil {
			probs = append(probs, *p)
		}
	}
	if len(probs) == 0 {
		return nil
	}
	msg := probs[0].Message
	if len(probs) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(probs)-1)
	}
	return &Error{Kind: Invalid, Field: probs[0].Field, Rule: probs[0].Rule, Message: msg, Problems: probs}
}
