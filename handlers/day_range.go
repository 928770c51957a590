package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// dayRange is a period of whole days a form asks for (?from=, ?to=, as date
// inputs send them), both required and both included: as typed, and what
// is wrong with it.
type dayRange struct {
	From, To string // YYYY-MM-DD, as typed
	Errors   Errors
	from, to time.Time
}

// parseDayRange reads ?from= and ?to=: both days are required, well formed
// and in order. Callers add their own bounds.
func parseDayRange(c *fiber.Ctx) dayRange {
	r := dayRange{From: clone(cleanText(c.Query("from"))), To: clone(cleanText(c.Query("to"))), Errors: Errors{}}
	read := func(name, typed string) time.Time {
		d, ok := parseDay(typed)
		switch {
		case typed == "":
			r.Errors[name] = "period.date_required"
		case !ok:
			r.Errors[name] = "period.bad_day"
		}
		return d
	}
	r.from, r.to = read("from", r.From), read("to", r.To)
	if len(r.Errors) == 0 && r.to.Before(r.from) {
		r.Errors["to"] = "period.reversed"
	}
	return r
}

// spans reports a period of years or more.
func (r dayRange) spans(years int) bool { return !r.to.Before(r.from.AddDate(years, 0, 0)) }

// yearSoFar is the period a form first offers: from the first of today's
// year to today.
func yearSoFar(today time.Time) dayRange {
	first := time.Date(today.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
	return dayRange{From: first.Format(time.DateOnly), To: today.Format(time.DateOnly)}
}
