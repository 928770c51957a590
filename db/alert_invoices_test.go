package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
)

// alertScene is «Такси Пример» of the demo, whose SMS balance a test moves
// across its alert threshold by corrections.
type alertScene struct {
	t     *testing.T
	s     *db.Store
	sms   db.CompanyService
	steps int
}

const taxiPrimer = 1

func newAlertScene(t *testing.T, s *db.Store, withInvoice bool) *alertScene {
	t.Helper()
	ctx := context.Background()
	co, err := s.Company(ctx, taxiPrimer)
	if err != nil {
		t.Fatal(err)
	}
	co.AlertInvoice = withInvoice
	if err := s.UpdateCompany(ctx, db.Actor{Login: "manager"}, co); err != nil {
		t.Fatal(err)
	}
	services, err := s.CompanyServices(ctx, taxiPrimer, true)
	if err != nil || services[0].ServiceCode != db.ServiceSMS {
		t.Fatalf("services %+v, %v", services, err)
	}
	a := &alertScene{t: t, s: s, sms: services[0]}
	forgetManualInvoices(t, s)
	a.rise()
	return a
}

// forgetManualInvoices dates the company's unpaid invoices issued by hand
// two months back, past the window in which an alert carries one of them.
func forgetManualInvoices(t *testing.T, s *db.Store) {
	t.Helper()
	old := db.Today(s.Now(), db.VendorLocation).AddDate(0, -2, 0).Format("2006-01-02")
	sqlExec(t, s, fmt.Sprintf(`UPDATE invoices SET issued_on = '%s' WHERE company_id = %d AND auto = 0
		AND status IN ('issued', 'partially_paid')`, old, taxiPrimer))
}

func (a *alertScene) balanceAndThreshold() (money.Kopecks, money.Kopecks) {
	a.t.Helper()
	ctx := context.Background()
	cs, err := a.s.CompanyService(ctx, taxiPrimer, a.sms.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	co, err := a.s.Company(ctx, taxiPrimer)
	if err != nil {
		a.t.Fatal(err)
	}
	return cs.Balance, co.SMSAlertThreshold
}

func (a *alertScene) post(amount money.Kopecks) error {
	a.steps++
	_, _, err := a.s.Post(context.Background(), db.Entry{CompanyServiceID: a.sms.ID, Amount: amount, Source: db.SourceCorrection,
		Description: "test", IdempotencyKey: fmt.Sprintf("alert-scene-%d", a.steps)})
	return err
}

// rise lifts the balance above the threshold, which re-arms the alert.
func (a *alertScene) rise() {
	a.t.Helper()
	if b, th := a.balanceAndThreshold(); b < th+100_00 {
		if err := a.post(th + 100_00 - b); err != nil {
			a.t.Fatal(err)
		}
	}
}

// fall drops the balance just under the threshold, returning the error of
// the transaction that does it.
func (a *alertScene) fall() error {
	b, th := a.balanceAndThreshold()
	return a.post(th - 1 - b)
}

// lastAlert is the newest low-balance e-mail; every alert has one.
func (a *alertScene) lastAlert(count int) db.NoticeParams {
	a.t.Helper()
	var n []int64
	notices, err := a.s.CompanyNotices(context.Background(), taxiPrimer, 500)
	if err != nil {
		a.t.Fatal(err)
	}
	var newest db.NoticeParams
	for _, x := range notices {
		if x.Kind == db.NoticeSMSLow && x.Channel == db.ChannelEmail && x.Recipient == "dispatch@taxi-primer.example" {
			if len(n) == 0 {
				newest = x.Params
			}
			n = append(n, x.ID)
		}
	}
	if len(n) != count {
		a.t.Fatalf("%d low-balance e-mails, want %d", len(n), count)
	}
	return newest
}

func (a *alertScene) openAutoInvoices() int {
	a.t.Helper()
	invoices, err := a.s.ListInvoices(context.Background(), db.InvoiceFilter{CompanyID: taxiPrimer, Limit: 1000})
	if err != nil {
		a.t.Fatal(err)
	}
	n := 0
	for _, inv := range invoices {
		if inv.Auto && (inv.Status == db.InvoiceIssued || inv.Status == db.InvoicePartiallyPaid) {
			n++
		}
	}
	return n
}

func TestAlertCarriesOneUnpaidInvoiceAtATime(t *testing.T) {
	ctx := context.Background()
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, true)
	usual, err := s.UsualTopUp(ctx, a.sms)
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	alert := func() (db.NoticeParams, db.Invoice) {
		t.Helper()
		a.rise()
		if err := a.fall(); err != nil {
			t.Fatal(err)
		}
		alerts++
		p := a.lastAlert(alerts)
		inv, err := s.Invoice(ctx, taxiPrimer, p.InvoiceID)
		if err != nil {
			t.Fatalf("alert %d carries invoice %d: %v", alerts, p.InvoiceID, err)
		}
		if p.Number != inv.Number || p.Amount != inv.Amount || !inv.Auto || a.openAutoInvoices() != 1 {
			t.Fatalf("alert %d: %+v, invoice %+v, %d open", alerts, p, inv, a.openAutoInvoices())
		}
		return p, inv
	}

	p, first := alert()
	if first.Amount != usual || first.CompanyServiceID != a.sms.ID || first.TariffID != a.sms.Tariff.ID || first.CreatedBy != "elk" ||
		p.TariffID != a.sms.Tariff.ID {
		t.Errorf("the first auto-invoice %+v, usual %s", first, usual)
	}
	if n := sqlInt(t, s, `SELECT count(*) FROM outbox WHERE kind = 'invoice_issued'`); n != 0 {
		t.Errorf("%d «invoice issued» notices", n)
	}
	// Unpaid: the next alert carries it again.
	if _, again := alert(); again.ID != first.ID {
		t.Errorf("a second invoice %s while %s is unpaid", again.Number, first.Number)
	}
	// Paid in part: still the same.
	if _, err := s.RecordPayment(ctx, db.Actor{}, first.ID, db.NewPayment{Amount: first.Amount / 2, PaidOn: first.IssuedOn, Reference: "half"}); err != nil {
		t.Fatal(err)
	}
	if _, again := alert(); again.ID != first.ID || again.Status != db.InvoicePartiallyPaid {
		t.Errorf("partly paid: the alert carries %+v", again)
	}
	// Paid: the next alert issues a fresh one.
	if _, err := s.RecordPayment(ctx, db.Actor{}, first.ID, db.NewPayment{Amount: first.Amount - first.Amount/2, PaidOn: first.IssuedOn, Reference: "rest"}); err != nil {
		t.Fatal(err)
	}
	_, second := alert()
	if second.ID == first.ID {
		t.Fatal("a paid invoice is attached again")
	}
	// Cancelled: the next alert issues a fresh one too.
	if err := s.CancelInvoice(ctx, db.Actor{Login: "taxi"}, taxiPrimer, second.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, third := alert(); third.ID == second.ID || third.ID == first.ID {
		t.Errorf("after the cancellation the alert carries %s", third.Number)
	}
}

func TestAlertWithoutTheSettingIssuesNothing(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, false)
	before := a.openAutoInvoices()
	invoices := sqlInt(t, s, `SELECT count(*) FROM invoices`)
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	p := a.lastAlert(1)
	after := sqlInt(t, s, `SELECT count(*) FROM invoices`)
	if p.InvoiceID != 0 || p.Amount <= 0 || p.TariffID != a.sms.Tariff.ID || after != invoices || a.openAutoInvoices() != before {
		t.Errorf("alert %+v, invoices %d → %d", p, invoices, after)
	}
}

// The invoice, its number and the alert's outbox rows are one transaction:
// when the alert cannot be written, no invoice is left and its number is
// not spent. Numbers are counted over every year's counter, as a new year's
// starts at 1.
func TestAlertInvoiceIsWrittenWithTheAlertOrNotAtAll(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, true)
	count := func(q string) int { return sqlInt(t, s, q) }
	invoices, last := count(`SELECT count(*) FROM invoices`), count(`SELECT COALESCE(sum(last), 0) FROM document_numbers WHERE kind = 'invoice'`)
	sqlExec(t, s, `CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.kind = 'sms_low' BEGIN SELECT RAISE(ABORT, 'crash'); END`)
	if err := a.fall(); err == nil {
		t.Fatal("the balance fell although its alert could not be written")
	}
	if n, l := count(`SELECT count(*) FROM invoices`), count(`SELECT COALESCE(sum(last), 0) FROM document_numbers WHERE kind = 'invoice'`); n != invoices || l != last {
		t.Errorf("after the failed alert: %d invoices (was %d), last number %d (was %d)", n, invoices, l, last)
	}
	sqlExec(t, s, `DROP TRIGGER boom`)
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	p := a.lastAlert(1)
	if n, l := count(`SELECT count(*) FROM invoices`), count(`SELECT COALESCE(sum(last), 0) FROM document_numbers WHERE kind = 'invoice'`); n != invoices+1 || l != last+1 || p.InvoiceID == 0 {
		t.Errorf("after the alert: %d invoices (was %d), last number %d (was %d), alert %+v", n, invoices, l, last, p)
	}
}

func TestAlertInvoiceSettingIsAudited(t *testing.T) {
	ctx := context.Background()
	s, _ := testutil.OpenDemo(t)
	for _, on := range []bool{true, true, false} {
		newAlertScene(t, s, on)
	}
	entries, _, err := s.ListAudit(ctx, db.AuditFilter{CompanyID: taxiPrimer}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Action == db.AuditAlertInvoice {
			got = append(got, e.ActorLogin+" "+e.Details)
		}
	}
	if len(got) != 2 || got[0] != "manager выключено" || got[1] != "manager включено" {
		t.Errorf("audit: %q", got)
	}
}

// sqlInt runs a query for one number.
func sqlInt(t *testing.T, s *db.Store, query string) int {
	t.Helper()
	var n int
	if err := s.WithTx(context.Background(), func(tx *sql.Tx) error { return tx.QueryRow(query).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// sqlExec runs a statement.
func sqlExec(t *testing.T, s *db.Store, query string) {
	t.Helper()
	if err := s.WithTx(context.Background(), func(tx *sql.Tx) error { _, err := tx.Exec(query); return err }); err != nil {
		t.Fatal(err)
	}
}

// Migration 23 steps back (the switch, the mark and the index go; the
// invoices stay) and forward again.
func TestAlertInvoiceMigrationGoesDownAndUp(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s := testutil.Open(t, path, testutil.NewClock(t))
	a := newAlertScene(t, s, true)
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	invoices := sqlInt(t, s, `SELECT count(*) FROM invoices`)
	s.Close()

	conn, _ := downTo(t, path, 22)
	var left int
	if err := conn.QueryRow(`SELECT (SELECT count(*) FROM pragma_table_info('invoices') WHERE name = 'auto')
		+ (SELECT count(*) FROM pragma_table_info('companies') WHERE name = 'alert_invoice')
		+ (SELECT count(*) FROM sqlite_schema WHERE name = 'invoices_one_open_auto')`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("after the step back %d of the migration's objects are left (%v)", left, err)
	}
	conn.Close()
	s = testutil.Open(t, path, testutil.NewClock(t)) // applies it again
	if n := sqlInt(t, s, `SELECT count(*) FROM invoices`); n != invoices {
		t.Errorf("%d invoices after the round trip, want %d", n, invoices)
	}
	if co, err := s.Company(ctx, taxiPrimer); err != nil || co.AlertInvoice {
		t.Errorf("the switch after the round trip: %+v %v", co.AlertInvoice, err)
	}
}
