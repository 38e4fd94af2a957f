package graph

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/registry"
)

// meetingMutationFields are the root mutation's fields of assemblies,
// meetings and votes.
func (b *builder) meetingMutationFields() graphql.Fields {
	mt := b.meetings()
	assembly, meeting, motion, participant := b.objects["Assembly"], b.objects["Meeting"], b.objects["Motion"], b.objects["Participant"]
	return graphql.Fields{
		"createAssembly": mutationField("Creates the member representative assembly of a term of the association (ADMIN, SECRETARIAT); one per term. Audited as assembly.create.",
			inputType("CreateAssemblyInput", "The assembly to create.", graphql.InputObjectConfigFieldMap{
				"termId": inField(nonNull(graphql.ID), "The global ID of the association's term."),
				"name":   inField(nonNull(graphql.String), "The assembly's name, such as The Third Member Representative Assembly; at most 200 characters."),
				"seats":  inField(nonNull(graphql.Int), "Representatives to apportion, 1 to 100000."),
			}),
			payloadType("CreateAssemblyPayload", "The assembly created.", "assembly", assembly, "The assembly."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				t, err := in.id("termId", "Term")
				if err != nil {
					return nil, err
				}
				seats, _ := in["seats"].(int)
				return b.deps.Store.CreateAssembly(p.Context, v, registry.AssemblyInput{TermID: t, Name: in.str("name"), Seats: seats})
			}),
		"apportionSeats": mutationField("Shares the assembly's seats among constituencies in proportion to their active members, by the largest-remainder method after the rules' minimum each "+
			"(ADMIN, SECRETARIAT); allowed until a representative is seated. Each constituency keeps its arithmetic. Audited as assembly.apportion.",
			inputType("ApportionSeatsInput", "The constituencies.", graphql.InputObjectConfigFieldMap{
				"assemblyId":      inField(nonNull(graphql.ID), "The global ID of the assembly."),
				"on":              inField(b.date, "The day whose active members count (default today)."),
				"organizationIds": inField(graphql.NewList(nonNull(graphql.ID)), "Academic branches and special committees, each a constituency of the people with an ACTIVE membership who sit in it."),
				"institutionIds":  inField(graphql.NewList(nonNull(graphql.ID)), "Unit members, each a constituency of its staff with an ACTIVE membership."),
			}),
			payloadType("ApportionSeatsPayload", "The assembly apportioned.", "assembly", assembly, "The assembly, with its constituencies."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				a, err := in.id("assemblyId", "Assembly")
				if err != nil {
					return nil, err
				}
				orgs, err := in.ids("organizationIds", "Organization")
				if err != nil {
					return nil, err
				}
				insts, err := in.ids("institutionIds", "Institution")
				if err != nil {
					return nil, err
				}
				if _, err := b.deps.Store.ApportionSeats(p.Context, v, registry.ApportionInput{AssemblyID: a, On: in.day("on"), Organizations: orgs, Institutions: insts}); err != nil {
					return nil, err
				}
				return b.deps.Store.Client.Assembly.Get(p.Context, a)
			}),
		"adjustSeats": mutationField("Sets a constituency's seats by the secretariat's decision, with a reason (ADMIN, SECRETARIAT); never below its seated representatives. Audited as assembly.adjust.",
			inputType("AdjustSeatsInput", "The constituency's new seats.", graphql.InputObjectConfigFieldMap{
				"constituencyId": inField(nonNull(graphql.ID), "The global ID of the constituency."),
				"seats":          inField(nonNull(graphql.Int), "Its seats, 0 or more."),
				"reason":         inField(nonNull(graphql.String), "Why; 1 to 500 characters."),
			}),
			payloadType("AdjustSeatsPayload", "The constituency adjusted.", "constituency", b.objects["Constituency"], "The constituency."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				c, err := in.id("constituencyId", "Constituency")
				if err != nil {
					return nil, err
				}
				seats, _ := in["seats"].(int)
				return b.deps.Store.AdjustSeats(p.Context, v, registry.AdjustInput{ConstituencyID: c, Seats: seats, Reason: in.str("reason")})
			}),
		"seatRepresentative": mutationField("Names a constituency's representative, or a substitute (ADMIN, SECRETARIAT): an ACTIVE member, once per assembly; a unit member's is on its staff "+
			"and speaks on its behalf; never more representatives than seats. Audited as assembly.seat.",
			inputType("SeatRepresentativeInput", "Who sits for the constituency.", graphql.InputObjectConfigFieldMap{
				"constituencyId": inField(nonNull(graphql.ID), "The global ID of the constituency."),
				"personId":       inField(nonNull(graphql.ID), "The global ID of the person."),
				"substitute":     inField(graphql.Boolean, "A substitute rather than a representative (default false)."),
				"weight":         inField(graphql.Int, "The representative's votes (default 1)."),
			}),
			payloadType("SeatRepresentativePayload", "The participant seated.", "participant", participant, "The representative or substitute."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				c, err := in.id("constituencyId", "Constituency")
				if err != nil {
					return nil, err
				}
				who, err := in.id("personId", "Person")
				if err != nil {
					return nil, err
				}
				weight, _ := in["weight"].(int)
				return b.deps.Store.SeatRepresentative(p.Context, v, registry.SeatInput{ConstituencyID: c, PersonID: who, Substitute: in.flag("substitute"), Weight: weight})
			}),
		"replaceRepresentative": mutationField("Gives a representative's seat to a substitute of the same constituency (ADMIN, SECRETARIAT). Audited as assembly.replace.",
			inputType("ReplaceRepresentativeInput", "The seat to pass on.", graphql.InputObjectConfigFieldMap{
				"representativeId": inField(nonNull(graphql.ID), "The global ID of the representative (a Participant)."),
				"substituteId":     inField(nonNull(graphql.ID), "The global ID of the substitute (a Participant)."),
			}),
			payloadType("ReplaceRepresentativePayload", "The substitute seated.", "participant", participant, "The substitute, now a representative."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				rep, err := in.id("representativeId", "Participant")
				if err != nil {
					return nil, err
				}
				sub, err := in.id("substituteId", "Participant")
				if err != nil {
					return nil, err
				}
				return b.deps.Store.ReplaceRepresentative(p.Context, v, registry.ReplaceInput{RepresentativeID: rep, SubstituteID: sub})
			}),
		"confirmCredential": mutationField("Confirms a representative's credential, after which they may check in (clerks of the assembly). Audited as participant.confirm.",
			participantInput("ConfirmCredentialInput", "The representative."),
			payloadType("ConfirmCredentialPayload", "The credential confirmed.", "participant", participant, "The representative."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				id, err := in.id("participantId", "Participant")
				if err != nil {
					return nil, err
				}
				return b.deps.Store.ConfirmCredential(p.Context, v, id)
			}),
		"issueVoterToken": mutationField("Gives a participant a new voter token, shown once: sent as Authorization: Bearer, it casts that participant's own votes and nothing else; "+
			"an earlier one stops working (clerks). Audited as participant.token, without the token.",
			participantInput("IssueVoterTokenInput", "The participant."),
			graphql.NewObject(graphql.ObjectConfig{Name: "IssueVoterTokenPayload", Description: "The token issued.", Fields: graphql.Fields{
				"participant": field(nonNull(participant), "The participant.", func(v interface{}) interface{} { return v.(payload).row.(tokenRow).p }),
				"token":       field(nonNullString, "The voter token; stored only as its hash.", func(v interface{}) interface{} { return v.(payload).row.(tokenRow).token }),
				"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
					func(v interface{}) interface{} { return v.(payload).clientMutationID }),
			}}),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				id, err := in.id("participantId", "Participant")
				if err != nil {
					return nil, err
				}
				token, err := b.deps.Store.IssueVoterToken(p.Context, v, id)
				if err != nil {
					return nil, err
				}
				row, err := b.deps.Store.Client.Participant.Get(p.Context, id)
				return tokenRow{p: row, token: token}, err
			}),
		"createMeeting": mutationField("Convenes a meeting of a term, whose participants are everyone sitting in the term on its date; or, with assemblyId, the assembly's next session "+
			"(ADMIN, SECRETARIAT; a branch secretary for its scopes' terms). Audited as meeting.create.",
			inputType("CreateMeetingInput", "The meeting.", graphql.InputObjectConfigFieldMap{
				"termId":     inField(graphql.ID, "The global ID of the term whose body meets; leave out for an assembly session."),
				"assemblyId": inField(graphql.ID, "The global ID of the assembly, for its next session."),
				"title":      inField(nonNull(graphql.String), "The title; at most 200 characters."),
				"heldOn":     inField(nonNull(b.date), "The day it is held, inside the term."),
				"kind":       inField(mt.meetingKind, "Ordinary (default) or extraordinary."),
			}),
			payloadType("CreateMeetingPayload", "The meeting convened.", "meeting", meeting, "The meeting."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				t, err := in.idPtr("termId", "Term")
				if err != nil {
					return nil, err
				}
				a, err := in.idPtr("assemblyId", "Assembly")
				if err != nil {
					return nil, err
				}
				return b.deps.Store.CreateMeeting(p.Context, v, registry.MeetingInput{TermID: orZero(t), AssemblyID: orZero(a),
					Title: in.str("title"), HeldOn: in.day("heldOn"), Kind: in.enum("kind")})
			}),
		"grantClerk": mutationField("Makes an account a CLERK of one meeting, or of every session of an assembly: it then keeps attendance and votes there "+
			"(those who may convene the meeting). Audited as meeting.grant.",
			inputType("GrantClerkInput", "The grant.", graphql.InputObjectConfigFieldMap{
				"account":    inField(nonNull(graphql.String), "The account's name."),
				"meetingId":  inField(graphql.ID, "The global ID of the meeting."),
				"assemblyId": inField(graphql.ID, "The global ID of the assembly, instead of a meeting."),
			}),
			payloadType("GrantClerkPayload", "The grant made.", "grant", mt.grant, "The grant."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				m, err := in.idPtr("meetingId", "Meeting")
				if err != nil {
					return nil, err
				}
				a, err := in.idPtr("assemblyId", "Assembly")
				if err != nil {
					return nil, err
				}
				g, err := b.deps.Store.GrantClerk(p.Context, v, registry.GrantInput{Account: in.str("account"), MeetingID: orZero(m), AssemblyID: orZero(a)})
				if err != nil {
					return nil, err
				}
				return grantRow{account: in.str("account"), meeting: orZero(g.MeetingID), assemblyID: orZero(g.AssemblyID)}, nil
			}),
		"checkIn":  b.attendField("CheckIn", "Records a participant as present (clerks); a representative needs a confirmed credential. Audited as attendance.checkIn.", true),
		"checkOut": b.attendField("CheckOut", "Records a participant as gone (clerks). Audited as attendance.checkOut.", false),
		"createMotion": mutationField("Puts a motion to a meeting with the threshold of its kind and the quorum from the rules (those who may convene the meeting). Audited as motion.create.",
			inputType("CreateMotionInput", "The motion.", graphql.InputObjectConfigFieldMap{
				"meetingId": inField(nonNull(graphql.ID), "The global ID of the meeting."),
				"title":     inField(nonNull(graphql.String), "The title; at most 200 characters."),
				"text":      inField(graphql.String, "The text; at most 20000 characters."),
				"kind":      inField(graphql.String, "A motion kind of the rules (Rules.motions): ORDINARY (default), ARTICLES_AMENDMENT, DISMISSAL, BUDGET, ..."),
				"secret":    inField(graphql.Boolean, "A secret vote, which shows counts only (default false)."),
			}),
			payloadType("CreateMotionPayload", "The motion put.", "motion", motion, "The motion, DRAFT."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				m, err := in.id("meetingId", "Meeting")
				if err != nil {
					return nil, err
				}
				return b.deps.Store.CreateMotion(p.Context, v, registry.MotionInput{MeetingID: m, Title: in.str("title"), Text: in.str("text"), Kind: in.str("kind"), Secret: in.flag("secret")})
			}),
		"openVote": b.motionField("OpenVote", "Opens a motion's vote (clerks): the entitled voters are snapshotted with their weights and whether they are checked in. Audited as motion.open.",
			func(p graphql.ResolveParams, v *registry.Viewer, id int) (interface{}, error) {
				return b.deps.Store.OpenVote(p.Context, v, id)
			}),
		"closeVote": b.motionField("CloseVote", "Closes a motion's vote (clerks): counts the stored votes and decides PASSED, FAILED or NO_QUORUM with the arithmetic, for good. Audited as motion.close.",
			func(p graphql.ResolveParams, v *registry.Viewer, id int) (interface{}, error) {
				return b.deps.Store.CloseVote(p.Context, v, id)
			}),
		"castVote": mutationField("Casts a vote on an OPEN motion: with a voter token, the voter's own; a clerk enters a vote shown by hand for the participant named, and is recorded as its enterer. "+
			"Once per voter (ALREADY_VOTED); VOTE_CLOSED when the vote is not open. Audited as vote.cast; a secret vote's event leaves the option out.",
			inputType("CastVoteInput", "The vote.", graphql.InputObjectConfigFieldMap{
				"motionId":      inField(nonNull(graphql.ID), "The global ID of the motion."),
				"participantId": inField(graphql.ID, "The voter (a Participant): a clerk names them; a voter token needs none."),
				"option":        inField(nonNull(mt.voteOption), "YES, NO, ABSTAIN or RECUSED."),
			}),
			payloadType("CastVotePayload", "The vote stored.", "vote", mt.vote, "The vote."),
			func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
				m, err := in.id("motionId", "Motion")
				if err != nil {
					return nil, err
				}
				who, err := in.idPtr("participantId", "Participant")
				if err != nil {
					return nil, err
				}
				return b.deps.Store.CastVote(p.Context, v, registry.VoteInput{MotionID: m, ParticipantID: orZero(who), Option: in.enum("option")})
			}),
	}
}

func participantInput(name, about string) *graphql.InputObject {
	return inputType(name, about, graphql.InputObjectConfigFieldMap{
		"participantId": inField(nonNull(graphql.ID), "The global ID of the participant."),
	})
}

// attendField is checkIn or checkOut.
func (b *builder) attendField(name, description string, in bool) *graphql.Field {
	return mutationField(description,
		inputType(name+"Input", "Who, where.", graphql.InputObjectConfigFieldMap{
			"meetingId":     inField(nonNull(graphql.ID), "The global ID of the meeting or session."),
			"participantId": inField(nonNull(graphql.ID), "The global ID of the participant."),
		}),
		payloadType(name+"Payload", "The attendance recorded.", "attendance", b.meetings().attendanceEntry, "The participant's attendance now."),
		func(p graphql.ResolveParams, input input, v *registry.Viewer) (interface{}, error) {
			m, err := input.id("meetingId", "Meeting")
			if err != nil {
				return nil, err
			}
			who, err := input.id("participantId", "Participant")
			if err != nil {
				return nil, err
			}
			attend := b.deps.Store.CheckOut
			if in {
				attend = b.deps.Store.CheckIn
			}
			a, err := attend(p.Context, v, registry.AttendInput{MeetingID: m, ParticipantID: who})
			if err != nil {
				return nil, err
			}
			row, err := b.deps.Store.Client.Participant.Get(p.Context, who)
			return attendanceEntry{p: row, a: a}, err
		})
}

// motionField is openVote or closeVote.
func (b *builder) motionField(name, description string, do func(p graphql.ResolveParams, v *registry.Viewer, id int) (interface{}, error)) *graphql.Field {
	return mutationField(description,
		inputType(name+"Input", "The motion.", graphql.InputObjectConfigFieldMap{
			"motionId": inField(nonNull(graphql.ID), "The global ID of the motion."),
		}),
		payloadType(name+"Payload", "The motion.", "motion", b.objects["Motion"], "The motion now."),
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("motionId", "Motion")
			if err != nil {
				return nil, err
			}
			return do(p, v, id)
		})
}

// ids reads a list of global IDs that must name typeName; a bad one is
// named by its index.
func (in input) ids(name, typeName string) ([]int, error) {
	raw, _ := in[name].([]interface{})
	out := make([]int, len(raw))
	for i, r := range raw {
		s, _ := r.(string)
		id, err := idOf(s, typeName, fmt.Sprintf("%s[%d]", name, i))
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}
