package loader

import (
	"context"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/ballot"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/electionpost"
	"github.com/societyregistry/registry/ent/grant"
	"github.com/societyregistry/registry/ent/round"
)

// Elections are the loaders of elections, their candidates, rounds and
// ballots, built as the meetings' are: one ent query per kind of row and
// level, lists read whole per parent. A row belongs to the organization
// of its election's term, and a viewer reads it only where they may read
// that organization.
type Elections struct {
	// Election, Candidate and Round load rows by id, each with its
	// election's term.
	Election  *Loader[int, *ent.Election]
	Candidate *Loader[int, *ent.Candidate]
	Round     *Loader[int, *ent.Round]

	// TermElections lists the elections filling a term's posts, by id.
	TermElections *Loader[int, []*ent.Election]
	// ElectionPosts lists an election's posts, by id.
	ElectionPosts *Loader[int, []*ent.ElectionPost]
	// ElectionCandidates lists an election's candidates, by id.
	ElectionCandidates *Loader[int, []*ent.Candidate]
	// ElectionRounds lists an election's rounds by post, then number.
	ElectionRounds *Loader[int, []*ent.Round]
	// ElectionTellers lists an election's teller grants, by id, with
	// their accounts.
	ElectionTellers *Loader[int, []*ent.Grant]
	// RoundCandidates lists the candidates on a round's ballot, by id.
	RoundCandidates *Loader[int, []*ent.Candidate]
	// RoundBallots lists a round's ballot entries in chain order.
	RoundBallots *Loader[int, []*ent.Ballot]
}

func newElections(c *ent.Client, m *Meetings, opt Options) *Elections {
	e := &Elections{}
	withTerm := func(q *ent.ElectionQuery) { q.WithTerm() }
	e.Election = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Election, error) {
		return c.Election.Query().Where(election.IDIn(ids...)).WithTerm().All(ctx)
	}, func(x *ent.Election) (int, int) { return x.ID, x.Edges.Term.OrganizationID }, m.allow)
	e.Candidate = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Candidate, error) {
		return c.Candidate.Query().Where(candidate.IDIn(ids...)).WithElection(withTerm).WithElectionPost().All(ctx)
	}, func(x *ent.Candidate) (int, int) { return x.ID, x.Edges.Election.Edges.Term.OrganizationID }, m.allow)
	e.Round = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Round, error) {
		return c.Round.Query().Where(round.IDIn(ids...)).WithElection(withTerm).WithElectionPost().All(ctx)
	}, func(x *ent.Round) (int, int) { return x.ID, x.Edges.Election.Edges.Term.OrganizationID }, m.allow)

	e.TermElections = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Election, error) {
		return c.Election.Query().Where(election.TermIDIn(ids...)).WithTerm().Order(ent.Asc(election.FieldID)).All(ctx)
	}, func(x *ent.Election) int { return x.TermID })
	e.ElectionPosts = groups(opt, func(ctx context.Context, ids []int) ([]*ent.ElectionPost, error) {
		return c.ElectionPost.Query().Where(electionpost.ElectionIDIn(ids...)).Order(ent.Asc(electionpost.FieldID)).All(ctx)
	}, func(x *ent.ElectionPost) int { return x.ElectionID })
	e.ElectionCandidates = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Candidate, error) {
		return c.Candidate.Query().Where(candidate.ElectionIDIn(ids...)).WithElectionPost().Order(ent.Asc(candidate.FieldID)).All(ctx)
	}, func(x *ent.Candidate) int { return x.ElectionID })
	e.ElectionRounds = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Round, error) {
		return c.Round.Query().Where(round.ElectionIDIn(ids...)).WithElectionPost().
			Order(ent.Asc(round.FieldElectionPostID), ent.Asc(round.FieldNumber)).All(ctx)
	}, func(x *ent.Round) int { return x.ElectionID })
	e.ElectionTellers = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Grant, error) {
		return c.Grant.Query().Where(grant.ElectionIDIn(ids...)).WithAccount().Order(ent.Asc(grant.FieldID)).All(ctx)
	}, func(x *ent.Grant) int { return *x.ElectionID })
	e.RoundCandidates = batch(opt, func(ctx context.Context, ids []int) (map[int][]*ent.Candidate, error) {
		rows, err := c.Round.Query().Where(round.IDIn(ids...)).
			WithCandidates(func(q *ent.CandidateQuery) { q.WithElectionPost().Order(ent.Asc(candidate.FieldID)) }).All(ctx)
		out := make(map[int][]*ent.Candidate, len(rows))
		for _, r := range rows {
			out[r.ID] = r.Edges.Candidates
		}
		return out, err
	})
	e.RoundBallots = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Ballot, error) {
		return c.Ballot.Query().Where(ballot.RoundIDIn(ids...)).Order(ent.Asc(ballot.FieldSeq)).All(ctx)
	}, func(x *ent.Ballot) int { return x.RoundID })
	return e
}

func (e *Elections) reset() {
	e.Election.ClearAll()
	e.Candidate.ClearAll()
	e.Round.ClearAll()
	e.TermElections.ClearAll()
	e.ElectionPosts.ClearAll()
	e.ElectionCandidates.ClearAll()
	e.ElectionRounds.ClearAll()
	e.ElectionTellers.ClearAll()
	e.RoundCandidates.ClearAll()
	e.RoundBallots.ClearAll()
}
