package tally

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Hash is a link of a round's ballot chain: the SHA-256 of the previous
// link followed by a ballot's canonical encoding. The chain of a round
// starts from the zero Hash (32 zero bytes), its genesis; the link after
// the last ballot is the chain's head, published with the result.
type Hash [sha256.Size]byte

// String writes h in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText writes h in lower-case hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads h from hex.
func (h *Hash) UnmarshalText(text []byte) error {
	p, err := ParseHash(string(text))
	*h = p
	return err
}

// ParseHash reads a Hash from its hex form.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, fmt.Errorf("tally: hash %q: want %d hex digits", s, 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("tally: hash %q: %w", s, err)
	}
	return h, nil
}

// AppendCanonical appends the canonical encoding of b to dst: JSON with
// the keys sorted and no space, every key present,
//
//	{"against":["7"],"for":["12","3"],"serial":"A0001","writeIns":["Li Si"]}
//
// each list sorted by bytes (a repeated ID kept), names written in
// trimmed, with runs of spaces collapsed, and empty ones dropped. Two
// entries of one paper ballot that differ only in the order of their
// marks encode the same, so double entry compares encodings; and [Count]
// gives a ballot and its decoded encoding the same verdict. These are the
// bytes to store and the bytes the chain hashes.
func AppendCanonical(dst []byte, b Ballot) []byte {
	dst = append(dst, `{"against":`...)
	dst = appendSorted(dst, b.Against)
	dst = append(dst, `,"for":`...)
	dst = appendSorted(dst, b.For)
	dst = append(dst, `,"serial":`...)
	dst = appendString(dst, b.Serial)
	dst = append(dst, `,"writeIns":`...)
	names := make([]string, 0, len(b.WriteIns))
	for _, n := range b.WriteIns {
		if n = normalName(n); n != "" {
			names = append(names, n)
		}
	}
	dst = appendSorted(dst, names)
	return append(dst, '}')
}

// appendSorted appends ss, sorted, as a JSON array, sorting a copy only
// when ss is out of order.
func appendSorted(dst []byte, ss []string) []byte {
	if !slices.IsSorted(ss) {
		ss = slices.Sorted(slices.Values(ss))
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

// appendString appends s as a JSON string: quote and backslash escaped,
// control characters as \n, \r, \t or \u00XX, everything else as UTF-8,
// invalid bytes replaced by U+FFFD. Runs of plain ASCII, the usual IDs
// and serials, are copied whole.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	plain := 0 // s[plain:i] is still to be copied
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\' {
			i++
			continue
		}
		dst = append(dst, s[plain:i]...)
		r, size := utf8.DecodeRuneInString(s[i:])
		dst = appendRune(dst, r)
		i += size
		plain = i
	}
	dst = append(dst, s[plain:]...)
	return append(dst, '"')
}

// appendRune appends r, escaped as JSON needs.
func appendRune(dst []byte, r rune) []byte {
	const hexDigits = "0123456789abcdef"
	switch {
	case r == '"' || r == '\\':
		return append(dst, '\\', byte(r))
	case r == '\n':
		return append(dst, '\\', 'n')
	case r == '\r':
		return append(dst, '\\', 'r')
	case r == '\t':
		return append(dst, '\\', 't')
	case r < 0x20:
		return append(dst, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&0xf])
	}
	return utf8.AppendRune(dst, r) // U+FFFD for invalid bytes
}

// DecodeBallot reads a ballot from its canonical encoding, refusing bytes
// that are not exactly the canonical encoding of what they hold: stored
// bytes altered by hand fail here even when they still parse.
func DecodeBallot(data []byte) (Ballot, error) {
	var b Ballot
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&b); err != nil {
		return Ballot{}, fmt.Errorf("tally: ballot: %w", err)
	}
	if !bytes.Equal(AppendCanonical(nil, b), data) {
		return Ballot{}, fmt.Errorf("tally: ballot %s: not in canonical form", b.Serial)
	}
	return b, nil
}

// Link returns the chain's link after ballot b, given the link before it:
// SHA-256(prev || canonical encoding of b).
func Link(prev Hash, b Ballot) Hash {
	var buf []byte
	return link(prev, b, &buf)
}

// link is Link encoding into *buf, which it reuses and grows.
func link(prev Hash, b Ballot, buf *[]byte) Hash {
	*buf = AppendCanonical(append((*buf)[:0], prev[:]...), b)
	return sha256.Sum256(*buf)
}

// Chain returns the link after each ballot, in entry order, from the
// genesis (the zero Hash). The last link is the head.
func Chain(ballots []Ballot) []Hash {
	links := make([]Hash, len(ballots))
	var prev Hash
	var buf []byte
	for i, b := range ballots {
		prev = link(prev, b, &buf)
		links[i] = prev
	}
	return links
}

// Head returns the head of the chain over ballots: the link after the
// last one, or the genesis (the zero Hash) when there is none.
func Head(ballots []Ballot) Hash {
	var prev Hash
	var buf []byte
	for _, b := range ballots {
		prev = link(prev, b, &buf)
	}
	return prev
}

// ChainError names the first ballot whose stored link does not match the
// chain recomputed from the ballots: that ballot, or its link, changed.
type ChainError struct {
	// Index is the ballot's position in entry order, from 0; it is
	// len(ballots) when a link is stored for a ballot that is missing.
	Index int
	// Serial is the ballot's serial ("" when it is missing).
	Serial string
	// Reason says what does not match.
	Reason string
}

// Error names the ballot and what does not match.
func (e *ChainError) Error() string {
	return fmt.Sprintf("tally: chain: ballot %d (serial %q) %s", e.Index, e.Serial, e.Reason)
}

// Verify recomputes the chain over ballots and checks it against the
// links stored for them, one per ballot in entry order. It returns nil
// when every link matches, else a [*ChainError] naming the first ballot
// that does not. The caller also compares [Head] with the published head.
func Verify(ballots []Ballot, links []Hash) error {
	var prev Hash
	var buf []byte
	for i, b := range ballots {
		prev = link(prev, b, &buf)
		switch {
		case i >= len(links):
			return &ChainError{Index: i, Serial: b.Serial, Reason: "has no stored link"}
		case links[i] != prev:
			return &ChainError{Index: i, Serial: b.Serial, Reason: fmt.Sprintf("hashes to %s, its stored link is %s", prev, links[i])}
		}
	}
	if len(links) > len(ballots) {
		return &ChainError{Index: len(ballots), Reason: "is missing: a link is stored for it"}
	}
	return nil
}
