package loader

import (
	"testing"
	"time"

	"github.com/societyregistry/registry/ent"
	"github.com/societyregistry/registry/ent/membership"
)

// TestOptionalRow scans a membership read through a LEFT JOIN as each
// driver hands its columns over: a missing row leaves the entity zero and
// found false; a present one fills every field, pointers included.
func TestOptionalRow(t *testing.T) {
	var found bool
	m := &ent.Membership{}
	for _, d := range optional(membershipDest(m), &found) {
		if err := d.(*nullable).Scan(nil); err != nil {
			t.Fatal(err)
		}
	}
	if found || m.ID != 0 || m.LeftOn != nil {
		t.Fatalf("a missing row: found %v, %+v", found, m)
	}
	joined := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
	row := []any{int64(7), []byte("M000007"), "INDIVIDUAL", "ACTIVE", joined, joined.AddDate(1, 0, 0), int64(3), nil}
	for i, d := range optional(membershipDest(m), &found) {
		if err := d.(*nullable).Scan(row[i]); err != nil {
			t.Fatalf("column %d: %v", i, err)
		}
	}
	if !found || m.ID != 7 || m.MemberNumber != "M000007" || m.Kind != membership.KindINDIVIDUAL || m.Status != membership.StatusACTIVE ||
		!m.JoinedOn.Equal(joined) || m.LeftOn == nil || m.LeftOn.Year() != 2021 || m.PersonID == nil || *m.PersonID != 3 || m.InstitutionID != nil {
		t.Fatalf("a present row: %+v", m)
	}
	var flag bool
	if err := assign(&flag, int64(1)); err != nil || !flag {
		t.Fatalf("an integer into a bool: %v %v", flag, err)
	}
	var n int
	if err := assign(&n, "seven"); err == nil {
		t.Fatal("a string was stored in an int")
	}
}
