package registry

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/appointment"
	"github.com/societyregistry/registry/ent/membership"
	"github.com/societyregistry/registry/ent/person"
	"github.com/societyregistry/registry/ent/post"
)

// A roster file is the appointments of one term as CSV, one row per
// appointment, for branch secretaries who keep their rosters in
// spreadsheets. UTF-8, with or without a byte-order mark, a header row
// naming the columns (in any order):
//
//	post           the post's title in the term's organization
//	name           the person's name, checked against the person
//	member_number  the person's member number, or empty
//	person_id      the person's registry number, or empty
//	starts_on      YYYY-MM-DD (YYYY/M/D is read too)
//	ends_on        exclusive, empty while open
//	obtained_by    ELECTED, APPOINTED, CARRIED_OVER or EX_OFFICIO
//	end_reason     TERM_ENDED, RESIGNED, REMOVED, DECEASED, OTHER, or empty
//
// A row names its person by member_number or person_id (both: they must
// agree). Importing a file makes the term's roster agree with it: a row
// whose person already holds that post in the term updates that
// appointment where it differs; any other row appoints. Appointments the
// file does not mention are left as they are. A file exported and
// imported again changes nothing.
var rosterColumns = []string{"post", "name", "member_number", "person_id", "starts_on", "ends_on", "obtained_by", "end_reason"}

// MaxRosterRows bounds an imported file.
const MaxRosterRows = 5000

// ExportRoster writes the term's appointments as a roster file (without a
// byte-order mark), ordered by post rank, then name.
func (s *Store) ExportRoster(ctx context.Context, v *Viewer, termID int) ([]byte, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	t, err := s.Client.Term.Get(ctx, termID)
	if err != nil {
		return nil, v.hideMissing(err, ReadOrganization, "term")
	}
	if err := v.AuthorizeIn(ReadOrganization, t.OrganizationID, "term"); err != nil {
		return nil, err
	}
	apps, err := s.Client.Appointment.Query().Where(appointment.TermID(termID)).
		WithPost().WithPerson(func(q *ent.PersonQuery) { q.WithMembership() }).All(ctx)
	if err != nil {
		return nil, Wrap(err)
	}
	slices.SortFunc(apps, func(a, b *ent.Appointment) int {
		return cmp.Or(cmp.Compare(a.Edges.Post.Rank, b.Edges.Post.Rank),
			strings.Compare(a.Edges.Person.Name, b.Edges.Person.Name), cmp.Compare(a.ID, b.ID))
	})
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(rosterColumns)
	for _, a := range apps {
		number := ""
		if m := a.Edges.Person.Edges.Membership; m != nil {
			number = m.MemberNumber
		}
		ends, reason := "", ""
		if a.EndsOn != nil {
			ends = a.EndsOn.Format(DateLayout)
		}
		if a.EndReason != nil {
			reason = a.EndReason.String()
		}
		_ = w.Write([]string{a.Edges.Post.Title, a.Edges.Person.Name, number, strconv.Itoa(a.PersonID),
			a.StartsOn.Format(DateLayout), ends, a.ObtainedBy.String(), reason})
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// hideMissing turns a missing row into FORBIDDEN for a viewer whose reach
// of a is scoped, so a scoped account cannot learn which rows exist.
func (v *Viewer) hideMissing(err error, a Action, field string) error {
	if ent.IsNotFound(err) {
		if r, _ := v.Reach(a); r != Anywhere {
			return v.forbidden(a, field)
		}
		return E(NotFound, field, "no %s has that id", field)
	}
	return Wrap(err)
}

// ImportReport says what an import did.
type ImportReport struct {
	Created, Updated, Unchanged int
	// Untouched counts the term's appointments the file did not mention.
	Untouched int
}

// rosterRow is one parsed line of a roster file.
type rosterRow struct {
	line                       int
	post, name, number, person string
	personID, postID           int
	startsOn                   time.Time
	endsOn                     *time.Time
	obtainedBy, endReason      string
	existing                   *ent.Appointment
	// bad marks a row with faults of its own: it is checked against the
	// database for more, but never applied.
	bad bool
}

// ImportRoster makes the term's roster agree with a roster file, all or
// nothing: every bad row is reported (its line, column and rule, in the
// error's Problems) and nothing is written unless every row is good. The
// rows are applied in one transaction through the same rules as the
// appoint and updateAppointment operations, changes to existing
// appointments first (so a file may end one holder and appoint the next
// on the same day), then new appointments, each group in file order.
func (s *Store) ImportRoster(ctx context.Context, v *Viewer, termID int, data []byte) (*ImportReport, error) {
	if v == nil {
		return nil, unauthenticated()
	}
	t, err := s.Client.Term.Get(ctx, termID)
	if err != nil {
		return nil, v.hideMissing(err, EditRoster, "term")
	}
	if err := v.AuthorizeIn(EditRoster, t.OrganizationID, "term"); err != nil {
		return nil, err
	}
	if t.Status == "ENDED" {
		return nil, Violation("term", "termEnded", "%s has ended; an ended term's roster is read-only", apptTermName(t))
	}
	rows, probs := parseRoster(data)
	if len(rows) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Line: 1, Rule: "required", Message: "the file has no rows below its header"})
	}
	if len(rows) > 0 {
		probs = append(probs, s.resolveRoster(ctx, t, rows)...)
	}
	if len(probs) > 0 {
		slices.SortStableFunc(probs, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
		return nil, importError(probs)
	}
	rep := &ImportReport{}
	err = s.InTx(ctx, v, func(tx *ent.Tx, rec *Recorder) error {
		// Guard rows up front, the term and then the file's posts by id:
		// the operations below lock each as they go, and two imports
		// taking posts in their files' orders could deadlock.
		if err := lockImport(ctx, tx, termID, rows); err != nil {
			return err
		}
		var probs []Problem
		fail := func(r *rosterRow, err error) error {
			e := Wrap(err)
			if e.Kind == Internal || e.Kind == Timeout {
				return err // the transaction may be unusable: stop here
			}
			probs = append(probs, Problem{Line: r.line, Field: csvColumn(e.Field), Rule: cmp.Or(e.Rule, strings.ToLower(e.Kind.Code())), Message: e.Message})
			return nil
		}
		for _, r := range rows {
			if r.existing == nil {
				continue
			}
			patch, changed := r.patch()
			if !changed {
				rep.Unchanged++
				continue
			}
			if _, err := s.updateAppointmentTx(ctx, tx, rec, v, patch); err != nil {
				if err := fail(r, err); err != nil {
					return err
				}
				continue
			}
			rep.Updated++
		}
		for _, r := range rows {
			if r.existing != nil {
				continue
			}
			in := AppointInput{PersonID: r.personID, PostID: r.postID, TermID: termID, StartsOn: r.startsOn,
				EndsOn: r.endsOn, ObtainedBy: r.obtainedBy, EndReason: r.endReason}
			if _, err := s.appointTx(ctx, tx, rec, v, in); err != nil {
				if err := fail(r, err); err != nil {
					return err
				}
				continue
			}
			rep.Created++
		}
		if len(probs) > 0 {
			slices.SortStableFunc(probs, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
			return importError(probs)
		}
		n, err := tx.Appointment.Query().Where(appointment.TermID(termID)).Count(ctx)
		rep.Untouched = n - rep.Created - rep.Updated - rep.Unchanged
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func importError(probs []Problem) *Error {
	msg := fmt.Sprintf("line %d: %s", probs[0].Line, probs[0].Message)
	lines := map[int]bool{}
	for _, p := range probs {
		lines[p.Line] = true
	}
	if len(probs) > 1 {
		rows := fmt.Sprintf("%d rows are wrong", len(lines))
		if len(lines) == 1 {
			rows = "1 row is wrong"
		}
		msg = fmt.Sprintf("%s (%d faults), nothing was imported; first, %s", rows, len(probs), msg)
	} else {
		msg = "nothing was imported: " + msg
	}
	return &Error{Kind: Invalid, Field: "csv", Rule: probs[0].Rule, Message: msg, Problems: probs}
}

// csvColumn names the column an operation's input field comes from.
func csvColumn(field string) string {
	switch field {
	case "personId":
		return "person_id"
	case "postId":
		return "post"
	case "startsOn":
		return "starts_on"
	case "endsOn":
		return "ends_on"
	case "obtainedBy":
		return "obtained_by"
	case "endReason", "reason":
		return "end_reason"
	}
	return field
}

// parseRoster reads the rows of a roster file, reporting every row whose
// shape is wrong.
func parseRoster(data []byte) ([]*rosterRow, []Problem) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.LazyQuotes = true // a quote inside a name, 王"小"明, is part of it
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []Problem{{Line: 1, Rule: "header", Message: "the file is empty: it needs a header row naming " + strings.Join(rosterColumns, ", ")}}
		}
		return nil, []Problem{{Line: 1, Rule: "csv", Message: err.Error()}}
	}
	col := map[string]int{}
	var probs []Problem
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "":
			// spreadsheets write empty header cells past the last column
		case !slices.Contains(rosterColumns, h):
			probs = append(probs, Problem{Line: 1, Field: h, Rule: "header", Message: fmt.Sprintf("unknown column %q; the columns are %s", h, strings.Join(rosterColumns, ", "))})
		case col[h] > 0:
			probs = append(probs, Problem{Line: 1, Field: h, Rule: "header", Message: fmt.Sprintf("column %q appears twice", h)})
		default:
			col[h] = i + 1
		}
	}
	for _, need := range []string{"post", "starts_on", "obtained_by"} {
		if col[need] == 0 {
			probs = append(probs, Problem{Line: 1, Field: need, Rule: "header", Message: fmt.Sprintf("the header lacks the column %q", need)})
		}
	}
	if col["member_number"] == 0 && col["person_id"] == 0 {
		probs = append(probs, Problem{Line: 1, Field: "member_number", Rule: "header", Message: "the header needs member_number or person_id"})
	}
	if len(probs) > 0 {
		return nil, probs
	}
	var rows []*rosterRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				probs = append(probs, Problem{Rule: "csv", Message: err.Error()})
				break
			}
			// The reader goes on after a malformed line: report it and
			// read the rest.
			probs = append(probs, Problem{Line: pe.StartLine, Rule: "csv", Message: pe.Error()})
			continue
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i := col[name]; i > 0 && i <= len(rec) {
				return strings.TrimSpace(rec[i-1])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // blank lines spreadsheets leave at the end
		}
		if len(rows) == MaxRosterRows {
			probs = append(probs, Problem{Line: line, Rule: "max", Message: fmt.Sprintf("a roster file holds at most %d rows", MaxRosterRows)})
			break
		}
		// A row with faults is kept, so that its post and person are
		// checked too and every fault of the row is reported at once.
		row, rowProbs := parseRosterRow(line, get)
		probs = append(probs, rowProbs...)
		rows = append(rows, row)
	}
	return rows, probs
}

func parseRosterRow(line int, get func(string) string) (*rosterRow, []Problem) {
	var probs []Problem
	bad := func(field, rule, format string, args ...any) {
		probs = append(probs, Problem{Line: line, Field: field, Rule: rule, Message: field + ": " + fmt.Sprintf(format, args...)})
	}
	row := &rosterRow{line: line, post: get("post"), name: get("name"), number: get("member_number"), person: get("person_id"),
		obtainedBy: strings.ToUpper(get("obtained_by")), endReason: strings.ToUpper(get("end_reason"))}
	if row.post == "" {
		bad("post", "required", "is required")
	}
	if row.number == "" && row.person == "" {
		bad("member_number", "required", "give member_number or person_id")
	}
	if row.person != "" {
		n, err := strconv.Atoi(row.person)
		if err != nil || n < 1 {
			bad("person_id", "integer", "%q is not a person number", row.person)
		}
		row.personID = n
	}
	if s := get("starts_on"); s == "" {
		bad("starts_on", "required", "is required")
	} else if d, err := parseCSVDate(s); err != nil {
		bad("starts_on", "date", "%q is not a date in the form YYYY-MM-DD", s)
	} else {
		row.startsOn = d
	}
	if s := get("ends_on"); s != "" {
		if d, err := parseCSVDate(s); err != nil {
			bad("ends_on", "date", "%q is not a date in the form YYYY-MM-DD", s)
		} else {
			row.endsOn = &d
		}
	}
	if row.obtainedBy == "" {
		bad("obtained_by", "required", "is required")
	} else if appointment.ObtainedByValidator(appointment.ObtainedBy(row.obtainedBy)) != nil {
		bad("obtained_by", "oneOf", "%q is not one of ELECTED, APPOINTED, CARRIED_OVER, EX_OFFICIO", row.obtainedBy)
	}
	if row.endReason != "" && appointment.EndReasonValidator(appointment.EndReason(row.endReason)) != nil {
		bad("end_reason", "oneOf", "%q is not one of TERM_ENDED, RESIGNED, REMOVED, DECEASED, OTHER", row.endReason)
	}
	row.bad = len(probs) > 0
	return row, probs
}

// parseCSVDate reads YYYY-MM-DD, and YYYY/M/D as spreadsheets write it.
func parseCSVDate(s string) (time.Time, error) {
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	return time.Parse("2006/1/2", s)
}

// resolveRoster finds each row's post, person and existing appointment,
// reporting rows that name none or contradict themselves.
func (s *Store) resolveRoster(ctx context.Context, t *ent.Term, rows []*rosterRow) []Problem {
	var probs []Problem
	bad := func(r *rosterRow, field, rule, format string, args ...any) {
		probs = append(probs, Problem{Line: r.line, Field: field, Rule: rule, Message: field + ": " + fmt.Sprintf(format, args...)})
	}
	posts, err := s.Client.Post.Query().Where(post.OrganizationID(t.OrganizationID)).All(ctx)
	if err != nil {
		return []Problem{{Message: Wrap(err).Message}}
	}
	byTitle := map[string][]*ent.Post{}
	for _, p := range posts {
		byTitle[p.Title] = append(byTitle[p.Title], p)
	}
	var numbers []string
	var ids []int
	for _, r := range rows {
		if r.number != "" {
			numbers = append(numbers, r.number)
		}
		if r.personID != 0 {
			ids = append(ids, r.personID)
		}
	}
	members, err := s.Client.Membership.Query().Where(membership.MemberNumberIn(numbers...), membership.PersonIDNotNil()).All(ctx)
	if err != nil {
		return []Problem{{Message: Wrap(err).Message}}
	}
	personOf := map[string]int{}
	for _, m := range members {
		personOf[m.MemberNumber] = *m.PersonID
		ids = append(ids, *m.PersonID)
	}
	people, err := s.Client.Person.Query().Where(person.IDIn(ids...)).All(ctx)
	if err != nil {
		return []Problem{{Message: Wrap(err).Message}}
	}
	names := map[int]string{}
	for _, p := range people {
		names[p.ID] = p.Name
	}
	existing, err := s.Client.Appointment.Query().Where(appointment.TermID(t.ID)).All(ctx)
	if err != nil {
		return []Problem{{Message: Wrap(err).Message}}
	}
	type key struct{ person, post int }
	held := map[key]*ent.Appointment{}
	for _, a := range existing {
		held[key{a.PersonID, a.PostID}] = a
	}
	seen := map[key]int{}
	for _, r := range rows {
		ok := !r.bad
		switch ps := byTitle[r.post]; {
		case r.post == "":
			ok = false
		case len(ps) == 0:
			bad(r, "post", "exists", "%q is no post of this organization", r.post)
			ok = false
		case len(ps) == 1:
			r.postID = ps[0].ID
		default:
			bad(r, "post", "unique", "%d posts are titled %q", len(ps), r.post)
			ok = false
		}
		if r.number != "" {
			id, found := personOf[r.number]
			switch {
			case !found:
				bad(r, "member_number", "exists", "no individual member has number %q", r.number)
				ok = false
			case r.personID != 0 && r.personID != id:
				bad(r, "person_id", "agree", "member %s is person %d, not %d", r.number, id, r.personID)
				ok = false
			default:
				r.personID = id
			}
		}
		name, found := names[r.personID]
		switch {
		case !ok:
		case !found:
			bad(r, "person_id", "exists", "no person has number %d", r.personID)
			ok = false
		case r.name != "" && r.name != name:
			bad(r, "name", "agree", "%q does not match the person named, %s", r.name, name)
			ok = false
		}
		if !ok {
			continue
		}
		k := key{r.personID, r.postID}
		if first, dup := seen[k]; dup {
			bad(r, "post", "oncePerTerm", "%s holds %s once in a term; line %d names the same appointment", name, r.post, first)
			continue
		}
		seen[k] = r.line
		r.existing = held[k]
	}
	return probs
}

// patch is the update that makes r's existing appointment agree with r,
// and whether anything differs.
func (r *rosterRow) patch() (AppointmentPatch, bool) {
	a := r.existing
	p := AppointmentPatch{AppointmentID: a.ID}
	changed := false
	if !a.StartsOn.Equal(r.startsOn) {
		p.StartsOn, changed = &r.startsOn, true
	}
	switch {
	case r.endsOn == nil && a.EndsOn != nil:
		p.ClearEnd, changed = true, true
	case r.endsOn != nil && (a.EndsOn == nil || !a.EndsOn.Equal(*r.endsOn)):
		p.EndsOn, changed = r.endsOn, true
	}
	if string(a.ObtainedBy) != r.obtainedBy {
		p.ObtainedBy, changed = &r.obtainedBy, true
	}
	have := ""
	if a.EndReason != nil {
		have = a.EndReason.String()
	}
	if have != r.endReason && r.endReason != "" {
		p.EndReason, changed = &r.endReason, true
	}
	return p, changed
}

// lockImport updates the guard rows of an import: its term, then every
// post its rows name, in id order.
func lockImport(ctx context.Context, tx *ent.Tx, termID int, rows []*rosterRow) error {
	now := time.Now()
	if err := tx.Term.UpdateOneID(termID).SetUpdatedAt(now).Exec(ctx); err != nil {
		return err
	}
	ids := make([]int, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.postID)
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if err := tx.Post.UpdateOneID(id).SetUpdatedAt(now).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
