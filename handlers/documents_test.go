package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"elk/db"
	"elk/testutil"
)

func TestCreateInvoiceFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	before := e.sqlInt(`SELECT count(*) FROM invoices`)
	services, _ := e.Store.CompanyServices(context.Background(), 1, true)
	sms := itoa(services[0].ID)
	vostokService := strconv.Itoa(e.sqlInt(`SELECT id FROM company_services WHERE company_id = 2 LIMIT 1`))
	cases := []struct {
		form  url.Values
		field string
		want  string
	}{
		{url.Values{"service_id": {sms}, "amount": {""}}, "amount", "Укажите сумму."},
		{url.Values{"service_id": {sms}, "amount": {"0"}}, "amount", "Укажите сумму в рублях больше нуля"},
		{url.Values{"service_id": {sms}, "amount": {"-5"}}, "amount", "Укажите сумму в рублях больше нуля"},
		{url.Values{"service_id": {sms}, "amount": {"сто рублей"}}, "amount", "Укажите сумму в рублях больше нуля"},
		{url.Values{"service_id": {sms}, "amount": {"10000000,01"}}, "amount", "Укажите сумму в рублях больше нуля"},
		{url.Values{"service_id": {sms}, "amount": {"1'; DROP TABLE invoices; --"}}, "amount", "Укажите сумму в рублях больше нуля"},
		{url.Values{"service_id": {vostokService}, "amount": {"100"}}, "service_id", "Выберите услугу из списка."},
		{url.Values{"service_id": {sms}, "tariff_id": {"999"}, "amount": {"100"}}, "tariff_id", "Выберите тариф из списка."},
	}
	for _, tc := range cases {
		r := taxi.post("/documents", tc.form)
		if r.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(r.Text("#f-"+tc.field+" ~ .error"), tc.want) {
			t.Errorf("%v: %d %q", tc.form, r.Status, r.Text("#f-"+tc.field+" ~ .error"))
		}
		if !r.Find("#create").Is("[open]") {
			t.Errorf("%v: the form is closed after an error", tc.form)
		}
		if r.Find("#f-amount").AttrOr("value", "") != tc.form.Get("amount") {
			t.Errorf("%v: the typed amount is lost", tc.form)
		}
	}
	// A refused form posts again to an address whose reload opens it.
	refused := taxi.post("/documents?new=1", cases[0].form)
	action := refused.Find("#invoice-form").AttrOr("action", "")
	if reload := taxi.get(action); refused.Status != http.StatusUnprocessableEntity || !reload.Find("#create").Is("[open]") {
		t.Errorf("reloading %q after an error (%d) closes the form", action, refused.Status)
	}
	if after := e.sqlInt(`SELECT count(*) FROM invoices`); after != before {
		t.Errorf("refused forms issued %d invoices", after-before)
	}

	r := taxi.post("/documents", url.Values{"service_id": {sms}, "tariff_id": {itoa(services[0].Tariff.ID)}, "amount": {"3 752,50"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/documents?created=") {
		t.Fatalf("create: %d %s %s", r.Status, r.Location(), r.Text(".error"))
	}
	page := taxi.follow(r.Location())
	if row := page.Text("#documents tr.hl"); !strings.Contains(row, "3\u00a0752,50 ₽") || !strings.Contains(row, "Выставлен") {
		t.Errorf("the new row: %q", row)
	}
	inv, _ := e.Store.InvoiceByID(context.Background(), int64(e.sqlInt(`SELECT max(id) FROM invoices`)))
	if inv.CompanyID != 1 || inv.Amount != 375250 || inv.Item != "Услуга «СМС», тариф «"+services[0].Tariff.Name+"»" || inv.CreatedBy != "taxi" {
		t.Errorf("invoice %+v", inv)
	}
}

func TestInvoiceFormFollowsTheService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	services, _ := e.Store.CompanyServices(context.Background(), 1, true)
	support := services[1]
	r := taxi.getWith("/documents/invoice-form?service_id="+itoa(support.ID)+"&amount=1", map[string]string{"HX-Request": "true", "HX-Trigger-Name": "service_id"})
	if r.Status != http.StatusOK || r.Find("#f-tariff_id option[selected]").AttrOr("value", "") != itoa(support.Tariff.ID) {
		t.Fatalf("%d: %s", r.Status, r.Body)
	}
	if got := r.Find("#f-amount").AttrOr("value", ""); got != support.Tariff.Price.Format() {
		t.Errorf("a monthly tariff's price is not filled in: %q", got)
	}
	for _, o := range r.Find("#f-tariff_id option").Nodes {
		if strings.Contains(o.FirstChild.Data, "СМС") {
			t.Errorf("an SMS tariff is offered for support: %s", o.FirstChild.Data)
		}
	}
	// Another company's service gives the company's own first service.
	vostok := strconv.Itoa(e.sqlInt(`SELECT id FROM company_services WHERE company_id = 2 LIMIT 1`))
	r = taxi.getWith("/documents/invoice-form?service_id="+vostok, map[string]string{"HX-Request": "true"})
	if r.Status != http.StatusOK || strings.Contains(r.Body, "Восток") {
		t.Errorf("foreign service: %d", r.Status)
	}
}

func TestDocumentsPDFsAndFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	invoice, act := firstDocuments(e, 1)
	// The demo turned to monthly closing last month: its latest payment's document is an advance счёт-фактура.
	for path, name := range map[string]string{"/documents/invoices/" + invoice + "/pdf": "invoice-", "/documents/acts/" + act + "/pdf": "advance-"} {
		r := taxi.get(path + "?download=1")
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), `attachment; filename="`+name) ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "filename*=UTF-8''") || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %d %v", path, r.Status, r.Header)
		}
		if r := taxi.get(path); !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline;") {
			t.Errorf("%s opened in the browser: %v", path, r.Header.Get("Content-Disposition"))
		}
	}
	count := func(query string) int {
		r := taxi.get("/documents" + query)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", query, r.Status)
		}
		return r.Find("#documents tbody tr[id]").Length()
	}
	// Three payments got УПД, one an advance счёт-фактура; last month's
	// УПД is there when the brief demo's history reaches into last month.
	all, invoices, acts := count(""), count("?kind=invoice"), count("?kind=act")
	if invoices != 6 || acts < 4 || acts > 5 || all != invoices+acts {
		t.Errorf("all %d, invoices %d, acts %d", all, invoices, acts)
	}
	if n := count("?status=paid"); n != 3 {
		t.Errorf("paid: %d", n)
	}
	if n := count("?status=<script>&kind=x"); n != all {
		t.Errorf("unknown filters narrow to %d", n)
	}
	if r := taxi.get("/documents?from=2026-13-01"); r.Status != http.StatusOK || r.Text("#period-error") == "" {
		t.Errorf("a bad date: %d %q", r.Status, r.Text("#period-error"))
	}
}

func TestClientCancelsOnlyAnUnpaidInvoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	invoice, _ := firstDocuments(e, 1)
	paid := strconv.Itoa(e.sqlInt(`SELECT id FROM invoices WHERE company_id = 1 AND status = 'paid' LIMIT 1`))
	r := taxi.follow(taxi.post("/documents/invoices/"+paid+"/cancel", nil).Location())
	if r.Text(".flash.err") == "" || r.Text("#invoice-status") != "Оплачен" {
		t.Errorf("cancelling a paid invoice: %q %q", r.Text(".flash"), r.Text("#invoice-status"))
	}
	r = taxi.follow(taxi.post("/documents/invoices/"+invoice+"/cancel", nil).Location())
	if r.Text("#invoice-status") != "Отменён" {
		t.Errorf("after cancelling: %q", r.Text("#invoice-status"))
	}
}

func TestStaffRecordPaymentsAndIssueInvoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	invoice, _ := firstDocuments(e, 1)
	id, _ := strconv.ParseInt(invoice, 10, 64)
	inv, _ := e.Store.InvoiceByID(ctx, id)
	manager := e.loggedIn("manager", "manager123")
	path := "/admin/invoices/" + invoice + "/payments"
	today := db.Today(e.Clock.Now(), testutil.Moscow).Format("2006-01-02") // the vendor's calendar dates payments
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"paid_on": {today}, "amount": {"0"}, "reference": {"1"}}, "amount"},
		{url.Values{"paid_on": {today}, "amount": {(inv.Amount + 1).Format()}, "reference": {"1"}}, "amount"},
		{url.Values{"paid_on": {"2999-01-01"}, "amount": {"1"}, "reference": {"1"}}, "paid_on"},
		{url.Values{"paid_on": {"вчера"}, "amount": {"1"}, "reference": {"1"}}, "paid_on"},
		{url.Values{"paid_on": {today}, "amount": {"1"}, "reference": {""}}, "reference"},
	} {
		r := manager.post(path, tc.form)
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-"+tc.field+" ~ .error") == "" {
			t.Errorf("%v: %d %q", tc.form, r.Status, r.Text(".error"))
		}
	}
	form := url.Values{"paid_on": {today}, "amount": {"1 000"}, "reference": {"п/п 77"}}
	for range 2 {
		if r := manager.post(path, form); r.Status != http.StatusSeeOther {
			t.Fatalf("payment: %d %s", r.Status, r.Text(".error"))
		}
	}
	after, _ := e.Store.InvoiceByID(ctx, inv.ID)
	if after.Paid != 100000 || after.Status != db.InvoicePartiallyPaid {
		t.Errorf("after the same payment twice: %+v", after)
	}
	paidNotices, _ := e.Store.ListNotices(ctx, db.NoticeFilter{Kind: db.NoticeInvoicePaid, Limit: 10})
	if len(paidNotices) != 1 || paidNotices[0].Params.Number != inv.Number || paidNotices[0].Params.Amount != 100000 ||
		!strings.HasPrefix(paidNotices[0].Params.Act, "А-") || paidNotices[0].Recipient != "dispatch@taxi-primer.example" {
		t.Errorf("the company is told once by e-mail: %+v", paidNotices)
	}

	// A support engineer sees invoices but records nothing.
	support := e.loggedIn("support", "support123")
	if r := support.get("/admin/invoices/" + invoice); r.Status != http.StatusOK || r.Find("#payment").Length() != 0 {
		t.Errorf("support sees the invoice: %d, payment form %d", r.Status, r.Find("#payment").Length())
	}
	for _, p := range []string{path, "/admin/invoices/" + invoice + "/cancel", "/admin/companies/1/invoices"} {
		if r := support.post(p, form); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("support posts %s: %d", p, r.Status)
		}
	}

	// Staff issue an invoice for the company, which is told.
	services, _ := e.Store.CompanyServices(ctx, 1, true)
	r := manager.post("/admin/companies/1/invoices", url.Values{"service_id": {itoa(services[1].ID)}, "tariff_id": {itoa(services[1].Tariff.ID)}, "amount": {"15000"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", r.Status, r.Text(".error"))
	}
	notices, _ := e.Store.CompanyNotices(ctx, 1, 10)
	if len(notices) == 0 || notices[0].Kind != db.NoticeInvoiceIssued || notices[0].Channel != db.ChannelEmail {
		t.Errorf("notices %+v", notices)
	}
	if r := manager.post("/admin/companies/1/invoices", url.Values{"service_id": {itoa(services[1].ID)}, "amount": {"abc"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a bad amount on behalf: %d", r.Status)
	}
}

func TestCompanyWithoutServicesIsToldSo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sqlExec(`UPDATE company_services SET active = 0 WHERE company_id = 2`)
	vostok := e.loggedIn("vostok", "vostok123")
	if r := vostok.get("/documents?new=1"); r.Status != http.StatusOK || !strings.Contains(r.Text("#invoice-form"), "нет подключённых услуг") {
		t.Errorf("%d %q", r.Status, r.Text("#invoice-form"))
	}
	before := e.sqlInt(`SELECT count(*) FROM invoices`)
	if r := vostok.post("/documents", url.Values{"amount": {"100"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a form without services: %d", r.Status)
	}
	if e.sqlInt(`SELECT count(*) FROM invoices`) != before {
		t.Error("an invoice was issued without a service")
	}
}

func TestStaffCancellationKeepsTheReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	invoice, _ := firstDocuments(e, 1)
	manager := e.loggedIn("manager", "manager123")
	long := strings.Repeat("я", 501)
	r := manager.post("/admin/invoices/"+invoice+"/cancel", url.Values{"reason": {long}})
	if r.Status != http.StatusUnprocessableEntity || r.Find("#f-reason").AttrOr("value", "") != long || r.Text("#f-reason ~ .error") == "" {
		t.Errorf("a long reason: %d %q", r.Status, r.Text("#f-reason ~ .error"))
	}
	if r := manager.post("/admin/invoices/"+invoice+"/cancel", url.Values{"reason": {"Клиент передумал"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.Status)
	}
	if r := manager.get("/admin/invoices/" + invoice); r.Text("#invoice-status") != "Отменён" || !strings.Contains(r.Body, "Клиент передумал") {
		t.Errorf("after cancelling: %q", r.Text("#invoice-status"))
	}
}

// A service switched off can no longer be invoiced, but its documents can
// still be filtered by it.
func TestSwitchedOffServiceLeavesTheFormNotTheFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tm := serviceOf(t, e, 1, db.ServiceTMDrive)
	tm.Active = false
	if err := e.Store.UpdateCompanyService(context.Background(), db.Actor{}, tm, tm.Tariff); err != nil {
		t.Fatal(err)
	}
	r := e.loggedIn("taxi", "taxi123").get("/documents")
	option := fmt.Sprintf(`option[value="%d"]`, tm.ID)
	if r.Find("#f-service_id "+option).Length() != 0 || r.Find("#f-service_id option").Length() == 0 {
		t.Errorf("the invoice form offers: %s", r.Text("#f-service_id"))
	}
	if r.Find("#f-service "+option).Length() != 1 {
		t.Errorf("the filter offers: %s", r.Text("#f-service"))
	}
}

// A document downloads as the same bytes every time, served from the copy
// kept when it was first drawn, and drawn again as the same bytes; a part
// payment and then a cancellation change the invoice, which is drawn again
// in its new state and then kept as drawn.
func TestDocumentPDFIsTheSameEachTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	invoice, act := firstDocuments(e, 1)
	path := "/documents/invoices/" + invoice + "/pdf"
	kept := func(want string) string {
		t.Helper()
		b := taxi.get(path).Body
		if again := taxi.get(path).Body; again != b {
			t.Fatal("the same invoice downloaded twice differs")
		}
		if n := e.sqlInt(`SELECT count(*) FROM document_pdfs WHERE kind = 'invoice' AND document_id = ` + invoice); n != 1 {
			t.Errorf("%d copies kept", n)
		}
		if text := testutil.PDFText(t, []byte(b)); !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q: %s", want, text)
		}
		return b
	}
	first := kept("Оплатите счёт")

	// Served from the copy: a mark put in it comes back.
	e.sqlExec(`UPDATE document_pdfs SET pdf = CAST('%PDF-marked' AS BLOB) WHERE kind = 'invoice' AND document_id = ` + invoice)
	if b := taxi.get(path).Body; b != "%PDF-marked" {
		t.Errorf("not the kept copy: %.20q", b)
	}
	// Drawn again with no copy kept, the invoice and the act are the bytes they were.
	actPath := "/documents/acts/" + act + "/pdf"
	firstAct := taxi.get(actPath).Body
	e.sqlExec(`DELETE FROM document_pdfs`)
	if taxi.get(path).Body != first || taxi.get(actPath).Body != firstAct {
		t.Error("a document drawn again differs from its first drawing")
	}

	manager := e.loggedIn("manager", "manager123")
	today := db.Today(e.Clock.Now(), testutil.Moscow).Format("2006-01-02")
	if r := manager.post("/admin/invoices/"+invoice+"/payments",
		url.Values{"paid_on": {today}, "amount": {"1 000"}, "reference": {"п/п 78"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("payment: %d", r.Status)
	}
	paid := kept("Оплачено: 1 000,00 Осталось оплатить: 6 500,00")
	if paid == first {
		t.Error("the invoice after a payment: not drawn again")
	}
	if r := manager.post("/admin/invoices/"+invoice+"/cancel", url.Values{"reason": {"Клиент передумал"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.Status)
	}
	if kept("СЧЁТ АННУЛИРОВАН") == paid {
		t.Error("the invoice after its cancellation: not drawn again")
	}
}
