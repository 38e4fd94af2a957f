package graph

import (
	"reflect"
	"time"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// The root mutation only maps: each field reads its one input object
// into the registry operation's input, calls the operation (which holds
// every rule, the authorization check and the transaction), and wraps
// what it returns in a payload. The write happens in the resolver
// itself, never in a thunk (PITFALLS.md 3): graphql-go runs the root
// mutation fields one after another, so a document's writes happen in
// its order. After a write the request's loaders start over (PITFALLS.md
// 15), so whatever the request reads next sees it.

// payload is what a mutation returns: the changed object and the
// client's clientMutationId, echoed.
type payload struct {
	clientMutationID interface{}
	row              interface{}
}

// importResult is the row of importRoster's payload.
type importResult struct {
	term   int
	report *registry.ImportReport
}

// input is a mutation's input object as graphql-go coerced it: absent
// fields and fields given as null are both missing.
type input map[string]interface{}

func inputOf(p graphql.ResolveParams) input {
	m, _ := p.Args["input"].(map[string]interface{})
	return m
}

func (in input) has(name string) bool { return in[name] != nil }

func (in input) str(name string) string {
	s, _ := in[name].(string)
	return s
}

func (in input) strPtr(name string) *string {
	if !in.has(name) {
		return nil
	}
	s := in.str(name)
	return &s
}

// enum reads an enum value as its name; the values are ent's string
// types (see enums.go).
func (in input) enum(name string) string {
	v := reflect.ValueOf(in[name])
	if v.Kind() != reflect.String {
		return ""
	}
	return v.String()
}

func (in input) enumPtr(name string) *string {
	if !in.has(name) {
		return nil
	}
	s := in.enum(name)
	return &s
}

func (in input) flag(name string) bool {
	b, _ := in[name].(bool)
	return b
}

// day reads a Date; a missing one is the zero time, which the registry
// refuses as required where it is.
func (in input) day(name string) time.Time {
	t, _ := in[name].(time.Time)
	return t
}

func (in input) dayPtr(name string) *time.Time {
	t, ok := in[name].(time.Time)
	if !ok {
		return nil
	}
	return &t
}

// id reads a global ID that must name a typeName; an ID of another type
// is BAD_USER_INPUT naming the field (inputError puts the path before
// it, as before the registry's).
func (in input) id(name, typeName string) (int, error) {
	return idOf(in.str(name), typeName, name)
}

// idPtr reads an optional global ID: nil when absent.
func (in input) idPtr(name, typeName string) (*int, error) {
	if !in.has(name) {
		return nil, nil
	}
	id, err := in.id(name, typeName)
	if err != nil {
		return nil, err
	}
	return &id, nil
}

// inputPath is the path of an input field from the mutation's argument.
func inputPath(field string) string { return "input." + field }

// inputError is err as the API reports a mutation's failure: the
// registry names the fields of its inputs, which are the input object's
// fields, so the path from the argument is put before them, in
// extensions.field and in each problem's field. Problems of a file (they
// carry a line) name its columns and are left as they are.
func inputError(err error) *registry.Error {
	e := registry.Wrap(err)
	out := *e
	if out.Field != "" {
		out.Field = inputPath(out.Field)
	}
	if len(e.Problems) > 0 {
		out.Problems = make([]registry.Problem, len(e.Problems))
		for i, p := range e.Problems {
			if p.Line == 0 && p.Field != "" {
				p.Field = inputPath(p.Field)
			}
			out.Problems[i] = p
		}
	}
	return &out
}

// write is one mutation's work: read the input, call the registry,
// return the changed row.
type write func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error)

// mutationField builds a root mutation field taking input and returning
// out. Its resolver performs the write synchronously, then resets the
// request's loaders and primes them with the row written.
func mutationField(description string, in *graphql.InputObject, out *graphql.Object, w write) *graphql.Field {
	return &graphql.Field{
		// Nullable: a refused write answers null with its error.
		Type:        out,
		Description: description,
		Args:        graphql.FieldConfigArgument{"input": {Type: nonNull(in), Description: "What to change."}},
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			in := inputOf(p)
			row, err := w(p, in, registry.ViewerFrom(p.Context))
			if err != nil {
				return nil, inputError(err)
			}
			l := loader.FromContext(p.Context)
			l.Reset()
			l.Prime(p.Context, row)
			return payload{clientMutationID: in["clientMutationId"], row: row}, nil
		},
	}
}

// inputType builds a mutation's input object; every input takes
// clientMutationId, which the payload echoes.
func inputType(name, description string, fields graphql.InputObjectConfigFieldMap) *graphql.InputObject {
	fields["clientMutationId"] = inField(graphql.String, "Any string the client chooses; the payload returns it unchanged (Relay).")
	return graphql.NewInputObject(graphql.InputObjectConfig{Name: name, Description: description, Fields: fields})
}

// payloadType builds a mutation's payload: the changed object under
// name, and clientMutationId.
func payloadType(typeName, description, name string, t graphql.Output, about string) *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        typeName,
		Description: description,
		Fields: graphql.Fields{
			name: field(t, about, func(v interface{}) interface{} { return v.(payload).row }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
}

// inField is an input field.
func inField(t graphql.Input, description string) *graphql.InputObjectFieldConfig {
	return &graphql.InputObjectFieldConfig{Type: t, Description: description}
}

func (b *builder) mutationType() *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Mutation",
		Description: "Everything that changes the registry. Each field is one transaction that writes one audit event per row changed; " +
			"on any error nothing is written. Errors carry extensions.code, and extensions.field with the input field at fault " +
			"(input.email), extensions.rule with the rule broken, and extensions.problems listing every fault.",
		Fields: graphql.Fields{
			"createPerson":           b.createPerson(),
			"updatePerson":           b.updatePerson(),
			"admitMember":            b.admitMember(),
			"changeMembershipStatus": b.changeMembershipStatus(),
			"appoint":                b.appoint(),
			"endAppointment":         b.endAppointment(),
			"updateAppointment":      b.updateAppointment(),
			"importRoster":           b.importRoster(),
		},
	})
}

// personFields are the input fields a person is created with; an update
// takes them all as optional.
func (b *builder) personFields(create bool) graphql.InputObjectConfigFieldMap {
	name := graphql.Input(graphql.String)
	if create {
		name = nonNull(graphql.String)
	}
	return graphql.InputObjectConfigFieldMap{
		"name":              inField(name, "Full name, 1 to 100 characters."),
		"gender":            inField(b.enums.gender, "Gender, as recorded (default UNDISCLOSED)."),
		"birthDate":         inField(b.date, "Birth date, not after today; the leadership age limit reads it."),
		"professionalTitle": inField(graphql.String, "Professional title, at most 100 characters."),
		"specialty":         inField(graphql.String, "Medical or scientific specialty, at most 100 characters."),
		"institutionId":     inField(graphql.ID, "The global ID of the institution where the person works."),
		"email":             inField(graphql.String, "E-mail address (private contact data)."),
		"phone":             inField(graphql.String, "Telephone number: digits with spaces or dashes, an optional leading +, 5 to 20 digits (private)."),
		"idNumber":          inField(graphql.String, "Identity number: letters and digits, at most 32 (private; the audit trail keeps only whether one is set)."),
	}
}

func (b *builder) createPerson() *graphql.Field {
	in := inputType("CreatePersonInput", "A new person of the member directory.", b.personFields(true))
	out := payloadType("CreatePersonPayload", "The person created.", "person", nonNull(b.objects["Person"]), "The new person.")
	return mutationField("Adds a person to the member directory (ADMIN, SECRETARIAT). Audited as person.create.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			inst, err := in.idPtr("institutionId", "Institution")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.CreatePerson(p.Context, v, registry.PersonInput{
				Name: in.str("name"), Gender: in.enum("gender"), BirthDate: in.dayPtr("birthDate"),
				ProfessionalTitle: in.str("professionalTitle"), Specialty: in.str("specialty"), InstitutionID: inst,
				Email: in.str("email"), Phone: in.str("phone"), IDNumber: in.str("idNumber"),
			})
		})
}

func (b *builder) updatePerson() *graphql.Field {
	fields := b.personFields(false)
	fields["id"] = inField(nonNull(graphql.ID), "The person's global ID.")
	fields["clearBirthDate"] = inField(graphql.Boolean, "Remove the birth date (not with birthDate).")
	fields["clearInstitution"] = inField(graphql.Boolean, "Remove the institution (not with institutionId).")
	in := inputType("UpdatePersonInput",
		"Changes to a person's details: a field left out (or null) stays as it is; an empty professionalTitle, specialty, email, phone or idNumber clears it.",
		fields)
	out := payloadType("UpdatePersonPayload", "The person updated.", "person", nonNull(b.objects["Person"]), "The person as updated.")
	return mutationField("Changes a person's details (ADMIN, SECRETARIAT; a branch secretary only of people who sit in its scopes). "+
		"Audited as person.update, unless nothing changed.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("id", "Person")
			if err != nil {
				return nil, err
			}
			inst, err := in.idPtr("institutionId", "Institution")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.UpdatePerson(p.Context, v, registry.PersonPatch{
				ID: id, Name: in.strPtr("name"), Gender: in.enumPtr("gender"),
				BirthDate: in.dayPtr("birthDate"), ClearBirthDate: in.flag("clearBirthDate"),
				ProfessionalTitle: in.strPtr("professionalTitle"), Specialty: in.strPtr("specialty"),
				InstitutionID: inst, ClearInstitution: in.flag("clearInstitution"),
				Email: in.strPtr("email"), Phone: in.strPtr("phone"), IDNumber: in.strPtr("idNumber"),
			})
		})
}

func (b *builder) admitMember() *graphql.Field {
	in := inputType("AdmitMemberInput", "A new membership of the association: a person's (INDIVIDUAL) or an institution's (UNIT).",
		graphql.InputObjectConfigFieldMap{
			"kind":          inField(nonNull(b.enums.membershipKind), "INDIVIDUAL (give personId) or UNIT (give institutionId)."),
			"personId":      inField(graphql.ID, "The global ID of the person admitted, for an INDIVIDUAL membership."),
			"institutionId": inField(graphql.ID, "The global ID of the institution admitted, for a UNIT membership."),
			"memberNumber":  inField(graphql.String, "The member number; left out, the next number of the association's pattern for the kind."),
			"status":        inField(b.enums.membershipStatus, "APPLICANT (the default) or ACTIVE."),
			"joinedOn":      inField(nonNull(b.date), "The day the member joined, not after today."),
			"reason":        inField(graphql.String, "Why, for the status history; at most 500 characters."),
		})
	out := payloadType("AdmitMemberPayload", "The membership made.", "membership", nonNull(b.objects["Membership"]), "The new membership, with its first status change in its history.")
	return mutationField("Admits a member (ADMIN, SECRETARIAT). Audited as membership.admit.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			person, err := in.idPtr("personId", "Person")
			if err != nil {
				return nil, err
			}
			inst, err := in.idPtr("institutionId", "Institution")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.AdmitMember(p.Context, v, registry.AdmitInput{
				Kind: in.enum("kind"), PersonID: person, InstitutionID: inst, MemberNumber: in.str("memberNumber"),
				Status: in.enum("status"), JoinedOn: in.day("joinedOn"), Reason: in.str("reason"),
			})
		})
}

func (b *builder) changeMembershipStatus() *graphql.Field {
	in := inputType("ChangeMembershipStatusInput",
		"A move of a membership to another status. The legal moves: APPLICANT to ACTIVE; ACTIVE to and from SUSPENDED; "+
			"ACTIVE or SUSPENDED to LAPSED; LAPSED to ACTIVE; any to EXPELLED or DECEASED, which are final.",
		graphql.InputObjectConfigFieldMap{
			"membershipId": inField(nonNull(graphql.ID), "The membership's global ID."),
			"status":       inField(nonNull(b.enums.membershipStatus), "The status to move to."),
			"effectiveOn":  inField(nonNull(b.date), "The day the move takes effect: not after today, nor before the last move."),
			"reason":       inField(nonNull(graphql.String), "Why, for the status history; 1 to 500 characters."),
		})
	out := payloadType("ChangeMembershipStatusPayload", "The membership moved.", "membership", nonNull(b.objects["Membership"]), "The membership in its new status, the move at the end of its history.")
	return mutationField("Moves a membership to another status, keeping the move in its history (ADMIN, SECRETARIAT). Audited.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("membershipId", "Membership")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.ChangeMembershipStatus(p.Context, v, registry.StatusInput{
				MembershipID: id, Status: in.enum("status"), EffectiveOn: in.day("effectiveOn"), Reason: in.str("reason"),
			})
		})
}

// appointmentPayload is the payload type of the roster mutations.
func (b *builder) appointmentPayload(name, description, about string) *graphql.Object {
	return payloadType(name, description, "appointment", nonNull(b.objects["Appointment"]), about)
}

const rosterRules = "The roster rules hold: the post belongs to the term's organization, an ended term is read-only, " +
	"an appointment lies inside its term's dates, a person holds a post once in a term, a post never holds more people than its seats, " +
	"and only ACTIVE members take branch and committee posts."

func (b *builder) appoint() *graphql.Field {
	in := inputType("AppointInput", "A person to appoint to a post in a term.", graphql.InputObjectConfigFieldMap{
		"personId":   inField(nonNull(graphql.ID), "The global ID of the person appointed."),
		"postId":     inField(nonNull(graphql.ID), "The global ID of the post, one of the term's organization's."),
		"termId":     inField(nonNull(graphql.ID), "The global ID of the term."),
		"startsOn":   inField(nonNull(b.date), "The first day the post is held."),
		"endsOn":     inField(b.date, "The first day it is no longer held, after startsOn; left out while open."),
		"obtainedBy": inField(nonNull(b.enums.obtainedBy), "How the appointment was obtained."),
		"endReason":  inField(b.enums.endReason, "Why it ends; only with endsOn."),
	})
	out := b.appointmentPayload("AppointPayload", "The appointment made.", "The new appointment.")
	return mutationField("Appoints a person to a post in a term (ADMIN, SECRETARIAT; a branch secretary in its scopes). "+rosterRules+
		" Audited as appointment.create.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			var ids [3]int
			for i, f := range []struct{ name, typeName string }{{"personId", "Person"}, {"postId", "Post"}, {"termId", "Term"}} {
				id, err := in.id(f.name, f.typeName)
				if err != nil {
					return nil, err
				}
				ids[i] = id
			}
			return b.deps.Store.Appoint(p.Context, v, registry.AppointInput{
				PersonID: ids[0], PostID: ids[1], TermID: ids[2],
				StartsOn: in.day("startsOn"), EndsOn: in.dayPtr("endsOn"),
				ObtainedBy: in.enum("obtainedBy"), EndReason: in.enum("endReason"),
			})
		})
}

func (b *builder) endAppointment() *graphql.Field {
	in := inputType("EndAppointmentInput", "The end of an open appointment.", graphql.InputObjectConfigFieldMap{
		"appointmentId": inField(nonNull(graphql.ID), "The appointment's global ID."),
		"endsOn":        inField(nonNull(b.date), "The first day the post is no longer held, inside the term."),
		"reason":        inField(nonNull(b.enums.endReason), "Why it ends."),
	})
	out := b.appointmentPayload("EndAppointmentPayload", "The appointment ended.", "The appointment with its end.")
	return mutationField("Ends an open appointment (ADMIN, SECRETARIAT; a branch secretary in its scopes); updateAppointment changes an end already set. "+
		"Audited as appointment.end.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("appointmentId", "Appointment")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.EndAppointment(p.Context, v, registry.EndInput{
				AppointmentID: id, EndsOn: in.day("endsOn"), Reason: in.enum("reason"),
			})
		})
}

func (b *builder) updateAppointment() *graphql.Field {
	in := inputType("UpdateAppointmentInput", "Changes to an appointment: a field left out (or null) stays as it is.",
		graphql.InputObjectConfigFieldMap{
			"appointmentId": inField(nonNull(graphql.ID), "The appointment's global ID."),
			"startsOn":      inField(b.date, "A new first day."),
			"endsOn":        inField(b.date, "A new end: the first day no longer held."),
			"clearEnd":      inField(graphql.Boolean, "Reopen the appointment: remove its end and end reason (not with endsOn)."),
			"obtainedBy":    inField(b.enums.obtainedBy, "How the appointment was obtained."),
			"endReason":     inField(b.enums.endReason, "Why it ended; only for an appointment with an end."),
		})
	out := b.appointmentPayload("UpdateAppointmentPayload", "The appointment updated.", "The appointment as updated.")
	return mutationField("Changes an appointment's dates, how it was obtained or why it ended (ADMIN, SECRETARIAT; a branch secretary in its scopes). "+
		rosterRules+" Audited as appointment.update, unless nothing changed.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("appointmentId", "Appointment")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.UpdateAppointment(p.Context, v, registry.AppointmentPatch{
				AppointmentID: id, StartsOn: in.dayPtr("startsOn"), EndsOn: in.dayPtr("endsOn"), ClearEnd: in.flag("clearEnd"),
				ObtainedBy: in.enumPtr("obtainedBy"), EndReason: in.enumPtr("endReason"),
			})
		})
}
