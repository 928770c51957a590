package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/db"
	"elk/testutil"
	"elk/views"
)

// The alert's link to a service switched off since says so, in place of
// the form; the company card warns by the alert-invoice switch when the
// vendor's bank details are incomplete.
func TestAlertLinkToASwitchedOffServiceAndTheVendorWarning(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := context.Background()
	services, err := p.Store.CompanyServices(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	sms := services[0]
	link := p.URL + views.InvoiceFormLink(sms.ID, sms.Tariff.ID, 2_000_00)
	sms.Active = false
	if err := p.Store.UpdateCompanyService(ctx, db.Actor{Login: "manager"}, sms, sms.Tariff); err != nil {
		t.Fatal(err)
	}
	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("create-off")))
	if text := run(t, client, chromedp.Text(chromedp.ID("create-off"))); !strings.Contains(text, "Услуга «СМС» отключена") {
		t.Errorf("the notice reads %q", text)
	}
	screenshot(t, client, "alert-pay-service-off")

	v, err := p.Store.Vendor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v.BIK, v.BankAccount = "", ""
	if err := p.Store.UpdateVendor(ctx, db.Actor{Login: "admin"}, v); err != nil {
		t.Fatal(err)
	}
	manager := tab(t)
	logIn(t, manager, p.URL, "manager", "manager123")
	do(t, manager, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)), chromedp.Navigate(p.URL+"/admin/companies/1"),
		chromedp.WaitVisible(chromedp.ID("alert-invoice-warning")))
	screenshot(t, manager, "alert-pay-vendor-warning")
}
