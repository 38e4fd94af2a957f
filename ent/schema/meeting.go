package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Meeting is one sitting of a body in a term: a session of the member
// representative assembly, or a meeting of a council, standing council,
// branch or committee. Its participants are the assembly's
// representatives, or the term's roster on the meeting's date.
type Meeting struct{ ent.Schema }

// Mixin of the Meeting.
func (Meeting) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Meeting.
func (Meeting) Fields() []ent.Field {
	return []ent.Field{
		field.Int("term_id"),
		field.Int("assembly_id").Optional().Nillable().Comment("set on an assembly session"),
		field.Int("session").Optional().Nillable().Positive().Comment("the session's number in its assembly"),
		field.Enum("kind").Values("ORDINARY", "EXTRAORDINARY"),
		field.String("title").NotEmpty().MaxLen(800),
		field.Time("held_on").SchemaType(dateType),
	}
}

// Edges of the Meeting.
func (Meeting) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("term", Term.Type).Field("term_id").Unique().Required(),
		edge.From("assembly", Assembly.Type).Ref("sessions").Field("assembly_id").Unique(),
		edge.To("participants", Participant.Type),
		edge.To("attendance", Attendance.Type),
		edge.To("motions", Motion.Type),
	}
}

// Indexes of the Meeting: sessions of an assembly are numbered once.
func (Meeting) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assembly_id", "session").Unique(),
		index.Fields("term_id", "held_on"),
	}
}

// Participant is a voter of an assembly (a representative or substitute)
// or of a meeting (a member of the term's roster): kept apart from the
// person, with a weight, the institution a unit's representative speaks
// for, a confirmed credential and a voter token.
type Participant struct{ ent.Schema }

// Mixin of the Participant.
func (Participant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Participant.
func (Participant) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id"),
		field.Int("assembly_id").Optional().Nillable(),
		field.Int("meeting_id").Optional().Nillable(),
		field.Int("constituency_id").Optional().Nillable(),
		field.Enum("role").Values("REPRESENTATIVE", "SUBSTITUTE", "MEMBER"),
		field.Int("weight").Default(1).Positive(),
		field.Int("on_behalf_of_id").Optional().Nillable().Comment("the unit member a representative speaks for"),
		field.Int("replaces_id").Optional().Nillable().Comment("the representative a seated substitute replaces"),
		field.Time("replaced_at").Optional().Nillable().Comment("when a substitute took this representative's seat"),
		field.Time("credential_confirmed_at").Optional().Nillable(),
		field.String("credential_confirmed_by").Optional().Nillable().MaxLen(256),
		field.String("voter_token_hash").Optional().Nillable().Unique().Sensitive().
			Comment("SHA-256 of the voter's token, hex"),
	}
}

// Edges of the Participant.
func (Participant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("person", Person.Type).Field("person_id").Unique().Required(),
		edge.From("assembly", Assembly.Type).Ref("participants").Field("assembly_id").Unique(),
		edge.From("meeting", Meeting.Type).Ref("participants").Field("meeting_id").Unique(),
		edge.To("constituency", Constituency.Type).Field("constituency_id").Unique(),
		edge.To("on_behalf_of", Institution.Type).Field("on_behalf_of_id").Unique(),
		edge.To("replaces", Participant.Type).Field("replaces_id").Unique(),
	}
}

// Indexes of the Participant: a person is one participant of an assembly
// or a meeting.
func (Participant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assembly_id", "person_id").Unique(),
		index.Fields("meeting_id", "person_id").Unique(),
		index.Fields("constituency_id"),
	}
}

// Attendance is a participant's presence at a meeting: checked in now or
// not, first check-in and last check-out. Each check-in and check-out is
// also an audit event.
type Attendance struct{ ent.Schema }

// Fields of the Attendance.
func (Attendance) Fields() []ent.Field {
	return []ent.Field{
		field.Int("meeting_id"),
		field.Int("participant_id"),
		field.Bool("present"),
		field.Time("checked_in_at"),
		field.Time("checked_out_at").Optional().Nillable(),
		field.String("recorded_by").MaxLen(256),
	}
}

// Edges of the Attendance.
func (Attendance) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("meeting", Meeting.Type).Ref("attendance").Field("meeting_id").Unique().Required(),
		edge.To("participant", Participant.Type).Field("participant_id").Unique().Required(),
	}
}

// Indexes of the Attendance: one row per participant and meeting.
func (Attendance) Indexes() []ent.Index {
	return []ent.Index{index.Fields("meeting_id", "participant_id").Unique()}
}
