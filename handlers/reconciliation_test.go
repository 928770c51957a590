package handlers_test

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
)

// outerHTML is an element's markup, for a failure's message.
func outerHTML(s *goquery.Selection) string {
	h, _ := goquery.OuterHtml(s)
	return h
}

// statementURL is the path of an акт сверки between two days.
func statementURL(prefix string, from, to time.Time) string {
	return prefix + "/reconciliation.pdf?from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
}

// operation is a row of an акт сверки: its day, the start of its document's
// name (a long one wraps within its cell) and its amount.
type operation struct {
	day    time.Time
	sale   bool
	id     int64
	head   string // «Оплата (п/п № 1180» or «УПД № А-2026-000001 от 19.09.2026»
	number string // a sale's document number
	amount money.Kopecks
}

// texts are what a reader sees of the row, in order.
func (o operation) texts() []string {
	return []string{o.day.Format("02.01.2006") + " " + o.head, norm(o.amount.Format())}
}

// ledgerRows are a company's payments and sales as the statement must list
// them, in its order: by day, a day's payments before its documents.
func ledgerRows(t *testing.T, e *env, companyID int64, from, to time.Time) []operation {
	t.Helper()
	ctx := context.Background()
	docs, err := e.Store.ListDocuments(ctx, companyID, db.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ops []operation
	in := func(d time.Time) bool { return !d.Before(from) && !d.After(to) }
	for _, d := range docs {
		switch {
		case d.Kind == db.DocInvoice:
			payments, err := e.Store.InvoicePayments(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range payments {
				if in(p.PaidOn) {
					number := strings.Fields(strings.TrimPrefix(p.Reference, "п/п "))[0]
					ops = append(ops, operation{day: p.PaidOn, id: p.ID, head: "Оплата (п/п № " + number, amount: p.Amount})
				}
			}
		case d.Form != db.FormAdvance && in(d.IssuedOn):
			name := map[string]string{db.FormUPD: "УПД", db.FormAct: "Акт"}[d.Form]
			ops = append(ops, operation{day: d.IssuedOn, sale: true, id: d.ID, number: d.Number, amount: d.Amount,
				head: name + " № " + d.Number + " от " + d.IssuedOn.Format("02.01.2006")})
		}
	}
	slices.SortFunc(ops, func(a, b operation) int {
		if c := a.day.Compare(b.day); c != 0 {
			return c
		}
		if a.sale != b.sale {
			return map[bool]int{false: -1, true: 1}[a.sale]
		}
		return cmp.Compare(a.id, b.id)
	})
	return ops
}

// rowTexts are the texts of the rows, in order.
func rowTexts(ops []operation) []string {
	var out []string
	for _, o := range ops {
		out = append(out, o.texts()...)
	}
	return out
}

// norm folds spaces, no-break ones too, as pdfText does.
func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// ledgerTurnovers are what the ledger says of a period: the company's
// payment transactions by the bank's date, and its sales.
func ledgerTurnovers(e *env, companyID int64, from, to time.Time) (debit, credit money.Kopecks) {
	f, l := from.Format(time.DateOnly), to.Format(time.DateOnly)
	credit = money.Kopecks(e.sqlInt(`SELECT COALESCE(sum(t.amount), 0) FROM transactions t JOIN payments p ON p.transaction_id = t.id
		WHERE t.company_id = ? AND t.source = 'payment' AND p.paid_on BETWEEN ? AND ?`, companyID, f, l))
	debit = money.Kopecks(e.sqlInt(`SELECT COALESCE(sum(amount), 0) FROM closing_documents
		WHERE company_id = ? AND form IN ('act', 'upd') AND issued_on BETWEEN ? AND ?`, companyID, f, l))
	return debit, credit
}

// inOrder reports the first of wants missing from text after the ones before it.
func inOrder(text string, wants ...string) string {
	at := 0
	for _, w := range wants {
		i := strings.Index(text[at:], w)
		if i < 0 {
			return w
		}
		at += i + len(w)
	}
	return ""
}

func TestReconciliationStatementOfTheDemo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	co, err := e.Store.Company(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	signed := today.AddDate(-1, 0, 0)
	co.Contract, co.Signer = db.Contract{Number: "15/2026", Date: &signed}, db.Signer{Name: "Орлов Павел Сергеевич", Position: "Директор"}
	if err := e.Store.UpdateCompany(ctx, db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	// The unpaid invoice is paid on its day, the payment recorded today
	// under «по оплате»: its УПД is today's.
	if err := e.Store.SetClosingPolicy(ctx, db.Actor{}, db.ClosingOnPayment, today); err != nil {
		t.Fatal(err)
	}
	var unpaid db.Document
	docs, _ := e.Store.ListDocuments(ctx, 1, db.DocFilter{Kind: db.DocInvoice, Status: db.InvoiceIssued})
	if len(docs) == 0 {
		t.Fatal("«Такси Пример» has no unpaid invoice")
	}
	unpaid = docs[0]
	if _, err := e.Store.RecordPayment(ctx, actorOf(e, "admin"), unpaid.ID,
		db.NewPayment{Amount: unpaid.Amount, PaidOn: unpaid.IssuedOn, Reference: "4512"}); err != nil {
		t.Fatal(err)
	}

	from := today.AddDate(0, 0, -90)
	for _, login := range []string{"taxi", "buh"} {
		r := e.loggedIn(login, demoPasswords[login]).get(statementURL("/documents", from, today))
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "reconciliation-"+from.Format(time.DateOnly)) {
			t.Fatalf("%s: %d %s %s", login, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
		}
	}
	// The act is the money's: a dispatcher has neither it nor its form.
	dispatcher := e.loggedIn("dispatcher", "dispatcher123")
	if r := dispatcher.get(statementURL("/documents", from, today)); r.Status != http.StatusForbidden {
		t.Errorf("dispatcher: %d", r.Status)
	}
	if dispatcher.get("/documents").Find("#reconciliation").Length() != 0 {
		t.Error("a dispatcher is offered the reconciliation act")
	}
	text := testutil.PDFText(t, []byte(e.loggedIn("buh", "buh12345").get(statementURL("/documents", from, today)).Body))
	rows := ledgerRows(t, e, 1, from, today)
	debit, credit := ledgerTurnovers(e, 1, from, today)
	if len(rows) < 6 || debit == 0 || credit == 0 {
		t.Fatalf("the demo has %d operations, %s rendered and %s paid: %v", len(rows), debit, credit, rows)
	}
	day := func(d time.Time) string { return d.Format("02.01.2006") }
	wants := append([]string{
		"Акт сверки взаимных расчётов за период с " + day(from) + " по " + day(today) + " между ООО «ТаксиСофт» и ООО «Такси Пример»",
		"по договору № 15/2026 от " + day(signed),
		"ООО «Такси Пример», ИНН 7704123450",
		"По данным ООО «ТаксиСофт», руб. По данным ООО «Такси Пример», руб.",
		"Сальдо начальное", // nothing before the demo's first payment
	}, rowTexts(rows)...)
	wants = append(wants,
		norm("Обороты за период "+debit.Format()+" "+credit.Format()),
		"Сальдо конечное", outcome(day(today), debit-credit),
		"От ООО «ТаксиСофт»:", "От ООО «Такси Пример»:", "Генеральный директор Директор", "/ Соколов А. В. / ______________ / Орлов П. С. /",
		"М. П. М. П.")
	if missing := inOrder(text, wants...); missing != "" {
		t.Errorf("no %q in its place in\n%s", missing, text)
	}
	if last := rows[len(rows)-1]; !last.sale || !last.day.Equal(today) {
		t.Errorf("the late payment's УПД is not the last: %v", rows)
	}

	// Up to yesterday the late payment stands without its УПД: the vendor
	// holds it, on top of what it held before.
	yesterday := today.AddDate(0, 0, -1)
	debit, credit = ledgerTurnovers(e, 1, from, yesterday)
	text = testutil.PDFText(t, []byte(e.loggedIn("taxi", "taxi123").get(statementURL("/documents", from, yesterday)).Body))
	if want := outcome(day(yesterday), debit-credit); !strings.Contains(text, want) {
		t.Errorf("at %s: no %q in\n%s", day(yesterday), want, text)
	}
	// From today that balance opens the period, and today's УПД (on the
	// first of a month, after the month's) takes the late payment off it.
	text = testutil.PDFText(t, []byte(e.loggedIn("taxi", "taxi123").get(statementURL("/documents", today, today)).Body))
	todayDebit, todayCredit := ledgerTurnovers(e, 1, today, today)
	if missing := inOrder(text, "Сальдо начальное", "УПД", norm(unpaid.Amount.Format()),
		"Обороты за период "+norm(todayDebit.Format())+" "+norm(todayCredit.Format()),
		outcome(day(today), debit-credit+todayDebit-todayCredit)); missing != "" || todayDebit < unpaid.Amount {
		t.Errorf("no %q in its place in\n%s", missing, text)
	}
}

// outcome is the statement's last sentence for a balance (debit less
// credit) of «Такси Пример» with the demo vendor.
func outcome(day string, balance money.Kopecks) string {
	head := "По данным ООО «ТаксиСофт» на " + day
	creditor := "ООО «ТаксиСофт»"
	switch {
	case balance == 0:
		return head + " задолженность отсутствует."
	case balance < 0:
		creditor, balance = "ООО «Такси Пример»", -balance
	}
	return norm(head + " задолженность в пользу " + creditor + " составляет " + balance.Format() + " руб.")
}

func TestReconciliationOfAnEmptyPeriod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	from, to := today.AddDate(-2, 0, 0), today.AddDate(-1, 0, 0)
	text := testutil.PDFText(t, []byte(e.loggedIn("taxi", "taxi123").get(statementURL("/documents", from, to)).Body))
	if missing := inOrder(text, "Сальдо начальное Обороты за период 0,00 0,00 Сальдо конечное",
		"на "+to.Format("02.01.2006")+" задолженность отсутствует."); missing != "" || strings.Contains(text, "Оплата (") {
		t.Errorf("no %q in\n%s", missing, text)
	}
}

func TestReconciliationRefusesABadPeriod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	iso := func(d time.Time) string { return d.Format(time.DateOnly) }
	c := e.loggedIn("taxi", "taxi123")

	// The Документы tab offers this year so far, opening the PDF beside it.
	page := c.get("/documents")
	form := page.Find("form#reconciliation-form")
	if form.AttrOr("action", "") != "/documents/reconciliation.pdf" || form.AttrOr("method", "") != "get" ||
		form.AttrOr("target", "") != "_blank" || form.AttrOr("hx-boost", "") != "false" ||
		page.Find("#f-recon-from").AttrOr("value", "") != today.Format("2006")+"-01-01" ||
		page.Find("#f-recon-to").AttrOr("value", "") != iso(today) || !strings.Contains(form.Text(), "Акт сверки (PDF)") {
		t.Errorf("the form: %s", outerHTML(form))
	}

	for _, tc := range []struct {
		from, to, field, message string
	}{
		{"", iso(today), "from", "Укажите дату."},
		{iso(today), "", "to", "Укажите дату."},
		{"01.10.2026", iso(today), "from", "Укажите дату полностью: день, месяц и год."},
		{iso(today), "2026-02-30", "to", "Укажите дату полностью: день, месяц и год."},
		{"<script>", iso(today), "from", "Укажите дату полностью: день, месяц и год."},
		{iso(today), iso(today.AddDate(0, 0, -1)), "to", "Конец периода раньше его начала."},
		{iso(today), iso(today.AddDate(0, 0, 1)), "to", "Конец периода позже сегодняшнего дня"},
		{iso(today.AddDate(-5, 0, -1)), iso(today), "from", "Период акта сверки — не больше пяти лет."},
	} {
		r := c.get("/documents/reconciliation.pdf?from=" + url.QueryEscape(tc.from) + "&to=" + url.QueryEscape(tc.to))
		if r.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%q–%q: %d %s", tc.from, tc.to, r.Status, r.Header.Get("Content-Type"))
			continue
		}
		if got := r.Text("#e-recon-" + tc.field); !strings.Contains(got, tc.message) {
			t.Errorf("%q–%q: error %q, want %q", tc.from, tc.to, got, tc.message)
		}
		if r.Find("#f-recon-from").AttrOr("value", "") != tc.from || r.Find("#f-recon-to").AttrOr("value", "") != tc.to {
			t.Errorf("%q–%q: what was typed is lost: %s", tc.from, tc.to, outerHTML(r.Find("form#reconciliation-form")))
		}
		if r.Find(`.crumbs a[href="/documents"]`).Length() != 1 || r.Find("form#reconciliation-form[target]").Length() != 0 {
			t.Errorf("%q–%q: no way back, or the form opens yet another tab", tc.from, tc.to)
		}
	}
	// Five years less a day is allowed.
	if r := c.get(statementURL("/documents", today.AddDate(-5, 0, 1), today)); r.Status != http.StatusOK {
		t.Errorf("five years less a day: %d", r.Status)
	}
}

func TestReconciliationOfAKazakhCompany(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	alma := mustUser(t, e, "almaty").CompanyID
	c := e.loggedIn("almaty", "almaty123")
	text := testutil.PDFText(t, []byte(c.get(statementURL("/documents", today.AddDate(0, -1, 0), today)).Body))
	// Only the vendor's ИНН is printed: the company's number is its БИН.
	if !strings.Contains(text, "Покупатель: ТОО «Алма Такси», БИН 150440012344, Республика Казахстан") || strings.Count(text, "ИНН") != 1 {
		t.Errorf("a Kazakh buyer:\n%s", text)
	}
	co, err := e.Store.Company(ctx, alma)
	if err != nil {
		t.Fatal(err)
	}
	co.INN = ""
	if err := e.Store.UpdateCompany(ctx, db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	text = testutil.PDFText(t, []byte(c.get(statementURL("/documents", today.AddDate(0, -1, 0), today)).Body))
	if !strings.Contains(text, "Покупатель: ТОО «Алма Такси», Республика Казахстан") || strings.Contains(text, "БИН") {
		t.Errorf("a buyer without a number has a label:\n%s", text)
	}
}

func TestReconciliationInTheBackOffice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	from := today.AddDate(0, 0, -90)
	admin := e.loggedIn("admin", "admin123")

	page := admin.get("/admin/companies/1")
	if form := page.Find("form#reconciliation-form"); form.AttrOr("action", "") != "/admin/companies/1/reconciliation.pdf" ||
		form.AttrOr("target", "") != "_blank" || page.Find("#f-recon-to").AttrOr("value", "") != today.Format(time.DateOnly) {
		t.Errorf("the company page's form: %s", outerHTML(form))
	}
	for _, login := range []string{"admin", "manager", "support"} {
		r := e.loggedIn(login, login+"123").get(statementURL("/admin/companies/1", from, today))
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", login, r.Status)
		}
		text := testutil.PDFText(t, []byte(r.Body))
		client := testutil.PDFText(t, []byte(e.loggedIn("taxi", "taxi123").get(statementURL("/documents", from, today)).Body))
		if text != client {
			t.Errorf("%s sees another statement than the client:\n%s\n%s", login, text, client)
		}
	}
	r := admin.get("/admin/companies/1/reconciliation.pdf?from=" + today.Format(time.DateOnly) + "&to=" + from.Format(time.DateOnly))
	if r.Status != http.StatusUnprocessableEntity || r.Text("#e-recon-to") != "Конец периода раньше его начала." ||
		r.Find(`.crumbs a[href="/admin/companies/1"]`).Length() != 1 ||
		r.Find("form#reconciliation-form").AttrOr("action", "") != "/admin/companies/1/reconciliation.pdf" {
		t.Errorf("a reversed period in the back office: %d %s", r.Status, r.Text("main"))
	}
	for _, path := range []string{statementURL("/admin/companies/999999", from, today), "/admin/companies/999999/reconciliation.pdf?from=x",
		"/admin/companies/abc/reconciliation.pdf"} {
		if r := admin.get(path); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.Status)
		}
	}
}

// A client's statement holds its own operations only, and the back
// office's does not exist for it.
func TestReconciliationKeepsToTheCompany(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	from := today.AddDate(-1, 0, 0)
	vostok := e.loggedIn("vostok", "vostok123")
	vostokID := mustUser(t, e, "vostok").CompanyID
	text := testutil.PDFText(t, []byte(vostok.get(statementURL("/documents", from, today)).Body))
	rows := ledgerRows(t, e, vostokID, from, today)
	payments := 0
	for _, o := range rows {
		if !o.sale {
			payments++
		}
	}
	if len(rows) == 0 || inOrder(text, rowTexts(rows)...) != "" || strings.Count(text, "Оплата (") != payments ||
		strings.Contains(text, "Пример") || !strings.Contains(text, "Такси Восток") {
		t.Errorf("Восток's statement, rows %v:\n%s", rows, text)
	}
	for _, o := range ledgerRows(t, e, 1, from, today) {
		if o.sale && strings.Contains(text, o.number) {
			t.Errorf("Восток's statement shows «Такси Пример»'s %s", o.number)
		}
	}
	for _, path := range []string{statementURL("/admin/companies/1", from, today), statementURL("/admin/companies/"+itoa(vostokID), from, today)} {
		if r := vostok.get(path); r.Status != http.StatusNotFound {
			t.Errorf("a client at %s: %d, want 404", path, r.Status)
		}
	}
	// A company id smuggled into the client's URL changes nothing.
	smuggled := testutil.PDFText(t, []byte(vostok.get(statementURL("/documents", from, today)+"&company_id=1&id=1").Body))
	if smuggled != text {
		t.Errorf("a smuggled company id changed the statement:\n%s", smuggled)
	}
}
