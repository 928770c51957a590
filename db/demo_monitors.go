package db

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"time"
)

// demoClosedTarget is a port nothing listens on: the demo's server that is down.
const demoClosedTarget = "127.0.0.1:9"

// demoMonitor is one of a demo company's servers and its month: up with
// short incidents, or down for the last days.
type demoMonitor struct {
	name, kind, checkType string
	target                func(self *url.URL) string
	interval              time.Duration
	word                  string
	downSince             time.Duration  // down this long by now; 0 means up
	incidents             []demoIncident // earlier outages
}

type demoIncident struct{ ago, lasted time.Duration }

var demoMonitors = map[string][]demoMonitor{
	"Такси Пример": {
		{name: "TMServer", kind: MonitorTMServer, checkType: CheckHTTP, interval: 30 * time.Second, word: "ok",
			target:    func(self *url.URL) string { return self.String() + "/healthz" },
			incidents: []demoIncident{{12*24*time.Hour + 5*time.Hour, 40 * time.Minute}, {3*24*time.Hour + 2*time.Hour, 15 * time.Minute}}},
		{name: "Сервер сообщений", kind: MonitorMessageServer, checkType: CheckTCP, interval: time.Minute,
			target: func(*url.URL) string { return demoClosedTarget }, downSince: 2*24*time.Hour + 3*time.Hour},
	},
	"Такси Восток": {
		{name: "TMServer", kind: MonitorTMServer, checkType: CheckTCP, interval: time.Minute,
			target: func(self *url.URL) string { return self.Host }, incidents: []demoIncident{{20 * 24 * time.Hour, 2 * time.Hour}}},
		{name: "Сервер сообщений", kind: MonitorMessageServer, checkType: CheckHTTP, interval: time.Minute,
			target: func(*url.URL) string { return "http://" + demoClosedTarget + "/status" }, downSince: 26 * time.Hour},
	},
}

// demoLicenses are the demo companies' keys: one expiring soon, one not.
var demoLicenses = map[string]License{
	"Такси Пример": {Key: "TMS-7K2Q-48FD-90AB-5C1E", Product: "TMServer 5", Limits: map[string]int{"operators": 25, "drivers": 400},
		Modules: []string{"Диспетчерская", "Водительское приложение", "Онлайн-оплата"}},
	"Такси Восток": {Key: "TMS-3M8P-11XZ-27QL-9D0F", Product: "TMServer 5", Limits: map[string]int{"operators": 8, "drivers": 120},
		Modules: []string{"Диспетчерская", "Водительское приложение"}},
}

// seedDemoMonitoring gives a company its servers with a month of hourly
// history and incidents, and its license key; a company with monitors is
// left alone. self is where the demo itself answers.
func (s *Store) seedDemoMonitoring(ctx context.Context, co Company, self *url.URL) error {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM monitors WHERE company_id = ?`, co.ID).Scan(&n); err != nil || n > 0 {
		return err
	}
	now := s.Now()
	rng := rand.New(rand.NewPCG(uint64(co.ID), 7))
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, dm := range demoMonitors[co.Name] {
			if err := s.seedDemoMonitor(ctx, tx, co, dm, self, now, rng); err != nil {
				return err
			}
		}
		l := demoLicenses[co.Name]
		l.CompanyID, l.Source = co.ID, LicenseByStaff
		l.IssuedOn = Today(now, VendorLocation).AddDate(-1, 0, 0)
		l.ExpiresOn = l.IssuedOn.AddDate(1, 0, 21) // three weeks left: the warning shows
		if co.Name != "Такси Пример" {
			l.ExpiresOn = l.IssuedOn.AddDate(1, 6, 0)
		}
		if err := s.saveLicense(ctx, tx, l); err != nil {
			return err
		}
		// The 30-day warning of the key about to expire went days ago.
		_, err := tx.ExecContext(ctx, `UPDATE license_keys SET warned_30 = 1 WHERE company_id = ? AND expires_on <= ?`,
			co.ID, formatDate(Today(now, VendorLocation).AddDate(0, 0, 30)))
		return err
	})
}

func (s *Store) seedDemoMonitor(ctx context.Context, tx *sql.Tx, co Company, dm demoMonitor, self *url.URL, now time.Time, rng *rand.Rand) error {
	state, since, alerted := MonitorUp, now.Add(-72*time.Hour), MonitorUp
	if dm.downSince > 0 {
		state, since, alerted = MonitorDown, now.Add(-dm.downSince), MonitorDown // the company was told then
	}
	if len(dm.incidents) > 0 {
		last := dm.incidents[len(dm.incidents)-1]
		since = now.Add(-last.ago + last.lasted)
	}
	lastError := ""
	if state == MonitorDown {
		lastError = "dial tcp " + demoClosedTarget + ": connect: connection refused"
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO monitors (company_id, name, kind, check_type, target, interval_s, timeout_ms, retries,
		expect_word, push_secret, state, state_since, last_checked_at, last_latency_ms, last_error, alerted_state, alerted_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 5000, 2, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		co.ID, dm.name, dm.kind, dm.checkType, dm.target(self), int64(dm.interval/time.Second), dm.word, crand.Text(), state,
		formatTime(since), formatTime(now), 18, lastError, alerted, formatTime(since), formatTime(now.AddDate(0, -1, -2))).Scan(&id)
	if err != nil {
		return fmt.Errorf("db: demo monitor %s: %w", dm.name, err)
	}
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
	var rows []string
	var args []any
	for h := 30 * 24; h >= 0; h-- {
		hour := now.Add(-time.Duration(h) * time.Hour).Truncate(time.Hour)
		ups, latency := perHour, 12+rng.IntN(25)
		switch {
		case down(hour) && down(hour.Add(-time.Hour)) && down(hour.Add(time.Hour)):
			ups = 0
		case down(hour):
			ups = perHour / 2 // the outage began or ended within the hour
		}
		rows = append(rows, "(?, ?, ?, ?, ?, ?)")
		args = append(args, id, hour.UTC().Format(hourLayout), perHour, ups, ups*latency, latency+rng.IntN(40))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_hours (monitor_id, hour, checks, ups, latency_sum, latency_max) VALUES `+
		strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("db: demo history of %s: %w", dm.name, err)
	}
	for _, inc := range dm.incidents {
		start := now.Add(-inc.ago)
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (monitor_id, started_at, ended_at, error) VALUES (?, ?, ?, ?)`,
			id, formatTime(start), formatTime(start.Add(inc.lasted)), "no answer within 5s"); err != nil {
			return err
		}
	}
	if dm.downSince > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (monitor_id, started_at, error) VALUES (?, ?, ?)`,
			id, formatTime(now.Add(-dm.downSince)), lastError); err != nil {
			return err
		}
	}
	return nil
}

// demoSelf is where the demo answers when its address is not given.
func demoSelf(addr string) *url.URL {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		port = "8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return &url.URL{Scheme: "http", Host: net.JoinHostPort(host, port)}
}
