package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"elk/db/money"
)

// Invoice statuses.
const (
	InvoiceIssued        = "issued"
	InvoicePartiallyPaid = "partially_paid"
	InvoicePaid          = "paid"
	InvoiceCancelled     = "cancelled"
)

// InvoiceStatuses lists every status in the order filters offer them.
var InvoiceStatuses = []string{InvoiceIssued, InvoicePartiallyPaid, InvoicePaid, InvoiceCancelled}

// MaxInvoiceAmount bounds one invoice: ten million rubles.
const MaxInvoiceAmount money.Kopecks = 1_000_000_000

// Refusals of invoice operations.
var (
	ErrInvoiceNotPayable  = errors.New("invoice.not_payable")
	ErrInvoiceNotCancel   = errors.New("invoice.not_cancellable")
	ErrPaymentElsewhere   = errors.New("invoice.reference_used")
	ErrBadInvoiceAmount   = errors.New("invoice.bad_amount")
	ErrServiceNotInvoiced = errors.New("invoice.service_inactive")
	ErrBadPaymentDate     = errors.New("invoice.bad_payment_date")
	// ErrPaymentFromStatement refuses by hand a payment a bank statement brought.
	ErrPaymentFromStatement = errors.New("invoice.payment_from_statement")
)

// PaymentTooLarge refuses a payment above what the invoice still awaits.
type PaymentTooLarge struct{ Due money.Kopecks }

func (PaymentTooLarge) Error() string { return "invoice.payment_too_large" }

// VendorLocation is the vendor's calendar, which dates and numbers documents.
var VendorLocation = Company{Timezone: "Europe/Moscow"}.Location()

// Invoice is a счёт на оплату.
type Invoice struct {
	ID               int64
	CompanyID        int64
	CompanyName      string
	CompanyServiceID int64
	ServiceCode      string
	TariffID         int64 // 0 when none was chosen
	Number           string
	IssuedOn         time.Time
	Item             string
	Amount           money.Kopecks
	Paid             money.Kopecks
	VATRate          int
	Status           string
	Supplier, Buyer  Requisites
	CreatedBy        string
	CreatedAt        time.Time
	PaidAt           *time.Time
	CancelledAt      *time.Time
	CancelReason     string
	Auto             bool // issued by a low-balance alert, not by a person
}

// VAT is the VAT included in the invoice's amount.
func (i Invoice) VAT() money.Kopecks { return money.VATOf(i.Amount, i.VATRate) }

// DueVAT is the VAT of what the invoice still awaits: the share the act of
// its last payment will carry.
func (i Invoice) DueVAT() money.Kopecks { return money.VATOfPart(i.Paid, i.Due(), i.VATRate) }

// Due is what the invoice still awaits.
func (i Invoice) Due() money.Kopecks {
	if i.Status == InvoiceCancelled {
		return 0
	}
	return i.Amount - i.Paid
}

// NewInvoice is what issuing an invoice needs.
type NewInvoice struct {
	Service CompanyService
	Tariff  *Tariff // the tariff chosen, if any
	Item    string  // what is paid for, as printed: «Услуга «СМС», тариф «Стандарт»»
	Amount  money.Kopecks
	// Notify tells the company by the outbox: an invoice staff issue on its behalf.
	Notify bool
	// Auto marks an invoice a low-balance alert issued (see alertPayment).
	Auto bool
}

const invoiceColumns = `i.id, i.company_id, c.name, i.company_service_id, sv.code, COALESCE(i.tariff_id, 0), i.number,
	i.issued_on, i.item, i.amount, i.paid, i.vat_rate, i.status, i.supplier, i.buyer, i.created_by, i.created_at,
	i.paid_at, i.cancelled_at, i.cancel_reason, i.auto`

const invoiceFrom = ` FROM invoices i JOIN companies c ON c.id = i.company_id
	JOIN company_services cs ON cs.id = i.company_service_id JOIN services sv ON sv.id = cs.service_id`

func scanInvoice(row scanner) (Invoice, error) {
	var i Invoice
	var issued, supplier, buyer, created string
	var vat sql.NullInt64
	var paid, cancelled sql.NullString
	err := row.Scan(&i.ID, &i.CompanyID, &i.CompanyName, &i.CompanyServiceID, &i.ServiceCode, &i.TariffID, &i.Number,
		&issued, &i.Item, &i.Amount, &i.Paid, &vat, &i.Status, &supplier, &buyer, &i.CreatedBy, &created,
		&paid, &cancelled, &i.CancelReason, &i.Auto)
	if err != nil {
		return i, err
	}
	i.IssuedOn, i.CreatedAt, i.PaidAt, i.CancelledAt = parseDate(issued), parseTime(created), parseNullTime(paid), parseNullTime(cancelled)
	i.VATRate = vatFromDB(vat)
	return i, errors.Join(json.Unmarshal([]byte(supplier), &i.Supplier), json.Unmarshal([]byte(buyer), &i.Buyer))
}

// nextNumber hands out the next number of a kind of document in the year,
// inside the transaction that issues it: a rolled-back issue returns it.
func nextNumber(ctx context.Context, tx *sql.Tx, kind string, day time.Time) (string, error) {
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO document_numbers (kind, year, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = last + 1 RETURNING last`, kind, day.Year()).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("db: %s number: %w", kind, err)
	}
	prefix := ""
	if kind == "act" {
		prefix = "А-"
	}
	return fmt.Sprintf("%s%d-%06d", prefix, day.Year(), n), nil
}

// CreateInvoice issues an invoice for a connected service, numbered in the
// same transaction, with both parties' requisites as they are today.
func (s *Store) CreateInvoice(ctx context.Context, a Actor, ni NewInvoice) (Invoice, error) {
	return s.CreateInvoiceOn(ctx, a, ni, Today(s.Now(), VendorLocation))
}

// CreateInvoiceOn issues an invoice as CreateInvoice does, dated the day
// given: one issued before, entered afterwards (the demo's history).
func (s *Store) CreateInvoiceOn(ctx context.Context, a Actor, ni NewInvoice, today time.Time) (Invoice, error) {
	if ni.Amount <= 0 || ni.Amount > MaxInvoiceAmount {
		return Invoice{}, ErrBadInvoiceAmount
	}
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) (err error) {
		id, err = s.createInvoice(ctx, tx, a, ni, today)
		return err
	})
	if err != nil {
		return Invoice{}, fmt.Errorf("db: create invoice: %w", err)
	}
	return s.InvoiceByID(ctx, id)
}

// createInvoice issues an invoice inside tx and returns its id.
func (s *Store) createInvoice(ctx context.Context, tx *sql.Tx, a Actor, ni NewInvoice, today time.Time) (int64, error) {
	// Read here, not from the service as the form saw it: a manager may
	// have switched it off since, and the write lock orders the two.
	var active bool
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT active FROM company_services WHERE id = ? AND company_id = ?`,
		ni.Service.ID, ni.Service.CompanyID).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
		return 0, ErrServiceNotInvoiced
	}
	if err != nil {
		return 0, err
	}
	number, err := nextNumber(ctx, tx, "invoice", today)
	if err != nil {
		return 0, err
	}
	supplier, buyer, vat, err := partiesOn(ctx, tx, ni.Service.CompanyID)
	if err != nil {
		return 0, err
	}
	var tariffID int64
	if ni.Tariff != nil {
		tariffID = ni.Tariff.ID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO invoices (company_id, company_service_id, tariff_id, number, issued_on,
		item, amount, vat_rate, status, supplier, buyer, created_by, created_at, auto)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'issued', ?, ?, ?, ?, ?) RETURNING id`,
		ni.Service.CompanyID, ni.Service.ID, nullIfZero(tariffID), number, formatDate(today), ni.Item, int64(ni.Amount),
		vatToDB(vat), supplier, buyer, a.Login, formatTime(s.Now()), ni.Auto).Scan(&id)
	if err != nil {
		return 0, err
	}
	if err := s.writeAudit(ctx, tx, a, ni.Service.CompanyID, AuditInvoiceCreated, fmt.Sprintf("№ %s, %s", number, ni.Amount)); err != nil {
		return 0, err
	}
	if !ni.Notify {
		return id, nil
	}
	_, err = s.notifyCompany(ctx, tx, ni.Service.CompanyID, NoticeInvoiceIssued, "invoice-"+number,
		NoticeParams{Number: number, Amount: ni.Amount, ServiceID: ni.Service.ID})
	return id, err
}

// Invoice returns one of the company's invoices.
func (s *Store) Invoice(ctx context.Context, companyID, id int64) (Invoice, error) {
	return queryOne(ctx, s.r, scanInvoice, fmt.Sprintf("invoice %d", id),
		`SELECT `+invoiceColumns+invoiceFrom+` WHERE i.id = ? AND i.company_id = ?`, id, companyID)
}

// InvoiceByID returns any company's invoice; only the back office may use it.
func (s *Store) InvoiceByID(ctx context.Context, id int64) (Invoice, error) {
	return queryOne(ctx, s.r, scanInvoice, fmt.Sprintf("invoice %d", id), `SELECT `+invoiceColumns+invoiceFrom+` WHERE i.id = ?`, id)
}

// InvoiceFilter narrows the back office's list of invoices; zero values match all.
type InvoiceFilter struct {
	Status    string // one status, or InvoiceUnpaid for those awaiting money
	Overdue   bool   // only those unpaid past the vendor's payment term
	ManagerID int64  // only the companies of this manager
	CompanyID int64
	Number    string // a part of the number
	Limit     int
}

// InvoiceUnpaid filters the invoices that await money: issued or partially paid.
const InvoiceUnpaid = "unpaid"

// ListInvoices returns invoices newest first (back office); those awaiting
// money oldest first, the longest overdue on top.
func (s *Store) ListInvoices(ctx context.Context, f InvoiceFilter) ([]Invoice, error) {
	where, args, err := s.invoiceWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	order := ` ORDER BY i.id DESC`
	if f.Overdue || f.Status == InvoiceUnpaid {
		order = ` ORDER BY i.issued_on, i.id`
	}
	out, err := queryAll(ctx, s.r, scanInvoice, `SELECT `+invoiceColumns+invoiceFrom+where+order+` LIMIT ?`, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("db: list invoices: %w", err)
	}
	return out, nil
}

// CountInvoices counts the invoices the filter matches, Limit aside: what a
// cut list says it shows part of.
func (s *Store) CountInvoices(ctx context.Context, f InvoiceFilter) (int, error) {
	where, args, err := s.invoiceWhere(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*)`+invoiceFrom+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("db: count invoices: %w", err)
	}
	return n, nil
}

// invoiceWhere is the filter's condition over invoiceFrom.
func (s *Store) invoiceWhere(ctx context.Context, f InvoiceFilter) (string, []any, error) {
	q := ` WHERE 1 = 1`
	var args []any
	switch {
	case f.Overdue:
		v, err := s.Vendor(ctx)
		if err != nil {
			return "", nil, err
		}
		q, args = q+` AND `+unpaidInvoice+` AND i.issued_on < ?`, append(args, formatDate(overdueBefore(v, Today(s.Now(), VendorLocation))))
	case f.Status == InvoiceUnpaid:
		q += ` AND ` + unpaidInvoice
	}
	if f.ManagerID != 0 {
		q, args = q+` AND c.manager_id = ?`, append(args, f.ManagerID)
	}
	if f.Status != "" && f.Status != InvoiceUnpaid {
		q += ` AND i.status = ?`
		args = append(args, f.Status)
	}
	if f.CompanyID != 0 {
		q += ` AND i.company_id = ?`
		args = append(args, f.CompanyID)
	}
	if f.Number != "" {
		q += ` AND instr(i.number, ?) > 0`
		args = append(args, f.Number)
	}
	return q, args, nil
}

// CancelInvoice cancels one of the company's invoices that awaits payment
// in full.
func (s *Store) CancelInvoice(ctx context.Context, a Actor, companyID, id int64, reason string) error {
	return s.cancelInvoice(ctx, a, id, reason, ` WHERE i.id = ? AND i.company_id = ?`, []any{id, companyID}, InvoiceIssued)
}

// CancelInvoiceByID cancels any company's invoice that awaits payment (back
// office), one paid in part too, whose paid part and acts stay.
func (s *Store) CancelInvoiceByID(ctx context.Context, a Actor, id int64, reason string) error {
	return s.cancelInvoice(ctx, a, id, reason, ` WHERE i.id = ?`, []any{id}, InvoiceIssued, InvoicePartiallyPaid)
}

// cancelInvoice cancels the invoice the condition finds, if its status is
// one of cancellable.
func (s *Store) cancelInvoice(ctx context.Context, a Actor, id int64, reason, where string, args []any, cancellable ...string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		inv, err := queryOne(ctx, tx, scanInvoice, fmt.Sprintf("invoice %d", id), `SELECT `+invoiceColumns+invoiceFrom+where, args...)
		if err != nil {
			return err
		}
		if !slices.Contains(cancellable, inv.Status) {
			return ErrInvoiceNotCancel
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invoices SET status = 'cancelled', cancelled_at = ?, cancel_reason = ? WHERE id = ?`,
			formatTime(s.Now()), reason, id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, inv.CompanyID, AuditInvoiceCancelled, strings.TrimSpace("№ "+inv.Number+" "+reason))
	})
	if err != nil {
		return fmt.Errorf("db: cancel invoice %d: %w", id, err)
	}
	return nil
}
