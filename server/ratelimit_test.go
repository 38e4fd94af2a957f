package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/societyregistry/registry/registry"
)

// clock is a settable time for the rate limits.
type clock struct{ t time.Time }

func newClock() *clock                   { return &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} }
func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// limitedHandler serves cfg with the stub authenticator, a fake executor
// and clk as the rate limits' clock.
func limitedHandler(t *testing.T, cfg Config, clk *clock) (http.Handler, *fakeExec) {
	t.Helper()
	exec := &fakeExec{}
	cfg.Exec = exec
	if cfg.Authenticate == nil {
		cfg.Authenticate = stubAuthenticate
	}
	cfg.Logger = slog.New(slog.DiscardHandler)
	s := newServer(cfg)
	s.now = clk.now
	return s.handler(), exec
}

// send posts a query to /graphql from addr with token ("" for none).
func send(h http.Handler, addr, token string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ hello }"}`))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = addr
	if token != "" {
		bearer(r, token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkRateLimited asserts a 429 with RATE_LIMITED and Retry-After.
func checkRateLimited(t *testing.T, w *httptest.ResponseRecorder, retryAfter string) {
	t.Helper()
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("status = %d, want 429; body %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Retry-After"); got != retryAfter {
		t.Errorf("Retry-After = %q, want %q", got, retryAfter)
	}
	if got := errorCode(t, w); got != "RATE_LIMITED" {
		t.Errorf("code = %q, want RATE_LIMITED", got)
	}
}

func TestRateLimitPerToken(t *testing.T) {
	clk := newClock()
	h, exec := limitedHandler(t, Config{RateLimit: RateLimit{PerToken: 1, TokenBurst: 2}}, clk)
	const addr = "192.0.2.1:1234"
	for i := range 2 {
		if w := send(h, addr, readerToken); w.Code != http.StatusOK {
			t.Fatalf("request %d: status %d; body %s", i+1, w.Code, w.Body)
		}
	}
	checkRateLimited(t, send(h, addr, readerToken), "1")
	if n := exec.count(); n != 2 {
		t.Errorf("executed %d times, want 2", n)
	}
	// Another token has a bucket of its own, from the same address.
	if w := send(h, addr, adminToken); w.Code != http.StatusOK {
		t.Errorf("another token: status %d", w.Code)
	}
	// A refused request took nothing: a second later one more is allowed.
	clk.advance(time.Second)
	if w := send(h, addr, readerToken); w.Code != http.StatusOK {
		t.Errorf("a second later: status %d; body %s", w.Code, w.Body)
	}
	checkRateLimited(t, send(h, addr, readerToken), "1")
}

func TestRateLimitRetryAfterRoundsUp(t *testing.T) {
	clk := newClock()
	h, _ := limitedHandler(t, Config{RateLimit: RateLimit{PerToken: 0.4, TokenBurst: 1}}, clk)
	send(h, "192.0.2.1:1", readerToken)
	checkRateLimited(t, send(h, "192.0.2.1:1", readerToken), "3") // 2.5 s
	clk.advance(2 * time.Second)
	checkRateLimited(t, send(h, "192.0.2.1:1", readerToken), "1") // 0.5 s
	clk.advance(500 * time.Millisecond)
	if w := send(h, "192.0.2.1:1", readerToken); w.Code != http.StatusOK {
		t.Errorf("after the wait: status %d", w.Code)
	}
}

// TestRateLimitPerIPBeforeAuthentication: an address's bucket counts
// every request, with a token or without, and a refused one never
// reaches the authenticator.
func TestRateLimitPerIPBeforeAuthentication(t *testing.T) {
	clk := newClock()
	var asked atomic.Int64
	auth := func(ctx context.Context, token string) (*registry.Viewer, error) {
		asked.Add(1)
		return stubAuthenticate(ctx, token)
	}
	h, _ := limitedHandler(t, Config{Authenticate: auth, RateLimit: RateLimit{PerIP: 1, IPBurst: 3}}, clk)
	const addr = "198.51.100.7:5000"
	if w := send(h, addr, "reg_guess"); w.Code != http.StatusUnauthorized {
		t.Fatalf("bad token: status %d", w.Code)
	}
	if w := send(h, addr, ""); w.Code != http.StatusUnauthorized {
		t.Fatalf("no token: status %d", w.Code)
	}
	if w := send(h, addr, readerToken); w.Code != http.StatusOK {
		t.Fatalf("reader: status %d", w.Code)
	}
	checkRateLimited(t, send(h, addr, adminToken), "1")
	if n := asked.Load(); n != 2 {
		t.Errorf("the authenticator was asked %d times, want 2", n)
	}
	if w := send(h, "198.51.100.8:5000", adminToken); w.Code != http.StatusOK {
		t.Errorf("another address: status %d", w.Code)
	}
}

func TestRateLimitDefaults(t *testing.T) {
	clk := newClock()
	h, _ := limitedHandler(t, Config{}, clk)
	// 60 requests at once from one token, the 61st refused.
	for i := range 60 {
		if w := send(h, "192.0.2.1:1", readerToken); w.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, w.Code)
		}
	}
	checkRateLimited(t, send(h, "192.0.2.1:1", readerToken), "1")
	// 120 at once from one address (the 61st above was refused by the
	// token, after the address's bucket took it), the 121st refused.
	for i := range 59 {
		token := []string{adminToken, secretaryToken}[i%2]
		if w := send(h, "192.0.2.1:1", token); w.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", 62+i, w.Code)
		}
	}
	checkRateLimited(t, send(h, "192.0.2.1:1", adminToken), "1")
}

func TestRateLimitOff(t *testing.T) {
	clk := newClock()
	h, exec := limitedHandler(t, Config{RateLimit: RateLimit{Off: true, PerToken: 1, TokenBurst: 1, PerIP: 1, IPBurst: 1}}, clk)
	for i := range 500 {
		if w := send(h, "192.0.2.1:1", readerToken); w.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, w.Code)
		}
	}
	if n := exec.count(); n != 500 {
		t.Errorf("executed %d times, want 500", n)
	}
}

func TestRateLimitClientAddress(t *testing.T) {
	req := func(remote string, header ...string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		r.RemoteAddr = remote
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Add(header[i], header[i+1])
		}
		return r
	}
	tests := []struct {
		name   string
		r      *http.Request
		header string
		want   string
	}{
		{"IPv4", req("192.0.2.1:1234"), "", "192.0.2.1"},
		{"IPv6 counts as its /64", req("[2001:db8:1:2:aaaa::1]:443"), "", "2001:db8:1:2::"},
		{"IPv4 in IPv6", req("[::ffff:192.0.2.1]:1234"), "", "192.0.2.1"},
		{"a header not trusted is ignored", req("192.0.2.1:1", "X-Real-IP", "203.0.113.9"), "", "192.0.2.1"},
		{"X-Real-IP", req("10.0.0.2:1", "X-Real-IP", "203.0.113.9"), "X-Real-IP", "203.0.113.9"},
		{"X-Forwarded-For: the proxy's entry", req("10.0.0.2:1", "X-Forwarded-For", "1.1.1.1, 203.0.113.9"), "X-Forwarded-For", "203.0.113.9"},
		{"X-Forwarded-For: the last header", req("10.0.0.2:1", "X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "203.0.113.9"), "X-Forwarded-For", "203.0.113.9"},
		{"a header without an address", req("10.0.0.2:1", "X-Real-IP", "unknown"), "X-Real-IP", "10.0.0.2"},
		{"a header missing", req("10.0.0.2:1"), "X-Real-IP", "10.0.0.2"},
	}
	for _, tt := range tests {
		if got := clientAddr(tt.r, tt.header); got != netip.MustParseAddr(tt.want) {
			t.Errorf("%s: clientAddr = %v, want %s", tt.name, got, tt.want)
		}
	}
}

// TestRateLimitBucketsAreSwept: buckets that have had time to fill up
// are dropped once the map has grown, so the addresses of a scan do not
// stay in memory.
func TestRateLimitBucketsAreSwept(t *testing.T) {
	clk := newClock()
	b := newBuckets[int](10, 20) // full again after 2 s
	for i := range minSweep {
		b.take(i, clk.now())
	}
	clk.advance(time.Second)
	b.take(-1, clk.now()) // sweeps nothing yet: none is full again
	if n := b.len(); n != minSweep+1 {
		t.Fatalf("len = %d, want %d", n, minSweep+1)
	}
	clk.advance(time.Second)
	for i := range minSweep {
		b.take(minSweep+i, clk.now()) // the first of these sweeps
	}
	if n := b.len(); n != minSweep+1 {
		t.Errorf("len = %d, want %d: the idle buckets and the one a second younger", n, minSweep+1)
	}
}

// TestRateLimitConcurrentRequests sends 200 requests at one instant from
// many goroutines with one token: exactly the burst passes.
func TestRateLimitConcurrentRequests(t *testing.T) {
	clk := newClock()
	h, exec := limitedHandler(t, Config{RateLimit: RateLimit{PerToken: 1, TokenBurst: 50}}, clk)
	var ok, limited atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			switch w := send(h, "192.0.2."+strconv.Itoa(i%100)+":1", readerToken); w.Code {
			case http.StatusOK:
				ok.Add(1)
			case http.StatusTooManyRequests:
				limited.Add(1)
			default:
				t.Errorf("status %d", w.Code)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 50 || limited.Load() != 150 || exec.count() != 50 {
		t.Errorf("%d passed and %d were refused, %d executed; want 50, 150, 50", ok.Load(), limited.Load(), exec.count())
	}
}
