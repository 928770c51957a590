package db_test

import (
	"context"
	"fmt"
	"testing"

	"elk/db"
	"elk/testutil"
)

// An alert whose service's tariff was retired offers, and invoices, the
// tariff that took its place.
func TestAlertInvoiceUsesTheCurrentTariff(t *testing.T) {
	ctx := context.Background()
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, true)
	id, err := s.CreateTariff(ctx, db.Actor{Login: "admin"}, db.Tariff{ServiceID: a.sms.ServiceID, Name: "Стандарт-новый",
		Price: a.sms.Tariff.Price + 10, Unit: a.sms.Tariff.Unit, ValidFrom: db.Today(s.Now(), db.VendorLocation)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RetireTariff(ctx, db.Actor{Login: "admin"}, a.sms.Tariff); err != nil {
		t.Fatal(err)
	}
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	p := a.lastAlert(1)
	inv, err := s.Invoice(ctx, taxiPrimer, p.InvoiceID)
	if err != nil {
		t.Fatal(err)
	}
	if p.TariffID != id || inv.TariffID != id {
		t.Errorf("the alert offers tariff %d, invoices %d; want the current %d", p.TariffID, inv.TariffID, id)
	}
}

// Without the vendor's bank details no invoice is issued: the alert keeps
// its link to the form.
func TestAlertIssuesNoInvoiceWithoutTheVendorsBankDetails(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, true)
	sqlExec(t, s, `UPDATE vendor SET bik = '', bank_account = ''`)
	invoices := sqlInt(t, s, `SELECT count(*) FROM invoices`)
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	p := a.lastAlert(1)
	if n := sqlInt(t, s, `SELECT count(*) FROM invoices`); p.InvoiceID != 0 || p.Amount <= 0 || n != invoices {
		t.Errorf("alert %+v, invoices %d → %d", p, invoices, n)
	}
}

// Below zero the top-up offered covers at least the debt, in whole rubles,
// in the link and in the auto-invoice alike.
func TestTopUpOfANegativeBalanceCoversTheDebt(t *testing.T) {
	ctx := context.Background()
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, true)
	usual, err := s.UsualTopUp(ctx, a.sms)
	if err != nil {
		t.Fatal(err)
	}
	// A debt is added, in whole rubles.
	small := a.sms
	small.Balance = -1_50
	if k, err := s.UsualTopUp(ctx, small); err != nil || k != usual+2_00 {
		t.Errorf("debt 1,50 ₽: %s, %v; want the usual %s and 2,00 ₽", k, err, usual)
	}
	debt := usual + 1_000_50 // 1 000,50 ₽ more than the usual top-up
	balance, _ := a.balanceAndThreshold()
	if err := a.post(-balance - debt); err != nil {
		t.Fatal(err)
	}
	notices, err := s.CompanyNotices(ctx, taxiPrimer, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := usual + usual + 1_001_00
	found := false
	for _, n := range notices {
		if n.Kind == db.NoticeSMSNegative && n.Channel == db.ChannelEmail {
			found = true
			inv, err := s.Invoice(ctx, taxiPrimer, n.Params.InvoiceID)
			if err != nil || n.Params.Amount != want || inv.Amount != want {
				t.Errorf("debt %s: the alert offers %s, its invoice %s (%v); want %s", debt, n.Params.Amount, inv.Amount, err, want)
			}
		}
	}
	if !found {
		t.Fatal("no urgent alert")
	}
}

// An unpaid invoice issued by hand for the service within the last 30 days
// is carried instead of a second one; an older one is not.
func TestAlertCarriesARecentManualInvoice(t *testing.T) {
	ctx := context.Background()
	s, _ := testutil.OpenDemo(t)
	a := newAlertScene(t, s, true)
	manual, err := s.CreateInvoice(ctx, db.Actor{Login: "taxi"}, db.NewInvoice{Service: a.sms, Tariff: &a.sms.Tariff, Item: "СМС", Amount: 3_000_00})
	if err != nil {
		t.Fatal(err)
	}
	invoices := sqlInt(t, s, `SELECT count(*) FROM invoices`)
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	if p := a.lastAlert(1); p.InvoiceID != manual.ID || p.Amount != manual.Amount || p.Number != manual.Number ||
		sqlInt(t, s, `SELECT count(*) FROM invoices`) != invoices {
		t.Errorf("the alert carries %d %s (%s), want the manual %d", p.InvoiceID, p.Number, p.Amount, manual.ID)
	}

	// Issued 31 days ago, it is taken for forgotten: the alert issues its own.
	old := db.Today(s.Now(), db.VendorLocation).AddDate(0, 0, -31).Format("2006-01-02")
	sqlExec(t, s, fmt.Sprintf(`UPDATE invoices SET issued_on = '%s' WHERE id = %d`, old, manual.ID))
	a.rise()
	if err := a.fall(); err != nil {
		t.Fatal(err)
	}
	if p := a.lastAlert(2); p.InvoiceID == manual.ID || p.InvoiceID == 0 {
		t.Errorf("with the manual invoice a month old the alert carries %d", p.InvoiceID)
	}
}
