package server

import (
	"bufio"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// metrics counts GraphQL requests for /metrics, which writes them in the
// Prometheus text format: a few series need no client library.
type metrics struct {
	mu       sync.Mutex
	requests map[requestKey]uint64
	ops      map[string]bool // operation labels in use
	bounds   []float64       // upper bounds of the latency buckets, seconds
	buckets  []uint64        // requests per bucket, the last for +Inf
	sum      float64         // seconds
	count    uint64
}

type requestKey struct {
	operation string
	status    int
}

// maxOperations bounds the operation labels: clients name operations, and
// each new name would otherwise be a new series. Names past the bound are
// counted as "other".
const maxOperations = 200

func newMetrics() *metrics {
	bounds := []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	return &metrics{
		requests: map[requestKey]uint64{},
		ops:      map[string]bool{},
		bounds:   bounds,
		buckets:  make([]uint64, len(bounds)+1),
	}
}

// observe counts one GraphQL request.
func (m *metrics) observe(operation string, status int, d time.Duration) {
	switch {
	case operation == "":
		operation = "anonymous"
	case !validName(operation):
		operation = "other"
	}
	secs := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ops[operation] {
		if len(m.ops) >= maxOperations {
			operation = "other"
		} else {
			m.ops[operation] = true
		}
	}
	m.requests[requestKey{operation, status}]++
	i, _ := slices.BinarySearch(m.bounds, secs) // le: a value on a bound counts in it
	m.buckets[i]++
	m.sum += secs
	m.count++
}

// validName reports whether s is a GraphQL name of at most 64 bytes.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range []byte(s) {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return false
		}
	}
	return true
}

// serveMetrics writes the metrics in the Prometheus text format.
func (s *server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := bufio.NewWriter(w)
	s.metrics.write(bw)
	if s.cfg.Statements != nil {
		family(bw, "sql_statements_total", "counter", "SQL statements run.")
		fmt.Fprintf(bw, "sql_statements_total %d\n", s.cfg.Statements())
	}
	family(bw, "go_goroutines", "gauge", "Number of goroutines that currently exist.")
	fmt.Fprintf(bw, "go_goroutines %d\n", runtime.NumGoroutine())
	bw.Flush()
}

func (m *metrics) write(w *bufio.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()

	family(w, "graphql_requests_total", "counter", "GraphQL requests by operation name and HTTP status.")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		if c := strings.Compare(a.operation, b.operation); c != 0 {
			return c
		}
		return a.status - b.status
	})
	for _, k := range keys {
		fmt.Fprintf(w, "graphql_requests_total{operation=\"%s\",status=\"%d\"} %d\n", escapeLabel(k.operation), k.status, m.requests[k])
	}

	family(w, "graphql_request_duration_seconds", "histogram", "Time to answer a GraphQL request.")
	var cum uint64
	for i, n := range m.buckets {
		cum += n
		le := "+Inf"
		if i < len(m.bounds) {
			le = strconv.FormatFloat(m.bounds[i], 'g', -1, 64)
		}
		fmt.Fprintf(w, "graphql_request_duration_seconds_bucket{le=\"%s\"} %d\n", le, cum)
	}
	fmt.Fprintf(w, "graphql_request_duration_seconds_sum %s\n", strconv.FormatFloat(m.sum, 'g', -1, 64))
	fmt.Fprintf(w, "graphql_request_duration_seconds_count %d\n", m.count)
}

func family(w *bufio.Writer, name, typ, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// escapeLabel escapes a label value as the text format requires.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
