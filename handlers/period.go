package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// period is a from–to filter of calendar days as the date inputs send them
// (YYYY-MM-DD), both ends inclusive, in the company's time zone.
type period struct {
	From, To string // as typed, to fill the inputs again
	Error    string // translation key when the period is not usable
	from, to time.Time
}

// parsePeriod reads ?from= and ?to=. A malformed day or an end before the
// start is reported and the filter left out, never guessed at.
func parsePeriod(c *fiber.Ctx, loc *time.Location) period {
	p := period{From: clone(c.Query("from")), To: clone(c.Query("to"))}
	day := func(s string) (time.Time, bool) {
		d, ok := parseDay(s)
		if !ok || d.IsZero() {
			return d, ok
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), true // the day's midnight in the company's zone
	}
	from, okFrom := day(p.From)
	to, okTo := day(p.To)
	switch {
	case !okFrom || !okTo:
		p.Error = "period.bad_date"
	case !from.IsZero() && !to.IsZero() && to.Before(from):
		p.Error = "period.reversed"
	default:
		p.from = from
		if !to.IsZero() {
			p.to = to.AddDate(0, 0, 1) // through the end of the last day
		}
	}
	return p
}

// apply narrows a transaction filter to the period.
func (p period) apply(f db.TxFilter) db.TxFilter {
	f.From, f.To = p.from, p.to
	return f
}

// days is the period as calendar days (read with time.UTC), for filters on
// dates; nil for an open end.
func (p period) days() (from, to *time.Time) {
	if !p.from.IsZero() {
		from = &p.from
	}
	if !p.to.IsZero() {
		last := p.to.AddDate(0, 0, -1)
		to = &last
	}
	return from, to
}

// periodInputs are a period filter's from and to inputs and its error, as
// partials/period_inputs shows them.
type periodInputs struct {
	From, To           string // as typed
	FromLabel, ToLabel string
	Error              string // translated
	OOB                bool   // the error alone, in a filter's htmx answer (PeriodError)
}

// PeriodInputs prepares a period filter's inputs in the page's language.
func (p *Page) PeriodInputs(per period) periodInputs {
	in := periodInputs{From: per.From, To: per.To, FromLabel: p.T("period.from"), ToLabel: p.T("period.to")}
	if per.Error != "" {
		in.Error = p.T(per.Error)
	}
	return in
}

// PeriodError is the period's error for a filter's htmx answer, which
// replaces the one beside the inputs, shown or hidden, out of band.
func (p *Page) PeriodError(per period) periodInputs {
	in := p.PeriodInputs(per)
	in.OOB = true
	return in
}
