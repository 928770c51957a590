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

// seedDocuments gives the companies invoices in every status, with acts
// for the money received. Documents are numbered across all companies, so
// they are made in date order, each date's for every company, as a year of
// real work would have made them; a company that has invoices is left
// alone.
func seedDocuments(ctx context.Context, s *db.Store, companyIDs []int64) error {
	var todo []map[string]db.CompanyService // each company's services by code
	for _, id := range companyIDs {
		has, err := s.ListInvoices(ctx, db.InvoiceFilter{CompanyID: id, Limit: 1})
		if err != nil {
			return err
		}
		if len(has) > 0 {
			continue
		}
		services, err := s.CompanyServices(ctx, id, true)
		if err != nil {
			return err
		}
		byCode := map[string]db.CompanyService{}
		for _, cs := range services {
			byCode[cs.ServiceCode] = cs
		}
		todo = append(todo, byCode)
	}
	today := db.Today(s.Now(), db.VendorLocation)
	for i, d := range invoices {
		for _, byCode := range todo {
			cs, ok := byCode[d.service]
			if !ok {
				continue
			}
			if err := seedInvoice(ctx, s, i, d.service, cs, today.AddDate(0, 0, -d.daysAgo)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedInvoice issues the i-th demo invoice of a company's service, with its
// payment and cancellation.
func seedInvoice(ctx context.Context, s *db.Store, i int, service string, cs db.CompanyService, issued time.Time) error {
	d := invoices[i]
	item := map[string]string{db.ServiceSMS: "Услуга «СМС»", db.ServiceSupport: "Услуга «Техническая поддержка»"}[service] +
		", тариф «" + cs.Tariff.Name + "»"
	inv, err := s.CreateInvoiceOn(ctx, actor, db.NewInvoice{Service: cs, Tariff: &cs.Tariff, Item: item, Amount: d.amount}, issued)
	if err != nil {
		return err
	}
	if d.paid > 0 {
		paidOn := issued.AddDate(0, 0, 3)
		p := db.NewPayment{Amount: d.paid, PaidOn: paidOn, Reference: fmt.Sprintf("п/п %d от %s (демо, %d)", 1180+i, paidOn.Format("02.01.2006"), cs.CompanyID)}
		if _, err := s.RecordPaymentAt(ctx, actor, inv.ID, p, paidOn.Add(11*time.Hour)); err != nil {
			return err
		}
	}
	if d.cancel != "" {
		return s.CancelInvoiceByID(ctx, actor, inv.ID, d.cancel)
	}
	return nil
}
