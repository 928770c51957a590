package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// tcpMonitor adds an active TCP monitor of a TMServer to the company.
func tcpMonitor(t *testing.T, s *db.Store, companyID int64) int64 {
	t.Helper()
	id, err := s.SaveMonitor(context.Background(), db.Actor{}, db.Monitor{CompanyID: companyID, Name: "TMServer", Kind: db.MonitorTMServer,
		CheckType: db.CheckTCP, Target: "127.0.0.1:1", Interval: time.Minute, Timeout: time.Second, Active: true,
		ExpectStatusMin: 200, ExpectStatusMax: 399})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestUptimeComesFromTheRollupAcrossRetention(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	id := tcpMonitor(t, s, cs.CompanyID)
	now := testutil.NewClock(t).Day(12, 30)
	s.SetClock(func() time.Time { return now })
	var results []db.CheckResult
	// A check an hour for 40 days: down every tenth hour; and one a year and a half ago.
	for h := range 40 * 24 {
		at := now.Add(-time.Duration(h) * time.Hour)
		results = append(results, db.CheckResult{MonitorID: id, At: at, OK: h%10 != 0, Latency: 20 * time.Millisecond})
	}
	results = append(results, db.CheckResult{MonitorID: id, At: now.AddDate(0, -18, 0), OK: false})
	if err := s.RecordChecks(ctx, results); err != nil {
		t.Fatal(err)
	}
	uptimes := func() (day, week, month, all db.Uptime) {
		for i, from := range []time.Time{now.Add(-24 * time.Hour), now.AddDate(0, 0, -7), now.AddDate(0, 0, -30), {}} {
			u, err := s.MonitorUptime(ctx, id, from)
			if err != nil {
				t.Fatal(err)
			}
			switch i {
			case 0:
				day = u
			case 1:
				week = u
			case 2:
				month = u
			default:
				all = u
			}
		}
		return
	}
	day, week, month, all := uptimes()
	if day.Checks != 25 || day.Ups != 22 || week.Checks != 169 || month.Checks != 721 || month.Ups != 721-73 || all.Checks != 961 {
		t.Fatalf("day %+v week %+v month %+v all %+v", day, week, month, all)
	}
	if got := month.Percent(); got < 89.8 || got > 89.9 {
		t.Errorf("month %.2f %%", got)
	}
	// Raw checks go after 7 days, hours after 400: the uptimes stay, the old hour goes.
	if _, err := s.PruneChecks(ctx, now.AddDate(0, 0, -7), now.AddDate(0, 0, -400)); err != nil {
		t.Fatal(err)
	}
	d2, w2, m2, a2 := uptimes()
	if d2 != day || w2 != week || m2 != month || a2.Checks != all.Checks-1 {
		t.Errorf("after pruning: day %+v week %+v month %+v all %+v", d2, w2, m2, a2)
	}
	hours, _ := s.MonitorHours(ctx, id, now.Add(-3*time.Hour))
	if len(hours) != 4 || hours[2].AvgLatency != 20*time.Millisecond || hours[3].Ups != 0 {
		t.Errorf("hours %+v", hours)
	}
}

// A card's summary follows every recorded check and the hour.
func TestMonitorSummaryFollowsChecksAndTheHour(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	id := tcpMonitor(t, s, cs.CompanyID)
	now := testutil.NewClock(t).Day(12, 30)
	record := func(at time.Time, ok bool) {
		t.Helper()
		if err := s.RecordChecks(ctx, []db.CheckResult{{MonitorID: id, At: at, OK: ok, Latency: 30 * time.Millisecond}}); err != nil {
			t.Fatal(err)
		}
	}
	summary := func() db.MonitorSummary {
		t.Helper()
		monitors, err := s.CompanyMonitors(ctx, cs.CompanyID)
		if err != nil || len(monitors) != 1 {
			t.Fatal(monitors, err)
		}
		sum, err := s.MonitorSummary(ctx, monitors[0], now)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	record(now.Add(-25*time.Hour), true)
	record(now.Add(-time.Hour), true)
	if sum := summary(); sum.Day.Checks != 1 || sum.Month.Checks != 2 || len(sum.Hours) != 1 {
		t.Fatalf("first summary %+v", sum)
	}
	record(now, false)
	if sum := summary(); sum.Day != (db.Uptime{Checks: 2, Ups: 1}) || sum.Month.Checks != 3 || len(sum.Hours) != 2 || sum.Hours[1].Ups != 0 {
		t.Errorf("after a check %+v", sum)
	}
	// At 13:00 yesterday's 11:00 leaves the day, though no check came.
	now = now.Add(30 * time.Minute)
	if sum := summary(); sum.Day.Checks != 2 || sum.Week.Checks != 3 {
		t.Errorf("the next hour %+v", sum)
	}
	now = now.Add(23 * time.Hour)
	if sum := summary(); sum.Day != (db.Uptime{Checks: 1, Ups: 0}) || len(sum.Hours) != 0 {
		t.Errorf("a day later %+v", sum)
	}
}

func TestLicenseWarningsGoOnceAt30And7Days(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	co, _ := s.Company(ctx, cs.CompanyID)
	co.NotifyEnabled = true
	s.UpdateCompany(ctx, db.Actor{}, co)
	s.SetCompanyContacts(ctx, db.Actor{}, co.ID, db.NotificationContacts{Emails: []string{"it@north.example"}, Phones: []string{"+79001112233"}})
	now := testutil.NewClock(t).Day(9, 0)
	s.SetClock(func() time.Time { return now })
	l := db.License{CompanyID: co.ID, Key: "TMS-2026-AB12-CD34-EF56", Product: "TMServer", IssuedOn: now.AddDate(-1, 0, 0),
		ExpiresOn: db.Today(now, time.UTC).AddDate(0, 0, 40), Limits: map[string]int{"operators": 20}, Modules: []string{"Диспетчерская"}}
	if err := s.SaveLicense(ctx, db.Actor{}, l); err != nil {
		t.Fatal(err)
	}
	warn := func(days int) int {
		now = now.AddDate(0, 0, days)
		n, err := s.WarnExpiringLicenses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := warn(0); n != 0 {
		t.Errorf("40 days before: %d", n)
	}
	if n := warn(10); n != 1 {
		t.Errorf("30 days before: %d", n)
	}
	if n := warn(1); n != 0 {
		t.Errorf("29 days before, again: %d", n)
	}
	if n := warn(22); n != 1 {
		t.Errorf("7 days before: %d", n)
	}
	// Renewed: the warnings are armed again for the new date.
	l.ExpiresOn = l.ExpiresOn.AddDate(1, 0, 0)
	s.SaveLicense(ctx, db.Actor{}, l)
	if n := warn(0); n != 0 {
		t.Errorf("after renewal: %d", n)
	}
	notices, _ := s.ListNotices(ctx, db.NoticeFilter{Kind: db.NoticeLicenseExpiring, Limit: 10})
	if len(notices) != 2 || notices[0].Channel != db.ChannelEmail || notices[1].Params.Days != 30 || notices[0].Params.Days != 7 ||
		notices[0].Params.Key != l.MaskedKey() {
		t.Errorf("notices %+v", notices)
	}
	licenses, _ := s.CompanyLicenses(ctx, co.ID)
	if len(licenses) != 1 || licenses[0].Limits["operators"] != 20 || licenses[0].Modules[0] != "Диспетчерская" || licenses[0].MaskedKey() != "TMS-••••••••••••EF56" {
		t.Errorf("licenses %+v %s", licenses, licenses[0].MaskedKey())
	}
}

func TestSwitchingAMonitorOffClosesItsIncident(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	m := db.Monitor{CompanyID: cs.CompanyID, Name: "TMServer", Kind: db.MonitorTMServer, CheckType: db.CheckTCP,
		Target: "127.0.0.1:1", Interval: time.Minute, Timeout: time.Second, Active: true, ExpectStatusMin: 200, ExpectStatusMax: 399}
	id, err := s.SaveMonitor(ctx, db.Actor{}, m)
	if err != nil {
		t.Fatal(err)
	}
	s.RecordChecks(ctx, []db.CheckResult{{MonitorID: id, At: s.Now(), Error: "refused"}, {MonitorID: id, At: s.Now(), Error: "refused"}})
	if got, _ := s.MonitorByID(ctx, id); got.State != db.MonitorDown {
		t.Fatalf("state %s", got.State)
	}
	m.ID, m.Active = id, false
	if _, err := s.SaveMonitor(ctx, db.Actor{}, m); err != nil {
		t.Fatal(err)
	}
	incidents, _ := s.CompanyIncidents(ctx, cs.CompanyID, 5)
	if got, _ := s.MonitorByID(ctx, id); got.State != db.MonitorPending || len(incidents) != 1 || incidents[0].EndedAt == nil {
		t.Errorf("switched off: %s, incidents %+v", got.State, incidents)
	}
	// Results of checks that were running when it was switched off change nothing.
	s.RecordChecks(ctx, []db.CheckResult{{MonitorID: id, At: s.Now(), Error: "refused"}})
	if got, _ := s.MonitorByID(ctx, id); got.Failures != 0 {
		t.Errorf("a late result counted: %+v", got)
	}
	// A second monitor cannot take its name.
	other := m
	other.ID, other.Name, other.Active = 0, "Другой", true
	otherID, _ := s.SaveMonitor(ctx, db.Actor{}, other)
	other.ID, other.Name = otherID, "TMServer"
	if _, err := s.SaveMonitor(ctx, db.Actor{}, other); !errors.Is(err, db.ErrMonitorNameTaken) {
		t.Errorf("renaming onto a taken name: %v", err)
	}
}

func TestLicenseFirstSeenWithinAWeekGetsOneWarning(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	co, _ := s.Company(ctx, cs.CompanyID)
	co.NotifyEnabled = true
	s.UpdateCompany(ctx, db.Actor{}, co)
	s.SetCompanyContacts(ctx, db.Actor{}, co.ID, db.NotificationContacts{Emails: []string{"it@north.example"}})
	today := db.Today(s.Now(), co.Location())
	s.SaveLicense(ctx, db.Actor{}, db.License{CompanyID: co.ID, Key: "TMS-SOON-0000-0001", Product: "TMServer",
		IssuedOn: today.AddDate(-1, 0, 0), ExpiresOn: today.AddDate(0, 0, 5)})
	for range 2 {
		if _, err := s.WarnExpiringLicenses(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if notices, _ := s.ListNotices(ctx, db.NoticeFilter{Kind: db.NoticeLicenseExpiring, Limit: 10}); len(notices) != 1 || notices[0].Params.Days != 5 {
		t.Errorf("notices %+v", notices)
	}
}

// A license imported with its 30-day warning sent gets only the 7-day one.
func TestImportedLicenseKeepsTheWarningsSent(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	co, _ := s.Company(ctx, cs.CompanyID)
	co.NotifyEnabled = true
	s.UpdateCompany(ctx, db.Actor{}, co)
	s.SetCompanyContacts(ctx, db.Actor{}, co.ID, db.NotificationContacts{Emails: []string{"it@north.example"}})
	now := testutil.NewClock(t).Day(9, 0)
	s.SetClock(func() time.Time { return now })
	l := db.License{CompanyID: co.ID, Key: "TMS-OLD-KEY-0001", Product: "TMServer", Source: db.LicenseByStaff,
		IssuedOn: now.AddDate(-1, 0, 0), ExpiresOn: db.Today(now, db.VendorLocation).AddDate(0, 0, 20)}
	if err := s.ImportLicense(ctx, l, 30); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportLicense(ctx, l, 14); err == nil {
		t.Error("a warning LicenseWarnDays has not was taken")
	}
	if n, err := s.WarnExpiringLicenses(ctx); n != 0 || err != nil {
		t.Errorf("20 days before: %d %v", n, err)
	}
	now = now.AddDate(0, 0, 13)
	if n, err := s.WarnExpiringLicenses(ctx); n != 1 || err != nil {
		t.Errorf("7 days before: %d %v", n, err)
	}
}

// A monitor watched for longer than ELK keeps (400 days of hours by
// default) comes in whole, its hours in several statements.
func TestImportedMonitorKeepsItsYears(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	now := testutil.NewClock(t).Now().UTC().Truncate(time.Hour)
	first := now.AddDate(0, 0, -400)
	m := db.PastMonitor{Monitor: db.Monitor{CompanyID: cs.CompanyID, Name: "TMServer", Kind: db.MonitorTMServer, CheckType: db.CheckTCP,
		Target: "127.0.0.1:9", Interval: time.Minute, Timeout: time.Second, Active: true, State: db.MonitorUp, StateSince: first, CreatedAt: first}}
	for h := first; h.Before(now); h = h.Add(time.Hour) {
		m.Hours = append(m.Hours, db.MonitorHour{Hour: h, Checks: 60, Ups: 60, AvgLatency: 20 * time.Millisecond, MaxLatency: 40 * time.Millisecond})
	}
	if err := s.ImportMonitors(ctx, []db.PastMonitor{m}); err != nil {
		t.Fatal(err)
	}
	monitors, err := s.CompanyMonitors(ctx, cs.CompanyID)
	if err != nil || len(monitors) != 1 {
		t.Fatalf("%d monitors, %v", len(monitors), err)
	}
	hours, err := s.MonitorHours(ctx, monitors[0].ID, first)
	if err != nil || len(hours) != len(m.Hours) {
		t.Errorf("%d hours of %d kept, %v", len(hours), len(m.Hours), err)
	}
}
