package db

import (
	"database/sql"
	"time"
)

// Calendar days (tariff validity, service and subscription periods) are
// stored as YYYY-MM-DD and held as midnight UTC: a day, not an instant.
const dateLayout = "2006-01-02"

func formatDate(t time.Time) string { return t.Format(dateLayout) }

func parseDate(s string) time.Time {
	t, _ := time.Parse(dateLayout, s)
	return t
}

func parseNullDate(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseDate(s.String)
	return &t
}

func nullDate(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatDate(*t)
}

// Today is the calendar day it is now in loc, as a date.
func Today(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
