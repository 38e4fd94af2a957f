package graph

import (
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
)

// Succession (换届) through the API: prepareSuccession,
// completeSuccession and recordDeferral write through the registry's
// operations (registry/succession.go holds the rules); successionReport
// and successionsDue read; a term knows its predecessor, successor and
// deferrals, a person their tenures. The report is computed by the
// registry for one term per field; everything else is read through the
// loaders, a fixed number of statements per page.

// successionTypes are the types of succession, built once per schema.
type successionTypes struct {
	deferral, tenure, report, due, dueConnection *graphql.Object
	state                                        *graphql.Enum
}

// The states of a succession as the due list shows them.
const (
	stateDue      = "DUE"
	stateOverdue  = "OVERDUE"
	stateDeferred = "DEFERRED"
	statePrepared = "PREPARED"
)

func (b *builder) succession() *successionTypes {
	if b.successionTypes == nil {
		st := &successionTypes{}
		b.successionTypes = st
		st.deferral = b.deferralType()
		st.tenure = b.tenureType()
		st.report = b.reportType()
		st.state = graphql.NewEnum(graphql.EnumConfig{Name: "SuccessionState",
			Description: "Where an organization's succession stands on the due list.",
			Values: graphql.EnumValueConfigMap{
				stateDue:      {Value: stateDue, Description: "The active term ends within the window; no successor is prepared yet."},
				stateOverdue:  {Value: stateOverdue, Description: "The active term is past its planned end, with no successor prepared and no deferral running."},
				stateDeferred: {Value: stateDeferred, Description: "The active term is past its planned end under a deferral that runs beyond today; no successor is prepared."},
				statePrepared: {Value: statePrepared, Description: "A successor is planned: read its successionReport, then complete it."},
			}})
		st.due = b.dueType(st.state)
		st.dueConnection = b.connectionType(st.due, "succession due")
	}
	return b.successionTypes
}

// moreMutationFields are the root mutation's fields of succession, of assemblies, meetings and votes (meeting_mutations.go), and of elections
// (election_mutations.go).
func (b *builder) moreMutationFields() graphql.Fields {
	fields := graphql.Fields{
		"prepareSuccession":  b.prepareSuccession(),
		"completeSuccession": b.completeSuccession(),
		"recordDeferral":     b.recordDeferral(),
	}
	for name, f := range b.meetingMutationFields() {
		fields[name] = f
	}
	for name, f := range b.electionMutationFields() {
		fields[name] = f
	}
	return fields
}

func (b *builder) prepareSuccession() *graphql.Field {
	in := inputType("PrepareSuccessionInput", "An organization's next term to prepare.", graphql.InputObjectConfigFieldMap{
		"organizationId": inField(nonNull(graphql.ID), "The global ID of the organization; it must have an active term."),
		"startsOn":       inField(nonNull(b.date), "The planned first day of the new term, after the current term's first day."),
		"name":           inField(graphql.String, "The new term's name, such as The Third Council; at most 200 characters."),
		"carryOver": inField(graphql.NewList(nonNull(graphql.ID)),
			"Global IDs of open appointments of the current term whose holders are proposed again, on the same posts, as CARRIED_OVER appointments from the new term's first day."),
	})
	out := payloadType("PrepareSuccessionPayload", "The term prepared.", "term", nonNull(b.objects["Term"]), "The new PLANNED term.")
	return mutationField("Prepares an organization's next term (ADMIN, SECRETARIAT; a branch secretary in its scopes): PLANNED, numbered after the last, "+
		"running the rules' term length from startsOn, with the organization's posts. Its roster is then edited with appoint, updateAppointment "+
		"and importRoster. One planned successor at a time (CONFLICT). Audited as succession.prepare, and appointment.create for each carried over.",
		in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			org, err := in.id("organizationId", "Organization")
			if err != nil {
				return nil, err
			}
			carry, err := in.ids("carryOver", "Appointment")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.PrepareSuccession(p.Context, v, registry.PrepareInput{
				OrganizationID: org, StartsOn: in.day("startsOn"), Name: in.str("name"), CarryOver: carry,
			})
		})
}

func (b *builder) completeSuccession() *graphql.Field {
	override := graphql.NewInputObject(graphql.InputObjectConfig{Name: "OverrideInput",
		Description: "An administrator's decision to set failing checks aside.",
		Fields: graphql.InputObjectConfigFieldMap{
			"reason": inField(nonNull(graphql.String), "Why, for the audit trail; 1 to 500 characters."),
		}})
	in := inputType("CompleteSuccessionInput", "The succession to complete.", graphql.InputObjectConfigFieldMap{
		"termId":   inField(nonNull(graphql.ID), "The global ID of the PLANNED term to make current."),
		"on":       inField(nonNull(b.date), "The day it takes effect, not after today: the current term's actual end and the new term's first day."),
		"override": inField(override, "ADMIN only: complete although blocking checks fail, for the reason given."),
	})
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "CompleteSuccessionPayload",
		Description: "The succession completed.",
		Fields: graphql.Fields{
			"term": field(nonNull(b.objects["Term"]), "The new ACTIVE term.", func(v interface{}) interface{} { return v.(payload).row }),
			"predecessor": related(b.objects["Term"], "The term it replaced, now ENDED.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Predecessor },
				func(v interface{}) int { return v.(payload).row.(*ent.Term).ID }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Completes a succession in one transaction (ADMIN, SECRETARIAT): the organization's active term ends on the day "+
		"(ENDED, actualEnd = on) with every appointment still held then (ends on, TERM_ENDED); the planned term becomes ACTIVE from that day for "+
		"the rules' term length, its appointments that were to begin with it starting that day. The checks of successionReport are made for the day; "+
		"while a blocking one fails it is refused with RULE_VIOLATION, every failing check in extensions.problems, unless an ADMIN gives an override. "+
		"A succession completed meanwhile is a CONFLICT. Audited as succession.complete on both terms, appointment.end and appointment.update, "+
		"and succession.override with the reason and the checks set aside.",
		in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("termId", "Term")
			if err != nil {
				return nil, err
			}
			var ov *registry.Override
			if o, ok := in["override"].(map[string]interface{}); ok {
				ov = &registry.Override{Reason: input(o).str("reason")}
			}
			return b.deps.Store.CompleteSuccession(p.Context, v, registry.CompleteInput{TermID: id, On: in.day("on"), Override: ov})
		})
}

func (b *builder) recordDeferral() *graphql.Field {
	in := inputType("RecordDeferralInput", "A deferral of an active term's succession.", graphql.InputObjectConfigFieldMap{
		"termId": inField(nonNull(graphql.ID), "The global ID of the ACTIVE term."),
		"until": inField(nonNull(b.date), "The day by which the succession is to be completed: after the planned end and after today, "+
			"at most the rules' maxDeferralDays past the planned end, and later than any earlier deferral's."),
		"reason":   inField(nonNull(graphql.String), "Why; 1 to 500 characters."),
		"approver": inField(nonNull(graphql.String), "Who approved it: a body or a person, 1 to 200 characters."),
	})
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "RecordDeferralPayload",
		Description: "The deferral recorded.",
		Fields: graphql.Fields{
			"deferral": field(nonNull(b.succession().deferral), "The new deferral.", func(v interface{}) interface{} { return v.(payload).row }),
			"term": related(b.objects["Term"], "The term deferred.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
				func(v interface{}) int { return v.(payload).row.(*ent.Deferral).TermID }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Records a deferral of an active term's succession (ADMIN, SECRETARIAT), with its reason and approver. Audited as succession.defer.",
		in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("termId", "Term")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.RecordDeferral(p.Context, v, registry.DeferralInput{
				TermID: id, Until: in.day("until"), Reason: in.str("reason"), Approver: in.str("approver"),
			})
		})
}

// successionReportField is the report of one term's succession.
func (b *builder) successionReportField() *graphql.Field {
	return &graphql.Field{
		// Nullable: a refusal nulls this field only.
		Type: b.succession().report,
		Description: "A term's roster against its predecessor's, and every check of the articles with its arithmetic, for the term's first day: " +
			"what the secretariat reads before completeSuccession. For callers who may read the term's organization.",
		Args: graphql.FieldConfigArgument{"term": {Type: nonNull(graphql.ID), Description: "The global ID of the term, usually a PLANNED one."}},
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			id, err := idOf(p.Args["term"].(string), "Term", "term")
			if err != nil {
				return nil, err
			}
			r, err := b.deps.Store.SuccessionReport(p.Context, registry.ViewerFrom(p.Context), id)
			if err != nil {
				return nil, registry.Wrap(err)
			}
			return r, nil
		},
	}
}

// MaxDueDays bounds successionsDue's window.
const MaxDueDays = 3660

// successionsDueField is the secretariat's dashboard list.
func (b *builder) successionsDueField() *graphql.Field {
	return &graphql.Field{
		Type: nonNull(b.succession().dueConnection),
		Description: "Every organization the caller may read whose active term ends within withinDays after today, or is overdue: " +
			"the earliest end first, with days left or overdue, its deferral and its prepared successor.",
		Args: withPaging(graphql.FieldConfigArgument{
			"withinDays": {Type: nonNull(graphql.Int), Description: "The window: terms ending at most this many days after today (0 to 3660); overdue terms are always listed."},
		}),
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			days, _ := p.Args["withinDays"].(int)
			if days < 0 || days > MaxDueDays {
				return nil, registry.E(registry.Invalid, "withinDays", "withinDays must lie between 0 and %d, not %d", MaxDueDays, days)
			}
			l := loader.FromContext(p.Context)
			return topList(p, func(pa loader.PageArgs) (*loader.Page[*loader.Due], error) {
				return l.SuccessionsDue(p.Context, days, pa)
			}, func() (int, error) { return l.CountSuccessionsDue(p.Context, days) })
		},
	}
}

func (b *builder) dueType(state *graphql.Enum) *graphql.Object {
	src := func(v interface{}) *loader.Due { return v.(*loader.Due) }
	days := func(p graphql.ResolveParams) int {
		today := loader.FromContext(p.Context).Today()
		return int(src(p.Source).Term.EndsOn.Sub(today) / (24 * time.Hour))
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "SuccessionDue",
		Description: "An organization whose active term ends soon or is overdue.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"organization": field(nonNull(b.objects["Organization"]), "The organization.",
					func(v interface{}) interface{} { return src(v).Organization }),
				"term": field(nonNull(b.objects["Term"]), "Its active term.",
					func(v interface{}) interface{} { return src(v).Term }),
				"endsOn": field(nonNull(b.date), "The active term's planned end.",
					func(v interface{}) interface{} { return src(v).Term.EndsOn }),
				"daysLeft": {Type: nonNullInt, Description: "Days from today to the planned end; negative when overdue (-3: three days past it).",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) { return days(p), nil }},
				"overdue": {Type: nonNullBool, Description: "Whether today is on or after the planned end.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) { return days(p) <= 0, nil }},
				"deferredUntil": field(b.date, "The latest deferral's day, if the succession was deferred.",
					func(v interface{}) interface{} { return src(v).DeferredUntil }),
				"successor": related(b.objects["Term"], "The PLANNED successor, once prepared.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
					func(v interface{}) int { return src(v).SuccessorID }),
				"state": {Type: nonNull(state), Description: "Where the succession stands.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						d := src(p.Source)
						today := loader.FromContext(p.Context).Today()
						switch {
						case d.SuccessorID != 0:
							return statePrepared, nil
						case today.Before(d.Term.EndsOn):
							return stateDue, nil
						case d.DeferredUntil != nil && d.DeferredUntil.After(today):
							return stateDeferred, nil
						}
						return stateOverdue, nil
					}},
			}
		}),
	})
}

func (b *builder) deferralType() *graphql.Object {
	src := func(v interface{}) *ent.Deferral { return v.(*ent.Deferral) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Deferral",
		Description: "An approved postponement of a term's succession beyond its planned end.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"term": related(b.objects["Term"], "The term deferred.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
					func(v interface{}) int { return src(v).TermID }),
				"until": field(nonNull(b.date), "The day by which the succession is to be completed.",
					func(v interface{}) interface{} { return src(v).Until }),
				"reason": field(nonNullString, "Why.", func(v interface{}) interface{} { return src(v).Reason }),
				"approver": field(nonNullString, "Who approved it.",
					func(v interface{}) interface{} { return src(v).Approver }),
				"recordedAt": field(nonNull(b.dateTime), "When it was recorded.",
					func(v interface{}) interface{} { return src(v).CreatedAt }),
			}
		}),
	})
}

func (b *builder) tenureType() *graphql.Object {
	src := func(v interface{}) *loader.Tenure { return v.(*loader.Tenure) }
	term := func(get func(*loader.Tenure) int, about string) *graphql.Field {
		return related(b.objects["Term"], about, func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
			func(v interface{}) int { return get(src(v)) })
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Tenure",
		Description: "A run of consecutive terms of an organization in which a person held a post. A term counts when the post was held in it at all, " +
			"as the rules' consecutive-term limit counts.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"post": related(b.objects["Post"], "The post held.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Post] { return l.Post },
					func(v interface{}) int { return src(v).PostID }),
				"organization": related(b.objects["Organization"], "The post's organization.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Organization] { return l.Organization },
					func(v interface{}) int { return src(v).OrganizationID }),
				"firstTerm": term(func(t *loader.Tenure) int { return t.FirstTermID }, "The first term of the run."),
				"lastTerm":  term(func(t *loader.Tenure) int { return t.LastTermID }, "The last term of the run."),
				"consecutiveTerms": field(nonNullInt, "How many consecutive terms the run holds.",
					func(v interface{}) interface{} { return src(v).Terms }),
				"startsOn": field(nonNull(b.date), "The first day the post was held in the run.",
					func(v interface{}) interface{} { return src(v).StartsOn }),
				"endsOn": field(b.date, "The first day it was no longer held; null while it is.",
					func(v interface{}) interface{} { return src(v).EndsOn }),
			}
		}),
	})
}

func (b *builder) reportType() *graphql.Object {
	src := func(v interface{}) *registry.SuccessionReport { return v.(*registry.SuccessionReport) }
	personRef := func(id func(interface{}) int, about string) *graphql.Field {
		return related(b.objects["Person"], about, func(l *loader.Loaders) *loader.Loader[int, *ent.Person] { return l.Person }, id)
	}
	appointments := func(get func(registry.RosterChange) []*ent.Appointment, about string) *graphql.Field {
		return &graphql.Field{Type: nonNull(graphql.NewList(nonNull(b.objects["Appointment"]))), Description: about,
			Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				apps := get(p.Source.(registry.RosterChange))
				out := make([]interface{}, len(apps))
				for i, a := range apps {
					out[i] = a
				}
				return out, nil
			}}
	}
	change := graphql.NewObject(graphql.ObjectConfig{
		Name:        "RosterChange",
		Description: "One person's appointments on the current roster and on the new one.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"person": personRef(func(v interface{}) int { return v.(registry.RosterChange).Person.ID }, "The person."),
				"before": appointments(func(c registry.RosterChange) []*ent.Appointment { return c.Before },
					"Their appointments on the predecessor's roster as it ends, by post rank."),
				"after": appointments(func(c registry.RosterChange) []*ent.Appointment { return c.After },
					"Their appointments on the new roster, by post rank."),
			}
		}),
	})
	fault := graphql.NewObject(graphql.ObjectConfig{
		Name:        "RuleFault",
		Description: "What a check found at fault: a person, a post or an appointment.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			f := func(v interface{}) registry.Fault { return v.(registry.Fault) }
			return graphql.Fields{
				"person": personRef(func(v interface{}) int { return f(v).PersonID }, "The person at fault, if any."),
				"post": related(b.objects["Post"], "The post at fault, if any.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Post] { return l.Post },
					func(v interface{}) int { return f(v).PostID }),
				"appointment": related(b.objects["Appointment"], "The appointment at fault, if any.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Appointment] { return l.Appointment },
					func(v interface{}) int { return f(v).AppointmentID }),
				"field": field(graphql.String, "The missing datum, such as birthDate, when that is the fault.",
					func(v interface{}) interface{} {
						if s := f(v).Field; s != "" {
							return s
						}
						return nil
					}),
				"message": field(nonNullString, "What is wrong, in words.", func(v interface{}) interface{} { return f(v).Message }),
			}
		}),
	})
	check := graphql.NewObject(graphql.ObjectConfig{
		Name:        "RuleCheck",
		Description: "One check of the articles, decided in exact integer arithmetic.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			c := func(v interface{}) registry.Check { return v.(registry.Check) }
			return graphql.Fields{
				"name": field(nonNullString, "The rule checked: consecutiveTermLimit, leadershipAgeLimit, activeMember, seats, leadershipFilled, "+
					"seatsFilled, minRenewal, standingCouncilMax or drawnFromCouncil.", func(v interface{}) interface{} { return c(v).Name }),
				"passed": field(nonNullBool, "Whether it passed.", func(v interface{}) interface{} { return c(v).Passed }),
				"blocking": field(nonNullBool, "Whether its failure stops completeSuccession (short of an ADMIN's override).",
					func(v interface{}) interface{} { return c(v).Blocking }),
				"text": field(nonNullString, "The arithmetic and the verdict, such as: renewal 38/120 = 31.7%, needs at least 1/3: FAIL. "+
					"A percentage is rounded for reading; the verdict is decided in integers.", func(v interface{}) interface{} { return c(v).Text }),
				"faults": {Type: nonNull(graphql.NewList(nonNull(fault))), Description: "Each person, post or appointment at fault.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						fs := c(p.Source).Faults
						out := make([]interface{}, len(fs))
						for i, f := range fs {
							out[i] = f
						}
						return out, nil
					}},
			}
		}),
	})
	changes := func(get func(*registry.SuccessionReport) []registry.RosterChange, about string) *graphql.Field {
		return &graphql.Field{Type: nonNull(graphql.NewList(nonNull(change))), Description: about + " By name.",
			Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				cs := get(src(p.Source))
				out := make([]interface{}, len(cs))
				for i, c := range cs {
					out[i] = c
				}
				return out, nil
			}}
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "SuccessionReport",
		Description: "A term's roster against its predecessor's, and the articles' checks. The new roster is the term's appointments but those " +
			"ended early; the current roster is the predecessor's appointments held at its end. Its lists are bounded by the posts' seats.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			return graphql.Fields{
				"term": field(nonNull(b.objects["Term"]), "The term reported on.", func(v interface{}) interface{} { return src(v).Term }),
				"predecessor": field(b.objects["Term"], "The term numbered before it, if any.",
					func(v interface{}) interface{} {
						if t := src(v).Predecessor; t != nil {
							return t
						}
						return nil
					}),
				"on": field(nonNull(b.date), "The day the checks are made for: the term's first day.",
					func(v interface{}) interface{} { return src(v).On }),
				"stayed": changes(func(r *registry.SuccessionReport) []registry.RosterChange { return r.Stayed },
					"People on both rosters with the same posts."),
				"joined": changes(func(r *registry.SuccessionReport) []registry.RosterChange { return r.Joined },
					"People only on the new roster."),
				"left": changes(func(r *registry.SuccessionReport) []registry.RosterChange { return r.Left },
					"People only on the current roster."),
				"changedPost": changes(func(r *registry.SuccessionReport) []registry.RosterChange { return r.ChangedPost },
					"People on both rosters with other posts."),
				"checks": {Type: nonNull(graphql.NewList(nonNull(check))),
					Description: "Every check that applies to the organization, in a fixed order.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						cs := src(p.Source).Checks
						out := make([]interface{}, len(cs))
						for i, c := range cs {
							out[i] = c
						}
						return out, nil
					}},
				"blocked": field(nonNullBool, "Whether a blocking check fails, so that completeSuccession would be refused without an override.",
					func(v interface{}) interface{} { return len(src(v).Failing()) > 0 }),
			}
		}),
	})
}

// termSuccessionFields are a term's fields about its succession.
func (b *builder) termSuccessionFields(id func(interface{}) int) graphql.Fields {
	deferrals := func(p graphql.ResolveParams) dataloader.Thunk[[]*ent.Deferral] {
		return loader.FromContext(p.Context).TermDeferrals.Load(p.Context, id(p.Source))
	}
	return graphql.Fields{
		"predecessor": related(b.objects["Term"], "The organization's term numbered before this one, if any.",
			func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Predecessor }, id),
		"successor": related(b.objects["Term"], "The organization's term numbered after this one (planned, or current), if any.",
			func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Successor }, id),
		"deferrals": {
			Type:        graphql.NewList(nonNull(b.succession().deferral)),
			Description: "The deferrals of the term's succession, earliest first.",
			Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				return thunk(deferrals(p)), nil
			},
		},
		"deferredUntil": {
			Type:        b.date,
			Description: "The latest deferral's day, if the succession was deferred.",
			Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				t := deferrals(p)
				return func() (interface{}, error) {
					ds, err := t()
					if err != nil {
						panic(apiError(err))
					}
					if len(ds) == 0 {
						return nil, nil
					}
					return ds[len(ds)-1].Until, nil
				}, nil
			},
		},
	}
}

// personTenuresField is a person's tenure history.
func (b *builder) personTenuresField(id func(interface{}) int) *graphql.Field {
	return &graphql.Field{
		// Nullable: it resolves in a thunk (PITFALLS.md 5).
		Type: graphql.NewList(nonNull(b.succession().tenure)),
		Description: "The person's runs of consecutive terms on each post, in the organizations the caller may read, the latest first: " +
			"how many consecutive terms the consecutive-term limit counts.",
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			return thunk(loader.FromContext(p.Context).PersonTenures.Load(p.Context, id(p.Source))), nil
		},
	}
}
