package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/ballot"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/round"
	"github.com/societyregistry/registry/registry/tally"
)

// CloseInput closes and counts a round.
type CloseInput struct {
	RoundID int `json:"roundId" validate:"required"`
}

// Entry is one stored ballot entry of a round, as the record keeps it.
type Entry struct {
	Seq    int    `json:"seq"`
	Serial string `json:"serial"`
	Copy   int    `json:"copy"`
	Entry  int    `json:"entry"`
	// Marks are the canonical bytes the chain hashes.
	Marks      string `json:"marks"`
	Electronic bool   `json:"electronic"`
	EnteredBy  string `json:"enteredBy"`
	Hash       string `json:"hash"`
	PrevHash   string `json:"prevHash"`
	// Standing, Valid and Reason are set when the round closes.
	Standing bool    `json:"standing"`
	Valid    *bool   `json:"valid,omitempty"`
	Reason   *string `json:"reason,omitempty"`
}

// Papers decides which entry counts for each paper of a round, from the
// entries alone, in chain order. It returns the entries' indexes, one
// per paper, in the order each paper was first entered, and a problem
// for each paper the tellers have not settled. A paper is its serial and
// copy; an electronic ballot is a paper entered once. With single entry
// a paper's last entry counts. With double entry (double), its last
// entry counts when the last entry by any other teller has the same
// marks; otherwise the tally waits until a teller re-enters it.
func Papers(entries []Entry, double bool) ([]int, []Problem) {
	type paper struct {
		key   paperKey
		index []int
	}
	var order []*paper
	byKey := map[paperKey]*paper{}
	for i, e := range entries {
		k := paperKey{e.Serial, e.Copy}
		p := byKey[k]
		if p == nil {
			p = &paper{key: k}
			byKey[k] = p
			order = append(order, p)
		}
		p.index = append(p.index, i)
	}
	standing := make([]int, 0, len(order))
	var probs []Problem
	for _, p := range order {
		last := entries[p.index[len(p.index)-1]]
		if !double || last.Electronic {
			standing = append(standing, p.index[len(p.index)-1])
			continue
		}
		other := -1
		for j := len(p.index) - 2; j >= 0 && other < 0; j-- {
			if entries[p.index[j]].EnteredBy != last.EnteredBy {
				other = p.index[j]
			}
		}
		switch {
		case other < 0:
			probs = append(probs, Problem{Field: "roundId", Rule: "doubleEntry",
				Message: fmt.Sprintf("ballot %s: entered by %s only; a second teller must enter it", paperName(p.key), last.EnteredBy)})
		case entries[other].Marks != last.Marks:
			probs = append(probs, Problem{Field: "roundId", Rule: "doubleEntry",
				Message: fmt.Sprintf("ballot %s: entry %d by %s and entry %d by %s differ; re-enter it from the paper",
					paperName(p.key), entries[other].Entry, entries[other].EnteredBy, last.Entry, last.EnteredBy)})
		default:
			standing = append(standing, p.index[len(p.index)-1])
		}
	}
	return standing, probs
}

func paperName(k paperKey) string {
	if k.copy > 1 {
		return fmt.Sprintf("%s (copy %d)", k.serial, k.copy)
	}
	return k.serial
}

// verifyChain checks a round's entries against their chain: each
// entry's marks are canonical bytes holding its serial, each link is the
// hash of the one before and the marks, and the last is the round's
// stored head. It returns the decoded ballots, and a problem naming the
// first entry that does not hold.
func verifyChain(entries []Entry, head string) ([]tally.Ballot, *Problem) {
	ballots := make([]tally.Ballot, len(entries))
	links := make([]tally.Hash, len(entries))
	broken := func(e Entry, format string, args ...any) *Problem {
		return &Problem{Field: "roundId", Rule: "chain", Message: fmt.Sprintf("ballot %s (entry %d in the chain): ", e.Serial, e.Seq) + fmt.Sprintf(format, args...)}
	}
	prev := tally.Hash{}.String()
	for i, e := range entries {
		b, err := tally.DecodeBallot([]byte(e.Marks))
		if err != nil {
			return nil, broken(e, "its marks are not the bytes entered (%v)", err)
		}
		if b.Serial != e.Serial {
			return nil, broken(e, "its marks name serial %s", b.Serial)
		}
		if e.PrevHash != prev {
			return nil, broken(e, "it does not follow the entry before it")
		}
		if links[i], err = tally.ParseHash(e.Hash); err != nil {
			return nil, broken(e, "its hash is not a hash")
		}
		ballots[i], prev = b, e.Hash
	}
	if err := tally.Verify(ballots, links); err != nil {
		var ce *tally.ChainError
		if errors.As(err, &ce) && ce.Index < len(entries) {
			return nil, broken(entries[ce.Index], "changed since it was entered: %s", ce.Reason)
		}
		return nil, &Problem{Field: "roundId", Rule: "chain", Message: err.Error()}
	}
	if prev != head && !(len(entries) == 0 && head == "") {
		return nil, &Problem{Field: "roundId", Rule: "chain",
			Message: fmt.Sprintf("the chain ends at %s, but the round's head is %s: entries were added or removed", prev, head)}
	}
	return ballots, nil
}

// countEntries verifies a round's chain, decides its papers and counts
// them: the count, the standing entries' indexes, or the problems that
// stop the count.
func countEntries(cfg tally.Round, entries []Entry, head string, double bool) (*tally.Result, []int, []Problem) {
	ballots, broken := verifyChain(entries, head)
	if broken != nil {
		return nil, nil, []Problem{*broken}
	}
	standing, probs := Papers(entries, double)
	if len(probs) > 0 {
		return nil, nil, probs
	}
	papers := make([]tally.Ballot, len(standing))
	for i, at := range standing {
		papers[i] = ballots[at]
	}
	res, err := tally.Count(cfg, papers)
	if err != nil {
		return nil, nil, []Problem{{Field: "roundId", Rule: "countable", Message: err.Error()}}
	}
	return res, standing, nil
}

// entryOf is a stored ballot as the record keeps it.
func entryOf(b *ent.Ballot) Entry {
	return Entry{Seq: b.Seq, Serial: b.Serial, Copy: b.Copy, Entry: b.Entry, Marks: b.Marks, Electronic: b.Electronic,
		EnteredBy: b.EnteredBy, Hash: b.Hash, PrevHash: b.PrevHash, Standing: b.Standing, Valid: b.Valid, Reason: b.Reason}
}

// CloseRound closes an open round and counts it with registry/tally, in
// one transaction recorded as "round.close" (ManageElections, or the
// election's chief teller), once the ballots issued are recorded. The
// ballot chain is verified first, and with
// double entry every paper must be settled (RULE_VIOLATION doubleEntry,
// each unsettled paper in Problems). The count, its report and the
// chain's head are stored with the round; the entry counted for each
// paper is marked with its validity; the elected are ELECTED, and
// candidates neither elected nor sent to a further round NOT_ELECTED;
// names written in that are elected or sent on become candidates. When
// every post is decided the election is COUNTED. From here on the round
// and its ballots are never changed.
func (s *Store) CloseRound(ctx context.Context, v *Viewer, in CloseInput) (*ent.Round, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Round
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		r, err := tx.Round.Get(ctx, in.RoundID)
		if err != nil {
			return notFound(err, "roundId", "round", in.RoundID)
		}
		e, err := electionGuard(ctx, tx, r.ElectionID, "roundId")
		if err != nil {
			return err
		}
		if err := mayRun(ctx, tx, v, e.ID, "roundId"); err != nil {
			return err
		}
		if r, err = roundGuard(ctx, tx, r.ID, "roundId"); err != nil {
			return err
		}
		if r.Issued+r.Codes == 0 {
			// Counted as it stands, every round would be void.
			return Violation("roundId", "issued", "round %d has no ballots recorded as issued, nor ballot codes: record the ballots issued first", r.Number)
		}
		rows, err := tx.Ballot.Query().Where(ballot.RoundID(r.ID)).Order(ballot.BySeq()).All(ctx)
		if err != nil {
			return err
		}
		entries := make([]Entry, len(rows))
		for i, b := range rows {
			entries[i] = entryOf(b)
		}
		cfg, err := storedConfig(r)
		if err != nil {
			return err
		}
		cfg.Issued, cfg.Entitled = r.Issued+r.Codes, r.Entitled
		res, standing, probs := countEntries(cfg, entries, r.ChainHead, e.DoubleEntry)
		if len(probs) > 0 {
			return &Error{Kind: RuleViolation, Field: "roundId", Rule: probs[0].Rule, Problems: probs,
				Message: fmt.Sprintf("round %d cannot be counted: %s (%d problem(s))", r.Number, probs[0].Message, len(probs))}
		}
		if err := markStanding(ctx, tx, rows, standing, res.Ballots); err != nil {
			return err
		}
		closed, err := storeCount(ctx, tx, v, r, res)
		if err != nil {
			return err
		}
		elected, err := settleCandidates(ctx, tx, v, s.Clock.Today(), r, res)
		if err != nil {
			return err
		}
		if err := markCounted(ctx, tx, e); err != nil {
			return err
		}
		rec.Record(Change{Action: actionRoundClose, Entity: "Round", EntityID: r.ID, After: closeSnap(closed, res, elected)})
		out = closed
		return nil
	})
	return out, err
}

// markStanding marks the entry counted for each paper, with its verdict.
func markStanding(ctx context.Context, tx *ent.Tx, rows []*ent.Ballot, standing []int, verdicts []tally.Verdict) error {
	var valid []int
	for i, at := range standing {
		v := verdicts[i]
		if v.Valid && v.Note == "" {
			valid = append(valid, rows[at].ID)
			continue
		}
		why := v.Reason
		if v.Valid {
			why = v.Note
		}
		if err := tx.Ballot.UpdateOneID(rows[at].ID).SetStanding(true).SetValid(v.Valid).SetReason(why).Exec(ctx); err != nil {
			return err
		}
	}
	for chunk := range chunks(valid, 1000) {
		if err := tx.Ballot.Update().Where(ballot.IDIn(chunk...)).SetStanding(true).SetValid(true).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// storeCount closes round r with its count.
func storeCount(ctx context.Context, tx *ent.Tx, v *Viewer, r *ent.Round, res *tally.Result) (*ent.Round, error) {
	config, err := json.Marshal(res.Round)
	if err != nil {
		return nil, err
	}
	result, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	return tx.Round.UpdateOneID(r.ID).SetStatus(round.StatusCLOSED).SetClosedAt(time.Now()).SetClosedBy(v.Name).
		SetReturned(res.Returned).SetValid(res.Valid).SetVoid(res.Void).
		SetConfig(string(config)).SetResult(string(result)).SetReport(res.Report()).Save(ctx)
}

// settleCandidates records what the count decided for the round's
// candidates, making candidates of names written in that were elected or
// sent to a further round. It returns the elected candidates' ids.
func settleCandidates(ctx context.Context, tx *ent.Tx, v *Viewer, today time.Time, r *ent.Round, res *tally.Result) ([]int, error) {
	listed, err := r.QueryCandidates().All(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]*ent.Candidate{}
	for _, c := range listed {
		byID[tallyID(c)] = c
	}
	goesOn := map[string]bool{}
	if res.Next != nil {
		for _, c := range res.Next.Candidates {
			goesOn[c.ID] = true
		}
	}
	var elected []int
	for _, cc := range res.Candidates {
		id, won := cc.Candidate.ID, cc.Outcome == tally.Elected
		row := byID[id]
		switch {
		case row == nil && (won || goesOn[id]):
			c := tx.Candidate.Create().SetElectionID(r.ElectionID).SetElectionPostID(r.ElectionPostID).SetName(cc.Candidate.Name).
				SetWriteIn(true).SetNominatedBy("written in on ballots").SetNominatedOn(today).SetRecordedBy(v.Name)
			if won {
				c.SetStatus(candidate.StatusELECTED).SetElectedInRound(r.Number)
			}
			if row, err = c.Save(ctx); err != nil {
				return nil, fmt.Errorf("round %d: written-in candidate: %w", r.ID, err)
			}
		case row == nil:
			continue
		case won:
			if err := tx.Candidate.UpdateOneID(row.ID).SetStatus(candidate.StatusELECTED).SetElectedInRound(r.Number).Exec(ctx); err != nil {
				return nil, err
			}
		case !goesOn[id]:
			if err := tx.Candidate.UpdateOneID(row.ID).SetStatus(candidate.StatusNOT_ELECTED).Exec(ctx); err != nil {
				return nil, err
			}
		}
		if won {
			elected = append(elected, row.ID)
		}
	}
	return elected, nil
}

// markCounted makes the election COUNTED once every post is decided: its
// last round closed with no further round due.
func markCounted(ctx context.Context, tx *ent.Tx, e *ent.Election) error {
	eps, err := e.QueryPosts().WithRounds(func(q *ent.RoundQuery) { q.Order(ent.Desc(round.FieldNumber)) }).All(ctx)
	if err != nil {
		return err
	}
	for _, ep := range eps {
		rs := ep.Edges.Rounds
		if len(rs) == 0 || rs[0].Status != round.StatusCLOSED {
			return nil
		}
		res, err := RoundResult(rs[0])
		if err != nil {
			return err
		}
		if res.Next != nil {
			return nil
		}
	}
	return tx.Election.UpdateOneID(e.ID).SetStatus(election.StatusCOUNTED).Exec(ctx)
}

// closeSnap is what the audit trail keeps of a round's close: the count
// in brief, its hash and the chain's head, which the published result
// carries.
func closeSnap(r *ent.Round, res *tally.Result, elected []int) map[string]any {
	m := map[string]any{
		"id": r.ID, "number": r.Number, "returned": res.Returned, "valid": res.Valid, "void": res.Void,
		"chainHead": r.ChainHead, "elected": elected, "vacant": res.Vacant, "next": nil, "count": CountHash(res),
	}
	if res.Next != nil {
		ids := make([]string, len(res.Next.Candidates))
		for i, c := range res.Next.Candidates {
			ids[i] = c.ID
		}
		m["next"] = map[string]any{"number": res.Next.Number, "seats": res.Next.Seats, "candidates": ids, "reason": res.NextReason}
	}
	return m
}

// CountHash is the SHA-256, in hex, of a round's count as stored: its
// configuration (issued, entitled, threshold, candidates) and everything
// it found. The audit trail keeps it at the round's close, so that the
// stored count cannot be rewritten, configuration and all, unnoticed.
func CountHash(res *tally.Result) string {
	b, err := json.Marshal(res)
	if err != nil {
		return "unencodable count: " + err.Error()
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
