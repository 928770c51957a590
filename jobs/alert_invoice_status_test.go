package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

// alertWithInvoice writes a low-balance alert that carries an auto-invoice
// and returns the store, the mail server and that invoice.
func alertWithInvoice(t *testing.T, sender string) (*db.Store, *testutil.MailServer, db.Invoice) {
	t.Helper()
	ctx := context.Background()
	store, _ := testutil.OpenDemo(t)
	ms := testutil.StartMailServer(t)
	co, err := store.Company(ctx, taxiPrimer)
	if err != nil {
		t.Fatal(err)
	}
	co.AlertInvoice = true
	cancelManualInvoices(t, store)
	if err := store.UpdateCompany(ctx, db.Actor{Login: "manager"}, co); err != nil {
		t.Fatal(err)
	}
	crossSMSThreshold(t, store, sender)
	inv, err := store.Invoice(ctx, taxiPrimer, notice(t, store, db.ChannelEmail).Params.InvoiceID)
	if err != nil || !inv.Auto {
		t.Fatalf("the alert's invoice %+v, %v", inv, err)
	}
	return store, ms, inv
}

// sendAlert runs the outbox once and returns the alert's e-mail.
func sendAlert(t *testing.T, store *db.Store, ms *testutil.MailServer, files jobs.InvoiceFiles, log *slog.Logger) testutil.Mail {
	t.Helper()
	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: mailer(t, ms), Invoices: files, Log: log, MaxAttempts: 1}
	if err := o.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var alerts []testutil.Mail
	for _, m := range ms.WaitFor(1, 5*time.Second) { // a payment's receipt may go too
		if strings.HasPrefix(m.Subject, "Баланс СМС ниже порога") {
			alerts = append(alerts, m)
		}
	}
	if len(alerts) != 1 {
		t.Fatalf("%d alert e-mails", len(alerts))
	}
	return alerts[0]
}

// An invoice paid or cancelled between the alert and its sending is not
// attached: the alert offers the filled-in form instead.
func TestAlertDropsAnInvoiceSettledBeforeSending(t *testing.T) {
	for _, status := range []string{db.InvoiceCancelled, db.InvoicePaid} {
		t.Run(status, func(t *testing.T) {
			ctx := context.Background()
			store, ms, inv := alertWithInvoice(t, "alert-settled-"+status)
			if status == db.InvoiceCancelled {
				if err := store.CancelInvoice(ctx, db.Actor{Login: "manager"}, taxiPrimer, inv.ID, "ошибка"); err != nil {
					t.Fatal(err)
				}
			} else if _, err := store.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: inv.Amount, PaidOn: inv.IssuedOn, Reference: "all"}); err != nil {
				t.Fatal(err)
			}
			m := sendAlert(t, store, ms, jobs.KeptInvoices{Store: store}, quietLog())
			if len(m.Attachments) != 0 || strings.Contains(m.Text, inv.Number) {
				t.Errorf("the %s invoice is still offered: %d attachments\n%s", status, len(m.Attachments), m.Text)
			}
			if !strings.Contains(m.Text, "new=1") || !strings.Contains(m.Text, "service_id=") {
				t.Errorf("no form link instead:\n%s", m.Text)
			}
		})
	}
}

// An invoice paid in part is attached, saying what is still due.
func TestAlertSaysWhatIsStillDueOnItsInvoice(t *testing.T) {
	ctx := context.Background()
	store, ms, inv := alertWithInvoice(t, "alert-part-paid")
	half := inv.Amount / 2
	if _, err := store.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: half, PaidOn: inv.IssuedOn, Reference: "half"}); err != nil {
		t.Fatal(err)
	}
	m := sendAlert(t, store, ms, jobs.KeptInvoices{Store: store}, quietLog())
	want := fmt.Sprintf("Счёт № %s на %s, к оплате осталось %s", inv.Number, inv.Amount, inv.Amount-half)
	if len(m.Attachments) != 1 || !strings.Contains(oneLine(m.Text), oneLine(want)) {
		t.Errorf("%d attachments, want the text %q:\n%s", len(m.Attachments), want, m.Text)
	}
}

// brokenFiles cannot give any invoice's file.
type brokenFiles struct{}

func (brokenFiles) InvoiceFile(context.Context, int64, int64) (views.Attachment, error) {
	return views.Attachment{}, errors.New("the disk is gone")
}

// A file that cannot be read does not cost the alert: it goes at once
// without it, pointing to Документы, and staff find the error in the log.
func TestAlertGoesWithoutAnInvoiceFileItCannotRead(t *testing.T) {
	store, ms, inv := alertWithInvoice(t, "alert-file-broken")
	var logged bytes.Buffer
	m := sendAlert(t, store, ms, brokenFiles{}, slog.New(slog.NewTextHandler(&logged, nil)))
	link := fmt.Sprintf("https://lk.example.ru/documents/invoices/%d", inv.ID)
	if len(m.Attachments) != 0 || !strings.Contains(m.Text, "в разделе «Документы»") || !strings.Contains(m.Text, link) ||
		strings.Contains(m.Text, "приложен") {
		t.Errorf("%d attachments:\n%s", len(m.Attachments), m.Text)
	}
	n := notice(t, store, db.ChannelEmail)
	if n.Status != db.NoticeSent {
		t.Errorf("the alert is %s", n.Status)
	}
	line := logged.String()
	for _, want := range []string{"level=WARN", fmt.Sprintf("notice=%d", n.ID), fmt.Sprintf("invoice=%d", inv.ID), "the disk is gone"} {
		if !strings.Contains(line, want) {
			t.Errorf("the log lacks %q:\n%s", want, line)
		}
	}
}

// oneLine joins a text's wrapped lines.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cancelManualInvoices cancels the company's unpaid invoices issued by hand,
// which an alert would carry instead of issuing its own.
func cancelManualInvoices(t *testing.T, store *db.Store) {
	t.Helper()
	ctx := context.Background()
	invoices, err := store.ListInvoices(ctx, db.InvoiceFilter{CompanyID: taxiPrimer, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invoices {
		if !inv.Auto && (inv.Status == db.InvoiceIssued || inv.Status == db.InvoicePartiallyPaid) {
			if err := store.CancelInvoiceByID(ctx, db.Actor{Login: "manager"}, inv.ID, "test"); err != nil {
				t.Fatal(err)
			}
		}
	}
}
