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
	Incidents template.HTML // the rows of the recent incidents' table
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
	incidents, err := s.store.CompanyIncidents(ctx, co.ID, 20)
	if err != nil {
		return err
	}
	data.Incidents = incidentRows(p, incidents, data.Now)
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

// incidentRows writes incidents as the rows of their table.
func incidentRows(p *Page, incidents []db.Incident, now time.Time) template.HTML {
	rows := newTableRows(p.T("monitoring.server"), p.T("monitoring.started"), p.T("monitoring.ended"), p.T("monitoring.duration"), p.T("monitoring.error"))
	for _, in := range incidents {
		ended := cell{text: p.T("monitoring.ongoing"), span: "badge mon-down"}
		if in.EndedAt != nil {
			ended = cell{text: p.DateTime(*in.EndedAt)}
		}
		rows.row(cell{text: in.MonitorName}, cell{text: p.DateTime(in.StartedAt)}, ended, cell{text: p.Duration(in.Duration(now))}, cell{text: in.Error})
	}
	return rows.HTML()
}

// monitorCard gathers a server's uptimes and its last day's chart, all from
// the hourly roll-up.
func (s *Server) monitorCard(ctx context.Context, p *Page, m db.Monitor, now time.Time) (monitorCard, error) {
	card := monitorCard{Monitor: m}
	sum, err := s.store.MonitorSummary(ctx, m, now)
	if err != nil {
		return card, err
	}
	card.Uptimes = []uptimeView{{"monitoring.uptime_24h", sum.Day}, {"monitoring.uptime_7d", sum.Week}, {"monitoring.uptime_30d", sum.Month}}
	first := now.Add(-23 * time.Hour).Truncate(time.Hour)
	byHour := map[time.Time]db.MonitorHour{}
	for _, h := range sum.Hours {
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
