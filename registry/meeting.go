package registry

// Meetings: a session of the member representative assembly, or a
// meeting of a council, standing council, branch or committee in one of
// its terms. A session's participants are the assembly's seated
// representatives (credentials confirmed before they check in); a
// meeting's are the term's roster on its date, snapshotted when it is
// created, each person once. Clerks check participants in and out; the
// quorum state (present of entitled against the rules' quorum) is read
// from those check-ins at any moment, never typed in.

import (
	"context"
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/account"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/attendance"
	"github.com/societyregistry/registry/ent/grant"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/tally"
)

// The audit actions of meetings.
const (
	actionMeetingCreate     = "meeting.create"
	actionMeetingGrant      = "meeting.grant"
	actionCredentialConfirm = "participant.confirm"
	actionVoterToken        = "participant.token"
	actionCheckIn           = "attendance.checkIn"
	actionCheckOut          = "attendance.checkOut"
)

// VoterTokenPrefix starts every voter token, so the server tells them
// from account tokens.
const VoterTokenPrefix = "vot_"

// MeetingInput convenes a meeting of a term, or the next session of an
// assembly.
type MeetingInput struct {
	// TermID is the term whose body meets; for a session, the
	// assembly's term (may be left out).
	TermID int `json:"termId" validate:"required_without=AssemblyID"`
	// AssemblyID makes the meeting the assembly's next session.
	AssemblyID int       `json:"assemblyId"`
	Title      string    `json:"title" validate:"required,max=200"`
	HeldOn     time.Time `json:"heldOn" validate:"required"`
	Kind       string    `json:"kind" validate:"omitempty,oneof=ORDINARY EXTRAORDINARY"`
}

// CreateMeeting convenes a meeting. A session of an assembly is numbered
// after the last; a meeting of another body is held inside its term's
// dates, and its participants are everyone who sits in the term on the
// meeting's date. Recorded as "meeting.create".
func (s *Store) CreateMeeting(ctx context.Context, v *Viewer, in MeetingInput) (*ent.Meeting, error) {
	if !v.Can(ConveneMeetings) {
		return nil, v.forbiddenOrAnonymous(ConveneMeetings, "termId")
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	kind := meeting.KindORDINARY
	if in.Kind != "" {
		kind = meeting.Kind(in.Kind)
	}
	day := DateOf(in.HeldOn)
	var out *ent.Meeting
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		create := tx.Meeting.Create().SetTitle(in.Title).SetHeldOn(day).SetKind(kind)
		if in.AssemblyID != 0 {
			a, _, err := assemblyGuard(ctx, tx, in.AssemblyID, "assemblyId")
			if err != nil {
				return err
			}
			if in.TermID != 0 && in.TermID != a.TermID {
				return Violation("termId", "assemblyTerm", "assembly %q sits in term %d, not %d", a.Name, a.TermID, in.TermID)
			}
			if err := v.Authorize(ConveneMeetings); err != nil {
				return err
			}
			if err := meetingWithinTerm(a.Edges.Term, day); err != nil {
				return err
			}
			n, err := tx.Meeting.Query().Where(meeting.AssemblyID(a.ID)).Count(ctx)
			if err != nil {
				return err
			}
			create.SetTermID(a.TermID).SetAssemblyID(a.ID).SetSession(n + 1)
		} else {
			t, err := tx.Term.Query().Where(term.ID(in.TermID)).WithOrganization().Only(ctx)
			if ent.IsNotFound(err) {
				return E(NotFound, "termId", "no term has id %d", in.TermID)
			}
			if err != nil {
				return err
			}
			if err := v.AuthorizeIn(ConveneMeetings, t.OrganizationID, "termId"); err != nil {
				return err
			}
			if t.Edges.Organization.Kind == organization.KindASSOCIATION {
				return Violation("termId", "assemblySession", "the association meets as its member representative assembly: give assemblyId")
			}
			if err := meetingWithinTerm(t, day); err != nil {
				return err
			}
			create.SetTermID(t.ID)
		}
		m, err := create.Save(ctx)
		if err != nil {
			return err
		}
		if m.AssemblyID == nil {
			if err := snapshotRoster(ctx, tx, m); err != nil {
				return err
			}
		}
		out = m
		return rec.Change(actionMeetingCreate, nil, m)
	})
	return out, err
}

// meetingWithinTerm refuses a meeting day outside the term's dates: from
// its first day until its actual end (or, while it runs, any day after
// its first: an overdue term still meets).
func meetingWithinTerm(t *ent.Term, day time.Time) error {
	if t.Status == term.StatusPLANNED {
		return Violation("termId", "activeTerm", "%s is PLANNED; its body meets once its succession is complete", apptTermName(t))
	}
	if day.Before(t.StartsOn) || (t.ActualEnd != nil && !day.Before(*t.ActualEnd)) {
		return Violation("heldOn", "withinTerm", "heldOn %s lies outside %s", day.Format(DateLayout), apptTermName(t))
	}
	return nil
}

// snapshotRoster makes the participants of a meeting: everyone holding
// an appointment of the term on the meeting's day, once each.
func snapshotRoster(ctx context.Context, tx *ent.Tx, m *ent.Meeting) error {
	var people []int
	err := tx.Appointment.Query().Where(appointment.TermID(m.TermID), appointment.StartsOnLTE(m.HeldOn),
		appointment.Or(appointment.EndsOnIsNil(), appointment.EndsOnGT(m.HeldOn))).
		Unique(true).Select(appointment.FieldPersonID).Scan(ctx, &people)
	if err != nil {
		return err
	}
	if len(people) == 0 {
		return Violation("heldOn", "participants", "nobody sits in the term on %s: a meeting needs participants", m.HeldOn.Format(DateLayout))
	}
	creates := make([]*ent.ParticipantCreate, len(people))
	for i, id := range people {
		creates[i] = tx.Participant.Create().SetPersonID(id).SetMeetingID(m.ID).SetRole(participant.RoleMEMBER)
	}
	for part := range chunks(creates, 500) {
		if err := tx.Participant.CreateBulk(part...).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// GrantInput makes an account a clerk of a meeting, or of every session
// of an assembly.
type GrantInput struct {
	Account    string `json:"account" validate:"required,max=64"`
	MeetingID  int    `json:"meetingId" validate:"required_without=AssemblyID,excluded_with=AssemblyID"`
	AssemblyID int    `json:"assemblyId"`
}

// GrantClerk makes the account a CLERK of the meeting or assembly.
// Recorded as "meeting.grant".
func (s *Store) GrantClerk(ctx context.Context, v *Viewer, in GrantInput) (*ent.Grant, error) {
	if !v.Can(ConveneMeetings) {
		return nil, v.forbiddenOrAnonymous(ConveneMeetings, "meetingId")
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Grant
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		acct, err := tx.Account.Query().Where(account.Name(in.Account)).Only(ctx)
		if ent.IsNotFound(err) {
			return E(NotFound, "account", "no account is named %q", in.Account)
		}
		if err != nil {
			return err
		}
		create := tx.Grant.Create().SetAccountID(acct.ID).SetRole(grant.RoleCLERK).SetGrantedBy(v.Name)
		exists := tx.Grant.Query().Where(grant.AccountID(acct.ID), grant.RoleEQ(grant.RoleCLERK))
		// The meeting's or assembly's row is the guard of its grants.
		if in.MeetingID != 0 {
			m, org, err := meetingOf(ctx, tx.Client(), in.MeetingID, "meetingId")
			if err != nil {
				return err
			}
			if err := v.AuthorizeIn(ConveneMeetings, org, "meetingId"); err != nil {
				return err
			}
			if err := tx.Meeting.UpdateOneID(m.ID).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
				return err
			}
			create.SetMeetingID(m.ID)
			exists.Where(grant.MeetingID(m.ID))
		} else {
			if err := v.Authorize(ConveneMeetings); err != nil {
				return err
			}
			if _, _, err := assemblyGuard(ctx, tx, in.AssemblyID, "assemblyId"); err != nil {
				return err
			}
			create.SetAssemblyID(in.AssemblyID)
			exists.Where(grant.AssemblyID(in.AssemblyID))
		}
		if dup, err := exists.Exist(ctx); err != nil || dup {
			if err != nil {
				return err
			}
			e := E(Conflict, "account", "%s is a clerk there already", in.Account)
			e.Rule = "once"
			return e
		}
		g, err := create.Save(ctx)
		if err != nil {
			return err
		}
		out = g
		return rec.Change(actionMeetingGrant, nil, g)
	})
	return out, err
}

// meetingOf reads a meeting with the organization it belongs to.
func meetingOf(ctx context.Context, c *ent.Client, id int, field string) (*ent.Meeting, int, error) {
	m, err := c.Meeting.Query().Where(meeting.ID(id)).WithTerm().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, 0, E(NotFound, field, "no meeting has id %d", id)
	}
	if err != nil {
		return nil, 0, err
	}
	return m, m.Edges.Term.OrganizationID, nil
}

// mayClerk returns nil when v keeps the meeting's attendance and votes:
// by its role in the meeting's organization, or by a CLERK grant on the
// meeting or its assembly.
func mayClerk(ctx context.Context, c *ent.Client, v *Viewer, m *ent.Meeting, org int, field string) error {
	if v == nil {
		return unauthenticated()
	}
	if v.AuthorizeIn(ClerkMeetings, org, field) == nil {
		return nil
	}
	if v.AccountID != 0 {
		on := grant.MeetingID(m.ID)
		if m.AssemblyID != nil {
			on = grant.Or(on, grant.AssemblyID(*m.AssemblyID))
		}
		ok, err := c.Grant.Query().Where(grant.AccountID(v.AccountID), grant.RoleEQ(grant.RoleCLERK), on).Exist(ctx)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return v.forbidden(ClerkMeetings, field)
}

// mayClerkAssembly returns nil when v keeps the assembly's credentials
// and voter tokens: by role, or by a CLERK grant on the assembly (a
// grant on one session covers that session only).
func mayClerkAssembly(ctx context.Context, c *ent.Client, v *Viewer, assemblyID int, field string) error {
	if v == nil {
		return unauthenticated()
	}
	if v.Authorize(ClerkMeetings) == nil {
		return nil
	}
	if v.AccountID != 0 {
		ok, err := c.Grant.Query().Where(grant.AccountID(v.AccountID), grant.RoleEQ(grant.RoleCLERK), grant.AssemblyID(assemblyID)).Exist(ctx)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return v.forbidden(ClerkMeetings, field)
}

// ConfirmCredential confirms an assembly participant's credential, after
// which a representative may check in. Recorded as
// "participant.confirm".
func (s *Store) ConfirmCredential(ctx context.Context, v *Viewer, participantID int) (*ent.Participant, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	var out *ent.Participant
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		p, err := tx.Participant.Get(ctx, participantID)
		if ent.IsNotFound(err) || (err == nil && p.AssemblyID == nil) {
			return E(NotFound, "participantId", "no representative has id %d", participantID)
		}
		if err != nil {
			return err
		}
		if err := mayClerkAssembly(ctx, tx.Client(), v, *p.AssemblyID, "participantId"); err != nil {
			return err
		}
		// Only an unconfirmed row is updated: of two confirmations at
		// once, the second finds it confirmed.
		n, err := tx.Participant.Update().Where(participant.ID(p.ID), participant.CredentialConfirmedAtIsNil()).
			SetCredentialConfirmedAt(time.Now()).SetCredentialConfirmedBy(v.Name).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			e := E(Conflict, "participantId", "participant %d's credential was confirmed already", p.ID)
			e.Rule = "once"
			return e
		}
		after, err := tx.Participant.Get(ctx, p.ID)
		if err != nil {
			return err
		}
		out = after
		return rec.Change(actionCredentialConfirm, p, after)
	})
	return out, err
}

// IssueVoterToken gives a participant a new voter token, returned once
// and stored only as its hash; an earlier token stops working. With it
// the participant casts their own votes. Recorded as
// "participant.token" (without the token).
func (s *Store) IssueVoterToken(ctx context.Context, v *Viewer, participantID int) (string, error) {
	if v == nil {
		return "", unauthenticated()
	}
	secret, err := newSecret()
	if err != nil {
		return "", err
	}
	secret = VoterTokenPrefix + secret[len(TokenPrefix):]
	err = s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		p, err := tx.Participant.Get(ctx, participantID)
		if ent.IsNotFound(err) {
			return E(NotFound, "participantId", "no participant has id %d", participantID)
		}
		if err != nil {
			return err
		}
		if p.AssemblyID != nil {
			if err = mayClerkAssembly(ctx, tx.Client(), v, *p.AssemblyID, "participantId"); err == nil && p.CredentialConfirmedAt == nil {
				err = unconfirmed(p)
			}
		} else {
			var m *ent.Meeting
			var org int
			if m, org, err = meetingOf(ctx, tx.Client(), *p.MeetingID, "participantId"); err == nil {
				err = mayClerk(ctx, tx.Client(), v, m, org, "participantId")
			}
		}
		if err != nil {
			return err
		}
		after, err := tx.Participant.UpdateOne(p).SetVoterTokenHash(HashToken(secret)).Save(ctx)
		if err != nil {
			return err
		}
		return rec.Change(actionVoterToken, p, after)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// AttendInput checks a participant in to a meeting or out of it.
type AttendInput struct {
	MeetingID     int `json:"meetingId" validate:"required"`
	ParticipantID int `json:"participantId" validate:"required"`
}

// CheckIn records a participant as present. Representatives need a
// confirmed credential. Recorded as "attendance.checkIn".
func (s *Store) CheckIn(ctx context.Context, v *Viewer, in AttendInput) (*ent.Attendance, error) {
	return s.attend(ctx, v, in, true)
}

// CheckOut records a participant as gone. Recorded as
// "attendance.checkOut".
func (s *Store) CheckOut(ctx context.Context, v *Viewer, in AttendInput) (*ent.Attendance, error) {
	return s.attend(ctx, v, in, false)
}

func (s *Store) attend(ctx context.Context, v *Viewer, in AttendInput, present bool) (*ent.Attendance, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Attendance
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		m, err := meetingGuard(ctx, tx, v, in.MeetingID)
		if err != nil {
			return err
		}
		p, err := tx.Participant.Get(ctx, in.ParticipantID)
		if ent.IsNotFound(err) {
			return E(NotFound, "participantId", "no participant has id %d", in.ParticipantID)
		}
		if err != nil {
			return err
		}
		// Anyone checked in may leave, a representative replaced since
		// included; only the entitled check in.
		if err := entitledAt(m, p); err != nil && (present || !takesPart(m, p)) {
			return err
		}
		now := time.Now()
		before, err := tx.Attendance.Query().Where(attendance.MeetingID(m.ID), attendance.ParticipantID(p.ID)).Only(ctx)
		var after *ent.Attendance
		switch {
		case ent.IsNotFound(err) && present:
			before = nil
			after, err = tx.Attendance.Create().SetMeetingID(m.ID).SetParticipantID(p.ID).SetPresent(true).
				SetCheckedInAt(now).SetRecordedBy(v.Name).Save(ctx)
		case ent.IsNotFound(err) || (err == nil && before.Present == present):
			e := E(Conflict, "participantId", "participant %d is %s already", p.ID, map[bool]string{true: "checked in", false: "not checked in"}[present])
			e.Rule = map[bool]string{true: "checkedIn", false: "notCheckedIn"}[present]
			return e
		case err != nil:
			return err
		case present:
			after, err = tx.Attendance.UpdateOne(before).SetPresent(true).SetRecordedBy(v.Name).Save(ctx)
		default:
			after, err = tx.Attendance.UpdateOne(before).SetPresent(false).SetCheckedOutAt(now).SetRecordedBy(v.Name).Save(ctx)
		}
		if err != nil {
			return err
		}
		out = after
		return rec.Change(map[bool]string{true: actionCheckIn, false: actionCheckOut}[present], before, after)
	})
	return out, err
}

// meetingGuard takes the meeting's row as the guard of its attendance
// and votes, after checking that v may keep them.
func meetingGuard(ctx context.Context, tx *ent.Tx, v *Viewer, id int) (*ent.Meeting, error) {
	m, org, err := meetingOf(ctx, tx.Client(), id, "meetingId")
	if err != nil {
		return nil, err
	}
	if err := mayClerk(ctx, tx.Client(), v, m, org, "meetingId"); err != nil {
		return nil, err
	}
	if err := tx.Meeting.UpdateOneID(id).SetUpdatedAt(time.Now()).Exec(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// entitledAt refuses a participant who may not take part in the
// meeting: one of another meeting or assembly, a substitute not seated,
// a replaced representative, or a representative whose credential is
// not confirmed.
func entitledAt(m *ent.Meeting, p *ent.Participant) error {
	switch {
	case !takesPart(m, p):
		return Violation("participantId", "participant", "participant %d does not take part in meeting %d", p.ID, m.ID)
	case p.Role == participant.RoleSUBSTITUTE:
		return Violation("participantId", "seated", "participant %d is a substitute without a seat", p.ID)
	case p.ReplacedAt != nil:
		return Violation("participantId", "seated", "participant %d's seat went to a substitute", p.ID)
	case m.AssemblyID != nil && p.CredentialConfirmedAt == nil:
		return unconfirmed(p)
	}
	return nil
}

// takesPart reports whether p is a participant of m: of the meeting, or
// of the assembly whose session it is.
func takesPart(m *ent.Meeting, p *ent.Participant) bool {
	if m.AssemblyID == nil {
		return p.MeetingID != nil && *p.MeetingID == m.ID
	}
	return p.AssemblyID != nil && *p.AssemblyID == *m.AssemblyID
}

func unconfirmed(p *ent.Participant) error {
	return Violation("participantId", "credential", "participant %d's credential is not confirmed", p.ID)
}

// entitledQuery selects the participants entitled to vote at the
// meeting: a session's seated representatives, or the meeting's
// participants.
func entitledQuery(c *ent.Client, m *ent.Meeting) *ent.ParticipantQuery {
	if m.AssemblyID != nil {
		return c.Participant.Query().Where(participant.AssemblyID(*m.AssemblyID),
			participant.RoleEQ(participant.RoleREPRESENTATIVE), participant.ReplacedAtIsNil()).Order(ent.Asc(participant.FieldID))
	}
	return c.Participant.Query().Where(participant.MeetingID(m.ID)).Order(ent.Asc(participant.FieldID))
}

// Quorum is a meeting's quorum state at one moment.
type Quorum struct {
	// Entitled and Present are weights: every entitled participant, and
	// those of them checked in now.
	Entitled, Present int64
	// Rule is the rules' quorum, Needed the presence it comes to.
	Rule   rules.Threshold
	Needed int64
	Met    bool
	Text   string
}

// QuorumOf reads a meeting's quorum state now: who is entitled, who is
// checked in, and what the organization's rules require.
func (s *Store) QuorumOf(ctx context.Context, meetingID int) (*Quorum, error) {
	m, err := s.Client.Meeting.Query().Where(meeting.ID(meetingID)).
		WithTerm(func(q *ent.TermQuery) { q.WithOrganization() }).Only(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	ps, err := entitledQuery(s.Client, m).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	present, err := presentAt(ctx, s.Client, m.ID)
	if err != nil {
		return nil, Wrap(err)
	}
	q := &Quorum{Rule: *RulesOf(m.Edges.Term.Edges.Organization).Quorum}
	for _, p := range ps {
		q.Entitled += int64(p.Weight)
		if present[p.ID] {
			q.Present += int64(p.Weight)
		}
	}
	q.Needed = q.Rule.Needed(q.Entitled)
	q.Met = q.Entitled > 0 && q.Rule.Met(q.Present, q.Entitled)
	verdict := "quorum met"
	if !q.Met {
		verdict = "no quorum"
	}
	q.Text = fmt.Sprintf("%d present of %d entitled; the quorum needs %s: %s", q.Present, q.Entitled, tally.NeedsText(q.Rule, q.Needed), verdict)
	return q, nil
}
