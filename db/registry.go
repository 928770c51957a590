package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"elk/db/money"
)

// DocPayment is a payment received, as the registry of documents lists it
// beside invoices (DocInvoice) and closing documents (DocClosing).
const DocPayment = "payment"

// RegistryEntry is a line of the реестр документов the vendor's accountant
// takes into the books: an invoice, a payment received or a closing
// document, with its buyer as the document names it (a payment, as its
// invoice does).
type RegistryEntry struct {
	Kind      string // DocInvoice, DocPayment or DocClosing
	Form      string // a closing document's: FormAct, FormUPD or FormAdvance
	UPDStatus int    // a УПД's
	Basis     string // a closing document's: BasisPayment, BasisMonth or BasisBalance
	Number    string // a payment's is its payment order's reference
	Date      time.Time
	Buyer     Requisites // its Name, Country, INN and KPP
	Amount    money.Kopecks
	VATRate   int // money.NoVAT without VAT
	// VAT is an invoice's VAT on its amount; a payment's, the VAT of its
	// share of the invoice, as the document issued on it carries; a closing
	// document's, as stored.
	VAT    money.Kopecks
	Status string // an invoice's
	// InvoiceNumber is the invoice a payment or a closing document is for;
	// PaymentReference, the payment a closing document was issued on.
	InvoiceNumber, PaymentReference string
	PeriodFrom, PeriodTo            time.Time // the services' period of a closing document
}

// buyerColumns read a document's buyer from its kept requisites (in table
// alias t); the company's name stands in for a missing one, and documents
// kept before countries were are Russian.
func buyerColumns(t string) string {
	return `COALESCE(NULLIF(json_extract(` + t + `.buyer, '$.name'), ''), c.name),
		COALESCE(NULLIF(json_extract(` + t + `.buyer, '$.country'), ''), 'RU'),
		COALESCE(json_extract(` + t + `.buyer, '$.inn'), ''), COALESCE(json_extract(` + t + `.buyer, '$.kpp'), '')`
}

// registryQuery lists the three tables' documents of days ?1..?2 in one
// stream, by day, then kind (an invoice before its payment before the
// document issued on it), then number. A payment carries what its invoice
// had received before it, to take its VAT as the document issued on it did.
var registryQuery = `SELECT 1, 'invoice', '', 0, '', i.number, i.issued_on, ` + buyerColumns("i") + `,
		i.amount, i.vat_rate, 0, 0, i.status, '', '', '', ''
	FROM invoices i JOIN companies c ON c.id = i.company_id
	WHERE i.issued_on BETWEEN ?1 AND ?2
UNION ALL
SELECT 2, 'payment', '', 0, '', p.reference, p.paid_on, ` + buyerColumns("i") + `,
		p.amount, i.vat_rate, 0,
		(SELECT COALESCE(sum(q.amount), 0) FROM payments q WHERE q.invoice_id = p.invoice_id AND q.id < p.id),
		'', i.number, '', '', ''
	FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN companies c ON c.id = i.company_id
	WHERE p.paid_on BETWEEN ?1 AND ?2
UNION ALL
SELECT 3, 'act', d.form, COALESCE(d.upd_status, 0), d.basis, d.number, d.issued_on, ` + buyerColumns("d") + `,
		d.amount, d.vat_rate, d.vat, 0, '', COALESCE(i.number, ''), COALESCE(p.reference, ''), d.period_from, d.period_to
	FROM closing_documents d JOIN companies c ON c.id = d.company_id
	LEFT JOIN invoices i ON i.id = d.invoice_id LEFT JOIN payments p ON p.id = d.payment_id
	WHERE d.issued_on BETWEEN ?1 AND ?2
ORDER BY 7, 1, 6`

// EachRegistryEntry calls fn with every invoice, payment and closing
// document dated from..to (days, both included), in the registry's order,
// one row at a time: a year of a large vendor's documents is never held
// whole.
func (s *Store) EachRegistryEntry(ctx context.Context, from, to time.Time, fn func(RegistryEntry) error) error {
	rows, err := s.r.QueryContext(ctx, registryQuery, formatDate(from), formatDate(to))
	if err != nil {
		return fmt.Errorf("db: registry: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanRegistryEntry(rows)
		if err != nil {
			return fmt.Errorf("db: registry: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("db: registry: %w", err)
	}
	return nil
}

func scanRegistryEntry(row scanner) (RegistryEntry, error) {
	var e RegistryEntry
	var order int
	var day, from, to string
	var rate sql.NullInt64
	var before money.Kopecks
	err := row.Scan(&order, &e.Kind, &e.Form, &e.UPDStatus, &e.Basis, &e.Number, &day, &e.Buyer.Name, &e.Buyer.Country,
		&e.Buyer.INN, &e.Buyer.KPP, &e.Amount, &rate, &e.VAT, &before, &e.Status, &e.InvoiceNumber, &e.PaymentReference,
		&from, &to)
	if err != nil {
		return e, err
	}
	e.Date, e.PeriodFrom, e.PeriodTo, e.VATRate = parseDate(day), parseDate(from), parseDate(to), vatFromDB(rate)
	switch e.Kind {
	case DocInvoice:
		e.VAT = money.VATOf(e.Amount, e.VATRate)
	case DocPayment:
		e.VAT = money.VATOfPart(before, e.Amount, e.VATRate)
	}
	return e, nil
}
