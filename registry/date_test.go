package registry

import (
	"strings"
	"testing"
	"time"
)

func TestAgeOnCountsABirthdayOnTheDayAsReached(t *testing.T) {
	birth := Day(1956, 6, 1)
	for _, c := range []struct {
		day  time.Time
		want int
	}{
		{Day(2026, 5, 31), 69},
		{Day(2026, 6, 1), 70}, // the 70th birthday on the term's first day
		{Day(2026, 6, 2), 70},
		{Day(2027, 5, 31), 70},
		{Day(2027, 6, 1), 71},
	} {
		if got := AgeOn(birth, c.day); got != c.want {
			t.Errorf("age on %s = %d, want %d", c.day.Format(DateLayout), got, c.want)
		}
	}
	// Born on 29 February: the birthday is reached on 1 March in other years.
	leap := Day(2000, 2, 29)
	if got := AgeOn(leap, Day(2026, 2, 28)); got != 25 {
		t.Errorf("leap birthday on 28 Feb: %d, want 25", got)
	}
	if got := AgeOn(leap, Day(2026, 3, 1)); got != 26 {
		t.Errorf("leap birthday on 1 Mar: %d, want 26", got)
	}
}

func TestTodayIsDecidedInTheSocietysZone(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	// 17:30 UTC on 22 November is 01:30 on 23 November in Shanghai.
	at := time.Date(2026, 11, 22, 17, 30, 0, 0, time.UTC)
	c := Clock{Now: func() time.Time { return at }, Location: shanghai}
	if got := c.Today(); !got.Equal(Day(2026, 11, 23)) {
		t.Errorf("today %s, want 2026-11-23", got.Format(DateLayout))
	}
}

func TestSQLiteDSNKeepsGivenSettings(t *testing.T) {
	got := SQLiteDSN("data/r.db?_busy_timeout=100")
	for _, want := range []string{"file:data/r.db?", "_busy_timeout=100", "_fk=1", "_journal_mode=WAL", "_txlock=immediate"} {
		if !contains(got, want) {
			t.Errorf("%s lacks %s", got, want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
