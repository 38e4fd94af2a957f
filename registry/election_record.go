package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/ballot"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/election"
	"github.com/societyregistry/registry/ent/round"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/tally"
)

// ElectionRecord is the whole record of an election: its configuration,
// posts and candidates, and each round with its configuration, ballot
// entries, count, report and chain head. Written as JSON (registry
// export election) it holds everything [CheckRecord] needs to count
// every round again without the database. AuditedRounds are the rounds
// the audit trail saw open, so that a round missing from the record
// shows.
type ElectionRecord struct {
	ID            int               `json:"id"`
	Title         string            `json:"title"`
	TermID        int               `json:"termId"`
	Term          string            `json:"term"`
	MeetingID     int               `json:"meetingId"`
	Method        string            `json:"method"`
	Threshold     *rules.Threshold  `json:"threshold,omitempty"`
	WriteIns      bool              `json:"writeIns"`
	ContestMargin *rules.Fraction   `json:"contestMargin,omitempty"`
	MaxRounds     int               `json:"maxRounds"`
	DoubleEntry   bool              `json:"doubleEntry"`
	Status        string            `json:"status"`
	CertifiedAt   *time.Time        `json:"certifiedAt,omitempty"`
	CertifiedBy   *string           `json:"certifiedBy,omitempty"`
	Posts         []RecordPost      `json:"posts"`
	Candidates    []RecordCandidate `json:"candidates"`
	Rounds        []RecordRound     `json:"rounds"`
	AuditedRounds []AuditedRound    `json:"auditedRounds"`
}

// AuditedRound is a round as the audit trail recorded its opening.
type AuditedRound struct {
	ID     int `json:"id"`
	PostID int `json:"postId"`
	Number int `json:"number"`
}

// RecordPost is a post the election fills.
type RecordPost struct {
	PostID int    `json:"postId"`
	Title  string `json:"title"`
	Seats  int    `json:"seats"`
}

// RecordCandidate is a candidate as the record keeps it.
type RecordCandidate struct {
	ID             int       `json:"id"`
	PostID         int       `json:"postId"`
	PersonID       *int      `json:"personId,omitempty"`
	Name           string    `json:"name"`
	WriteIn        bool      `json:"writeIn,omitempty"`
	NominatedBy    string    `json:"nominatedBy"`
	NominatedOn    time.Time `json:"nominatedOn"`
	Eligibility    string    `json:"eligibility"`
	Status         string    `json:"status"`
	ElectedInRound *int      `json:"electedInRound,omitempty"`
}

// RecordRound is a round as the record keeps it. AuditedHead and
// AuditedCount are the chain head and the hash of the count (see
// [CountHash]) the audit trail recorded when the round closed.
type RecordRound struct {
	ID           int           `json:"id"`
	PostID       int           `json:"postId"`
	Number       int           `json:"number"`
	Seats        int           `json:"seats"`
	Status       string        `json:"status"`
	Entitled     int           `json:"entitled"`
	Issued       int           `json:"issued"`
	Codes        int           `json:"codes"`
	OpenedAt     time.Time     `json:"openedAt"`
	ClosedAt     *time.Time    `json:"closedAt,omitempty"`
	ChainHead    string        `json:"chainHead"`
	AuditedHead  string        `json:"auditedHead,omitempty"`
	AuditedCount string        `json:"auditedCount,omitempty"`
	Config       tally.Round   `json:"config"`
	Result       *tally.Result `json:"result,omitempty"`
	Report       string        `json:"report,omitempty"`
	Entries      []Entry       `json:"entries"`
}

// ElectionRecord reads the whole record of election id, for viewers who
// may read the organization of its term.
func (s *Store) ElectionRecord(ctx context.Context, v *Viewer, id int) (*ElectionRecord, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	e, err := s.Client.Election.Query().Where(election.ID(id)).WithTerm().
		WithPosts(func(q *ent.ElectionPostQuery) { q.WithPost() }).Only(ctx)
	if err != nil {
		return nil, v.hideMissing(err, ReadOrganization, "election")
	}
	if err := v.AuthorizeIn(ReadOrganization, e.Edges.Term.OrganizationID, "election"); err != nil {
		return nil, err
	}
	rec := &ElectionRecord{ID: e.ID, Title: e.Title, TermID: e.TermID, Term: termLabel(e.Edges.Term), MeetingID: e.MeetingID,
		Method: e.Method.String(), Threshold: e.Threshold, WriteIns: e.WriteIns, ContestMargin: e.ContestMargin,
		MaxRounds: e.MaxRounds, DoubleEntry: e.DoubleEntry, Status: e.Status.String(), CertifiedAt: e.CertifiedAt, CertifiedBy: e.CertifiedBy}
	postOf := map[int]int{}
	for _, ep := range e.Edges.Posts {
		postOf[ep.ID] = ep.PostID
		rec.Posts = append(rec.Posts, RecordPost{PostID: ep.PostID, Title: ep.Edges.Post.Title, Seats: ep.Seats})
	}
	cands, err := e.QueryCandidates().Order(candidate.ByID()).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	for _, c := range cands {
		rec.Candidates = append(rec.Candidates, RecordCandidate{ID: c.ID, PostID: postOf[c.ElectionPostID], PersonID: c.PersonID,
			Name: c.Name, WriteIn: c.WriteIn, NominatedBy: c.NominatedBy, NominatedOn: c.NominatedOn, Eligibility: c.Eligibility,
			Status: c.Status.String(), ElectedInRound: c.ElectedInRound})
	}
	rounds, err := e.QueryRounds().Order(round.ByElectionPostID(), round.ByNumber()).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	for _, r := range rounds {
		rr, err := s.recordRound(ctx, r, postOf[r.ElectionPostID])
		if err != nil {
			return nil, Wrap(err)
		}
		rec.Rounds = append(rec.Rounds, rr)
	}
	if rec.AuditedRounds, err = s.auditedRounds(ctx, e.ID, postOf); err != nil {
		return nil, Wrap(err)
	}
	return rec, nil
}

// auditedRounds returns the rounds of election id the audit trail saw
// open, in order; postOf maps the election's posts to theirs.
func (s *Store) auditedRounds(ctx context.Context, id int, postOf map[int]int) ([]AuditedRound, error) {
	evs, err := s.Client.AuditEvent.Query().Where(auditevent.Action(actionRoundOpen), auditevent.Entity("Round")).
		Order(auditevent.BySeq()).Select(auditevent.FieldAfter).All(ctx)
	if err != nil {
		return nil, err
	}
	var out []AuditedRound
	for _, ev := range evs {
		var after struct {
			ID, ElectionID, ElectionPostID, Number int
		}
		if ev.After == nil {
			continue
		}
		if err := json.Unmarshal([]byte(*ev.After), &after); err != nil {
			return nil, fmt.Errorf("audit event %d: a round's opening: %w", ev.ID, err)
		}
		if after.ElectionID == id {
			out = append(out, AuditedRound{ID: after.ID, PostID: postOf[after.ElectionPostID], Number: after.Number})
		}
	}
	return out, nil
}

// recordRound reads one round of the record.
func (s *Store) recordRound(ctx context.Context, r *ent.Round, postID int) (RecordRound, error) {
	rr := RecordRound{ID: r.ID, PostID: postID, Number: r.Number, Seats: r.Seats, Status: r.Status.String(), Entitled: r.Entitled,
		Issued: r.Issued, Codes: r.Codes, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt, ChainHead: r.ChainHead}
	var err error
	if rr.Config, err = storedConfig(r); err != nil {
		return rr, err
	}
	if r.Status == round.StatusCLOSED {
		if rr.Result, err = RoundResult(r); err != nil {
			return rr, err
		}
		if r.Report != nil {
			rr.Report = *r.Report
		}
		if rr.AuditedHead, rr.AuditedCount, err = s.auditedClose(ctx, r.ID); err != nil {
			return rr, err
		}
	}
	rows, err := s.Client.Ballot.Query().Where(ballot.RoundID(r.ID)).Order(ballot.BySeq()).All(ctx)
	if err != nil {
		return rr, err
	}
	rr.Entries = make([]Entry, len(rows))
	for i, b := range rows {
		rr.Entries[i] = entryOf(b)
	}
	return rr, nil
}

// auditedClose returns the chain head and the count's hash the audit
// trail recorded when round id closed.
func (s *Store) auditedClose(ctx context.Context, id int) (head, count string, err error) {
	ev, err := s.Client.AuditEvent.Query().Where(auditevent.Action(actionRoundClose), auditevent.Entity("Round"),
		auditevent.EntityID(id)).Only(ctx)
	if err != nil || ev.After == nil {
		return "", "", fmt.Errorf("round %d: its close in the audit trail: %w", id, err)
	}
	var after struct {
		ChainHead string `json:"chainHead"`
		Count     string `json:"count"`
	}
	if err := json.Unmarshal([]byte(*ev.After), &after); err != nil {
		return "", "", fmt.Errorf("round %d: its close in the audit trail: %w", id, err)
	}
	return after.ChainHead, after.Count, nil
}

// RoundCheck is what re-counting one round found.
type RoundCheck struct {
	RoundID int    `json:"roundId"`
	PostID  int    `json:"postId"`
	Number  int    `json:"number"`
	Entries int    `json:"entries"`
	Head    string `json:"head"`
	// Problems lists every difference found; none when the stored count,
	// the ballots and the chain agree.
	Problems []string `json:"problems"`
}

// CheckRecord re-counts every closed round of an election record from
// its stored ballot entries and compares everything with what was
// stored: the chain (a changed, added or removed entry is named), the
// head against the round's and the audit trail's, the papers counted,
// each ballot's validity, and the count itself, stored and as the audit
// trail recorded it (its hash), so that a count rewritten with its
// configuration shows. An open round's chain is verified only. A round
// the audit trail saw open that the record lacks is a problem of its
// own, as is, once every post is decided, a count that calls for a
// further round the record lacks. It needs nothing but the record.
func CheckRecord(rec *ElectionRecord) []RoundCheck {
	out := make([]RoundCheck, len(rec.Rounds))
	for i, r := range rec.Rounds {
		c := RoundCheck{RoundID: r.ID, PostID: r.PostID, Number: r.Number, Entries: len(r.Entries), Head: r.ChainHead}
		if r.Status != round.StatusCLOSED.String() {
			if _, p := verifyChain(r.Entries, r.ChainHead); p != nil {
				c.Problems = append(c.Problems, p.Message)
			}
			out[i] = c
			continue
		}
		if r.AuditedHead != r.ChainHead {
			c.Problems = append(c.Problems, fmt.Sprintf("the round's chain head %s is not the one the audit trail recorded at its close, %s",
				r.ChainHead, r.AuditedHead))
		}
		res, standing, probs := countEntries(r.Config, r.Entries, r.ChainHead, rec.DoubleEntry)
		for _, p := range probs {
			c.Problems = append(c.Problems, p.Message)
		}
		if res != nil {
			c.Problems = append(c.Problems, compareStanding(r.Entries, standing, res.Ballots)...)
			c.Problems = append(c.Problems, compareCount(r.Result, res)...)
			if h := CountHash(res); h != r.AuditedCount {
				c.Problems = append(c.Problems, fmt.Sprintf("the re-count (hash %s) is not the count the audit trail recorded at the round's close (hash %s)",
					h, orNone(r.AuditedCount)))
			}
		}
		c.Problems = append(c.Problems, furtherRoundMissing(rec, r)...)
		out[i] = c
	}
	return append(out, missingRounds(rec)...)
}

// missingRounds returns a check for each round the audit trail saw open
// that the record lacks.
func missingRounds(rec *ElectionRecord) []RoundCheck {
	held := make(map[int]bool, len(rec.Rounds))
	for _, r := range rec.Rounds {
		held[r.ID] = true
	}
	var out []RoundCheck
	for _, a := range rec.AuditedRounds {
		if !held[a.ID] {
			out = append(out, RoundCheck{RoundID: a.ID, PostID: a.PostID, Number: a.Number,
				Problems: []string{fmt.Sprintf("round %d (id %d) opened in the audit trail, and is missing from the record", a.Number, a.ID)}})
		}
	}
	return out
}

// furtherRoundMissing names the further round closed round r's count
// calls for when the record lacks it although every post is decided.
func furtherRoundMissing(rec *ElectionRecord, r RecordRound) []string {
	decided := rec.Status == election.StatusCOUNTED.String() || rec.Status == election.StatusCERTIFIED.String()
	if !decided || r.Result == nil || r.Result.Next == nil {
		return nil
	}
	for _, o := range rec.Rounds {
		if o.PostID == r.PostID && o.Number == r.Number+1 {
			return nil
		}
	}
	return []string{fmt.Sprintf("its count calls for round %d, which the record lacks", r.Number+1)}
}

// orNone is s, or "none" when empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// compareStanding compares the stored standing entries and their
// validity with the re-count's.
func compareStanding(entries []Entry, standing []int, verdicts []tally.Verdict) []string {
	var probs []string
	verdict := make(map[int]tally.Verdict, len(standing))
	for i, at := range standing {
		verdict[at] = verdicts[i]
	}
	for i, e := range entries {
		v, counted := verdict[i]
		switch {
		case counted != e.Standing:
			probs = append(probs, fmt.Sprintf("ballot %s (entry %d): stored as counted %v, the re-count says %v", e.Serial, e.Seq, e.Standing, counted))
		case counted && (e.Valid == nil || *e.Valid != v.Valid):
			probs = append(probs, fmt.Sprintf("ballot %s (entry %d): stored validity differs from the re-count's (valid %v: %s)",
				e.Serial, e.Seq, v.Valid, v.Reason))
		}
	}
	return probs
}

// compareCount names each fact of the stored count that the re-count
// does not reproduce.
func compareCount(stored, got *tally.Result) []string {
	if stored == nil {
		return []string{"the round is closed but has no stored count"}
	}
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if stored.Returned != got.Returned || stored.Valid != got.Valid || stored.Void != got.Void {
		add("ballots: stored %d returned, %d valid, void %v; re-counted %d, %d, %v",
			stored.Returned, stored.Valid, stored.Void, got.Returned, got.Valid, got.Void)
	}
	counts := map[string]tally.CandidateCount{}
	for _, c := range stored.Candidates {
		counts[c.Candidate.ID] = c
	}
	for _, c := range got.Candidates {
		s, ok := counts[c.Candidate.ID]
		switch {
		case !ok:
			add("candidate %s: not in the stored count, re-counted %d for", c.Candidate.Name, c.For)
		case s.For != c.For || s.Against != c.Against || s.Outcome != c.Outcome:
			add("candidate %s: stored %d for, %d against, %s; re-counted %d for, %d against, %s",
				c.Candidate.Name, s.For, s.Against, s.Outcome, c.For, c.Against, c.Outcome)
		}
		delete(counts, c.Candidate.ID)
	}
	for _, s := range counts {
		add("candidate %s: in the stored count, not in the re-count", s.Candidate.Name)
	}
	if len(probs) == 0 {
		a, _ := json.Marshal(stored)
		b, _ := json.Marshal(got)
		if !slices.Equal(a, b) {
			add("the stored count differs from the re-count in its details (report, ballots or next round)")
		}
	}
	return probs
}
