package db

import (
	"context"
	"fmt"

	"elk/db/money"
)

// ClosingMismatch is a closing document whose figures disagree with what it
// was made from.
type ClosingMismatch struct {
	CompanyName string
	Number      string // the document's, or the invoice's for Problem "invoice_vat"
	Problem     string // "lines", "lines_vat", "month", "month_missing", "refund_left", "invoice_vat"
	Want, Got   money.Kopecks
}

// CheckClosingDocs verifies the closing documents: every document's lines
// add up to its amount and VAT; a month's УПД totals that month's charges in
// the ledger, and every month under monthly closing that was charged has
// one; and the documents of an invoice whose every payment has one carry
// exactly the invoice's VAT between them.
func (s *Store) CheckClosingDocs(ctx context.Context) ([]ClosingMismatch, error) {
	docs, err := queryAll(ctx, s.r, scanClosingDoc, `SELECT `+closingColumns+closingFrom+` ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("db: check closing documents: %w", err)
	}
	names, err := companyNames(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []ClosingMismatch
	for _, d := range docs {
		var amount, vat money.Kopecks
		for _, l := range d.Lines {
			amount, vat = amount+l.Amount, vat+l.VAT
		}
		if amount != d.Amount {
			out = append(out, ClosingMismatch{names[d.CompanyID], d.Number, "lines", d.Amount, amount})
		}
		if vat != d.VAT {
			out = append(out, ClosingMismatch{names[d.CompanyID], d.Number, "lines_vat", d.VAT, vat})
		}
		if d.Basis != BasisMonth {
			continue
		}
		// What the ledger bills for the month now, less what the document
		// found sold ahead by closing by payment.
		lines, _, left, err := monthLines(ctx, s.r, d.CompanyID, d.PeriodFrom, nil)
		if err != nil {
			return nil, fmt.Errorf("db: check closing documents: %w", err)
		}
		if left != 0 {
			out = append(out, ClosingMismatch{names[d.CompanyID], d.Number, "refund_left", 0, left})
		}
		charged := -d.SoldAhead
		for _, l := range lines {
			charged += l.Amount
		}
		if charged != d.Amount {
			out = append(out, ClosingMismatch{names[d.CompanyID], d.Number, "month", charged, d.Amount})
		}
	}
	missing, err := s.unclosedMonths(ctx, names)
	if err != nil {
		return nil, err
	}
	out = append(out, missing...)
	invoices, err := queryAll(ctx, s.r, func(row scanner) (ClosingMismatch, error) {
		var m ClosingMismatch
		var companyID, amount int64
		var rate *int64
		err := row.Scan(&companyID, &m.Number, &amount, &rate, &m.Got)
		m.CompanyName, m.Problem = names[companyID], "invoice_vat"
		if rate != nil {
			m.Want = money.VATOf(money.Kopecks(amount), int(*rate))
		}
		return m, err
	}, `SELECT i.company_id, i.number, i.amount, i.vat_rate, (SELECT COALESCE(sum(d.vat), 0) FROM closing_documents d WHERE d.invoice_id = i.id)
		FROM invoices i WHERE i.status = 'paid'
		AND (SELECT count(*) FROM payments p WHERE p.invoice_id = i.id) = (SELECT count(*) FROM closing_documents d WHERE d.invoice_id = i.id)`)
	if err != nil {
		return nil, fmt.Errorf("db: check closing documents: %w", err)
	}
	for _, m := range invoices {
		if m.Want != m.Got {
			out = append(out, m)
		}
	}
	return out, nil
}

// unclosedMonths are the months before this one, under monthly closing as
// far as the policy is known, in which a company was charged and has no
// УПД ("month_missing"), or was refunded with nothing to take it off
// ("refund_left").
func (s *Store) unclosedMonths(ctx context.Context, names map[int64]string) ([]ClosingMismatch, error) {
	v, err := s.Vendor(ctx)
	if err != nil {
		return nil, err
	}
	type company struct {
		id    int64
		first string
	}
	companies, err := queryAll(ctx, s.r, func(row scanner) (company, error) {
		var c company
		return c, row.Scan(&c.id, &c.first)
	}, `SELECT company_id, min(created_at) FROM transactions WHERE source IN `+monthSources+` GROUP BY company_id ORDER BY company_id`)
	if err != nil {
		return nil, fmt.Errorf("db: check closing documents: %w", err)
	}
	this := MonthStart(Today(s.Now(), VendorLocation))
	var out []ClosingMismatch
	for _, c := range companies {
		for month := MonthStart(Today(parseTime(c.first), VendorLocation)); month.Before(this); month = month.AddDate(0, 1, 0) {
			policy, since := v.closingPolicySpan(month)
			if policy != ClosingMonthly {
				continue
			}
			var done bool
			if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM closing_documents
				WHERE company_id = ? AND basis = 'month' AND period_from = ?)`, c.id, formatDate(month)).Scan(&done); err != nil {
				return nil, fmt.Errorf("db: check closing documents: %w", err)
			}
			if done {
				continue
			}
			lines, _, left, err := monthLines(ctx, s.r, c.id, month, since)
			if err != nil {
				return nil, fmt.Errorf("db: check closing documents: %w", err)
			}
			var total money.Kopecks
			for _, l := range lines {
				total += l.Amount
			}
			what := "за " + month.Format("01.2006")
			if total > 0 {
				out = append(out, ClosingMismatch{names[c.id], what, "month_missing", total, 0})
			}
			if left > 0 {
				out = append(out, ClosingMismatch{names[c.id], what, "refund_left", 0, left})
			}
		}
	}
	return out, nil
}

// companyNames maps every company's id to its name.
func companyNames(ctx context.Context, s *Store) (map[int64]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name FROM companies`)
	if err != nil {
		return nil, fmt.Errorf("db: company names: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}
