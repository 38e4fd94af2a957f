package main

import (
	"context"
	"fmt"
	"io"

	"github.com/societyregistry/registry/registry"
)

// auditCmd checks the audit trail.
func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := openToVerify(ctx, "audit", args, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	n, brk, err := s.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if brk != nil {
		return &brokenChain{intact: n, brk: brk}
	}
	fmt.Fprintf(stdout, "%s, chain intact\n", plural(int(n), "event"))
	return nil
}

// openToVerify reads "verify [-db DSN]" after the command what and
// opens the database it names.
func openToVerify(ctx context.Context, what string, args []string, stderr io.Writer) (*registry.Store, error) {
	verb, args := word(args)
	if verb != "verify" {
		return nil, fmt.Errorf("usage: registry %s verify [-db DSN]", what)
	}
	fs, c := newFlags(what+" verify", stderr)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	return registry.Open(ctx, c.db, registry.Options{})
}

// brokenChain is the audit chain's first broken link.
type brokenChain struct {
	intact int64 // events before it, which verified
	brk    *registry.Break
}

func (e *brokenChain) Error() string {
	return fmt.Sprintf("audit chain broken at event %d: %s (the %s before it verified)",
		e.brk.Seq, e.brk.Reason, plural(int(e.intact), "event"))
}

// ExitCode tells a broken chain (2) from a check that could not run (1).
func (e *brokenChain) ExitCode() int { return 2 }
