package server

import (
	"crypto/sha256"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit bounds how fast GraphQL requests may come, each bound a token
// bucket: a sustained rate and a burst. One bucket per API token, checked
// once the token is known, and one per client address (an IPv4 address,
// or the /64 network of an IPv6 one), checked before anything else, so
// that a flood of bad tokens is refused without asking the database.
// A refused request gets 429 with Retry-After and RATE_LIMITED. Zero
// fields take their defaults.
type RateLimit struct {
	// Off turns both limits off (benchmarks).
	Off bool
	// PerToken is the requests per second one API token may sustain
	// (default 20).
	PerToken float64
	// TokenBurst is how many requests one token may send at once
	// (default 60: a dashboard's page of queries, several times).
	TokenBurst int
	// PerIP is the requests per second one client address may sustain
	// (default 50).
	PerIP float64
	// IPBurst is how many requests one client address may send at once
	// (default 120).
	IPBurst int
	// ClientIPHeader names the header in which a trusted reverse proxy
	// passes the client's address, such as X-Real-IP or X-Forwarded-For
	// (its last entry, the one the proxy added, is taken). Empty: the
	// connection's address, which behind a proxy is the proxy's for
	// every client. Never set it when clients reach the server directly:
	// they could name any address.
	ClientIPHeader string
}

// The defaults of RateLimit: generous for a dashboard and GraphiQL, tight
// enough that one client cannot monopolize the database.
const (
	defaultPerToken   = 20
	defaultTokenBurst = 60
	defaultPerIP      = 50
	defaultIPBurst    = 120
)

func (l RateLimit) withDefaults() RateLimit {
	if l.PerToken <= 0 {
		l.PerToken = defaultPerToken
	}
	if l.TokenBurst <= 0 {
		l.TokenBurst = defaultTokenBurst
	}
	if l.PerIP <= 0 {
		l.PerIP = defaultPerIP
	}
	if l.IPBurst <= 0 {
		l.IPBurst = defaultIPBurst
	}
	return l
}

// limiter holds the buckets of both limits; nil when they are off.
type limiter struct {
	byToken *buckets[[sha256.Size]byte]
	byIP    *buckets[netip.Addr]
	header  string
}

func newLimiter(l RateLimit) *limiter {
	if l.Off {
		return nil
	}
	l = l.withDefaults()
	return &limiter{
		byToken: newBuckets[[sha256.Size]byte](l.PerToken, l.TokenBurst),
		byIP:    newBuckets[netip.Addr](l.PerIP, l.IPBurst),
		header:  l.ClientIPHeader,
	}
}

// client takes one request of r's client address at now.
func (l *limiter) client(r *http.Request, now time.Time) *requestError {
	if l == nil {
		return nil
	}
	if wait := l.byIP.take(clientAddr(r, l.header), now); wait > 0 {
		return rateLimited(wait, "too many requests from this address")
	}
	return nil
}

// token takes one request of an API token at now. Buckets are keyed by
// the token's hash: the secret itself is not kept.
func (l *limiter) token(token string, now time.Time) *requestError {
	if l == nil {
		return nil
	}
	if wait := l.byToken.take(sha256.Sum256([]byte(token)), now); wait > 0 {
		return rateLimited(wait, "too many requests with this API token")
	}
	return nil
}

// rateLimited is the 429 of a request that came too soon: Retry-After
// is the wait in whole seconds, rounded up.
func rateLimited(wait time.Duration, msg string) *requestError {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	return &requestError{status: http.StatusTooManyRequests, code: "RATE_LIMITED",
		message: msg + ": retry in " + strconv.Itoa(secs) + " s", retryAfter: secs}
}

// clientAddr is the address a client's requests are counted under: from
// the trusted proxy's header when one is named and holds an address,
// else the connection's; an IPv6 address counts as its /64 network, which
// one client typically holds whole.
func clientAddr(r *http.Request, header string) netip.Addr {
	var addr netip.Addr
	if header != "" {
		if v := r.Header.Values(header); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			addr, _ = netip.ParseAddr(strings.TrimSpace(last))
		}
	}
	if !addr.IsValid() {
		if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
			addr = ap.Addr()
		}
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			addr = p.Addr()
		}
	}
	return addr
}

// buckets is a token bucket per key. A bucket left alone long enough to
// fill up is no different from a new one, so such buckets are swept
// whenever the map has doubled since the last sweep.
type buckets[K comparable] struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	refill  time.Duration // how long an empty bucket takes to fill
	m       map[K]*bucket
	sweepAt int
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time // of the last request
}

// minSweep is the map size below which buckets are never swept.
const minSweep = 1024

func newBuckets[K comparable](perSecond float64, burst int) *buckets[K] {
	return &buckets[K]{
		limit:   rate.Limit(perSecond),
		burst:   burst,
		refill:  time.Duration(float64(burst) / perSecond * float64(time.Second)),
		m:       map[K]*bucket{},
		sweepAt: minSweep,
	}
}

// take takes one request from key's bucket at now. It returns 0 when
// the bucket held one, else how long until it will.
func (b *buckets[K]) take(key K, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	bk := b.m[key]
	if bk == nil {
		if len(b.m) >= b.sweepAt {
			b.sweep(now)
		}
		bk = &bucket{lim: rate.NewLimiter(b.limit, b.burst)}
		b.m[key] = bk
	}
	bk.last = now
	r := bk.lim.ReserveN(now, 1)
	if !r.OK() {
		return time.Duration(math.MaxInt64)
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now) // a refused request takes nothing
		return wait
	}
	return 0
}

func (b *buckets[K]) sweep(now time.Time) {
	for k, bk := range b.m {
		if now.Sub(bk.last) >= b.refill {
			delete(b.m, k)
		}
	}
	b.sweepAt = max(2*len(b.m), minSweep)
}

func (b *buckets[K]) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}
