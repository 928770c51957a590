package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"elk/db"
	"elk/db/money"
)

// invoices are each demo company's invoices, one in every state: days ago
// it was issued, the service, the amount (0: three units of its tariff),
// and what became of it.
var invoices = []struct {
	daysAgo int
	service string
	amount  money.Kopecks
	paid    money.Kopecks // received three days after issue; -1: in full
	cancel  string        // the reason it was cancelled
}{
	{80, db.ServiceSMS, 1_000_000, -1, ""},
	{80, db.ServiceTMDrive, 0, -1, ""},
	{45, db.ServiceSupport, 1_500_000, -1, ""},
	{20, db.ServiceSMS, 500_000, 200_000, ""},
	{12, db.ServiceSMS, 300_000, 0, "Выставлен по ошибке"},
	{2, db.ServiceSupport, 750_000, 0, ""},
}

// docEvent is a moment of the demo's paperwork, replayed in time order.
type docEvent struct {
	at time.Time
	do func() error
}

// seedDocuments gives the companies invoices in every status and the
// documents that follow them: УПД for payments up to the first of last
// month, when the vendor turned to monthly closing; since then advance
// счета-фактуры for payments and, on the first of this month, last month's
// УПД. Documents are numbered across all companies, so everything is
// replayed in time order, as real work would have made it; a company that
// has invoices is left alone.
func seedDocuments(ctx context.Context, s *db.Store, companyIDs []int64) error {
	now := s.Now()
	thisMonth := db.MonthStart(db.Today(now, db.VendorLocation))
	var events []docEvent
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
		for i, d := range invoices {
			for _, cs := range services {
				if cs.ServiceCode == d.service {
					events = append(events, invoiceEvents(ctx, s, i, cs)...)
				}
			}
		}
	}
	if len(events) == 0 {
		return nil // filled before: the vendor's policy is its own now
	}
	if err := s.SetClosingPolicy(ctx, actor, db.ClosingMonthly, thisMonth.AddDate(0, -1, 0)); err != nil {
		return err
	}
	closing := time.Date(thisMonth.Year(), thisMonth.Month(), 1, 0, 5, 0, 0, db.VendorLocation)
	if closing.After(now) {
		closing = now
	}
	events = append(events, docEvent{closing, func() error {
		_, err := s.IssueMonthlyDocsAt(ctx, closing)
		return err
	}})
	slices.SortStableFunc(events, func(a, b docEvent) int { return a.at.Compare(b.at) })
	for _, e := range events {
		if err := e.do(); err != nil {
			return err
		}
	}
	return nil
}

// invoiceEvents are the i-th demo invoice of a company's service: its
// issue (and cancellation) and its payment.
func invoiceEvents(ctx context.Context, s *db.Store, i int, cs db.CompanyService) []docEvent {
	d := invoices[i]
	issued := db.Today(s.Now(), db.VendorLocation).AddDate(0, 0, -d.daysAgo)
	amount, paid := d.amount, d.paid
	if amount == 0 {
		amount = 3 * cs.Tariff.Price
	}
	if paid < 0 {
		paid = amount
	}
	var inv db.Invoice
	events := []docEvent{{time.Date(issued.Year(), issued.Month(), issued.Day(), 9, 0, 0, 0, db.VendorLocation), func() (err error) {
		inv, err = s.CreateInvoiceOn(ctx, actor, db.NewInvoice{Service: cs, Tariff: &cs.Tariff,
			Item: db.ServiceItem(cs.ServiceCode, cs.Tariff.Name), Amount: amount}, issued)
		if err != nil || d.cancel == "" {
			return err
		}
		return s.CancelInvoiceByID(ctx, actor, inv.ID, d.cancel)
	}}}
	if paid > 0 {
		paidOn := issued.AddDate(0, 0, 3)
		at := time.Date(paidOn.Year(), paidOn.Month(), paidOn.Day(), 11, 0, 0, 0, db.VendorLocation)
		events = append(events, docEvent{at, func() error {
			p := db.NewPayment{Amount: paid, PaidOn: paidOn, Reference: fmt.Sprintf("%d", 1180+10*i+int(cs.CompanyID))}
			_, err := s.RecordPaymentAt(ctx, actor, inv.ID, p, at)
			return err
		}})
	}
	return events
}
