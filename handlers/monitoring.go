package handlers

import (
	"context"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// monitoringPage is the Мониторинг tab: a card per server, the recent
// incidents and the license keys.
type monitoringPage struct {
	*Page
	Cards     []monitorCard
	Incidents []db.Incident
	Licenses  []licenseView
	Now       time.Time
}

// monitorCard is one server as its card shows it.
type monitorCard struct {
	db.Monitor
	Uptimes []uptimeView  // 24 h, 7 d, 30 d
	Chart   template.HTML // a bar an hour for the last 24 hours
	MaxMS   int64         // the chart's scale
}

type uptimeView struct {
	Label  string // translation key
	Uptime db.Uptime
}

type licenseView struct {
	db.License
	DaysLeft int
	Warn     bool // 30 days or fewer left
	Limits   []limitView
}

// limitView is one of a license's limits, named in the user's language
// when it is a known one ("operators"), as the server sent it otherwise.
type limitView struct {
	Name  string
	Value int
}

const (
	sparkWidth  = 240.0
	sparkHeight = 48.0
)

func (s *Server) showMonitoring(c *fiber.Ctx) error {
	ctx := c.UserContext()
	co := state(c).company
	p := s.page(c, "monitoring", "monitoring.title")
	data := monitoringPage{Page: p, Now: s.store.Now()}
	monitors, err := s.store.CompanyMonitors(ctx, co.ID)
	if err != nil {
		return err
	}
	for _, m := range monitors {
		if !m.Active {
			continue
		}
		card, err := s.monitorCard(ctx, p, m, data.Now)
		if err != nil {
			return err
		}
		data.Cards = append(data.Cards, card)
	}
	c.Set("Vary", "HX-Request")
	if wantsFragment(c, "monitor-cards") {
		return s.fragment(c, "monitoring/cards", data)
	}
	if data.Incidents, err = s.store.CompanyIncidents(ctx, co.ID, 20); err != nil {
		return err
	}
	licenses, err := s.store.CompanyLicenses(ctx, co.ID)
	if err != nil {
		return err
	}
	today := db.Today(data.Now, co.Location())
	for _, l := range licenses {
		days := l.DaysLeft(today)
		lv := licenseView{License: l, DaysLeft: days, Warn: days <= db.LicenseWarnDays[0]}
		for _, name := range slices.Sorted(maps.Keys(l.Limits)) {
			label := p.T("monitoring.limit", name)
			if key := "monitoring.limit_" + name; p.cat.Has(key) {
				label = p.T(key)
			}
			lv.Limits = append(lv.Limits, limitView{Name: label, Value: l.Limits[name]})
		}
		data.Licenses = append(data.Licenses, lv)
	}
	return s.render(c, fiber.StatusOK, "monitoring/show", p, data)
}

// monitorCard gathers a server's uptimes and its last day's chart, all from
// the hourly roll-up.
func (s *Server) monitorCard(ctx context.Context, p *Page, m db.Monitor, now time.Time) (monitorCard, error) {
	card := monitorCard{Monitor: m}
	for _, span := range []struct {
		label string
		from  time.Time
	}{{"monitoring.uptime_24h", now.Add(-24 * time.Hour)}, {"monitoring.uptime_7d", now.AddDate(0, 0, -7)}, {"monitoring.uptime_30d", now.AddDate(0, 0, -30)}} {
		u, err := s.store.MonitorUptime(ctx, m.ID, span.from)
		if err != nil {
			return card, err
		}
		card.Uptimes = append(card.Uptimes, uptimeView{Label: span.label, Uptime: u})
	}
	first := now.Add(-23 * time.Hour).Truncate(time.Hour)
	hours, err := s.store.MonitorHours(ctx, m.ID, first)
	if err != nil {
		return card, err
	}
	byHour := map[time.Time]db.MonitorHour{}
	for _, h := range hours {
		byHour[h.Hour] = h
		card.MaxMS = max(card.MaxMS, h.AvgLatency.Milliseconds())
	}
	card.MaxMS = max(card.MaxMS, 1)
	w := sparkWidth / 24
	var shapes svgShapes
	for i := range 24 {
		hour := first.Add(time.Duration(i) * time.Hour)
		h, ok := byHour[hour]
		class, height, title := "none", 0.0, p.DateTime(hour)+" — "+p.T("monitoring.no_checks")
		if ok {
			ms := h.AvgLatency.Milliseconds()
			class, height = "up", max(2, sparkHeight*float64(ms)/float64(card.MaxMS))
			switch {
			case h.Ups == 0:
				class, height = "down", sparkHeight
			case h.Ups < h.Checks:
				class = "partial"
			}
			title = fmt.Sprintf("%s — %s, %d/%d", p.DateTime(hour), p.T("monitoring.ms", ms), h.Ups, h.Checks)
		}
		shapes.rect("spark-"+class, float64(i)*w, sparkHeight-height, 9, height, title)
	}
	card.Chart = shapes.HTML()
	return card, nil
}
