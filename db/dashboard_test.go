package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// sms_manager_days stays the sum of sms_day_totals by manager and day
// through new SMS, delivery reports and a company passing to another
// manager, in the transactions that make them.
func TestSMSManagerDaysFollowTheDailyTotals(t *testing.T) {
	path := testutil.DemoCopy(t)
	clock := testutil.NewClock(t)
	s := testutil.Open(t, path, clock)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	now := clock.Now()
	batch := []db.SentSMS{{SenderID: "dash-1", Phone: "+79001234567", Parts: 1, Status: db.SMSSent, SentAt: now},
		{SenderID: "dash-2", Phone: "+79001234568", Parts: 2, Status: db.SMSQueued, SentAt: now.Add(-30 * time.Hour)}}
	if _, err := s.RecordSMS(ctx, 1, batch); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		var diff int
		err := raw.QueryRowContext(ctx, `SELECT count(*) FROM (
			SELECT coalesce(c.manager_id, 0) AS m, t.day, sum(t.queued) AS q, sum(t.sent) AS s, sum(t.delivered) AS d, sum(t.failed) AS f, sum(t.expired) AS e
			FROM sms_day_totals t JOIN companies c ON c.id = t.company_id GROUP BY 1, 2
			EXCEPT SELECT manager_id, day, queued, sent, delivered, failed, expired FROM sms_manager_days
			WHERE queued <> 0 OR sent <> 0 OR delivered <> 0 OR failed <> 0 OR expired <> 0)`).Scan(&diff)
		if err != nil {
			t.Fatal(err)
		}
		if diff != 0 {
			t.Errorf("%s: %d days differ", when, diff)
		}
	}
	check("new SMS")
	if _, _, err := s.UpdateSMSStatuses(ctx, 1, []db.SMSStatusUpdate{{SenderID: "dash-1", Status: db.SMSDelivered, At: now.Add(time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	check("a delivery report")
	co, err := s.Company(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	co.ManagerID = 0
	if err := s.UpdateCompany(ctx, db.Actor{Login: "test"}, co); err != nil {
		t.Fatal(err)
	}
	check("the company left without a manager")
	var moved int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM sms_manager_days WHERE manager_id = 0 AND delivered > 0`).Scan(&moved); err != nil || moved == 0 {
		t.Errorf("the company's days stayed with its manager: %d, %v", moved, err)
	}
	d, err := s.Dashboard(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, day := range d.SMSDays {
		total += day.Total
	}
	var want int
	if err := raw.QueryRowContext(ctx, fmt.Sprintf(`SELECT sum(queued + sent + delivered + failed + expired) FROM sms_day_totals WHERE day >= '%s'`,
		db.Today(now, db.VendorLocation).AddDate(0, 0, 1-db.DashboardSMSDays).Format(time.DateOnly))).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if total != want || total == 0 {
		t.Errorf("the chart's SMS: %d, the days' %d", total, want)
	}
}

// The home's migration taken back leaves the schema as it was, the vendor's
// requisites kept; applied again, the payment term is the default and the
// SMS by manager are summed anew from the daily totals.
func TestDashboardMigrationDown(t *testing.T) {
	path := testutil.DemoCopy(t)
	ctx := context.Background()
	conn, p := downTo(t, path, 20)
	var left int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name IN ('sms_manager_days', 'payments_paid_on',
		'tickets_created') OR name LIKE 'sms_manager_days_%'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("left after Down: %d, %v", left, err)
	}
	var vendor string
	if err := conn.QueryRowContext(ctx, `SELECT name FROM vendor`).Scan(&vendor); err != nil || vendor == "" {
		t.Errorf("the vendor after Down: %q, %v", vendor, err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	var term, sums, totals int
	if err := conn.QueryRowContext(ctx, `SELECT payment_term_days, (SELECT sum(delivered) FROM sms_manager_days),
		(SELECT sum(delivered) FROM sms_day_totals) FROM vendor`).Scan(&term, &sums, &totals); err != nil {
		t.Fatal(err)
	}
	if term != db.DefaultPaymentTerm || sums != totals || totals == 0 {
		t.Errorf("after Up again: term %d, %d SMS by manager of %d", term, sums, totals)
	}
}
