package handlers

import (
	"html/template"
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

// periodFields writes a period filter's from and to inputs and its error,
// as {{ periodFields $ .Period }} in a template: four pages filter by a
// period, and in Go the inputs cost a fraction of a template's reflection.
func periodFields(d withPage, per period) template.HTML {
	p := d.base()
	class := "field"
	if per.Error != "" {
		class += " has-error"
	}
	var m markup
	for _, in := range [...]struct{ name, label, value string }{{"from", "period.from", per.From}, {"to", "period.to", per.To}} {
		m.open("div", "class", class)
		m.elem("label", p.T(in.label), "for", "f-"+in.name)
		m.open("input", "id", "f-"+in.name, "type", "date", "name", in.name, "value", in.value)
		m.close("div")
	}
	if per.Error != "" {
		m.elem("p", p.T(per.Error), "class", "error", "id", "period-error")
	}
	return m.HTML()
}
