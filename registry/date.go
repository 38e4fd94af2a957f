package registry

import (
	"fmt"
	"time"
)

// DateLayout is how a calendar day is written: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Day returns the calendar day y-m-d as midnight UTC, the one form in
// which the registry keeps dates.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ParseDate reads a YYYY-MM-DD day.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("registry: %q is not a date in the form YYYY-MM-DD", s)
	}
	return t, nil
}

// DateOf returns the calendar day of t in t's own location, as midnight
// UTC.
func DateOf(t time.Time) time.Time { return Day(t.Date()) }

// Clock is the registry's one notion of now. Everything that depends on
// today (due lists, current terms, ages, as-of defaults) reads it, so
// tests and the --today flag can pin it.
type Clock struct {
	// Now returns the current instant; nil means time.Now.
	Now func() time.Time
	// Location is the society's time zone, in which "today" is decided.
	Location *time.Location
}

// Today returns the current calendar day in the society's time zone.
func (c Clock) Today() time.Time {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	return DateOf(now().In(c.location()))
}

// location is the society's time zone, UTC when none is set.
func (c Clock) location() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// FixedClock returns a Clock pinned to the given day, in UTC.
func FixedClock(day time.Time) Clock {
	return Clock{Now: func() time.Time { return day }, Location: time.UTC}
}

// AgeOn returns a person's age in whole years on day: a birthday falling
// on day counts as reached.
func AgeOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		age--
	}
	return age
}
