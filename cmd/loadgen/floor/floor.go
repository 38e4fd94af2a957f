package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"github.com/societyregistry/registry/graph"
)

// floor answers the benchmark's two queries with hand-written SQL and
// writes their JSON directly: no GraphQL parsing, no resolvers, no
// loaders, no authorization. What it costs is what any Go server must
// spend on the same answers; make bench reports the registry's cost as a
// multiple of it.
type floor struct {
	db      *sql.DB
	dialect string
	// statements counts the statements run, for /metrics.
	statements atomic.Int64
}

// request is the part of a GraphQL request the floor reads: the
// variables of the roster ({"id", "n"}) or of the person ({"number"}).
type request struct {
	Variables struct {
		ID     string `json:"id"`
		N      int    `json:"n"`
		Number string `json:"number"`
	} `json:"variables"`
}

// ServeHTTP answers POST /graphql with the roster when the variables name
// an organization, the person when they name a member number.
func (f *floor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	var buf bytes.Buffer
	var err error
	switch v := req.Variables; {
	case v.ID != "":
		_, id, perr := graph.ParseGlobalID(v.ID)
		if err = perr; err == nil {
			err = f.roster(r.Context(), &buf, id, v.N)
		}
	case v.Number != "":
		err = f.person(r.Context(), &buf, v.Number)
	default:
		err = fmt.Errorf("the variables name neither an organization nor a member number")
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// query runs q, written with ? placeholders, on either dialect. SQLite
// gets ctx without its cancellation, as the registry's loaders give it:
// go-sqlite3 reads every row of a cancellable query in a goroutine of its
// own, and the floor must not pay for what the registry does not.
func (f *floor) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	f.statements.Add(1)
	if f.dialect == dialect.Postgres {
		q = rebind(q)
	} else {
		ctx = context.WithoutCancel(ctx)
	}
	return f.db.QueryContext(ctx, q, args...)
}

// rebind turns ? placeholders into $1, $2, ...
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// text compares names as bytes on PostgreSQL, as the registry does.
func (f *floor) text(expr string) string {
	if f.dialect == dialect.Postgres {
		return expr + ` COLLATE "C"`
	}
	return expr
}

// The roster in three statements: the organization with its active term;
// the term's first n appointments with post, person, member number and
// institution; the five newest appointments of each of those people with
// post and organization.
const (
	rosterHead = `SELECT o.id, o.name, o.kind, t.id, t.ordinal, t.starts_on, t.ends_on
FROM organizations o LEFT JOIN terms t ON t.organization_id = o.id AND t.status = 'ACTIVE' WHERE o.id = ?`
	rosterPage = `SELECT a.id, a.starts_on, a.ends_on, a.obtained_by, p.title, p.rank,
  pe.id, pe.name, pe.professional_title, pe.specialty, m.member_number, i.name
FROM appointments a JOIN posts p ON p.id = a.post_id JOIN people pe ON pe.id = a.person_id
LEFT JOIN memberships m ON m.person_id = pe.id LEFT JOIN institutions i ON i.id = pe.institution_id
WHERE a.term_id = ? ORDER BY p.rank, %s, a.id LIMIT ?`
	rosterHistory = `SELECT person_id, id, title, name FROM (
  SELECT a.person_id, a.id, p.title, o.name,
    ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.starts_on DESC, a.id DESC) AS rn
  FROM appointments a JOIN posts p ON p.id = a.post_id JOIN organizations o ON o.id = p.organization_id
  WHERE a.person_id IN (%s)) w
WHERE rn <= 5 ORDER BY person_id, rn`
)

// appointment is one roster row as the floor reads it.
type appointment struct {
	id                         int
	startsOn                   time.Time
	endsOn                     sql.NullTime
	obtainedBy, title          string
	rank                       int
	person                     int
	name, profTitle, specialty string
	memberNumber, institution  sql.NullString
	history                    []byte // the person's appointments, as JSON edges
}

// roster writes the branch roster of organization org, its current
// term's first n appointments.
func (f *floor) roster(ctx context.Context, buf *bytes.Buffer, org, n int) error {
	var (
		name, kind    string
		term, ordinal sql.NullInt64
		starts, ends  sql.NullTime
		id            int
	)
	rows, err := f.query(ctx, rosterHead, org)
	if err != nil {
		return err
	}
	found := false
	for rows.Next() {
		found = true
		if err := rows.Scan(&id, &name, &kind, &term, &ordinal, &starts, &ends); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	buf.WriteString(`{"data":{"node":`)
	if !found {
		buf.WriteString("null}}\n")
		return nil
	}
	buf.WriteString(`{"id":`)
	appendString(buf, graph.GlobalID("Organization", id))
	buf.WriteString(`,"name":`)
	appendString(buf, name)
	buf.WriteString(`,"kind":`)
	appendString(buf, kind)
	buf.WriteString(`,"currentTerm":`)
	if !term.Valid {
		buf.WriteString("null}}}\n")
		return nil
	}
	page, err := f.rosterPage(ctx, int(term.Int64), n)
	if err != nil {
		return err
	}
	buf.WriteString(`{"id":`)
	appendString(buf, graph.GlobalID("Term", int(term.Int64)))
	buf.WriteString(`,"ordinal":`)
	buf.WriteString(strconv.FormatInt(ordinal.Int64, 10))
	buf.WriteString(`,"startsOn":`)
	appendDate(buf, starts)
	buf.WriteString(`,"endsOn":`)
	appendDate(buf, ends)
	buf.WriteString(`,"appointments":{"edges":[`)
	for i, a := range page {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeAppointment(buf, a)
	}
	buf.WriteString("]}}}}}\n")
	return nil
}

// rosterPage reads a term's first n appointments and their people's
// histories.
func (f *floor) rosterPage(ctx context.Context, term, n int) ([]*appointment, error) {
	rows, err := f.query(ctx, fmt.Sprintf(rosterPage, f.text("pe.name")), term, n)
	if err != nil {
		return nil, err
	}
	var page []*appointment
	byPerson := map[int][]*appointment{}
	for rows.Next() {
		a := &appointment{}
		if err := rows.Scan(&a.id, &a.startsOn, &a.endsOn, &a.obtainedBy, &a.title, &a.rank,
			&a.person, &a.name, &a.profTitle, &a.specialty, &a.memberNumber, &a.institution); err != nil {
			rows.Close()
			return nil, err
		}
		page = append(page, a)
		byPerson[a.person] = append(byPerson[a.person], a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(page) == 0 {
		return page, err
	}
	marks := strings.Repeat(", ?", len(byPerson))[2:]
	args := make([]any, 0, len(byPerson))
	for p := range byPerson {
		args = append(args, p)
	}
	rows, err = f.query(ctx, fmt.Sprintf(rosterHistory, marks), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	histories := map[int]*bytes.Buffer{}
	var person, id int
	var title, org string
	for rows.Next() {
		if err := rows.Scan(&person, &id, &title, &org); err != nil {
			return nil, err
		}
		h := histories[person]
		if h == nil {
			h = &bytes.Buffer{}
			histories[person] = h
		} else {
			h.WriteByte(',')
		}
		h.WriteString(`{"node":{"id":`)
		appendString(h, graph.GlobalID("Appointment", id))
		h.WriteString(`,"post":{"title":`)
		appendString(h, title)
		h.WriteString(`,"organization":{"name":`)
		appendString(h, org)
		h.WriteString(`}}}}`)
	}
	for p, as := range byPerson {
		if h := histories[p]; h != nil {
			for _, a := range as {
				a.history = h.Bytes()
			}
		}
	}
	return page, rows.Err()
}

// writeAppointment writes one edge of the roster.
func writeAppointment(buf *bytes.Buffer, a *appointment) {
	buf.WriteString(`{"node":{"id":`)
	appendString(buf, graph.GlobalID("Appointment", a.id))
	buf.WriteString(`,"startsOn":`)
	appendDate(buf, sql.NullTime{Time: a.startsOn, Valid: true})
	buf.WriteString(`,"endsOn":`)
	appendDate(buf, a.endsOn)
	buf.WriteString(`,"obtainedBy":`)
	appendString(buf, a.obtainedBy)
	buf.WriteString(`,"post":{"title":`)
	appendString(buf, a.title)
	buf.WriteString(`,"rank":`)
	buf.WriteString(strconv.Itoa(a.rank))
	buf.WriteString(`},"person":{"id":`)
	appendString(buf, graph.GlobalID("Person", a.person))
	buf.WriteString(`,"name":`)
	appendString(buf, a.name)
	buf.WriteString(`,"professionalTitle":`)
	appendString(buf, a.profTitle)
	buf.WriteString(`,"specialty":`)
	appendString(buf, a.specialty)
	buf.WriteString(`,"memberNumber":`)
	appendNullString(buf, a.memberNumber)
	buf.WriteString(`,"institution":`)
	if a.institution.Valid {
		buf.WriteString(`{"name":`)
		appendString(buf, a.institution.String)
		buf.WriteByte('}')
	} else {
		buf.WriteString("null")
	}
	buf.WriteString(`,"appointments":{"edges":[`)
	buf.Write(a.history)
	buf.WriteString(`]}}}}`)
}

// personQuery reads a person by member number with the membership and
// the institution, in one statement.
const personQuery = `SELECT pe.id, pe.name, pe.gender, pe.birth_date, pe.professional_title, pe.specialty,
  m.member_number, m.status, m.joined_on, i.id, i.name, i.kind
FROM memberships m JOIN people pe ON pe.id = m.person_id LEFT JOIN institutions i ON i.id = pe.institution_id
WHERE m.member_number = ?`

// person writes the person lookup's answer.
func (f *floor) person(ctx context.Context, buf *bytes.Buffer, number string) error {
	rows, err := f.query(ctx, personQuery, number)
	if err != nil {
		return err
	}
	defer rows.Close()
	buf.WriteString(`{"data":{"person":`)
	if !rows.Next() {
		buf.WriteString("null}}\n")
		return rows.Err()
	}
	var (
		id                             int
		name, gender, title, specialty string
		memberNumber, status           string
		birth                          sql.NullTime
		joined                         time.Time
		inst                           sql.NullInt64
		instName, instKind             sql.NullString
	)
	if err := rows.Scan(&id, &name, &gender, &birth, &title, &specialty, &memberNumber, &status, &joined, &inst, &instName, &instKind); err != nil {
		return err
	}
	buf.WriteString(`{"id":`)
	appendString(buf, graph.GlobalID("Person", id))
	buf.WriteString(`,"name":`)
	appendString(buf, name)
	buf.WriteString(`,"gender":`)
	appendString(buf, gender)
	buf.WriteString(`,"birthDate":`)
	appendDate(buf, birth)
	buf.WriteString(`,"professionalTitle":`)
	appendString(buf, title)
	buf.WriteString(`,"specialty":`)
	appendString(buf, specialty)
	buf.WriteString(`,"memberNumber":`)
	appendString(buf, memberNumber)
	buf.WriteString(`,"membership":{"status":`)
	appendString(buf, status)
	buf.WriteString(`,"joinedOn":`)
	appendDate(buf, sql.NullTime{Time: joined, Valid: true})
	buf.WriteString(`},"institution":`)
	if inst.Valid {
		buf.WriteString(`{"id":`)
		appendString(buf, graph.GlobalID("Institution", int(inst.Int64)))
		buf.WriteString(`,"name":`)
		appendString(buf, instName.String)
		buf.WriteString(`,"kind":`)
		appendString(buf, instKind.String)
		buf.WriteByte('}')
	} else {
		buf.WriteString("null")
	}
	buf.WriteString("}}}\n")
	return rows.Err()
}

func appendDate(buf *bytes.Buffer, t sql.NullTime) {
	if !t.Valid {
		buf.WriteString("null")
		return
	}
	buf.WriteByte('"')
	buf.Write(t.Time.AppendFormat(buf.AvailableBuffer(), "2006-01-02"))
	buf.WriteByte('"')
}

func appendNullString(buf *bytes.Buffer, s sql.NullString) {
	if !s.Valid {
		buf.WriteString("null")
		return
	}
	appendString(buf, s.String)
}

// appendString writes s as a JSON string.
func appendString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf.WriteString(s[start:i])
		fmt.Fprintf(buf, `\u%04x`, c)
		start = i + 1
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}
