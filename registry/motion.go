package registry

// Motions and their votes. A motion put to a meeting takes the threshold
// of its kind and the quorum from the organization's rules when it is
// created. Opening its vote snapshots the entitled voters with their
// weights and who is checked in; each of those present then votes once
// (YES, NO, ABSTAIN, or RECUSED), with their own voter token or entered by a clerk
// for a show of hands; the unique voter column of the votes is what
// refuses a second vote. Closing counts the stored votes, decides the
// result (registry/tally) and stores the counts with the arithmetic;
// a closed motion never changes, and VerifyVotes re-counts every closed
// motion from its stored votes.
//
// Every vote and the close take the motion's row first, so a vote
// either commits before the close, and is counted, or finds the motion
// closed.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/attendance"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/motion"
	"github.com/societyregistry/registry/ent/vote"
	"github.com/societyregistry/registry/ent/voter"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/tally"
)

// The audit actions of motions and votes.
const (
	actionMotionCreate = "motion.create"
	actionMotionOpen   = "motion.open"
	actionMotionClose  = "motion.close"
	actionVoteCast     = "vote.cast"
)

// MotionInput puts a motion to a meeting.
type MotionInput struct {
	MeetingID int    `json:"meetingId" validate:"required"`
	Title     string `json:"title" validate:"required,max=200"`
	Text      string `json:"text" validate:"max=20000"`
	// Kind is one of the rules' motion kinds; default ORDINARY.
	Kind   string `json:"kind" validate:"omitempty,max=40"`
	Secret bool   `json:"secret"`
}

// CreateMotion puts a motion to a meeting, numbered after the last, with
// the threshold of its kind and the quorum from the rules of the
// meeting's organization. Recorded as "motion.create".
func (s *Store) CreateMotion(ctx context.Context, v *Viewer, in MotionInput) (*ent.Motion, error) {
	if !v.Can(ConveneMeetings) {
		return nil, v.forbiddenOrAnonymous(ConveneMeetings, "meetingId")
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	kind := in.Kind
	if kind == "" {
		kind = rules.MotionOrdinary
	}
	var out *ent.Motion
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		m, err := tx.Meeting.Query().Where(meeting.ID(in.MeetingID)).
			WithTerm(func(q *ent.TermQuery) { q.WithOrganization() }).Only(ctx)
		if ent.IsNotFound(err) {
			return E(NotFound, "meetingId", "no meeting has id %d", in.MeetingID)
		}
		if err != nil {
			return err
		}
		org := m.Edges.Term.Edges.Organization
		if err := v.AuthorizeIn(ConveneMeetings, org.ID, "meetingId"); err != nil {
			return err
		}
		r := RulesOf(org)
		threshold, ok := r.MotionThreshold(kind)
		if !ok {
			return Violation("kind", "motionKind", "%s's rules know no motion kind %q; they know %s", org.Name, kind, strings.Join(r.MotionKinds(), ", "))
		}
		if !slices.Contains([]rules.Base{rules.Entitled, rules.Present, rules.Cast}, threshold.Base) {
			return Violation("kind", "motionBase", "the rules make a %s motion a share of %s, which a vote on a motion has no count of", kind, threshold.Base)
		}
		if err := tx.Meeting.UpdateOneID(m.ID).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
			return err
		}
		n, err := tx.Motion.Query().Where(motion.MeetingID(m.ID)).Count(ctx)
		if err != nil {
			return err
		}
		mo, err := tx.Motion.Create().SetMeetingID(m.ID).SetNumber(n + 1).SetTitle(in.Title).SetText(in.Text).
			SetKind(kind).SetSecret(in.Secret).SetThreshold(threshold).SetQuorum(*r.Quorum).Save(ctx)
		if err != nil {
			return err
		}
		out = mo
		return rec.Change(actionMotionCreate, nil, mo)
	})
	return out, err
}

// OpenVote opens a motion's vote: the meeting's entitled participants
// are snapshotted as its voters, with their weights and whether they are
// checked in now. Recorded as "motion.open".
func (s *Store) OpenVote(ctx context.Context, v *Viewer, motionID int) (*ent.Motion, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	var out *ent.Motion
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		mo, err := tx.Motion.Get(ctx, motionID)
		if ent.IsNotFound(err) {
			return E(NotFound, "motionId", "no motion has id %d", motionID)
		}
		if err != nil {
			return err
		}
		m, err := meetingGuard(ctx, tx, v, mo.MeetingID)
		if err != nil {
			return err
		}
		if mo, err = motionGuard(ctx, tx, motionID); err != nil {
			return err
		}
		if mo.Status != motion.StatusDRAFT {
			return voteNotDraft(mo)
		}
		ps, err := entitledQuery(tx.Client(), m).All(ctx)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return Violation("motionId", "entitled", "meeting %d has nobody entitled to vote", m.ID)
		}
		here, err := presentAt(ctx, tx.Client(), m.ID)
		if err != nil {
			return err
		}
		var entitled, present int
		creates := make([]*ent.VoterCreate, len(ps))
		for i, p := range ps {
			creates[i] = tx.Voter.Create().SetMotionID(mo.ID).SetParticipantID(p.ID).SetWeight(p.Weight).SetPresent(here[p.ID])
			entitled += p.Weight
			if here[p.ID] {
				present += p.Weight
			}
		}
		for part := range chunks(creates, 500) {
			if err := tx.Voter.CreateBulk(part...).Exec(ctx); err != nil {
				return err
			}
		}
		after, err := tx.Motion.UpdateOne(mo).SetStatus(motion.StatusOPEN).SetOpenedAt(time.Now()).
			SetEntitled(entitled).SetPresent(present).Save(ctx)
		if err != nil {
			return err
		}
		out = after
		return rec.Change(actionMotionOpen, mo, after)
	})
	return out, err
}

// presentAt returns who is checked in to the meeting now.
func presentAt(ctx context.Context, c *ent.Client, meetingID int) (map[int]bool, error) {
	var ids []int
	err := c.Attendance.Query().Where(attendance.MeetingID(meetingID), attendance.Present(true)).
		Select(attendance.FieldParticipantID).Scan(ctx, &ids)
	here := make(map[int]bool, len(ids))
	for _, id := range ids {
		here[id] = true
	}
	return here, err
}

// VoteInput casts a vote. A voter's own token needs no ParticipantID; a
// clerk entering a show of hands names the participant.
type VoteInput struct {
	MotionID      int    `json:"motionId" validate:"required"`
	ParticipantID int    `json:"participantId"`
	Option        string `json:"option" validate:"required,oneof=YES NO ABSTAIN RECUSED"`
}

// CastVote stores one entitled voter's vote on an OPEN motion:
// VOTE_CLOSED when the motion is not open, ALREADY_VOTED on a second
// vote. A clerk's entry records who entered it. Recorded as "vote.cast";
// the event of a secret vote leaves the option out.
func (s *Store) CastVote(ctx context.Context, v *Viewer, in VoteInput) (*ent.Vote, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	who := in.ParticipantID
	switch {
	case v.Participant != 0 && who != 0 && who != v.Participant:
		return nil, E(Forbidden, "participantId", "a voter token casts its own participant's vote only")
	case v.Participant != 0:
		who = v.Participant
	case who == 0:
		return nil, &Error{Kind: Invalid, Field: "participantId", Rule: "required", Message: "a clerk entering a vote names the participant"}
	}
	var out *ent.Vote
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		// Who may vote here is settled before anything of the motion is
		// told: a voter must be among its voters, a clerk must keep its
		// meeting.
		if err := mayVoteOn(ctx, tx, v, in.MotionID); err != nil {
			return err
		}
		mo, err := motionGuard(ctx, tx, in.MotionID)
		if err != nil {
			return err
		}
		if mo.Status != motion.StatusOPEN {
			return voteClosed(mo)
		}
		vr, err := tx.Voter.Query().Where(voter.MotionID(mo.ID), voter.ParticipantID(who)).Only(ctx)
		if ent.IsNotFound(err) {
			return Violation("participantId", "entitled", "participant %d is not among the voters of motion %d snapshotted when it opened", who, mo.ID)
		}
		if err != nil {
			return err
		}
		if !vr.Present {
			return Violation("participantId", "present",
				"participant %d was not checked in when the vote on motion %d opened; those present then vote, the others count as absent", who, mo.ID)
		}
		if done, err := tx.Vote.Query().Where(vote.VoterID(vr.ID)).Exist(ctx); err != nil || done {
			if err != nil {
				return err
			}
			return alreadyVoted(who, mo)
		}
		create := tx.Vote.Create().SetVoterID(vr.ID).SetMotionID(mo.ID).SetOption(vote.Option(in.Option)).SetCastAt(time.Now())
		if v.Participant == 0 {
			create.SetEnteredBy(v.Name)
		}
		row, err := create.Save(ctx)
		if ent.IsConstraintError(err) {
			return alreadyVoted(who, mo)
		}
		if err != nil {
			return err
		}
		out = row
		if mo.Secret {
			rec.Record(Change{Action: actionVoteCast, Entity: "Vote", EntityID: row.ID,
				After: map[string]any{"id": row.ID, "motionId": mo.ID, "voterId": vr.ID, "secret": true}})
			return nil
		}
		return rec.Change(actionVoteCast, nil, row)
	})
	return out, err
}

// mayVoteOn refuses a viewer who may not cast or enter votes on the
// motion: a voter token not among its voters, or an account that does
// not keep its meeting.
func mayVoteOn(ctx context.Context, tx *ent.Tx, v *Viewer, motionID int) error {
	if v.Participant != 0 {
		ok, err := tx.Voter.Query().Where(voter.MotionID(motionID), voter.ParticipantID(v.Participant)).Exist(ctx)
		if err != nil || ok {
			return err
		}
		return E(Forbidden, "motionId", "this voter token's participant is not a voter of motion %d", motionID)
	}
	mo, err := tx.Motion.Get(ctx, motionID)
	if ent.IsNotFound(err) {
		return E(NotFound, "motionId", "no motion has id %d", motionID)
	}
	if err != nil {
		return err
	}
	m, org, err := meetingOf(ctx, tx.Client(), mo.MeetingID, "motionId")
	if err != nil {
		return err
	}
	return mayClerk(ctx, tx.Client(), v, m, org, "motionId")
}

// CloseVote closes a motion's vote: counts the stored votes, decides the
// result and stores both, for good. Recorded as "motion.close".
func (s *Store) CloseVote(ctx context.Context, v *Viewer, motionID int) (*ent.Motion, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	var out *ent.Motion
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		mo, err := motionGuard(ctx, tx, motionID)
		if err != nil {
			return err
		}
		m, org, err := meetingOf(ctx, tx.Client(), mo.MeetingID, "motionId")
		if err != nil {
			return err
		}
		if err := mayClerk(ctx, tx.Client(), v, m, org, "motionId"); err != nil {
			return err
		}
		switch mo.Status {
		case motion.StatusCLOSED:
			return voteClosed(mo)
		case motion.StatusDRAFT:
			return voteNotDraft(mo)
		}
		c, d, err := Recount(ctx, tx.Client(), mo)
		if err != nil {
			return err
		}
		after, err := tx.Motion.UpdateOne(mo).SetStatus(motion.StatusCLOSED).SetClosedAt(time.Now()).
			SetEntitled(int(c.Entitled)).SetPresent(int(c.Present)).SetYes(int(c.Yes)).SetNo(int(c.No)).
			SetAbstain(int(c.Abstain)).SetRecused(int(c.Recused)).SetNotVoting(int(c.NotVoting)).SetAbsent(int(c.Absent)).
			SetResult(motion.Result(d.Outcome)).SetArithmetic(d.Text).Save(ctx)
		if err != nil {
			return err
		}
		out = after
		return rec.Change(actionMotionClose, mo, after)
	})
	return out, err
}

// Recount counts a motion's stored votes against its snapshotted voters
// and decides it by its stored quorum and threshold. Present are those
// checked in when the vote opened (only they vote).
func Recount(ctx context.Context, c *ent.Client, mo *ent.Motion) (tally.Counts, tally.Decision, error) {
	voters, err := c.Voter.Query().Where(voter.MotionID(mo.ID)).WithVote().All(ctx)
	if err != nil {
		return tally.Counts{}, tally.Decision{}, err
	}
	var n tally.Counts
	for _, vr := range voters {
		w := int64(vr.Weight)
		n.Entitled += w
		vt := vr.Edges.Vote
		if vr.Present {
			n.Present += w
		}
		switch {
		case vt == nil && vr.Present:
			n.NotVoting += w
		case vt == nil:
			n.Absent += w
		case vt.Option == vote.OptionYES:
			n.Yes += w
		case vt.Option == vote.OptionNO:
			n.No += w
		case vt.Option == vote.OptionABSTAIN:
			n.Abstain += w
		default:
			n.Recused += w
		}
	}
	d, err := tally.Decide(n, mo.Quorum, mo.Threshold)
	return n, d, err
}

// VoteMismatch is a closed motion whose stored counts or result differ
// from a re-count of its stored votes.
type VoteMismatch struct {
	MotionID int
	Stored   string
	Recount  string
}

// VerifyVotes re-counts every closed motion from its stored votes and
// returns how many it checked and those that disagree.
func (s *Store) VerifyVotes(ctx context.Context) (int, []VoteMismatch, error) {
	closed, err := s.Client.Motion.Query().Where(motion.StatusEQ(motion.StatusCLOSED)).Order(ent.Asc(motion.FieldID)).All(ctx)
	if err != nil {
		return 0, nil, Wrap(err)
	}
	var bad []VoteMismatch
	for _, mo := range closed {
		c, d, err := Recount(ctx, s.Client, mo)
		if err != nil {
			return 0, nil, Wrap(err)
		}
		got := countsText(c, string(d.Outcome), d.Text)
		stored := countsText(tally.Counts{
			Entitled: deref64(mo.Entitled), Present: deref64(mo.Present), Yes: deref64(mo.Yes), No: deref64(mo.No),
			Abstain: deref64(mo.Abstain), Recused: deref64(mo.Recused), NotVoting: deref64(mo.NotVoting), Absent: deref64(mo.Absent),
		}, resultOf(mo), derefString(mo.Arithmetic))
		if got != stored {
			bad = append(bad, VoteMismatch{MotionID: mo.ID, Stored: stored, Recount: got})
		}
	}
	return len(closed), bad, nil
}

func countsText(c tally.Counts, result, text string) string {
	return fmt.Sprintf("entitled %d, present %d, yes %d, no %d, abstain %d, recused %d, not voting %d, absent %d: %s (%s)",
		c.Entitled, c.Present, c.Yes, c.No, c.Abstain, c.Recused, c.NotVoting, c.Absent, result, text)
}

func resultOf(mo *ent.Motion) string {
	if mo.Result == nil {
		return ""
	}
	return mo.Result.String()
}

func deref64(p *int) int64 {
	if p == nil {
		return 0
	}
	return int64(*p)
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// motionGuard takes the motion's row: every vote and the close of one
// motion run one after another.
func motionGuard(ctx context.Context, tx *ent.Tx, id int) (*ent.Motion, error) {
	if err := tx.Motion.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		if ent.IsNotFound(err) {
			return nil, E(NotFound, "motionId", "no motion has id %d", id)
		}
		return nil, err
	}
	return tx.Motion.Get(ctx, id)
}

func voteClosed(mo *ent.Motion) error {
	e := E(VoteClosed, "motionId", "the vote on motion %d is %s", mo.ID, mo.Status)
	e.Rule = "open"
	if mo.Status == motion.StatusDRAFT {
		e.Message = fmt.Sprintf("the vote on motion %d has not opened", mo.ID)
	}
	return e
}

func voteNotDraft(mo *ent.Motion) error {
	if mo.Status == motion.StatusCLOSED {
		return voteClosed(mo)
	}
	e := E(Conflict, "motionId", "the vote on motion %d is %s", mo.ID, mo.Status)
	e.Rule = "draft"
	if mo.Status == motion.StatusDRAFT {
		e.Message = fmt.Sprintf("the vote on motion %d has not opened", mo.ID)
		e.Rule = "open"
	}
	return e
}

func alreadyVoted(who int, mo *ent.Motion) error {
	e := E(AlreadyVoted, "participantId", "participant %d has voted on motion %d already", who, mo.ID)
	e.Rule = "oneVote"
	return e
}
