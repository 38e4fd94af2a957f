package main

import (
	"fmt"
	"sort"
	"time"
)

// Summary is what one run measured: the requests completed in the measured
// window, how many of them failed, and the latency percentiles of all of
// them.
type Summary struct {
	Requests int
	Errors   int
	// Statements is the SQL statements the server ran for
	// statementProbe requests sent one at a time after the window, when
	// Counted.
	Statements int64
	Counted    bool
	// CPU is the processor time the server's processes used in the
	// window, when CPUCounted.
	CPU        time.Duration
	CPUCounted bool
	Elapsed    time.Duration
	P50        time.Duration
	P90        time.Duration
	P99        time.Duration
	Max        time.Duration
}

// Summarize computes a Summary from the recorded durations of every request
// (sorted in place), the number of failed ones and the window's length.
func Summarize(durations []time.Duration, errors int, elapsed time.Duration) Summary {
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	s := Summary{Requests: len(durations), Errors: errors, Elapsed: elapsed}
	s.P50 = Percentile(durations, 50)
	s.P90 = Percentile(durations, 90)
	s.P99 = Percentile(durations, 99)
	if n := len(durations); n > 0 {
		s.Max = durations[n-1]
	}
	return s
}

// Percentile is the nearest-rank p-th percentile (1..100) of sorted: the
// smallest recorded value that at least p percent of the values do not
// exceed. It is zero for no values.
func Percentile(sorted []time.Duration, p int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := (p*n + 99) / 100 // ceil(p*n/100), integers only
	if rank < 1 {
		rank = 1
	}
	if rank > n {
		rank = n
	}
	return sorted[rank-1]
}

// PerSecond is the number of requests completed per second of elapsed time.
func (s Summary) PerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests) / s.Elapsed.Seconds()
}

// TableHeader is the Markdown table header that Row's lines belong under.
const TableHeader = "| query | server | database | conns | requests/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors | SQL/request | CPU ms/request |\n" +
	"|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

// Row formats the summary as one Markdown table row under TableHeader.
func (s Summary) Row(name, server, database string, conns int) string {
	return fmt.Sprintf("| %s | %s | %s | %d | %.1f | %s | %s | %s | %s | %d | %d | %s | %s |",
		name, server, database, conns, s.PerSecond(), ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max), s.Requests, s.Errors,
		s.perRequest(), s.cpuPerRequest())
}

// cpuPerRequest is the server's processor time per request in
// milliseconds, "n/a" when not measured.
func (s Summary) cpuPerRequest() string {
	if !s.CPUCounted || s.Requests == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", s.CPU.Seconds()*1000/float64(s.Requests))
}

// perRequest is the statements per request, "n/a" when not counted.
func (s Summary) perRequest() string {
	if !s.Counted {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(s.Statements)/statementProbe)
}

// ms writes a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	tenths := (d + 50*time.Microsecond) / (100 * time.Microsecond)
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}
