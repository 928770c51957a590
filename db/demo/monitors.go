package demo

import (
	"context"
	"math/rand/v2"
	"net"
	"net/url"
	"time"

	"elk/db"
)

// closedTarget is a port nothing listens on: the demo's server that is down.
const closedTarget = "127.0.0.1:9"

// monitor is one of a demo company's servers and its month: up with short
// incidents, or down for the last days.
type monitor struct {
	name, kind, checkType string
	target                func(self *url.URL) string
	interval              time.Duration
	word                  string
	downSince             time.Duration // down this long by now; 0 means up
	incidents             []incident    // earlier outages
}

type incident struct{ ago, lasted time.Duration }

var monitors = map[string][]monitor{
	"Такси Пример": {
		{name: "TMServer", kind: db.MonitorTMServer, checkType: db.CheckHTTP, interval: 30 * time.Second, word: "ok",
			target:    func(self *url.URL) string { return self.String() + "/healthz" },
			incidents: []incident{{12*24*time.Hour + 5*time.Hour, 40 * time.Minute}, {3*24*time.Hour + 2*time.Hour, 15 * time.Minute}}},
		{name: "Сервер сообщений", kind: db.MonitorMessageServer, checkType: db.CheckTCP, interval: time.Minute,
			target: func(*url.URL) string { return closedTarget }, downSince: 2*24*time.Hour + 3*time.Hour},
	},
	"Такси Восток": {
		{name: "TMServer", kind: db.MonitorTMServer, checkType: db.CheckTCP, interval: time.Minute,
			target: func(self *url.URL) string { return self.Host }, incidents: []incident{{20 * 24 * time.Hour, 2 * time.Hour}}},
		{name: "Сервер сообщений", kind: db.MonitorMessageServer, checkType: db.CheckHTTP, interval: time.Minute,
			target: func(*url.URL) string { return "http://" + closedTarget + "/status" }, downSince: 26 * time.Hour},
	},
}

// licenses are the demo companies' keys: one expiring soon, one not.
var licenses = map[string]db.License{
	"Такси Пример": {Key: "TMS-7K2Q-48FD-90AB-5C1E", Product: "TMServer 5", Limits: map[string]int{"operators": 25, "drivers": 400},
		Modules: []string{"Диспетчерская", "Водительское приложение", "Онлайн-оплата"}},
	"Такси Восток": {Key: "TMS-3M8P-11XZ-27QL-9D0F", Product: "TMServer 5", Limits: map[string]int{"operators": 8, "drivers": 120},
		Modules: []string{"Диспетчерская", "Водительское приложение"}},
}

// seedMonitoring gives a company its servers with a month of hourly
// history and incidents, and its license key. Each is left alone when the
// company has it already, so a fill cut short between them is finished by
// the next. self is where the demo itself answers.
func seedMonitoring(ctx context.Context, s *db.Store, co db.Company, self *url.URL) error {
	if err := seedMonitors(ctx, s, co, self); err != nil {
		return err
	}
	return seedLicense(ctx, s, co)
}

func seedMonitors(ctx context.Context, s *db.Store, co db.Company, self *url.URL) error {
	if has, err := s.CompanyMonitors(ctx, co.ID); err != nil || len(has) > 0 {
		return err
	}
	now := s.Now()
	rng := rand.New(rand.NewPCG(uint64(co.ID), 7))
	var past []db.PastMonitor
	for _, dm := range monitors[co.Name] {
		past = append(past, pastMonitor(co, dm, self, now, rng))
	}
	return s.ImportMonitors(ctx, past)
}

func seedLicense(ctx context.Context, s *db.Store, co db.Company) error {
	if has, err := s.CompanyLicenses(ctx, co.ID); err != nil || len(has) > 0 {
		return err
	}
	now := s.Now()
	l := licenses[co.Name]
	l.CompanyID, l.Source = co.ID, db.LicenseByStaff
	l.IssuedOn = db.Today(now, db.VendorLocation).AddDate(-1, 0, 0)
	l.ExpiresOn = l.IssuedOn.AddDate(1, 0, 21) // three weeks left: the warning shows
	if co.Name != "Такси Пример" {
		l.ExpiresOn = l.IssuedOn.AddDate(1, 6, 0)
	}
	// The 30-day warning of the key about to expire went days ago.
	var warned []int
	if !l.ExpiresOn.After(db.Today(now, db.VendorLocation).AddDate(0, 0, 30)) {
		warned = append(warned, 30)
	}
	return s.ImportLicense(ctx, l, warned...)
}

// pastMonitor is one demo server with its month of hours and incidents.
func pastMonitor(co db.Company, dm monitor, self *url.URL, now time.Time, rng *rand.Rand) db.PastMonitor {
	state, since, alerted := db.MonitorUp, now.Add(-72*time.Hour), db.MonitorUp
	if dm.downSince > 0 {
		state, since, alerted = db.MonitorDown, now.Add(-dm.downSince), db.MonitorDown // the company was told then
	}
	if len(dm.incidents) > 0 {
		last := dm.incidents[len(dm.incidents)-1]
		since = now.Add(-last.ago + last.lasted)
	}
	lastError := ""
	if state == db.MonitorDown {
		lastError = "dial tcp " + closedTarget + ": connect: connection refused"
	}
	checked, latency := now, 18*time.Millisecond
	m := db.PastMonitor{Monitor: db.Monitor{CompanyID: co.ID, Name: dm.name, Kind: dm.kind, CheckType: dm.checkType, Target: dm.target(self),
		Interval: dm.interval, Timeout: 5 * time.Second, Retries: 2, ExpectStatusMin: 200, ExpectStatusMax: 399, ExpectWord: dm.word,
		Active: true, State: state, StateSince: since, LastCheckedAt: &checked, LastLatency: &latency, LastError: lastError,
		AlertedState: alerted, AlertedAt: &since, CreatedAt: now.AddDate(0, -1, -2)}}
	down := func(hour time.Time) bool {
		if dm.downSince > 0 && !hour.Add(time.Hour).Before(now.Add(-dm.downSince)) {
			return true
		}
		for _, inc := range dm.incidents {
			start := now.Add(-inc.ago)
			if hour.Before(start.Add(inc.lasted)) && hour.Add(time.Hour).After(start) {
				return true
			}
		}
		return false
	}
	perHour := int(time.Hour / dm.interval)
	for h := 30 * 24; h >= 0; h-- {
		hour := now.Add(-time.Duration(h) * time.Hour).Truncate(time.Hour)
		ups, latency := perHour, 12+rng.IntN(25)
		switch {
		case down(hour) && down(hour.Add(-time.Hour)) && down(hour.Add(time.Hour)):
			ups = 0
		case down(hour):
			ups = perHour / 2 // the outage began or ended within the hour
		}
		m.Hours = append(m.Hours, db.MonitorHour{Hour: hour, Checks: perHour, Ups: ups,
			AvgLatency: time.Duration(latency) * time.Millisecond, MaxLatency: time.Duration(latency+rng.IntN(40)) * time.Millisecond})
	}
	for _, inc := range dm.incidents {
		start := now.Add(-inc.ago)
		end := start.Add(inc.lasted)
		m.Incidents = append(m.Incidents, db.Incident{StartedAt: start, EndedAt: &end, Error: "no answer within 5s"})
	}
	if dm.downSince > 0 {
		m.Incidents = append(m.Incidents, db.Incident{StartedAt: now.Add(-dm.downSince), Error: lastError})
	}
	return m
}

// selfURL is where the demo answers when its address is not given.
func selfURL(addr string) *url.URL {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		port = "8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return &url.URL{Scheme: "http", Host: net.JoinHostPort(host, port)}
}
