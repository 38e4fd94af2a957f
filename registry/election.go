package registry

// Elections fill the posts of a term by ballot (DESIGN.md, Elections),
// held in an assembly session or a meeting whose participants vote:
//
//  1. [Store.CreateElection] (ManageElections): the term, the meeting,
//     the posts with their seats, the method, the threshold (the rules'
//     by default), write-ins, contested or not (the rules' margin), the
//     most rounds (the rules'), and whether paper ballots are entered
//     twice.
//  2. [Store.NominateCandidate] and [Store.WithdrawCandidate]
//     (ManageElections), checked by the succession report's own checks
//     (active membership; for leadership posts the consecutive-term and
//     age limits; for the standing council, drawn from the council), and
//     [Store.GrantTeller]: tellers and one chief teller, who may not be
//     candidates.
//  3. [Store.OpenRound] (ManageElections or the chief teller): the
//     candidates of the post, or those the last round sent on, and the
//     meeting's voters snapshotted. A contested election refuses to open
//     with too few candidates.
//  4. The tellers record the ballots issued ([Store.RecordIssued]), enter
//     returned paper ballots by serial ([Store.EnterBallots]) and issue
//     one-time ballot codes ([Store.IssueBallotCodes]), with which voters
//     cast ballots themselves ([Store.CastBallot]).
//  5. [Store.CloseRound] (ManageElections or the chief teller) counts
//     with registry/tally and stores the count, its report and the chain
//     head; ties at the cut-off and unfilled seats go to a further round,
//     opened with OpenRound again.
//  6. [Store.CertifyElection] (CertifyElections or the chief teller)
//     turns the elected into ELECTED appointments of the term.
//
// Under contention every election operation takes the election's row as
// its guard, and the round operations the round's row, election first
// when both (DESIGN.md, Writes under contention); the ballot chain's
// head lives on the round's row, so entries of one round line up behind
// it. Certification then takes the term's and posts' rows through the
// roster operations, in their order.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/electionpost"
	"github.com/societyregistry/registry/ent/grant"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/round"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/tally"
)

// Audit actions of elections.
const (
	actionElectionCreate     = "election.create"
	actionCandidateNominate  = "candidate.nominate"
	actionCandidateWithdraw  = "candidate.withdraw"
	actionTellerGrant        = "election.grant"
	actionRoundOpen          = "round.open"
	actionRoundIssue         = "round.issue"
	actionRoundCodes         = "round.codes"
	actionBallotEnter        = "ballot.enter"
	actionBallotCast         = "ballot.cast"
	actionRoundClose         = "round.close"
	actionElectionCertify    = "election.certify"
	actionCandidateWrittenIn = "candidate.writeIn"
)

// ElectionInput creates an election.
type ElectionInput struct {
	// TermID is the term whose posts it fills: PLANNED (a succession's
	// roster) or ACTIVE (filling vacancies).
	TermID int `json:"termId" validate:"required"`
	// MeetingID is the assembly session or meeting it is held in: its
	// participants are the voters.
	MeetingID int                 `json:"meetingId" validate:"required"`
	Title     string              `json:"title" validate:"required,max=200"`
	Posts     []ElectionPostInput `json:"posts" validate:"required,min=1,max=20,unique=PostID,dive"`
	// Method is FOR_AGAINST (the default), PLURALITY or APPROVAL.
	Method string `json:"method" validate:"omitempty,oneof=FOR_AGAINST PLURALITY APPROVAL"`
	// Threshold is what a candidate's FOR votes must meet; nil is the
	// rules' election threshold for FOR_AGAINST and none for the others.
	Threshold *rules.Threshold `json:"threshold"`
	// WriteIns lets voters write in names not on the ballot.
	WriteIns bool `json:"writeIns"`
	// Contested (差额) asks more candidates than seats by the rules'
	// contest margin before the first round opens.
	Contested bool `json:"contested"`
	// MaxRounds is the last round a post may hold; 0 is the rules'.
	MaxRounds int `json:"maxRounds" validate:"omitempty,min=1,max=10"`
	// DoubleEntry has two tellers enter every paper ballot.
	DoubleEntry bool `json:"doubleEntry"`
}

// ElectionPostInput is a post an election fills, and how many of its
// seats.
type ElectionPostInput struct {
	PostID int `json:"postId" validate:"required"`
	Seats  int `json:"seats" validate:"required,min=1,max=1000"`
}

// NominateInput nominates a person for a post of an election.
type NominateInput struct {
	ElectionID int `json:"electionId" validate:"required"`
	PostID     int `json:"postId" validate:"required"`
	PersonID   int `json:"personId" validate:"required"`
	// NominatedBy says who nominated, as the minutes say: the presidium,
	// ten representatives jointly.
	NominatedBy string `json:"nominatedBy" validate:"required,max=200"`
	// NominatedOn is the day of the nomination, not after today.
	NominatedOn time.Time `json:"nominatedOn" validate:"required"`
}

// WithdrawInput withdraws a candidate before the first ballot.
type WithdrawInput struct {
	CandidateID int    `json:"candidateId" validate:"required"`
	Reason      string `json:"reason" validate:"required,max=500"`
}

// TellerInput grants an account the TELLER role on an election, or
// CHIEF_TELLER.
type TellerInput struct {
	ElectionID int `json:"electionId" validate:"required"`
	// Account is the account's name.
	Account string `json:"account" validate:"required,max=64"`
	// PersonID is the person who serves, so that a teller is never a
	// candidate.
	PersonID int  `json:"personId" validate:"required"`
	Chief    bool `json:"chief"`
}

// CreateElection creates an election in one transaction recorded as
// "election.create". The term must not have ended; the meeting must be of
// the body that elects (see electingMeeting); each post must be of
// the term's organization, with no more seats than it has; the threshold
// must be one a round can count (of RETURNED, VALID or ENTITLED).
func (s *Store) CreateElection(ctx context.Context, v *Viewer, in ElectionInput) (*ent.Election, error) {
	if err := v.Authorize(ManageElections); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Election
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		t, err := tx.Term.Get(ctx, in.TermID)
		if err != nil {
			return notFound(err, "termId", "term", in.TermID)
		}
		if t.Status == term.StatusENDED {
			return apptTermEnded(t, "termId")
		}
		o, err := tx.Organization.Get(ctx, t.OrganizationID)
		if err != nil {
			return err
		}
		if err := electingMeeting(ctx, tx, o, in.MeetingID); err != nil {
			return err
		}
		r := RulesOf(o)
		method := election.MethodFOR_AGAINST
		if in.Method != "" {
			method = election.Method(in.Method)
		}
		threshold := in.Threshold
		if threshold == nil && method == election.MethodFOR_AGAINST {
			threshold = r.Election
		}
		posts := make([]*ent.ElectionPostCreate, len(in.Posts))
		for i, pin := range in.Posts {
			field := fmt.Sprintf("posts[%d]", i)
			p, err := tx.Post.Get(ctx, pin.PostID)
			switch {
			case err != nil:
				return notFound(err, field+".postId", "post", pin.PostID)
			case p.OrganizationID != t.OrganizationID:
				return Violation(field+".postId", "sameOrganization", "post %q belongs to another organization than %s", p.Title, apptTermName(t))
			case pin.Seats > p.Seats:
				return Violation(field+".seats", "seats", "%d seats asked of post %q, which has %d", pin.Seats, p.Title, p.Seats)
			}
			cfg := tally.Round{Seats: pin.Seats, Method: tally.Method(method), Threshold: threshold, Entitled: 1}
			if err := countable(cfg, "threshold"); err != nil {
				return err
			}
			posts[i] = tx.ElectionPost.Create().SetPostID(p.ID).SetSeats(pin.Seats)
		}
		maxRounds := r.ElectionMaxRounds
		if in.MaxRounds != 0 {
			maxRounds = in.MaxRounds
		}
		c := tx.Election.Create().SetTermID(t.ID).SetMeetingID(in.MeetingID).SetTitle(in.Title).SetMethod(method).
			SetWriteIns(in.WriteIns).SetMaxRounds(maxRounds).SetDoubleEntry(in.DoubleEntry)
		if threshold != nil {
			c.SetThreshold(threshold)
		}
		if in.Contested {
			c.SetContestMargin(r.ContestMargin)
		}
		e, err := c.Save(ctx)
		if err != nil {
			return fmt.Errorf("create election: %w", err)
		}
		for _, p := range posts {
			p.SetElectionID(e.ID)
		}
		eps, err := tx.ElectionPost.CreateBulk(posts...).Save(ctx)
		if err != nil {
			return fmt.Errorf("create election %d: posts: %w", e.ID, err)
		}
		rec.Record(Change{Action: actionElectionCreate, Entity: "Election", EntityID: e.ID, After: electionSnap(e, eps)})
		out = e
		return nil
	})
	return out, err
}

// electingMeeting refuses a meeting of a body that does not elect
// organization o's posts: the meeting must be of o itself (the council
// electing its officers) or of the organization above it (the
// association's assembly electing the council, the council its standing
// council).
func electingMeeting(ctx context.Context, tx *ent.Tx, o *ent.Organization, meetingID int) error {
	m, err := tx.Meeting.Query().Where(meeting.ID(meetingID)).WithTerm().Only(ctx)
	if err != nil {
		return notFound(err, "meetingId", "meeting", meetingID)
	}
	if org := m.Edges.Term.OrganizationID; org == o.ID || o.ParentID != nil && org == *o.ParentID {
		return nil
	}
	return Violation("meetingId", "electingBody", "meeting %q is not of %s nor of the organization above it, which elect its posts", m.Title, o.Name)
}

// countable refuses a round configuration the tally cannot count,
// naming the field of the tally's rule under field.
func countable(cfg tally.Round, field string) error {
	_, err := tally.Count(cfg, nil)
	var te *tally.Error
	if errors.As(err, &te) {
		name := field
		if rest, ok := strings.CutPrefix(te.Field, "threshold"); ok {
			name += rest
		}
		return Violation(name, "countable", "%s %s", te.Field, te.Rule)
	}
	return err
}

// NominateCandidate records a person's nomination for a post of an
// election, in one transaction recorded as "candidate.nominate", once
// the person passes the eligibility checks (see [eligibility]), which the
// candidate keeps. Nominations for a post close when its first round
// opens; a teller may not stand.
func (s *Store) NominateCandidate(ctx context.Context, v *Viewer, in NominateInput) (*ent.Candidate, error) {
	if err := v.Authorize(ManageElections); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if day, today := DateOf(in.NominatedOn), s.Clock.Today(); day.After(today) {
		return nil, Violation("nominatedOn", "notAfterToday", "nominatedOn %s is after today, %s", day.Format(DateLayout), today.Format(DateLayout))
	}
	var out *ent.Candidate
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		e, err := electionGuard(ctx, tx, in.ElectionID, "electionId")
		if err != nil {
			return err
		}
		ep, err := nominationsOpen(ctx, tx, e, in.PostID)
		if err != nil {
			return err
		}
		who, err := tx.Person.Get(ctx, in.PersonID)
		if err != nil {
			return notFound(err, "personId", "person", in.PersonID)
		}
		if err := notTeller(ctx, tx, e.ID, who, "personId"); err != nil {
			return err
		}
		already, err := tx.Candidate.Query().Where(candidate.ElectionPostID(ep.ID), candidate.PersonID(who.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		if already {
			c := E(Conflict, "personId", "%s is a candidate for this post already; a person stands once for a post", who.Name)
			c.Rule = "oncePerPost"
			return c
		}
		t, err := tx.Term.Get(ctx, e.TermID)
		if err != nil {
			return err
		}
		p, err := tx.Post.Get(ctx, ep.PostID)
		if err != nil {
			return err
		}
		checks, err := eligibility(ctx, tx.Client(), t, p, who)
		if err != nil {
			return err
		}
		if err := ineligible(checks, "personId"); err != nil {
			return err
		}
		c, err := tx.Candidate.Create().SetElectionID(e.ID).SetElectionPostID(ep.ID).SetPersonID(who.ID).SetName(who.Name).
			SetNominatedBy(in.NominatedBy).SetNominatedOn(DateOf(in.NominatedOn)).SetRecordedBy(v.Name).
			SetEligibility(eligibilityText(checks)).Save(ctx)
		if err != nil {
			return fmt.Errorf("nominate person %d: %w", who.ID, err)
		}
		rec.Record(Change{Action: actionCandidateNominate, Entity: "Candidate", EntityID: c.ID, After: candidateSnap(c)})
		out = c
		return nil
	})
	return out, err
}

// WithdrawCandidate withdraws a candidate whose post has not gone to the
// ballot yet, in one transaction recorded as "candidate.withdraw".
func (s *Store) WithdrawCandidate(ctx context.Context, v *Viewer, in WithdrawInput) (*ent.Candidate, error) {
	if err := v.Authorize(ManageElections); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Candidate
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		c, err := tx.Candidate.Get(ctx, in.CandidateID)
		if err != nil {
			return notFound(err, "candidateId", "candidate", in.CandidateID)
		}
		e, err := electionGuard(ctx, tx, c.ElectionID, "candidateId")
		if err != nil {
			return err
		}
		if c, err = tx.Candidate.Get(ctx, c.ID); err != nil {
			return err
		}
		if c.Status != candidate.StatusNOMINATED {
			return Violation("candidateId", "nominated", "%s is %s, not NOMINATED", c.Name, c.Status)
		}
		ep, err := tx.ElectionPost.Get(ctx, c.ElectionPostID)
		if err != nil {
			return err
		}
		if _, err := nominationsOpen(ctx, tx, e, ep.PostID); err != nil {
			e := Wrap(err)
			e.Field = "candidateId"
			return e
		}
		after, err := tx.Candidate.UpdateOneID(c.ID).SetStatus(candidate.StatusWITHDRAWN).SetWithdrawReason(in.Reason).Save(ctx)
		if err != nil {
			return err
		}
		rec.Record(Change{Action: actionCandidateWithdraw, Entity: "Candidate", EntityID: c.ID, Before: candidateSnap(c), After: candidateSnap(after)})
		out = after
		return nil
	})
	return out, err
}

// GrantTeller grants an account the TELLER or CHIEF_TELLER role on an
// election, naming the person who serves, in one transaction recorded as
// "election.grant". A teller is not a candidate of the election; there is
// one chief teller; an account holds one role in an election, granted by
// another account, and a person serves it through one account.
func (s *Store) GrantTeller(ctx context.Context, v *Viewer, in TellerInput) (*ent.Grant, error) {
	if err := v.Authorize(ManageElections); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Grant
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		e, err := electionGuard(ctx, tx, in.ElectionID, "electionId")
		if err != nil {
			return err
		}
		if e.Status == election.StatusCERTIFIED {
			return electionCertified(e)
		}
		acct, err := tx.Account.Query().Where(account.Name(in.Account)).Only(ctx)
		if err != nil {
			return notFound(err, "account", "account", 0)
		}
		if acct.Disabled {
			return Violation("account", "enabled", "account %q is disabled", acct.Name)
		}
		if acct.ID == v.AccountID {
			// Else a SECRETARIAT account could make itself chief teller,
			// and so certify, which its role may not.
			return E(Forbidden, "account", "account %q may not grant itself a role in an election", acct.Name)
		}
		who, err := tx.Person.Get(ctx, in.PersonID)
		if err != nil {
			return notFound(err, "personId", "person", in.PersonID)
		}
		standing, err := tx.Candidate.Query().Where(candidate.ElectionID(e.ID), candidate.PersonID(who.ID),
			candidate.StatusNEQ(candidate.StatusWITHDRAWN)).Exist(ctx)
		if err != nil {
			return err
		}
		if standing {
			return Violation("personId", "tellerNotCandidate", "%s is a candidate of this election; a teller may not be one", who.Name)
		}
		if err := oneTellerAccount(ctx, tx, e.ID, acct.ID, who); err != nil {
			return err
		}
		role := grant.RoleTELLER
		if in.Chief {
			role = grant.RoleCHIEF_TELLER
			chief, err := tx.Grant.Query().Where(grant.ElectionID(e.ID), grant.RoleEQ(grant.RoleCHIEF_TELLER)).Exist(ctx)
			if err != nil {
				return err
			}
			if chief {
				c := E(Conflict, "chief", "election %d has a chief teller already", e.ID)
				c.Rule = "oneChiefTeller"
				return c
			}
		}
		g, err := tx.Grant.Create().SetAccountID(acct.ID).SetRole(role).SetElectionID(e.ID).SetPersonID(who.ID).
			SetGrantedBy(v.Name).Save(ctx)
		if err != nil {
			if ent.IsConstraintError(err) {
				c := E(Conflict, "account", "account %q holds a role in election %d already", acct.Name, e.ID)
				c.Rule = "oneRole"
				return c
			}
			return fmt.Errorf("grant teller: %w", err)
		}
		out = g
		return rec.Change(actionTellerGrant, nil, g)
	})
	return out, err
}

// oneTellerAccount refuses a person who serves the election through
// another account already: the two entries of double entry must be two
// people's.
func oneTellerAccount(ctx context.Context, tx *ent.Tx, electionID, accountID int, who *ent.Person) error {
	serving, err := tx.Grant.Query().Where(grant.ElectionID(electionID), grant.PersonID(who.ID), grant.AccountIDNEQ(accountID)).Exist(ctx)
	if err != nil {
		return err
	}
	if serving {
		c := E(Conflict, "personId", "%s serves as a teller of this election through another account already", who.Name)
		c.Rule = "onePersonOneTeller"
		return c
	}
	return nil
}

// electionGuard takes election id's row as the guard of its writes and
// returns it as it stands once held.
func electionGuard(ctx context.Context, tx *ent.Tx, id int, field string) (*ent.Election, error) {
	if err := tx.Election.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		return nil, notFound(err, field, "election", id)
	}
	return tx.Election.Get(ctx, id)
}

// nominationsOpen returns the election's entry for post postID while
// candidates may still be nominated or withdrawn for it: the election is
// not counted, and the post's first round has not opened.
func nominationsOpen(ctx context.Context, tx *ent.Tx, e *ent.Election, postID int) (*ent.ElectionPost, error) {
	switch e.Status {
	case election.StatusCOUNTED:
		return nil, Violation("electionId", "counted", "election %d is counted: nominations are closed", e.ID)
	case election.StatusCERTIFIED:
		return nil, electionCertified(e)
	}
	ep, err := tx.ElectionPost.Query().Where(electionpost.ElectionID(e.ID), electionpost.PostID(postID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Violation("postId", "electionPost", "election %d fills no post %d", e.ID, postID)
	}
	if err != nil {
		return nil, err
	}
	balloted, err := tx.Round.Query().Where(round.ElectionPostID(ep.ID)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if balloted {
		return nil, Violation("postId", "beforeBallot", "the post's first round has opened: its candidates are on the ballot")
	}
	return ep, nil
}

// notTeller refuses a person who serves as a teller of the election,
// as a candidate of input field.
func notTeller(ctx context.Context, tx *ent.Tx, electionID int, who *ent.Person, field string) error {
	teller, err := tx.Grant.Query().Where(grant.ElectionID(electionID), grant.PersonID(who.ID)).Exist(ctx)
	if err != nil {
		return err
	}
	if teller {
		return Violation(field, "notTeller", "%s is a teller of this election; tellers may not be candidates", who.Name)
	}
	return nil
}

func electionCertified(e *ent.Election) error {
	c := E(Conflict, "electionId", "election %d is certified; its record is final", e.ID)
	c.Rule = "certified"
	return c
}

// notFound turns a missing row into NOT_FOUND naming field; any other
// error is returned as it is.
func notFound(err error, field, what string, id int) error {
	if !ent.IsNotFound(err) {
		return err
	}
	if id == 0 {
		return E(NotFound, field, "no such %s", what)
	}
	return E(NotFound, field, "no %s has id %d", what, id)
}

// electionSnap is what the audit trail keeps of an election.
func electionSnap(e *ent.Election, posts []*ent.ElectionPost) map[string]any {
	ps := make([]any, len(posts))
	for i, p := range posts {
		ps[i] = map[string]any{"postId": p.PostID, "seats": p.Seats}
	}
	m := map[string]any{
		"id": e.ID, "termId": e.TermID, "meetingId": e.MeetingID, "title": e.Title, "method": e.Method.String(),
		"threshold": nil, "writeIns": e.WriteIns, "contestMargin": nil, "maxRounds": e.MaxRounds,
		"doubleEntry": e.DoubleEntry, "status": e.Status.String(), "posts": ps,
	}
	if e.Threshold != nil {
		m["threshold"] = e.Threshold.String()
	}
	if e.ContestMargin != nil {
		m["contestMargin"] = e.ContestMargin.String()
	}
	return m
}

// candidateSnap is what the audit trail keeps of a candidate.
func candidateSnap(c *ent.Candidate) map[string]any {
	return map[string]any{
		"id": c.ID, "electionId": c.ElectionID, "electionPostId": c.ElectionPostID, "personId": deref(c.PersonID),
		"name": c.Name, "writeIn": c.WriteIn, "nominatedBy": c.NominatedBy, "nominatedOn": c.NominatedOn,
		"status": c.Status.String(), "electedInRound": deref(c.ElectedInRound), "withdrawReason": deref(c.WithdrawReason),
	}
}
