package loader

import (
	"context"

	"github.com/societyregistry/registry/ent"
)

// Reset starts the loaders over after a write: every cached row, page,
// total and answer is dropped, so what the request reads afterwards
// comes from the database as the write left it. Loads already under way
// still answer the fields that started them, but rows their batches read
// no longer prime any loader: a batch that began before the write cannot
// leave a stale row in the cache after it.
func (l *Loaders) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen++
	l.Person.ClearAll()
	l.Institution.ClearAll()
	l.Membership.ClearAll()
	l.Organization.ClearAll()
	l.Term.ClearAll()
	l.Post.ClearAll()
	l.Appointment.ClearAll()
	l.StatusChange.ClearAll()
	l.AuditEvent.ClearAll()
	l.MembershipOfPerson.ClearAll()
	l.MembershipOfInstitution.ClearAll()
	l.CurrentTerm.ClearAll()
	clearList(l.TermAppointments)
	clearList(l.OrganizationRoster)
	clearList(l.PersonAppointments)
	clearList(l.OrganizationTerms)
	clearList(l.OrganizationPosts)
	clearList(l.OrganizationChildren)
	clearList(l.InstitutionPeople)
	clearList(l.MembershipHistory)
	l.Predecessor.ClearAll()
	l.Successor.ClearAll()
	l.TermDeferrals.ClearAll()
	l.PersonTenures.ClearAll()
	l.SitsInScope.ClearAll()
	if l.Meetings != nil {
		l.Meetings.reset()
		l.Elections.reset()
	}
}

func clearList[T any](ll *ListLoader[T]) {
	ll.Page.ClearAll()
	ll.Count.ClearAll()
}

// primer returns a function that runs a priming only while the loaders
// have not been reset since primer was called: a batch calls it before
// it reads, so the rows it read never outlive a write that followed.
func (l *Loaders) primer() func(prime func()) {
	l.mu.RLock()
	gen := l.gen
	l.mu.RUnlock()
	return func(prime func()) {
		l.mu.RLock()
		defer l.mu.RUnlock()
		if l.gen == gen {
			prime()
		}
	}
}

// Prime hands a row a write just returned to the loader of its kind,
// when the viewer may read it there, so fields below the write's answer
// need not read it again. Call it after [Loaders.Reset].
func (l *Loaders) Prime(ctx context.Context, row any) {
	directory := l.ReadDirectory() == nil
	switch r := row.(type) {
	case *ent.Person:
		if directory {
			l.Person.Prime(ctx, r.ID, r)
		}
	case *ent.Membership:
		if directory {
			l.Membership.Prime(ctx, r.ID, r)
		}
	case *ent.Institution:
		if directory {
			l.Institution.Prime(ctx, r.ID, r)
		}
	case *ent.Term:
		if l.primeable(r.OrganizationID) {
			l.Term.Prime(ctx, r.ID, r)
		}
	case *ent.Post:
		if l.primeable(r.OrganizationID) {
			l.Post.Prime(ctx, r.ID, r)
		}
	case *ent.Appointment:
		// Its organization is its post's, which the row does not carry.
		if l.orgs.all {
			l.Appointment.Prime(ctx, r.ID, r)
		}
	}
}
