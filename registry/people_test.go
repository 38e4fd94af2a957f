package registry_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/auditevent"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
	"github.com/societyregistry/registry/registry/storetest"
)

// directoryToday is the day the directory fixture is read on.
var directoryToday = registry.Day(2026, 11, 23)

// directoryTemplate is a small society: an association numbering its units
// UNIT-%03d (individuals by the default M%06d), branch A with a youth
// committee under it, branch B, and people who sit, sat or never sat in
// them. Members: 张伟 M000007, 李娜 M12 (a number the pattern does not
// write), 刘洋 M0000099 (lapsed; nor this one), 协和医院 UNIT-005.
var directoryTemplate = storetest.Prepare("member_directory", func(ctx context.Context, s *registry.Store) error {
	c := s.Client
	day := registry.Day
	assoc, err := c.Organization.Create().SetKind(organization.KindASSOCIATION).SetName("医学会").
		SetRules(rules.Rules{UnitNumberPattern: "UNIT-%03d"}).Save(ctx)
	if err != nil {
		return err
	}
	org := func(kind organization.Kind, name string, parent int) *ent.Organization {
		return c.Organization.Create().SetKind(kind).SetName(name).SetParentID(parent).SetRules(rules.Rules{}).SaveX(ctx)
	}
	branchA := org(organization.KindACADEMIC_BRANCH, "心血管病学分会", assoc.ID)
	youthA := org(organization.KindSPECIAL_COMMITTEE, "心血管青年委员会", branchA.ID)
	branchB := org(organization.KindACADEMIC_BRANCH, "神经病学分会", assoc.ID)
	posts := map[int]*ent.Post{}
	terms := map[int]*ent.Term{}
	for _, o := range []*ent.Organization{branchA, youthA, branchB} {
		terms[o.ID] = c.Term.Create().SetOrganizationID(o.ID).SetOrdinal(1).SetStartsOn(day(2024, 1, 1)).
			SetEndsOn(day(2029, 1, 1)).SetStatus(term.StatusACTIVE).SaveX(ctx)
		posts[o.ID] = c.Post.Create().SetOrganizationID(o.ID).SetTitle("委员").SetRank(1).SetSeats(50).SaveX(ctx)
	}
	inst := func(name string, kind institution.Kind) *ent.Institution {
		return c.Institution.Create().SetName(name).SetKind(kind).SaveX(ctx)
	}
	xiehe := inst("协和医院", institution.KindHOSPITAL)
	inst("北京大学", institution.KindUNIVERSITY)
	inst("医疗器械公司", institution.KindCOMPANY)
	sits := func(name string, o *ent.Organization, endsOn *time.Time) *ent.Person {
		p := c.Person.Create().SetName(name).SetInstitutionID(xiehe.ID).SetEmail(name + "@example.cn").SaveX(ctx)
		if o != nil {
			c.Appointment.Create().SetPersonID(p.ID).SetPostID(posts[o.ID].ID).SetTermID(terms[o.ID].ID).
				SetStartsOn(day(2024, 1, 1)).SetNillableEndsOn(endsOn).SetObtainedBy(appointment.ObtainedByELECTED).SaveX(ctx)
		}
		return p
	}
	ended, later, today := day(2025, 6, 1), day(2027, 1, 1), directoryToday
	zhang := sits("张伟", branchA, nil)
	sits("王芳", youthA, nil)
	li := sits("李娜", branchB, nil)
	liu := sits("刘洋", branchA, &ended)
	sits("陈静", nil, nil)
	sits("杨磊", branchA, &later)
	sits("赵敏", branchA, &today)
	// 孙丽 is appointed to branch A from 2027 only: not sitting in it yet.
	sun := sits("孙丽", nil, nil)
	c.Appointment.Create().SetPersonID(sun.ID).SetPostID(posts[branchA.ID].ID).SetTermID(terms[branchA.ID].ID).
		SetStartsOn(later).SetObtainedBy(appointment.ObtainedByELECTED).SaveX(ctx)
	member := func(number string, kind membership.Kind, p *ent.Person, i *ent.Institution, joined time.Time, moves ...membership.Status) {
		m := c.Membership.Create().SetMemberNumber(number).SetKind(kind).SetStatus(moves[len(moves)-1]).SetJoinedOn(joined)
		if p != nil {
			m.SetPersonID(p.ID)
		} else {
			m.SetInstitutionID(i.ID)
		}
		if moves[len(moves)-1] == membership.StatusLAPSED {
			m.SetLeftOn(ended)
		}
		row := m.SaveX(ctx)
		var from *statuschange.FromStatus
		on := joined
		for _, to := range moves {
			c.StatusChange.Create().SetMembershipID(row.ID).SetNillableFromStatus(from).
				SetToStatus(statuschange.ToStatus(to)).SetEffectiveOn(on).SetReason("imported").SaveX(ctx)
			f := statuschange.FromStatus(to)
			from, on = &f, ended
		}
	}
	member("M000007", membership.KindINDIVIDUAL, zhang, nil, day(2020, 3, 1), membership.StatusACTIVE)
	member("M12", membership.KindINDIVIDUAL, li, nil, day(2021, 1, 1), membership.StatusACTIVE)
	member("M0000099", membership.KindINDIVIDUAL, liu, nil, day(2019, 1, 1), membership.StatusACTIVE, membership.StatusLAPSED)
	member("UNIT-005", membership.KindUNIT, nil, xiehe, day(2018, 5, 1), membership.StatusACTIVE)
	return nil
})

// dirFixture is an open copy of the directory, its rows looked up by
// name.
type dirFixture struct {
	s                         *registry.Store
	branchA, youthA, branchB  int
	people, institutions, mem map[string]int
}

func openDirectory(t *testing.T, d storetest.Dialect) *dirFixture {
	t.Helper()
	ctx := context.Background()
	s := directoryTemplate.Open(t, d)
	s.Clock = registry.FixedClock(directoryToday)
	x := &dirFixture{s: s, people: map[string]int{}, institutions: map[string]int{}, mem: map[string]int{}}
	for _, o := range s.Client.Organization.Query().AllX(ctx) {
		switch o.Name {
		case "心血管病学分会":
			x.branchA = o.ID
		case "心血管青年委员会":
			x.youthA = o.ID
		case "神经病学分会":
			x.branchB = o.ID
		}
	}
	for _, p := range s.Client.Person.Query().AllX(ctx) {
		x.people[p.Name] = p.ID
	}
	for _, i := range s.Client.Institution.Query().AllX(ctx) {
		x.institutions[i.Name] = i.ID
	}
	for _, m := range s.Client.Membership.Query().AllX(ctx) {
		x.mem[m.MemberNumber] = m.ID
	}
	return x
}

// Viewers of each role; the branch secretary keeps branch A (and so
// its youth committee).
func (x *dirFixture) admin() *registry.Viewer { return registry.System("test") }

func (x *dirFixture) viewer(role registry.Role) *registry.Viewer {
	if role == registry.RoleBranchSecretary {
		return registry.NewViewer(7, "secretary", role, []int{x.branchA}, []int{x.branchA, x.youthA})
	}
	return registry.NewViewer(8, strings.ToLower(string(role)), role, nil, nil)
}

// dirCounts are the rows a failed call must leave as they were.
type dirCounts struct{ People, Memberships, StatusChanges, AuditEvents int }

func (x *dirFixture) counts(t *testing.T) dirCounts {
	t.Helper()
	ctx := context.Background()
	c := x.s.Client
	return dirCounts{c.Person.Query().CountX(ctx), c.Membership.Query().CountX(ctx),
		c.StatusChange.Query().CountX(ctx), c.AuditEvent.Query().CountX(ctx)}
}

// auditRow is what a test compares of an audit event.
type auditRow struct {
	Action, Entity string
	EntityID       int
	Before, After  string
}

// eventsAfter returns the audit events after position seq, in order.
func (x *dirFixture) eventsAfter(t *testing.T, seq int64) []auditRow {
	t.Helper()
	evs := x.s.Client.AuditEvent.Query().Where(auditevent.SeqGT(seq)).Order(auditevent.BySeq()).AllX(context.Background())
	out := make([]auditRow, len(evs))
	for i, e := range evs {
		out[i] = auditRow{Action: e.Action, Entity: e.Entity, EntityID: e.EntityID}
		if e.Before != nil {
			out[i].Before = *e.Before
		}
		if e.After != nil {
			out[i].After = *e.After
		}
	}
	return out
}

func (x *dirFixture) lastSeq(t *testing.T) int64 {
	t.Helper()
	seqs := x.s.Client.AuditEvent.Query().Order(auditevent.BySeq()).Select(auditevent.FieldSeq).IntsX(context.Background())
	if len(seqs) == 0 {
		return 0
	}
	return int64(seqs[len(seqs)-1])
}

func (x *dirFixture) verifyAudit(t *testing.T, want int64) {
	t.Helper()
	n, brk, err := x.s.VerifyAudit(context.Background())
	if err != nil || brk != nil || n != want {
		t.Fatalf("verify audit: %d events, break %v, err %v; want %d events and no break", n, brk, err, want)
	}
}

// wantRegistryError fails unless err is an *registry.Error of kind, field and
// (when not empty) rule.
func wantRegistryError(t *testing.T, err error, kind registry.Kind, field, rule string) {
	t.Helper()
	e := registry.Wrap(err)
	if e == nil {
		t.Fatalf("no error; want %s on %q", kind.Code(), field)
	}
	if e.Kind != kind || e.Field != field || (rule != "" && e.Rule != rule) {
		t.Fatalf("error %s field %q rule %q (%v); want %s field %q rule %q", e.Kind.Code(), e.Field, e.Rule, e, kind.Code(), field, rule)
	}
}

func ptrOf[T any](v T) *T { return &v }

func TestCreatePersonRecordsPersonCreate(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		shanghai := time.FixedZone("CST", 8*3600)
		in := registry.PersonInput{
			Name:              "  欧阳" + strings.Repeat("明", 98) + " ",
			Gender:            "FEMALE",
			BirthDate:         ptrOf(time.Date(1975, 5, 6, 23, 30, 0, 0, shanghai)), // the 6th in Shanghai
			ProfessionalTitle: "主任医师",
			Specialty:         "心血管内科",
			InstitutionID:     ptrOf(x.institutions["北京大学"]),
			Email:             "ouyang@example.cn",
			Phone:             "+86 138-0013-8000",
			IDNumber:          "11010519750506002X",
		}
		p, err := x.s.CreatePerson(ctx, x.viewer(registry.RoleSecretariat), in)
		if err != nil {
			t.Fatal(err)
		}
		got := x.s.Client.Person.GetX(ctx, p.ID)
		name := "欧阳" + strings.Repeat("明", 98)
		if got.Name != name || got.Gender != person.GenderFEMALE || !got.BirthDate.Equal(registry.Day(1975, 5, 6)) ||
			got.ProfessionalTitle != "主任医师" || got.Specialty != "心血管内科" || *got.InstitutionID != x.institutions["北京大学"] ||
			got.Email != in.Email || got.Phone != in.Phone || got.IDNumber != in.IDNumber {
			t.Fatalf("stored %+v", got)
		}
		want := []auditRow{{Action: "person.create", Entity: "Person", EntityID: p.ID,
			After: `{"birthDate":"1975-05-06","email":"ouyang@example.cn","gender":"FEMALE","id":` + strconv.Itoa(p.ID) +
				`,"idNumberSet":true,"institutionId":` + strconv.Itoa(x.institutions["北京大学"]) + `,"name":"` + name +
				`","phone":"+86 138-0013-8000","professionalTitle":"主任医师","specialty":"心血管内科"}`}}
		if diff := cmp.Diff(want, x.eventsAfter(t, 0)); diff != "" {
			t.Fatalf("audit mismatch (-want +got):\n%s", diff)
		}
		if strings.Contains(want[0].After, in.IDNumber) {
			t.Fatal("the identity number reached the audit trail")
		}

		// The least: a name; gender defaults to UNDISCLOSED.
		q, err := x.s.CreatePerson(ctx, x.admin(), registry.PersonInput{Name: "李四", BirthDate: ptrOf(directoryToday)})
		if err != nil {
			t.Fatal(err)
		}
		if q.Gender != person.GenderUNDISCLOSED || q.InstitutionID != nil || q.Email != "" {
			t.Fatalf("minimal person %+v", q)
		}
		x.verifyAudit(t, 2)
	})
}

func TestCreatePersonRefusesBadInput(t *testing.T) {
	tomorrow := directoryToday.AddDate(0, 0, 1)
	long := strings.Repeat("长", 101)
	cases := []struct {
		name        string
		in          registry.PersonInput
		kind        registry.Kind
		field, rule string
	}{
		{"no name", registry.PersonInput{}, registry.Invalid, "name", "required"},
		{"blank name", registry.PersonInput{Name: "   "}, registry.Invalid, "name", "required"},
		{"name of 101 characters", registry.PersonInput{Name: long}, registry.Invalid, "name", "max"},
		{"unknown gender", registry.PersonInput{Name: "王五", Gender: "M"}, registry.Invalid, "gender", "oneOf"},
		{"born tomorrow", registry.PersonInput{Name: "王五", BirthDate: &tomorrow}, registry.Invalid, "birthDate", "past"},
		{"long title", registry.PersonInput{Name: "王五", ProfessionalTitle: long}, registry.Invalid, "professionalTitle", "max"},
		{"long specialty", registry.PersonInput{Name: "王五", Specialty: long}, registry.Invalid, "specialty", "max"},
		{"bad email", registry.PersonInput{Name: "王五", Email: "wang at example"}, registry.Invalid, "email", "email"},
		{"bad phone", registry.PersonInput{Name: "王五", Phone: "12"}, registry.Invalid, "phone", "phone"},
		{"identity number with a dash", registry.PersonInput{Name: "王五", IDNumber: "110105-1975"}, registry.Invalid, "idNumber", "alphanumeric"},
		{"identity number of 33", registry.PersonInput{Name: "王五", IDNumber: strings.Repeat("1", 33)}, registry.Invalid, "idNumber", "max"},
		{"no such institution", registry.PersonInput{Name: "王五", InstitutionID: ptrOf(99999)}, registry.NotFound, "institutionId", ""},
	}
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := openDirectory(t, d)
		before := x.counts(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := x.s.CreatePerson(context.Background(), x.admin(), tc.in)
				wantRegistryError(t, err, tc.kind, tc.field, tc.rule)
				if got := x.counts(t); got != before {
					t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
				}
			})
		}
	})
}

func TestCreatePersonListsEveryProblem(t *testing.T) {
	err := registry.Validate(registry.PersonInput{Name: "", Email: "x", Phone: "1"})
	e := registry.Wrap(err)
	var got []string
	for _, p := range e.Problems {
		got = append(got, p.Field+":"+p.Rule)
	}
	if diff := cmp.Diff([]string{"name:required", "email:email", "phone:phone"}, got); diff != "" {
		t.Fatalf("problems mismatch (-want +got):\n%s", diff)
	}
	// The birthday rule joins the tags' problems in the one error.
	s := storetest.Open(t)
	s.Clock = registry.FixedClock(directoryToday)
	_, err = s.CreatePerson(context.Background(), registry.System("test"),
		registry.PersonInput{Name: "", BirthDate: ptrOf(directoryToday.AddDate(1, 0, 0))})
	e = registry.Wrap(err)
	if e.Field != "name" || len(e.Problems) != 2 || e.Problems[1].Field != "birthDate" || e.Problems[1].Rule != "past" {
		t.Fatalf("error %v with problems %+v; want name first, then birthDate past", e, e.Problems)
	}
}

func TestCreatePersonNeedsEditMembers(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := openDirectory(t, d)
		ctx := context.Background()
		before := x.counts(t)
		for _, role := range []registry.Role{registry.RoleReader, registry.RoleBranchSecretary} {
			_, err := x.s.CreatePerson(ctx, x.viewer(role), registry.PersonInput{Name: "王五"})
			wantRegistryError(t, err, registry.Forbidden, "", "")
		}
		_, err := x.s.CreatePerson(ctx, nil, registry.PersonInput{Name: "王五"})
		wantRegistryError(t, err, registry.Unauthenticated, "", "")
		if got := x.counts(t); got != before {
			t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
		}
	})
}

func TestUpdatePersonRecordsPersonUpdate(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		id := x.people["陈静"]
		old := x.s.Client.Person.GetX(ctx, id)
		p, err := x.s.UpdatePerson(ctx, x.admin(), registry.PersonPatch{
			ID: id, Name: ptrOf(" 陈静怡 "), Gender: ptrOf("FEMALE"), BirthDate: ptrOf(registry.Day(1980, 2, 29)),
			Specialty: ptrOf("儿科"), InstitutionID: ptrOf(x.institutions["北京大学"]),
			Email: ptrOf(""), Phone: ptrOf("010-6529 5114"), IDNumber: ptrOf("110105198002290021"),
		})
		if err != nil {
			t.Fatal(err)
		}
		got := x.s.Client.Person.GetX(ctx, id)
		if p.Name != "陈静怡" || got.Name != "陈静怡" || got.Gender != person.GenderFEMALE || !got.BirthDate.Equal(registry.Day(1980, 2, 29)) ||
			got.Specialty != "儿科" || *got.InstitutionID != x.institutions["北京大学"] || got.Email != "" ||
			got.Phone != "010-6529 5114" || got.IDNumber != "110105198002290021" || got.ProfessionalTitle != old.ProfessionalTitle {
			t.Fatalf("stored %+v", got)
		}
		sid, xiehe, beida := strconv.Itoa(id), strconv.Itoa(x.institutions["协和医院"]), strconv.Itoa(x.institutions["北京大学"])
		want := []auditRow{{Action: "person.update", Entity: "Person", EntityID: id,
			Before: `{"birthDate":null,"email":"陈静@example.cn","gender":"UNDISCLOSED","id":` + sid + `,"idNumberSet":false,"institutionId":` + xiehe +
				`,"name":"陈静","phone":"","professionalTitle":"","specialty":""}`,
			After: `{"birthDate":"1980-02-29","email":"","gender":"FEMALE","id":` + sid + `,"idNumberSet":true,"institutionId":` + beida +
				`,"name":"陈静怡","phone":"010-6529 5114","professionalTitle":"","specialty":"儿科"}`}}
		if diff := cmp.Diff(want, x.eventsAfter(t, 0)); diff != "" {
			t.Fatalf("audit mismatch (-want +got):\n%s", diff)
		}

		// Clearing.
		if _, err := x.s.UpdatePerson(ctx, x.admin(), registry.PersonPatch{ID: id, ClearBirthDate: true, ClearInstitution: true, Specialty: ptrOf("")}); err != nil {
			t.Fatal(err)
		}
		got = x.s.Client.Person.GetX(ctx, id)
		if got.BirthDate != nil || got.InstitutionID != nil || got.Specialty != "" || got.Name != "陈静怡" {
			t.Fatalf("after clearing: %+v", got)
		}
		// A patch that changes nothing records nothing ...
		if _, err := x.s.UpdatePerson(ctx, x.admin(), registry.PersonPatch{ID: id, Name: ptrOf("陈静怡")}); err != nil {
			t.Fatal(err)
		}
		x.verifyAudit(t, 2)
		// ... but a new identity number in place of another is a change,
		// though the trail keeps only that one is set.
		if _, err := x.s.UpdatePerson(ctx, x.admin(), registry.PersonPatch{ID: id, IDNumber: ptrOf("110105198002290048")}); err != nil {
			t.Fatal(err)
		}
		x.verifyAudit(t, 3)
		if evs := x.eventsAfter(t, 2); len(evs) != 1 || strings.Contains(evs[0].After, "110105198002290048") {
			t.Fatalf("identity number change: %+v", evs)
		}
	})
}

func TestUpdatePersonRefusesBadInput(t *testing.T) {
	tomorrow := directoryToday.AddDate(0, 0, 1)
	cases := []struct {
		name        string
		in          func(x *dirFixture) registry.PersonPatch
		kind        registry.Kind
		field, rule string
	}{
		{"no id", func(x *dirFixture) registry.PersonPatch { return registry.PersonPatch{Name: ptrOf("王五")} }, registry.Invalid, "id", "required"},
		{"empty name", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], Name: ptrOf("")}
		}, registry.Invalid, "name", "min"},
		{"blank name", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], Name: ptrOf("  ")}
		}, registry.Invalid, "name", "min"},
		{"name of 101", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], Name: ptrOf(strings.Repeat("长", 101))}
		}, registry.Invalid, "name", "max"},
		{"empty gender", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], Gender: ptrOf("")}
		}, registry.Invalid, "gender", "oneOf"},
		{"born tomorrow", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], BirthDate: &tomorrow}
		}, registry.Invalid, "birthDate", "past"},
		{"birth date set and cleared", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], BirthDate: ptrOf(registry.Day(1980, 1, 1)), ClearBirthDate: true}
		}, registry.Invalid, "clearBirthDate", "exclusive"},
		{"institution set and cleared", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], InstitutionID: ptrOf(x.institutions["北京大学"]), ClearInstitution: true}
		}, registry.Invalid, "clearInstitution", "exclusive"},
		{"long title", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], ProfessionalTitle: ptrOf(strings.Repeat("长", 101))}
		}, registry.Invalid, "professionalTitle", "max"},
		{"bad email", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], Email: ptrOf("chen@")}
		}, registry.Invalid, "email", "email"},
		{"bad phone", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], Phone: ptrOf("phone")}
		}, registry.Invalid, "phone", "phone"},
		{"bad identity number", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], IDNumber: ptrOf("1101 05")}
		}, registry.Invalid, "idNumber", "alphanumeric"},
		{"no such institution", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: x.people["陈静"], InstitutionID: ptrOf(99999)}
		}, registry.NotFound, "institutionId", ""},
		{"no such person", func(x *dirFixture) registry.PersonPatch {
			return registry.PersonPatch{ID: 99999, Name: ptrOf("王五")}
		}, registry.NotFound, "id", ""},
	}
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		x := openDirectory(t, d)
		before := x.counts(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				row := x.s.Client.Person.GetX(ctx, x.people["陈静"])
				_, err := x.s.UpdatePerson(ctx, x.admin(), tc.in(x))
				wantRegistryError(t, err, tc.kind, tc.field, tc.rule)
				if got := x.counts(t); got != before {
					t.Fatalf("a refused call wrote: %+v, before %+v", got, before)
				}
				if after := x.s.Client.Person.GetX(ctx, row.ID); !after.UpdatedAt.Equal(row.UpdatedAt) {
					t.Fatal("a refused call touched the person's row")
				}
			})
		}
	})
}

func TestUpdatePersonByBranchSecretaryOnlyInScope(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d storetest.Dialect) {
		ctx := context.Background()
		x := openDirectory(t, d)
		// The secretary's account as the API makes it: scoped to branch A,
		// which brings in its youth committee.
		if _, err := x.s.CreateToken(ctx, x.admin(), registry.TokenRequest{Account: "cardio.secretary",
			Role: registry.RoleBranchSecretary, Scopes: []int{x.branchA}}); err != nil {
			t.Fatal(err)
		}
		secretary, err := x.s.ViewerOf(ctx, "cardio.secretary")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who  string
			id   int
			kind registry.Kind // Internal: allowed
		}{
			{"sits in branch A", x.people["张伟"], registry.Internal},
			{"sits in its youth committee", x.people["王芳"], registry.Internal},
			{"sits in branch A until after today", x.people["杨磊"], registry.Internal},
			{"sits in branch B", x.people["李娜"], registry.Forbidden},
			{"sat in branch A until 2025", x.people["刘洋"], registry.Forbidden},
			{"sat in branch A until today", x.people["赵敏"], registry.Forbidden},
			{"appointed to branch A from 2027", x.people["孙丽"], registry.Forbidden},
			{"sits nowhere", x.people["陈静"], registry.Forbidden},
			{"does not exist", 99999, registry.Forbidden},
		} {
			t.Run(tc.who, func(t *testing.T) {
				seq := x.lastSeq(t)
				before := x.s.Client.Person.Query().Where(person.ID(tc.id)).AllX(ctx)
				p, err := x.s.UpdatePerson(ctx, secretary, registry.PersonPatch{ID: tc.id, Phone: ptrOf("13800138000")})
				if tc.kind == registry.Internal {
					if err != nil {
						t.Fatal(err)
					}
					if p.Phone != "13800138000" {
						t.Fatalf("phone %q", p.Phone)
					}
					if evs := x.eventsAfter(t, seq); len(evs) != 1 || evs[0].Action != "person.update" || evs[0].EntityID != tc.id {
						t.Fatalf("events %+v", evs)
					}
					return
				}
				wantRegistryError(t, err, tc.kind, "id", "")
				if evs := x.eventsAfter(t, seq); len(evs) != 0 {
					t.Fatalf("a refused call recorded %+v", evs)
				}
				after := x.s.Client.Person.Query().Where(person.ID(tc.id)).AllX(ctx)
				if diff := cmp.Diff(before, after, cmp.Comparer(func(a, b *ent.Person) bool {
					return a.Phone == b.Phone && a.UpdatedAt.Equal(b.UpdatedAt)
				})); diff != "" {
					t.Fatalf("a refused call changed the row (-before +after):\n%s", diff)
				}
			})
		}
		// Outside the scope the answer is the same whether or not the
		// person exists; an administrator learns the difference.
		_, err = x.s.UpdatePerson(ctx, x.admin(), registry.PersonPatch{ID: 99999, Phone: ptrOf("13800138000")})
		wantRegistryError(t, err, registry.NotFound, "id", "")
		for _, role := range []registry.Role{registry.RoleReader} {
			_, err := x.s.UpdatePerson(ctx, x.viewer(role), registry.PersonPatch{ID: x.people["张伟"], Phone: ptrOf("13800138000")})
			wantRegistryError(t, err, registry.Forbidden, "id", "")
		}
		_, err = x.s.UpdatePerson(ctx, nil, registry.PersonPatch{ID: x.people["张伟"]})
		wantRegistryError(t, err, registry.Unauthenticated, "", "")
		x.verifyAudit(t, 5) // account.create, token.create, three updates
	})
}
