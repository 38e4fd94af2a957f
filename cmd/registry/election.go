package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/societyregistry/registry/registry"
)

// tallyCmd re-counts an election from its stored ballots, read from the
// database or from an exported record, and compares every round with
// what was stored.
func tallyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("tally", stderr)
	electionArg := fs.String("election", "", "the election: its number or its global ID")
	file := fs.String("file", "", "an election's record exported as JSON, re-counted without the database")
	if err := parse(fs, args); err != nil {
		return err
	}
	var rec *registry.ElectionRecord
	switch {
	case *file != "" && *electionArg != "":
		return registry.E(registry.Invalid, "file", "give -election or -file, not both")
	case *file != "":
		var err error
		if rec, err = readRecord(*file); err != nil {
			return err
		}
	default:
		id, err := rowID(*electionArg, "election", "Election")
		if err != nil {
			return err
		}
		if rec, err = electionRecord(ctx, c.db, id); err != nil {
			return err
		}
	}
	return report(stdout, rec, registry.CheckRecord(rec))
}

// exportElection writes an election's whole record as JSON.
func exportElection(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("export election", stderr)
	electionArg := fs.String("election", "", "the election: its number or its global ID")
	out := fs.String("o", "-", "the file to write; - for standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := rowID(*electionArg, "election", "Election")
	if err != nil {
		return err
	}
	rec, err := electionRecord(ctx, c.db, id)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return writeOut(*out, stdout, append(data, '\n'))
}

// electionRecord reads election id's record from the database at dsn.
func electionRecord(ctx context.Context, dsn string, id int) (*registry.ElectionRecord, error) {
	s, err := registry.Open(ctx, dsn, registry.Options{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.ElectionRecord(ctx, cli(), id)
}

// readRecord reads an exported election record.
func readRecord(name string) (*registry.ElectionRecord, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var rec registry.ElectionRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s is not an exported election record: %w", name, err)
	}
	return &rec, nil
}

// report prints each round's re-count, and returns a mismatch when any
// differs from the record.
func report(stdout io.Writer, rec *registry.ElectionRecord, checks []registry.RoundCheck) error {
	titles := map[int]string{}
	for _, p := range rec.Posts {
		titles[p.PostID] = p.Title
	}
	fmt.Fprintf(stdout, "election %d %q, %s\n", rec.ID, rec.Title, rec.Status)
	bad := 0
	for _, c := range checks {
		verdict := "reproduced"
		if len(c.Problems) > 0 {
			verdict = fmt.Sprintf("%d difference(s)", len(c.Problems))
			bad++
		}
		fmt.Fprintf(stdout, "%s, round %d: %s, head %s: %s\n", titles[c.PostID], c.Number, entries(c.Entries), orNone(c.Head), verdict)
		for _, p := range c.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	if bad > 0 {
		return &tallyMismatch{rounds: len(checks), bad: bad}
	}
	return nil
}

// entries counts a chain's entries.
func entries(n int) string {
	if n == 1 {
		return "1 entry in the chain"
	}
	return fmt.Sprintf("%d entries in the chain", n)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// tallyMismatch is rounds whose re-count differs from their record.
type tallyMismatch struct{ rounds, bad int }

func (e *tallyMismatch) Error() string {
	return fmt.Sprintf("%d of %s re-counted differ from the record", e.bad, plural(e.rounds, "round"))
}

// ExitCode tells a mismatch (2) from a re-count that could not run (1).
func (e *tallyMismatch) ExitCode() int { return 2 }
