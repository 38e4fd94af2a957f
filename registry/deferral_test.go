package registry_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/storetest"
)

func TestRecordDeferralOfAnOverdueTerm(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		// Council 2 was planned to end on 2026-06-01: overdue today.
		in := registry.DeferralInput{TermID: x.term["Council 2"], Until: registry.Day(2027, 6, 1),
			Reason: "the assembly could not meet", Approver: "the standing council"}
		got, err := x.s.RecordDeferral(x.ctx, x.views["secretariat"], in)
		if err != nil {
			t.Fatal(err)
		}
		if got.TermID != in.TermID || !got.Until.Equal(in.Until) || got.Reason != in.Reason || got.Approver != in.Approver {
			t.Errorf("deferral %+v", got)
		}
		e := x.s.Client.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).FirstX(x.ctx)
		want := fmt.Sprintf(`{"approver":"the standing council","id":%d,"reason":"the assembly could not meet","termId":%d,"until":"2027-06-01"}`, got.ID, in.TermID)
		if e.Action != "succession.defer" || e.Entity != "Deferral" || e.After == nil || *e.After != want {
			t.Errorf("event %s %s %v, want succession.defer Deferral %s", e.Action, e.Entity, deref(e.After), want)
		}
	})
}

func TestRecordDeferralRefusesAndWritesNothing(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := succOpen(t, d)
		day := registry.Day
		in := func(termName string, until ...int) registry.DeferralInput {
			return registry.DeferralInput{TermID: x.term[termName], Until: day(until[0], timeMonth(until[1]), until[2]),
				Reason: "no quorum", Approver: "the secretariat"}
		}
		if _, err := x.s.RecordDeferral(x.ctx, x.views["admin"], in("Council 2", 2026, 12, 31)); err != nil {
			t.Fatal(err)
		}
		noReason := in("Council 2", 2027, 1, 31)
		noReason.Reason = ""
		for _, c := range []struct {
			name        string
			viewer      string
			in          registry.DeferralInput
			kind        registry.Kind
			field, rule string
		}{
			{"a branch secretary", "cardiology", in("Cardiology 3", 2027, 3, 1), registry.Forbidden, "termId", ""},
			{"a reader", "reader", in("Council 2", 2027, 3, 1), registry.Forbidden, "termId", ""},
			{"no reason", "admin", noReason, registry.Invalid, "reason", "required"},
			{"an unknown term", "admin", registry.DeferralInput{TermID: 9999, Until: day(2027, 1, 1), Reason: "r", Approver: "a"}, registry.NotFound, "termId", ""},
			{"an ended term", "admin", in("Cardiology 2", 2027, 3, 1), registry.RuleViolation, "termId", "activeTerm"},
			{"a day before the planned end", "admin", in("Cardiology 3", 2026, 12, 31), registry.RuleViolation, "until", "afterPlannedEnd"},
			{"the planned end itself", "admin", in("Cardiology 3", 2027, 1, 1), registry.RuleViolation, "until", "afterPlannedEnd"},
			{"a day past the rules' 365 days", "admin", in("Council 2", 2027, 6, 2), registry.RuleViolation, "until", "maxDeferralDays"},
			{"a day already past", "admin", in("Council 2", 2026, 11, 23), registry.RuleViolation, "until", "afterToday"},
			{"a day before the last deferral's", "admin", in("Council 2", 2026, 12, 30), registry.RuleViolation, "until", "laterThanLast"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := x.state(t)
				_, err := x.s.RecordDeferral(x.ctx, x.views[c.viewer], c.in)
				apptWant(t, err, c.kind, c.field, c.rule)
				if diff := cmp.Diff(before, x.state(t)); diff != "" {
					t.Errorf("written (-before +after):\n%s", diff)
				}
			})
		}
		// The last day the rules allow, 365 days past 2026-06-01.
		if _, err := x.s.RecordDeferral(x.ctx, x.views["admin"], in("Council 2", 2027, 6, 1)); err != nil {
			t.Errorf("a deferral of exactly 365 days: %v", err)
		}
		if n := x.s.Client.Deferral.Query().CountX(x.ctx); n != 2 {
			t.Errorf("%d deferrals kept, want 2", n)
		}
	})
}

func timeMonth(m int) time.Month { return time.Month(m) }
