package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

// lockedBuffer is a buffer two goroutines may share; ready is closed
// when what was written first contains signal.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	signal string
	ready  chan struct{}
	once   sync.Once
}

func newLockedBuffer(signal string) *lockedBuffer {
	return &lockedBuffer{signal: signal, ready: make(chan struct{})}
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.signal != "" && strings.Contains(b.buf.String(), b.signal) {
		b.once.Do(func() { close(b.ready) })
	}
	return n, err
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveUntilReady runs "registry serve" with args until it listens, hands
// its stdout to check while it serves, then stops it.
func serveUntilReady(t *testing.T, args []string, check func(stdout string)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := newLockedBuffer(""), newLockedBuffer("msg=listening")
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0", "-log-json=false"}, args...), stdout, stderr)
	}()
	select {
	case <-stderr.ready:
	case err := <-done:
		t.Fatalf("serve stopped before it listened: %v\n%s", err, stderr)
	}
	if check != nil {
		check(stdout.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr)
	}
	return stdout.String()
}

var (
	demoTokenLine = regexp.MustCompile(`(?m)^  (demo-admin|demo-secretary)\s+(.+?)\s+(reg_[A-Za-z0-9_-]{43})$`)
	curlLine      = regexp.MustCompile(`(?m)^  curl -s (http://\S+/graphql) -H 'Authorization: Bearer (reg_\S+)' -H 'Content-Type: application/json' -d '(.+)'$`)
)

// demoTokensIn returns the tokens serve -demo printed, by account.
func demoTokensIn(t *testing.T, stdout string) map[string]string {
	t.Helper()
	toks := map[string]string{}
	for _, m := range demoTokenLine.FindAllStringSubmatch(stdout, -1) {
		toks[m[1]] = m[3]
	}
	if len(toks) != 2 {
		t.Fatalf("serve -demo printed %d demo tokens, want 2:\n%s", len(toks), stdout)
	}
	return toks
}

// TestServeDemoPrintsTokensThatWork starts serve -demo on an empty
// database and sends each printed curl command's request, with its
// token, to the running server; a second start replaces the tokens; a
// start without -demo makes none.
func TestServeDemoPrintsTokensThatWork(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		db := storetest.NewDatabase(t, d)
		var first map[string]string
		serveUntilReady(t, []string{"-demo", "-db", db}, func(stdout string) {
			first = demoTokensIn(t, stdout)
			if !strings.Contains(stdout, "BRANCH_SECRETARY of Cardiology Branch") {
				t.Errorf("the secretary's scope is not shown:\n%s", stdout)
			}
			curls := curlLine.FindAllStringSubmatch(stdout, -1)
			if len(curls) != 2 {
				t.Fatalf("%d curl commands, want 2:\n%s", len(curls), stdout)
			}
			for _, c := range curls {
				url, token, body := c[1], c[2], c[3]
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(res.Body)
				res.Body.Close()
				var answer struct {
					Data   map[string]any
					Errors []any
				}
				if res.StatusCode != http.StatusOK || json.Unmarshal(got, &answer) != nil || len(answer.Errors) > 0 || len(answer.Data) == 0 {
					t.Errorf("curl with %s…: status %d, body %s", token[:10], res.StatusCode, got)
				}
			}
			page, err := http.Get(curls[0][1][:len(curls[0][1])-len("graphql")])
			if err != nil {
				t.Fatal(err)
			}
			html, _ := io.ReadAll(page.Body)
			page.Body.Close()
			if !strings.Contains(string(html), `\"Bearer `+first["demo-admin"]+`\"`) {
				t.Errorf("the GraphiQL page does not carry the demo administrator's token")
			}
		})

		// A second start on the seeded database: new tokens, the old
		// ones revoked.
		second := demoTokensIn(t, serveUntilReady(t, []string{"-demo", "-db", db}, nil))
		s := open(t, db)
		for account, tok := range first {
			if tok == second[account] {
				t.Errorf("%s: the second start printed the first token again", account)
			}
			if _, err := authenticate(t, s, tok); registry.KindOf(err) != registry.Unauthenticated {
				t.Errorf("%s: the first start's token still authenticates (%v)", account, err)
			}
		}
		cardiology := branchID(t, s, "Cardiology Branch")
		for account, want := range map[string]string{"demo-admin": "ADMIN", "demo-secretary": "BRANCH_SECRETARY"} {
			v, err := authenticate(t, s, second[account])
			if err != nil {
				t.Fatalf("%s: %v", account, err)
			}
			if v.Name != account || string(v.Role) != want {
				t.Errorf("viewer %v, want %s (%s)", v, account, want)
			}
		}
		if v, _ := authenticate(t, s, second["demo-secretary"]); !v.InScope(cardiology) || len(v.Scopes) != 1 {
			t.Errorf("the demo secretary's scopes are %v, want the Cardiology Branch (%d)", v.Scopes, cardiology)
		}

		// Without -demo nothing is made or printed.
		before, err := s.Client.Token.Query().Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out := serveUntilReady(t, []string{"-demo=false", "-db", db}, nil)
		if strings.Contains(out, "reg_") || strings.Contains(out, "curl") {
			t.Errorf("serve without -demo printed tokens:\n%s", out)
		}
		if after, _ := s.Client.Token.Query().Count(context.Background()); after != before {
			t.Errorf("serve without -demo made tokens: %d, then %d", before, after)
		}
		if _, err := authenticate(t, s, second["demo-admin"]); err != nil {
			t.Errorf("serve without -demo revoked the demo token: %v", err)
		}
	})
}

// TestDemoTokensWithoutTheDemoBranch: on data without the demo's
// Cardiology Branch there is an administrator's token only.
func TestDemoTokensWithoutTheDemoBranch(t *testing.T) {
	s := storetest.Open(t)
	toks, err := demoTokens(context.Background(), s, registry.System("test"))
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != 1 || toks[0].account != demoAdmin {
		t.Fatalf("demo tokens %+v, want the administrator's only", toks)
	}
	var out bytes.Buffer
	printDemoTokens(&out, "http://localhost:8080", toks)
	if !strings.Contains(out.String(), "no Cardiology Branch in this database") || strings.Count(out.String(), "curl -s") != 1 {
		t.Errorf("printed:\n%s", out.String())
	}
}
