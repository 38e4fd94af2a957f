package main

import (
	"context"
	"fmt"
	"io"
)

// votesCmd re-counts every closed vote from its stored votes.
func votesCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := openToVerify(ctx, "votes", args, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	n, bad, err := s.VerifyVotes(ctx)
	if err != nil {
		return fmt.Errorf("votes verify: %w", err)
	}
	for _, m := range bad {
		fmt.Fprintf(stdout, "motion %d: stored %s\n  re-count %s\n", m.MotionID, m.Stored, m.Recount)
	}
	if len(bad) > 0 {
		return &recountMismatch{checked: n, bad: len(bad)}
	}
	fmt.Fprintf(stdout, "%s re-counted, every result as stored\n", plural(n, "closed vote"))
	return nil
}

// recountMismatch is closed votes whose re-count differs from what is
// stored.
type recountMismatch struct{ checked, bad int }

func (e *recountMismatch) Error() string {
	return fmt.Sprintf("%d of %s re-counted differ from their stored result", e.bad, plural(e.checked, "closed vote"))
}

// ExitCode tells a mismatch (2) from a check that could not run (1).
func (e *recountMismatch) ExitCode() int { return 2 }
