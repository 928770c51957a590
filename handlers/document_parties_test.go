package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"elk/db"
	"elk/testutil"
)

// issue has the client issue an invoice for its first service and returns its id.
func issue(t *testing.T, e *env, c *client, companyID int64, amount string) string {
	t.Helper()
	services, _ := e.Store.CompanyServices(context.Background(), companyID, true)
	if len(services) == 0 {
		t.Fatalf("company %d has no service", companyID)
	}
	r := c.post("/documents", url.Values{"service_id": {itoa(services[0].ID)}, "amount": {amount}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("issue: %d %s", r.Status, r.Text(".error"))
	}
	return itoa(int64(e.sqlInt(`SELECT max(id) FROM invoices WHERE company_id = ?`, companyID)))
}

// A Russian buyer's invoice names its contract, in the basis and in the
// payment purpose its QR code carries, has both signatures, and, part
// paid, ends with what the QR code asks for.
func TestInvoiceOfRussianBuyerWithContract(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	id := issue(t, e, taxi, 1, "3 752,00")
	today := db.Today(e.Clock.Now(), testutil.Moscow).Format("2006-01-02")
	if r := e.loggedIn("manager", "manager123").post("/admin/invoices/"+id+"/payments",
		url.Values{"paid_on": {today}, "amount": {"1 000"}, "reference": {"п/п 18"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("payment: %d %s", r.Status, r.Text(".error"))
	}
	co, _ := e.Store.Company(context.Background(), 1)
	contract := "№ " + co.Contract.Number + " от " + co.Contract.Date.Format("02.01.2006")
	doc := []byte(taxi.get("/documents/invoices/" + id + "/pdf").Body)
	text, qr := testutil.PDFText(t, doc), testutil.PDFQR(t, doc)
	for _, want := range []string{
		"Покупатель (Заказчик): ООО «Такси Пример», ИНН 7704123450, КПП 770401001",
		"Основание: Договор " + contract, "по договору " + contract + ", в т.ч. НДС 22%",
		"Руководитель ______________ / Соколов А. В. /", "Главный бухгалтер ______________ / Ершова М. И. /",
		"Всего к оплате: 3 752,00 Оплачено: 1 000,00 Осталось оплатить: 2 752,00",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(qr, "|Sum=275200|") || !strings.Contains(qr, "по договору "+contract) {
		t.Errorf("the QR code: %q", qr)
	}
}

// A Kazakh buyer's invoice names its БИН and country, charges no VAT and
// says why; no label is left empty.
func TestInvoiceOfKazakhBuyer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	almaty := e.loggedIn("almaty", "almaty123")
	id := issue(t, e, almaty, 3, "50 000")
	doc := []byte(almaty.get("/documents/invoices/" + id + "/pdf").Body)
	text, qr := testutil.PDFText(t, doc), testutil.PDFQR(t, doc)
	for _, want := range []string{
		"Покупатель (Заказчик): ТОО «Алма Такси», БИН 150440012344, Республика Казахстан, 050000, г. Алматы",
		"Основание: Договор № ЕЛК-15/", "Без НДС", "НДС не облагается: место реализации услуг — Республика Казахстан",
		"приложение № 18 к Договору о ЕАЭС",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`ИНН ,|КПП ,|НДС 22%`).MatchString(text) {
		t.Errorf("an empty label or Russian VAT:\n%s", text)
	}
	if !strings.HasSuffix(qr, ", без НДС") || !strings.Contains(qr, "по договору № ЕЛК-15/") {
		t.Errorf("the QR code: %q", qr)
	}
	page := almaty.get("/documents/invoices/" + id)
	if got := page.Text(".props dd:nth-of-type(2)"); got != "ТОО «Алма Такси», БИН 150440012344" {
		t.Errorf("the invoice page's buyer: %q", got)
	}
}
