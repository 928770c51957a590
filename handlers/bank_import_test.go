package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/db/bankexchange"
	"elk/db/money"
)

// statementFor is a statement into the demo vendor's account of the
// documents given, dated today.
func statementFor(t testing.TB, e *env, encoding string, docs ...bankexchange.Document) []byte {
	t.Helper()
	v, err := e.Store.Vendor(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	for i := range docs {
		if docs[i].RecipientAccount == "" {
			docs[i].RecipientAccount, docs[i].RecipientINN, docs[i].RecipientName = v.BankAccount, v.INN, v.LegalName
		}
		if docs[i].Kind == "" {
			docs[i].Kind = "Платежное поручение"
		}
	}
	return bankexchange.Build(bankexchange.Statement{Version: "1.03", Encoding: encoding, Sender: "Бухгалтерия предприятия",
		From: today.AddDate(0, 0, -90), To: today, Accounts: []string{v.BankAccount}, Documents: docs})
}

// outgoing is the demo vendor paying its rent out of its account.
func outgoing(number string, on time.Time) bankexchange.Document {
	out := income(number, "7728123459", "ООО «ТаксиСофт»", 5_000, "Оплата аренды", on)
	out.PayerAccount, out.RecipientAccount, out.Received, out.Debited = "40702810600000012345", "40702810000000000777", nil, &on
	return out
}

// income is a payment into the vendor's account, received on the day.
func income(number, payerINN, payerName string, amount money.Kopecks, purpose string, on time.Time) bankexchange.Document {
	received := on
	return bankexchange.Document{Number: number, Date: on, Amount: amount, PayerAccount: "40702810900000000001",
		PayerINN: payerINN, PayerName: payerName, Purpose: purpose, Received: &received}
}

// invoiceOf is the company's first invoice in the status.
func invoiceOf(t *testing.T, e *env, companyID int64, status string) db.Invoice {
	t.Helper()
	ctx := context.Background()
	docs, _ := e.Store.ListDocuments(ctx, companyID, db.DocFilter{Kind: db.DocInvoice, Status: status})
	if len(docs) == 0 {
		t.Fatalf("company %d has no %s invoice", companyID, status)
	}
	inv, err := e.Store.Invoice(ctx, companyID, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// shortNumber is an invoice number as a payer writes it: «123».
func shortNumber(inv db.Invoice) string {
	_, n, _ := strings.Cut(inv.Number, "-")
	return strings.TrimLeft(n, "0")
}

// A statement is previewed, matched every way, recorded with the choices
// shown, and loading it again records nothing.
func TestBankStatementIsMatchedAndRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	acc := e.loggedIn("admin", "admin123")
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	issued := invoiceOf(t, e, 1, db.InvoiceIssued)
	partial := invoiceOf(t, e, 1, db.InvoicePartiallyPaid)
	vostok := invoiceOf(t, e, 2, db.InvoiceIssued)
	byHand, _ := e.Store.InvoicePayments(ctx, invoiceOf(t, e, 1, db.InvoicePaid).ID)
	alma, _ := e.Store.Company(ctx, 3)
	out := outgoing("77", today)
	file := statementFor(t, e, "Windows",
		income("501", "7704123450", "ООО «Такси Пример»", issued.Due(),
			fmt.Sprintf("Оплата по сч. № %s от %s за техподдержку, в т.ч. НДС", shortNumber(issued), issued.IssuedOn.Format("02.01.2006")), today),
		income("502", "2536012347", "ООО «Такси Восток»", vostok.Due()+100_000, "Оплата по счету "+vostok.Number, today),
		income("503", "2536012347", "ООО «Такси Восток»", partial.Due(), "Оплата за Такси Пример по счёту "+shortNumber(partial), today),
		income("504", alma.INN, "ТОО «Алма Такси»", 99_000, "Оплата за TMDrive <script>alert(1)</script>", today),
		out,
		income(byHand[0].Reference, "7704123450", "ООО «Такси Пример»", byHand[0].Amount, "Оплата по счету", byHand[0].PaidOn),
	)

	r := acc.postMultipart("/admin/payments/import", "file", nil, upload{"выписка.txt", file})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/admin/payments/imports/") {
		t.Fatalf("upload: %d %s %s", r.Status, r.Location(), r.Text(".alert"))
	}
	preview := acc.get(r.Location())
	kinds := map[string]string{}
	preview.Find("#preview tbody tr").Each(func(_ int, row *goquery.Selection) {
		kinds[strings.TrimSuffix(strings.Fields(row.Find("td").First().Text())[1], ",")] = strings.TrimSpace(row.Find(".badge").Text())
	})
	want := map[string]string{"501": "Счёт найден", "502": "Проверьте", "503": "Проверьте", "504": "Без счёта", "77": "Не поступление",
		byHand[0].Reference: "Проведён раньше"}
	for number, kind := range want {
		if kinds[number] != kind {
			t.Errorf("№ %s: %q, want %q (%v)", number, kinds[number], kind, kinds)
		}
	}
	if !strings.Contains(preview.Text("#doc-1"), "Сумма больше остатка") || !strings.Contains(preview.Text("#doc-2"), "ИНН плательщика не совпадает") ||
		preview.Find("#doc-3 script").Length() != 0 {
		t.Errorf("warnings: %s | %s", preview.Text("#doc-1"), preview.Text("#doc-2"))
	}
	// Nothing is recorded by the preview.
	if after, _ := e.Store.InvoiceByID(ctx, issued.ID); after.Status != db.InvoiceIssued {
		t.Fatalf("the preview recorded: %+v", after)
	}

	// Record what was proposed, Восток's payment for Такси Пример's invoice
	// (offered, not proposed), and top Алма's TMDrive up.
	form := url.Values{}
	preview.Find("#record-form select").Each(func(_ int, sel *goquery.Selection) {
		name, _ := sel.Attr("name")
		form.Set(name, sel.Find("option[selected]").AttrOr("value", ""))
	})
	almaServices, _ := e.Store.CompanyServices(ctx, alma.ID, true)
	if form.Get("pick_2") != "" {
		t.Errorf("another company's invoice is proposed: %q", form.Get("pick_2"))
	}
	form.Set("pick_2", "invoice:"+strconv.FormatInt(partial.ID, 10))
	form.Set("pick_3", "service:"+strconv.FormatInt(almaServices[0].ID, 10))
	if r := acc.post(r.Location(), form); r.Status != http.StatusSeeOther {
		t.Fatalf("record: %d", r.Status)
	}
	for _, check := range []struct {
		id     int64
		status string
	}{{issued.ID, db.InvoicePaid}, {vostok.ID, db.InvoicePaid}, {partial.ID, db.InvoicePaid}} {
		if inv, _ := e.Store.InvoiceByID(ctx, check.id); inv.Status != check.status {
			t.Errorf("invoice %s: %s", inv.Number, inv.Status)
		}
	}
	docs, _ := e.Store.InvoiceClosingDocs(ctx, issued.ID)
	if len(docs) != 1 || docs[0].PaymentReference != "501 (ИНН 7704123450, "+today.Format("02.01.2006")+")" {
		t.Errorf("the closing document of the matched payment: %+v", docs)
	}
	// The excess went to Восток's service on an invoice of its own; Алма's
	// money on one too.
	if n := e.sqlInt(`SELECT count(*) FROM bank_payments`); n != 4 {
		t.Errorf("%d payments recorded from the statement", n)
	}
	done := acc.get(r.Location())
	if done.Find("#recorded tbody tr").Length() != 4 || !strings.Contains(done.Text("#recorded"), issued.Number) {
		t.Errorf("the import's payments: %s", done.Text("#recorded"))
	}
	if bad, err := e.Store.CheckLedger(ctx); err != nil || len(bad) != 0 {
		t.Errorf("ledger: %+v %v", bad, err)
	}

	// The same file again: everything came before.
	r = acc.postMultipart("/admin/payments/import", "file", nil, upload{"выписка.txt", file})
	again := acc.get(r.Location())
	if got := again.Find("#preview .badge:contains('Проведён раньше')").Length(); got != 5 {
		t.Errorf("loaded again: %d recorded before\n%s", got, again.Text("#preview"))
	}
	form = url.Values{"pick_0": {"invoice:" + strconv.FormatInt(issued.ID, 10)}}
	acc.post(r.Location(), form)
	if n := e.sqlInt(`SELECT count(*) FROM bank_payments`); n != 4 {
		t.Errorf("loading again recorded: %d", n)
	}
}

// A file that is not a statement, or is broken, is refused with its line
// and reason, and nothing is kept.
func TestBadStatementsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.loggedIn("admin", "admin123")
	good := string(statementFor(t, e, "", income("1", "7704123450", "ООО «Такси Пример»", 100, "x", db.Today(e.Clock.Now(), db.VendorLocation))))
	for _, tc := range []struct{ name, file, want string }{
		{"not.txt", "Просто текст\r\n", "Строка 1:"},
		{"sum.txt", strings.Replace(good, "Сумма=1.00", "Сумма=один", 1), "сумма не число"},
		{"open.txt", strings.Replace(good, "КонецДокумента", "", 1), "не закрыта"},
		{"empty.txt", "", "Строка"},
	} {
		r := acc.postMultipart("/admin/payments/import", "file", nil, upload{tc.name, []byte(tc.file)})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text("#statement-error"), tc.want) {
			t.Errorf("%s: %d %q", tc.name, r.Status, r.Text("#statement-error"))
		}
	}
	if n := e.sqlInt(`SELECT count(*) FROM bank_imports`); n != 0 {
		t.Errorf("%d imports kept", n)
	}
	// Support staff and clients cannot load statements.
	for _, c := range []*client{e.loggedIn("support", "support123"), e.loggedIn("taxi", "taxi123")} {
		if r := c.get("/admin/payments/import"); r.Status == http.StatusOK {
			t.Errorf("%d for a user without money rights", r.Status)
		}
	}
}

// Money out of the vendor's account is never recorded as money in, however
// the form is made.
func TestOutgoingPaymentsAreNeverRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	acc := e.loggedIn("admin", "admin123")
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	out := outgoing("88", today)
	r := acc.postMultipart("/admin/payments/import", "file", nil, upload{"out.txt", statementFor(t, e, "", out)})
	services, _ := e.Store.CompanyServices(context.Background(), 1, true)
	acc.post(r.Location(), url.Values{"pick_0": {"service:" + strconv.FormatInt(services[0].ID, 10)}})
	if n := e.sqlInt(`SELECT count(*) FROM bank_payments`); n != 0 {
		t.Errorf("money out recorded: %d", n)
	}
}

// A payment is recorded once whichever way it comes first: by hand (for
// another company's invoice), or from a statement and then typed by hand.
// The same payer's order number on another day is another payment.
func TestStatementAndHandPaymentsMeetOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	acc := e.loggedIn("admin", "admin123")
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	vostok := invoiceOf(t, e, 2, db.InvoiceIssued)
	if _, err := e.Store.RecordPayment(ctx, db.Actor{}, vostok.ID, db.NewPayment{Amount: vostok.Due(), PaidOn: today, Reference: "п/п 600"}); err != nil {
		t.Fatal(err)
	}
	first := income("1", "7704123450", "ООО «Такси Пример»", 10_000, "Оплата за СМС", today.AddDate(0, 0, -1))
	file := statementFor(t, e, "",
		income("600", "7704123450", "ООО «Такси Пример»", vostok.Due(), "Оплата по счету "+vostok.Number+" за Такси Восток", today),
		first, income("1", "7704123450", "ООО «Такси Пример»", 10_000, "Оплата за СМС", today))
	r := acc.postMultipart("/admin/payments/import", "file", nil, upload{"day.txt", file})
	preview := acc.get(r.Location())
	if !strings.Contains(preview.Text("#doc-0"), "Проведён раньше") {
		t.Errorf("a payment recorded by hand: %s", preview.Text("#doc-0"))
	}
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	acc.post(r.Location(), url.Values{"pick_1": {"service:" + strconv.FormatInt(sms.ID, 10)}, "pick_2": {"service:" + strconv.FormatInt(sms.ID, 10)}})
	if n := e.sqlInt(`SELECT count(*) FROM bank_payments`); n != 2 {
		t.Errorf("order № 1 of two days: %d recorded", n)
	}
	// Typed by hand afterwards, the statement's payment is refused.
	partial := invoiceOf(t, e, 1, db.InvoicePartiallyPaid)
	_, err := e.Store.RecordPayment(ctx, db.Actor{}, partial.ID, db.NewPayment{Amount: 10_000, PaidOn: today, Reference: "п/п № 1"})
	if !errors.Is(err, db.ErrPaymentFromStatement) {
		t.Errorf("a statement's payment typed again: %v", err)
	}
}

// A payment that cannot be recorded leaves the import pending, to try again,
// with what was recorded counted.
func TestAFailedPaymentKeepsTheImportPending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	acc := e.loggedIn("admin", "admin123")
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	file := statementFor(t, e, "", income("5", "7704123450", "ООО «Такси Пример»", 10_000, "Оплата", today),
		income("6", "7704123450", "ООО «Такси Пример»", 20_000, "Оплата", today))
	r := acc.postMultipart("/admin/payments/import", "file", nil, upload{"f.txt", file})
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	acc.post(r.Location(), url.Values{"pick_0": {"service:" + strconv.FormatInt(sms.ID, 10)}, "pick_1": {"invoice:999999"}})
	id, _ := strconv.ParseInt(strings.TrimPrefix(r.Location(), "/admin/payments/imports/"), 10, 64)
	imp, file2, err := e.Store.BankImport(ctx, id)
	if err != nil || imp.Status != db.ImportPending || imp.Recorded != 1 || len(file2) == 0 {
		t.Errorf("after a failure: %+v %d %v", imp, len(file2), err)
	}
	if page := acc.get(r.Location()); !strings.Contains(page.Text("#doc-0"), "Проведён раньше") || page.Find("select[name=pick_1]").Length() != 1 {
		t.Errorf("the import to try again: %s", page.Text("#preview"))
	}
}
