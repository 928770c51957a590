package handlers

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/views"
)

// monitoringPage is the Мониторинг tab: a card per server, the recent
// incidents and the license keys.
type monitoringPage struct {
	*Page
	Cards     []monitorCard // a card per active server
	Incidents []incidentRow
	Licenses  []licenseView
}

type licenseView struct {
	db.License
	DaysLeft int
	Warn     bool // 30 days or fewer left
	Limits   []limitView
	// LimitsLine is the limits in one line, as staff's table shows them:
	// «Операторов: 20, водителей: 300».
	LimitsLine string
}

// limitView is one of a license's limits, named in the user's language
// when it is a known one ("operators"), as the server sent it otherwise;
// its value is a number or «без ограничений».
type limitView struct {
	Name, Value string
}

func (s *Server) showMonitoring(c *fiber.Ctx) error {
	ctx := c.UserContext()
	co := state(c).company
	p := s.page(c, "monitoring", "monitoring.title")
	data, now := monitoringPage{Page: p}, s.store.Now()
	monitors, err := s.store.CompanyMonitors(ctx, co.ID)
	if err != nil {
		return err
	}
	for _, m := range monitors {
		if !m.Active {
			continue
		}
		sum, err := s.store.MonitorSummary(ctx, m, now)
		if err != nil {
			return err
		}
		data.Cards = append(data.Cards, newMonitorCard(p, m, sum, now))
	}
	whole := func() error {
		incidents, err := s.store.CompanyIncidents(ctx, co.ID, 20)
		if err != nil {
			return err
		}
		data.Incidents = incidentRows(p, incidents, now)
		licenses, err := s.store.CompanyLicenses(ctx, co.ID)
		if err != nil {
			return err
		}
		data.Licenses = licenseViews(p, licenses, db.Today(now, co.Location()))
		return s.render(c, fiber.StatusOK, "monitoring/show", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"monitor-cards", "monitoring/cards", data})
}

// licenseViews are the company's license keys with the days they have left
// and their limits named in the page's language.
func licenseViews(p *Page, licenses []db.License, today time.Time) []licenseView {
	out := make([]licenseView, len(licenses))
	for i, l := range licenses {
		days := l.DaysLeft(today)
		out[i] = licenseView{License: l, DaysLeft: days, Warn: days <= db.LicenseWarnDays[0]}
		for _, name := range limitOrder(l.Limits) {
			label := p.T("monitoring.limit", name)
			if key := "monitoring.limit_" + name; p.cat.Has(key) {
				label = p.T(key)
			}
			value := p.Count(l.Limits[name])
			if l.Limits[name] == db.Unlimited {
				value = p.T("monitoring.unlimited")
			}
			out[i].Limits = append(out[i].Limits, limitView{Name: label, Value: value})
			part := label + ": " + value
			if out[i].LimitsLine != "" {
				first, size := utf8.DecodeRuneInString(part)
				part = ", " + string(unicode.ToLower(first)) + part[size:]
			}
			out[i].LimitsLine += part
		}
	}
	return out
}

// limitOrder is the known limits first, in knownLimits' order, then the rest by name.
func limitOrder(limits map[string]int) []string {
	return slices.SortedFunc(maps.Keys(limits), func(a, b string) int {
		ia, ib := slices.Index(knownLimits, a), slices.Index(knownLimits, b)
		if ia < 0 {
			ia = len(knownLimits)
		}
		if ib < 0 {
			ib = len(knownLimits)
		}
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	})
}

// incidentRow is a row of the recent incidents' table.
type incidentRow struct {
	Server, Started string
	Ongoing         bool
	Ended           string // when not ongoing
	Duration, Error string
	Detail          string // the check's own error text, for staff only
}

func incidentRows(p *Page, incidents []db.Incident, now time.Time) []incidentRow {
	rows := make([]incidentRow, len(incidents))
	for i, in := range incidents {
		rows[i] = incidentRow{Server: in.MonitorName, Started: p.DateTime(in.StartedAt), Ongoing: in.EndedAt == nil,
			Duration: p.Duration(in.Duration(now)), Error: p.CheckFailure(in.Error),
			Detail: p.staffDetail(in.Error)}
		if in.EndedAt != nil {
			rows[i].Ended = p.DateTime(*in.EndedAt)
		}
	}
	return rows
}

// CheckFailure is why a check failed, from its recorded error, in the
// page's language: a client never reads the network library's English.
func (p *Page) CheckFailure(raw string) string { return views.CheckFailure(raw).In(p.cat) }

// staffDetail is an error's own text for staff, who may need it to find
// the cause; "" for a client.
func (p *Page) staffDetail(raw string) string {
	if !p.Staff {
		return ""
	}
	return raw
}
