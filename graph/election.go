package graph

import (
	"strconv"
	"strings"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/grant"
	"github.com/societyregistry/registry/ent/round"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/tally"
)

// Elections through the API. The writes call the registry's operations
// (registry/election*.go hold the rules); the reads go through
// loader.Elections, one ent query per kind of row and level. A round's
// count is the tally's, stored when it closed; a ballot shows its serial,
// marks, place in the chain and validity, and never who cast it.

// electionTypes are the object types of this file, built once.
type electionTypes struct {
	post, teller, count, result, ballot, check                        *graphql.Object
	method, status, candidateStatus, roundStatus, outcome, tellerRole *graphql.Enum
}

// checkRow is one round's re-count, as the API shows it.
type checkRow registry.RoundCheck

func (b *builder) elections() *electionTypes {
	if et := b.electionTypes; et != nil {
		return et
	}
	et := &electionTypes{}
	b.electionTypes = et
	et.method = newEnum("ElectionMethod", "How an election's ballots elect.", strs(election.MethodFOR_AGAINST, election.MethodPLURALITY, election.MethodAPPROVAL),
		func(s string) interface{} { return election.Method(s) }, map[string]string{
			"FOR_AGAINST": "The articles' usual method: per candidate the voter marks for, against, or leaves it blank; FOR votes must meet the threshold.",
			"PLURALITY":   "The most FOR marks win, each voter marking at most as many as there are seats.",
			"APPROVAL":    "The most approvals win, each voter approving at most as many as there are seats.",
		})
	et.status = newEnum("ElectionStatus", "Where an election stands.",
		strs(election.StatusNOMINATING, election.StatusVOTING, election.StatusCOUNTED, election.StatusCERTIFIED),
		func(s string) interface{} { return election.Status(s) }, map[string]string{
			"NOMINATING": "Candidates are being nominated; no round has opened.",
			"VOTING":     "A round has opened; a post's nominations close when its first round opens.",
			"COUNTED":    "Every post is decided: no further round is due.",
			"CERTIFIED":  "The elected hold ELECTED appointments of the term; the record is final.",
		})
	et.candidateStatus = newEnum("CandidateStatus", "Where a candidate stands.",
		strs(candidate.StatusNOMINATED, candidate.StatusWITHDRAWN, candidate.StatusELECTED, candidate.StatusNOT_ELECTED),
		func(s string) interface{} { return candidate.Status(s) }, map[string]string{
			"NOMINATED":   "Nominated, and not yet decided: on the ballot, or sent to a further round.",
			"WITHDRAWN":   "Withdrawn before the ballot.",
			"ELECTED":     "Elected, in the round electedInRound says.",
			"NOT_ELECTED": "Not elected, and not sent to a further round.",
		})
	et.roundStatus = newEnum("RoundStatus", "Where a round stands.", strs(round.StatusOPEN, round.StatusCLOSED),
		func(s string) interface{} { return round.Status(s) }, map[string]string{
			"OPEN":   "Ballots are issued, entered and cast.",
			"CLOSED": "Counted; the round and its ballots never change again.",
		})
	et.outcome = newEnum("CandidateOutcome", "What a round decided for a candidate.",
		strs(tally.Elected, tally.BelowThreshold, tally.Outranked, tally.Tied, tally.Void),
		func(s string) interface{} { return tally.CandidateOutcome(s) }, map[string]string{
			"ELECTED":         "Met the threshold within the seats.",
			"BELOW_THRESHOLD": "Too few FOR votes.",
			"OUTRANKED":       "Met the threshold, but the seats went to candidates with more votes.",
			"TIED":            "Tied at the cut-off: sent to a further round among the tied, or the seats stay vacant when no round is left.",
			"VOID":            "The round is void (more ballots returned than issued): nobody is elected.",
		})
	et.tellerRole = newEnum("TellerRole", "A teller's role in an election.", strs(grant.RoleTELLER, grant.RoleCHIEF_TELLER),
		func(s string) interface{} { return grant.Role(s) }, map[string]string{
			"TELLER":       "Records the ballots issued, enters ballots and issues ballot codes.",
			"CHIEF_TELLER": "A teller who also opens and closes rounds and certifies the result.",
		})
	et.post = graphql.NewObject(graphql.ObjectConfig{
		Name:        "ElectionPost",
		Description: "A post an election fills, and how many of its seats.",
		Fields: graphql.Fields{
			"post": related(b.objects["Post"], "The post.", func(l *loader.Loaders) *loader.Loader[int, *ent.Post] { return l.Post },
				func(v interface{}) int { return v.(*ent.ElectionPost).PostID }),
			"seats": field(nonNullInt, "The seats the election fills.", func(v interface{}) interface{} { return v.(*ent.ElectionPost).Seats }),
		},
	})
	et.teller = graphql.NewObject(graphql.ObjectConfig{
		Name:        "Teller",
		Description: "An account granted a teller's role on an election, and the person who serves.",
		Fields: graphql.Fields{
			"account": field(nonNullString, "The account's name.", func(v interface{}) interface{} { return v.(*ent.Grant).Edges.Account.Name }),
			"role":    field(nonNull(et.tellerRole), "TELLER or CHIEF_TELLER.", func(v interface{}) interface{} { return v.(*ent.Grant).Role }),
			"person": related(b.objects["Person"], "The person serving, who may not be a candidate.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Person] { return l.Person },
				func(v interface{}) int { return orZero(v.(*ent.Grant).PersonID) }),
		},
	})
	et.count = graphql.NewObject(graphql.ObjectConfig{
		Name:        "CandidateCount",
		Description: "One candidate's count in a round, with what it decided and why.",
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			src := func(v interface{}) tally.CandidateCount { return v.(tally.CandidateCount) }
			return graphql.Fields{
				"candidate": related(b.objects["Candidate"], "The candidate; null for a name written in that was neither elected nor sent on.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Candidate] { return l.Elections.Candidate },
					func(v interface{}) int { return candidateRow(src(v).Candidate.ID) }),
				"name":    field(nonNullString, "The name on the ballot, or as written in.", func(v interface{}) interface{} { return src(v).Candidate.Name }),
				"writeIn": field(nonNullBool, "Whether the name was written in.", func(v interface{}) interface{} { return src(v).Candidate.WriteIn }),
				"for":     field(nonNullInt, "FOR votes.", func(v interface{}) interface{} { return src(v).For }),
				"against": field(nonNullInt, "AGAINST votes.", func(v interface{}) interface{} { return src(v).Against }),
				"abstain": field(nonNullInt, "Valid ballots leaving the candidate blank.", func(v interface{}) interface{} { return src(v).Abstain }),
				"needed":  field(nonNullInt, "The fewest FOR votes that pass.", func(v interface{}) interface{} { return src(v).Needed }),
				"passed":  field(nonNullBool, "Whether the FOR votes met the threshold.", func(v interface{}) interface{} { return src(v).Passed }),
				"outcome": field(nonNull(et.outcome), "What the round decided.", func(v interface{}) interface{} { return src(v).Outcome }),
				"why":     field(nonNullString, "The decision in words.", func(v interface{}) interface{} { return src(v).Why }),
			}
		}),
	})
	et.result = graphql.NewObject(graphql.ObjectConfig{
		Name:        "RoundResult",
		Description: "A closed round's count, as registry/tally made it and the round stored it.",
		Fields: graphql.Fields{
			"returned": field(nonNullInt, "Ballots returned (entered papers and electronic ballots).", func(v interface{}) interface{} { return v.(*tally.Result).Returned }),
			"valid":    field(nonNullInt, "Valid ballots.", func(v interface{}) interface{} { return v.(*tally.Result).Valid }),
			"base":     field(nonNullInt, "The number the threshold is a share of.", func(v interface{}) interface{} { return v.(*tally.Result).Base }),
			"void":     field(nonNullBool, "More ballots returned than issued: nobody is elected.", func(v interface{}) interface{} { return v.(*tally.Result).Void }),
			"counts": field(nonNull(graphql.NewList(nonNull(et.count))), "Every candidate's count, most FOR votes first, written-in names included.",
				func(v interface{}) interface{} {
					out := []interface{}{}
					for _, c := range v.(*tally.Result).Candidates {
						out = append(out, c)
					}
					return out
				}),
			"vacant": field(nonNullInt, "Seats left vacant with no further round.", func(v interface{}) interface{} { return v.(*tally.Result).Vacant }),
			"nextSeats": field(graphql.Int, "The seats a further round fills; null when none is due.", func(v interface{}) interface{} {
				if n := v.(*tally.Result).Next; n != nil {
					return n.Seats
				}
				return nil
			}),
			"nextReason": field(graphql.String, "Why a further round is due.", func(v interface{}) interface{} {
				if r := v.(*tally.Result); r.Next != nil {
					return r.NextReason
				}
				return nil
			}),
		},
	})
	et.ballot = b.ballotType()
	et.check = graphql.NewObject(graphql.ObjectConfig{
		Name:        "RoundCheck",
		Description: "A round counted again from its stored ballots and compared with what was stored.",
		Fields: graphql.Fields{
			"round": related(b.objects["Round"], "The round.", func(l *loader.Loaders) *loader.Loader[int, *ent.Round] { return l.Elections.Round },
				func(v interface{}) int { return v.(checkRow).RoundID }),
			"entries":   field(nonNullInt, "Ballot entries in its chain.", func(v interface{}) interface{} { return v.(checkRow).Entries }),
			"chainHead": field(nonNullString, "The head of its chain as stored.", func(v interface{}) interface{} { return v.(checkRow).Head }),
			"reproduced": field(nonNullBool, "Whether the re-count, the chain and the head agree with what was stored.",
				func(v interface{}) interface{} { return len(v.(checkRow).Problems) == 0 }),
			"problems": field(nonNull(graphql.NewList(nonNullString)), "Each difference, naming the ballot or candidate.",
				func(v interface{}) interface{} {
					out := []interface{}{}
					for _, p := range v.(checkRow).Problems {
						out = append(out, p)
					}
					return out
				}),
		},
	})
	b.connections["Candidate"] = b.connectionType(b.objects["Candidate"], "candidate")
	b.connections["Ballot"] = b.connectionType(et.ballot, "ballot")
	return et
}

// candidateRow is the candidate row a ballot ID names: a number, or 0
// for a name written in.
func candidateRow(id string) int {
	n, err := strconv.Atoi(id)
	if err != nil {
		return 0
	}
	return n
}

func (b *builder) electionType() *graphql.Object {
	src := func(v interface{}) *ent.Election { return v.(*ent.Election) }
	id := func(v interface{}) int { return src(v).ID }
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Election",
		Description: "An election filling posts of a term by ballot, held in an assembly session or a meeting whose participants vote: " +
			"its configuration, candidates, tellers and rounds.",
		Interfaces: []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			et := b.elections()
			return graphql.Fields{
				"id":    idField("Election", id),
				"title": field(nonNullString, "The election's title.", func(v interface{}) interface{} { return src(v).Title }),
				"term": related(b.objects["Term"], "The term whose posts it fills.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Term] { return l.Term },
					func(v interface{}) int { return src(v).TermID }),
				"meeting": related(b.objects["Meeting"], "The assembly session or meeting it is held in.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Meeting] { return l.Meetings.Meeting },
					func(v interface{}) int { return src(v).MeetingID }),
				"method": field(nonNull(et.method), "How the ballots elect.", func(v interface{}) interface{} { return src(v).Method }),
				"threshold": field(b.threshold(), "What a candidate's FOR votes must meet; null for plurality or approval without one.",
					func(v interface{}) interface{} { return optThreshold(src(v).Threshold) }),
				"writeIns": field(nonNullBool, "Whether voters may write in names.", func(v interface{}) interface{} { return src(v).WriteIns }),
				"contested": field(nonNullBool, "Whether it is contested (差额): more candidates than seats by contestMargin.",
					func(v interface{}) interface{} { return src(v).ContestMargin != nil }),
				"contestMargin": field(b.fraction(), "The share of the seats by which candidates must outnumber them, rounded up and at least one; null when uncontested.",
					func(v interface{}) interface{} { return optFractionOf(src(v).ContestMargin) }),
				"maxRounds":   field(nonNullInt, "The last round a post may hold.", func(v interface{}) interface{} { return src(v).MaxRounds }),
				"doubleEntry": field(nonNullBool, "Whether two tellers enter every paper ballot.", func(v interface{}) interface{} { return src(v).DoubleEntry }),
				"status":      field(nonNull(et.status), "Where it stands.", func(v interface{}) interface{} { return src(v).Status }),
				"certifiedAt": field(b.dateTime, "When its result was certified.", func(v interface{}) interface{} { return src(v).CertifiedAt }),
				"certifiedBy": field(graphql.String, "Who certified it.", func(v interface{}) interface{} { return src(v).CertifiedBy }),
				"posts": {Type: graphql.NewList(nonNull(et.post)), Description: "The posts it fills, with their seats.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						return listThunk(loader.FromContext(p.Context).Elections.ElectionPosts.Load(p.Context, id(p.Source))), nil
					}},
				"candidates": wholeList(b.connections["Candidate"], "Its candidates, in the order nominated, names written in last.",
					loaded(func(l *loader.Loaders) *loader.Loader[int, []*ent.Candidate] {
						return l.Elections.ElectionCandidates
					}, id),
					func(c *ent.Candidate) int { return c.ID }),
				"rounds": {Type: graphql.NewList(nonNull(b.objects["Round"])), Description: "Its rounds, by post and number.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						return listThunk(loader.FromContext(p.Context).Elections.ElectionRounds.Load(p.Context, id(p.Source))), nil
					}},
				"tellers": {Type: graphql.NewList(nonNull(et.teller)), Description: "Its tellers and chief teller.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						return listThunk(loader.FromContext(p.Context).Elections.ElectionTellers.Load(p.Context, id(p.Source))), nil
					}},
				"recount": {Type: graphql.NewList(nonNull(et.check)),
					Description: "Every round counted again from its stored ballots, as registry tally --election does: the chain, the head, each ballot's validity and the count compared with what was stored.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						rec, err := b.deps.Store.ElectionRecord(p.Context, registry.ViewerFrom(p.Context), id(p.Source))
						if err != nil {
							return nil, registry.Wrap(err)
						}
						out := []interface{}{}
						for _, c := range registry.CheckRecord(rec) {
							out = append(out, checkRow(c))
						}
						return out, nil
					}},
			}
		}),
	})
}

// fraction is the Fraction type of the rules.
func (b *builder) fraction() *graphql.Object {
	b.rulesType()
	return b.objects["Fraction"]
}

// splitLines splits text into its lines; "" has none.
func splitLines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

func optThreshold(t *rules.Threshold) interface{} {
	if t == nil {
		return nil
	}
	return t
}

func optFractionOf(f *rules.Fraction) interface{} {
	if f == nil {
		return nil
	}
	return *f
}

// postOf is the post of a candidate or round loaded with its election
// post.
func postOf(ep *ent.ElectionPost) int {
	if ep == nil {
		return 0
	}
	return ep.PostID
}

func (b *builder) candidateType() *graphql.Object {
	src := func(v interface{}) *ent.Candidate { return v.(*ent.Candidate) }
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        "Candidate",
		Description: "A person nominated for a post of an election, with who nominated them and the eligibility checks passed; or a name written in that the count made a candidate.",
		Interfaces:  []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			et := b.elections()
			return graphql.Fields{
				"id": idField("Candidate", func(v interface{}) int { return src(v).ID }),
				"election": related(b.objects["Election"], "The election.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Election] { return l.Elections.Election },
					func(v interface{}) int { return src(v).ElectionID }),
				"post": related(b.objects["Post"], "The post stood for.", func(l *loader.Loaders) *loader.Loader[int, *ent.Post] { return l.Post },
					func(v interface{}) int { return postOf(src(v).Edges.ElectionPost) }),
				"person": related(b.objects["Person"], "The person; null for a name written in until certification says who it is.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Person] { return l.Person },
					func(v interface{}) int { return orZero(src(v).PersonID) }),
				"name":        field(nonNullString, "The name on the ballot, or as written in.", func(v interface{}) interface{} { return src(v).Name }),
				"writeIn":     field(nonNullBool, "Whether the name was written in on ballots.", func(v interface{}) interface{} { return src(v).WriteIn }),
				"nominatedBy": field(nonNullString, "Who nominated, as the minutes say.", func(v interface{}) interface{} { return src(v).NominatedBy }),
				"nominatedOn": field(nonNull(b.date), "The day of the nomination.", func(v interface{}) interface{} { return src(v).NominatedOn }),
				"eligibility": field(nonNull(graphql.NewList(nonNullString)), "The eligibility checks passed, each with its arithmetic.",
					func(v interface{}) interface{} {
						out := []interface{}{}
						for _, line := range splitLines(src(v).Eligibility) {
							out = append(out, line)
						}
						return out
					}),
				"status":         field(nonNull(et.candidateStatus), "Where the candidate stands.", func(v interface{}) interface{} { return src(v).Status }),
				"electedInRound": field(graphql.Int, "The round that elected them.", func(v interface{}) interface{} { return src(v).ElectedInRound }),
				"withdrawReason": field(graphql.String, "Why they withdrew.", func(v interface{}) interface{} { return src(v).WithdrawReason }),
			}
		}),
	})
}

func (b *builder) roundType() *graphql.Object {
	src := func(v interface{}) *ent.Round { return v.(*ent.Round) }
	id := func(v interface{}) int { return src(v).ID }
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Round",
		Description: "One round of ballots for one post of an election: its seats and candidates, the voters entitled when it opened, " +
			"the ballots issued and entered, the head of its ballots' hash chain and, once closed, its count and report.",
		Interfaces: []*graphql.Interface{b.node},
		Fields: graphql.FieldsThunk(func() graphql.Fields {
			et := b.elections()
			return graphql.Fields{
				"id": idField("Round", id),
				"election": related(b.objects["Election"], "The election.",
					func(l *loader.Loaders) *loader.Loader[int, *ent.Election] { return l.Elections.Election },
					func(v interface{}) int { return src(v).ElectionID }),
				"post": related(b.objects["Post"], "The post balloted for.", func(l *loader.Loaders) *loader.Loader[int, *ent.Post] { return l.Post },
					func(v interface{}) int { return postOf(src(v).Edges.ElectionPost) }),
				"number":      field(nonNullInt, "The round's number for its post, from 1.", func(v interface{}) interface{} { return src(v).Number }),
				"seats":       field(nonNullInt, "The seats it fills.", func(v interface{}) interface{} { return src(v).Seats }),
				"status":      field(nonNull(et.roundStatus), "OPEN or CLOSED.", func(v interface{}) interface{} { return src(v).Status }),
				"entitled":    field(nonNullInt, "The voters entitled, snapshotted when it opened.", func(v interface{}) interface{} { return src(v).Entitled }),
				"issued":      field(nonNullInt, "Paper ballots issued, as the tellers recorded.", func(v interface{}) interface{} { return src(v).Issued }),
				"codesIssued": field(nonNullInt, "Ballot codes issued.", func(v interface{}) interface{} { return src(v).Codes }),
				"entries":     field(nonNullInt, "Ballot entries in its chain.", func(v interface{}) interface{} { return src(v).Entries }),
				"chainHead": field(nonNullString, "The hash of the last entry: the chain's head, published with the result; empty before the first.",
					func(v interface{}) interface{} { return src(v).ChainHead }),
				"openedAt": field(nonNull(b.dateTime), "When it opened.", func(v interface{}) interface{} { return src(v).OpenedAt }),
				"openedBy": field(nonNullString, "Who opened it.", func(v interface{}) interface{} { return src(v).OpenedBy }),
				"closedAt": field(b.dateTime, "When it closed.", func(v interface{}) interface{} { return src(v).ClosedAt }),
				"closedBy": field(graphql.String, "Who closed it.", func(v interface{}) interface{} { return src(v).ClosedBy }),
				"candidates": {Type: graphql.NewList(nonNull(b.objects["Candidate"])), Description: "The names on its ballot.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						return listThunk(loader.FromContext(p.Context).Elections.RoundCandidates.Load(p.Context, id(p.Source))), nil
					}},
				"result": {Type: et.result, Description: "Its count; null while it is open.",
					Resolve: func(p graphql.ResolveParams) (interface{}, error) {
						if src(p.Source).Status != round.StatusCLOSED {
							return nil, nil
						}
						res, err := registry.RoundResult(src(p.Source))
						if err != nil {
							return nil, registry.Wrap(err)
						}
						return res, nil
					}},
				"report": field(graphql.String, "Its count in words, a line per fact with the arithmetic; null while it is open.",
					func(v interface{}) interface{} { return src(v).Report }),
				"ballots": wholeList(b.connections["Ballot"], "Its ballot entries in chain order, corrections and second entries included.",
					loaded(func(l *loader.Loaders) *loader.Loader[int, []*ent.Ballot] { return l.Elections.RoundBallots }, id),
					func(x *ent.Ballot) int { return x.ID }),
			}
		}),
	})
}

func (b *builder) ballotType() *graphql.Object {
	src := func(v interface{}) *ent.Ballot { return v.(*ent.Ballot) }
	marks := func(get func(tally.Ballot) []string, about string) *graphql.Field {
		return &graphql.Field{Type: graphql.NewList(nonNull(b.objects["Candidate"])), Description: about,
			Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				x := src(p.Source)
				tb, err := tally.DecodeBallot([]byte(x.Marks))
				if err != nil {
					return nil, registry.Wrap(err)
				}
				listed := loader.FromContext(p.Context).Elections.RoundCandidates.Load(p.Context, x.RoundID)
				return func() (interface{}, error) {
					cands, err := listed()
					if err != nil {
						panic(apiError(err))
					}
					byID := map[int]*ent.Candidate{}
					for _, c := range cands {
						byID[c.ID] = c
					}
					out := []interface{}{}
					for _, mark := range get(tb) {
						if c := byID[candidateRow(mark)]; c != nil {
							out = append(out, c)
						}
					}
					return out, nil
				}, nil
			}}
	}
	return graphql.NewObject(graphql.ObjectConfig{
		Name: "Ballot",
		Description: "One entry of a round's ballot chain: a paper ballot as a teller entered it, or a ballot cast with a ballot code. " +
			"It never says who voted.",
		Fields: graphql.Fields{
			"seq":        field(nonNullInt, "Its place in the chain, from 1.", func(v interface{}) interface{} { return src(v).Seq }),
			"serial":     field(nonNullString, "The paper's serial, or the electronic ballot's.", func(v interface{}) interface{} { return src(v).Serial }),
			"copy":       field(nonNullInt, "1, or the number of a further paper bearing the same serial.", func(v interface{}) interface{} { return src(v).Copy }),
			"entry":      field(nonNullInt, "The how-manyth entry of this paper: a second teller's, or a correction.", func(v interface{}) interface{} { return src(v).Entry }),
			"electronic": field(nonNullBool, "Cast with a ballot code.", func(v interface{}) interface{} { return src(v).Electronic }),
			"enteredBy": field(nonNullString, "The teller's account, or \"ballot code\" for an electronic ballot.",
				func(v interface{}) interface{} { return src(v).EnteredBy }),
			"enteredAt": field(nonNull(b.dateTime), "When it was entered.", func(v interface{}) interface{} { return src(v).EnteredAt }),
			"for":       marks(func(t tally.Ballot) []string { return t.For }, "The candidates of the round marked FOR."),
			"against":   marks(func(t tally.Ballot) []string { return t.Against }, "The candidates of the round marked AGAINST."),
			"writeIns": field(nonNull(graphql.NewList(nonNullString)), "Names written in.", func(v interface{}) interface{} {
				tb, _ := tally.DecodeBallot([]byte(src(v).Marks))
				out := []interface{}{}
				for _, n := range tb.WriteIns {
					out = append(out, n)
				}
				return out
			}),
			"marks": field(nonNullString, "The canonical bytes of its serial and marks that the chain hashes.",
				func(v interface{}) interface{} { return src(v).Marks }),
			"hash":     field(nonNullString, "The chain's link after it: SHA-256 of prevHash and marks.", func(v interface{}) interface{} { return src(v).Hash }),
			"prevHash": field(nonNullString, "The link before it.", func(v interface{}) interface{} { return src(v).PrevHash }),
			"counted": field(nonNullBool, "Whether it is the entry counted for its paper (set when the round closes).",
				func(v interface{}) interface{} { return src(v).Standing }),
			"valid": field(graphql.Boolean, "The count's verdict on a counted entry.", func(v interface{}) interface{} { return src(v).Valid }),
			"reason": field(graphql.String, "Why a counted ballot is invalid, or what of a valid one was not counted.",
				func(v interface{}) interface{} { return src(v).Reason }),
		},
	})
}

// electionTermFields are a term's fields about its elections.
func (b *builder) electionTermFields(id func(interface{}) int) graphql.Fields {
	return graphql.Fields{
		"elections": {Type: graphql.NewList(nonNull(b.objects["Election"])), Description: "The elections filling the term's posts.",
			Resolve: func(p graphql.ResolveParams) (interface{}, error) {
				return listThunk(loader.FromContext(p.Context).Elections.TermElections.Load(p.Context, id(p.Source))), nil
			}},
	}
}

// ballotReceiptField finds an electronic ballot by its receipt code.
func (b *builder) ballotReceiptField() *graphql.Field {
	return &graphql.Field{
		Type: b.elections().ballot,
		Description: "The electronic ballot a receipt code was given for, as the round's record holds it, so that a voter can check that their ballot " +
			"was counted as cast. The receipt is the credential; null when it matches no ballot.",
		Args: graphql.FieldConfigArgument{"receipt": {Type: nonNull(graphql.String), Description: "The receipt code castBallot returned."}},
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			x, err := b.deps.Store.BallotByReceipt(p.Context, p.Args["receipt"].(string))
			if err != nil {
				return nil, registry.Wrap(err)
			}
			if x == nil {
				return nil, nil
			}
			return x, nil
		},
	}
}

// ballotsField lists the ballots the voter presenting the request's
// credential may cast, names and global IDs only: the one thing of the
// organization a ballot code or a voter token reads.
func (b *builder) ballotsField() *graphql.Field {
	name := graphql.NewObject(graphql.ObjectConfig{
		Name:        "BallotName",
		Description: "A name on a ballot.",
		Fields: graphql.Fields{
			"id":   idField("Candidate", func(v interface{}) int { return v.(*ent.Candidate).ID }),
			"name": field(nonNullString, "The name as on the ballot.", func(v interface{}) interface{} { return v.(*ent.Candidate).Name }),
		},
	})
	paper := func(v interface{}) registry.BallotPaper { return v.(registry.BallotPaper) }
	t := graphql.NewObject(graphql.ObjectConfig{
		Name:        "BallotPaper",
		Description: "A ballot a voter may cast: what castBallot takes, and nothing else of the election.",
		Fields: graphql.Fields{
			"round":    idField("Round", func(v interface{}) int { return paper(v).Round.ID }),
			"post":     field(nonNullString, "The title of the post balloted for.", func(v interface{}) interface{} { return paper(v).Post }),
			"number":   field(nonNullInt, "The round's number for its post, from 1.", func(v interface{}) interface{} { return paper(v).Round.Number }),
			"seats":    field(nonNullInt, "The seats it fills: at most this many FOR marks, names written in included.", func(v interface{}) interface{} { return paper(v).Round.Seats }),
			"writeIns": field(nonNullBool, "Whether names may be written in.", func(v interface{}) interface{} { return paper(v).WriteIns }),
			"candidates": field(nonNull(graphql.NewList(nonNull(name))), "The names on it, in ballot order.", func(v interface{}) interface{} {
				out := []interface{}{}
				for _, c := range paper(v).Candidates {
					out = append(out, c)
				}
				return out
			}),
		},
	})
	return &graphql.Field{
		Type: nonNull(graphql.NewList(nonNull(t))),
		Description: "The ballots the request's credential may cast: with a ballot code (Authorization: Bearer bal_<code>), its round's; " +
			"with a voter token, each open round the voter is entitled to (requestBallotCode takes its round). Empty for any other viewer.",
		Resolve: func(p graphql.ResolveParams) (interface{}, error) {
			papers, err := b.deps.Store.Ballots(p.Context, registry.ViewerFrom(p.Context))
			if err != nil {
				return nil, registry.Wrap(err)
			}
			out := []interface{}{}
			for _, x := range papers {
				out = append(out, x)
			}
			return out, nil
		},
	}
}
