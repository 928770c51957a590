package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
)

// closingDoc is the first of the company's closing documents that matches.
func closingDoc(t *testing.T, e *env, companyID int64, match func(db.ClosingDoc) bool) db.ClosingDoc {
	t.Helper()
	ctx := context.Background()
	docs, err := e.Store.ListDocuments(ctx, companyID, db.DocFilter{Kind: db.DocClosing})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		doc, err := e.Store.ClosingDoc(ctx, companyID, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if match(doc) {
			return doc
		}
	}
	t.Fatalf("company %d has no such closing document among %+v", companyID, docs)
	return db.ClosingDoc{}
}

// closingText downloads a closing document as its client and reads it back.
func closingText(t *testing.T, c *client, d db.ClosingDoc) string {
	t.Helper()
	r := c.get("/documents/acts/" + itoa(d.ID) + "/pdf")
	if r.Status != 200 {
		t.Fatalf("%s: %d", d.Number, r.Status)
	}
	return testutil.PDFText(t, []byte(r.Body))
}

func wantAll(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// Every kind of closing document the demo holds reads back as the
// accountant expects: the УПД of a payment (status 1), the advance
// счёт-фактура, the Kazakh buyer's УПД without VAT (status 2), a month's
// УПД from the monthly run, and, from a vendor without VAT, a Russian
// buyer's status 2 УПД for a part payment.
func TestEveryClosingDocumentReadsBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	taxi, almaty := e.loggedIn("taxi", "taxi123"), e.loggedIn("almaty", "almaty123")
	taxiCo, _ := e.Store.Company(ctx, 1)
	contract := "Договор № " + taxiCo.Contract.Number + " от " + taxiCo.Contract.Date.Format("02.01.2006")

	upd := closingDoc(t, e, 1, func(d db.ClosingDoc) bool { return d.Form == db.FormUPD && d.ServiceCode == db.ServiceSMS })
	wantAll(t, "the payment's УПД", closingText(t, taxi, upd),
		"Счёт-фактура № "+upd.Number, "Статус: 1", "ИНН/КПП покупателя: 7704123450/770401001 (6б)", "Российский рубль, 643",
		"Услуга «СМС», тариф «СМС — базовый» — 796 шт 4 000 2,05 8 196,72 без акциза 22% 1 803,28 10 000,00",
		"Всего к оплате (9) 8 196,72 Х 1 803,28 10 000,00", "№ "+upd.PaymentReference+" от "+upd.PaidOn.Format("02.01.2006")+" (5)",
		contract, "Соколов А. В.", "Ершова М. И.", "Генеральный директор", "Орлов П. С. [15]")

	advance := closingDoc(t, e, 1, func(d db.ClosingDoc) bool { return d.Form == db.FormAdvance })
	wantAll(t, "the advance счёт-фактура", closingText(t, taxi, advance),
		"Счёт-фактура № "+advance.Number, "№ "+advance.PaymentReference+" от "+advance.PaidOn.Format("02.01.2006"),
		"22/122", norm(advance.VAT.Format()), norm(advance.Amount.Format()), "Соколов А. В.", "Ершова М. И.")

	alma := closingDoc(t, e, 3, func(d db.ClosingDoc) bool { return d.Form == db.FormUPD && d.Basis == db.BasisPayment })
	text := closingText(t, almaty, alma)
	wantAll(t, "the Kazakh buyer's УПД", text, "Статус: 2", "ТОО «Алма Такси»", "БИН 150440012344", "без НДС",
		"место реализации услуг — Республика Казахстан", "Серикова А. М.")
	if strings.Contains(text, "22%") || strings.Contains(text, "ИНН 150440012344") {
		t.Errorf("the Kazakh buyer's УПД charges VAT or calls its БИН an ИНН:\n%s", text)
	}

	// The monthly run for this month, as the first of the next would make
	// it, with SMS sent this month (none may have been yet on its first).
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	if _, _, err := e.Store.Post(ctx, db.Entry{CompanyServiceID: firstService(t, e, 1), Amount: -2_500, Source: db.SourceSMS,
		Units: 10, IdempotencyKey: "read-back"}); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetClosingPolicy(ctx, db.Actor{}, db.ClosingMonthly, db.MonthStart(today)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.IssueMonthlyDocs(ctx, time.Date(today.Year(), today.Month()+1, 1, 3, 0, 0, 0, db.VendorLocation)); err != nil {
		t.Fatal(err)
	}
	month := closingDoc(t, e, 1, func(d db.ClosingDoc) bool {
		return d.Basis == db.BasisMonth && d.PeriodFrom.Equal(db.MonthStart(today))
	})
	text = closingText(t, taxi, month)
	period := "период с " + month.PeriodFrom.Format("02.01.2006") + " по " + month.PeriodTo.Format("02.01.2006")
	wantAll(t, "the month's УПД", text, "Статус: 1", contract+", "+period, "Услуга «СМС», тариф «СМС — базовый»", "796 шт",
		"Всего к оплате (9)", norm(month.VAT.Format()), norm(month.Amount.Format()), "К платёжно-расчётному документу: — (5)")

	// A vendor on a tax system without VAT, closing by payment: a Russian
	// buyer's part payment gets a status 2 УПД of a prepayment.
	v, _ := e.Store.Vendor(ctx)
	v.VATRate = money.NoVAT
	if err := e.Store.UpdateVendor(ctx, db.Actor{}, v); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetClosingPolicy(ctx, db.Actor{}, db.ClosingOnPayment, today); err != nil {
		t.Fatal(err)
	}
	services, _ := e.Store.CompanyServices(ctx, 2, true)
	inv, err := e.Store.CreateInvoice(ctx, db.Actor{}, db.NewInvoice{Service: services[0], Tariff: &services[0].Tariff,
		Item: db.ServiceItem(services[0].ServiceCode, services[0].Tariff.Name), Amount: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: 400_051, PaidOn: today, Reference: "777"}); err != nil {
		t.Fatal(err)
	}
	part := closingDoc(t, e, 2, func(d db.ClosingDoc) bool { return d.InvoiceID == inv.ID })
	text = closingText(t, e.loggedIn("vostok", "vostok123"), part)
	wantAll(t, "a part payment's УПД without VAT", text, "Статус: 2", "ИНН/КПП покупателя: 2536012347/253601001",
		"Услуги по тарифу «"+services[0].Tariff.Name+"» — 876 усл. ед 1 4 000,51 4 000,51 без акциза без НДС без НДС 4 000,51", "(предоплата)", "№ 777 от "+today.Format("02.01.2006"))
	if part.VAT != 0 || strings.Contains(text, "22%") {
		t.Errorf("without VAT: %s\n%s", part.VAT, text)
	}
}

// Staff reach a company's closing documents of the last year from its page,
// a month's УПД too, which no invoice leads to; on both sides a closing
// document's link opens its PDF outside the portal's page swaps.
func TestClosingDocumentsAreListedForStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	if _, _, err := e.Store.Post(ctx, db.Entry{CompanyServiceID: firstService(t, e, 1), Amount: -2_500, Source: db.SourceSMS,
		Units: 10, IdempotencyKey: "listed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.IssueMonthlyDocs(ctx, time.Date(today.Year(), today.Month()+1, 1, 3, 0, 0, 0, db.VendorLocation)); err != nil {
		t.Fatal(err)
	}
	month := closingDoc(t, e, 1, func(d db.ClosingDoc) bool {
		return d.Basis == db.BasisMonth && d.PeriodFrom.Equal(db.MonthStart(today))
	})
	page := e.loggedIn("manager", "manager123").get("/admin/companies/1")
	link := page.Find("#act-" + itoa(month.ID) + " a[href='/admin/acts/" + itoa(month.ID) + "/pdf']")
	if link.Length() != 1 || link.AttrOr("hx-boost", "") != "false" || !strings.Contains(link.Text(), month.Number) {
		t.Fatalf("the month's УПД on the company page: %s", outerHTML(page.Find("#closing-documents + section")))
	}
	if r := e.loggedIn("manager", "manager123").get("/admin/acts/" + itoa(month.ID) + "/pdf"); r.Status != 200 ||
		!strings.HasPrefix(r.Body, "%PDF-") {
		t.Errorf("its PDF: %d", r.Status)
	}
	list := e.loggedIn("taxi", "taxi123").get("/documents")
	list.Find("#documents a[href*='/acts/']").Each(func(_ int, a *goquery.Selection) {
		if a.AttrOr("hx-boost", "") != "false" {
			t.Errorf("a closing document's link is swapped into the page: %s", outerHTML(a))
		}
	})
}

// firstService is the id of a company's first connected service.
func firstService(t *testing.T, e *env, companyID int64) int64 {
	t.Helper()
	services, err := e.Store.CompanyServices(context.Background(), companyID, true)
	if err != nil || len(services) == 0 {
		t.Fatalf("company %d has no service: %v", companyID, err)
	}
	return services[0].ID
}
