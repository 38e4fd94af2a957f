package registry

// The member representative assembly of one term of the association: its
// seats are apportioned to constituencies (academic branches and unit
// members, as the secretariat chooses) in proportion to their active
// members by the largest-remainder method after the rules' minimum
// (registry/tally), the secretariat may adjust a constituency's seats
// with a reason, and each seat is filled by a named representative (an
// active member; a unit's representative is on its staff and speaks for
// it), with substitutes who may later take a representative's seat.
// Representatives then sit in the assembly's numbered sessions, which
// are Meetings (meeting.go).

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/assembly"
	"github.com/societyregistry/registry/ent/constituency"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/tally"
)

// The audit actions of the assembly.
const (
	actionAssemblyCreate    = "assembly.create"
	actionAssemblyApportion = "assembly.apportion"
	actionAssemblyAdjust    = "assembly.adjust"
	actionAssemblySeat      = "assembly.seat"
	actionAssemblyReplace   = "assembly.replace"
)

// AssemblyInput creates the assembly of a term of the association.
type AssemblyInput struct {
	TermID int    `json:"termId" validate:"required"`
	Name   string `json:"name" validate:"required,max=200"`
	// Seats is the number of representatives to apportion.
	Seats int `json:"seats" validate:"required,min=1,max=100000"`
}

// CreateAssembly creates the member representative assembly of a term of
// the association: one per term. Recorded as "assembly.create".
func (s *Store) CreateAssembly(ctx context.Context, v *Viewer, in AssemblyInput) (*ent.Assembly, error) {
	if err := mayConvene(v, in); err != nil {
		return nil, err
	}
	var out *ent.Assembly
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		t, err := tx.Term.Query().Where(term.ID(in.TermID)).WithOrganization().Only(ctx)
		if ent.IsNotFound(err) {
			return E(NotFound, "termId", "no term has id %d", in.TermID)
		}
		if err != nil {
			return err
		}
		if t.Edges.Organization.Kind != organization.KindASSOCIATION {
			return Violation("termId", "associationTerm", "%s belongs to %s, a %s; the member representative assembly is the association's",
				apptTermName(t), t.Edges.Organization.Name, t.Edges.Organization.Kind)
		}
		if t.Status == term.StatusENDED {
			return apptTermEnded(t, "termId")
		}
		a, err := tx.Assembly.Create().SetTermID(t.ID).SetName(in.Name).SetSeats(in.Seats).Save(ctx)
		if ent.IsConstraintError(err) {
			e := E(Conflict, "termId", "%s has an assembly already; one assembly per term", apptTermName(t))
			e.Rule = "oneAssemblyPerTerm"
			return e
		}
		if err != nil {
			return err
		}
		out = a
		return rec.Change(actionAssemblyCreate, nil, a)
	})
	return out, err
}

// ApportionInput apportions an assembly's seats among constituencies.
type ApportionInput struct {
	AssemblyID int `json:"assemblyId" validate:"required"`
	// On is the day whose active members are counted; the zero time
	// means today.
	On time.Time `json:"on"`
	// Organizations are academic branches and special committees, and
	// Institutions unit members, each one constituency.
	Organizations []int `json:"organizationIds" validate:"max=500,unique"`
	Institutions  []int `json:"institutionIds" validate:"max=5000,unique"`
}

// ApportionSeats shares the assembly's seats among the constituencies
// given, in proportion to their active members on the day, each first
// getting the rules' minimum (assemblyMinSeats of the association); the
// constituencies are taken in order of name, so remainders tied at the
// cut-off go to the larger population, then to the name first. A
// branch's active members are the people with an ACTIVE membership who
// sit in its term on the day; a unit member's, the people of its staff
// with an ACTIVE membership. The constituencies replace any earlier
// apportionment, which is allowed only while no representative is
// seated. Recorded as "assembly.apportion", one event per constituency.
func (s *Store) ApportionSeats(ctx context.Context, v *Viewer, in ApportionInput) ([]*ent.Constituency, error) {
	if err := mayConvene(v, in); err != nil {
		return nil, err
	}
	if len(in.Organizations)+len(in.Institutions) == 0 {
		return nil, &Error{Kind: Invalid, Field: "organizationIds", Rule: "required", Message: "name at least one constituency: organizationIds or institutionIds"}
	}
	day := s.Clock.Today()
	if !in.On.IsZero() {
		day = DateOf(in.On)
	}
	var out []*ent.Constituency
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		a, assoc, err := assemblyGuard(ctx, tx, in.AssemblyID, "assemblyId")
		if err != nil {
			return err
		}
		seated, err := tx.Participant.Query().Where(participant.AssemblyID(a.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		if seated {
			e := E(Conflict, "assemblyId", "assembly %q has representatives seated; adjust a constituency's seats instead", a.Name)
			e.Rule = "notSeated"
			return e
		}
		cs, err := constituenciesOf(ctx, tx, in, day)
		if err != nil {
			return err
		}
		// By name, so the remainders' tie-break (the larger population,
		// then the first) does not depend on the order of the request.
		slices.SortStableFunc(cs, func(x, y body) int { return cmp.Compare(x.name, y.name) })
		pops := make([]int64, len(cs))
		for i, c := range cs {
			pops[i] = c.members
		}
		minimum := RulesOf(assoc).AssemblyMinSeats
		share, err := tally.Apportion(a.Seats, minimum, pops)
		switch {
		case errors.Is(err, tally.ErrTooFewSeats):
			return Violation("organizationIds", "assemblyMinSeats", "%d seats do not give each of %d constituencies the rules' minimum of %d",
				a.Seats, len(cs), minimum)
		case errors.Is(err, tally.ErrNoPopulation):
			return Violation("organizationIds", "activeMembers", "none of the constituencies has an active member on %s to share seats by", day.Format(DateLayout))
		case err != nil:
			return err
		}
		if _, err := tx.Constituency.Delete().Where(constituency.AssemblyID(a.ID)).Exec(ctx); err != nil {
			return err
		}
		for i, c := range cs {
			row, err := tx.Constituency.Create().SetAssemblyID(a.ID).SetName(c.name).
				SetNillableOrganizationID(c.org).SetNillableInstitutionID(c.inst).
				SetActiveMembers(int(c.members)).SetComputedSeats(share.Shares[i].Seats).SetSeats(share.Shares[i].Seats).
				SetArithmetic(share.Shares[i].Text).Save(ctx)
			if err != nil {
				return err
			}
			out = append(out, row)
			if err := rec.Change(actionAssemblyApportion, nil, row); err != nil {
				return err
			}
		}
		_, err = tx.Assembly.UpdateOne(a).SetApportionedOn(day).Save(ctx)
		return err
	})
	return out, err
}

// candidate constituency: a body and its active members.
type body struct {
	name      string
	org, inst *int
	members   int64
}

// constituenciesOf reads the bodies of an apportionment with their
// active members on day: organizations, then institutions, as given.
func constituenciesOf(ctx context.Context, tx *ent.Tx, in ApportionInput, day time.Time) ([]body, error) {
	var out []body
	for i, id := range in.Organizations {
		field := fmt.Sprintf("organizationIds[%d]", i)
		o, err := tx.Organization.Get(ctx, id)
		if ent.IsNotFound(err) {
			return nil, E(NotFound, field, "no organization has id %d", id)
		}
		if err != nil {
			return nil, err
		}
		if !isBranch(o.Kind) {
			return nil, Violation(field, "branch", "%s is a %s; constituencies are academic branches and special committees, or unit members", o.Name, o.Kind)
		}
		n, err := tx.Person.Query().Where(
			person.HasMembershipWith(membership.StatusEQ(membership.StatusACTIVE)),
			person.HasAppointmentsWith(
				appointment.HasPostWith(post.OrganizationID(id)),
				appointment.HasTermWith(term.StatusNEQ(term.StatusPLANNED)),
				appointment.StartsOnLTE(day), appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(day))),
		).Count(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, body{name: o.Name, org: &o.ID, members: int64(n)})
	}
	for i, id := range in.Institutions {
		field := fmt.Sprintf("institutionIds[%d]", i)
		inst, err := tx.Institution.Get(ctx, id)
		if ent.IsNotFound(err) {
			return nil, E(NotFound, field, "no institution has id %d", id)
		}
		if err != nil {
			return nil, err
		}
		unit, err := tx.Membership.Query().Where(membership.InstitutionID(id), membership.StatusEQ(membership.StatusACTIVE)).Exist(ctx)
		if err != nil {
			return nil, err
		}
		if !unit {
			return nil, Violation(field, "activeMember", "%s has no ACTIVE unit membership; only unit members are constituencies", inst.Name)
		}
		n, err := tx.Person.Query().Where(person.InstitutionID(id),
			person.HasMembershipWith(membership.StatusEQ(membership.StatusACTIVE))).Count(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, body{name: inst.Name, inst: &inst.ID, members: int64(n)})
	}
	return out, nil
}

// AdjustInput sets a constituency's seats by the secretariat's decision.
type AdjustInput struct {
	ConstituencyID int    `json:"constituencyId" validate:"required"`
	Seats          int    `json:"seats" validate:"min=0,max=100000"`
	Reason         string `json:"reason" validate:"required,max=500"`
}

// AdjustSeats sets a constituency's seats, keeping what the
// apportionment computed beside them; never below the representatives
// already seated. The assembly's seats become the sum of its
// constituencies'. Recorded as "assembly.adjust".
func (s *Store) AdjustSeats(ctx context.Context, v *Viewer, in AdjustInput) (*ent.Constituency, error) {
	if err := mayConvene(v, in); err != nil {
		return nil, err
	}
	var out *ent.Constituency
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		c, err := constituencyGuard(ctx, tx, in.ConstituencyID)
		if err != nil {
			return err
		}
		seated, err := seatedIn(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if in.Seats < seated {
			return Violation("seats", "seated", "%s has %d representatives seated; its seats cannot go below that", c.Name, seated)
		}
		after, err := tx.Constituency.UpdateOne(c).SetSeats(in.Seats).SetAdjustReason(in.Reason).Save(ctx)
		if err != nil {
			return err
		}
		total, err := tx.Constituency.Query().Where(constituency.AssemblyID(c.AssemblyID)).Aggregate(ent.Sum(constituency.FieldSeats)).Int(ctx)
		if err != nil {
			return err
		}
		if err := tx.Assembly.UpdateOneID(c.AssemblyID).SetSeats(max(total, 1)).Exec(ctx); err != nil {
			return err
		}
		out = after
		return rec.Change(actionAssemblyAdjust, c, after)
	})
	return out, err
}

// SeatInput fills a seat of a constituency, or adds a substitute to it.
type SeatInput struct {
	ConstituencyID int  `json:"constituencyId" validate:"required"`
	PersonID       int  `json:"personId" validate:"required"`
	Substitute     bool `json:"substitute"`
	// Weight is the representative's votes; default 1.
	Weight int `json:"weight" validate:"min=0,max=1000"`
}

// SeatRepresentative names a constituency's representative (or a
// substitute): a person with an ACTIVE membership, once per assembly; a
// unit member's representative is on its staff and speaks on its
// behalf. Representatives never outnumber the constituency's seats.
// Recorded as "assembly.seat".
func (s *Store) SeatRepresentative(ctx context.Context, v *Viewer, in SeatInput) (*ent.Participant, error) {
	if err := mayConvene(v, in); err != nil {
		return nil, err
	}
	var out *ent.Participant
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		c, err := constituencyGuard(ctx, tx, in.ConstituencyID)
		if err != nil {
			return err
		}
		p, err := tx.Person.Query().Where(person.ID(in.PersonID)).WithMembership().Only(ctx)
		if ent.IsNotFound(err) {
			return E(NotFound, "personId", "no person has id %d", in.PersonID)
		}
		if err != nil {
			return err
		}
		if m := p.Edges.Membership; m == nil || m.Status != membership.StatusACTIVE {
			return Violation("personId", "activeMember", "%s has no ACTIVE membership; representatives are active members", p.Name)
		}
		if c.InstitutionID != nil && (p.InstitutionID == nil || *p.InstitutionID != *c.InstitutionID) {
			return Violation("personId", "unitStaff", "%s is not on the staff of %s, whose representative speaks on its behalf", p.Name, c.Name)
		}
		role := participant.RoleREPRESENTATIVE
		if in.Substitute {
			role = participant.RoleSUBSTITUTE
		} else {
			seated, err := seatedIn(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			if seated >= c.Seats {
				return Violation("constituencyId", "seats", "%s has %d seats, all filled", c.Name, c.Seats)
			}
		}
		row, err := tx.Participant.Create().SetPersonID(p.ID).SetAssemblyID(c.AssemblyID).SetConstituencyID(c.ID).
			SetRole(role).SetWeight(max(in.Weight, 1)).SetNillableOnBehalfOfID(c.InstitutionID).Save(ctx)
		if ent.IsConstraintError(err) {
			e := E(Conflict, "personId", "%s already sits in this assembly", p.Name)
			e.Rule = "oncePerAssembly"
			return e
		}
		if err != nil {
			return err
		}
		out = row
		return rec.Change(actionAssemblySeat, nil, row)
	})
	return out, err
}

// ReplaceInput seats a substitute in a representative's place.
type ReplaceInput struct {
	RepresentativeID int `json:"representativeId" validate:"required"`
	SubstituteID     int `json:"substituteId" validate:"required"`
}

// ReplaceRepresentative gives a representative's seat to a substitute
// of the same constituency: the representative is marked replaced and
// no longer entitled, the substitute becomes a representative.
// Recorded as "assembly.replace", one event for each.
func (s *Store) ReplaceRepresentative(ctx context.Context, v *Viewer, in ReplaceInput) (*ent.Participant, error) {
	if err := mayConvene(v, in); err != nil {
		return nil, err
	}
	var out *ent.Participant
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		rep, err := tx.Participant.Get(ctx, in.RepresentativeID)
		if ent.IsNotFound(err) || (err == nil && rep.ConstituencyID == nil) {
			return E(NotFound, "representativeId", "no representative has id %d", in.RepresentativeID)
		}
		if err != nil {
			return err
		}
		if _, err := constituencyGuard(ctx, tx, *rep.ConstituencyID); err != nil {
			return err
		}
		if rep, err = tx.Participant.Get(ctx, rep.ID); err != nil {
			return err
		}
		if rep.Role != participant.RoleREPRESENTATIVE || rep.ReplacedAt != nil {
			return Violation("representativeId", "seated", "participant %d holds no seat to give", rep.ID)
		}
		sub, err := tx.Participant.Get(ctx, in.SubstituteID)
		if ent.IsNotFound(err) {
			return E(NotFound, "substituteId", "no substitute has id %d", in.SubstituteID)
		}
		if err != nil {
			return err
		}
		if sub.Role != participant.RoleSUBSTITUTE || sub.ConstituencyID == nil || *sub.ConstituencyID != *rep.ConstituencyID {
			return Violation("substituteId", "sameConstituency", "participant %d is not a substitute of the representative's constituency", sub.ID)
		}
		now := time.Now()
		repAfter, err := tx.Participant.UpdateOne(rep).SetReplacedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		subAfter, err := tx.Participant.UpdateOne(sub).SetRole(participant.RoleREPRESENTATIVE).SetReplacesID(rep.ID).Save(ctx)
		if err != nil {
			return err
		}
		if err := rec.Change(actionAssemblyReplace, rep, repAfter); err != nil {
			return err
		}
		out = subAfter
		return rec.Change(actionAssemblyReplace, sub, subAfter)
	})
	return out, err
}

// mayConvene refuses a viewer who may not convene the assembly (the
// association's, so only with a reach of everywhere), or an input that
// breaks its shape.
func mayConvene(v *Viewer, in any) error {
	if err := v.Authorize(ConveneMeetings); err != nil {
		return err
	}
	return Validate(in)
}

// assemblyGuard takes the assembly's row as the guard of its
// apportionment and returns it with the association.
func assemblyGuard(ctx context.Context, tx *ent.Tx, id int, field string) (*ent.Assembly, *ent.Organization, error) {
	if err := tx.Assembly.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		if ent.IsNotFound(err) {
			return nil, nil, E(NotFound, field, "no assembly has id %d", id)
		}
		return nil, nil, err
	}
	a, err := tx.Assembly.Query().Where(assembly.ID(id)).WithTerm(func(q *ent.TermQuery) { q.WithOrganization() }).Only(ctx)
	if err != nil {
		return nil, nil, err
	}
	return a, a.Edges.Term.Edges.Organization, nil
}

// constituencyGuard takes the guard rows of a constituency's seats: its
// assembly's first, as an apportionment does, so seating never races a
// new apportionment or another constituency's adjustment, then its own.
func constituencyGuard(ctx context.Context, tx *ent.Tx, id int) (*ent.Constituency, error) {
	c, err := tx.Constituency.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, E(NotFound, "constituencyId", "no constituency has id %d", id)
	}
	if err != nil {
		return nil, err
	}
	if _, _, err := assemblyGuard(ctx, tx, c.AssemblyID, "constituencyId"); err != nil {
		return nil, err
	}
	if err := tx.Constituency.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		if ent.IsNotFound(err) {
			return nil, E(NotFound, "constituencyId", "no constituency has id %d", id)
		}
		return nil, err
	}
	return tx.Constituency.Get(ctx, id)
}

// seatedIn counts a constituency's representatives holding a seat.
func seatedIn(ctx context.Context, tx *ent.Tx, constituencyID int) (int, error) {
	return tx.Participant.Query().Where(participant.ConstituencyID(constituencyID),
		participant.RoleEQ(participant.RoleREPRESENTATIVE), participant.ReplacedAtIsNil()).Count(ctx)
}
