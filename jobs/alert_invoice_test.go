package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
	"elk/views/pdf"
)

// With the company's switch on, the low-balance e-mail carries the
// invoice's PDF — the one Документы serves — and says so; the SMS stays text.
func TestBalanceAlertCarriesTheInvoicePDF(t *testing.T) {
	ctx := context.Background()
	store, _ := testutil.OpenDemo(t)
	ms := testutil.StartMailServer(t)
	gw, gateway := startGateway(t, func(int) (int, time.Duration) { return http.StatusOK, 0 })
	co, err := store.Company(ctx, taxiPrimer)
	if err != nil {
		t.Fatal(err)
	}
	co.AlertInvoice = true
	cancelManualInvoices(t, store)
	if err := store.UpdateCompany(ctx, db.Actor{Login: "manager"}, co); err != nil {
		t.Fatal(err)
	}
	crossSMSThreshold(t, store, "alert-invoice")
	p := notice(t, store, db.ChannelEmail).Params
	inv, err := store.Invoice(ctx, taxiPrimer, p.InvoiceID)
	if err != nil || !inv.Auto {
		t.Fatalf("the alert's invoice %d: %+v %v", p.InvoiceID, inv, err)
	}

	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: mailer(t, ms), SMS: gateway,
		Invoices: jobs.KeptInvoices{Store: store}, Log: quietLog()}
	if err := o.Run(ctx); err != nil {
		t.Fatal(err)
	}
	mails := ms.WaitFor(1, 5*time.Second)
	if len(mails) != 1 || len(mails[0].Attachments) != 1 {
		t.Fatalf("%d e-mails arrived: %+v", len(mails), mails)
	}
	m, file := mails[0], mails[0].Attachments[0]
	if file.Name != "Счёт "+inv.Number+".pdf" || file.ContentType != "application/pdf" || !bytes.HasPrefix(file.Data, []byte("%PDF-")) {
		t.Errorf("attachment %q %q, %d bytes", file.Name, file.ContentType, len(file.Data))
	}
	text := testutil.PDFText(t, file.Data)
	for _, want := range []string{inv.Number, strings.ReplaceAll(inv.Amount.Format(), "\u00a0", " ")} {
		if !strings.Contains(text, want) {
			t.Errorf("the attached PDF lacks %q:\n%s", want, text)
		}
	}
	if kept, err := pdf.KeptInvoice(ctx, store, inv); err != nil || !bytes.Equal(kept, file.Data) {
		t.Errorf("the attachment differs from the PDF Документы serves (%v)", err)
	}
	link := fmt.Sprintf("https://lk.example.ru/documents/invoices/%d", inv.ID)
	for _, want := range []string{"Счёт № " + inv.Number, "приложен к письму", link} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the message lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "new=1") {
		t.Errorf("the message offers the form besides the invoice:\n%s", m.Text)
	}
	if gw.count() != 1 || strings.Contains(gw.received[0]["text"], "http") {
		t.Errorf("the gateway received %v", gw.received)
	}
}

// A process killed right after the alert's transaction leaves the invoice
// and the alert together; after the restart the e-mail carries that invoice.
func TestKilledAfterTheAlertInvoiceDeliversItAfterRestart(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	store := testutil.Open(t, path, testutil.NewClock(t))
	co, err := store.Company(ctx, taxiPrimer)
	if err != nil {
		t.Fatal(err)
	}
	co.AlertInvoice = true
	cancelManualInvoices(t, store)
	if err := store.UpdateCompany(ctx, db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	store.Close()
	runCrashChild(t, path, "", "committed", nil)

	ms := testutil.StartMailServer(t)
	store = deliverAfterRestart(t, path, ms)
	got := ms.WaitFor(2, 300*time.Millisecond)
	if len(got) != 1 || len(got[0].Attachments) != 1 {
		t.Fatalf("%d e-mails after the restart, want 1 with the invoice", len(got))
	}
	p := notice(t, store, db.ChannelEmail).Params
	inv, err := store.Invoice(ctx, taxiPrimer, p.InvoiceID)
	if err != nil || !inv.Auto || got[0].Attachments[0].Name != "Счёт "+inv.Number+".pdf" {
		t.Errorf("the alert's invoice %+v (%v), attachment %q", inv, err, got[0].Attachments[0].Name)
	}
}
