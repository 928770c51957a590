package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"elk/db"
	"elk/views"
)

// A link to a switched-off service opens no form on another service: the
// page says the service is off and whom to ask.
func TestAlertLinkToASwitchedOffServiceSaysSo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	e.sqlExec("UPDATE company_services SET active = 0 WHERE id = " + itoa(sms.ID))
	taxi := e.loggedIn("taxi", "taxi123")
	r := taxi.get(views.InvoiceFormLink(sms.ID, sms.Tariff.ID, 1_234_56))
	if open, _, _, _ := payFormOf(r); r.Status != http.StatusOK || open {
		t.Errorf("switched off: %d, form open %v", r.Status, open)
	}
	if got := r.Text("#create-off"); got != "Услуга «СМС» отключена — чтобы пополнить её, обратитесь к менеджеру." {
		t.Errorf("the notice reads %q", got)
	}
	// Without the link the page says nothing of it.
	if r := taxi.get("/documents"); r.Find("#create-off").Length() != 0 {
		t.Error("the notice shows without the link")
	}
}

// A link whose tariff was retired, or a service whose own tariff was
// replaced, opens the form on the service's current tariff.
func TestAlertLinkWithARetiredTariffOffersTheCurrentOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	today := db.Today(e.Store.Now(), db.VendorLocation)
	id, err := e.Store.CreateTariff(ctx, db.Actor{Login: "admin"}, db.Tariff{ServiceID: sms.ServiceID, Name: "Стандарт-новый",
		Price: sms.Tariff.Price + 10, Unit: sms.Tariff.Unit, ValidFrom: today})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.RetireTariff(ctx, db.Actor{Login: "admin"}, sms.Tariff); err != nil {
		t.Fatal(err)
	}
	taxi := e.loggedIn("taxi", "taxi123")
	r := taxi.get(views.InvoiceFormLink(sms.ID, sms.Tariff.ID, 1_234_56))
	if open, service, tariff, _ := payFormOf(r); r.Status != http.StatusOK || !open || service != itoa(sms.ID) || tariff != itoa(id) {
		t.Errorf("retired tariff: %d open %v, service %q, tariff %q (want %d); options %q", r.Status, open, service, tariff, id,
			strings.TrimSpace(r.Text("#f-tariff_id")))
	}
}

// The link's form, asked for the usual top-up of a balance below zero,
// offers it and the debt in whole rubles.
func TestAlertLinkOfANegativeBalanceOffersTheDebt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	usual, err := e.Store.UsualTopUp(context.Background(), sms)
	if err != nil {
		t.Fatal(err)
	}
	e.sqlExec("UPDATE company_services SET balance = -987654321 WHERE id = " + itoa(sms.ID))
	taxi := e.loggedIn("taxi", "taxi123")
	want := (usual + 9_876_544_00).Format()
	if _, _, _, amount := payFormOf(taxi.get("/documents?new=1&service_id=" + itoa(sms.ID) + "&amount=bad")); amount != want {
		t.Errorf("the form offers %q for a debt of 9 876 543,21 ₽, want %q", amount, want)
	}
}
