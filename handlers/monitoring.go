package handlers

import (
	"html/template"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// monitoringPage is the Мониторинг tab: a card per server, the recent
// incidents and the license keys.
type monitoringPage struct {
	*Page
	Cards     template.HTML // a card per active server
	Incidents template.HTML // the rows of the recent incidents' table
	Licenses  []licenseView
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
	data, now := monitoringPage{Page: p}, s.store.Now()
	monitors, err := s.store.CompanyMonitors(ctx, co.ID)
	if err != nil {
		return err
	}
	var cards markup
	for _, m := range monitors {
		if !m.Active {
			continue
		}
		sum, err := s.store.MonitorSummary(ctx, m, now)
		if err != nil {
			return err
		}
		s.monitorCard(&cards, p, m, sum, now)
	}
	data.Cards = cards.HTML()
	c.Set("Vary", "HX-Request")
	if wantsFragment(c, "monitor-cards") {
		return s.fragment(c, "monitoring/cards", data)
	}
	incidents, err := s.store.CompanyIncidents(ctx, co.ID, 20)
	if err != nil {
		return err
	}
	data.Incidents = incidentRows(p, incidents, now)
	licenses, err := s.store.CompanyLicenses(ctx, co.ID)
	if err != nil {
		return err
	}
	today := db.Today(now, co.Location())
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
	rows := newTableRows(len(incidents), p.T("monitoring.server"), p.T("monitoring.started"), p.T("monitoring.ended"), p.T("monitoring.duration"), p.T("monitoring.error"))
	for _, in := range incidents {
		ended := cell{text: p.T("monitoring.ongoing"), span: "badge mon-down"}
		if in.EndedAt != nil {
			ended = cell{text: p.DateTime(*in.EndedAt)}
		}
		rows.row(cell{text: in.MonitorName}, cell{text: p.DateTime(in.StartedAt)}, ended, cell{text: p.Duration(in.Duration(now))}, cell{text: in.Error})
	}
	return rows.HTML()
}

// monitorCard writes a server's card: its state, its uptimes and a bar an
// hour for the last day, all from the hourly roll-up. Every open Мониторинг
// tab asks for the cards every five seconds.
func (s *Server) monitorCard(m *markup, p *Page, mon db.Monitor, sum db.MonitorSummary, now time.Time) {
	m.open("section", "class", "card monitor mon-"+mon.State, "id", "monitor-"+strconv.FormatInt(mon.ID, 10))
	m.open("div", "class", "monitor-head")
	m.elem("h2", mon.Name)
	m.elem("span", p.T("monitoring.state_"+mon.State), "class", "badge mon-"+mon.State)
	m.close("div")
	what := p.T("monitoring.kind_"+mon.Kind) + " · " + mon.Target
	if mon.CheckType == db.CheckPush {
		what = p.T("monitoring.kind_"+mon.Kind) + " · " + p.T("monitoring.push")
	}
	if mon.Version != "" {
		what += " · " + p.T("monitoring.version") + " " + mon.Version
	}
	m.elem("p", what, "class", "muted")
	m.open("dl", "class", "props")
	m.elem("dt", p.T("monitoring.since"))
	m.elem("dd", p.DateTime(mon.StateSince))
	latency := "—"
	if mon.State != db.MonitorDown && mon.LastLatency != nil {
		latency = p.T("monitoring.ms", mon.LastLatency.Milliseconds())
	}
	m.elem("dt", p.T("monitoring.latency"))
	m.elem("dd", latency)
	if mon.State == db.MonitorDown {
		m.elem("dt", p.T("monitoring.error"))
		m.elem("dd", mon.LastError, "class", "error-text")
	}
	if mon.CertExpiresAt != nil {
		m.elem("dt", p.T("monitoring.cert"))
		m.elem("dd", p.Day(*mon.CertExpiresAt))
	}
	m.close("dl")
	m.open("ul", "class", "uptimes")
	for _, u := range []struct {
		label  string
		uptime db.Uptime
	}{{"monitoring.uptime_24h", sum.Day}, {"monitoring.uptime_7d", sum.Week}, {"monitoring.uptime_30d", sum.Month}} {
		value := "—"
		if u.uptime.Checks > 0 {
			value = strconv.FormatFloat(u.uptime.Percent(), 'f', 2, 64) + " %"
		}
		m.open("li")
		m.elem("span", p.T(u.label), "class", "muted")
		m.text(" ")
		m.elem("strong", value)
		m.close("li")
	}
	m.close("ul")
	chart, maxMS := s.sparks.draw(p, mon, sum, now)
	m.open("svg", "class", "spark", "viewBox", "0 0 240 48", "preserveAspectRatio", "none", "role", "img", "aria-label", p.T("monitoring.chart"))
	m.raw(chart)
	m.close("svg")
	m.elem("p", p.T("monitoring.chart_hint", maxMS), "class", "hint")
	m.close("section")
}

// sparkKey names a sparkline by what it is drawn from: the roll-up as
// MonitorSummary read it (the monitor's last check and the hour), and the
// language and time zone of its tooltips.
type sparkKey struct {
	monitor, lastChecked, hour int64
	lang, zone                 string
}

type sparkChart struct {
	html  template.HTML
	maxMS int64
}

// sparks remembers monitors' sparklines: every open Мониторинг tab asks
// for the cards every five seconds, and a chart changes once a minute.
type sparks struct {
	mu     sync.Mutex
	charts map[sparkKey]sparkChart
}

// maxSparks bounds the memo; when it is full, an arbitrary entry goes.
const maxSparks = 4096

// draw returns the monitor's sparkline, drawn again only when its roll-up,
// language or time zone changed.
func (sp *sparks) draw(p *Page, mon db.Monitor, sum db.MonitorSummary, now time.Time) (template.HTML, int64) {
	key := sparkKey{monitor: mon.ID, hour: now.Truncate(time.Hour).Unix(), lang: p.Lang, zone: p.loc.String()}
	if mon.LastCheckedAt != nil {
		key.lastChecked = mon.LastCheckedAt.UnixNano()
	}
	sp.mu.Lock()
	c, ok := sp.charts[key]
	sp.mu.Unlock()
	if ok {
		return c.html, c.maxMS
	}
	c.html, c.maxMS = sparkline(p, sum.Hours, now)
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.charts == nil {
		sp.charts = make(map[sparkKey]sparkChart)
	}
	if len(sp.charts) >= maxSparks {
		for k := range sp.charts { // map order is random: an arbitrary entry
			delete(sp.charts, k)
			break
		}
	}
	sp.charts[key] = c
	return c.html, c.maxMS
}

// sparkline draws a bar an hour for the last 24 hours, as tall as the
// hour's average latency against the highest (maxMS), red when every check
// failed.
func sparkline(p *Page, hours []db.MonitorHour, now time.Time) (chart template.HTML, maxMS int64) {
	first := now.Add(-23 * time.Hour).Truncate(time.Hour)
	byHour := make(map[int64]db.MonitorHour, len(hours))
	for _, h := range hours {
		byHour[h.Hour.Unix()] = h
		maxMS = max(maxMS, h.AvgLatency.Milliseconds())
	}
	maxMS = max(maxMS, 1)
	w := sparkWidth / 24
	var shapes svgShapes
	for i := range 24 {
		hour := first.Add(time.Duration(i) * time.Hour)
		h, ok := byHour[hour.Unix()]
		class, height, title := "none", 0.0, p.DateTime(hour)+" — "
		if ok {
			ms := h.AvgLatency.Milliseconds()
			class, height = "up", max(2, sparkHeight*float64(ms)/float64(maxMS))
			switch {
			case h.Ups == 0:
				class, height = "down", sparkHeight
			case h.Ups < h.Checks:
				class = "partial"
			}
			title += p.T("monitoring.ms", ms) + ", " + strconv.Itoa(h.Ups) + "/" + strconv.Itoa(h.Checks)
		} else {
			title += p.T("monitoring.no_checks")
		}
		shapes.rect("spark-"+class, float64(i)*w, sparkHeight-height, 9, height, title)
	}
	return shapes.HTML(), maxMS
}
