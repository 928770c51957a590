package views_test

import (
	"html"
	"strings"
	"testing"

	"elk/db"
)

// A low-balance alert offers the filled invoice form, or the invoice it
// carries, in a paragraph of its own beside the balance's, in the e-mail
// and in a Telegram chat.
func TestBalanceAlertOffersToPay(t *testing.T) {
	c := composer(t)
	form := db.NoticeParams{Company: "Такси", ServiceID: 7, TariffID: 3, Balance: 100, Threshold: 50000, Amount: 1_500_00}
	link := "https://lk.example.ru/documents?amount=1500.00&new=1&service_id=7&tariff_id=3#create"
	attached := form
	attached.InvoiceID, attached.Number = 42, "2026-000042"
	for _, tc := range []struct {
		p          db.NoticeParams
		want, lack []string
	}{
		{form, []string{"1\u00a0500,00 ₽", link, "https://lk.example.ru/services/7"}, []string{"/documents/invoices/"}},
		{attached, []string{"2026-000042", "1\u00a0500,00 ₽", "https://lk.example.ru/documents/invoices/42"}, []string{"new=1"}},
		{db.NoticeParams{Company: "Такси", ServiceID: 7, Balance: 100, Threshold: 50000}, nil, []string{"/documents"}}, // written before
	} {
		for _, kind := range []string{db.NoticeSMSLow, db.NoticeSMSNegative} {
			m, err := c.Compose(db.Notice{Kind: kind, Lang: "ru", Params: tc.p})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(m.Text, w) || !strings.Contains(html.UnescapeString(m.HTML), w) || !strings.Contains(m.Chat, w) {
					t.Errorf("%s %+v lacks %q:\n%s", kind, tc.p, w, m.Text)
				}
			}
			for _, w := range tc.lack {
				if strings.Contains(m.Text, w) || strings.Contains(m.HTML, w) || strings.Contains(m.SMS, w) || strings.Contains(m.Chat, w) {
					t.Errorf("%s %+v has %q:\n%s", kind, tc.p, w, m.Text)
				}
			}
			if strings.Contains(m.SMS, "http") {
				t.Errorf("the SMS carries a link: %q", m.SMS)
			}
		}
	}
	// Other notices offer nothing to pay with.
	if m, _ := c.Compose(db.Notice{Kind: db.NoticeInvoicePaid, Lang: "ru", Params: attached}); strings.Contains(m.Text, "приложен") {
		t.Errorf("an invoice_paid notice offers an attachment:\n%s", m.Text)
	}
}
