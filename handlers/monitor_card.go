package handlers

import (
	"time"

	"elk/db"
)

// monitorCard is a server's card on the Мониторинг tab (monitoring/cards):
// its state, its uptimes and a bar an hour for the last day, all from the
// hourly roll-up. Every open Мониторинг tab asks for the cards every five
// seconds.
type monitorCard struct {
	ID                int64
	Class, BadgeClass string // by the server's state
	Name, State       string
	About             string // kind, address or push, version
	Since, Latency    string
	Down              bool   // its last error is shown
	Error             string // why the last check failed, in the page's language
	Detail            string // the check's own error text, for staff only
	Cert              string // the day its certificate expires, "" without one
	Uptimes           []uptimeView
	Spark             sparkline
}

// uptimeView is the share of successful checks over a span: «24 ч 99.41 %».
type uptimeView struct{ Label, Value string }

// sparkline is a bar an hour for the last 24 hours, as tall as the hour's
// average latency against the highest, red when every check failed.
type sparkline struct {
	Label         string // what it shows, for screen readers
	Width, Height float64
	Bars          []chartBar
	Hint          string // the scale, under it
}

const (
	sparkWidth  = 240.0
	sparkHeight = 48.0
)

func newMonitorCard(p *Page, mon db.Monitor, sum db.MonitorSummary, now time.Time) monitorCard {
	card := monitorCard{ID: mon.ID, Class: "card monitor mon-" + mon.State, BadgeClass: "badge mon-" + mon.State,
		Name: mon.Name, State: p.T("monitoring.state_" + mon.State), Since: p.DateTime(mon.StateSince), Latency: "—",
		Down: mon.State == db.MonitorDown, Error: p.CheckFailure(mon.LastError), Detail: p.staffDetail(mon.LastError),
		Spark: newSparkline(p, sum.Hours, now)}
	card.About = p.T("monitoring.kind_"+mon.Kind) + " · " + mon.Target
	if mon.CheckType == db.CheckPush {
		card.About = p.T("monitoring.kind_"+mon.Kind) + " · " + p.T("monitoring.push")
	}
	if mon.Version != "" {
		card.About += " · " + p.T("monitoring.version") + " " + mon.Version
	}
	if !card.Down && mon.LastLatency != nil {
		card.Latency = p.T("monitoring.ms", mon.LastLatency.Milliseconds())
	}
	if mon.CertExpiresAt != nil {
		card.Cert = p.Day(*mon.CertExpiresAt)
	}
	for _, u := range []struct {
		label  string
		uptime db.Uptime
	}{{"monitoring.uptime_24h", sum.Day}, {"monitoring.uptime_7d", sum.Week}, {"monitoring.uptime_30d", sum.Month}} {
		value := "—"
		if u.uptime.Checks > 0 {
			value = p.Percent(u.uptime.Percent(), 2)
		}
		card.Uptimes = append(card.Uptimes, uptimeView{Label: p.T(u.label), Value: value})
	}
	return card
}

// newSparkline lays out the last 24 hours, each with its latency and checks as its tooltip.
func newSparkline(p *Page, hours []db.MonitorHour, now time.Time) sparkline {
	first := now.Add(-23 * time.Hour).Truncate(time.Hour)
	byHour := make(map[int64]db.MonitorHour, len(hours))
	var maxMS int64
	for _, h := range hours {
		byHour[h.Hour.Unix()] = h
		maxMS = max(maxMS, h.AvgLatency.Milliseconds())
	}
	maxMS = max(maxMS, 1)
	spark := sparkline{Label: p.T("monitoring.chart"), Width: sparkWidth, Height: sparkHeight,
		Bars: make([]chartBar, 24), Hint: p.T("monitoring.chart_hint", maxMS)}
	w := sparkWidth / 24
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
			title += p.T("monitoring.ms", ms) + ", " + p.Count(h.Ups) + "/" + p.Count(h.Checks)
		} else {
			title += p.T("monitoring.no_checks")
		}
		spark.Bars[i] = newChartBar("spark-"+class, float64(i)*w, sparkHeight-height, 9, height, title)
	}
	return spark
}
