package registry

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestWrapGivesEachCauseItsKind(t *testing.T) {
	for _, c := range []struct {
		err  error
		code string
	}{
		{E(RuleViolation, "birthDate", "no birth date"), "RULE_VIOLATION"},
		{fmt.Errorf("load roster: %w", E(NotFound, "id", "no such term")), "NOT_FOUND"},
		{fmt.Errorf("read list: %w", context.DeadlineExceeded), "TIMEOUT"},
		{fmt.Errorf("read list: %w", context.Canceled), "TIMEOUT"},
		{errors.New("disk on fire"), "INTERNAL"},
	} {
		got := Wrap(c.err)
		if got.Kind.Code() != c.code {
			t.Errorf("Wrap(%v) is %s, want %s", c.err, got.Kind.Code(), c.code)
		}
		if got.Extensions()["code"] != c.code {
			t.Errorf("Wrap(%v) extensions %v", c.err, got.Extensions())
		}
	}
	// Internal causes never reach the client's message.
	if msg := Wrap(errors.New("password=hunter2")).Error(); msg != "internal error" {
		t.Errorf("internal message %q leaks its cause", msg)
	}
	if !errors.Is(Wrap(E(Conflict, "", "taken")), &Error{Kind: Conflict}) {
		t.Error("errors.Is does not match by kind")
	}
}
