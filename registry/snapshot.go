package registry

import (
	"fmt"

	"github.com/societyregistry/registry/ent"
)

// Snapshot returns what the audit trail keeps of a row: its fields as
// canonical values, timestamps of bookkeeping left out. A person's
// identity number is never copied into the trail; only whether one is
// set. Rows of other types are an error, so an entity cannot be audited
// by accident without saying what of it is kept.
func Snapshot(row any) (map[string]any, error) {
	switch r := row.(type) {
	case *ent.Person:
		return map[string]any{
			"id": r.ID, "name": r.Name, "gender": r.Gender.String(), "birthDate": deref(r.BirthDate),
			"professionalTitle": r.ProfessionalTitle, "specialty": r.Specialty, "institutionId": deref(r.InstitutionID),
			"email": r.Email, "phone": r.Phone, "idNumberSet": r.IDNumber != "",
		}, nil
	case *ent.Membership:
		return map[string]any{
			"id": r.ID, "memberNumber": r.MemberNumber, "kind": r.Kind.String(), "status": r.Status.String(),
			"joinedOn": r.JoinedOn, "leftOn": deref(r.LeftOn), "personId": deref(r.PersonID), "institutionId": deref(r.InstitutionID),
		}, nil
	case *ent.StatusChange:
		var from any
		if r.FromStatus != nil {
			from = r.FromStatus.String()
		}
		return map[string]any{
			"id": r.ID, "membershipId": r.MembershipID, "fromStatus": from, "toStatus": r.ToStatus.String(),
			"effectiveOn": r.EffectiveOn, "reason": r.Reason,
		}, nil
	case *ent.Appointment:
		var reason any
		if r.EndReason != nil {
			reason = r.EndReason.String()
		}
		m := map[string]any{
			"id": r.ID, "personId": r.PersonID, "postId": r.PostID, "termId": r.TermID,
			"startsOn": r.StartsOn, "endsOn": deref(r.EndsOn), "obtainedBy": r.ObtainedBy.String(), "endReason": reason,
		}
		if r.ElectionID != nil {
			// Only an elected appointment says which election made it.
			m["electionId"] = *r.ElectionID
		}
		return m, nil
	case *ent.Term:
		return map[string]any{
			"id": r.ID, "organizationId": r.OrganizationID, "ordinal": r.Ordinal, "name": r.Name,
			"startsOn": r.StartsOn, "endsOn": r.EndsOn, "actualEnd": deref(r.ActualEnd), "status": r.Status.String(),
		}, nil
	case *ent.Deferral:
		return map[string]any{
			"id": r.ID, "termId": r.TermID, "until": r.Until, "reason": r.Reason, "approver": r.Approver,
		}, nil
	case *ent.Post:
		return map[string]any{
			"id": r.ID, "organizationId": r.OrganizationID, "title": r.Title, "rank": r.Rank,
			"seats": r.Seats, "leadership": r.Leadership,
		}, nil
	case *ent.Account:
		return map[string]any{"id": r.ID, "name": r.Name, "role": r.Role.String(), "disabled": r.Disabled}, nil
	case *ent.Token:
		return map[string]any{
			"id": r.ID, "accountId": r.AccountID, "hint": r.Hint, "label": r.Label,
			"createdAt": r.CreatedAt, "revokedAt": deref(r.RevokedAt),
		}, nil
	case *ent.Assembly:
		return map[string]any{"id": r.ID, "termId": r.TermID, "name": r.Name, "seats": r.Seats, "apportionedOn": deref(r.ApportionedOn)}, nil
	case *ent.Constituency:
		return map[string]any{
			"id": r.ID, "assemblyId": r.AssemblyID, "organizationId": deref(r.OrganizationID), "institutionId": deref(r.InstitutionID),
			"name": r.Name, "activeMembers": r.ActiveMembers, "computedSeats": r.ComputedSeats, "seats": r.Seats,
			"adjustReason": deref(r.AdjustReason), "arithmetic": r.Arithmetic,
		}, nil
	case *ent.Meeting:
		return map[string]any{
			"id": r.ID, "termId": r.TermID, "assemblyId": deref(r.AssemblyID), "session": deref(r.Session),
			"kind": r.Kind.String(), "title": r.Title, "heldOn": r.HeldOn,
		}, nil
	case *ent.Participant:
		return map[string]any{
			"id": r.ID, "personId": r.PersonID, "assemblyId": deref(r.AssemblyID), "meetingId": deref(r.MeetingID),
			"constituencyId": deref(r.ConstituencyID), "role": r.Role.String(), "weight": r.Weight,
			"onBehalfOfId": deref(r.OnBehalfOfID), "replacesId": deref(r.ReplacesID), "replacedAt": deref(r.ReplacedAt),
			"credentialConfirmedAt": deref(r.CredentialConfirmedAt), "voterTokenSet": r.VoterTokenHash != nil,
		}, nil
	case *ent.Attendance:
		return map[string]any{
			"id": r.ID, "meetingId": r.MeetingID, "participantId": r.ParticipantID, "present": r.Present,
			"checkedInAt": r.CheckedInAt, "checkedOutAt": deref(r.CheckedOutAt),
		}, nil
	case *ent.Grant:
		m := map[string]any{
			"id": r.ID, "accountId": r.AccountID, "role": r.Role.String(), "meetingId": deref(r.MeetingID), "assemblyId": deref(r.AssemblyID),
		}
		if r.ElectionID != nil {
			// Only a teller's grant names an election and the person
			// serving.
			m["electionId"], m["personId"] = *r.ElectionID, deref(r.PersonID)
		}
		return m, nil
	case *ent.Motion:
		var result any
		if r.Result != nil {
			result = r.Result.String()
		}
		return map[string]any{
			"id": r.ID, "meetingId": r.MeetingID, "number": r.Number, "title": r.Title, "text": r.Text, "kind": r.Kind,
			"secret": r.Secret, "threshold": r.Threshold.String(), "quorum": r.Quorum.String(), "status": r.Status.String(),
			"entitled": deref(r.Entitled), "present": deref(r.Present), "yes": deref(r.Yes), "no": deref(r.No),
			"abstain": deref(r.Abstain), "recused": deref(r.Recused), "notVoting": deref(r.NotVoting), "absent": deref(r.Absent),
			"result": result, "arithmetic": deref(r.Arithmetic),
		}, nil
	case *ent.Vote:
		return map[string]any{
			"id": r.ID, "voterId": r.VoterID, "motionId": r.MotionID, "option": r.Option.String(), "enteredBy": deref(r.EnteredBy),
		}, nil
	}
	return nil, fmt.Errorf("registry: no audit snapshot for %T", row)
}

// Changed returns the change that turned before into after (either may be
// nil, for a row created or removed), read from their snapshots.
func Changed(action string, before, after any) (Change, error) {
	c := Change{Action: action}
	for _, s := range []struct {
		row any
		dst *map[string]any
	}{{before, &c.Before}, {after, &c.After}} {
		if isNil(s.row) {
			continue
		}
		m, err := Snapshot(s.row)
		if err != nil {
			return c, err
		}
		*s.dst = m
		c.EntityID, _ = m["id"].(int)
		c.Entity = entityName(s.row)
	}
	return c, nil
}

func isNil(row any) bool {
	if row == nil {
		return true
	}
	switch r := row.(type) {
	case *ent.Person:
		return r == nil
	case *ent.Membership:
		return r == nil
	case *ent.StatusChange:
		return r == nil
	case *ent.Appointment:
		return r == nil
	case *ent.Term:
		return r == nil
	case *ent.Deferral:
		return r == nil
	case *ent.Post:
		return r == nil
	case *ent.Account:
		return r == nil
	case *ent.Token:
		return r == nil
	case *ent.Attendance:
		return r == nil
	}
	return false
}

func entityName(row any) string {
	name := fmt.Sprintf("%T", row)
	return name[len("*ent."):]
}

// Record adds the change from before to after under action; see
// [Changed].
func (r *Recorder) Change(action string, before, after any) error {
	c, err := Changed(action, before, after)
	if err != nil {
		return err
	}
	r.Record(c)
	return nil
}
