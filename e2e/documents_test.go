package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/db/money"
	"elk/testutil"
)

// The owner presses «Оплата», creates an invoice for СМС and downloads it;
// staff record its payment; the owner sees the act and the new balance.
func TestInvoiceIsCreatedPaidAndActed(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	before, _ := p.Store.CompanyServices(context.Background(), 1, true)
	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.ID("pay-button")),
		chromedp.WaitVisible(chromedp.ID("invoice-form")),
	)
	if svc := run(t, client, chromedp.Evaluate[string](`document.querySelector("#f-service_id option:checked").textContent`)); svc != "СМС" {
		t.Fatalf("the form starts with %q", svc)
	}
	screenshot(t, client, "documents-create")
	do(t, client,
		chromedp.SendKeys(chromedp.ID("f-amount"), "3752"),
		chromedp.Click(chromedp.CSS(`#invoice-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#documents tr.hl")),
	)
	row := run(t, client, chromedp.Text(chromedp.CSS("#documents tr.hl")))
	if !strings.Contains(row, "Выставлен") || !strings.Contains(row, money.Kopecks(375200).String()) || !strings.Contains(row, "СМС") {
		t.Errorf("the new row: %s", row)
	}
	screenshot(t, client, "documents-list")

	// The PDF as the browser downloads it.
	got := run(t, client, chromedp.Evaluate[[]string](`(async () => {
		const r = await fetch(document.querySelector("#documents tr.hl a[download]").href);
		const b = await r.arrayBuffer();
		return [r.headers.get("content-type"), r.headers.get("content-disposition"), String(b.byteLength),
			String.fromCharCode(...new Uint8Array(b.slice(0, 5)))];
	})()`, chromedp.EvalAwaitPromise))
	if got[0] != "application/pdf" || !strings.HasPrefix(got[1], "attachment;") || len(got[2]) < 5 || got[3] != "%PDF-" {
		t.Errorf("download: %q", got)
	}
	number := strings.TrimPrefix(run(t, client, chromedp.Text(chromedp.CSS("#documents tr.hl td a"))), "Счёт № ")

	// Staff find it and record the whole payment.
	staff := tab(t)
	logIn(t, staff, p.URL, "manager", "manager123")
	do(t, staff,
		chromedp.WaitVisible(chromedp.ID("home-figures")), // staff land on the back office's home
		chromedp.Click(chromedp.CSS(`.tabs a[href="/admin/invoices"]`)),
		chromedp.Click(chromedp.Search(`//a[text()="`+number+`"]`)),
		chromedp.WaitVisible(chromedp.ID("payment")),
		chromedp.SendKeys(chromedp.ID("f-reference"), "п/п 4521"),
		chromedp.Click(chromedp.CSS(`#payment button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if status := run(t, staff, chromedp.Text(chromedp.ID("invoice-status"))); status != "Оплачен" {
		t.Errorf("after the payment the invoice is %q", status)
	}
	screenshot(t, staff, "admin-invoice")

	do(t, client,
		chromedp.Navigate(p.URL+"/documents"),
		chromedp.WaitVisible(chromedp.ID("documents")),
	)
	list := run(t, client, chromedp.Text(chromedp.ID("documents")))
	// The demo's vendor closes monthly: a payment gets an advance счёт-фактура.
	if !strings.Contains(list, "Счёт-фактура на аванс № А-") || !strings.Contains(list, "по счёту № "+number) || !strings.Contains(list, "Оплачен") {
		t.Errorf("the list after payment: %s", list)
	}
	do(t, client, chromedp.Navigate(p.URL+"/services"), chromedp.WaitVisible(chromedp.CSS(".service-card")))
	if balance := before[0].Balance + 375200; !strings.Contains(run(t, client, chromedp.Text(chromedp.CSS("main"))), balance.String()) {
		t.Errorf("the services page does not show the new SMS balance %s", balance)
	}
}
