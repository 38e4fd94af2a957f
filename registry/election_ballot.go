package registry

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/ballot"
	"github.com/societyregistry/registry/ent/ballotcode"
	"github.com/societyregistry/registry/ent/candidate"
	"github.com/societyregistry/registry/ent/round"
	"github.com/societyregistry/registry/ent/roundvoter"
	"github.com/societyregistry/registry/ent/spentcode"
	"github.com/societyregistry/registry/registry/tally"
)

// Ballots are entered and cast as entries appended to the round's hash
// chain (registry/tally's): each entry keeps the tally's canonical bytes
// of its serial and marks, and the chain's link after it, SHA-256 of the
// link before and those bytes. Nothing is ever changed in place: a
// teller's correction, or the second entry of a paper under double
// entry, is one more entry, and which entry counts for each paper is
// decided from the entries alone when the round closes (see [Papers]),
// so a re-count from the stored entries, or from an exported record,
// decides the same.

// BallotInput is one returned paper ballot as a teller reads it.
type BallotInput struct {
	// Serial is the number printed on the paper.
	Serial string `json:"serial" validate:"required,max=32,printascii"`
	// Copy numbers further papers found bearing the same serial: 2, 3.
	// The count invalidates them as duplicates; 0 means 1.
	Copy int `json:"copy" validate:"min=0,max=99"`
	// For and Against are the candidates marked so, by the ids of their
	// rows; a candidate in neither is left blank (abstain).
	For     []int `json:"for" validate:"max=1000"`
	Against []int `json:"against" validate:"max=1000"`
	// WriteIns are names written in, each a FOR vote.
	WriteIns []string `json:"writeIns" validate:"max=100,dive,max=100"`
	// Correct replaces this teller's earlier entry of the paper, or, with
	// single entry, anyone's.
	Correct bool `json:"correct"`
}

// EntryInput enters returned paper ballots of a round.
type EntryInput struct {
	RoundID int           `json:"roundId" validate:"required"`
	Ballots []BallotInput `json:"ballots" validate:"required,min=1,max=500,dive"`
}

// CodesInput issues ballot codes of a round to entitled voters: to the
// participants named, or to every voter who has none yet.
type CodesInput struct {
	RoundID        int   `json:"roundId" validate:"required"`
	ParticipantIDs []int `json:"participantIds" validate:"max=10000,unique,dive,required"`
}

// CastInput is a ballot a voter casts with a ballot code.
type CastInput struct {
	Code     string   `json:"code" validate:"required,max=64"`
	For      []int    `json:"for" validate:"max=1000"`
	Against  []int    `json:"against" validate:"max=1000"`
	WriteIns []string `json:"writeIns" validate:"max=100,dive,max=100"`
}

// Receipt is what casting a ballot returns: the ballot's serial, and a
// receipt code the voter keeps to find the ballot in the published
// record; only its hash is stored.
type Receipt struct {
	RoundID int
	Serial  string
	Code    string
}

// electronicTeller is how the record names who entered an electronic
// ballot: never the voter.
const electronicTeller = "ballot code"

// EnterBallots appends returned paper ballots of an open round, for the
// election's tellers, in one transaction recorded as "ballot.enter".
// Entering a paper again is a correction, and says so (Correct): with
// single entry, any earlier entry of the paper; with double entry, the
// teller's own, or a third entry once two tellers have entered it.
func (s *Store) EnterBallots(ctx context.Context, v *Viewer, in EntryInput) ([]*ent.Ballot, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out []*ent.Ballot
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		r, err := roundGuard(ctx, tx, in.RoundID, "roundId")
		if err != nil {
			return err
		}
		e, err := tellerOf(ctx, tx, v, r.ElectionID, "roundId")
		if err != nil {
			return err
		}
		var marked [][]int
		for _, b := range in.Ballots {
			marked = append(marked, b.For, b.Against)
		}
		ids, err := candidateIDs(ctx, r, marked...)
		if err != nil {
			return err
		}
		serials := make([]string, len(in.Ballots))
		for i, b := range in.Ballots {
			serials[i] = b.Serial
		}
		earlier, err := tx.Ballot.Query().Where(ballot.RoundID(r.ID), ballot.SerialIn(serials...)).
			Select(ballot.FieldSerial, ballot.FieldCopy, ballot.FieldEnteredBy, ballot.FieldElectronic).All(ctx)
		if err != nil {
			return err
		}
		papers := map[paperKey][]*ent.Ballot{}
		for _, b := range earlier {
			k := paperKey{b.Serial, b.Copy}
			papers[k] = append(papers[k], b)
		}
		entries := make([]entryIn, len(in.Ballots))
		for i, b := range in.Ballots {
			k := paperKey{b.Serial, max(b.Copy, 1)}
			if err := mayEnter(papers[k], v.Name, e.DoubleEntry, b.Correct, fmt.Sprintf("ballots[%d]", i)); err != nil {
				return err
			}
			entries[i] = entryIn{ballot: tally.Ballot{Serial: b.Serial, For: ids(b.For), Against: ids(b.Against), WriteIns: b.WriteIns},
				copy: k.copy, entry: len(papers[k]) + 1, by: v.Name, teller: &v.AccountID}
			papers[k] = append(papers[k], &ent.Ballot{EnteredBy: v.Name})
		}
		rows, err := appendEntries(ctx, tx, r, entries)
		if err != nil {
			return err
		}
		rec.Record(Change{Action: actionBallotEnter, Entity: "Round", EntityID: r.ID, After: entriesSnap(r, rows)})
		out = rows
		return nil
	})
	return out, err
}

// paperKey names one ballot paper of a round.
type paperKey struct {
	serial string
	copy   int
}

// mayEnter refuses an entry of a paper that is no first entry and does
// not say it corrects one. With double entry a teller's first entry of
// the paper is one, while fewer than two tellers have entered it, even
// when the other teller has corrected their own.
func mayEnter(earlier []*ent.Ballot, teller string, double, correct bool, field string) error {
	tellers := map[string]bool{}
	for _, b := range earlier {
		if b.Electronic {
			return Violation(field+".serial", "paperBallot", "serial %s is an electronic ballot's: it is cast, not entered", b.Serial)
		}
		tellers[b.EnteredBy] = true
	}
	first := len(earlier) == 0 || (double && !tellers[teller] && len(tellers) < 2)
	switch {
	case first && correct:
		return Violation(field+".correct", "nothingToCorrect", "this paper has no entry of yours to correct")
	case !first && !correct:
		c := E(Conflict, field+".serial", "the paper is entered already (%d entries, last by %s): set correct to replace an entry, "+
			"or give copy 2 for a second paper bearing the serial", len(earlier), earlier[len(earlier)-1].EnteredBy)
		c.Rule = "enteredOnce"
		return c
	}
	return nil
}

// candidateIDs returns a function turning candidate row ids into the
// round's ballot IDs, for the ids marked. The round's configuration lists
// its candidates' ballot IDs, a listed person's being its row's number;
// only the rows it does not list so are read, to find names written in
// that went on to this round. An id on no ballot of the round stays a
// number, so that the count finds the unknown candidate and invalidates
// the ballot.
func candidateIDs(ctx context.Context, r *ent.Round, marked ...[]int) (func([]int) []string, error) {
	cfg, err := storedConfig(r)
	if err != nil {
		return nil, err
	}
	listed := make(map[string]bool, len(cfg.Candidates))
	for _, c := range cfg.Candidates {
		listed[c.ID] = true
	}
	var others []int
	for _, ids := range marked {
		for _, id := range ids {
			if !listed[strconv.Itoa(id)] {
				others = append(others, id)
			}
		}
	}
	byRow := map[int]string{}
	if len(others) > 0 {
		rows, err := r.QueryCandidates().Where(candidate.IDIn(others...), candidate.WriteIn(true)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range rows {
			byRow[c.ID] = tallyID(c)
		}
	}
	return func(rows []int) []string {
		out := make([]string, len(rows))
		for i, id := range rows {
			if out[i] = byRow[id]; out[i] == "" {
				out[i] = strconv.Itoa(id)
			}
		}
		return out
	}, nil
}

// entryIn is one entry to append to a round's chain.
type entryIn struct {
	ballot      tally.Ballot
	copy, entry int
	by          string
	teller      *int
	electronic  bool
	receipt     *string
}

// appendEntries appends entries to round r's chain, whose row the caller
// holds as its guard, and moves the chain's head.
func appendEntries(ctx context.Context, tx *ent.Tx, r *ent.Round, entries []entryIn) ([]*ent.Ballot, error) {
	prev, err := chainHead(r.ChainHead)
	if err != nil {
		return nil, fmt.Errorf("round %d: %w", r.ID, err)
	}
	now := time.Now()
	rows := make([]*ent.BallotCreate, len(entries))
	var buf []byte
	for i, in := range entries {
		link := tally.Link(prev, in.ballot)
		buf = tally.AppendCanonical(buf[:0], in.ballot)
		rows[i] = tx.Ballot.Create().SetRoundID(r.ID).SetSeq(r.Entries + i + 1).SetSerial(in.ballot.Serial).SetCopy(in.copy).
			SetEntry(in.entry).SetMarks(string(buf)).SetElectronic(in.electronic).SetEnteredBy(in.by).
			SetNillableTellerID(in.teller).SetNillableReceiptHash(in.receipt).
			SetHash(link.String()).SetPrevHash(prev.String()).SetEnteredAt(now)
		prev = link
	}
	var out []*ent.Ballot
	for chunk := range chunks(rows, 500) {
		saved, err := tx.Ballot.CreateBulk(chunk...).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("round %d: enter ballots: %w", r.ID, err)
		}
		out = append(out, saved...)
	}
	if err := tx.Round.UpdateOneID(r.ID).AddEntries(len(entries)).SetChainHead(prev.String()).Exec(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// chainHead reads a round's stored chain head; "" is the genesis.
func chainHead(s string) (tally.Hash, error) {
	if s == "" {
		return tally.Hash{}, nil
	}
	return tally.ParseHash(s)
}

// entriesSnap is what the audit trail keeps of entries: where they sit
// in the chain, never their marks.
func entriesSnap(r *ent.Round, rows []*ent.Ballot) map[string]any {
	es := make([]any, len(rows))
	for i, b := range rows {
		es[i] = map[string]any{"seq": b.Seq, "serial": b.Serial, "copy": b.Copy, "entry": b.Entry, "hash": b.Hash}
	}
	return map[string]any{"roundId": r.ID, "entries": es, "chainHead": rows[len(rows)-1].Hash}
}

// IssueBallotCodes issues one-time ballot codes of an open round, for
// its tellers, in one transaction recorded as "round.codes": one to each
// participant named, or to every entitled voter without one, each voter
// at most once. The codes are returned once, in random order, and only
// their hashes are kept, with nothing that says whose each is.
func (s *Store) IssueBallotCodes(ctx context.Context, v *Viewer, in CodesInput) ([]string, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	return s.issueCodes(ctx, v, in, func(i int) string { return fmt.Sprintf("participantIds[%d]", i) })
}

// issueCodes issues ballot codes: by a teller, who names the voters in
// the input field that named returns, or, when named is nil, to the
// voter v, who is named by the round.
func (s *Store) issueCodes(ctx context.Context, v *Viewer, in CodesInput, named func(int) string) ([]string, error) {
	var out []string
	err := s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		r, err := roundGuard(ctx, tx, in.RoundID, "roundId")
		if err != nil {
			return err
		}
		field := named
		if named == nil {
			field = func(int) string { return "roundId" }
		} else if _, err := tellerOf(ctx, tx, v, r.ElectionID, "roundId"); err != nil {
			return err
		}
		voters, err := codeVoters(ctx, tx, r.ID, in.ParticipantIDs, field)
		if err != nil {
			return err
		}
		if err := atMostEntitled(r, r.Issued, len(voters), "roundId"); err != nil {
			return err
		}
		codes := make([]string, len(voters))
		rows := make([]*ent.BallotCodeCreate, len(voters))
		for i := range voters {
			if codes[i], err = newBallotCode(); err != nil {
				return err
			}
		}
		if err := shuffle(codes); err != nil {
			return err
		}
		for i, c := range codes {
			rows[i] = tx.BallotCode.Create().SetRoundID(r.ID).SetHash(hashCode(c))
		}
		for chunk := range chunks(rows, 1000) {
			if err := tx.BallotCode.CreateBulk(chunk...).Exec(ctx); err != nil {
				return fmt.Errorf("round %d: ballot codes: %w", r.ID, err)
			}
		}
		for chunk := range chunks(voters, 1000) {
			if err := tx.RoundVoter.Update().Where(roundvoter.IDIn(chunk...)).SetCodeIssued(true).Exec(ctx); err != nil {
				return err
			}
		}
		if err := tx.Round.UpdateOneID(r.ID).AddCodes(len(codes)).Exec(ctx); err != nil {
			return err
		}
		rec.Record(Change{Action: actionRoundCodes, Entity: "Round", EntityID: r.ID,
			After: map[string]any{"roundId": r.ID, "issued": len(codes), "participantIds": in.ParticipantIDs}})
		out = codes
		return nil
	})
	return out, err
}

// codeVoters returns the round's voter rows to issue codes to; field
// names the input that named the i-th participant.
func codeVoters(ctx context.Context, tx *ent.Tx, roundID int, named []int, field func(i int) string) ([]int, error) {
	if len(named) == 0 {
		return tx.RoundVoter.Query().Where(roundvoter.RoundID(roundID), roundvoter.CodeIssued(false)).
			Order(roundvoter.ByID()).IDs(ctx)
	}
	rows, err := tx.RoundVoter.Query().Where(roundvoter.RoundID(roundID), roundvoter.ParticipantIDIn(named...)).All(ctx)
	if err != nil {
		return nil, err
	}
	byParticipant := make(map[int]*ent.RoundVoter, len(rows))
	for _, rv := range rows {
		byParticipant[rv.ParticipantID] = rv
	}
	ids := make([]int, len(named))
	for i, p := range named {
		switch rv := byParticipant[p]; {
		case rv == nil:
			return nil, Violation(field(i), "entitled", "participant %d is not entitled to vote in this round", p)
		case rv.CodeIssued:
			c := E(Conflict, field(i), "participant %d has been issued a ballot code for this round already", p)
			c.Rule = "oneCode"
			return nil, c
		default:
			ids[i] = rv.ID
		}
	}
	return ids, nil
}

// CastBallot casts a ballot with a one-time ballot code, in one
// transaction recorded as "ballot.cast" by "ballot code": the code, not
// the caller, is the credential, and nothing records who cast it. A used
// code is ALREADY_VOTED; a closed round is VOTE_CLOSED.
func (s *Store) CastBallot(ctx context.Context, in CastInput) (*Receipt, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	hash := hashCode(in.Code)
	code, err := s.Client.BallotCode.Query().Where(ballotcode.Hash(hash)).Only(ctx)
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, E(NotFound, "code", "no ballot code matches: check it as printed")
		}
		return nil, Wrap(err)
	}
	out := &Receipt{RoundID: code.RoundID}
	err = s.InTx(ctx, &Viewer{Name: electronicTeller}, func(tx *ent.Tx, rec *Recorder) error {
		r, err := roundGuard(ctx, tx, code.RoundID, "code")
		if err != nil {
			return err
		}
		if err := spendCode(ctx, tx, r.ID, in.Code); err != nil {
			return err
		}
		ids, err := candidateIDs(ctx, r, in.For, in.Against)
		if err != nil {
			return err
		}
		serial, err := randomText(10)
		if err != nil {
			return err
		}
		receipt, err := newBallotCode()
		if err != nil {
			return err
		}
		receiptHash := hashCode(receipt)
		rows, err := appendEntries(ctx, tx, r, []entryIn{{
			ballot: tally.Ballot{Serial: "E" + serial, For: ids(in.For), Against: ids(in.Against), WriteIns: in.WriteIns},
			copy:   1, entry: 1, by: electronicTeller, electronic: true, receipt: &receiptHash,
		}})
		if err != nil {
			return err
		}
		rec.Record(Change{Action: actionBallotCast, Entity: "Round", EntityID: r.ID, After: entriesSnap(r, rows)})
		out.Serial, out.Code = rows[0].Serial, receipt
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BallotCodePrefix starts a ballot code presented as the bearer
// credential (Authorization: Bearer bal_K7QM-2XD9-HT4P-WB3R): the voter
// needs no account and no voter token, and the request names nobody.
const BallotCodePrefix = "bal_"

// spendCode records ballot code code of round roundID used, or refuses
// a used one: ALREADY_VOTED. It writes a SpentCode under the code's
// spent hash and leaves its BallotCode untouched, so that the casting
// transaction leaves no mark on the row issued.
func spendCode(ctx context.Context, tx *ent.Tx, roundID int, code string) error {
	spent := spentHash(code)
	used, err := tx.SpentCode.Query().Where(spentcode.Hash(spent)).Exist(ctx)
	if err == nil && !used {
		err = tx.SpentCode.Create().SetRoundID(roundID).SetHash(spent).Exec(ctx)
		used = ent.IsConstraintError(err)
	}
	if used {
		c := E(AlreadyVoted, "code", "this ballot code has been used: a code casts one ballot")
		c.Rule = "oneBallot"
		return c
	}
	return err
}

// spentHash is the hash a used code is recorded under: another than its
// issued hash, so that only the code ties the two.
func spentHash(code string) string {
	return hashCode("spent:" + code)
}

// ballotCodeViewer returns the viewer of an unused ballot code of an
// open round, or UNAUTHENTICATED.
func (s *Store) ballotCodeViewer(ctx context.Context, code string) (*Viewer, error) {
	ok, err := s.Client.BallotCode.Query().Where(ballotcode.Hash(hashCode(code)),
		ballotcode.HasRoundWith(round.StatusEQ(round.StatusOPEN), round.Not(round.HasCodesSpentWith(spentcode.Hash(spentHash(code)))))).Exist(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	if !ok {
		return nil, E(Unauthenticated, "", "the ballot code is unknown, used, or of a closed round")
	}
	return &Viewer{Name: electronicTeller, Role: RoleVoter, BallotCode: code, orgs: map[int]bool{}}, nil
}

// RequestBallotCode issues a voter, who presents their own voter token,
// a ballot code of an open round they are entitled to, once, in one
// transaction recorded as "round.codes". Only the code's hash is kept,
// with nothing that says it is theirs; they cast with it as the bearer
// credential, so that the ballot's request names nobody either.
func (s *Store) RequestBallotCode(ctx context.Context, v *Viewer, roundID int) (string, error) {
	if v == nil {
		return "", unauthenticated()
	}
	if v.Participant == 0 {
		return "", E(Forbidden, "roundId", "only a voter, with their own voter token, requests a ballot code; tellers issue them (issueBallotCodes)")
	}
	codes, err := s.issueCodes(ctx, v, CodesInput{RoundID: roundID, ParticipantIDs: []int{v.Participant}}, nil)
	if err != nil {
		return "", err
	}
	return codes[0], nil
}

// BallotByReceipt returns the electronic ballot a receipt code was given
// for, or nil: the receipt is the credential, as the code was.
func (s *Store) BallotByReceipt(ctx context.Context, receipt string) (*ent.Ballot, error) {
	b, err := s.Client.Ballot.Query().Where(ballot.ReceiptHash(hashCode(receipt))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return b, err
}

// The alphabet of ballot codes, receipts and electronic serials:
// Crockford's base 32, with no I, L, O or U to misread.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newBallotCode returns a fresh code of 80 random bits, written as four
// groups of four: K7QM-2XD9-HT4P-WB3R.
func newBallotCode() (string, error) {
	s, err := randomText(16)
	if err != nil {
		return "", err
	}
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16], nil
}

// randomText returns n random characters of codeAlphabet.
func randomText(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("registry: random: %w", err)
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]%32]
	}
	return string(b), nil
}

// hashCode is the stored form of a ballot or receipt code: the SHA-256,
// in hex, of the code in capitals without dashes or spaces, so that a
// voter may type it either way.
func hashCode(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	h := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(h[:])
}

// shuffle puts s in a random order (Fisher–Yates on crypto/rand), so
// that the order codes are stored in says nothing of the voters'.
func shuffle(s []string) error {
	for i := len(s) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return fmt.Errorf("registry: random: %w", err)
		}
		s[i], s[int(j.Int64())] = s[int(j.Int64())], s[i]
	}
	return nil
}

// BallotPaper is a ballot a voter may cast: its round, the title of the
// post balloted for, and the names on it in ballot order (a candidate
// withdrawn since the round opened left it).
type BallotPaper struct {
	Round      *ent.Round
	Post       string
	WriteIns   bool
	Candidates []*ent.Candidate
}

// Ballots returns the ballots voter v may cast, so that they read what
// they vote on and nothing else of the organization: for a ballot code
// presented as the credential, its round's; for a voter token, each open
// round the voter is entitled to. Any other viewer has none here: they
// read rounds through their elections.
func (s *Store) Ballots(ctx context.Context, v *Viewer) ([]BallotPaper, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	q := s.Client.Round.Query().Where(round.StatusEQ(round.StatusOPEN))
	switch {
	case v.BallotCode != "":
		q.Where(round.HasCodesIssuedWith(ballotcode.Hash(hashCode(v.BallotCode))),
			round.Not(round.HasCodesSpentWith(spentcode.Hash(spentHash(v.BallotCode)))))
	case v.Participant != 0:
		q.Where(round.HasVotersWith(roundvoter.ParticipantID(v.Participant)))
	default:
		return nil, nil
	}
	rounds, err := q.WithElectionPost(func(q *ent.ElectionPostQuery) { q.WithPost() }).WithCandidates().Order(round.ByID()).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	out := make([]BallotPaper, len(rounds))
	for i, r := range rounds {
		if out[i], err = ballotPaper(r); err != nil {
			return nil, Wrap(err)
		}
	}
	return out, nil
}

// ballotPaper lays out round r's ballot from its configuration, with its
// post and candidates loaded.
func ballotPaper(r *ent.Round) (BallotPaper, error) {
	cfg, err := storedConfig(r)
	if err != nil {
		return BallotPaper{}, err
	}
	byID := make(map[string]*ent.Candidate, len(r.Edges.Candidates))
	for _, c := range r.Edges.Candidates {
		byID[tallyID(c)] = c
	}
	p := BallotPaper{Round: r, Post: r.Edges.ElectionPost.Edges.Post.Title, WriteIns: cfg.WriteIns}
	for _, c := range cfg.Candidates {
		if row := byID[c.ID]; row != nil && row.Status != candidate.StatusWITHDRAWN {
			p.Candidates = append(p.Candidates, row)
		}
	}
	return p, nil
}
