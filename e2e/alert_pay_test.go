package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
	"elk/views"
)

// The low-balance alert's link, opened logged out, leads through the login
// page to the filled invoice form, which issues the invoice as it stands; a
// dispatcher is told who can.
func TestAlertLinkLeadsThroughLoginToTheFilledForm(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := context.Background()
	services, err := p.Store.CompanyServices(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	sms := services[0]
	usual, err := p.Store.UsualTopUp(ctx, sms)
	if err != nil {
		t.Fatal(err)
	}
	link := p.URL + views.InvoiceFormLink(sms.ID, sms.Tariff.ID, usual)

	client := tab(t)
	do(t, client,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("f-login")),
		chromedp.SendKeys(chromedp.ID("f-login"), "taxi"),
		chromedp.SendKeys(chromedp.ID("f-password"), "taxi123"),
		chromedp.Click(chromedp.CSS("form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("invoice-form")),
	)
	form := run(t, client, chromedp.Evaluate[[]string](`[document.querySelector("#create").open ? "open" : "closed",
		document.querySelector("#f-service_id option:checked").textContent,
		document.querySelector("#f-tariff_id").value, document.querySelector("#f-amount").value]`))
	if form[0] != "open" || form[1] != "СМС" || form[2] != strconv.FormatInt(sms.Tariff.ID, 10) || form[3] != usual.Format() {
		t.Fatalf("the form after logging in: %q", form)
	}
	screenshot(t, client, "alert-pay-form")
	do(t, client,
		chromedp.Click(chromedp.CSS(`#invoice-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#documents tr.hl")),
	)
	if row := run(t, client, chromedp.Text(chromedp.CSS("#documents tr.hl"))); !strings.Contains(row, usual.String()) {
		t.Errorf("the invoice issued from the link: %s", row)
	}

	dispatcher := tab(t)
	logIn(t, dispatcher, p.URL, "dispatcher", "dispatcher123")
	do(t, dispatcher, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("create-ask")))
	if hint := run(t, dispatcher, chromedp.Text(chromedp.ID("create-ask"))); !strings.Contains(hint, "владелец или бухгалтер") {
		t.Errorf("the dispatcher reads %q", hint)
	}
	screenshot(t, dispatcher, "alert-pay-dispatcher")

	manager := tab(t)
	logIn(t, manager, p.URL, "manager", "manager123")
	do(t, manager, chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)), chromedp.Navigate(p.URL+"/admin/companies/1"), chromedp.WaitVisible(chromedp.ID("f-alert_invoice")))
	screenshot(t, manager, "alert-pay-company-card")
}
