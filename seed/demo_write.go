package seed

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/institution"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/statuschange"
	"github.com/societyregistry/registry/ent/term"
)

// ------------------------------------------------------------- describing

var demoOtherSpecialties = []string{"Neurology", "General Surgery", "Orthopedics", "Anesthesiology",
	"Obstetrics and Gynecology", "Emergency Medicine", "Respiratory Medicine", "Endocrinology",
	"Stomatology", "Ophthalmology", "Dermatology", "Psychiatry"}

// titles by seniority, most senior first.
var (
	physicianTitles    = []string{"Chief Physician", "Associate Chief Physician", "Attending Physician", "Resident Physician"}
	nurseTitles        = []string{"Chief Nurse", "Associate Chief Nurse", "Nurse-in-Charge", "Senior Nurse"}
	pharmacistTitles   = []string{"Chief Pharmacist", "Associate Chief Pharmacist", "Pharmacist-in-Charge", "Pharmacist"}
	technologistTitles = []string{"Chief Technologist", "Associate Chief Technologist", "Technologist-in-Charge", "Technologist"}
	researcherTitles   = []string{"Research Fellow", "Associate Research Fellow", "Assistant Research Fellow", "Research Assistant"}
	professorTitles    = []string{"Professor", "Associate Professor", "Lecturer", "Assistant Lecturer"}
	engineerTitles     = []string{"Professorate Senior Engineer", "Senior Engineer", "Engineer", "Assistant Engineer"}
)

// describePeople gives everyone an institution, a specialty (their first
// branch's, when they sit on one) and a title fitting both, their age and
// whether they lead.
func (d *demo) describePeople() {
	first := map[*demoPerson]string{}
	leader := map[*demoPerson]bool{}
	for _, a := range d.appts {
		if s := a.post.org.specialty; s != "" && first[a.person] == "" {
			first[a.person] = s
		}
		leader[a.person] = leader[a.person] || a.post.leadership
	}
	specialties := slices.Concat(func() []string {
		var s []string
		for _, b := range demoBranches {
			s = append(s, b.specialty)
		}
		return s
	}(), demoOtherSpecialties)
	for _, p := range d.people {
		switch w := d.r.IntN(100); {
		case w < 72:
			p.inst = d.insts[d.r.IntN(18)]
		case w < 84:
			p.inst = d.insts[18+d.r.IntN(6)]
		case w < 90:
			p.inst = d.insts[24+d.r.IntN(4)]
		default:
			p.inst = d.insts[28+d.r.IntN(12)]
		}
		p.specialty = first[p]
		if p.specialty == "" {
			p.specialty = specialties[d.r.IntN(len(specialties))]
		}
		level := 2
		if age := p.ageOn(DemoToday()); age >= 0 {
			switch {
			case age >= 52:
				level = 0
			case age >= 44:
				level = 1
			case age >= 35:
				level = 2
			default:
				level = 3
			}
		}
		if d.r.IntN(4) == 0 && level < 3 {
			level++
		}
		if leader[p] {
			level = min(level, 1) // leaders are senior
		}
		titles := physicianTitles
		switch {
		case p.specialty == "Nursing":
			titles = nurseTitles
		case p.specialty == "Pharmacy":
			titles = pharmacistTitles
		case p.specialty == "Laboratory Medicine":
			titles = technologistTitles
		case p.inst.kind == institution.KindUNIVERSITY:
			titles = professorTitles
		case p.inst.kind == institution.KindCOMPANY:
			titles = engineerTitles
		case p.specialty == "Hospital Management" || p.specialty == "Health Management" ||
			p.inst.kind == institution.KindINSTITUTE || p.inst.kind == institution.KindGOVERNMENT:
			titles = researcherTitles
		}
		p.title = titles[level]
	}
}

// ----------------------------------------------------------------- writing

// write inserts the society, parents before children, in statements of
// l.rows rows.
func (d *demo) write(ctx context.Context, l *loader) error {
	tx := l.tx
	var ib []*ent.InstitutionCreate
	for _, u := range d.insts {
		ib = append(ib, tx.Institution.Create().SetName(u.name).SetKind(u.kind))
	}
	is, err := bulk(ctx, l, "institutions", ib, func(ctx context.Context, b ...*ent.InstitutionCreate) ([]*ent.Institution, error) {
		return tx.Institution.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range is {
		d.insts[i].ent = e
	}

	var pb []*ent.PersonCreate
	for _, p := range d.people {
		b := tx.Person.Create().
			SetName(p.name).
			SetGender(p.gender).
			SetProfessionalTitle(p.title).
			SetSpecialty(p.specialty).
			SetInstitutionID(p.inst.ent.ID).
			SetEmail(fmt.Sprintf("%s.%s.%d@members.lakeside-med.example", strings.ToLower(p.given), strings.ToLower(p.surname), p.n)).
			SetPhone(fmt.Sprintf("+86 000 %04d %04d", 1000+p.n/100, p.n))
		if !p.birth.IsZero() {
			b.SetBirthDate(p.birth)
		}
		pb = append(pb, b)
	}
	ps, err := bulk(ctx, l, "people", pb, func(ctx context.Context, b ...*ent.PersonCreate) ([]*ent.Person, error) {
		return tx.Person.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range ps {
		d.people[i].ent = e
	}

	// Memberships: individuals in member-number order, then units.
	type holder struct {
		number string
		status membership.Status
		joined time.Time
		left   time.Time
		moves  []demoMove
		person *demoPerson
		inst   *demoInstitution
	}
	var hs []holder
	for _, p := range d.people {
		hs = append(hs, holder{fmt.Sprintf("M%06d", p.n), p.status, p.joined, p.left, p.moves, p, nil})
	}
	for i, u := range d.insts {
		hs = append(hs, holder{fmt.Sprintf("U%04d", i+1), u.status, u.joined, u.left, u.moves, nil, u})
	}
	var mb []*ent.MembershipCreate
	for _, h := range hs {
		b := tx.Membership.Create().SetMemberNumber(h.number).SetStatus(h.status).SetJoinedOn(h.joined)
		if h.person != nil {
			b.SetKind(membership.KindINDIVIDUAL).SetPersonID(h.person.ent.ID)
		} else {
			b.SetKind(membership.KindUNIT).SetInstitutionID(h.inst.ent.ID)
		}
		if !h.left.IsZero() {
			b.SetLeftOn(h.left)
		}
		mb = append(mb, b)
	}
	ms, err := bulk(ctx, l, "memberships", mb, func(ctx context.Context, b ...*ent.MembershipCreate) ([]*ent.Membership, error) {
		return tx.Membership.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	var sb []*ent.StatusChangeCreate
	for i, h := range hs {
		for _, m := range h.moves {
			b := tx.StatusChange.Create().
				SetMembershipID(ms[i].ID).
				SetToStatus(statuschange.ToStatus(m.to)).
				SetEffectiveOn(m.on).
				SetRecordedAt(m.on).
				SetReason(m.reason)
			if m.from != "" {
				b.SetFromStatus(statuschange.FromStatus(m.from))
			}
			sb = append(sb, b)
		}
	}
	if _, err := bulk(ctx, l, "status changes", sb, func(ctx context.Context, b ...*ent.StatusChangeCreate) ([]*ent.StatusChange, error) {
		return tx.StatusChange.CreateBulk(b...).Save(ctx)
	}); err != nil {
		return err
	}

	// Organizations one by one: each needs its parent's id.
	for _, o := range d.orgs {
		b := tx.Organization.Create().SetKind(o.kind).SetName(o.name).SetRules(o.rules)
		if o.parent != nil {
			b.SetParentID(o.parent.ent.ID)
		}
		if o.ent, err = b.Save(ctx); err != nil {
			return fmt.Errorf("seed: insert organization %q: %w", o.name, err)
		}
	}
	var tb []*ent.TermCreate
	var terms []*demoTerm
	var qb []*ent.PostCreate
	var posts []*demoPost
	for _, o := range d.orgs {
		for _, t := range o.terms {
			b := tx.Term.Create().
				SetOrganizationID(o.ent.ID).
				SetOrdinal(t.ordinal).
				SetName(termName(o.kind, t.ordinal)).
				SetStartsOn(t.start).
				SetEndsOn(t.end).
				SetStatus(t.status)
			if t.status == term.StatusENDED {
				b.SetActualEnd(t.end)
			}
			tb = append(tb, b)
			terms = append(terms, t)
		}
		for _, p := range o.posts {
			qb = append(qb, tx.Post.Create().
				SetOrganizationID(o.ent.ID).
				SetTitle(p.title).
				SetRank(p.rank).
				SetSeats(p.seats).
				SetLeadership(p.leadership))
			posts = append(posts, p)
		}
	}
	ts, err := bulk(ctx, l, "terms", tb, func(ctx context.Context, b ...*ent.TermCreate) ([]*ent.Term, error) {
		return tx.Term.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range ts {
		terms[i].ent = e
	}
	qs, err := bulk(ctx, l, "posts", qb, func(ctx context.Context, b ...*ent.PostCreate) ([]*ent.Post, error) {
		return tx.Post.CreateBulk(b...).Save(ctx)
	})
	if err != nil {
		return err
	}
	for i, e := range qs {
		posts[i].ent = e
	}

	// Appointments by term, post, start and member number.
	appts := slices.Clone(d.appts)
	slices.SortStableFunc(appts, func(a, b *demoAppt) int {
		if c := a.term.ent.ID - b.term.ent.ID; c != 0 {
			return c
		}
		if c := a.post.ent.ID - b.post.ent.ID; c != 0 {
			return c
		}
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return a.person.n - b.person.n
	})
	var ab []*ent.AppointmentCreate
	for _, a := range appts {
		b := tx.Appointment.Create().
			SetPersonID(a.person.ent.ID).
			SetPostID(a.post.ent.ID).
			SetTermID(a.term.ent.ID).
			SetStartsOn(a.start).
			SetObtainedBy(a.by)
		if !a.end.IsZero() {
			b.SetEndsOn(a.end).SetEndReason(a.reason)
		}
		ab = append(ab, b)
	}
	_, err = bulk(ctx, l, "appointments", ab, func(ctx context.Context, b ...*ent.AppointmentCreate) ([]*ent.Appointment, error) {
		return tx.Appointment.CreateBulk(b...).Save(ctx)
	})
	return err
}
