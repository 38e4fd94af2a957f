package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	s := Summarize(d, 3, 2*time.Second)
	if s.P50 != 50*time.Millisecond || s.P90 != 90*time.Millisecond || s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Fatalf("percentiles of 1..100 ms: %+v", s)
	}
	if s.Requests != 100 || s.Errors != 3 || s.PerSecond() != 50 {
		t.Fatalf("counts: %+v, %v/s", s, s.PerSecond())
	}
	for _, c := range []struct {
		vals []time.Duration
		p    int
		want time.Duration
	}{
		{nil, 99, 0},
		{[]time.Duration{7}, 1, 7},
		{[]time.Duration{7}, 99, 7},
		{[]time.Duration{1, 2, 3}, 50, 2},
		{[]time.Duration{1, 2, 3}, 90, 3},
		{[]time.Duration{1, 2, 3, 4}, 50, 2},
	} {
		if got := Percentile(c.vals, c.p); got != c.want {
			t.Errorf("Percentile(%v, %d) = %v, want %v", c.vals, c.p, got, c.want)
		}
	}
}

func TestRow(t *testing.T) {
	s := Summary{Requests: 250, Errors: 1, Elapsed: 2 * time.Second,
		P50: 1234 * time.Microsecond, P90: 9 * time.Millisecond, P99: 25*time.Millisecond + 960*time.Microsecond, Max: time.Second}
	want := "| roster | registry | sqlite | 32 | 125.0 | 1.2 | 9.0 | 26.0 | 1000.0 | 250 | 1 | n/a | n/a |"
	if got := s.Row("roster", "registry", "sqlite", 32); got != want {
		t.Fatalf("Row:\n got %s\nwant %s", got, want)
	}
	s.Statements, s.Counted, s.CPU, s.CPUCounted = 6*statementProbe, true, 2*time.Second, true
	if got := s.Row("roster", "floor", "sqlite", 32); !strings.HasSuffix(got, "| 6.0 | 8.00 |") {
		t.Fatalf("Row with 6 statements a probe and 2 s of processor time in 250 requests: %s", got)
	}
	if cols := strings.Count(strings.SplitN(TableHeader, "\n", 2)[0], "|"); cols != strings.Count(want, "|") {
		t.Fatalf("header has %d bars, row %d", cols, strings.Count(want, "|"))
	}
}

func TestRotation(t *testing.T) {
	r, err := NewRotation(`{"id":"$branch","n":100,"x":"plain"}`, map[string][]string{"branch": SplitList("A, B,,C")})
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	for range 5 {
		v := r.Next()
		if v["n"] != float64(100) || v["x"] != "plain" {
			t.Fatalf("fixed values changed: %v", v)
		}
		got = append(got, v["id"])
	}
	if want := []any{"A", "B", "C", "A", "B"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ids %v, want %v", got, want)
	}
	if _, err := NewRotation(`{"number":"$number"}`, map[string][]string{}); err == nil || !strings.Contains(err.Error(), "$number") {
		t.Fatalf("a placeholder without values: %v", err)
	}
	r, err = NewRotation(`{"id":"$branch:int"}`, map[string][]string{"branch": {"4", "5"}})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := r.Next()["id"], r.Next()["id"]; a != 4 || b != 5 {
		t.Fatalf("$branch:int gave %#v, %#v, want 4, 5", a, b)
	}
	if _, err := NewRotation(`{"id":"$branch:int"}`, map[string][]string{"branch": {"4", "x"}}); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("$branch:int over a value that is no integer: %v", err)
	}
	if _, err := NewRotation(`[1]`, nil); err == nil {
		t.Fatal("a non-object template was accepted")
	}
	if r, err := NewRotation("", nil); err != nil || len(r.Next()) != 0 {
		t.Fatalf("no template: %v", err)
	}
}

// server answers like the registry: the variable "fail" set to "yes" gets
// a GraphQL error, "status" gets that HTTP status; it records what it got.
type server struct {
	mu    sync.Mutex
	auth  []string
	numbs []string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req request
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad", http.StatusBadRequest)
		return
	}
	num, _ := req.Variables["number"].(string)
	s.mu.Lock()
	s.auth = append(s.auth, r.Header.Get("Authorization"))
	s.numbs = append(s.numbs, num)
	s.mu.Unlock()
	switch num {
	case "E":
		w.Write([]byte(`{"errors":[{"message":"no"}],"data":{"person":null}}`))
	case "S":
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"data":{}}`))
	default:
		w.Write([]byte(`{"data":{"person":{"name":"errors"}},"errors":null}`))
	}
}

func TestSendRotatesAndJudges(t *testing.T) {
	srv := &server{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	rot, err := NewRotation(`{"number":"$number"}`, map[string][]string{"number": {"M1", "E", "S", "M2"}})
	if err != nil {
		t.Fatal(err)
	}
	l := &Load{URL: ts.URL, Token: "tok", Query: "{ x }", Vars: rot, Client: ts.Client()}
	var oks []bool
	for range 4 {
		oks = append(oks, l.send(context.Background()))
	}
	if want := []bool{true, false, false, true}; !reflect.DeepEqual(oks, want) {
		t.Fatalf("ok %v, want %v", oks, want)
	}
	if want := []string{"M1", "E", "S", "M2"}; !reflect.DeepEqual(srv.numbs, want) {
		t.Fatalf("server got %v, want %v", srv.numbs, want)
	}
	for _, a := range srv.auth {
		if a != "Bearer tok" {
			t.Fatalf("Authorization %q", a)
		}
	}
}

func TestRunCountsEveryError(t *testing.T) {
	srv := &server{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	rot, _ := NewRotation(`{"number":"$number"}`, map[string][]string{"number": {"E"}})
	l := &Load{URL: ts.URL, Query: "{ x }", Vars: rot, Client: ts.Client(), Concurrency: 4, Duration: 50 * time.Millisecond}
	s := l.Run(context.Background())
	if s.Requests == 0 || s.Errors != s.Requests {
		t.Fatalf("every request fails, got %+v", s)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.auth[0] != "" {
		t.Fatalf("no token, yet Authorization %q", srv.auth[0])
	}
}

// TestRunCountsStatements reads a metrics page around requests sent one at
// a time after the window: statements the server ran during the warm-up
// and the window are not counted.
func TestRunCountsStatements(t *testing.T) {
	srv := &server{}
	var mu sync.Mutex
	statements := 0
	mux := http.NewServeMux()
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		statements += 3
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "# TYPE sql_statements_total counter\nsql_statements_total %d\ngo_goroutines 7\n", statements)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	rot, _ := NewRotation(`{"number":"$number"}`, map[string][]string{"number": {"M1"}})
	l := &Load{URL: ts.URL + "/graphql", Token: "tok", Query: "{ x }", Vars: rot, Client: ts.Client(), Concurrency: 1,
		Warmup: 20 * time.Millisecond, Duration: 50 * time.Millisecond,
		Statements: MetricsCounter(ts.Client(), ts.URL+"/metrics", "tok")}
	s := l.Run(context.Background())
	if !s.Counted || s.Statements != 3*statementProbe || !strings.HasSuffix(s.Row("q", "s", "d", 1), "| 3.0 | n/a |") {
		t.Fatalf("%d statements (counted %v) for %d requests, want 3 a request", s.Statements, s.Counted, statementProbe)
	}
	if _, err := MetricsCounter(ts.Client(), ts.URL+"/metrics", "")(context.Background()); err == nil {
		t.Fatal("a metrics page refused with 403 gave a count")
	}
}

// TestCPUReadsThisProcess measures the processor time of the test itself
// while it spins: it must grow, and a process that is not there is an
// error.
func TestCPUReadsThisProcess(t *testing.T) {
	c := CPU{Pids: []int{os.Getpid()}}
	before, err := c.sample()
	if err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); ; {
		after, err := c.sample()
		if err != nil {
			t.Fatal(err)
		}
		if used(before, after) > 0 {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("ten seconds of spinning used no processor time")
		}
	}
	if _, err := (CPU{Pids: []int{-1}}).sample(); err == nil {
		t.Fatal("process -1 was read")
	}
}
