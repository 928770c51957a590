package demo

import (
	"context"
	"fmt"
	"time"

	"elk/db"
	"elk/db/money"
)

// invoices are each demo company's invoices, one in every state: days ago
// it was issued, the service, the amount, and what became of it.
var invoices = []struct {
	daysAgo int
	service string
	amount  money.Kopecks
	paid    money.Kopecks // received, a few days after issue
	cancel  string        // the reason it was cancelled
}{
	{80, db.ServiceSMS, 1_000_000, 1_000_000, ""},
	{45, db.ServiceSupport, 1_500_000, 1_500_000, ""},
	{20, db.ServiceSMS, 500_000, 200_000, ""},
	{12, db.ServiceSMS, 300_000, 0, "Выставлен по ошибке"},
	{2, db.ServiceSupport, 750_000, 0, ""},
}

// seedDocuments gives a company invoices in every status, with acts for
// the money received; a company that has invoices is left alone.
func seedDocuments(ctx context.Context, s *db.Store, companyID int64) error {
	if has, err := s.ListInvoices(ctx, db.InvoiceFilter{CompanyID: companyID, Limit: 1}); err != nil || len(has) > 0 {
		return err
	}
	services, err := s.CompanyServices(ctx, companyID, true)
	if err != nil {
		return err
	}
	byCode := map[string]db.CompanyService{}
	for _, cs := range services {
		byCode[cs.ServiceCode] = cs
	}
	today := db.Today(s.Now(), db.VendorLocation)
	for i, d := range invoices {
		cs, ok := byCode[d.service]
		if !ok {
			continue
		}
		item := map[string]string{db.ServiceSMS: "Услуга «СМС»", db.ServiceSupport: "Услуга «Техническая поддержка»"}[d.service] +
			", тариф «" + cs.Tariff.Name + "»"
		issued := today.AddDate(0, 0, -d.daysAgo)
		inv, err := s.CreateInvoiceOn(ctx, actor, db.NewInvoice{Service: cs, Tariff: &cs.Tariff, Item: item, Amount: d.amount}, issued)
		if err != nil {
			return err
		}
		if d.paid > 0 {
			paidOn := issued.AddDate(0, 0, 3)
			p := db.NewPayment{Amount: d.paid, PaidOn: paidOn, Reference: fmt.Sprintf("п/п %d от %s (демо, %d)", 1180+i, paidOn.Format("02.01.2006"), companyID)}
			if _, err := s.RecordPaymentAt(ctx, actor, inv.ID, p, paidOn.Add(11*time.Hour)); err != nil {
				return err
			}
		}
		if d.cancel != "" {
			if err := s.CancelInvoiceByID(ctx, actor, inv.ID, d.cancel); err != nil {
				return err
			}
		}
	}
	return nil
}
