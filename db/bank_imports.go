package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"elk/db/bankexchange"
	"elk/db/money"
)

// BankImport is a bank statement staff loaded.
type BankImport struct {
	ID         int64
	FileName   string
	Status     string // "pending" until recorded, then "done"
	From, To   *time.Time
	Documents  int // payment documents in the file
	Recorded   int // of them recorded by this import
	CreatedBy  string
	CreatedAt  time.Time
	RecordedAt *time.Time
}

// Bank import statuses.
const (
	ImportPending = "pending"
	ImportDone    = "done"
)

// MaxStatementSize bounds a statement file: a year of a busy account.
const MaxStatementSize = 20 << 20

// ErrImportDone refuses to record a statement a second time.
var ErrImportDone = errors.New("bank.import_done")

const bankImportColumns = `id, file_name, status, period_from, period_to, documents, recorded, created_by, created_at, recorded_at`

func scanBankImport(row scanner) (BankImport, error) {
	var b BankImport
	var from, to, recorded sql.NullString
	var created string
	err := row.Scan(&b.ID, &b.FileName, &b.Status, &from, &to, &b.Documents, &b.Recorded, &b.CreatedBy, &created, &recorded)
	b.From, b.To, b.CreatedAt, b.RecordedAt = parseNullDate(from), parseNullDate(to), parseTime(created), parseNullTime(recorded)
	return b, err
}

// AddBankImport keeps a statement that parsed, pending until staff record
// it, and returns its id.
func (s *Store) AddBankImport(ctx context.Context, a Actor, name string, file []byte, st bankexchange.Statement) (int64, error) {
	var from, to *time.Time
	if !st.From.IsZero() {
		from, to = &st.From, &st.To
	}
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO bank_imports (file_name, file, status, period_from, period_to, documents,
			created_by, created_at) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?) RETURNING id`, name, file, nullDate(from), nullDate(to),
			len(st.Documents), a.Login, formatTime(s.Now())).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("db: add bank import: %w", err)
	}
	return id, nil
}

// BankImport returns a loaded statement and, while it is pending, its file.
func (s *Store) BankImport(ctx context.Context, id int64) (BankImport, []byte, error) {
	b, err := queryOne(ctx, s.r, scanBankImport, fmt.Sprintf("bank import %d", id), `SELECT `+bankImportColumns+` FROM bank_imports WHERE id = ?`, id)
	if err != nil {
		return b, nil, err
	}
	var file []byte
	if err := s.r.QueryRowContext(ctx, `SELECT file FROM bank_imports WHERE id = ?`, id).Scan(&file); err != nil {
		return b, nil, fmt.Errorf("db: bank import %d: %w", id, err)
	}
	return b, file, nil
}

// BankImports lists the statements loaded, newest first.
func (s *Store) BankImports(ctx context.Context, limit int) ([]BankImport, error) {
	out, err := queryAll(ctx, s.r, scanBankImport, `SELECT `+bankImportColumns+` FROM bank_imports ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("db: bank imports: %w", err)
	}
	return out, nil
}

// BankChoice is where staff send one of a statement's payments: the
// invoice it pays, or, with none, the connected service it tops up.
type BankChoice struct {
	Index     int // in the statement's documents
	InvoiceID int64
	ServiceID int64
}

// RecordBankImport records the payments staff chose from a pending
// statement, each in its own transaction, as a payment recorded by hand:
// the balance, the invoice, the closing document, the notice. A payment
// recorded before (from any statement) is left alone. Money beyond what an
// invoice awaits, or for an invoice closed, or for no invoice, is paid on
// an invoice issued for it on the service. The import is then done and
// its file let go, unless a payment failed: then it stays pending for
// another try. It returns how many were recorded.
func (s *Store) RecordBankImport(ctx context.Context, a Actor, importID int64, choices []BankChoice) (int, error) {
	imp, fileOf, err := s.BankImport(ctx, importID)
	if err != nil {
		return 0, err
	}
	if imp.Status != ImportPending {
		return 0, ErrImportDone
	}
	st, err := bankexchange.Parse(bytes.NewReader(fileOf))
	if err != nil {
		return 0, fmt.Errorf("db: bank import %d: %w", importID, err)
	}
	// Only money into the vendor's account that came for the first time,
	// whatever a form says.
	matches, err := s.MatchStatement(ctx, st)
	if err != nil {
		return 0, err
	}
	recorded := 0
	var errs []error
	for _, c := range choices {
		if c.Index < 0 || c.Index >= len(st.Documents) || matches[c.Index].Kind == MatchOutgoing || matches[c.Index].Kind == MatchRecorded {
			continue
		}
		ok, err := s.recordBankPayment(ctx, a, importID, st.Documents[c.Index], c)
		if err != nil {
			errs = append(errs, fmt.Errorf("№ %s: %w", st.Documents[c.Index].Number, err))
		} else if ok {
			recorded++
		}
	}
	// Counted up, as another tab may record the same import at once; one
	// that failed anywhere stays pending, its file kept, to try again.
	status, file := ImportDone, []byte(nil)
	if len(errs) > 0 {
		status, file = ImportPending, fileOf
	}
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE bank_imports SET status = ?, file = ?, recorded = recorded + ?, recorded_at = ?
			WHERE id = ?`, status, file, recorded, formatTime(s.Now()), importID)
		return err
	})
	return recorded, errors.Join(append(errs, err)...)
}

// recordBankPayment records one payment of a statement, reporting false
// when it was recorded before.
func (s *Store) recordBankPayment(ctx context.Context, a Actor, importID int64, d bankexchange.Document, c BankChoice) (bool, error) {
	paidOn := d.Date
	if d.Received != nil {
		paidOn = *d.Received
	}
	at := s.Now()
	created := false
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var seen bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM bank_payments WHERE payer_inn = ? AND number = ? AND paid_on = ?
			AND amount = ?)`, d.PayerINN, d.Number, formatDate(paidOn), int64(d.Amount)).Scan(&seen); err != nil || seen {
			return err
		}
		// Payment order numbers start again each year, and each bank's own.
		reference := d.Number + " (ИНН " + d.PayerINN + ", " + paidOn.Format("02.01.2006") + ")"
		rest, serviceID := d.Amount, c.ServiceID
		var first int64
		if c.InvoiceID != 0 {
			inv, err := queryOne(ctx, tx, scanInvoice, fmt.Sprintf("invoice %d", c.InvoiceID),
				`SELECT `+invoiceColumns+invoiceFrom+` WHERE i.id = ?`, c.InvoiceID)
			if err != nil {
				return err
			}
			serviceID = inv.CompanyServiceID
			if due := inv.Due(); due > 0 {
				part := min(rest, due)
				if first, err = s.recordPaymentTx(ctx, tx, a, inv.ID, NewPayment{Amount: part, PaidOn: paidOn, Reference: reference,
					Unasked: true}, at, true); err != nil {
					return err
				}
				rest -= part
				reference += " (остаток)"
			}
		}
		if rest > 0 {
			id, err := s.topUpPayment(ctx, tx, a, serviceID, NewPayment{Amount: rest, PaidOn: paidOn, Reference: reference, Unasked: true}, at)
			if err != nil {
				return err
			}
			if first == 0 {
				first = id
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bank_payments (import_id, payer_inn, number, paid_on, amount, payer_name, purpose,
			payment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, importID, d.PayerINN, d.Number, formatDate(paidOn), int64(d.Amount),
			d.PayerName, d.Purpose, first)
		created = err == nil
		return err
	})
	return created, err
}

// topUpPayment records money for a connected service that no invoice
// awaits: an invoice is issued for it today, at the service's tariff, and
// paid at once.
func (s *Store) topUpPayment(ctx context.Context, tx *sql.Tx, a Actor, serviceID int64, p NewPayment, at time.Time) (int64, error) {
	if serviceID == 0 {
		return 0, ErrNotFound
	}
	cs, err := queryOne(ctx, tx, scanCompanyService, fmt.Sprintf("service %d", serviceID),
		`SELECT `+companyServiceColumns+companyServiceFrom+`WHERE cs.id = ?`, serviceID)
	if err != nil {
		return 0, err
	}
	if p.Amount > MaxInvoiceAmount {
		return 0, ErrBadInvoiceAmount
	}
	id, err := s.createInvoice(ctx, tx, a, NewInvoice{Service: cs, Tariff: &cs.Tariff, Item: ServiceItem(cs.ServiceCode, cs.Tariff.Name),
		Amount: p.Amount}, Today(at, VendorLocation))
	if err != nil {
		return 0, err
	}
	return s.recordPaymentTx(ctx, tx, a, id, p, at, true)
}

// BankPayment is a payment received from a statement, and what it became.
type BankPayment struct {
	PayerINN, PayerName, Number, Purpose string
	PaidOn                               time.Time
	Amount                               money.Kopecks
	InvoiceID                            int64
	InvoiceNumber                        string
	CompanyName                          string
}

// ImportPayments lists the payments an import recorded.
func (s *Store) ImportPayments(ctx context.Context, importID int64) ([]BankPayment, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (BankPayment, error) {
		var b BankPayment
		var paidOn string
		err := row.Scan(&b.PayerINN, &b.PayerName, &b.Number, &b.Purpose, &paidOn, &b.Amount, &b.InvoiceID, &b.InvoiceNumber, &b.CompanyName)
		b.PaidOn = parseDate(paidOn)
		return b, err
	}, `SELECT bp.payer_inn, bp.payer_name, bp.number, bp.purpose, bp.paid_on, bp.amount, i.id, i.number, c.name
		FROM bank_payments bp JOIN payments p ON p.id = bp.payment_id JOIN invoices i ON i.id = p.invoice_id
		JOIN companies c ON c.id = i.company_id WHERE bp.import_id = ? ORDER BY bp.id`, importID)
	if err != nil {
		return nil, fmt.Errorf("db: payments of import %d: %w", importID, err)
	}
	return out, nil
}
