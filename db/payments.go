package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"elk/db/money"
)

// Payment is money received against an invoice.
type Payment struct {
	ID            int64
	InvoiceID     int64
	Reference     string // the bank's reference: unique
	Amount        money.Kopecks
	PaidOn        time.Time
	TransactionID int64
	CreatedBy     string
	CreatedAt     time.Time
}

// NewPayment is a payment as staff record it.
type NewPayment struct {
	Amount    money.Kopecks
	PaidOn    time.Time // the bank's date
	Reference string
	// Unasked is money that came without an invoice (a bank statement's),
	// recorded on one issued for it afterwards: it may predate the invoice.
	Unasked bool
}

// RecordPayment records a payment against an invoice in one transaction: the
// service's balance is credited (a "payment" transaction keyed by the
// reference), the invoice becomes paid or partly paid, an act is issued for
// the amount, and the company is notified. A reference recorded before for
// this invoice changes nothing and reports false.
func (s *Store) RecordPayment(ctx context.Context, a Actor, invoiceID int64, p NewPayment) (bool, error) {
	return s.recordPayment(ctx, a, invoiceID, p, s.Now(), true)
}

// RecordPaymentAt records a payment as RecordPayment does, as of an earlier
// instant and without telling the company: history entered afterwards (the
// demo's).
func (s *Store) RecordPaymentAt(ctx context.Context, a Actor, invoiceID int64, p NewPayment, at time.Time) (bool, error) {
	return s.recordPayment(ctx, a, invoiceID, p, at, false)
}

// recordPayment records a payment as of at, telling the company if notify.
func (s *Store) recordPayment(ctx context.Context, a Actor, invoiceID int64, p NewPayment, at time.Time, notify bool) (bool, error) {
	p.Reference = strings.TrimSpace(p.Reference)
	if p.Amount <= 0 || p.Reference == "" {
		return false, ErrBadInvoiceAmount
	}
	var paymentID int64
	err := s.WithTx(ctx, func(tx *sql.Tx) (err error) {
		// The same payment order, day and amount from a bank statement.
		var fromStatement bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM bank_payments WHERE number = ? AND paid_on = ? AND amount = ?)`,
			digits(p.Reference), formatDate(p.PaidOn), int64(p.Amount)).Scan(&fromStatement); err != nil {
			return err
		}
		if fromStatement {
			return ErrPaymentFromStatement
		}
		paymentID, err = s.recordPaymentTx(ctx, tx, a, invoiceID, p, at, notify)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("db: payment for invoice %d: %w", invoiceID, err)
	}
	return paymentID != 0, nil
}

// recordPaymentTx records a payment inside tx and returns its id, 0 when
// this reference was recorded for the invoice before.
func (s *Store) recordPaymentTx(ctx context.Context, tx *sql.Tx, a Actor, invoiceID int64, p NewPayment, at time.Time, notify bool) (int64, error) {
	var earlier int64
	err := tx.QueryRowContext(ctx, `SELECT invoice_id FROM payments WHERE reference = ?`, p.Reference).Scan(&earlier)
	switch {
	case err == nil && earlier == invoiceID:
		return 0, nil // recorded before
	case err == nil:
		return 0, ErrPaymentElsewhere
	case !errors.Is(err, sql.ErrNoRows):
		return 0, err
	}
	inv, err := queryOne(ctx, tx, scanInvoice, fmt.Sprintf("invoice %d", invoiceID),
		`SELECT `+invoiceColumns+invoiceFrom+` WHERE i.id = ?`, invoiceID)
	if err != nil {
		return 0, err
	}
	if inv.Status != InvoiceIssued && inv.Status != InvoicePartiallyPaid {
		return 0, ErrInvoiceNotPayable
	}
	if (p.PaidOn.Before(inv.IssuedOn) && !p.Unasked) || p.PaidOn.After(Today(at, VendorLocation)) {
		return 0, ErrBadPaymentDate
	}
	if p.Amount > inv.Due() {
		return 0, PaymentTooLarge{Due: inv.Due()}
	}
	txID, _, err := s.post(ctx, tx, Entry{CompanyServiceID: inv.CompanyServiceID, Amount: p.Amount, Source: SourcePayment,
		Description: "Оплата по счёту № " + inv.Number, Ref: fmt.Sprintf("invoice:%d", inv.ID),
		IdempotencyKey: "payment:" + p.Reference, At: at})
	if err != nil {
		return 0, err
	}
	now := formatTime(at)
	var paymentID int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO payments (invoice_id, reference, amount, paid_on, transaction_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, inv.ID, p.Reference, int64(p.Amount), formatDate(p.PaidOn), txID,
		a.Login, now).Scan(&paymentID); err != nil {
		return 0, err
	}
	status := InvoicePartiallyPaid
	if inv.Paid+p.Amount == inv.Amount {
		status = InvoicePaid
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invoices SET paid = paid + ?, status = ?, paid_at = ? WHERE id = ?`,
		int64(p.Amount), status, now, inv.ID); err != nil {
		return 0, err
	}
	docNumber, err := s.issueForPayment(ctx, tx, inv, paymentID, p, at)
	if err != nil {
		return 0, err
	}
	if err := s.writeAudit(ctx, tx, a, inv.CompanyID, AuditInvoicePaid,
		fmt.Sprintf("№ %s: %s, %s", inv.Number, p.Amount, p.Reference)); err != nil {
		return 0, err
	}
	if !notify {
		return paymentID, nil
	}
	_, err = s.notifyCompany(ctx, tx, inv.CompanyID, NoticeInvoicePaid, "payment-"+p.Reference,
		NoticeParams{Number: inv.Number, Act: docNumber, Amount: p.Amount, ServiceID: inv.CompanyServiceID})
	return paymentID, err
}

// InvoicePayments returns the payments of an invoice, oldest first.
func (s *Store) InvoicePayments(ctx context.Context, invoiceID int64) ([]Payment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, invoice_id, reference, amount, paid_on, transaction_id, created_by, created_at
		FROM payments WHERE invoice_id = ? ORDER BY id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("db: payments of invoice %d: %w", invoiceID, err)
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		var p Payment
		var paidOn, created string
		if err := rows.Scan(&p.ID, &p.InvoiceID, &p.Reference, &p.Amount, &paidOn, &p.TransactionID, &p.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("db: payments of invoice %d: %w", invoiceID, err)
		}
		p.PaidOn, p.CreatedAt = parseDate(paidOn), parseTime(created)
		out = append(out, p)
	}
	return out, rows.Err()
}
