package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/organization"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/registry"
	"github.com/societyregistry/registry/registry/rules"
)

// The shape of the benchmark data, as in the peer's seed.sql.
const (
	scaleInstitutions = 500
	scalePeople       = 20000
	scaleBranches     = 40
	scaleOrgs         = 3 + scaleBranches
	scaleTermsPerOrg  = 3
	scalePostsPerOrg  = 4
)

// Every array below is copied from seed.sql, in its order.
var (
	scaleCities = []string{"Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Wuhan", "Chengdu", "Xi'an", "Nanjing",
		"Hangzhou", "Tianjin", "Chongqing", "Changsha", "Shenyang", "Harbin", "Jinan", "Qingdao",
		"Zhengzhou", "Kunming", "Fuzhou", "Xiamen", "Hefei", "Nanchang", "Lanzhou", "Urumqi", "Hohhot"}
	scaleInstitutionTypes = []string{"University", "Medical University", "Municipal Hospital", "Institute of Technology",
		"Academy of Sciences Institute", "Research Institute", "People's Hospital",
		"Normal University", "Engineering Corporation", "Provincial Bureau"}
	scaleInstitutionKinds = []institution.Kind{institution.KindUNIVERSITY, institution.KindUNIVERSITY,
		institution.KindHOSPITAL, institution.KindINSTITUTE, institution.KindINSTITUTE, institution.KindINSTITUTE,
		institution.KindHOSPITAL, institution.KindUNIVERSITY, institution.KindCOMPANY, institution.KindGOVERNMENT}
	scaleSurnames = []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
		"Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo",
		"Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng",
		"Zeng", "Xiao", "Tian", "Dong", "Yuan", "Pan", "Yu", "Jiang", "Cai", "Jia",
		"Ding", "Wei", "Xue", "Ye", "Yan", "Lu", "Du", "Dai", "Fan", "Fu"}
	scaleGiven1 = []string{"Wei", "Jian", "Hong", "Xiao", "Ming", "Jun", "Li", "Hua", "Ping", "Gang",
		"Yan", "Lin", "Qiang", "Fang", "Jie", "Tao", "Yong", "Hui", "Bin", "Ying",
		"Chao", "Lei", "Xin", "Yu", "Dong", "Hai", "Ning", "Kai", "Rui", "Zhi",
		"Qing", "Bo", "Jing", "Peng", "Feng", "Yun", "Long", "Hao", "Shan", "Mei"}
	scaleGiven2 = []string{"Ming", "Hua", "Guo", "Jun", "Wen", "Long", "Feng", "Yi", "Ting", "Lan",
		"Cheng", "Xia", "Qi", "Ao", "Rong", "Sheng", "Bin", "Tian", "Yang", "Zhen",
		"Kang", "Le", "Shu", "Yuan", "Hao", "Ning", "Song", "Xuan", "Ze", "Han",
		"Jia", "Nan", "Pei", "Quan", "Wu", "Heng", "Lu"}
	scaleTitles = []string{"Professor", "Associate Professor", "Chief Physician", "Associate Chief Physician",
		"Senior Engineer", "Professorate Senior Engineer", "Research Fellow",
		"Associate Research Fellow"}
	scaleSpecialties = []string{"Cardiology", "Oncology", "Neurology", "Radiology", "Pediatrics", "Orthopedics",
		"Epidemiology", "Immunology", "Genetics", "Pharmacology", "Pathology", "Surgery",
		"Anesthesiology", "Dermatology", "Endocrinology", "Nephrology", "Psychiatry",
		"Ophthalmology", "Otolaryngology", "Urology", "Hematology", "Gastroenterology",
		"Pulmonology", "Rheumatology"}
	scaleBranchNames = []string{"Cardiology", "Oncology", "Neurology", "Radiology", "Pediatrics", "Orthopedics",
		"Epidemiology", "Immunology", "Genetics", "Pharmacology", "Pathology", "Surgery",
		"Anesthesiology", "Dermatology", "Endocrinology", "Nephrology", "Psychiatry",
		"Ophthalmology", "Otolaryngology", "Urology", "Hematology", "Gastroenterology",
		"Pulmonology", "Rheumatology", "Emergency Medicine", "Critical Care",
		"Infectious Diseases", "Geriatrics", "Rehabilitation Medicine", "Nuclear Medicine",
		"Medical Imaging", "Laboratory Medicine", "Public Health", "Nutrition",
		"Sports Medicine", "Medical Informatics", "Biomedical Engineering",
		"Traditional Medicine", "Stomatology", "Obstetrics and Gynecology"}
)

// ordinalWords names terms: "The Second Council".
var ordinalWords = []string{"", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"}

// termName names the ordinal-th term of an organization of the given kind.
func termName(kind organization.Kind, ordinal int) string {
	noun := "Term"
	switch kind {
	case organization.KindCOUNCIL:
		noun = "Council"
	case organization.KindSTANDING_COUNCIL:
		noun = "Standing Council"
	case organization.KindACADEMIC_BRANCH, organization.KindSPECIAL_COMMITTEE:
		noun = "Committee"
	}
	return "The " + ordinalWords[ordinal] + " " + noun
}

// Scale loads the benchmark shape of the PostGraphile peer's seed.sql into
// an empty database, row for row and with the same ids, in one
// transaction. dialect is "sqlite3" or "postgres". The ids come from the
// tables' own sequences, so the database must be fresh: Scale fails
// rather than write other ids.
func Scale(ctx context.Context, c *ent.Client, dialect string) error {
	return inTx(ctx, c, dialect, func(l *loader) error {
		if err := scaleInstitutionsAndPeople(ctx, l); err != nil {
			return err
		}
		if err := scaleOrganizations(ctx, l); err != nil {
			return err
		}
		return scaleAppointments(ctx, l)
	})
}

// checkIDs makes sure rows got the ids 1..n in order: the peer's ids are
// part of the benchmark (branch numbers, member numbers), and ent assigns
// ids from the table's sequence, which only a fresh database starts at 1.
func checkIDs[E any](what string, rows []E, id func(E) int) error {
	for i, r := range rows {
		if got := id(r); got != i+1 {
			return fmt.Errorf("seed: %s %d got id %d: the scale data needs a fresh database", what, i+1, got)
		}
	}
	return nil
}

// addDays adds days to a day.
func addDays(t time.Time, days int) time.Time { return t.AddDate(0, 0, days) }

// scaleInstitutionsAndPeople writes the institutions, the people, their
// memberships and the memberships' histories.
func scaleInstitutionsAndPeople(ctx context.Context, l *loader) error {
	tx := l.tx
	insts := make([]*ent.InstitutionCreate, scaleInstitutions)
	for i := 1; i <= scaleInstitutions; i++ {
		name := scaleCities[(i-1)%25] + " " + scaleInstitutionTypes[((i-1)/25)%10]
		if (i-1)/250 > 0 {
			name += fmt.Sprintf(" No. %d", 1+(i-1)/250)
		}
		insts[i-1] = tx.Institution.Create().SetName(name).SetKind(scaleInstitutionKinds[((i-1)/25)%10])
	}
	ins, err := bulk(ctx, l, "institutions", insts, func(ctx context.Context, b ...*ent.InstitutionCreate) ([]*ent.Institution, error) {
		return tx.Institution.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	if err := checkIDs("institution", ins, func(e *ent.Institution) int { return e.ID }); err != nil {
		return err
	}

	people := make([]*ent.PersonCreate, scalePeople)
	members := make([]*ent.MembershipCreate, scalePeople)
	var changes []*ent.StatusChangeCreate
	for i := 1; i <= scalePeople; i++ {
		s := (i - 1) * 7919 % 20000 // the peer's scrambled id
		name := scaleSurnames[s%50] + " " + scaleGiven1[(s/50)%40] +
			strings.ToLower(scaleGiven2[(s/2000+s%50+s/50%40)%37])
		gender := person.GenderMALE
		if i%3 == 0 {
			gender = person.GenderFEMALE
		}
		people[i-1] = tx.Person.Create().
			SetName(name).
			SetGender(gender).
			SetBirthDate(registry.Day(1940+(i*37)%50, time.January, 1)).
			SetProfessionalTitle(scaleTitles[(i*11)%8]).
			SetSpecialty(scaleSpecialties[(i*5)%24]).
			SetInstitutionID(1 + (i*37)%500)

		joined := addDays(registry.Day(1990, time.January, 1), (i*97)%12000)
		status, reason := membership.StatusACTIVE, ""
		switch {
		case i%499 == 0:
			status, reason = membership.StatusDECEASED, "deceased"
		case i%197 == 0:
			status, reason = membership.StatusSUSPENDED, "membership dues unpaid"
		case i%50 == 0:
			status, reason = membership.StatusLAPSED, "retired"
		}
		m := tx.Membership.Create().
			SetMemberNumber(fmt.Sprintf("M%06d", i)).
			SetKind(membership.KindINDIVIDUAL).
			SetStatus(status).
			SetJoinedOn(joined).
			SetPersonID(i)
		changes = append(changes, tx.StatusChange.Create().
			SetMembershipID(i).
			SetToStatus(statuschange.ToStatusACTIVE).
			SetEffectiveOn(joined).
			SetRecordedAt(joined).
			SetReason("imported"))
		if status != membership.StatusACTIVE {
			// Every joined_on lies before 2023; the move comes after it.
			on := addDays(registry.Day(2023, time.January, 1), (i*29)%1400)
			if status != membership.StatusSUSPENDED {
				m.SetLeftOn(on)
			}
			changes = append(changes, tx.StatusChange.Create().
				SetMembershipID(i).
				SetFromStatus(statuschange.FromStatusACTIVE).
				SetToStatus(statuschange.ToStatus(status)).
				SetEffectiveOn(on).
				SetRecordedAt(on).
				SetReason(reason))
		}
		members[i-1] = m
	}
	ps, err := bulk(ctx, l, "people", people, func(ctx context.Context, b ...*ent.PersonCreate) ([]*ent.Person, error) {
		return tx.Person.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	if err := checkIDs("person", ps, func(e *ent.Person) int { return e.ID }); err != nil {
		return err
	}
	ms, err := bulk(ctx, l, "memberships", members, func(ctx context.Context, b ...*ent.MembershipCreate) ([]*ent.Membership, error) {
		return tx.Membership.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	if err := checkIDs("membership", ms, func(e *ent.Membership) int { return e.ID }); err != nil {
		return err
	}
	_, err = bulk(ctx, l, "status changes", changes, func(ctx context.Context, b ...*ent.StatusChangeCreate) ([]*ent.StatusChange, error) {
		return tx.StatusChange.CreateBulk(b...).Save(ctx)
	})
	return err
}

// scaleOrgKind is the kind of organization id (1..43).
func scaleOrgKind(id int) organization.Kind {
	switch id {
	case 1:
		return organization.KindASSOCIATION
	case 2:
		return organization.KindCOUNCIL
	case 3:
		return organization.KindSTANDING_COUNCIL
	}
	return organization.KindACADEMIC_BRANCH
}

// scaleTermDates returns the planned dates of a term, end exclusive: the
// peer's inclusive end plus one day.
func scaleTermDates(org, ordinal int) (start, end time.Time) {
	base := registry.Day(2014, time.January, 1)
	start = base.AddDate((ordinal-1)*4, org%12, 0)
	end = base.AddDate(ordinal*4, org%12, 0)
	if ordinal == 3 {
		end = end.AddDate(1, 0, 0)
	}
	return start, end
}

// scaleSeats is how many seats the k-th post (1..4) of an
// organization has: the most the peer's appointments fill at once. The
// association's Member post is never filled but needs a seat to be valid.
func scaleSeats(kind organization.Kind, k int) int {
	switch k {
	case 1, 3:
		return 1
	case 2:
		return 4
	}
	switch kind {
	case organization.KindCOUNCIL:
		return 144
	case organization.KindSTANDING_COUNCIL:
		return 44
	case organization.KindACADEMIC_BRANCH:
		return 114
	}
	return 1
}

// scaleOrganizations writes the organizations, their terms and posts.
func scaleOrganizations(ctx context.Context, l *loader) error {
	tx := l.tx
	orgs := make([]*ent.OrganizationCreate, scaleOrgs)
	for id := 1; id <= scaleOrgs; id++ {
		kind := scaleOrgKind(id)
		var name string
		var parent int
		switch id {
		case 1:
			name = "National Medical and Scientific Association"
		case 2:
			name, parent = "Council of the Association", 1
		case 3:
			name, parent = "Standing Council of the Association", 2
		default:
			name, parent = "Branch of "+scaleBranchNames[id-4], 1
		}
		o := tx.Organization.Create().
			SetKind(kind).
			SetName(name).
			SetRules(rules.Rules{TermYears: 4}.WithDefaults(rules.Defaults(string(kind))))
		if parent != 0 {
			o.SetParentID(parent)
		}
		orgs[id-1] = o
	}
	// Parents come first, so one statement can hold them all.
	os, err := bulk(ctx, l, "organizations", orgs, func(ctx context.Context, b ...*ent.OrganizationCreate) ([]*ent.Organization, error) {
		return tx.Organization.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	if err := checkIDs("organization", os, func(e *ent.Organization) int { return e.ID }); err != nil {
		return err
	}

	var terms []*ent.TermCreate
	var posts []*ent.PostCreate
	for id := 1; id <= scaleOrgs; id++ {
		kind := scaleOrgKind(id)
		for ord := 1; ord <= scaleTermsPerOrg; ord++ {
			start, end := scaleTermDates(id, ord)
			t := tx.Term.Create().
				SetOrganizationID(id).
				SetOrdinal(ord).
				SetName(termName(kind, ord)).
				SetStartsOn(start).
				SetEndsOn(end).
				SetStatus(term.StatusACTIVE)
			if ord < scaleTermsPerOrg {
				t.SetStatus(term.StatusENDED).SetActualEnd(end)
			}
			terms = append(terms, t)
		}
		titles := []string{"Chair", "Vice-Chair", "Secretary-General", "Member"}
		switch kind {
		case organization.KindASSOCIATION:
			titles = []string{"President", "Vice-President", "Secretary-General", "Member"}
		case organization.KindACADEMIC_BRANCH:
			titles = []string{"Chair", "Vice-Chair", "Secretary", "Member"}
		}
		for k := 1; k <= scalePostsPerOrg; k++ {
			posts = append(posts, tx.Post.Create().
				SetOrganizationID(id).
				SetTitle(titles[k-1]).
				SetRank([]int{1, 2, 3, 9}[k-1]).
				SetSeats(scaleSeats(kind, k)).
				// DESIGN.md: chairs, vice chairs and the secretary-general
				// lead; a branch secretary does not.
				SetLeadership(k <= 2 || titles[k-1] == "Secretary-General"))
		}
	}
	ts, err := bulk(ctx, l, "terms", terms, func(ctx context.Context, b ...*ent.TermCreate) ([]*ent.Term, error) {
		return tx.Term.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	if err := checkIDs("term", ts, func(e *ent.Term) int { return e.ID }); err != nil {
		return err
	}
	pos, err := bulk(ctx, l, "posts", posts, func(ctx context.Context, b ...*ent.PostCreate) ([]*ent.Post, error) {
		return tx.Post.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	return checkIDs("post", pos, func(e *ent.Post) int { return e.ID })
}

// scaleSlot is the peer's slot of a seat of organization org, the same in
// each of its terms; the term's ordinal then shifts it to a person.
func scaleSlot(org, seat int) int {
	switch {
	case org >= 4:
		b := org - 3
		switch {
		case seat < 80:
			return seat*40 + (b - 1)
		case seat < 100:
			return (seat-80)*40 + ((b - 1 + 7) % 40)
		default:
			return 400 + (seat-100)*40 + ((b - 1 + 19) % 40)
		}
	default:
		// council, standing council and association: the first council seats
		return seat*20 + 3
	}
}

// scaleSeatCount is how many appointments each term of org has.
func scaleSeatCount(org int) int {
	switch org {
	case 1:
		return 6
	case 2:
		return 150
	case 3:
		return 50
	}
	return 120
}

// scaleAppointments writes the appointments, numbered as the peer's
// row_number() over term and seat.
func scaleAppointments(ctx context.Context, l *loader) error {
	tx := l.tx
	var appts []*ent.AppointmentCreate
	// Ordered by term id, then seat: the peer's row_number().
	for org := 1; org <= scaleOrgs; org++ {
		for ord := 1; ord <= scaleTermsPerOrg; ord++ {
			start, end := scaleTermDates(org, ord)
			termID := (org-1)*3 + ord
			for seat := 0; seat < scaleSeatCount(org); seat++ {
				personID := 1 + ((scaleSlot(org, seat)+(ord-1)*1600)*7919)%20000
				k := 4
				switch {
				case seat == 0:
					k = 1
				case seat <= 4:
					k = 2
				case seat == 5:
					k = 3
				}
				by := appointment.ObtainedByAPPOINTED
				switch {
				case ord == 1:
					by = appointment.ObtainedByCARRIED_OVER
				case seat <= 5:
					by = appointment.ObtainedByELECTED
				}
				a := tx.Appointment.Create().
					SetPersonID(personID).
					SetPostID((org-1)*4 + k).
					SetTermID(termID).
					SetStartsOn(start).
					SetEndsOn(end).
					SetObtainedBy(by)
				if ord < scaleTermsPerOrg {
					a.SetEndReason(appointment.EndReasonTERM_ENDED)
				}
				appts = append(appts, a)
			}
		}
	}
	as, err := bulk(ctx, l, "appointments", appts, func(ctx context.Context, b ...*ent.AppointmentCreate) ([]*ent.Appointment, error) {
		return tx.Appointment.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	return checkIDs("appointment", as, func(e *ent.Appointment) int { return e.ID })
}
