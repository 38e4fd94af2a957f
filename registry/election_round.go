package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/electionpost"
	"github.com/societyregistry/registry/ent/grant"
	"github.com/societyregistry/registry/ent/round"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/tally"
)

// RoundInput opens the next round of ballots for a post of an election.
type RoundInput struct {
	ElectionID int `json:"electionId" validate:"required"`
	PostID     int `json:"postId" validate:"required"`
}

// IssuedInput records how many paper ballots a round issued.
type IssuedInput struct {
	RoundID int `json:"roundId" validate:"required"`
	Issued  int `json:"issued" validate:"min=0,max=1000000"`
}

// OpenRound opens the next round for a post, in one transaction recorded
// as "round.open": round 1 with the post's nominated candidates, in
// nomination order (a contested election needs more of them than seats
// by the contest margin), or the further round the last one sent on,
// with its seats and candidates. The meeting's voters are snapshotted:
// they are the round's entitled voters, as a motion's are: a session's
// seated representatives, or the meeting's participants.
func (s *Store) OpenRound(ctx context.Context, v *Viewer, in RoundInput) (*ent.Round, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Round
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		e, err := electionGuard(ctx, tx, in.ElectionID, "electionId")
		if err != nil {
			return err
		}
		if err := mayRun(ctx, tx, v, e.ID, "electionId"); err != nil {
			return err
		}
		switch e.Status {
		case election.StatusCOUNTED:
			return Violation("electionId", "counted", "election %d is counted: every post is decided", e.ID)
		case election.StatusCERTIFIED:
			return electionCertified(e)
		}
		ep, err := e.QueryPosts().Where(electionpost.PostID(in.PostID)).Only(ctx)
		if ent.IsNotFound(err) {
			return Violation("postId", "electionPost", "election %d fills no post %d", e.ID, in.PostID)
		}
		if err != nil {
			return err
		}
		cfg, cands, err := nextRound(ctx, tx, e, ep)
		if err != nil {
			return err
		}
		m, err := tx.Meeting.Get(ctx, e.MeetingID)
		if err != nil {
			return err
		}
		voters, err := entitledQuery(tx.Client(), m).IDs(ctx)
		if err != nil {
			return err
		}
		if len(voters) == 0 {
			return Violation("electionId", "voters", "meeting %d has no participants to vote", e.MeetingID)
		}
		cfg.Entitled = len(voters)
		config, err := json.Marshal(cfg)
		if err != nil {
			return err
		}
		r, err := tx.Round.Create().SetElectionID(e.ID).SetElectionPostID(ep.ID).SetNumber(cfg.Number).SetSeats(cfg.Seats).
			SetEntitled(cfg.Entitled).SetOpenedAt(time.Now()).SetOpenedBy(v.Name).SetConfig(string(config)).
			AddCandidates(cands...).Save(ctx)
		if err != nil {
			if ent.IsConstraintError(err) {
				c := E(Conflict, "postId", "round %d of this post was opened meanwhile", cfg.Number)
				c.Rule = "roundOpen"
				return c
			}
			return fmt.Errorf("open round: %w", err)
		}
		rows := make([]*ent.RoundVoterCreate, len(voters))
		for i, p := range voters {
			rows[i] = tx.RoundVoter.Create().SetRoundID(r.ID).SetParticipantID(p)
		}
		for chunk := range chunks(rows, 1000) {
			if err := tx.RoundVoter.CreateBulk(chunk...).Exec(ctx); err != nil {
				return fmt.Errorf("open round %d: voters: %w", r.ID, err)
			}
		}
		if e.Status == election.StatusNOMINATING {
			if err := tx.Election.UpdateOneID(e.ID).SetStatus(election.StatusVOTING).Exec(ctx); err != nil {
				return err
			}
		}
		rec.Record(Change{Action: actionRoundOpen, Entity: "Round", EntityID: r.ID, After: roundSnap(r, cfg)})
		out = r
		return nil
	})
	return out, err
}

// nextRound returns the configuration of the post's next round and its
// candidates' rows: round 1 from the nominations, or the further round
// the last closed round's count asks for.
func nextRound(ctx context.Context, tx *ent.Tx, e *ent.Election, ep *ent.ElectionPost) (tally.Round, []*ent.Candidate, error) {
	last, err := ep.QueryRounds().Order(ent.Desc(round.FieldNumber)).First(ctx)
	if ent.IsNotFound(err) {
		return firstRound(ctx, tx, e, ep)
	}
	if err != nil {
		return tally.Round{}, nil, err
	}
	if last.Status == round.StatusOPEN {
		c := E(Conflict, "postId", "round %d of this post is open: close it first", last.Number)
		c.Rule = "roundOpen"
		return tally.Round{}, nil, c
	}
	res, err := RoundResult(last)
	if err != nil {
		return tally.Round{}, nil, err
	}
	if res.Next == nil {
		return tally.Round{}, nil, Violation("postId", "decided", "the post was decided in round %d: no further round is due", last.Number)
	}
	cands, err := tx.Candidate.Query().Where(candidate.ElectionPostID(ep.ID)).All(ctx)
	if err != nil {
		return tally.Round{}, nil, err
	}
	byID := map[string]*ent.Candidate{}
	for _, c := range cands {
		byID[tallyID(c)] = c
	}
	next := *res.Next
	rows := make([]*ent.Candidate, len(next.Candidates))
	for i, c := range next.Candidates {
		if rows[i] = byID[c.ID]; rows[i] == nil {
			return tally.Round{}, nil, fmt.Errorf("open round %d: candidate %q of the count has no row", next.Number, c.ID)
		}
	}
	return next, rows, nil
}

// firstRound is the configuration of a post's first round.
func firstRound(ctx context.Context, tx *ent.Tx, e *ent.Election, ep *ent.ElectionPost) (tally.Round, []*ent.Candidate, error) {
	cands, err := tx.Candidate.Query().Where(candidate.ElectionPostID(ep.ID), candidate.StatusEQ(candidate.StatusNOMINATED)).
		Order(candidate.ByID()).All(ctx)
	if err != nil {
		return tally.Round{}, nil, err
	}
	if len(cands) == 0 {
		return tally.Round{}, nil, Violation("postId", "candidates", "the post has no candidates")
	}
	if m := e.ContestMargin; m != nil {
		if need := ep.Seats + rules.ContestExtra(*m, ep.Seats); len(cands) < need {
			return tally.Round{}, nil, Violation("postId", "contested",
				"%d candidates for %d seats; a contested election needs at least %d: %d more, the seats times %s rounded up and at least one",
				len(cands), ep.Seats, need, need-ep.Seats, m)
		}
	}
	cfg := tally.Round{Number: 1, MaxRounds: e.MaxRounds, Seats: ep.Seats, Method: tally.Method(e.Method),
		Threshold: e.Threshold, WriteIns: e.WriteIns, Candidates: make([]tally.Candidate, len(cands))}
	for i, c := range cands {
		cfg.Candidates[i] = tally.Candidate{ID: tallyID(c), Name: c.Name}
	}
	return cfg, cands, nil
}

// tallyID is a candidate's ID on ballots: its row's, or the name written
// in, as the tally names such candidates.
func tallyID(c *ent.Candidate) string {
	if c.WriteIn {
		return tally.WriteInPrefix + c.Name
	}
	return strconv.Itoa(c.ID)
}

// RecordIssued records the paper ballots a round issued, for its tellers,
// in one transaction recorded as "round.issue"; it may be corrected
// until the round closes.
func (s *Store) RecordIssued(ctx context.Context, v *Viewer, in IssuedInput) (*ent.Round, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Round
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		r, err := roundGuard(ctx, tx, in.RoundID, "roundId")
		if err != nil {
			return err
		}
		if _, err := tellerOf(ctx, tx, v, r.ElectionID, "roundId"); err != nil {
			return err
		}
		if err := atMostEntitled(r, in.Issued, 0, "issued"); err != nil {
			return err
		}
		after, err := tx.Round.UpdateOneID(r.ID).SetIssued(in.Issued).Save(ctx)
		if err != nil {
			return err
		}
		rec.Record(Change{Action: actionRoundIssue, Entity: "Round", EntityID: r.ID,
			Before: map[string]any{"id": r.ID, "issued": r.Issued}, After: map[string]any{"id": r.ID, "issued": after.Issued}})
		out = after
		return nil
	})
	return out, err
}

// atMostEntitled refuses issued paper ballots, with the round's ballot
// codes and codes more, beyond the round's voters entitled: nobody may
// hold both a paper ballot and a code.
func atMostEntitled(r *ent.Round, issued, codes int, field string) error {
	if issued+r.Codes+codes <= r.Entitled {
		return nil
	}
	return Violation(field, "issuedAtMostEntitled", "round %d has %d voters entitled: %d paper ballots and %d ballot codes together would exceed them",
		r.Number, r.Entitled, issued, r.Codes+codes)
}

// roundGuard takes round id's row as the guard of its ballots and
// returns it as it stands once held. A closed round's ballots are final:
// VOTE_CLOSED.
func roundGuard(ctx context.Context, tx *ent.Tx, id int, field string) (*ent.Round, error) {
	if err := tx.Round.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		return nil, notFound(err, field, "round", id)
	}
	r, err := tx.Round.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status == round.StatusCLOSED {
		c := E(VoteClosed, field, "round %d closed at %s: its ballots are final", r.Number, r.ClosedAt.UTC().Format(time.RFC3339))
		c.Rule = "roundOpen"
		return nil, c
	}
	return r, nil
}

// tellerOf returns the election when v is one of its tellers, chief
// teller included: they record and enter its ballots, whatever their
// account's role.
func tellerOf(ctx context.Context, tx *ent.Tx, v *Viewer, electionID int, field string) (*ent.Election, error) {
	if v.AccountID != 0 {
		e, err := tx.Election.Query().Where(election.ID(electionID), election.HasGrantsWith(grant.AccountID(v.AccountID),
			grant.RoleIn(grant.RoleTELLER, grant.RoleCHIEF_TELLER))).Only(ctx)
		if err == nil || !ent.IsNotFound(err) {
			return e, err
		}
	}
	return nil, E(Forbidden, field, "account %q is not a teller of election %d: only its tellers handle its ballots", v.Name, electionID)
}

// mayRun refuses a viewer who may neither manage elections nor is the
// election's chief teller.
func mayRun(ctx context.Context, tx *ent.Tx, v *Viewer, electionID int, field string) error {
	return mayOr(ctx, tx, v, ManageElections, electionID, field)
}

// mayOr refuses a viewer who may not take action a everywhere and is not
// the election's chief teller.
func mayOr(ctx context.Context, tx *ent.Tx, v *Viewer, a Action, electionID int, field string) error {
	if r, _ := v.Reach(a); r == Anywhere {
		return nil
	}
	if v.AccountID != 0 {
		chief, err := tx.Grant.Query().Where(grant.ElectionID(electionID), grant.AccountID(v.AccountID),
			grant.RoleEQ(grant.RoleCHIEF_TELLER)).Exist(ctx)
		if err != nil || chief {
			return err
		}
	}
	return v.forbidden(a, field)
}

// RoundResult returns a closed round's count as stored.
func RoundResult(r *ent.Round) (*tally.Result, error) {
	if r.Result == nil {
		return nil, fmt.Errorf("round %d has no stored result", r.ID)
	}
	var res tally.Result
	if err := json.Unmarshal([]byte(*r.Result), &res); err != nil {
		return nil, fmt.Errorf("round %d: stored result: %w", r.ID, err)
	}
	return &res, nil
}

// storedConfig decodes a round's configuration.
func storedConfig(r *ent.Round) (tally.Round, error) {
	var cfg tally.Round
	if r.Config == nil {
		return cfg, fmt.Errorf("round %d has no stored configuration", r.ID)
	}
	if err := json.Unmarshal([]byte(*r.Config), &cfg); err != nil {
		return cfg, fmt.Errorf("round %d: stored configuration: %w", r.ID, err)
	}
	return cfg, nil
}

// roundSnap is what the audit trail keeps of a round as it opens.
func roundSnap(r *ent.Round, cfg tally.Round) map[string]any {
	ids := make([]string, len(cfg.Candidates))
	for i, c := range cfg.Candidates {
		ids[i] = c.ID
	}
	return map[string]any{
		"id": r.ID, "electionId": r.ElectionID, "electionPostId": r.ElectionPostID, "number": r.Number,
		"seats": r.Seats, "entitled": r.Entitled, "candidates": ids,
	}
}
