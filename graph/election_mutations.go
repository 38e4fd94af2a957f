package graph

import (
	"fmt"

	"github.com/graphql-go/graphql"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/graph/loader"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
)

// codesRow is what issueBallotCodes returns: the round and its new codes.
type codesRow struct {
	round int
	codes []string
}

// entryRow is what enterBallots returns: the round and the entries made.
type entryRow struct {
	round   int
	ballots []*ent.Ballot
}

// electionMutationFields are the root mutation's fields of elections.
func (b *builder) electionMutationFields() graphql.Fields {
	b.elections()
	return graphql.Fields{
		"createElection":      b.createElection(),
		"nominateCandidate":   b.nominateCandidate(),
		"withdrawCandidate":   b.withdrawCandidate(),
		"grantTeller":         b.grantTeller(),
		"openRound":           b.openRound(),
		"recordBallotsIssued": b.recordBallotsIssued(),
		"enterBallots":        b.enterBallots(),
		"issueBallotCodes":    b.issueBallotCodes(),
		"castBallot":          b.castBallot(),
		"requestBallotCode":   b.requestBallotCode(),
		"closeRound":          b.closeRound(),
		"certifyElection":     b.certifyElection(),
	}
}

// loadedPayload builds a payload whose row is read back through a
// loader, so that it comes with what the loader reads beside it.
func loadedPayload[T any](typeName, description, name string, t graphql.Output, about string,
	load func(*loader.Loaders) *loader.Loader[int, T], id func(row interface{}) int) *graphql.Object {
	return graphql.NewObject(graphql.ObjectConfig{
		Name:        typeName,
		Description: description,
		Fields: graphql.Fields{
			name: related(t, about, load, func(v interface{}) int { return id(v.(payload).row) }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
}

func (b *builder) roundPayload(typeName, description string) *graphql.Object {
	return loadedPayload(typeName, description, "round", b.objects["Round"], "The round.",
		func(l *loader.Loaders) *loader.Loader[int, *ent.Round] { return l.Elections.Round },
		func(row interface{}) int { return row.(*ent.Round).ID })
}

func (b *builder) candidatePayload(typeName, description string) *graphql.Object {
	return loadedPayload(typeName, description, "candidate", b.objects["Candidate"], "The candidate.",
		func(l *loader.Loaders) *loader.Loader[int, *ent.Candidate] { return l.Elections.Candidate },
		func(row interface{}) int { return row.(*ent.Candidate).ID })
}

func (b *builder) createElection() *graphql.Field {
	post := graphql.NewInputObject(graphql.InputObjectConfig{Name: "ElectionPostInput", Description: "A post to fill, and how many of its seats.",
		Fields: graphql.InputObjectConfigFieldMap{
			"postId": inField(nonNull(graphql.ID), "The global ID of a post of the term's organization."),
			"seats":  inField(nonNull(graphql.Int), "Seats to fill, 1 to the post's seats."),
		}})
	threshold := graphql.NewInputObject(graphql.InputObjectConfig{Name: "ThresholdInput", Description: "A share of a base that a count must reach.",
		Fields: graphql.InputObjectConfigFieldMap{
			"numerator":   inField(nonNull(graphql.Int), "The fraction's numerator, 0 to the denominator."),
			"denominator": inField(nonNull(graphql.Int), "The fraction's denominator, positive."),
			"base":        inField(nonNull(b.enums.base), "RETURNED, VALID or ENTITLED for an election."),
			"strict":      inField(graphql.Boolean, "More than the share (true) or at least it (false, the default)."),
		}})
	in := inputType("CreateElectionInput", "An election to create.", graphql.InputObjectConfigFieldMap{
		"termId":      inField(nonNull(graphql.ID), "The global ID of the term whose posts it fills: PLANNED (a succession's roster) or ACTIVE."),
		"meetingId":   inField(nonNull(graphql.ID), "The global ID of the assembly session or meeting it is held in: its participants vote."),
		"title":       inField(nonNull(graphql.String), "Its title, 1 to 200 characters."),
		"posts":       inField(nonNull(graphql.NewList(nonNull(post))), "The posts it fills, 1 to 20, each once."),
		"method":      inField(b.elections().method, "How the ballots elect (default FOR_AGAINST)."),
		"threshold":   inField(threshold, "What a candidate's FOR votes must meet; default the rules' election threshold for FOR_AGAINST, none otherwise."),
		"writeIns":    inField(graphql.Boolean, "Whether voters may write in names (default false)."),
		"contested":   inField(graphql.Boolean, "Contested (差额): more candidates than seats by the rules' contestMargin before a post's first round (default false)."),
		"maxRounds":   inField(graphql.Int, "The last round a post may hold, 1 to 10 (default the rules' electionMaxRounds)."),
		"doubleEntry": inField(graphql.Boolean, "Whether two tellers enter every paper ballot (default false)."),
	})
	out := payloadType("CreateElectionPayload", "The election created.", "election", b.objects["Election"], "The election.")
	return mutationField("Creates an election (ADMIN, SECRETARIAT): the term must not have ended; each post is the term's organization's, with no more seats than it has. "+
		"Audited as election.create.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			t, err := in.id("termId", "Term")
			if err != nil {
				return nil, err
			}
			m, err := in.id("meetingId", "Meeting")
			if err != nil {
				return nil, err
			}
			raw, _ := in["posts"].([]interface{})
			posts := make([]registry.ElectionPostInput, len(raw))
			for i, r := range raw {
				pin := input(r.(map[string]interface{}))
				if posts[i].PostID, err = idOf(pin.str("postId"), "Post", fmt.Sprintf("posts[%d].postId", i)); err != nil {
					return nil, err
				}
				posts[i].Seats, _ = pin["seats"].(int)
			}
			maxRounds, _ := in["maxRounds"].(int)
			return b.deps.Store.CreateElection(p.Context, v, registry.ElectionInput{TermID: t, MeetingID: m, Title: in.str("title"), Posts: posts,
				Method: in.enum("method"), Threshold: thresholdOf(in["threshold"]), WriteIns: in.flag("writeIns"), Contested: in.flag("contested"),
				MaxRounds: maxRounds, DoubleEntry: in.flag("doubleEntry")})
		})
}

// thresholdOf reads a ThresholdInput; nil when none is given.
func thresholdOf(v interface{}) *rules.Threshold {
	m, ok := v.(map[string]interface{})
	if !ok {
		return nil
	}
	in := input(m)
	num, _ := in["numerator"].(int)
	den, _ := in["denominator"].(int)
	base, _ := in["base"].(rules.Base)
	return &rules.Threshold{Fraction: rules.F(int64(num), int64(den)), Base: base, Strict: in.flag("strict")}
}

func (b *builder) nominateCandidate() *graphql.Field {
	in := inputType("NominateCandidateInput", "A nomination.", graphql.InputObjectConfigFieldMap{
		"electionId":  inField(nonNull(graphql.ID), "The global ID of the election."),
		"postId":      inField(nonNull(graphql.ID), "The global ID of a post it fills, whose first round has not opened."),
		"personId":    inField(nonNull(graphql.ID), "The global ID of the person nominated."),
		"nominatedBy": inField(nonNull(graphql.String), "Who nominated, as the minutes say (the presidium, ten representatives jointly); 1 to 200 characters."),
		"nominatedOn": inField(nonNull(b.date), "The day of the nomination, not after today."),
	})
	return mutationField("Nominates a person for a post of an election (ADMIN, SECRETARIAT), once they pass the succession report's own checks, which the candidate keeps: "+
		"an ACTIVE membership; for a leadership post the consecutive-term limit and the leadership age limit on the term's first day (no birth date fails); "+
		"for the standing council, a post in the council. A teller may not stand; a person stands once for a post. Audited as candidate.nominate.",
		in, b.candidatePayload("NominateCandidatePayload", "The candidate nominated."),
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			var ids [3]int
			for i, f := range []struct{ name, typeName string }{{"electionId", "Election"}, {"postId", "Post"}, {"personId", "Person"}} {
				id, err := in.id(f.name, f.typeName)
				if err != nil {
					return nil, err
				}
				ids[i] = id
			}
			return b.deps.Store.NominateCandidate(p.Context, v, registry.NominateInput{ElectionID: ids[0], PostID: ids[1], PersonID: ids[2],
				NominatedBy: in.str("nominatedBy"), NominatedOn: in.day("nominatedOn")})
		})
}

func (b *builder) withdrawCandidate() *graphql.Field {
	in := inputType("WithdrawCandidateInput", "A candidate's withdrawal.", graphql.InputObjectConfigFieldMap{
		"candidateId": inField(nonNull(graphql.ID), "The global ID of the candidate, whose post's first round has not opened."),
		"reason":      inField(nonNull(graphql.String), "Why; 1 to 500 characters."),
	})
	return mutationField("Withdraws a candidate before the first ballot of their post (ADMIN, SECRETARIAT). Audited as candidate.withdraw.",
		in, b.candidatePayload("WithdrawCandidatePayload", "The candidate withdrawn."),
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("candidateId", "Candidate")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.WithdrawCandidate(p.Context, v, registry.WithdrawInput{CandidateID: id, Reason: in.str("reason")})
		})
}

func (b *builder) grantTeller() *graphql.Field {
	in := inputType("GrantTellerInput", "A teller's grant.", graphql.InputObjectConfigFieldMap{
		"electionId": inField(nonNull(graphql.ID), "The global ID of the election."),
		"account":    inField(nonNull(graphql.String), "The account's name."),
		"personId":   inField(nonNull(graphql.ID), "The global ID of the person who serves; not a candidate of the election."),
		"chief":      inField(graphql.Boolean, "CHIEF_TELLER rather than TELLER (default false); one per election."),
	})
	out := payloadType("GrantTellerPayload", "The teller granted.", "election", b.objects["Election"], "The election, with its tellers.")
	return mutationField("Grants an account the TELLER or CHIEF_TELLER role on an election (ADMIN, SECRETARIAT). Tellers record ballots issued, enter ballots "+
		"and issue ballot codes whatever their account's role; the chief teller also opens and closes rounds and certifies. Audited as election.grant.",
		in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			e, err := in.id("electionId", "Election")
			if err != nil {
				return nil, err
			}
			who, err := in.id("personId", "Person")
			if err != nil {
				return nil, err
			}
			if _, err := b.deps.Store.GrantTeller(p.Context, v, registry.TellerInput{ElectionID: e, Account: in.str("account"), PersonID: who,
				Chief: in.flag("chief")}); err != nil {
				return nil, err
			}
			return b.deps.Store.Client.Election.Get(p.Context, e)
		})
}

func (b *builder) openRound() *graphql.Field {
	in := inputType("OpenRoundInput", "The post whose next round to open.", graphql.InputObjectConfigFieldMap{
		"electionId": inField(nonNull(graphql.ID), "The global ID of the election."),
		"postId":     inField(nonNull(graphql.ID), "The global ID of a post it fills."),
	})
	return mutationField("Opens the next round for a post (ADMIN, SECRETARIAT, or the chief teller): round 1 with its nominated candidates (a contested election needs "+
		"more than the seats by the contest margin), or the further round the last one sent on. The meeting's entitled participants are snapshotted. "+
		"Audited as round.open.", in, b.roundPayload("OpenRoundPayload", "The round opened."),
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			e, err := in.id("electionId", "Election")
			if err != nil {
				return nil, err
			}
			post, err := in.id("postId", "Post")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.OpenRound(p.Context, v, registry.RoundInput{ElectionID: e, PostID: post})
		})
}

func (b *builder) recordBallotsIssued() *graphql.Field {
	in := inputType("RecordBallotsIssuedInput", "The paper ballots a round issued.", graphql.InputObjectConfigFieldMap{
		"roundId": inField(nonNull(graphql.ID), "The global ID of the open round."),
		"issued":  inField(nonNull(graphql.Int), "How many, 0 or more; may be corrected until the round closes."),
	})
	return mutationField("Records the paper ballots a round issued (its tellers); more returned than issued voids the round. Audited as round.issue.",
		in, b.roundPayload("RecordBallotsIssuedPayload", "The round."),
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("roundId", "Round")
			if err != nil {
				return nil, err
			}
			n, _ := in["issued"].(int)
			return b.deps.Store.RecordIssued(p.Context, v, registry.IssuedInput{RoundID: id, Issued: n})
		})
}

// marksOf reads a ballot's FOR and AGAINST candidates; field names the
// ballot for errors.
func marksOf(in input, field string) (forIDs, against []int, err error) {
	for _, m := range []struct {
		name string
		dst  *[]int
	}{{"for", &forIDs}, {"against", &against}} {
		if *m.dst, err = in.ids(m.name, "Candidate"); err != nil {
			e := registry.Wrap(err)
			out := *e
			out.Field = field + out.Field
			return nil, nil, &out
		}
	}
	return forIDs, against, nil
}

// strList reads a list of strings.
func strList(v interface{}) []string {
	raw, _ := v.([]interface{})
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i], _ = r.(string)
	}
	return out
}

func (b *builder) enterBallots() *graphql.Field {
	ballot := graphql.NewInputObject(graphql.InputObjectConfig{Name: "BallotInput", Description: "A returned paper ballot as a teller reads it.",
		Fields: graphql.InputObjectConfigFieldMap{
			"serial":   inField(nonNull(graphql.String), "The serial printed on the paper: 1 to 32 printable ASCII characters."),
			"copy":     inField(graphql.Int, "2, 3, ... for a further paper bearing the same serial (the count invalidates it as a duplicate); default 1."),
			"for":      inField(graphql.NewList(nonNull(graphql.ID)), "Global IDs of the candidates marked FOR."),
			"against":  inField(graphql.NewList(nonNull(graphql.ID)), "Global IDs of the candidates marked AGAINST; the others are left blank (abstain)."),
			"writeIns": inField(graphql.NewList(nonNull(graphql.String)), "Names written in, each a FOR vote; at most 100 characters each."),
			"correct":  inField(graphql.Boolean, "Replaces an earlier entry of the paper: the teller's own, or with single entry anyone's."),
		}})
	in := inputType("EnterBallotsInput", "Returned paper ballots of an open round.", graphql.InputObjectConfigFieldMap{
		"roundId": inField(nonNull(graphql.ID), "The global ID of the open round."),
		"ballots": inField(nonNull(graphql.NewList(nonNull(ballot))), "1 to 500 ballots, entered in this order."),
	})
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "EnterBallotsPayload",
		Description: "The ballots entered.",
		Fields: graphql.Fields{
			"round": related(b.objects["Round"], "The round, with its chain's new head.",
				func(l *loader.Loaders) *loader.Loader[int, *ent.Round] { return l.Elections.Round },
				func(v interface{}) int { return v.(payload).row.(entryRow).round }),
			"ballots": field(nonNull(graphql.NewList(nonNull(b.elections().ballot))), "The entries made, in chain order.", func(v interface{}) interface{} {
				out := []interface{}{}
				for _, x := range v.(payload).row.(entryRow).ballots {
					out = append(out, x)
				}
				return out
			}),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Enters returned paper ballots of an open round into its hash chain (the election's tellers), in one transaction. Entering a paper again "+
		"is a correction and says so; with double entry, two tellers enter every paper and the round cannot close until their entries agree. "+
		"A closed round is VOTE_CLOSED. Audited as ballot.enter, with each entry's place and hash.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("roundId", "Round")
			if err != nil {
				return nil, err
			}
			raw, _ := in["ballots"].([]interface{})
			ballots := make([]registry.BallotInput, len(raw))
			for i, r := range raw {
				bin := input(r.(map[string]interface{}))
				forIDs, against, err := marksOf(bin, fmt.Sprintf("ballots[%d].", i))
				if err != nil {
					return nil, err
				}
				n, _ := bin["copy"].(int)
				ballots[i] = registry.BallotInput{Serial: bin.str("serial"), Copy: n, For: forIDs, Against: against,
					WriteIns: strList(bin["writeIns"]), Correct: bin.flag("correct")}
			}
			rows, err := b.deps.Store.EnterBallots(p.Context, v, registry.EntryInput{RoundID: id, Ballots: ballots})
			if err != nil {
				return nil, err
			}
			return entryRow{round: id, ballots: rows}, nil
		})
}

func (b *builder) issueBallotCodes() *graphql.Field {
	in := inputType("IssueBallotCodesInput", "Ballot codes to issue.", graphql.InputObjectConfigFieldMap{
		"roundId":        inField(nonNull(graphql.ID), "The global ID of the open round."),
		"participantIds": inField(graphql.NewList(nonNull(graphql.ID)), "The participants to issue one to; left out, every entitled voter without one."),
	})
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "IssueBallotCodesPayload",
		Description: "The codes issued, shown this once.",
		Fields: graphql.Fields{
			"round": related(b.objects["Round"], "The round.", func(l *loader.Loaders) *loader.Loader[int, *ent.Round] { return l.Elections.Round },
				func(v interface{}) int { return v.(payload).row.(codesRow).round }),
			"codes": field(nonNull(graphql.NewList(nonNullString)), "One code per voter, in random order: nothing records whose each is.",
				func(v interface{}) interface{} {
					out := []interface{}{}
					for _, c := range v.(payload).row.(codesRow).codes {
						out = append(out, c)
					}
					return out
				}),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Issues one-time ballot codes of an open round (the election's tellers): one per entitled voter, each voter at most once. Only their hashes "+
		"are kept, with nothing that links a code to its voter. Audited as round.codes.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("roundId", "Round")
			if err != nil {
				return nil, err
			}
			ps, err := in.ids("participantIds", "Participant")
			if err != nil {
				return nil, err
			}
			codes, err := b.deps.Store.IssueBallotCodes(p.Context, v, registry.CodesInput{RoundID: id, ParticipantIDs: ps})
			if err != nil {
				return nil, err
			}
			return codesRow{round: id, codes: codes}, nil
		})
}

func (b *builder) requestBallotCode() *graphql.Field {
	in := inputType("RequestBallotCodeInput", "The round to vote in.", graphql.InputObjectConfigFieldMap{
		"roundId": inField(nonNull(graphql.ID), "The global ID of an open round the voter is entitled to."),
	})
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "RequestBallotCodePayload",
		Description: "The voter's ballot code, shown this once.",
		Fields: graphql.Fields{
			"code": field(nonNullString, "The one-time ballot code: cast with it as the bearer credential (bal_<code>). Only its hash is kept, and not as the voter's.",
				func(v interface{}) interface{} { return v.(payload).row.(codesRow).codes[0] }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Issues the voter presenting their own voter token a ballot code of an open round they are entitled to, once. "+
		"Audited as round.codes, naming the voter but not the code.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("roundId", "Round")
			if err != nil {
				return nil, err
			}
			code, err := b.deps.Store.RequestBallotCode(p.Context, v, id)
			if err != nil {
				return nil, err
			}
			return codesRow{round: id, codes: []string{code}}, nil
		})
}

func (b *builder) castBallot() *graphql.Field {
	in := inputType("CastBallotInput", "A ballot cast with the ballot code the request presents as its credential.", graphql.InputObjectConfigFieldMap{
		"for":      inField(graphql.NewList(nonNull(graphql.ID)), "Global IDs of the candidates voted FOR."),
		"against":  inField(graphql.NewList(nonNull(graphql.ID)), "Global IDs of the candidates voted AGAINST; the others are left blank (abstain)."),
		"writeIns": inField(graphql.NewList(nonNull(graphql.String)), "Names written in, each a FOR vote, where the election allows it."),
	})
	out := graphql.NewObject(graphql.ObjectConfig{
		Name:        "CastBallotPayload",
		Description: "The ballot cast.",
		Fields: graphql.Fields{
			"serial": field(nonNullString, "The ballot's serial in the round's record.", func(v interface{}) interface{} { return v.(payload).row.(*registry.Receipt).Serial }),
			"receipt": field(nonNullString, "A receipt code, shown this once: ballotReceipt finds the ballot with it. Only its hash is kept.",
				func(v interface{}) interface{} { return v.(payload).row.(*registry.Receipt).Code }),
			"clientMutationId": field(graphql.String, "The clientMutationId of the input, unchanged.",
				func(v interface{}) interface{} { return v.(payload).clientMutationID }),
		},
	})
	return mutationField("Casts a ballot with a one-time ballot code, sent as the request's bearer credential (Authorization: Bearer bal_<code>) and only so: "+
		"the code is the credential, and nothing records who cast it, neither the audit trail (it says \"ballot code\") nor the request's. "+
		"Any other credential is UNAUTHENTICATED; ballots lists what the code may cast. Audited as ballot.cast.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			forIDs, against, err := marksOf(in, "")
			if err != nil {
				return nil, err
			}
			if v == nil || v.BallotCode == "" {
				return nil, registry.E(registry.Unauthenticated, "", "castBallot takes the ballot code as the request's credential (Authorization: Bearer bal_<code>), and no other")
			}
			return b.deps.Store.CastBallot(p.Context, registry.CastInput{Code: v.BallotCode, For: forIDs, Against: against, WriteIns: strList(in["writeIns"])})
		})
}

func (b *builder) closeRound() *graphql.Field {
	in := inputType("CloseRoundInput", "The round to close and count.", graphql.InputObjectConfigFieldMap{
		"roundId": inField(nonNull(graphql.ID), "The global ID of the open round."),
	})
	return mutationField("Closes an open round and counts it with registry/tally (ADMIN, SECRETARIAT, or the chief teller), once its ballots issued are recorded: "+
		"the chain is verified, every paper must be settled under double entry (RULE_VIOLATION doubleEntry, each unsettled paper in extensions.problems), "+
		"and the count, its report and the chain head are stored. Ties at the cut-off and unfilled seats go to a further round (openRound). "+
		"The round and its ballots never change again. Audited as round.close.", in, b.roundPayload("CloseRoundPayload", "The round counted."),
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("roundId", "Round")
			if err != nil {
				return nil, err
			}
			return b.deps.Store.CloseRound(p.Context, v, registry.CloseInput{RoundID: id})
		})
}

func (b *builder) certifyElection() *graphql.Field {
	writeIn := graphql.NewInputObject(graphql.InputObjectConfig{Name: "WriteInPersonInput", Description: "Who an elected name written in is.",
		Fields: graphql.InputObjectConfigFieldMap{
			"candidateId": inField(nonNull(graphql.ID), "The global ID of the written-in candidate."),
			"personId":    inField(nonNull(graphql.ID), "The global ID of the person, who must pass the candidates' eligibility checks."),
		}})
	in := inputType("CertifyElectionInput", "The election to certify.", graphql.InputObjectConfigFieldMap{
		"electionId": inField(nonNull(graphql.ID), "The global ID of the COUNTED election."),
		"writeIns":   inField(graphql.NewList(nonNull(writeIn)), "The person each elected name written in is."),
	})
	out := payloadType("CertifyElectionPayload", "The election certified.", "election", b.objects["Election"], "The election, CERTIFIED.")
	return mutationField("Certifies a counted election (ADMIN, or its chief teller): each elected candidate becomes an ELECTED appointment of the term to the post, "+
		"linked to the election, through the roster rules; in a PLANNED term from its first day, so that completeSuccession makes them current. "+
		"Audited as appointment.create for each and election.certify.", in, out,
		func(p graphql.ResolveParams, in input, v *registry.Viewer) (interface{}, error) {
			id, err := in.id("electionId", "Election")
			if err != nil {
				return nil, err
			}
			raw, _ := in["writeIns"].([]interface{})
			ws := make([]registry.WriteInPerson, len(raw))
			for i, r := range raw {
				w := input(r.(map[string]interface{}))
				if ws[i].CandidateID, err = idOf(w.str("candidateId"), "Candidate", fmt.Sprintf("writeIns[%d].candidateId", i)); err != nil {
					return nil, err
				}
				if ws[i].PersonID, err = idOf(w.str("personId"), "Person", fmt.Sprintf("writeIns[%d].personId", i)); err != nil {
					return nil, err
				}
			}
			return b.deps.Store.CertifyElection(p.Context, v, registry.CertifyInput{ElectionID: id, WriteIns: ws})
		})
}
