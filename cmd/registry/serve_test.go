package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
	"github.com/societyregistry/registry/server"
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

// TestServeLimitFlags reads every limit from its flag, else from its
// environment variable, else from the packages' defaults.
func TestServeLimitFlags(t *testing.T) {
	defaults := limits{
		graph:   graph.Limits{MaxTokens: 2000, MaxDepth: 12, MaxAliases: 15, MaxFields: 300, MaxCost: 5000},
		maxBody: 64 << 10, maxImportBody: 8 << 20, timeout: 5 * time.Second,
		rateOn: true, rate: server.RateLimit{PerToken: 20, TokenBurst: 60, PerIP: 50, IPBurst: 120},
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want func(*limits)
	}{
		{"defaults", nil, nil, func(*limits) {}},
		{"flags", nil, []string{
			"-max-body", "1000", "-max-import-body", "2000", "-max-tokens", "3", "-max-depth", "4", "-max-aliases", "5",
			"-max-fields", "6", "-max-cost", "7", "-timeout", "8s", "-rate-limit=false", "-rate-token", "0.5",
			"-rate-token-burst", "9", "-rate-ip", "10", "-rate-ip-burst", "11", "-client-ip-header", "X-Real-IP",
		}, func(l *limits) {
			l.maxBody, l.maxImportBody, l.timeout, l.rateOn = 1000, 2000, 8*time.Second, false
			l.graph = graph.Limits{MaxTokens: 3, MaxDepth: 4, MaxAliases: 5, MaxFields: 6, MaxCost: 7}
			l.rate = server.RateLimit{PerToken: 0.5, TokenBurst: 9, PerIP: 10, IPBurst: 11, ClientIPHeader: "X-Real-IP"}
		}},
		{"environment", map[string]string{
			"REGISTRY_MAX_BODY": "1000", "REGISTRY_MAX_IMPORT_BODY": "2000", "REGISTRY_MAX_TOKENS": "3", "REGISTRY_MAX_DEPTH": "4",
			"REGISTRY_MAX_ALIASES": "5", "REGISTRY_MAX_FIELDS": "6", "REGISTRY_MAX_COST": "7", "REGISTRY_TIMEOUT": "8s",
			"REGISTRY_RATE_LIMIT": "false", "REGISTRY_RATE_TOKEN": "0.5", "REGISTRY_RATE_TOKEN_BURST": "9", "REGISTRY_RATE_IP": "10",
			"REGISTRY_RATE_IP_BURST": "11", "REGISTRY_CLIENT_IP_HEADER": "X-Forwarded-For",
		}, nil, func(l *limits) {
			l.maxBody, l.maxImportBody, l.timeout, l.rateOn = 1000, 2000, 8*time.Second, false
			l.graph = graph.Limits{MaxTokens: 3, MaxDepth: 4, MaxAliases: 5, MaxFields: 6, MaxCost: 7}
			l.rate = server.RateLimit{PerToken: 0.5, TokenBurst: 9, PerIP: 10, IPBurst: 11, ClientIPHeader: "X-Forwarded-For"}
		}},
		{"a flag over its variable", map[string]string{"REGISTRY_MAX_DEPTH": "4"}, []string{"-max-depth", "20"},
			func(l *limits) { l.graph.MaxDepth = 20 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fs, _ := newFlags("serve", io.Discard)
			got := limitFlags(fs)
			if err := parse(fs, tt.args); err != nil {
				t.Fatal(err)
			}
			if err := got.check(); err != nil {
				t.Fatal(err)
			}
			want := defaults
			tt.want(&want)
			if diff := cmp.Diff(want, *got, cmp.AllowUnexported(limits{})); diff != "" {
				t.Errorf("limits mismatch (-want +got):\n%s", diff)
			}
			var cfg server.Config
			got.apply(&cfg)
			if cfg.MaxBodyBytes != want.maxBody || cfg.Timeout != want.timeout || cfg.RateLimit.Off == want.rateOn ||
				cfg.RateLimit.TokenBurst != want.rate.TokenBurst {
				t.Errorf("server config %+v does not carry the limits %+v", cfg, want)
			}
		})
	}
}

func TestServeLimitFlagsRefuseZero(t *testing.T) {
	for _, flag := range []string{"max-body", "max-import-body", "max-tokens", "max-depth", "max-aliases", "max-fields",
		"max-cost", "timeout", "rate-token", "rate-token-burst", "rate-ip", "rate-ip-burst"} {
		value := "0"
		if flag == "timeout" {
			value = "0s"
		}
		fs, _ := newFlags("serve", io.Discard)
		l := limitFlags(fs)
		if err := parse(fs, []string{"-" + flag, value}); err != nil {
			t.Fatal(err)
		}
		if err := l.check(); err == nil || !strings.Contains(err.Error(), "-"+flag) {
			t.Errorf("-%s %s: %v, want an error naming the flag", flag, value, err)
		}
	}
}

// TestServeHelpListsEveryLimit: each limit's flag is in -help with its
// environment variable and default.
func TestServeHelpListsEveryLimit(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"serve", "-help"}, io.Discard, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("serve -help: %v", err)
	}
	for _, want := range []string{
		"-max-body int", "REGISTRY_MAX_BODY) (default 65536)",
		"-max-import-body int", "REGISTRY_MAX_IMPORT_BODY) (default 8388608)",
		"-max-tokens int", "REGISTRY_MAX_TOKENS) (default 2000)",
		"-max-depth int", "REGISTRY_MAX_DEPTH) (default 12)",
		"-max-aliases int", "REGISTRY_MAX_ALIASES) (default 15)",
		"-max-fields int", "REGISTRY_MAX_FIELDS) (default 300)",
		"-max-cost int", "REGISTRY_MAX_COST) (default 5000)",
		"-timeout duration", "REGISTRY_TIMEOUT) (default 5s)",
		"-rate-limit", "REGISTRY_RATE_LIMIT) (default true)",
		"-rate-token float", "REGISTRY_RATE_TOKEN) (default 20)",
		"-rate-token-burst int", "REGISTRY_RATE_TOKEN_BURST) (default 60)",
		"-rate-ip float", "REGISTRY_RATE_IP) (default 50)",
		"-rate-ip-burst int", "REGISTRY_RATE_IP_BURST) (default 120)",
		"-client-ip-header string", "REGISTRY_CLIENT_IP_HEADER)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-help lacks %q", want)
		}
	}
}

// TestServeAppliesTheLimitFlags starts the server with a depth limit of
// 2 and a token bucket of 2, and sends it real requests.
func TestServeAppliesTheLimitFlags(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		db := storetest.NewDatabase(t, d)
		args := []string{"-demo", "-db", db, "-max-depth", "2", "-rate-token", "0.001", "-rate-token-burst", "2"}
		serveUntilReady(t, args, func(stdout string) {
			token := demoTokensIn(t, stdout)["demo-admin"]
			url := curlLine.FindStringSubmatch(stdout)[1]
			post := func(query string) (int, string) {
				body, _ := json.Marshal(map[string]string{"query": query})
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var answer struct {
					Errors []struct{ Extensions map[string]any }
				}
				got, _ := io.ReadAll(res.Body)
				if err := json.Unmarshal(got, &answer); err != nil {
					t.Fatalf("body %s: %v", got, err)
				}
				code := ""
				if len(answer.Errors) > 0 {
					code, _ = answer.Errors[0].Extensions["code"].(string)
				}
				return res.StatusCode, code
			}
			if _, code := post(`{ viewer { scopes { parent { name } } } }`); code != "QUERY_TOO_COMPLEX" {
				t.Errorf("depth 3: code %q, want QUERY_TOO_COMPLEX", code)
			}
			if status, code := post(`{ viewer { name } }`); status != http.StatusOK || code != "" {
				t.Errorf("second request: %d %q, want 200 and no error", status, code)
			}
			if status, code := post(`{ viewer { name } }`); status != http.StatusTooManyRequests || code != "RATE_LIMITED" {
				t.Errorf("third request: %d %q, want 429 RATE_LIMITED", status, code)
			}
		})
	})
}

// TestServePprof starts the server with -pprof on a loopback address and
// reads a profile index from it; the API's listener has no such route,
// and an address other machines could reach is refused.
func TestServePprof(t *testing.T) {
	db := storetest.NewDatabase(t, storetest.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := newLockedBuffer("msg=listening")
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-db", db, "-pprof", "127.0.0.1:0"}, io.Discard, stderr)
	}()
	select {
	case <-stderr.ready:
	case err := <-done:
		t.Fatalf("serve stopped before it listened: %v\n%s", err, stderr)
	}
	addrs := regexp.MustCompile(`msg="?(profiler listening|listening)"? addr=(\S+)`).FindAllStringSubmatch(stderr.String(), -1)
	if len(addrs) != 2 {
		t.Fatalf("want the profiler's and the API's addresses in the log:\n%s", stderr)
	}
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("http://" + addrs[0][2] + "/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("profiler index: %d %.200s", code, body)
	}
	if code, _ := get("http://" + addrs[1][2] + "/debug/pprof/"); code == http.StatusOK {
		t.Errorf("the API's listener serves the profiler")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr)
	}
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", db, "-pprof", "0.0.0.0:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("-pprof 0.0.0.0:0: %v, want a refusal", err)
	}
}
