package db

import (
	"context"
	"fmt"
	"time"

	"elk/db/money"
)

// Reconciliation is an акт сверки взаимных расчётов between the vendor and a
// company for a period, in the vendor's books: the services it rendered (the
// closing documents that record a sale) are the debit, the payments it
// received the credit. Balances are signed debit less credit: above zero
// the company owes the vendor, below zero the vendor holds its advance.
type Reconciliation struct {
	From, To time.Time // calendar days, both included
	// The parties as they are now: the statement is drawn up today, not
	// kept like a primary document.
	Supplier, Buyer Requisites
	Opening         money.Kopecks // the balance before From
	Entries         []ReconEntry  // the period's operations in date order
	Debit, Credit   money.Kopecks // the period's turnovers
}

// Closing is the balance at the end of To.
func (r Reconciliation) Closing() money.Kopecks { return r.Opening + r.Debit - r.Credit }

// ReconEntry is one operation of a reconciliation: a payment received or a
// closing document issued.
type ReconEntry struct {
	Day    time.Time // the payment's date at the bank, or the document's
	Form   string    // FormAct or FormUPD for a document, "" for a payment
	Number string    // the document's number, or the payment order's reference
	Debit  money.Kopecks
	Credit money.Kopecks
}

// reconOperations are every payment and sale of a company up to a day, in
// one statement so that they are one snapshot. A payment comes before the
// documents of its day: under «по оплате» the УПД is made from the payment,
// and an accountant reads a day as money in, then services against it.
// The advance счёт-фактура records no sale and is left out.
const reconOperations = `
	SELECT day, form, number, debit, credit FROM (
		SELECT p.paid_on AS day, '' AS form, p.reference AS number, 0 AS debit, p.amount AS credit, 0 AS sale, p.id AS id
		FROM payments p JOIN invoices i ON i.id = p.invoice_id
		WHERE i.company_id = ? AND p.paid_on <= ?
		UNION ALL
		SELECT d.issued_on, d.form, d.number, d.amount, 0, 1, d.id
		FROM closing_documents d
		WHERE d.company_id = ? AND d.form IN ('act', 'upd') AND d.issued_on <= ?
	) ORDER BY day, sale, id`

// Reconciliation draws up the акт сверки of a company from one day to
// another, both included; an unknown company is ErrNotFound.
func (s *Store) Reconciliation(ctx context.Context, companyID int64, from, to time.Time) (Reconciliation, error) {
	r := Reconciliation{From: from, To: to}
	co, err := s.Company(ctx, companyID)
	if err != nil {
		return r, err
	}
	v, err := s.Vendor(ctx)
	if err != nil {
		return r, err
	}
	r.Supplier, r.Buyer = vendorRequisites(v), companyRequisites(co)
	last := formatDate(to)
	entries, err := queryAll(ctx, s.r, scanReconEntry, reconOperations, companyID, last, companyID, last)
	if err != nil {
		return r, fmt.Errorf("db: reconciliation of company %d: %w", companyID, err)
	}
	for _, e := range entries {
		if e.Day.Before(from) {
			r.Opening += e.Debit - e.Credit
			continue
		}
		r.Entries = append(r.Entries, e)
		r.Debit += e.Debit
		r.Credit += e.Credit
	}
	return r, nil
}

func scanReconEntry(row scanner) (ReconEntry, error) {
	var e ReconEntry
	var day string
	err := row.Scan(&day, &e.Form, &e.Number, &e.Debit, &e.Credit)
	e.Day = parseDate(day)
	return e, err
}
