package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"elk/db/money"
)

// Kinds of document.
const (
	DocInvoice = "invoice"
	DocClosing = "act" // an act, a УПД or an advance счёт-фактура
)

// Document is a line of the Документы list: an invoice or a closing document.
type Document struct {
	Kind             string
	Form             string // a closing document's: FormAct, FormUPD or FormAdvance
	ID               int64
	Number           string
	IssuedOn         time.Time
	CompanyServiceID int64  // 0 for a month's document, which covers every service
	ServiceCode      string // "" for a month's document
	Item             string
	Amount           money.Kopecks
	Paid             money.Kopecks // invoices only
	Status           string        // invoices only
	InvoiceID        int64         // an act's invoice
	InvoiceNumber    string        // an act's invoice
	Auto             bool          // an invoice a low-balance alert issued
}

// DocFilter narrows the Документы list; zero values match all.
type DocFilter struct {
	Kind             string
	CompanyServiceID int64
	Status           string // an invoice status; acts have none and drop out
	From, To         *time.Time
}

// maxDocuments bounds one list: a company issues a few dozen a year.
const maxDocuments = 500

// ListDocuments returns the company's invoices and acts, newest first.
func (s *Store) ListDocuments(ctx context.Context, companyID int64, f DocFilter) ([]Document, error) {
	var parts []string
	var args []any
	period := func(col string) string {
		q := ""
		if f.From != nil {
			q += " AND " + col + " >= ?"
			args = append(args, formatDate(*f.From))
		}
		if f.To != nil {
			q += " AND " + col + " <= ?"
			args = append(args, formatDate(*f.To))
		}
		if f.CompanyServiceID != 0 {
			// A month's document covers every service, so it stays.
			q += " AND (i.company_service_id = ? OR i.id IS NULL)"
			args = append(args, f.CompanyServiceID)
		}
		return q
	}
	if f.Kind != DocClosing {
		q := `SELECT 'invoice', '', i.id, i.number, i.issued_on, i.company_service_id, sv.code, i.item, i.amount, i.paid, i.status, 0, '', i.auto
			FROM invoices i JOIN company_services cs ON cs.id = i.company_service_id JOIN services sv ON sv.id = cs.service_id
			WHERE i.company_id = ?`
		args = append(args, companyID)
		if f.Status != "" {
			q += " AND i.status = ?"
			args = append(args, f.Status)
		}
		parts = append(parts, q+period("i.issued_on"))
	}
	if f.Kind != DocInvoice && f.Status == "" {
		q := `SELECT 'act', d.form, d.id, d.number, d.issued_on, COALESCE(i.company_service_id, 0), COALESCE(sv.code, ''),
			d.item, d.amount, 0, '', COALESCE(i.id, 0), COALESCE(i.number, ''), 0
			FROM closing_documents d LEFT JOIN invoices i ON i.id = d.invoice_id
			LEFT JOIN company_services cs ON cs.id = i.company_service_id LEFT JOIN services sv ON sv.id = cs.service_id
			WHERE d.company_id = ?`
		args = append(args, companyID)
		parts = append(parts, q+period("d.issued_on"))
	}
	if len(parts) == 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, strings.Join(parts, " UNION ALL ")+` ORDER BY 5 DESC, 1 DESC, 3 DESC LIMIT ?`,
		append(args, maxDocuments)...)
	if err != nil {
		return nil, fmt.Errorf("db: documents of company %d: %w", companyID, err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		var issued string
		if err := rows.Scan(&d.Kind, &d.Form, &d.ID, &d.Number, &issued, &d.CompanyServiceID, &d.ServiceCode, &d.Item, &d.Amount,
			&d.Paid, &d.Status, &d.InvoiceID, &d.InvoiceNumber, &d.Auto); err != nil {
			return nil, fmt.Errorf("db: documents of company %d: %w", companyID, err)
		}
		d.IssuedOn = parseDate(issued)
		out = append(out, d)
	}
	return out, rows.Err()
}
