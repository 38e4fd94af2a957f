package tally

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCanonicalEncodingIsFixed(t *testing.T) {
	for _, c := range []struct {
		name string
		b    Ballot
		want string
	}{
		{"blank", Ballot{Serial: "A1"}, `{"against":[],"for":[],"serial":"A1","writeIns":[]}`},
		{"lists sorted by bytes, repeats kept", Ballot{Serial: "A2", For: []string{"12", "3", "12"}, Against: []string{"7"}},
			`{"against":["7"],"for":["12","12","3"],"serial":"A2","writeIns":[]}`},
		{"names written in trimmed and collapsed, empty ones dropped", Ballot{Serial: "A3", WriteIns: []string{" Zhao  Lei", "", "  ", "Li Si "}},
			`{"against":[],"for":[],"serial":"A3","writeIns":["Li Si","Zhao Lei"]}`},
		{"JSON escapes", Ballot{Serial: "q\"\\\n\t\x01é张"}, `{"against":[],"for":[],"serial":"q\"\\\n\t\u0001é张","writeIns":[]}`},
		{"invalid UTF-8 replaced", Ballot{Serial: "a\xffb"}, `{"against":[],"for":[],"serial":"a` + "\uFFFD" + `b","writeIns":[]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(AppendCanonical(nil, c.b)); got != c.want {
				t.Errorf("AppendCanonical = %s, want %s", got, c.want)
			}
		})
	}
}

func TestCanonicalEncodingIgnoresTheOrderOfMarks(t *testing.T) {
	one := Ballot{Serial: "9", For: []string{"a", "b"}, Against: []string{"c", "d"}, WriteIns: []string{"Li Si", "Zhao Lei"}}
	other := Ballot{Serial: "9", For: []string{"b", "a"}, Against: []string{"d", "c"}, WriteIns: []string{"Zhao Lei", " Li Si"}}
	if a, b := AppendCanonical(nil, one), AppendCanonical(nil, other); string(a) != string(b) {
		t.Errorf("two entries of one ballot encode as\n%s\n%s", a, b)
	}
	if Link(Hash{}, one) != Link(Hash{}, other) {
		t.Error("two entries of one ballot hash differently")
	}
}

func TestDecodeBallotReadsOnlyCanonicalBytes(t *testing.T) {
	b := Ballot{Serial: "S1", For: []string{"a", "b"}, Against: []string{"c"}, WriteIns: []string{"Li Si"}}
	data := AppendCanonical(nil, b)
	got, err := DecodeBallot(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("decoded ballot mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		`{"against":[],"for":["b","a"],"serial":"S1","writeIns":[]}`,
		`{"for":[],"against":[],"serial":"S1","writeIns":[]}`,
		`{"against":[], "for":[],"serial":"S1","writeIns":[]}`,
		`{"against":[],"for":[],"serial":"S1","writeIns":[],"extra":1}`,
		`{"against":[],"for":[],"serial":"S1","writeIns":[" Li Si"]}`,
		`{"against":[],"for":[],"serial":"S1"}`,
		`not json`,
	} {
		if _, err := DecodeBallot([]byte(bad)); err == nil {
			t.Errorf("DecodeBallot(%s) accepted non-canonical bytes", bad)
		}
	}
}

func TestChainLinksHashThePreviousLinkAndTheBallot(t *testing.T) {
	bs := ballots(batch{n: 3, for_: []string{"a"}})
	links := Chain(bs)
	prev := Hash{} // the genesis
	for i, b := range bs {
		want := sha256.Sum256(append(prev[:], AppendCanonical(nil, b)...))
		if links[i] != want {
			t.Errorf("link %d = %s, want sha256(prev || canonical) = %s", i, links[i], Hash(want))
		}
		prev = want
	}
	if Head(bs) != links[2] || Head(nil) != (Hash{}) {
		t.Errorf("head %s, want the last link %s; head of none %s, want the genesis", Head(bs), links[2], Head(nil))
	}
	h, err := ParseHash(links[1].String())
	if err != nil || h != links[1] {
		t.Errorf("ParseHash(String()) = %s, %v", h, err)
	}
	if _, err := ParseHash("abc"); err == nil {
		t.Error("ParseHash accepted a short hash")
	}
}

func TestVerifyNamesTheFirstChangedBallot(t *testing.T) {
	bs := ballots(batch{n: 5, for_: []string{"a"}})
	links := Chain(bs)
	if err := Verify(bs, links); err != nil {
		t.Fatalf("the untouched chain: %v", err)
	}
	changed := func(i int, b Ballot) []Ballot {
		out := append([]Ballot(nil), bs...)
		out[i] = b
		return out
	}
	for _, c := range []struct {
		name       string
		ballots    []Ballot
		links      []Hash
		wantIndex  int
		wantSerial string
	}{
		{"a changed mark", changed(2, Ballot{Serial: "S0003", For: []string{"b"}}), links, 2, "S0003"},
		{"a changed serial", changed(3, Ballot{Serial: "S9999", For: []string{"a"}}), links, 3, "S9999"},
		{"ballots swapped", changed(0, bs[1]), links, 0, "S0002"},
		{"a ballot removed", bs[:4], links, 4, ""},
		{"a ballot added", append(append([]Ballot(nil), bs...), Ballot{Serial: "S0006"}), links, 5, "S0006"},
		{"a link changed", bs, append(append([]Hash(nil), links[:1]...), links[2:]...), 1, "S0002"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ce *ChainError
			if err := Verify(c.ballots, c.links); !errors.As(err, &ce) || ce.Index != c.wantIndex || ce.Serial != c.wantSerial {
				t.Errorf("Verify = %v, want ballot %d (%q) named", err, c.wantIndex, c.wantSerial)
			}
		})
	}
}
