package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Load says what to send and how hard: Concurrency workers each send one
// request after another, for Warmup unrecorded and then for Duration
// recorded.
type Load struct {
	URL         string
	Token       string
	Query       string
	Vars        *Rotation
	Concurrency int
	Duration    time.Duration
	Warmup      time.Duration
	Client      *http.Client
	// Statements, when set, reads the server's count of SQL statements
	// run so far; after the window Run counts what a few requests sent
	// one at a time cost.
	Statements func(context.Context) (int64, error)
	// CPU, when set, names the server's processes, whose processor time
	// Run reads around the measured window.
	CPU *CPU
}

// Run drives the load and summarizes the recorded window. A request fails
// when it cannot be sent, answers other than 200, or its body has "errors".
func (l *Load) Run(ctx context.Context) Summary {
	if l.Warmup > 0 {
		l.window(ctx, l.Warmup)
	}
	var cpuBefore map[int]int64
	if l.CPU != nil {
		cpuBefore, _ = l.CPU.sample()
	}
	start := time.Now()
	durations, errors := l.window(ctx, l.Duration)
	s := Summarize(durations, errors, time.Since(start))
	if cpuBefore != nil {
		if after, err := l.CPU.sample(); err == nil {
			s.CPU, s.CPUCounted = used(cpuBefore, after), true
		}
	}
	if l.Statements != nil {
		s.Statements, s.Counted = l.countStatements(ctx)
	}
	return s
}

// settled reads the statement count once it has stopped moving: the
// requests cut off at the window's end go on in the server until it sees
// them canceled, and their statements must not count as the probe's.
func (l *Load) settled(ctx context.Context) (int64, error) {
	n, err := l.Statements(ctx)
	for range 50 {
		if err != nil {
			return 0, err
		}
		time.Sleep(100 * time.Millisecond)
		var next int64
		if next, err = l.Statements(ctx); err == nil && next == n {
			return n, nil
		}
		n = next
	}
	return n, err
}

// statementProbe is how many requests countStatements sends.
const statementProbe = 20

// countStatements sends statementProbe requests one after another, with
// nothing else in flight, and returns the statements the server ran for
// them, as if for Summary.Requests of them: requests cut off at the
// window's ends would blur a count taken around the window itself.
func (l *Load) countStatements(ctx context.Context) (int64, bool) {
	before, err := l.settled(ctx)
	if err != nil {
		return 0, false
	}
	for range statementProbe {
		l.send(ctx)
	}
	after, err := l.Statements(ctx)
	if err != nil {
		return 0, false
	}
	return after - before, true
}

// MetricsCounter reads sql_statements_total from a Prometheus text page
// at url, sending token as a bearer token when it is not empty.
func MetricsCounter(client *http.Client, url, token string) func(context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, err
		}
		for _, line := range strings.Split(string(body), "\n") {
			if v, ok := strings.CutPrefix(line, "sql_statements_total "); ok {
				return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			}
		}
		return 0, fmt.Errorf("%s: no sql_statements_total (status %d)", url, resp.StatusCode)
	}
}

// window runs the workers for d and returns every request's duration and
// the number of failed requests.
func (l *Load) window(ctx context.Context, d time.Duration) ([]time.Duration, int) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu        sync.Mutex
		durations []time.Duration
		errors    int
		wg        sync.WaitGroup
	)
	for range max(l.Concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			failed := 0
			for ctx.Err() == nil {
				t := time.Now()
				ok := l.send(ctx)
				if ctx.Err() != nil {
					break // cut off by the window's end: not counted
				}
				mine = append(mine, time.Since(t))
				if !ok {
					failed++
				}
			}
			mu.Lock()
			durations = append(durations, mine...)
			errors += failed
			mu.Unlock()
		}()
	}
	wg.Wait()
	return durations, errors
}

// request is a GraphQL over HTTP request body.
type request struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
}

// send posts one request and reports whether it succeeded.
func (l *Load) send(ctx context.Context) bool {
	body, err := json.Marshal(request{Query: l.Query, Variables: l.Vars.Next()})
	if err != nil {
		return false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.URL, bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if l.Token != "" {
		req.Header.Set("Authorization", "Bearer "+l.Token)
	}
	resp, err := l.Client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return false
	}
	var answer struct {
		Errors json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(data, &answer) != nil {
		return false
	}
	return len(answer.Errors) == 0 || string(answer.Errors) == "null"
}
