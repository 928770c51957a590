package db

import (
	"context"
	"fmt"
	"time"
)

// demoInvoices are each demo company's invoices, one in every state: days
// ago it was issued, the service, the amount, and what became of it.
var demoInvoices = []struct {
	daysAgo int
	service string
	amount  Kopecks
	paid    Kopecks // received, a few days after issue
	cancel  string  // the reason it was cancelled
}{
	{80, ServiceSMS, 1_000_000, 1_000_000, ""},
	{45, ServiceSupport, 1_500_000, 1_500_000, ""},
	{20, ServiceSMS, 500_000, 200_000, ""},
	{12, ServiceSMS, 300_000, 0, "Выставлен по ошибке"},
	{2, ServiceSupport, 750_000, 0, ""},
}

// seedDemoDocuments gives a company invoices in every status, with acts for
// the money received; a company that has invoices is left alone.
func (s *Store) seedDemoDocuments(ctx context.Context, companyID int64) error {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM invoices WHERE company_id = ?`, companyID).Scan(&n); err != nil || n > 0 {
		return err
	}
	services, err := s.CompanyServices(ctx, companyID, true)
	if err != nil {
		return err
	}
	byCode := map[string]CompanyService{}
	for _, cs := range services {
		byCode[cs.ServiceCode] = cs
	}
	today := Today(s.Now(), VendorLocation)
	for i, d := range demoInvoices {
		cs, ok := byCode[d.service]
		if !ok {
			continue
		}
		item := map[string]string{ServiceSMS: "Услуга «СМС»", ServiceSupport: "Услуга «Техническая поддержка»"}[d.service] +
			", тариф «" + cs.Tariff.Name + "»"
		issued := today.AddDate(0, 0, -d.daysAgo)
		inv, err := s.CreateInvoiceOn(ctx, demoActor, NewInvoice{Service: cs, Tariff: &cs.Tariff, Item: item, Amount: d.amount}, issued)
		if err != nil {
			return err
		}
		if d.paid > 0 {
			paidOn := issued.AddDate(0, 0, 3)
			p := NewPayment{Amount: d.paid, PaidOn: paidOn, Reference: fmt.Sprintf("п/п %d от %s (демо, %d)", 1180+i, paidOn.Format("02.01.2006"), companyID)}
			if _, err := s.RecordPaymentAt(ctx, demoActor, inv.ID, p, paidOn.Add(11*time.Hour)); err != nil {
				return err
			}
		}
		if d.cancel != "" {
			if err := s.CancelInvoiceByID(ctx, demoActor, inv.ID, d.cancel); err != nil {
				return err
			}
		}
	}
	return nil
}
