package views

import (
	"fmt"
	"net/url"

	"elk/db"
	"elk/db/money"
)

// Attachment is a file an e-mail carries.
type Attachment struct {
	Name        string // as the recipient sees it: «Счёт 2026-000123.pdf»
	ContentType string
	Data        []byte
}

// payOffer is a low-balance alert's way to pay: the invoice it carries, or
// the invoice form filled in for the usual top-up.
type payOffer struct {
	Text   string // the paragraph
	Chat   string // the paragraph in a Telegram chat, where nothing is attached
	Link   string // where it leads, absolute
	Button string // the link's label
}

// payOfferOf is the alert's offer in the catalog's language; ok is false
// for a notice without one (another kind, or an alert written before
// alerts offered to pay).
func (c *Composer) payOfferOf(cat *Catalog, n db.Notice) (payOffer, bool) {
	p := n.Params
	if n.Kind != db.NoticeSMSLow && n.Kind != db.NoticeSMSNegative {
		return payOffer{}, false
	}
	if p.InvoiceID != 0 {
		issued := cat.T("notice.pay.issued", p.Number, p.Amount.String())
		if p.Due > 0 {
			issued = cat.T("notice.pay.issued_due", p.Number, p.Amount.String(), p.Due.String())
		}
		o := payOffer{Text: issued, Chat: issued, Link: fmt.Sprintf("%s/documents/invoices/%d", c.baseURL, p.InvoiceID),
			Button: cat.T("notice.pay.attached_button")}
		switch {
		case p.Unattached:
		case p.Due > 0:
			o.Text = cat.T("notice.pay.attached_due", p.Number, p.Amount.String(), p.Due.String())
		default:
			o.Text = cat.T("notice.pay.attached", p.Number, p.Amount.String())
		}
		return o, true
	}
	if p.Amount <= 0 {
		return payOffer{}, false
	}
	form := cat.T("notice.pay.form", p.Amount.String())
	return payOffer{
		Text:   form,
		Chat:   form,
		Link:   c.baseURL + InvoiceFormLink(p.ServiceID, p.TariffID, p.Amount),
		Button: cat.T("notice.pay.form_button"),
	}, true
}

// InvoiceFormLink is the Документы address that opens the new-invoice form
// filled in for a service, its tariff (0 for the service's own) and an amount.
func InvoiceFormLink(serviceID, tariffID int64, amount money.Kopecks) string {
	q := url.Values{}
	q.Set("new", "1")
	q.Set("service_id", fmt.Sprint(serviceID))
	if tariffID != 0 {
		q.Set("tariff_id", fmt.Sprint(tariffID))
	}
	q.Set("amount", fmt.Sprintf("%d.%02d", amount/100, amount%100))
	return "/documents?" + q.Encode() + "#create"
}
