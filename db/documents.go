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
	DocAct     = "act"
)

// Document is a line of the Документы list: an invoice or an act.
type Document struct {
	Kind             string
	ID               int64
	Number           string
	IssuedOn         time.Time
	CompanyServiceID int64
	ServiceCode      string
	Item             string
	Amount           money.Kopecks
	Paid             money.Kopecks // invoices only
	Status           string        // invoices only
	InvoiceID        int64         // an act's invoice
	InvoiceNumber    string        // an act's invoice
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
			q += " AND i.company_service_id = ?"
			args = append(args, f.CompanyServiceID)
		}
		return q
	}
	if f.Kind != DocAct {
		q := `SELECT 'invoice', i.id, i.number, i.issued_on, i.company_service_id, sv.code, i.item, i.amount, i.paid, i.status, 0, ''
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
		q := `SELECT 'act', a.id, a.number, a.issued_on, i.company_service_id, sv.code, a.item, a.amount, 0, '', i.id, i.number
			FROM acts a JOIN invoices i ON i.id = a.invoice_id JOIN company_services cs ON cs.id = i.company_service_id
			JOIN services sv ON sv.id = cs.service_id WHERE a.company_id = ?`
		args = append(args, companyID)
		parts = append(parts, q+period("a.issued_on"))
	}
	if len(parts) == 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, strings.Join(parts, " UNION ALL ")+` ORDER BY 4 DESC, 1 DESC, 2 DESC LIMIT ?`,
		append(args, maxDocuments)...)
	if err != nil {
		return nil, fmt.Errorf("db: documents of company %d: %w", companyID, err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		var issued string
		if err := rows.Scan(&d.Kind, &d.ID, &d.Number, &issued, &d.CompanyServiceID, &d.ServiceCode, &d.Item, &d.Amount,
			&d.Paid, &d.Status, &d.InvoiceID, &d.InvoiceNumber); err != nil {
			return nil, fmt.Errorf("db: documents of company %d: %w", companyID, err)
		}
		d.IssuedOn = parseDate(issued)
		out = append(out, d)
	}
	return out, rows.Err()
}
