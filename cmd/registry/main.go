// Command registry is the society registry's one binary: it serves the
// GraphQL API, migrates the database, loads seed data, makes and revokes
// API tokens, exports and imports rosters, verifies the audit trail and
// re-counts votes and elections.
//
//	registry serve [flags]       serve GraphQL on -addr (the default command);
//	                             -demo loads the demo society into an empty
//	                             database and prints fresh demo tokens
//	registry migrate             apply pending migrations and exit
//	registry seed demo|scale     load the demo society or the benchmark data
//	registry token create -account NAME -role ROLE [-scope ORG]... [-label TEXT]
//	                             make an API token, printed once on stdout
//	registry token revoke -account NAME | -token TOKEN_OR_HINT
//	registry token list [-account NAME]
//	registry export roster -term TERM [-o FILE]
//	registry import roster -term TERM FILE
//	                             a term's roster as CSV, out and back in
//	registry audit verify        walk the audit trail's hash chain
//	registry votes verify        re-count every closed vote from its votes
//	registry tally -election ELECTION | -file FILE
//	                             re-count an election's rounds from its ballots
//	registry export election -election ELECTION [-o FILE]
//	                             an election's whole record as JSON
//
// Every command takes -db; every setting flag (-db, -addr, -demo, ...)
// defaults from an environment variable, shown in the command's -help. A
// command that fails prints the error (with its code and the field at
// fault, for the registry's own errors) and exits 1; audit verify exits 2
// when the chain is broken, votes verify and tally when a re-count
// differs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // the society's time zone without the host's zoneinfo

	"github.com/societyregistry/registry/registry"
)

const usage = `usage: registry <command> [flags]

  serve [flags]                serve GraphQL and GraphiQL (the default command);
                               -demo loads the demo society into an empty database
                               and prints fresh demo tokens on every start
  migrate                      apply pending migrations and exit
  seed demo|scale              load the demo society or the benchmark data into
                               an empty database
  token create -account NAME -role ROLE [-scope ORG]... [-label TEXT]
                               make an API token and print it, once, on stdout;
                               ROLE: ADMIN, SECRETARIAT, BRANCH_SECRETARY, READER;
                               ORG: an organization's number or its global ID
  token revoke -account NAME | -token TOKEN_OR_HINT
                               revoke a token, or every live token of an account
  token list [-account NAME]   list tokens: account, role, scopes, hint, label,
                               created, revoked
  export roster -term TERM [-o FILE]
                               write a term's roster as CSV (UTF-8, with a
                               byte-order mark unless -bom=false)
  import roster -term TERM FILE
                               make a term's roster agree with a CSV file, all or
                               nothing; every bad row is reported with its line
  audit verify                 walk the audit trail's hash chain; exit 2 when
                               it is broken
  votes verify                 re-count every closed vote from its stored votes;
                               exit 2 when a result differs from the stored one
  tally -election ELECTION | -file FILE
                               re-count every round of an election from its stored
                               ballots, or from an exported record without the
                               database; exit 2 naming each ballot, head or count
                               that differs from the record
  export election -election ELECTION [-o FILE]
                               write an election's whole record as JSON:
                               configuration, candidates, rounds, ballots, counts
                               and chain heads

Every command takes -db (env REGISTRY_DATABASE); "registry <command> -help"
lists a command's flags and the environment variables they default from.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "registry: "+strings.TrimPrefix(describe(err), "registry: "))
		os.Exit(exitCode(err))
	}
}

// run dispatches to the command args name, serve when they name none.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd, args := word(args)
	switch cmd {
	case "", "serve":
		return serve(ctx, args, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, stdout, stderr)
	case "seed":
		return seedCmd(ctx, args, stdout, stderr)
	case "token":
		return tokenCmd(ctx, args, stdout, stderr)
	case "audit":
		return auditCmd(ctx, args, stdout, stderr)
	case "votes":
		return votesCmd(ctx, args, stdout, stderr)
	case "tally":
		return tallyCmd(ctx, args, stdout, stderr)
	case "export":
		return exportCmd(ctx, args, stdout, stderr)
	case "import":
		return importCmd(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q; \"registry help\" lists the commands", cmd)
}

// word splits off the leading word of args (a command or subcommand),
// so that flags may follow it; "" when args start with a flag.
func word(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// describe is how the command line shows an error. A registry error shows
// its message, code and the field at fault, which is named like the
// flag that set it; an internal one shows its cause, which only the
// server keeps to itself.
func describe(err error) string {
	var e *registry.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	msg := err.Error()
	if e.Kind == registry.Internal && e.Err != nil {
		msg = strings.Replace(msg, e.Error(), e.Err.Error(), 1)
	}
	detail := e.Kind.Code()
	if e.Field != "" {
		detail += ", field " + e.Field
	}
	msg += " (" + detail + ")"
	for _, p := range e.Problems {
		if p.Line > 0 {
			msg += fmt.Sprintf("\n  line %d: %s", p.Line, p.Message)
		} else {
			msg += "\n  " + p.Message
		}
	}
	return msg
}

// exitCode is the process's exit status for err.
func exitCode(err error) int {
	var c interface{ ExitCode() int }
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return 1
}
