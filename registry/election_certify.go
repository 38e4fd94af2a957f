package registry

import (
	"context"
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/term"
)

// CertifyInput certifies an election's result.
type CertifyInput struct {
	ElectionID int `json:"electionId" validate:"required"`
	// WriteIns says who each elected name written in is.
	WriteIns []WriteInPerson `json:"writeIns" validate:"max=1000,unique=CandidateID,dive"`
}

// WriteInPerson names the person an elected written-in candidate is.
type WriteInPerson struct {
	CandidateID int `json:"candidateId" validate:"required"`
	PersonID    int `json:"personId" validate:"required"`
}

// CertifyElection certifies a counted election (CertifyElections, or its
// chief teller) in one transaction recorded as "election.certify": each
// elected candidate becomes an ELECTED appointment of the election's
// term to the post they were elected to, linked to the election, through
// the roster rules (seats, one post per person and term). In a PLANNED
// term the appointments begin with it, so that completing the
// succession makes them current; in an ACTIVE term, today. Names written
// in that were elected must be given a person (WriteIns), who passes the
// candidates' eligibility checks. Nobody takes two posts of one
// election.
func (s *Store) CertifyElection(ctx context.Context, v *Viewer, in CertifyInput) (*ent.Election, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Election
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		e, err := electionGuard(ctx, tx, in.ElectionID, "electionId")
		if err != nil {
			return err
		}
		if err := mayOr(ctx, tx, v, CertifyElections, e.ID, "electionId"); err != nil {
			return err
		}
		switch e.Status {
		case election.StatusCERTIFIED:
			return electionCertified(e)
		case election.StatusNOMINATING, election.StatusVOTING:
			return Violation("electionId", "counted", "election %d is %s: every post must be decided before it is certified", e.ID, e.Status)
		}
		t, err := tx.Term.Get(ctx, e.TermID)
		if err != nil {
			return err
		}
		if t.Status == term.StatusENDED {
			return apptTermEnded(t, "electionId")
		}
		elected, err := e.QueryCandidates().Where(candidate.StatusEQ(candidate.StatusELECTED)).
			WithElectionPost().Order(candidate.ByElectionPostID(), candidate.ByID()).All(ctx)
		if err != nil {
			return err
		}
		if err := resolveWriteIns(ctx, tx, t, elected, in.WriteIns); err != nil {
			return err
		}
		start := t.StartsOn
		if today := s.Clock.Today(); t.Status == term.StatusACTIVE && today.After(start) {
			start = today
		}
		apps, err := s.appointElected(ctx, tx, rec, v, e, t, elected, start)
		if err != nil {
			return err
		}
		after, err := tx.Election.UpdateOneID(e.ID).SetStatus(election.StatusCERTIFIED).SetCertifiedAt(time.Now()).
			SetCertifiedBy(v.Name).Save(ctx)
		if err != nil {
			return err
		}
		rec.Record(Change{Action: actionElectionCertify, Entity: "Election", EntityID: e.ID,
			Before: map[string]any{"id": e.ID, "status": e.Status.String()},
			After:  map[string]any{"id": e.ID, "status": after.Status.String(), "appointments": apps}})
		out = after
		return nil
	})
	return out, err
}

// resolveWriteIns gives each elected written-in candidate the person
// named for it, checked as a nomination would be: eligible, and no
// teller of the election.
func resolveWriteIns(ctx context.Context, tx *ent.Tx, t *ent.Term, elected []*ent.Candidate, given []WriteInPerson) error {
	who := map[int]int{}
	for _, w := range given {
		who[w.CandidateID] = w.PersonID
	}
	for _, c := range elected {
		if !c.WriteIn || c.PersonID != nil {
			continue
		}
		id, ok := who[c.ID]
		if !ok {
			return Violation("writeIns", "writeInPerson", "%q was written in and elected: say which person it is (candidate %d)", c.Name, c.ID)
		}
		field := "writeIns"
		p, err := tx.Person.Get(ctx, id)
		if err != nil {
			return notFound(err, field, "person", id)
		}
		post, err := tx.Post.Get(ctx, c.Edges.ElectionPost.PostID)
		if err != nil {
			return err
		}
		checks, err := eligibility(ctx, tx.Client(), t, post, p)
		if err != nil {
			return err
		}
		if err := ineligible(checks, field); err != nil {
			return err
		}
		if err := notTeller(ctx, tx, c.ElectionID, p, field); err != nil {
			return err
		}
		if err := tx.Candidate.UpdateOneID(c.ID).SetPersonID(p.ID).SetEligibility(eligibilityText(checks)).Exec(ctx); err != nil {
			return err
		}
		c.PersonID = &p.ID
	}
	return nil
}

// appointElected makes the elected ELECTED appointments of term t from
// day start, on the election's authority: the roster rules hold, but the
// certifier needs no roster rights of their own. It returns the
// appointments' ids.
func (s *Store) appointElected(ctx context.Context, tx *ent.Tx, rec *Recorder, v *Viewer, e *ent.Election, t *ent.Term,
	elected []*ent.Candidate, start time.Time) ([]int, error) {
	authority := &Viewer{Name: v.Name, Role: RoleAdmin}
	post := map[int]string{}
	ids := make([]int, 0, len(elected))
	for _, c := range elected {
		if other, twice := post[*c.PersonID]; twice {
			return nil, Violation("electionId", "onePost", "%s was elected to two posts of this election (%s and post %d); nobody takes two",
				c.Name, other, c.Edges.ElectionPost.PostID)
		}
		post[*c.PersonID] = fmt.Sprintf("post %d", c.Edges.ElectionPost.PostID)
		a, err := s.appointTx(ctx, tx, rec, authority, AppointInput{PersonID: *c.PersonID, PostID: c.Edges.ElectionPost.PostID,
			TermID: t.ID, StartsOn: start, ObtainedBy: string(appointment.ObtainedByELECTED), election: &e.ID})
		if err != nil {
			out := *Wrap(err)
			if out.Kind == Internal {
				return nil, err
			}
			out.Field, out.Problems = "electionId", nil
			out.Message = fmt.Sprintf("certifying %s: %s", c.Name, out.Message)
			return nil, &out
		}
		ids = append(ids, a.ID)
	}
	return ids, nil
}
