package graph

import (
	"context"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/motion"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// The member representative assembly, meetings, motions and votes
// through the API. The writes call the registry's operations
// (registry/assembly.go, meeting.go, motion.go hold the rules); the
// reads go through loader.Meetings, one ent query per kind of row and
// level. A quorum and a voting record are computed by the registry, one
// per field.

// meetingTypes are the object types of this file, built once.
type meetingTypes struct {
	quorum, counts, attendanceEntry, rollCallEntry, vote, grant, record, recordEntry   *graphql.Object
	meetingKind, participantRole, motionStatus, motionResult, voteOption, recordOption *graphql.Enum
}

// attendanceEntry is one line of a meeting's attendance sheet.
type attendanceEntry struct {
	p *ent.Participant
	a *ent.Attendance
}

// grantRow is a clerk grant as the API shows it.
type grantRow struct {
	account             string
	meeting, assemblyID int
}

// tokenRow is a voter token issued.
type tokenRow struct {
	p     *ent.Participant
	token string
}

// recordRow is a person's voting record over a term.
type recordRow struct {
	term int
	rec  *registry.VotingRecord
}

func (b *builder) meetings() *meetingTypes {
	if mt := b.meetingTypes; mt != nil {
		return mt
	}
	mt := &meetingTypes{}
	b.meetingTypes = mt
	mt.meetingKind = newEnum("MeetingKind", "Whether a meeting was called in the ordinary course.", strs(meeting.KindORDINARY, meeting.KindEXTRAORDINARY),
		func(s string) interface{} { return meeting.Kind(s) }, nil)
	mt.participantRole = newEnum("ParticipantRole", "What a participant is.",
		strs(participant.RoleREPRESENTATIVE, participant.RoleSUBSTITUTE, participant.RoleMEMBER),
		func(s string) interface{} { return participant.Role(s) }, map[string]string{
			"REPRESENTATIVE": "A representative of a constituency in the member representative assembly.",
			"SUBSTITUTE":     "A substitute of a constituency, who votes once seated in a representative's place.",
			"MEMBER":         "A member of the body that meets, from its term's roster on the meeting's date.",
		})
	mt.motionStatus = newEnum("MotionStatus", "Where a motion's vote stands.", strs(motion.StatusDRAFT, motion.StatusOPEN, motion.StatusCLOSED),
		func(s string) interface{} { return motion.Status(s) }, map[string]string{
			"DRAFT":  "Put, not yet voted on.",
			"OPEN":   "Voting: the entitled voters were snapshotted when it opened.",
			"CLOSED": "Counted; never changes again.",
		})
	mt.motionResult = newEnum("MotionResult", "The result of a closed vote.", strs(motion.ResultPASSED, motion.ResultFAILED, motion.ResultNO_QUORUM),
		func(s string) interface{} { return motion.Result(s) }, nil)
	mt.voteOption = newEnum("VoteOption", "A voter's choice.", []string{"YES", "NO", "ABSTAIN", "RECUSED"},
		func(s string) interface{} { return s }, map[string]string{"RECUSED": "Takes no part, for a conflict of interest; present, not counted in the votes cast."})
	mt.recordOption = newEnum("RollCallOption", "What an entitled voter did on a motion.",
		[]string{"YES", "NO", "ABSTAIN", "RECUSED", "NOT_VOTING", "ABSENT"}, func(s string) interface{} { return s },
		map[string]string{"NOT_VOTING": "Checked in when the vote opened, and did not vote.", "ABSENT": "Not present when the vote opened, and did not vote."})
	mt.quorum = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Quorum",
		Description: "A meeting's quorum state now: who is checked in of those entitled, against the rules.",
		Fields: graphql.Fields{
			"entitled": field(nonNullInt, "The weight of every entitled participant.", func(v interface{}) interface{} { return int(v.(*registry.Quorum).Entitled) }),
			"present":  field(nonNullInt, "The weight of those checked in now.", func(v interface{}) interface{} { return int(v.(*registry.Quorum).Present) }),
			"rule": field(nonNull(b.threshold()), "The rules' quorum.",
				func(v interface{}) interface{} { r := v.(*registry.Quorum).Rule; return &r }),
			"needed": field(nonNullInt, "The presence the rule comes to.", func(v interface{}) interface{} { return int(v.(*registry.Quorum).Needed) }),
			"met":    field(nonNullBool, "Whether the quorum is met.", func(v interface{}) interface{} { return v.(*registry.Quorum).Met }),
			"text":   field(nonNullString, "The arithmetic in words.", func(v interface{}) interface{} { return v.(*registry.Quorum).Text }),
		},
	})
	counted := func(get func(*ent.Motion) *int) func(interface{}) interface{} {
		return func(v interface{}) interface{} { return *get(v.(*ent.Motion)) }
	}
	mt.counts = graphql.NewObject(graphql.ObjectConfig{
		Name:        "VoteCounts",
		Description: "The weights of a closed vote. Every entitled voter is in exactly one of yes, no, abstain, recused, notVoting and absent.",
		Fields: graphql.Fields{
			"entitled":  field(nonNullInt, "Snapshotted when the vote opened.", counted(func(m *ent.Motion) *int { return m.Entitled })),
			"present":   field(nonNullInt, "Checked in when it opened: only they vote.", counted(func(m *ent.Motion) *int { return m.Present })),
			"yes":       field(nonNullInt, "Yes.", counted(func(m *ent.Motion) *int { return m.Yes })),
			"no":        field(nonNullInt, "No.", counted(func(m *ent.Motion) *int { return m.No })),
			"abstain":   field(nonNullInt, "Abstained.", counted(func(m *ent.Motion) *int { return m.Abstain })),
			"recused":   field(nonNullInt, "Recused.", counted(func(m *ent.Motion) *int { return m.Recused })),
			"notVoting": field(nonNullInt, "Present without voting.", counted(func(m *ent.Motion) *int { return m.NotVoting })),
			"absent":    field(nonNullInt, "Absent.", counted(func(m *ent.Motion) *int { return m.Absent })),
		},
	})
	mt.attendanceEntry = graphql.NewObject(graphql.ObjectConfig{
		Name:        "AttendanceEntry",
		Description: "One entitled participant on a meeting's attendance sheet.",
		Fields: graphql.Fields{
			"participant": field(nonNull(b.objects["Participant"]), "Who.", func(v interface{}) interface{} { return v.(attendanceEntry).p }),
			"present": field(nonNullBool, "Checked in now.", func(v interface{}) interface{} {
				a := v.(attendanceEntry).a
				return a != nil && a.Present
			}),
			"checkedInAt": field(b.dateTime, "When first checked in; null if never.", func(v interface{}) interface{} {
				if a := v.(attendanceEntry).a; a != nil {
					return a.CheckedInAt
				}
				return nil
			}),
			"checkedOutAt": field(b.dateTime, "When last checked out; null if never.", func(v interface{}) interface{} {
				if a := v.(attendanceEntry).a; a != nil {
					return a.CheckedOutAt
				}
				return nil
			}),
		},
	})
	mt.rollCallEntry = graphql.NewObject(graphql.ObjectConfig{
		Name:        "RollCallEntry",
		Description: "One entitled voter of a named vote and what they did.",
		Fields: graphql.Fields{
			"participant": related(b.objects["Participant"], "Who.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Participant] { return l.Meetings.Participant },
				func(v interface{}) int { return v.(*ent.Voter).ParticipantID }),
			"weight": field(nonNullInt, "Their votes.", func(v interface{}) interface{} { return v.(*ent.Voter).Weight }),
			"option": field(mt.recordOption, "Their choice; null while the vote is open, so the roll call never shows a running result.", func(v interface{}) interface{} { return rollCallOption(v.(*ent.Voter)) }),
			"castAt": field(b.dateTime, "When the vote was cast.", func(v interface{}) interface{} { return voteOf(v, func(x *ent.Vote) interface{} { return x.CastAt }) }),
			"enteredBy": field(graphql.String, "The clerk who entered a vote shown by hand; null when the voter cast it.",
				func(v interface{}) interface{} {
					return voteOf(v, func(x *ent.Vote) interface{} { return x.EnteredBy })
				}),
		},
	})
	mt.vote = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Vote",
		Description: "A vote cast.",
		Fields: graphql.Fields{
			"motion": related(b.objects["Motion"], "The motion.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Motion] { return l.Meetings.Motion },
				func(v interface{}) int { return v.(*ent.Vote).MotionID }),
			"option":    field(nonNull(mt.voteOption), "The choice.", func(v interface{}) interface{} { return v.(*ent.Vote).Option.String() }),
			"castAt":    field(nonNull(b.dateTime), "When.", func(v interface{}) interface{} { return v.(*ent.Vote).CastAt }),
			"enteredBy": field(graphql.String, "The clerk who entered it; null when the voter cast it.", func(v interface{}) interface{} { return v.(*ent.Vote).EnteredBy }),
		},
	})
	mt.grant = graphql.NewObject(graphql.ObjectConfig{
		Name:        "ClerkGrant",
		Description: "An account made a clerk of a meeting or of every session of an assembly.",
		Fields: graphql.Fields{
			"account": field(nonNullString, "The account's name.", func(v interface{}) interface{} { return v.(grantRow).account }),
			"meeting": related(b.objects["Meeting"], "The meeting, when the grant is for one.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Meeting] { return l.Meetings.Meeting },
				func(v interface{}) int { return v.(grantRow).meeting }),
			"assembly": related(b.objects["Assembly"], "The assembly, when the grant is for its sessions.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Assembly] { return l.Meetings.Assembly },
				func(v interface{}) int { return v.(grantRow).assemblyID }),
		},
	})
	mt.recordEntry = graphql.NewObject(graphql.ObjectConfig{
		Name:        "VotingRecordEntry",
		Description: "One closed motion in a person's voting record.",
		Fields: graphql.Fields{
			"motion":  field(nonNull(b.objects["Motion"]), "The motion.", func(v interface{}) interface{} { return v.(registry.RecordEntry).Motion }),
			"present": field(nonNullBool, "Checked in when the vote opened.", func(v interface{}) interface{} { return v.(registry.RecordEntry).Present }),
			"option": field(mt.recordOption, "What they did; null for a secret vote, which shows counts only.", func(v interface{}) interface{} {
				if o := v.(registry.RecordEntry).Option; o != "" {
					return o
				}
				return nil
			}),
		},
	})
	mt.record = graphql.NewObject(graphql.ObjectConfig{
		Name:        "VotingRecord",
		Description: "A person's votes and attendance over one term's meetings.",
		Fields: graphql.Fields{
			"term": related(b.objects["Term"], "The term.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
				func(v interface{}) int { return v.(recordRow).term }),
			"motions": field(nonNull(graphql.NewList(nonNull(mt.recordEntry))), "Every closed motion they were entitled to vote on, in the order put.",
				func(v interface{}) interface{} {
					out := []interface{}{}
					for _, e := range v.(recordRow).rec.Entries {
						out = append(out, e)
					}
					return out
				}),
			"motionsEntitled":  field(nonNullInt, "Closed motions they were entitled to vote on.", func(v interface{}) interface{} { return v.(recordRow).rec.MotionsEntitled }),
			"motionsPresent":   field(nonNullInt, "Of those, the ones they were present for.", func(v interface{}) interface{} { return v.(recordRow).rec.MotionsPresent }),
			"meetingsEntitled": field(nonNullInt, "Meetings they were a participant of.", func(v interface{}) interface{} { return v.(recordRow).rec.MeetingsEntitled }),
			"meetingsAttended": field(nonNullInt, "Of those, the ones they checked in to: the attendance rate is meetingsAttended/meetingsEntitled.",
				func(v interface{}) interface{} { return v.(recordRow).rec.MeetingsAttended }),
		},
	})
	b.connections["Meeting"] = b.connectionType(b.objects["Meeting"], "meeting")
	b.connections["Motion"] = b.connectionType(b.objects["Motion"], "motion")
	b.connections["Participant"] = b.connectionType(b.objects["Participant"], "participant")
	b.connections["AttendanceEntry"] = b.connectionType(mt.attendanceEntry, "attendance entry")
	b.connections["RollCallEntry"] = b.connectionType(mt.rollCallEntry, "roll-call entry")
	return mt
}

// threshold is the Threshold type of the rules.
func (b *builder) threshold() *graphql.Object {
	b.rulesType()
	return b.objects["Threshold"]
}

// rollCallOption is what a voter did, once the vote has closed: while
// it is open the roll call shows who may vote, not the running result.
func rollCallOption(vr *ent.Voter) interface{} {
	switch {
	case vr.Edges.Motion == nil || vr.Edges.Motion.Status != motion.StatusCLOSED:
		return nil
	case vr.Edges.Vote != nil:
		return vr.Edges.Vote.Option.String()
	case vr.Present:
		return "NOT_VOTING"
	}
	return "ABSENT"
}

func voteOf(v interface{}, get func(*ent.Vote) interface{}) interface{} {
	if x := v.(*ent.Voter).Edges.Vote; x != nil {
		return get(x)
	}
	return nil
}

// wholeList is a connection field over a list read whole per parent
// and paged in memory.
func wholeList[T any](conn *graphql.Object, description string, load func(ctx context.Context, l *loader.Loaders, source interface{}) (func() ([]T, error), error), id func(T) int) *graphql.Field {
	return &graphql.Field{
		Type:        conn,
		Description: description,
		Args:        withPaging(nil),
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			pa, err := pageArgs(p)
			if err != nil {
				return nil, err
			}
			rows, err := load(p.Context, loader.FromContext(p.Context), p.Source)
			if err != nil {
				return nil, apiError(err)
			}
			return func() (interface{}, error) {
				all, err := rows()
				if err != nil {
					panic(apiError(err))
				}
				page, err := loader.PageOf(all, id, pa)
				if err != nil {
					panic(apiError(err))
				}
				return toConnection(page, func() (interface{}, error) { return len(all), nil }), nil
			}, nil
		},
	}
}

// loaded adapts a loader's load of one key to wholeList.
func loaded[T any](pick func(l *loader.Loaders) *loader.Loader[int, []T], key func(interface{}) int) func(context.Context, *loader.Loaders, interface{}) (func() ([]T, error), error) {
	return func(ctx context.Context, l *loader.Loaders, src interface{}) (func() ([]T, error), error) {
		return pick(l).Load(ctx, key(src)), nil
	}
}

func (b *builder) assemblyType() *graphql.Object {
	src := func(v interface{}) *ent.Assembly { return v.(*ent.Assembly) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Assembly",
		Description: "The member representative assembly of a term of the association: seats apportioned to constituencies, representatives, and numbered sessions.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			b.meetings()
			return graphql.Fields{
				"id":   idField("Assembly", func(v interface{}) int { return src(v).ID }),
				"name": field(nonNullString, "The assembly's name.", func(v interface{}) interface{} { return src(v).Name }),
				"seats": field(nonNullInt, "Representatives it has seats for: what was apportioned, or the constituencies' seats after adjustment.",
					func(v interface{}) interface{} { return src(v).Seats }),
				"apportionedOn": field(b.date, "The day whose active members the apportionment counted; null before it.",
					func(v interface{}) interface{} { return src(v).ApportionedOn }),
				"term": related(b.objects["Term"], "The association's term.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
					func(v interface{}) int { return src(v).TermID }),
				"constituencies": {
					Type:        nonNull(graphql.NewList(nonNull(b.objects["Constituency"]))),
					Description: "The constituencies in the order apportioned (branches, then unit members), each with its arithmetic.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						return listThunk(loader.FromContext(p.Context).Meetings.AssemblyConstituencies.Load(p.Context, src(p.Source).ID)), nil
					},
				},
				"representatives": wholeList(b.connections["Participant"], "Representatives and substitutes, in the order seated.",
					loaded(func(l *loader.Loaders) *loader.Loader[int, []*ent.Participant] {
						return l.Meetings.AssemblyParticipants
					},
						func(v interface{}) int { return src(v).ID }),
					func(p *ent.Participant) int { return p.ID }),
				"sessions": wholeList(b.connections["Meeting"], "The assembly's sessions, by number.",
					loaded(func(l *loader.Loaders) *loader.Loader[int, []*ent.Meeting] { return l.Meetings.AssemblySessions },
						func(v interface{}) int { return src(v).ID }),
					func(m *ent.Meeting) int { return m.ID }),
			}
		}),
	})
}

// listThunk resolves a loaded list as a GraphQL list.
func listThunk[T any](t func() ([]T, error)) func() (interface{}, error) {
	return func() (interface{}, error) {
		rows, err := t()
		if err != nil {
			panic(apiError(err))
		}
		out := make([]interface{}, len(rows))
		for i, r := range rows {
			out[i] = r
		}
		return out, nil
	}
}

func (b *builder) constituencyType() *graphql.Object {
	src := func(v interface{}) *ent.Constituency { return v.(*ent.Constituency) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Constituency",
		Description: "A branch or unit member sending representatives to the assembly, with the apportionment's arithmetic.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"id":   idField("Constituency", func(v interface{}) int { return src(v).ID }),
				"name": field(nonNullString, "The branch's or institution's name.", func(v interface{}) interface{} { return src(v).Name }),
				"organization": related(b.objects["Organization"], "The branch, when it is one.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Organization] { return l.Organization },
					func(v interface{}) int { return orZero(src(v).OrganizationID) }),
				"institution": related(b.objects["Institution"], "The unit member, when it is one.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Institution] { return l.Institution },
					func(v interface{}) int { return orZero(src(v).InstitutionID) }),
				"activeMembers": field(nonNullInt, "Its active members on the day apportioned.", func(v interface{}) interface{} { return src(v).ActiveMembers }),
				"computedSeats": field(nonNullInt, "What the largest-remainder method gave it.", func(v interface{}) interface{} { return src(v).ComputedSeats }),
				"seats":         field(nonNullInt, "Its seats after any adjustment.", func(v interface{}) interface{} { return src(v).Seats }),
				"adjustReason":  field(graphql.String, "Why the secretariat adjusted its seats.", func(v interface{}) interface{} { return src(v).AdjustReason }),
				"arithmetic": field(nonNullString, "How its seats were computed: minimum + members × seats left / all members, quota and remainder.",
					func(v interface{}) interface{} { return src(v).Arithmetic }),
			}
		}),
	})
}

func (b *builder) participantType() *graphql.Object {
	src := func(v interface{}) *ent.Participant { return v.(*ent.Participant) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Participant",
		Description: "A voter of an assembly or a meeting, kept apart from the person.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			mt := b.meetings()
			return graphql.Fields{
				"id": idField("Participant", func(v interface{}) int { return src(v).ID }),
				"person": related(b.objects["Person"], "The person.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Person] { return l.Person },
					func(v interface{}) int { return src(v).PersonID }),
				"role":   field(nonNull(mt.participantRole), "Representative, substitute, or member of the body.", func(v interface{}) interface{} { return src(v).Role }),
				"weight": field(nonNullInt, "Their votes (default 1).", func(v interface{}) interface{} { return src(v).Weight }),
				"onBehalfOf": related(b.objects["Institution"], "The unit member a representative speaks for.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Institution] { return l.Institution },
					func(v interface{}) int { return orZero(src(v).OnBehalfOfID) }),
				"replaces": related(b.objects["Participant"], "The representative a seated substitute replaced.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Participant] { return l.Meetings.Participant },
					func(v interface{}) int { return orZero(src(v).ReplacesID) }),
				"replacedAt":            field(b.dateTime, "When a substitute took this representative's seat.", func(v interface{}) interface{} { return src(v).ReplacedAt }),
				"credentialConfirmedAt": field(b.dateTime, "When a representative's credential was confirmed.", func(v interface{}) interface{} { return src(v).CredentialConfirmedAt }),
			}
		}),
	})
}

func (b *builder) meetingType() *graphql.Object {
	src := func(v interface{}) *ent.Meeting { return v.(*ent.Meeting) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Meeting",
		Description: "A session of the member representative assembly, or a meeting of a council, standing council, branch or committee in a term.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			mt := b.meetings()
			entitled := func(ctx context.Context, l *loader.Loaders, v interface{}) (func() ([]*ent.Participant, error), error) {
				m := src(v)
				if m.AssemblyID == nil {
					return l.Meetings.MeetingParticipants.Load(ctx, m.ID), nil
				}
				all := l.Meetings.AssemblyParticipants.Load(ctx, *m.AssemblyID)
				return func() ([]*ent.Participant, error) {
					ps, err := all()
					var seated []*ent.Participant
					for _, p := range ps {
						if p.Role == participant.RoleREPRESENTATIVE && p.ReplacedAt == nil {
							seated = append(seated, p)
						}
					}
					return seated, err
				}, nil
			}
			return graphql.Fields{
				"id":      idField("Meeting", func(v interface{}) int { return src(v).ID }),
				"title":   field(nonNullString, "The meeting's title.", func(v interface{}) interface{} { return src(v).Title }),
				"kind":    field(nonNull(mt.meetingKind), "Ordinary or extraordinary.", func(v interface{}) interface{} { return src(v).Kind }),
				"heldOn":  field(nonNull(b.date), "The day it is held.", func(v interface{}) interface{} { return src(v).HeldOn }),
				"session": field(graphql.Int, "The session's number in its assembly; null for other meetings.", func(v interface{}) interface{} { return src(v).Session }),
				"term": related(b.objects["Term"], "The term of the body that meets.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
					func(v interface{}) int { return src(v).TermID }),
				"assembly": related(b.objects["Assembly"], "The assembly, for a session.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Assembly] { return l.Meetings.Assembly },
					func(v interface{}) int { return orZero(src(v).AssemblyID) }),
				"participants": wholeList(b.connections["Participant"],
					"Who is entitled to vote: a session's seated representatives, or the term's roster on the meeting's date.",
					entitled, func(p *ent.Participant) int { return p.ID }),
				"attendance": wholeList(b.connections["AttendanceEntry"], "The attendance sheet: every entitled participant and whether they are checked in.",
					func(ctx context.Context, l *loader.Loaders, v interface{}) (func() ([]attendanceEntry, error), error) {
						ps, _ := entitled(ctx, l, v)
						rows := l.Meetings.MeetingAttendance.Load(ctx, src(v).ID)
						return func() ([]attendanceEntry, error) {
							people, err := ps()
							if err != nil {
								return nil, err
							}
							as, err := rows()
							byParticipant := map[int]*ent.Attendance{}
							for _, a := range as {
								byParticipant[a.ParticipantID] = a
							}
							out := make([]attendanceEntry, len(people))
							for i, p := range people {
								out[i] = attendanceEntry{p: p, a: byParticipant[p.ID]}
							}
							return out, err
						}, nil
					}, func(e attendanceEntry) int { return e.p.ID }),
				"quorum": {
					Type:        nonNull(mt.quorum),
					Description: "The quorum state now: present of entitled against the rules' quorum (read when asked, not batched).",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						q, err := b.deps.Store.QuorumOf(p.Context, src(p.Source).ID)
						if err != nil {
							return nil, apiError(err)
						}
						return q, nil
					},
				},
				"motions": wholeList(b.connections["Motion"], "The motions put, by number.",
					loaded(func(l *loader.Loaders) *loader.Loader[int, []*ent.Motion] { return l.Meetings.MeetingMotions },
						func(v interface{}) int { return src(v).ID }),
					func(m *ent.Motion) int { return m.ID }),
			}
		}),
	})
}

func (b *builder) motionType() *graphql.Object {
	src := func(v interface{}) *ent.Motion { return v.(*ent.Motion) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Motion",
		Description: "A question put to a meeting and its vote.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			mt := b.meetings()
			return graphql.Fields{
				"id":     idField("Motion", func(v interface{}) int { return src(v).ID }),
				"number": field(nonNullInt, "Its number in the meeting.", func(v interface{}) interface{} { return src(v).Number }),
				"title":  field(nonNullString, "The title.", func(v interface{}) interface{} { return src(v).Title }),
				"text":   field(nonNullString, "The text.", func(v interface{}) interface{} { return src(v).Text }),
				"kind":   field(nonNullString, "The kind of motion, whose threshold the rules set.", func(v interface{}) interface{} { return src(v).Kind }),
				"secret": field(nonNullBool, "A secret vote shows counts only.", func(v interface{}) interface{} { return src(v).Secret }),
				"meeting": related(b.objects["Meeting"], "The meeting.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Meeting] { return l.Meetings.Meeting },
					func(v interface{}) int { return src(v).MeetingID }),
				"threshold": field(nonNull(b.threshold()), "What it needs to pass, from the rules.", func(v interface{}) interface{} { t := src(v).Threshold; return &t }),
				"quorum":    field(nonNull(b.threshold()), "The presence its vote needs, from the rules.", func(v interface{}) interface{} { q := src(v).Quorum; return &q }),
				"status":    field(nonNull(mt.motionStatus), "Draft, open or closed.", func(v interface{}) interface{} { return src(v).Status }),
				"openedAt":  field(b.dateTime, "When its vote opened.", func(v interface{}) interface{} { return src(v).OpenedAt }),
				"closedAt":  field(b.dateTime, "When its vote closed.", func(v interface{}) interface{} { return src(v).ClosedAt }),
				"counts": field(mt.counts, "The counts, once closed.", func(v interface{}) interface{} {
					if src(v).Status != motion.StatusCLOSED {
						return nil
					}
					return src(v)
				}),
				"result":     field(mt.motionResult, "The result, once closed.", func(v interface{}) interface{} { return src(v).Result }),
				"arithmetic": field(graphql.String, "The result's arithmetic: 31 yes of 45 present; needs at least 2/3 = 30: PASSED.", func(v interface{}) interface{} { return src(v).Arithmetic }),
				"rollCall": guarded(wholeList(b.connections["RollCallEntry"],
					"Every entitled voter of a named vote and what they did. A secret vote has none to show (FORBIDDEN, rule secretBallot).",
					func(ctx context.Context, l *loader.Loaders, v interface{}) (func() ([]*ent.Voter, error), error) {
						mo := src(v)
						rows := l.Meetings.MotionVoters.Load(ctx, mo.ID)
						return func() ([]*ent.Voter, error) {
							vs, err := rows()
							for _, vr := range vs {
								vr.Edges.Motion = mo
							}
							return vs, err
						}, nil
					}, func(vr *ent.Voter) int { return vr.ID }),
					func(_ *loader.Loaders, v interface{}) error {
						if src(v).Secret {
							e := registry.E(registry.Forbidden, "", "motion %d is a secret vote: only its counts are shown", src(v).ID)
							e.Rule = "secretBallot"
							return e
						}
						return nil
					}),
			}
		}),
	})
}

// meetingTermFields are a term's fields about its assembly and meetings.
func (b *builder) meetingTermFields(id func(interface{}) int, org func(interface{}) int) graphql.Fields {
	b.meetings()
	return graphql.Fields{
		"assembly": related(b.objects["Assembly"], "The member representative assembly of this term of the association, if there is one.",
			func(l *loader.Loaders) *loader.Loader[int, *ent.Assembly] { return l.Meetings.TermAssembly }, id),
		"meetings": guarded(wholeList(b.connections["Meeting"], "The term's meetings and assembly sessions, by date.",
			loaded(func(l *loader.Loaders) *loader.Loader[int, []*ent.Meeting] { return l.Meetings.TermMeetings }, id),
			func(m *ent.Meeting) int { return m.ID }), inOrganization(org)),
	}
}

// personVotingRecordField is a person's voting record over a term.
func (b *builder) personVotingRecordField(id func(interface{}) int) *graphql.Field {
	return &graphql.Field{
		Type:        b.meetings().record,
		Description: "Every closed motion of the term's meetings the person was entitled to vote on, what they did (secret votes: only whether present), and their attendance (read when asked, not batched).",
		Args: graphql.FieldConfigArgument{
			"termId": {Type: nonNull(graphql.ID), Description: "The global ID of the term."},
		},
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			gid, _ := p.Args["termId"].(string)
			term, err := idOf(gid, "Term", "termId")
			if err != nil {
				return nil, err
			}
			rec, err := b.deps.Store.VotingRecordOf(p.Context, registry.ViewerFrom(p.Context), id(p.Source), term)
			if err != nil {
				return nil, apiError(err)
			}
			return recordRow{term: term, rec: rec}, nil
		},
	}
}
