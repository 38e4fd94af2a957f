package registry

import (
	"context"
	"slices"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/assembly"
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
	if ent.IsNotFound(err) {
		return nil, E(NotFound, "termId", "no term has id %d", termID)
	}
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
	mine, err := s.Client.Participant.Query().Where(participant.PersonID(personID),
		participant.Or(participant.HasMeetingWith(meeting.TermID(termID)), participant.HasAssemblyWith(assembly.TermID(termID)))).
		WithReplaces().All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	var came []int
	err = s.Client.Attendance.Query().Where(attendance.HasParticipantWith(participant.PersonID(personID)),
		attendance.HasMeetingWith(meeting.TermID(termID))).Select(attendance.FieldMeetingID).Scan(ctx, &came)
	if err != nil {
		return nil, Wrap(err)
	}
	rec := &VotingRecord{}
	for _, m := range meetings {
		attended := slices.Contains(came, m.ID)
		if attended || slices.ContainsFunc(mine, func(p *ent.Participant) bool { return s.seatedAt(m, p) }) {
			rec.MeetingsEntitled++
		}
		if attended {
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
		e := RecordEntry{Motion: vr.Edges.Motion, Present: vr.Present}
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

// seatedAt reports whether participant p was entitled to meeting m on
// its day: a participant of the meeting, or a representative of its
// assembly seated that day (a substitute from the day they took the
// seat, a replaced representative until the day they gave it up).
func (s *Store) seatedAt(m *ent.Meeting, p *ent.Participant) bool {
	if m.AssemblyID == nil {
		return p.MeetingID != nil && *p.MeetingID == m.ID
	}
	if p.AssemblyID == nil || *p.AssemblyID != *m.AssemblyID || p.Role != participant.RoleREPRESENTATIVE {
		return false
	}
	day := func(t time.Time) time.Time { return DateOf(t.In(s.Clock.location())) }
	if r := p.Edges.Replaces; r != nil && r.ReplacedAt != nil && day(*r.ReplacedAt).After(m.HeldOn) {
		return false
	}
	return p.ReplacedAt == nil || !day(*p.ReplacedAt).Before(m.HeldOn)
}
