package loader

import (
	"context"
	"slices"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/assembly"
	"github.com/societyregistry/registry/ent/attendance"
	"github.com/societyregistry/registry/ent/constituency"
	"github.com/societyregistry/registry/ent/meeting"
	"github.com/societyregistry/registry/ent/motion"
	"github.com/societyregistry/registry/ent/participant"
	"github.com/societyregistry/registry/ent/term"
	"github.com/societyregistry/registry/ent/voter"
	"github.com/societyregistry/registry/registry"
)

// Meetings are the loaders of assemblies, meetings, motions and votes.
// Each reads one kind of row for every key of a level in one ent query;
// lists are short (a meeting's motions, a motion's voters) and are read
// whole per parent, then paged in memory. A row belongs to the
// organization of its term, and a viewer reads it only where they may
// read that organization.
type Meetings struct {
	c    *ent.Client
	orgs scope
	v    *registry.Viewer

	// Assembly, Meeting, Motion and Participant load rows by id; a
	// meeting comes with its term, a motion with its meeting and term.
	Assembly    *Loader[int, *ent.Assembly]
	Meeting     *Loader[int, *ent.Meeting]
	Motion      *Loader[int, *ent.Motion]
	Participant *Loader[int, *ent.Participant]
	// Constituency loads constituencies by id.
	Constituency *Loader[int, *ent.Constituency]

	// TermAssembly finds a term's assembly (nil when none).
	TermAssembly *Loader[int, *ent.Assembly]
	// TermMeetings lists a term's meetings by date, then id.
	TermMeetings *Loader[int, []*ent.Meeting]
	// AssemblyConstituencies lists an assembly's constituencies by id,
	// the order they were apportioned in.
	AssemblyConstituencies *Loader[int, []*ent.Constituency]
	// AssemblyParticipants lists an assembly's representatives and
	// substitutes by id.
	AssemblyParticipants *Loader[int, []*ent.Participant]
	// AssemblySessions lists an assembly's sessions by number.
	AssemblySessions *Loader[int, []*ent.Meeting]
	// MeetingParticipants lists a meeting's own participants by id.
	MeetingParticipants *Loader[int, []*ent.Participant]
	// MeetingAttendance lists a meeting's attendance rows.
	MeetingAttendance *Loader[int, []*ent.Attendance]
	// MeetingMotions lists a meeting's motions by number.
	MeetingMotions *Loader[int, []*ent.Motion]
	// MotionVoters lists a motion's voters, by id, with their votes.
	MotionVoters *Loader[int, []*ent.Voter]
}

func newMeetings(c *ent.Client, v *registry.Viewer, orgs scope, opt Options) *Meetings {
	m := &Meetings{c: c, orgs: orgs, v: v}
	m.Assembly = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Assembly, error) {
		return c.Assembly.Query().Where(assembly.IDIn(ids...)).WithTerm().All(ctx)
	}, func(a *ent.Assembly) (int, int) { return a.ID, a.Edges.Term.OrganizationID }, m.allow)
	m.Meeting = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Meeting, error) {
		return c.Meeting.Query().Where(meeting.IDIn(ids...)).WithTerm().All(ctx)
	}, func(x *ent.Meeting) (int, int) { return x.ID, x.Edges.Term.OrganizationID }, m.allow)
	m.Motion = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Motion, error) {
		return c.Motion.Query().Where(motion.IDIn(ids...)).WithMeeting(func(q *ent.MeetingQuery) { q.WithTerm() }).All(ctx)
	}, func(x *ent.Motion) (int, int) { return x.ID, x.Edges.Meeting.Edges.Term.OrganizationID }, m.allow)
	m.Participant = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Participant, error) {
		return c.Participant.Query().Where(participant.IDIn(ids...)).
			WithAssembly(func(q *ent.AssemblyQuery) { q.WithTerm() }).
			WithMeeting(func(q *ent.MeetingQuery) { q.WithTerm() }).All(ctx)
	}, func(p *ent.Participant) (int, int) {
		if p.Edges.Assembly != nil {
			return p.ID, p.Edges.Assembly.Edges.Term.OrganizationID
		}
		return p.ID, p.Edges.Meeting.Edges.Term.OrganizationID
	}, m.allow)

	m.Constituency = rowsByID(opt, func(ctx context.Context, ids []int) ([]*ent.Constituency, error) {
		return c.Constituency.Query().Where(constituency.IDIn(ids...)).WithAssembly(func(q *ent.AssemblyQuery) { q.WithTerm() }).All(ctx)
	}, func(x *ent.Constituency) (int, int) { return x.ID, x.Edges.Assembly.Edges.Term.OrganizationID }, m.allow)

	m.TermAssembly = batch(opt, func(ctx context.Context, ids []int) (map[int]*ent.Assembly, error) {
		rows, err := c.Assembly.Query().Where(assembly.TermIDIn(ids...)).All(ctx)
		return index(rows, func(a *ent.Assembly) int { return a.TermID }), err
	})
	m.TermMeetings = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Meeting, error) {
		return c.Meeting.Query().Where(meeting.TermIDIn(ids...)).WithTerm().
			Order(ent.Asc(meeting.FieldHeldOn), ent.Asc(meeting.FieldID)).All(ctx)
	}, func(x *ent.Meeting) int { return x.TermID })
	m.AssemblyConstituencies = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Constituency, error) {
		return c.Constituency.Query().Where(constituency.AssemblyIDIn(ids...)).Order(ent.Asc(constituency.FieldID)).All(ctx)
	}, func(x *ent.Constituency) int { return x.AssemblyID })
	m.AssemblyParticipants = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Participant, error) {
		return c.Participant.Query().Where(participant.AssemblyIDIn(ids...)).Order(ent.Asc(participant.FieldID)).All(ctx)
	}, func(x *ent.Participant) int { return *x.AssemblyID })
	m.AssemblySessions = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Meeting, error) {
		return c.Meeting.Query().Where(meeting.AssemblyIDIn(ids...)).WithTerm().Order(ent.Asc(meeting.FieldSession)).All(ctx)
	}, func(x *ent.Meeting) int { return *x.AssemblyID })
	m.MeetingParticipants = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Participant, error) {
		return c.Participant.Query().Where(participant.MeetingIDIn(ids...)).Order(ent.Asc(participant.FieldID)).All(ctx)
	}, func(x *ent.Participant) int { return *x.MeetingID })
	m.MeetingAttendance = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Attendance, error) {
		return c.Attendance.Query().Where(attendance.MeetingIDIn(ids...)).Order(ent.Asc(attendance.FieldID)).All(ctx)
	}, func(x *ent.Attendance) int { return x.MeetingID })
	m.MeetingMotions = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Motion, error) {
		return c.Motion.Query().Where(motion.MeetingIDIn(ids...)).Order(ent.Asc(motion.FieldNumber)).All(ctx)
	}, func(x *ent.Motion) int { return x.MeetingID })
	m.MotionVoters = groups(opt, func(ctx context.Context, ids []int) ([]*ent.Voter, error) {
		return c.Voter.Query().Where(voter.MotionIDIn(ids...)).WithVote().Order(ent.Asc(voter.FieldID)).All(ctx)
	}, func(x *ent.Voter) int { return x.MotionID })
	return m
}

// allow refuses a row of an organization outside the viewer's reach.
func (m *Meetings) allow(org int) error {
	if m.orgs.all || slices.Contains(m.orgs.ids, org) {
		return nil
	}
	return m.v.AuthorizeIn(registry.ReadOrganization, org, "")
}

// ReadTerm returns nil when the viewer may read the meetings of term
// id's organization.
func (m *Meetings) ReadTerm(ctx context.Context, id int) error {
	org, err := m.c.Term.Query().Where(term.ID(id)).QueryOrganization().OnlyID(ctx)
	if err != nil {
		return err
	}
	return m.allow(org)
}

func (m *Meetings) reset() {
	m.Assembly.ClearAll()
	m.Meeting.ClearAll()
	m.Motion.ClearAll()
	m.Participant.ClearAll()
	m.Constituency.ClearAll()
	m.TermAssembly.ClearAll()
	m.TermMeetings.ClearAll()
	m.AssemblyConstituencies.ClearAll()
	m.AssemblyParticipants.ClearAll()
	m.AssemblySessions.ClearAll()
	m.MeetingParticipants.ClearAll()
	m.MeetingAttendance.ClearAll()
	m.MeetingMotions.ClearAll()
	m.MotionVoters.ClearAll()
}

// batch builds a loader from a function that reads every key at once;
// a key it leaves out loads as the zero value.
func batch[V any](opt Options, read func(ctx context.Context, ids []int) (map[int]V, error)) *Loader[int, V] {
	return newLoader(func(ctx context.Context, keys []int) []*dataloader.Result[V] {
		got, err := read(ctx, keys)
		out := make([]*dataloader.Result[V], len(keys))
		for i, k := range keys {
			out[i] = &dataloader.Result[V]{Data: got[k], Error: err}
		}
		return out
	}, opt)
}

// rowsByID loads rows by id, refusing those of organizations the viewer
// may not read; key returns a row's id and organization.
func rowsByID[V any](opt Options, read func(ctx context.Context, ids []int) ([]*V, error), key func(*V) (int, int), allow func(org int) error) *Loader[int, *V] {
	return newLoader(func(ctx context.Context, keys []int) []*dataloader.Result[*V] {
		rows, err := read(ctx, keys)
		byID := make(map[int]*V, len(rows))
		for _, r := range rows {
			id, _ := key(r)
			byID[id] = r
		}
		out := make([]*dataloader.Result[*V], len(keys))
		for i, k := range keys {
			res := &dataloader.Result[*V]{Error: err}
			if r := byID[k]; r != nil && err == nil {
				_, org := key(r)
				if res.Error = allow(org); res.Error == nil {
					res.Data = r
				}
			}
			out[i] = res
		}
		return out
	}, opt)
}

// groups loads, for each parent, the rows read lists under it, in the
// order read returns them.
func groups[V any](opt Options, read func(ctx context.Context, ids []int) ([]V, error), parent func(V) int) *Loader[int, []V] {
	return batch(opt, func(ctx context.Context, ids []int) (map[int][]V, error) {
		rows, err := read(ctx, ids)
		out := map[int][]V{}
		for _, r := range rows {
			out[parent(r)] = append(out[parent(r)], r)
		}
		return out, err
	})
}

func index[V any](rows []V, key func(V) int) map[int]V {
	out := make(map[int]V, len(rows))
	for _, r := range rows {
		out[key(r)] = r
	}
	return out
}

// PageOf cuts one page out of a whole list, with cursors holding each
// row's id; a cursor naming a row no longer in the list is refused.
func PageOf[T any](rows []T, id func(T) int, pa PageArgs) (*Page[T], error) {
	pos := func(cursor string) (int, error) {
		vals, err := (Order{{Expr: "id", Kind: Int}}).decode(cursor)
		if err != nil {
			return 0, err
		}
		for i, r := range rows {
			if int64(id(r)) == vals[0].(int64) {
				return i, nil
			}
		}
		return 0, ErrBadCursor
	}
	lo, hi := 0, len(rows)
	if pa.After != "" {
		i, err := pos(pa.After)
		if err != nil {
			return nil, err
		}
		lo = i + 1
	}
	if pa.Before != "" {
		i, err := pos(pa.Before)
		if err != nil {
			return nil, err
		}
		hi = min(hi, i)
	}
	hi = max(hi, lo)
	p := &Page[T]{HasPrev: lo > 0, HasNext: hi < len(rows)}
	switch {
	case pa.First > 0 && hi-lo > pa.First:
		hi, p.HasNext = lo+pa.First, true
	case pa.Last > 0 && hi-lo > pa.Last:
		lo, p.HasPrev = hi-pa.Last, true
	}
	p.Rows = rows[lo:hi]
	for _, r := range p.Rows {
		p.Keys = append(p.Keys, []any{id(r)})
	}
	return p, nil
}
