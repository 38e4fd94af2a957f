// Package seed loads data into an empty registry database: [Demo], a small
// fictional society to explore and to test the API against, and [Scale],
// the benchmark shape shared with the PostGraphile peer
// (../shared/peers/postgraphile/seed.sql). Both are deterministic: on a
// fresh database every run writes the same rows with the same ids.
//
// # Demo
//
// The Lakeside High-Tech Zone Medical Association as of [DemoToday],
// 2026-11-23. Every name is invented. The counts, which tests assert:
//
//   - 800 people, each with an INDIVIDUAL membership M000001..M000800
//     (ids 1..800), numbered in the order they joined: 700 ACTIVE,
//     30 APPLICANT (M000771..M000800, applied in 2026), 20 SUSPENDED,
//     30 LAPSED (10 with reason "retired", 10 "resigned", 10 "not
//     renewed" after a suspension), 5 EXPELLED, 15 DECEASED. 400 MALE,
//     360 FEMALE, 40 UNDISCLOSED (every 20th); 10 people have no birth
//     date. 30 ACTIVE members were suspended (20) or lapsed (10) once
//     and readmitted, all before 2015.
//   - 40 institutions (18 HOSPITAL, 6 UNIVERSITY, 3 INSTITUTE,
//     1 GOVERNMENT, 12 COMPANY), each with a UNIT membership
//     U0001..U0040: 36 ACTIVE, 2 APPLICANT, 1 SUSPENDED, 1 LAPSED ("not
//     renewed").
//   - 1,790 status changes. Every history starts with APPLICANT and moves
//     only as DESIGN.md allows: APPLICANT → ACTIVE, ACTIVE ⇄ SUSPENDED,
//     ACTIVE or SUSPENDED → LAPSED, LAPSED → ACTIVE, any → EXPELLED or
//     DECEASED.
//   - 20 organizations: the ASSOCIATION (id 1), its COUNCIL (2), the
//     STANDING_COUNCIL (3), 3 SECRETARIAT_DEPARTMENT (4-6; no terms),
//     12 ACADEMIC_BRANCH (7-18) and 2 SPECIAL_COMMITTEE (19-20).
//   - 40 terms: 17 ACTIVE, 22 ENDED, 1 PLANNED. The association, council
//     and standing council each have the first term [2015-06-01,
//     2020-06-01) ENDED and the second [2020-06-01, 2025-06-01) ACTIVE,
//     past due. Branches: 7 current (active terms ending 2027-03-01, 98
//     days after today, to 2029-06-01), 3 due within 90 days
//     (Pediatrics 2026-12-15, with its third term PLANNED; Laboratory
//     Medicine 2027-01-10; Health Management 2027-02-20, the 89th day)
//     and 2 overdue (Nursing since 2026-10-01, General Practice since
//     2025-07-01, beyond the rules' 365 days of deferral). The 5 branches
//     with three terms run 4-year terms (set in their rules), the others
//     5. Committees: Medical Ethics overdue since 2026-01-01, Young
//     Physicians current with a leadership age limit of 45 in its rules.
//     An ended term's actual end is its planned end and its successor's
//     start.
//   - 62 posts. The council: President, Executive Vice President,
//     6 Vice Presidents, Secretary-General (leadership) and 111 Council
//     Members, 120 seats; the standing council one post of 40 seats (a
//     third of the council): the 9 officers EX_OFFICIO, 31 ELECTED from
//     the council. Each branch: Chair, 3 or 4 Vice Chairs (leadership),
//     Secretary and 20-40 Members; the committees 2 Vice Chairs and 15
//     Members.
//   - 1,371 appointments: 769 in ended terms (ending with the term,
//     TERM_ENDED), 602 in active ones, of which 597 are held today and
//     have no end: 400 branch seats (all of them, held by 310 people:
//     240 on one branch, 50 on two, 20 on three), 119 of the 120 council
//     seats, 40 standing council seats, 38 committee seats. 1,245
//     ELECTED, 108 APPOINTED, 18 EX_OFFICIO. Everyone holding a post of
//     an active term today is ACTIVE; leaders were at most 70 (45 in
//     Young Physicians) on their term's first day, and nobody leads an
//     organization three terms running.
//
// Notable people, by member number (= person id): M000001 was president
// of both councils (the consecutive-term limit) and turned 70 on
// 2025-06-01, the second council's planned end; M000002, vice president
// then executive vice president, turned 71 the day after; M000003 was
// secretary-general of both; M000004, executive vice president of the
// first council, lapsed as "retired"; M000005 chairs Pediatrics and turns
// 70 on 2026-12-15, the day its next term starts; M000006, a Laboratory
// Medicine vice chair, turns 71 on 2027-01-10, the day its term ends;
// M000007 chaired Cardiology in its second and third terms; M000008
// chairs Health Management and turns 70 the day after its term ends.
// Mid-term events in active terms: M000009, a Cardiology vice chair,
// died on 2024-11-03 (seat filled from 2025-03-15); M000010 was expelled
// and removed from Oncology on 2025-09-30 (filled from 2025-12-01);
// M000011 resigned as Nursing secretary on 2025-03-01 (filled from
// 2025-04-01) and stays a member; council member M000012 died on
// 2024-03-12 (filled by election from 2024-06-20); council member
// M000013 resigned from the association on 2025-10-15, and the seat is
// still vacant.
//
// # Scale
//
// seed.sql row for row, with the same ids: 500 institutions; 20,000
// people with INDIVIDUAL memberships M000001..M020000 (19,461 ACTIVE,
// 398 LAPSED with reason "retired", 101 SUSPENDED, 40 DECEASED) and
// 20,539 status changes (each membership starts ACTIVE on its joining
// day; the others moved in 2023-2026); 43 organizations: association 1,
// council 2, standing council 3, branches 4-43; 129 terms, ordinals 1-2
// ENDED and 3 ACTIVE; 172 posts; 15,018 appointments. The peer's
// inclusive end dates become exclusive ones (+1 day), its sources map to
// CARRIED_OVER (LEGACY_IMPORT), ELECTED (ELECTION) and APPOINTED
// (NOMINATION), ended terms' appointments end TERM_ENDED, and every
// organization's rules set a 4-year term. Seats are the most the peer
// fills at once: 1 chair, 4 vice chairs, 1 secretary, and 114 branch,
// 144 council and 44 standing council members (the association's unused
// Member post has 1). Chairs, vice chairs and secretaries-general lead.
// The peer's data is kept as it is, including DECEASED, SUSPENDED and
// LAPSED people holding posts of active terms and leaders older than 70.
package seed

import (
	"context"
	"errors"
	"fmt"

	"github.com/societyregistry/registry/ent"
)

// ErrNotEmpty is returned when the database already holds people,
// institutions or organizations: seed data goes into an empty database
// only.
var ErrNotEmpty = errors.New("seed: database is not empty")

// rowsPerInsert is how many rows one INSERT statement carries. No table
// here has more than 12 columns; SQLite refuses about 32k bind variables,
// PostgreSQL 65,535.
func rowsPerInsert(dialect string) int {
	if dialect == "postgres" {
		return 5000
	}
	return 2000
}

// loader is one seeding transaction.
type loader struct {
	tx   *ent.Tx
	rows int // per INSERT statement
}

// ensureEmpty refuses a database that already holds seedable rows.
func ensureEmpty(ctx context.Context, tx *ent.Tx) error {
	for _, exist := range []func(context.Context) (bool, error){
		tx.Person.Query().Exist,
		tx.Institution.Query().Exist,
		tx.Organization.Query().Exist,
	} {
		ok, err := exist(ctx)
		if err != nil {
			return fmt.Errorf("seed: check the database is empty: %w", err)
		}
		if ok {
			return ErrNotEmpty
		}
	}
	return nil
}

// inTx runs fn in one transaction, committed when fn succeeds and rolled
// back otherwise.
func inTx(ctx context.Context, c *ent.Client, dialect string, fn func(*loader) error) error {
	tx, err := c.Tx(ctx)
	if err != nil {
		return fmt.Errorf("seed: begin: %w", err)
	}
	if err := ensureEmpty(ctx, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := fn(&loader{tx: tx, rows: rowsPerInsert(dialect)}); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed: commit: %w", err)
	}
	return nil
}

// bulk saves builders in chunks with save (a CreateBulk(...).Save) and
// returns the created rows in order.
func bulk[B, E any](ctx context.Context, l *loader, what string, builders []B, save func(context.Context, ...B) ([]E, error)) ([]E, error) {
	out := make([]E, 0, len(builders))
	for lo := 0; lo < len(builders); lo += l.rows {
		hi := min(lo+l.rows, len(builders))
		rows, err := save(ctx, builders[lo:hi]...)
		if err != nil {
			return nil, fmt.Errorf("seed: insert %s %d-%d: %w", what, lo+1, hi, err)
		}
		out = append(out, rows...)
	}
	return out, nil
}
