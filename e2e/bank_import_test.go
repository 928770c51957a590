package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/db"
	"elk/db/bankexchange"
	"elk/testutil"
)

// An accountant loads the morning's bank statement, checks the preview and
// records it; the client then sees the invoice paid and its closing
// document.
func TestBankStatementPaysAnInvoice(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := context.Background()
	v, _ := p.Store.Vendor(ctx)
	docs, _ := p.Store.ListDocuments(ctx, 1, db.DocFilter{Kind: db.DocInvoice, Status: db.InvoiceIssued})
	if len(docs) == 0 {
		t.Fatal("«Такси Пример» has no unpaid invoice")
	}
	inv, _ := p.Store.Invoice(ctx, 1, docs[0].ID)
	today := db.Today(p.Store.Now(), db.VendorLocation)
	received := today
	file := filepath.Join(t.TempDir(), "kl_to_1c.txt")
	statement := bankexchange.Build(bankexchange.Statement{Version: "1.03", Encoding: "Windows", From: today, To: today,
		Accounts: []string{v.BankAccount}, Documents: []bankexchange.Document{{Kind: "Платежное поручение", Number: "731", Date: today,
			Amount: inv.Due(), PayerAccount: "40702810900000000001", PayerINN: "7704123450", PayerName: "ООО «Такси Пример»",
			RecipientAccount: v.BankAccount, RecipientINN: v.INN, RecipientName: v.LegalName,
			Purpose: "Оплата по счету № " + inv.Number + " от " + inv.IssuedOn.Format("02.01.2006"), Received: &received}}})
	if err := os.WriteFile(file, statement, 0o600); err != nil {
		t.Fatal(err)
	}

	staff := tab(t)
	logIn(t, staff, p.URL, "admin", "admin123")
	do(t, staff,
		chromedp.WaitVisible(chromedp.ID("home-figures")), // staff land on the back office's home
		chromedp.Navigate(p.URL+"/admin/invoices"),
		chromedp.Click(chromedp.ID("statement-link")),
		chromedp.WaitVisible(chromedp.ID("statement-form")),
		chromedp.SetUploadFiles(`#f-file`, []string{file}),
		chromedp.Click(chromedp.CSS(`#statement-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("preview")),
	)
	if row := run(t, staff, chromedp.Text(chromedp.ID("doc-0"))); !strings.Contains(row, "Счёт найден") || !strings.Contains(row, inv.Number) {
		t.Fatalf("the preview: %s", row)
	}
	screenshot(t, staff, "bank-preview")
	do(t, staff,
		chromedp.Click(chromedp.ID("record")),
		chromedp.WaitVisible(chromedp.ID("recorded")),
	)
	if got := run(t, staff, chromedp.Text(chromedp.ID("recorded"))); !strings.Contains(got, inv.Number) || !strings.Contains(got, "№ 731") {
		t.Errorf("what the payment became: %s", got)
	}

	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Navigate(p.URL+"/documents"),
		chromedp.WaitVisible(chromedp.ID("documents")),
	)
	list := run(t, client, chromedp.Text(chromedp.ID("documents")))
	row := run(t, client, chromedp.Text(chromedp.ID("invoice-"+strconv.FormatInt(inv.ID, 10))))
	if !strings.Contains(list, "по счёту № "+inv.Number) || !strings.Contains(row, "Оплачен") || strings.Contains(row, "Выставлен") {
		t.Errorf("the client's documents after the statement: %s", list)
	}
}
