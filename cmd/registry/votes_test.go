package main

import (
	"context"
	"strings"
	"testing"

	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

func TestVotesVerify(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		db := demo.DSN(t, d)
		out, _, err := runArgs(t, "votes", "verify", "-db", db)
		if err != nil || out != "0 closed votes re-counted, every result as stored\n" {
			t.Fatalf("votes verify with no votes: %q, %v", out, err)
		}
		// A standing council meeting votes on one motion.
		ctx, s, v := context.Background(), open(t, db), registry.System("test")
		standing := s.Client.Term.Query().Where(term.StatusEQ(term.StatusACTIVE),
			term.HasOrganizationWith(organization.KindEQ(organization.KindSTANDING_COUNCIL))).OnlyX(ctx)
		m, err := s.CreateMeeting(ctx, v, registry.MeetingInput{TermID: standing.ID, Title: "Meeting", HeldOn: registry.Day(2026, 11, 23)})
		if err != nil {
			t.Fatal(describe(err))
		}
		mo, err := s.CreateMotion(ctx, v, registry.MotionInput{MeetingID: m.ID, Title: "Motion"})
		if err != nil {
			t.Fatal(describe(err))
		}
		ps := s.Client.Participant.Query().Where(participant.MeetingID(m.ID)).AllX(ctx)
		for _, p := range ps {
			if _, err := s.CheckIn(ctx, v, registry.AttendInput{MeetingID: m.ID, ParticipantID: p.ID}); err != nil {
				t.Fatal(describe(err))
			}
		}
		if _, err := s.OpenVote(ctx, v, mo.ID); err != nil {
			t.Fatal(describe(err))
		}
		for _, p := range ps {
			if _, err := s.CastVote(ctx, v, registry.VoteInput{MotionID: mo.ID, ParticipantID: p.ID, Option: "YES"}); err != nil {
				t.Fatal(describe(err))
			}
		}
		if _, err := s.CloseVote(ctx, v, mo.ID); err != nil {
			t.Fatal(describe(err))
		}
		out, _, err = runArgs(t, "votes", "verify", "-db", db)
		if err != nil || out != "1 closed vote re-counted, every result as stored\n" {
			t.Fatalf("votes verify: %q, %v", out, err)
		}
		// A vote changed behind the registry's back is caught.
		if _, err := s.DB.ExecContext(ctx, "UPDATE votes SET option = 'NO' WHERE id = (SELECT MIN(id) FROM votes)"); err != nil {
			t.Fatal(err)
		}
		out, _, err = runArgs(t, "votes", "verify", "-db", db)
		if err == nil || exitCode(err) != 2 || !strings.Contains(out, "re-count") || !strings.HasPrefix(out, "motion ") {
			t.Fatalf("votes verify of a changed vote: %q, %v", out, err)
		}
	})
}
