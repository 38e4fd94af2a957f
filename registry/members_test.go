package registry_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// The allStatuses, and the moves DESIGN.md allows between them, written
// out here rather than read from the code under test.
var (
	allStatuses = []membership.Status{membership.StatusAPPLICANT, membership.StatusACTIVE, membership.StatusSUSPENDED,
		membership.StatusLAPSED, membership.StatusEXPELLED, membership.StatusDECEASED}
	designMoves = map[string]bool{
		"APPLICANT>ACTIVE": true, "APPLICANT>EXPELLED": true, "APPLICANT>DECEASED": true,
		"ACTIVE>SUSPENDED": true, "ACTIVE>LAPSED": true, "ACTIVE>EXPELLED": true, "ACTIVE>DECEASED": true,
		"SUSPENDED>ACTIVE": true, "SUSPENDED>LAPSED": true, "SUSPENDED>EXPELLED": true, "SUSPENDED>DECEASED": true,
		"LAPSED>ACTIVE": true, "LAPSED>EXPELLED": true, "LAPSED>DECEASED": true,
	}
)

func TestLegalStatusMovesAreDesignsMoves(t *testing.T) {
	got := map[string]bool{}
	for from, tos := range registry.LegalStatusMoves() {
		for _, to := range tos {
			got[string(from)+">"+string(to)] = true
		}
	}
	if diff := cmp.Diff(designMoves, got); diff != "" {
		t.Fatalf("moves mismatch (-want +got):\n%s", diff)
	}
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			if registry.IsLegalStatusMove(from, to) != designMoves[string(from)+">"+string(to)] {
				t.Errorf("IsLegalStatusMove(%s, %s) = %v", from, to, !designMoves[string(from)+">"+string(to)])
			}
		}
	}
	// The map handed out is a copy.
	m := registry.LegalStatusMoves()
	m[membership.StatusEXPELLED] = append(m[membership.StatusEXPELLED], membership.StatusACTIVE)
	if registry.IsLegalStatusMove(membership.StatusEXPELLED, membership.StatusACTIVE) {
		t.Fatal("changing the returned map changed the rules")
	}
}

func TestAdmitMemberRecordsMembershipAndFirstStatus(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		chen := x.people["陈静"]
		// 1 November in Shanghai is still 31 October in UTC: the day is the
		// one the caller wrote.
		joined := time.Date(2026, 11, 1, 0, 30, 0, 0, time.FixedZone("CST", 8*3600))
		m, err := x.s.AdmitMember(ctx, x.viewer(registry.RoleSecretariat), registry.AdmitInput{
			Kind: "INDIVIDUAL", PersonID: &chen, JoinedOn: joined, Reason: " 申请入会 "})
		if err != nil {
			t.Fatal(err)
		}
		if m.MemberNumber != "M000008" || m.Status != membership.StatusAPPLICANT || !m.JoinedOn.Equal(registry.Day(2026, 11, 1)) ||
			m.LeftOn != nil || *m.PersonID != chen || m.InstitutionID != nil || m.Kind != membership.KindINDIVIDUAL {
			t.Fatalf("membership %+v; want M000008, one more than M000007 (M12 and M0000099 are not the pattern's)", m)
		}
		sc := x.s.Client.StatusChange.Query().Where(statuschange.MembershipID(m.ID)).OnlyX(ctx)
		if sc.FromStatus != nil || sc.ToStatus != statuschange.ToStatusAPPLICANT || !sc.EffectiveOn.Equal(registry.Day(2026, 11, 1)) || sc.Reason != "申请入会" {
			t.Fatalf("history %+v", sc)
		}
		want := []auditRow{
			{Action: "membership.admit", Entity: "Membership", EntityID: m.ID,
				After: `{"id":` + strconv.Itoa(m.ID) + `,"institutionId":null,"joinedOn":"2026-11-01","kind":"INDIVIDUAL","leftOn":null,` +
					`"memberNumber":"M000008","personId":` + strconv.Itoa(chen) + `,"status":"APPLICANT"}`},
			{Action: "membership.admit", Entity: "StatusChange", EntityID: sc.ID,
				After: `{"effectiveOn":"2026-11-01","fromStatus":null,"id":` + strconv.Itoa(sc.ID) + `,"membershipId":` + strconv.Itoa(m.ID) +
					`,"reason":"申请入会","toStatus":"APPLICANT"}`},
		}
		if diff := cmp.Diff(want, x.eventsAfter(t, 0)); diff != "" {
			t.Fatalf("audit mismatch (-want +got):\n%s", diff)
		}

		// A unit by the association's own pattern, UNIT-%03d, admitted
		// active today.
		beida := x.institutions["北京大学"]
		u, err := x.s.AdmitMember(ctx, x.admin(), registry.AdmitInput{Kind: "UNIT", InstitutionID: &beida, Status: "ACTIVE", JoinedOn: directoryToday})
		if err != nil {
			t.Fatal(err)
		}
		if u.MemberNumber != "UNIT-006" || u.Status != membership.StatusACTIVE || *u.InstitutionID != beida {
			t.Fatalf("unit %+v; want UNIT-006 ACTIVE", u)
		}
		// A number given by hand that the pattern writes moves the
		// sequence on.
		yang, wang := x.people["杨磊"], x.people["王芳"]
		if m, err := x.s.AdmitMember(ctx, x.admin(), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &yang, MemberNumber: "M000100", JoinedOn: directoryToday}); err != nil || m.MemberNumber != "M000100" {
			t.Fatalf("given number: %v, %v", m, err)
		}
		if m, err := x.s.AdmitMember(ctx, x.admin(), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &wang, JoinedOn: directoryToday}); err != nil || m.MemberNumber != "M000101" {
			t.Fatalf("after M000100: %v, %v; want M000101", m, err)
		}
		x.verifyAudit(t, 8)
	})
}

func TestAdmitMemberNumbersFromThePattern(t *testing.T) {
	type numbering struct {
		pattern string
		have    []string
		want    string
	}
	var cases []numbering
	for _, tc := range []numbering{
		{"SM-%d", []string{"SM-9", "SM-10", "SM-010", "sm-11", "SM-x"}, "SM-11"},
		{"H%05xZ", []string{"H0000aZ", "H0000fZ", "H0000FZ", "H000ffff"}, "H00010Z"},
		{"%%%04d", []string{"%0042", "0043"}, "%0043"},
		{"N%03d", []string{"N998", "N999"}, "N1000"},
		{"N%03d", []string{"N1000", "N0999", "N999"}, "N1001"},
		{"N%03d", nil, "N001"},
		// The next number is taken by hand already: the one after it.
		{"K%d", []string{"K1", "K2", "K3 ", "K3"}, "K4"},
	} {
		cases = append(cases, tc)
	}
	// One copy per dialect: each case numbers its own new members and
	// removes them after.
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		c := x.s.Client
		chen := x.people["陈静"]
		for i, tc := range cases {
			// No % in a test's name: it reaches the SQLite file's URI.
			name := strings.ReplaceAll(tc.pattern+" after "+strings.Join(tc.have, ","), "%", "pct")
			t.Run(name, func(t *testing.T) {
				c.Organization.Update().Where(organization.KindEQ(organization.KindASSOCIATION)).
					SetRules(rules.Rules{IndividualNumberPattern: tc.pattern}).ExecX(ctx)
				var made []int
				for j, number := range tc.have {
					p := c.Person.Create().SetName(fmt.Sprintf("旧会员%d.%d", i, j)).SaveX(ctx)
					made = append(made, c.Membership.Create().SetMemberNumber(number).SetKind(membership.KindINDIVIDUAL).
						SetStatus(membership.StatusACTIVE).SetJoinedOn(registry.Day(2020, 1, 1)).SetPersonID(p.ID).SaveX(ctx).ID)
				}
				m, err := x.s.AdmitMember(ctx, x.admin(), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &chen, JoinedOn: directoryToday})
				if err != nil {
					t.Fatal(err)
				}
				made = append(made, m.ID)
				if m.MemberNumber != tc.want {
					t.Errorf("number %q, want %q", m.MemberNumber, tc.want)
				}
				c.StatusChange.Delete().Where(statuschange.MembershipIDIn(made...)).ExecX(ctx)
				c.Membership.Delete().Where(membership.IDIn(made...)).ExecX(ctx)
			})
		}
	})
	t.Run("a pattern that cannot number", func(t *testing.T) {
		ctx := context.Background()
		x := openDirectory(t, storetest.SQLite)
		x.s.Client.Organization.Update().Where(organization.KindEQ(organization.KindASSOCIATION)).
			SetRules(rules.Rules{IndividualNumberPattern: "M%U"}).ExecX(ctx) // U+0007, as the rules allow
		chen := x.people["陈静"]
		before := x.counts(t)
		_, err := x.s.AdmitMember(ctx, x.admin(), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &chen, JoinedOn: directoryToday})
		wantRegistryError(t, err, registry.RuleViolation, "memberNumber", "numberPattern")
		if got := x.counts(t); got != before {
			t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
		}
		// A number given by hand still admits.
		if _, err := x.s.AdmitMember(ctx, x.admin(), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &chen, MemberNumber: "M1", JoinedOn: directoryToday}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAdmitMemberWithoutAssociationUsesDefaultPatterns(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		s := storetest.Open(t, d)
		s.Clock = registry.FixedClock(directoryToday)
		var numbers []string
		for _, name := range []string{"甲", "乙"} {
			p := s.Client.Person.Create().SetName(name).SaveX(ctx)
			m, err := s.AdmitMember(ctx, registry.System("test"), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &p.ID, JoinedOn: directoryToday})
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, m.MemberNumber)
		}
		i := s.Client.Institution.Create().SetName("人民医院").SetKind(institution.KindHOSPITAL).SaveX(ctx)
		m, err := s.AdmitMember(ctx, registry.System("test"), registry.AdmitInput{Kind: "UNIT", InstitutionID: &i.ID, JoinedOn: directoryToday})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, m.MemberNumber)
		if diff := cmp.Diff([]string{"M000001", "M000002", "U0001"}, numbers); diff != "" {
			t.Fatalf("numbers mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestAdmitMemberRefusesBadInput(t *testing.T) {
	tomorrow := directoryToday.AddDate(0, 0, 1)
	cases := []struct {
		name        string
		in          func(x *dirFixture) registry.AdmitInput
		kind        registry.Kind
		field, rule string
	}{
		{"no kind", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{PersonID: ptrOf(x.people["陈静"]), JoinedOn: directoryToday}
		}, registry.Invalid, "kind", "required"},
		{"unknown kind", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "HONORARY", PersonID: ptrOf(x.people["陈静"]), JoinedOn: directoryToday}
		}, registry.Invalid, "kind", "oneOf"},
		{"individual without a person", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", JoinedOn: directoryToday}
		}, registry.Invalid, "personId", "required"},
		{"individual with an institution", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), InstitutionID: ptrOf(x.institutions["北京大学"]), JoinedOn: directoryToday}
		}, registry.Invalid, "institutionId", "exclusive"},
		{"unit without an institution", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "UNIT", JoinedOn: directoryToday}
		}, registry.Invalid, "institutionId", "required"},
		{"unit with a person", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "UNIT", PersonID: ptrOf(x.people["陈静"]), InstitutionID: ptrOf(x.institutions["北京大学"]), JoinedOn: directoryToday}
		}, registry.Invalid, "personId", "exclusive"},
		{"member number with a space", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), MemberNumber: "M 1", JoinedOn: directoryToday}
		}, registry.Invalid, "memberNumber", "memberno"},
		{"admitted suspended", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), Status: "SUSPENDED", JoinedOn: directoryToday}
		}, registry.Invalid, "status", "oneOf"},
		{"no joining day", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"])}
		}, registry.Invalid, "joinedOn", "required"},
		{"joins tomorrow", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), JoinedOn: tomorrow}
		}, registry.Invalid, "joinedOn", "past"},
		{"reason of 501", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), JoinedOn: directoryToday, Reason: strings.Repeat("因", 501)}
		}, registry.Invalid, "reason", "max"},
		{"no such person", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(99999), JoinedOn: directoryToday}
		}, registry.NotFound, "personId", ""},
		{"no such institution", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "UNIT", InstitutionID: ptrOf(99999), JoinedOn: directoryToday}
		}, registry.NotFound, "institutionId", ""},
		{"person already a member", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["张伟"]), JoinedOn: directoryToday}
		}, registry.Conflict, "personId", ""},
		{"lapsed member admitted again", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["刘洋"]), JoinedOn: directoryToday}
		}, registry.Conflict, "personId", ""},
		{"institution already a member", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "UNIT", InstitutionID: ptrOf(x.institutions["协和医院"]), JoinedOn: directoryToday}
		}, registry.Conflict, "institutionId", ""},
		{"number taken", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), MemberNumber: "M000007", JoinedOn: directoryToday}
		}, registry.Conflict, "memberNumber", ""},
		{"number taken by a unit", func(x *dirFixture) registry.AdmitInput {
			return registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: ptrOf(x.people["陈静"]), MemberNumber: "UNIT-005", JoinedOn: directoryToday}
		}, registry.Conflict, "memberNumber", ""},
	}
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := openDirectory(t, d)
		before := x.counts(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := x.s.AdmitMember(context.Background(), x.admin(), tc.in(x))
				wantRegistryError(t, err, tc.kind, tc.field, tc.rule)
				if got := x.counts(t); got != before {
					t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
				}
			})
		}
	})
}

func TestMemberEditsNeedEditMembers(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		chen := x.people["陈静"]
		admit := registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &chen, JoinedOn: directoryToday}
		move := registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", EffectiveOn: directoryToday, Reason: "会费未缴"}
		before := x.counts(t)
		for _, tc := range []struct {
			v    *registry.Viewer
			kind registry.Kind
		}{
			{x.viewer(registry.RoleReader), registry.Forbidden},
			{x.viewer(registry.RoleBranchSecretary), registry.Forbidden},
			{nil, registry.Unauthenticated},
		} {
			_, err := x.s.AdmitMember(ctx, tc.v, admit)
			wantRegistryError(t, err, tc.kind, "", "")
			_, err = x.s.ChangeMembershipStatus(ctx, tc.v, move)
			wantRegistryError(t, err, tc.kind, "", "")
			// Refused before the input is looked at.
			_, err = x.s.AdmitMember(ctx, tc.v, registry.AdmitInput{})
			wantRegistryError(t, err, tc.kind, "", "")
		}
		if got := x.counts(t); got != before {
			t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
		}
		for _, role := range []registry.Role{registry.RoleSecretariat, registry.RoleAdmin} {
			if role == registry.RoleAdmin {
				admit.PersonID = ptrOf(x.people["杨磊"])
				move.Status, move.Reason = "ACTIVE", "会费已缴"
			}
			if _, err := x.s.AdmitMember(ctx, x.viewer(role), admit); err != nil {
				t.Fatalf("%s admitting: %v", role, err)
			}
			if _, err := x.s.ChangeMembershipStatus(ctx, x.viewer(role), move); err != nil {
				t.Fatalf("%s changing status: %v", role, err)
			}
		}
		x.verifyAudit(t, 8)
	})
}

func TestChangeMembershipStatusAllowsOnlyTheLegalMoves(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		c := x.s.Client
		joined, since, on := registry.Day(2020, 1, 1), registry.Day(2024, 1, 1), registry.Day(2026, 1, 1)
		n := 0
		for _, from := range allStatuses {
			for _, to := range allStatuses {
				t.Run(string(from)+" to "+string(to), func(t *testing.T) {
					n++
					p := c.Person.Create().SetName(fmt.Sprintf("会员%d", n)).SaveX(ctx)
					mc := c.Membership.Create().SetMemberNumber(fmt.Sprintf("T%d", n)).SetKind(membership.KindINDIVIDUAL).
						SetStatus(from).SetJoinedOn(joined).SetPersonID(p.ID)
					ended := from == membership.StatusLAPSED || from == membership.StatusEXPELLED || from == membership.StatusDECEASED
					if ended {
						mc.SetLeftOn(since)
					}
					m := mc.SaveX(ctx)
					c.StatusChange.Create().SetMembershipID(m.ID).SetToStatus(statuschange.ToStatus(from)).SetEffectiveOn(since).SaveX(ctx)
					seq := x.lastSeq(t)

					got, err := x.s.ChangeMembershipStatus(ctx, x.admin(), registry.StatusInput{
						MembershipID: m.ID, Status: string(to), EffectiveOn: on, Reason: "理事会决定"})
					history := c.StatusChange.Query().Where(statuschange.MembershipID(m.ID)).CountX(ctx)
					if !designMoves[string(from)+">"+string(to)] {
						wantRegistryError(t, err, registry.RuleViolation, "status", "transition")
						if msg := err.Error(); !strings.Contains(msg, string(from)) || !strings.Contains(msg, string(to)) {
							t.Fatalf("message %q names neither %s nor %s", msg, from, to)
						}
						if row := c.Membership.GetX(ctx, m.ID); row.Status != from || history != 1 || len(x.eventsAfter(t, seq)) != 0 {
							t.Fatalf("an illegal move wrote: status %s, %d history rows", row.Status, history)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					var wantLeft *time.Time
					switch {
					case from == membership.StatusLAPSED && to == membership.StatusACTIVE: // readmitted
					case ended: // left when it lapsed, and stays so
						wantLeft = &since
					case to == membership.StatusLAPSED || to == membership.StatusEXPELLED || to == membership.StatusDECEASED:
						wantLeft = &on
					}
					row := c.Membership.GetX(ctx, m.ID)
					if row.Status != to || got.Status != to || !sameDayPtr(row.LeftOn, wantLeft) || history != 2 {
						t.Fatalf("after the move: status %s, left %v, %d history rows; want %s, %v, 2", row.Status, row.LeftOn, history, to, wantLeft)
					}
					if evs := x.eventsAfter(t, seq); len(evs) != 2 || evs[0].Entity != "Membership" || evs[1].Entity != "StatusChange" ||
						evs[0].Action != "membership.status" || evs[1].Action != "membership.status" {
						t.Fatalf("events %+v", evs)
					}
				})
			}
		}
		x.verifyAudit(t, 2*int64(len(designMoves)))
	})
}

func sameDayPtr(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func TestChangeMembershipStatusKeepsHistory(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		id := x.mem["M000007"]
		zhang := x.people["张伟"]
		for _, mv := range []struct {
			to     string
			on     time.Time
			reason string
		}{
			{"SUSPENDED", registry.Day(2026, 1, 10), "会费未缴"},
			{"LAPSED", registry.Day(2026, 6, 30), "未续会"},
			{"ACTIVE", directoryToday, "重新入会"},
		} {
			if _, err := x.s.ChangeMembershipStatus(ctx, x.admin(), registry.StatusInput{MembershipID: id, Status: mv.to, EffectiveOn: mv.on, Reason: mv.reason}); err != nil {
				t.Fatalf("to %s: %v", mv.to, err)
			}
			if mv.to == "LAPSED" {
				if m := x.s.Client.Membership.GetX(ctx, id); !sameDayPtr(m.LeftOn, ptrOf(mv.on)) {
					t.Fatalf("lapsed: left %v, want %s", m.LeftOn, mv.on)
				}
			}
		}
		m := x.s.Client.Membership.GetX(ctx, id)
		if m.Status != membership.StatusACTIVE || m.LeftOn != nil || m.MemberNumber != "M000007" || !m.JoinedOn.Equal(registry.Day(2020, 3, 1)) {
			t.Fatalf("readmitted: %+v; want ACTIVE, no left day, the old number and joining day", m)
		}
		var got []string
		for _, sc := range x.s.Client.StatusChange.Query().Where(statuschange.MembershipID(id)).Order(statuschange.ByID()).AllX(ctx) {
			from := "-"
			if sc.FromStatus != nil {
				from = sc.FromStatus.String()
			}
			got = append(got, fmt.Sprintf("%s>%s %s %s", from, sc.ToStatus, sc.EffectiveOn.Format(registry.DateLayout), sc.Reason))
		}
		want := []string{
			"->ACTIVE 2020-03-01 imported",
			"ACTIVE>SUSPENDED 2026-01-10 会费未缴",
			"SUSPENDED>LAPSED 2026-06-30 未续会",
			"LAPSED>ACTIVE 2026-11-23 重新入会",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("history mismatch (-want +got):\n%s", diff)
		}
		first := x.s.Client.StatusChange.Query().Where(statuschange.MembershipID(id), statuschange.ReasonEQ("会费未缴")).OnlyX(ctx)
		mem := func(status, left string) string {
			return `{"id":` + strconv.Itoa(id) + `,"institutionId":null,"joinedOn":"2020-03-01","kind":"INDIVIDUAL","leftOn":` + left +
				`,"memberNumber":"M000007","personId":` + strconv.Itoa(zhang) + `,"status":"` + status + `"}`
		}
		wantEvents := []auditRow{
			{Action: "membership.status", Entity: "Membership", EntityID: id, Before: mem("ACTIVE", "null"), After: mem("SUSPENDED", "null")},
			{Action: "membership.status", Entity: "StatusChange", EntityID: first.ID,
				After: `{"effectiveOn":"2026-01-10","fromStatus":"ACTIVE","id":` + strconv.Itoa(first.ID) + `,"membershipId":` + strconv.Itoa(id) +
					`,"reason":"会费未缴","toStatus":"SUSPENDED"}`},
		}
		evs := x.eventsAfter(t, 0)
		if diff := cmp.Diff(wantEvents, evs[:2]); diff != "" {
			t.Fatalf("audit mismatch (-want +got):\n%s", diff)
		}
		if evs[2].Before != mem("SUSPENDED", "null") || evs[2].After != mem("LAPSED", `"2026-06-30"`) ||
			evs[4].Before != mem("LAPSED", `"2026-06-30"`) || evs[4].After != mem("ACTIVE", "null") {
			t.Fatalf("lapse and readmission events: %+v", evs[2:])
		}
		x.verifyAudit(t, 6)
	})
}

func TestChangeMembershipStatusRefusesBadInputAndChronology(t *testing.T) {
	tomorrow := directoryToday.AddDate(0, 0, 1)
	cases := []struct {
		name        string
		in          func(x *dirFixture) registry.StatusInput
		kind        registry.Kind
		field, rule string
	}{
		{"no membership", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{Status: "SUSPENDED", EffectiveOn: directoryToday, Reason: "r"}
		}, registry.Invalid, "membershipId", "required"},
		{"no status", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], EffectiveOn: directoryToday, Reason: "r"}
		}, registry.Invalid, "status", "required"},
		{"unknown status", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "RETIRED", EffectiveOn: directoryToday, Reason: "r"}
		}, registry.Invalid, "status", "oneOf"},
		{"no effective day", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", Reason: "r"}
		}, registry.Invalid, "effectiveOn", "required"},
		{"effective tomorrow", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", EffectiveOn: tomorrow, Reason: "r"}
		}, registry.Invalid, "effectiveOn", "past"},
		{"no reason", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", EffectiveOn: directoryToday}
		}, registry.Invalid, "reason", "required"},
		{"blank reason", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", EffectiveOn: directoryToday, Reason: "  "}
		}, registry.Invalid, "reason", "required"},
		{"reason of 501", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", EffectiveOn: directoryToday, Reason: strings.Repeat("因", 501)}
		}, registry.Invalid, "reason", "max"},
		{"no such membership", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: 99999, Status: "SUSPENDED", EffectiveOn: directoryToday, Reason: "r"}
		}, registry.NotFound, "membershipId", ""},
		{"to the same status", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "ACTIVE", EffectiveOn: directoryToday, Reason: "r"}
		}, registry.RuleViolation, "status", "transition"},
		{"before joining", func(x *dirFixture) registry.StatusInput {
			// M000007 joined on 2020-03-01.
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "SUSPENDED", EffectiveOn: registry.Day(2020, 2, 29), Reason: "r"}
		}, registry.RuleViolation, "effectiveOn", "chronology"},
		{"before the last move", func(x *dirFixture) registry.StatusInput {
			// M0000099 lapsed on 2025-06-01.
			return registry.StatusInput{MembershipID: x.mem["M0000099"], Status: "ACTIVE", EffectiveOn: registry.Day(2025, 5, 31), Reason: "r"}
		}, registry.RuleViolation, "effectiveOn", "chronology"},
		{"on the last move's day", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M0000099"], Status: "ACTIVE", EffectiveOn: registry.Day(2025, 6, 1), Reason: "r"}
		}, registry.Internal, "", ""},
		{"on the joining day", func(x *dirFixture) registry.StatusInput {
			return registry.StatusInput{MembershipID: x.mem["M000007"], Status: "DECEASED", EffectiveOn: registry.Day(2020, 3, 1), Reason: "r"}
		}, registry.Internal, "", ""},
	}
	// One copy per dialect: the refused calls must leave it as it was, so
	// each sees the same rows; the allowed ones come last.
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		before := x.counts(t)
		rows := x.s.Client.Membership.Query().Order(membership.ByID()).AllX(ctx)
		allowed := int64(0)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := x.s.ChangeMembershipStatus(ctx, x.admin(), tc.in(x))
				if tc.kind == registry.Internal { // allowed
					if err != nil {
						t.Fatal(err)
					}
					allowed++
					x.verifyAudit(t, 2*allowed)
					return
				}
				wantRegistryError(t, err, tc.kind, tc.field, tc.rule)
				if got := x.counts(t); got != before {
					t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
				}
				after := x.s.Client.Membership.Query().Order(membership.ByID()).AllX(ctx)
				if diff := cmp.Diff(rows, after, cmp.Comparer(func(a, b *ent.Membership) bool {
					return a.Status == b.Status && sameDayPtr(a.LeftOn, b.LeftOn) && a.UpdatedAt.Equal(b.UpdatedAt)
				})); diff != "" {
					t.Fatalf("a refused call changed memberships (-before +after):\n%s", diff)
				}
			})
		}
	})
}

func TestAdmitMemberConcurrentlyDrawsDistinctConsecutiveNumbers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		open  func(t *testing.T, d storetest.Dialect) *registry.Store
		first int
	}{
		{"guarded by the association", func(t *testing.T, d storetest.Dialect) *registry.Store { return openDirectory(t, d).s }, 8},
		{"no association yet", func(t *testing.T, d storetest.Dialect) *registry.Store { return storetest.Open(t, d) }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
				ctx := context.Background()
				s := tc.open(t, d)
				s.Clock = registry.FixedClock(directoryToday)
				const n = 8
				ids := make([]int, n)
				for i := range ids {
					ids[i] = s.Client.Person.Create().SetName(fmt.Sprintf("新会员%d", i)).SaveX(ctx).ID
				}
				events := s.Client.AuditEvent.Query().CountX(ctx)
				numbers := make([]string, n)
				errs := make([]error, n)
				var wg sync.WaitGroup
				start := make(chan struct{})
				for i := range n {
					wg.Go(func() {
						<-start
						m, err := s.AdmitMember(ctx, registry.System("test"), registry.AdmitInput{Kind: "INDIVIDUAL", PersonID: &ids[i], JoinedOn: directoryToday})
						if err == nil {
							numbers[i] = m.MemberNumber
						}
						errs[i] = err
					})
				}
				close(start)
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("admission %d: %v", i, err)
					}
				}
				slices.Sort(numbers)
				want := make([]string, n)
				for i := range want {
					want[i] = fmt.Sprintf("M%06d", tc.first+i)
				}
				if diff := cmp.Diff(want, numbers); diff != "" {
					t.Fatalf("numbers mismatch (-want +got):\n%s", diff)
				}
				if n2, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n2 != int64(events+2*n) {
					t.Fatalf("verify audit: %d events, break %v, err %v; want %d", n2, brk, err, events+2*n)
				}
			})
		})
	}
}
