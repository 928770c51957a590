package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"elk/db/money"
	"elk/views"
)

// payFormOf reads the new-invoice form as a page shows it.
func payFormOf(r *response) (open bool, service, tariff, amount string) {
	return r.Find("#create").Is("[open]"), r.Find("#f-service_id option[selected]").AttrOr("value", ""),
		r.Find("#f-tariff_id option[selected]").AttrOr("value", ""), r.Find("#f-amount").AttrOr("value", "")
}

func TestAlertLinkOpensTheFilledInvoiceForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	services, err := e.Store.CompanyServices(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	sms := services[0]
	usual, err := e.Store.UsualTopUp(ctx, sms)
	if err != nil || usual <= 0 {
		t.Fatalf("usual top-up %s, %v", usual, err)
	}
	link := views.InvoiceFormLink(sms.ID, sms.Tariff.ID, 1_234_56)
	taxi := e.loggedIn("taxi", "taxi123")
	r := taxi.get(link)
	if open, service, tariff, amount := payFormOf(r); r.Status != http.StatusOK || !open || service != itoa(sms.ID) ||
		tariff != itoa(sms.Tariff.ID) || amount != money.Kopecks(1_234_56).Format() {
		t.Errorf("%s: %d open %v, service %q, tariff %q, amount %q", link, r.Status, open, service, tariff, amount)
	}

	// Hostile or missing values are ignored: the service's own tariff, the usual top-up.
	hostile := "/documents?new=1&service_id=" + itoa(sms.ID) + "&tariff_id=" + url.QueryEscape(`"><script>alert(1)</script>`) +
		"&amount=" + url.QueryEscape(`<img src=x onerror=alert(1)>`)
	r = taxi.get(hostile)
	if open, _, tariff, amount := payFormOf(r); r.Status != http.StatusOK || !open || tariff != itoa(sms.Tariff.ID) || amount != usual.Format() {
		t.Errorf("hostile link: %d open %v, tariff %q, amount %q", r.Status, open, tariff, amount)
	}
	if strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, "onerror=alert") {
		t.Error("the hostile values are echoed")
	}
	for _, bad := range []string{"-5", "0", "10000000,01", "1e9"} {
		if _, _, _, amount := payFormOf(taxi.get("/documents?new=1&service_id=" + itoa(sms.ID) + "&amount=" + url.QueryEscape(bad))); amount != usual.Format() {
			t.Errorf("amount %q is shown as %q", bad, amount)
		}
	}

	// Another company's service, or no service at all, is not found; nothing is issued.
	before := e.sqlInt(`SELECT count(*) FROM invoices`)
	vostok := strconv.Itoa(e.sqlInt(`SELECT id FROM company_services WHERE company_id = 2 LIMIT 1`))
	for _, id := range []string{vostok, "abc", "999999"} {
		if r := taxi.get("/documents?new=1&service_id=" + id + "&amount=100"); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Восток") {
			t.Errorf("service %s: %d", id, r.Status)
		}
	}
	if after := e.sqlInt(`SELECT count(*) FROM invoices`); after != before {
		t.Errorf("%d invoices issued by opening links", after-before)
	}

	// Logged out: the login page, then the filled form.
	guest := e.client()
	r = guest.get(link)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login?next=") {
		t.Fatalf("logged out: %d %s", r.Status, r.Location())
	}
	next, _ := url.Parse(r.Location())
	login := guest.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}, "next": {next.Query().Get("next")}})
	if login.Status != http.StatusSeeOther || login.Location() != strings.TrimSuffix(link, "#create") {
		t.Fatalf("after logging in: %d %q, want %q", login.Status, login.Location(), link)
	}
	r = guest.follow(login.Location())
	if open, service, _, amount := payFormOf(r); !open || service != itoa(sms.ID) || amount != money.Kopecks(1_234_56).Format() {
		t.Errorf("after logging in: open %v, service %q, amount %q", open, service, amount)
	}
	// An address elsewhere is not followed after logging in.
	other := e.client()
	if r := other.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}, "next": {"//evil.example/documents"}}); r.Location() != "/company" {
		t.Errorf("a foreign next leads to %q", r.Location())
	}

	// A dispatcher is told who can issue the invoice instead of a form.
	r = e.loggedIn("dispatcher", "dispatcher123").get(link)
	if hint := r.Text("#create-ask"); r.Status != http.StatusOK || r.Find("#invoice-form").Length() != 0 ||
		!strings.Contains(hint, "владелец или бухгалтер") || !strings.Contains(hint, "Елена Воробьёва") {
		t.Errorf("dispatcher: %d, hint %q, form %d", r.Status, hint, r.Find("#invoice-form").Length())
	}
	// And, without the link, sees Документы as before.
	if r := e.loggedIn("dispatcher", "dispatcher123").get("/documents"); r.Find("#create-ask").Length() != 0 {
		t.Error("the hint shows without the link")
	}
}
