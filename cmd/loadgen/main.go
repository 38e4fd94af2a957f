// Command loadgen drives a registry's GraphQL endpoint with one query at a
// fixed concurrency for a fixed time, rotating the query's variables over
// given lists, and prints one Markdown table row: requests per second,
// latency percentiles and errors (a status other than 200, or "errors" in
// the body). make bench runs it.
//
//	loadgen -url http://localhost:8080/graphql -token SECRET \
//	  -query-file q.graphql -vars '{"id":"$branch","n":100}' -branches ID1,ID2 \
//	  -metrics http://localhost:8080/metrics
//
// With -metrics it also reads the server's sql_statements_total before and
// after the measured window and prints SQL statements per request; with
// -pids (and -postgres) the server's processor time per request.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}

// run parses the flags, drives the load and prints the row.
func run(args []string) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	url := fs.String("url", "http://localhost:8080/graphql", "the GraphQL endpoint")
	token := fs.String("token", "", "API token, sent as Authorization: Bearer")
	queryFile := fs.String("query-file", "", "file holding the GraphQL document to send")
	vars := fs.String("vars", "", `variables as a JSON object; a string value "$branch" or "$number" takes the next value of -branches or -numbers`)
	branches := fs.String("branches", "", "comma-separated values rotated for $branch")
	numbers := fs.String("numbers", "", "comma-separated values rotated for $number")
	conns := fs.Int("c", 32, "concurrent connections")
	duration := fs.Duration("d", 10*time.Second, "how long to measure")
	warmup := fs.Duration("warmup", 2*time.Second, "how long to send, unmeasured, first")
	name := fs.String("name", "", "the query's name in the row (default: the query file's name)")
	database := fs.String("database", "", "the database's name in the row")
	server := fs.String("server", "registry", "the server's name in the row")
	metrics := fs.String("metrics", "", "URL of the server's Prometheus metrics (sent the token): SQL statements per request from sql_statements_total")
	header := fs.Bool("header", false, "print the table header before the row")
	pids := fs.String("pids", "", "comma-separated ids of the server's processes: their processor time per request (Linux /proc)")
	postgres := fs.Bool("postgres", false, "count the processor time of every process named postgres too (a server on PostgreSQL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *queryFile == "" {
		return fmt.Errorf("-query-file is required")
	}
	query, err := os.ReadFile(*queryFile)
	if err != nil {
		return err
	}
	rot, err := NewRotation(*vars, map[string][]string{
		"branch": SplitList(*branches),
		"number": SplitList(*numbers),
	})
	if err != nil {
		return err
	}
	if *name == "" {
		*name = *queryFile
	}
	client := &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: *conns + 1, MaxConnsPerHost: *conns + 1},
	}
	l := &Load{
		URL: *url, Token: *token, Query: string(query), Vars: rot,
		Concurrency: *conns, Duration: *duration, Warmup: *warmup, Client: client,
	}
	if *metrics != "" {
		l.Statements = MetricsCounter(client, *metrics, *token)
	}
	if *pids != "" || *postgres {
		l.CPU = &CPU{Postgres: *postgres}
		for _, p := range SplitList(*pids) {
			pid, err := strconv.Atoi(p)
			if err != nil {
				return fmt.Errorf("-pids: %q is not a process id", p)
			}
			l.CPU.Pids = append(l.CPU.Pids, pid)
		}
	}
	s := l.Run(context.Background())
	if *header {
		fmt.Println(TableHeader)
	}
	fmt.Println(s.Row(*name, *server, *database, *conns))
	if s.Requests == 0 {
		return fmt.Errorf("no request completed")
	}
	return nil
}
