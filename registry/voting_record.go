package registry

import (
	"context"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/attendance"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/motion"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/voter"
)

// RecordEntry is one closed motion in a person's voting record: their
// option (YES, NO, ABSTAIN, RECUSED, NOT_VOTING or ABSENT), or none for
// a secret vote, which shows only whether they were present.
type RecordEntry struct {
	Motion  *ent.Motion
	Option  string
	Present bool
}

// VotingRecord is a person's votes and attendance over one term: every
// closed motion they were entitled to vote on, and the meetings they
// were a participant of and attended.
type VotingRecord struct {
	Entries                            []RecordEntry
	MotionsEntitled, MotionsPresent    int
	MeetingsEntitled, MeetingsAttended int
}

// VotingRecordOf reads a person's voting record over the term's
// meetings (for an assembly's term, its sessions), for viewers who may
// read the term's organization.
func (s *Store) VotingRecordOf(ctx context.Context, v *Viewer, personID, termID int) (*VotingRecord, error) {
	t, err := s.Client.Term.Get(ctx, termID)
	if err != nil {
		return nil, Wrap(err)
	}
	if err := v.AuthorizeIn(ReadOrganization, t.OrganizationID, "termId"); err != nil {
		return nil, err
	}
	meetings, err := s.Client.Meeting.Query().Where(meeting.TermID(termID)).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	rec := &VotingRecord{}
	for _, m := range meetings {
		p, err := entitledQuery(s.Client, m).Where(participant.PersonID(personID)).First(ctx)
		if ent.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, Wrap(err)
		}
		rec.MeetingsEntitled++
		came, err := s.Client.Attendance.Query().Where(attendance.MeetingID(m.ID), attendance.ParticipantID(p.ID)).Exist(ctx)
		if err != nil {
			return nil, Wrap(err)
		}
		if came {
			rec.MeetingsAttended++
		}
	}
	voters, err := s.Client.Voter.Query().Where(
		voter.HasParticipantWith(participant.PersonID(personID)),
		voter.HasMotionWith(motion.StatusEQ(motion.StatusCLOSED), motion.HasMeetingWith(meeting.TermID(termID))),
	).WithVote().WithMotion().Order(ent.Asc(voter.FieldMotionID)).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	for _, vr := range voters {
		e := RecordEntry{Motion: vr.Edges.Motion, Present: vr.Present || vr.Edges.Vote != nil}
		switch {
		case e.Motion.Secret:
		case vr.Edges.Vote != nil:
			e.Option = vr.Edges.Vote.Option.String()
		case vr.Present:
			e.Option = "NOT_VOTING"
		default:
			e.Option = "ABSENT"
		}
		rec.MotionsEntitled++
		if e.Present {
			rec.MotionsPresent++
		}
		rec.Entries = append(rec.Entries, e)
	}
	return rec, nil
}
