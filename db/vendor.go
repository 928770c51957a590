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

// Vendor holds the vendor's own requisites, printed on invoices and acts.
type Vendor struct {
	Name        string
	LegalName   string
	INN         string
	KPP         string
	OGRN        string
	Address     string
	BankName    string
	BIK         string
	BankAccount string // расчётный счёт
	CorrAccount string // корреспондентский счёт
	Director    string
	// DirectorPosition is the director's title as documents print it.
	DirectorPosition string
	Accountant       string // the chief accountant
	Proxy            Proxy  // who signs instead of the director; empty Name for none
	Email            string
	Phone            string
	VATRate          int    // percent printed on documents; money.NoVAT for «Без НДС»
	ClosingPolicy    string // ClosingOnPayment or ClosingMonthly
	// ClosingPolicyFrom is the day the policy took effect; the other one
	// held before it, since ClosingPolicyBefore. Nil when it always held.
	ClosingPolicyFrom, ClosingPolicyBefore *time.Time
	// PaymentTermDays is the срок оплаты счёта: an invoice unpaid this many
	// days after its date is overdue.
	PaymentTermDays int
}

// DefaultPaymentTerm is the payment term until the vendor sets one, and
// MaxPaymentTerm the longest it may set.
const (
	DefaultPaymentTerm = 5
	MaxPaymentTerm     = 365
)

// ClosingPolicyOn is the closing-document policy in effect on the day.
func (v Vendor) ClosingPolicyOn(day time.Time) string {
	policy, _ := v.closingPolicySpan(day)
	return policy
}

// closingPolicySpan is the policy in effect on the day and the day it took
// effect, nil when it held from the start. The last two changes are kept:
// before them the policy is unknown, "", and no document is made for it.
func (v Vendor) closingPolicySpan(day time.Time) (string, *time.Time) {
	switch {
	case v.ClosingPolicyFrom == nil || !day.Before(*v.ClosingPolicyFrom):
		return v.ClosingPolicy, v.ClosingPolicyFrom
	case v.ClosingPolicyBefore == nil || !day.Before(*v.ClosingPolicyBefore):
		return otherPolicy(v.ClosingPolicy), v.ClosingPolicyBefore
	}
	return "", nil
}

func otherPolicy(policy string) string {
	if policy == ClosingMonthly {
		return ClosingOnPayment
	}
	return ClosingMonthly
}

// Closing-document policies: a document for every payment, or one a month
// for what was spent.
const (
	ClosingOnPayment = "payment"
	ClosingMonthly   = "monthly"
)

// ClosingPolicies lists the policies in the order forms offer them.
var ClosingPolicies = []string{ClosingOnPayment, ClosingMonthly}

func vatToDB(rate int) any {
	if rate == money.NoVAT {
		return nil
	}
	return rate
}

func vatFromDB(v sql.NullInt64) int {
	if !v.Valid {
		return money.NoVAT
	}
	return int(v.Int64)
}

// Vendor returns the vendor's requisites.
func (s *Store) Vendor(ctx context.Context) (Vendor, error) {
	v, err := vendorOf(ctx, s.r)
	if err != nil {
		return v, fmt.Errorf("db: vendor: %w", err)
	}
	return v, nil
}

// vendorOf reads the vendor's row through the pool or inside a transaction.
func vendorOf(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Vendor, error) {
	var v Vendor
	var vat sql.NullInt64
	var proxyDate, policyFrom, policyBefore sql.NullString
	err := q.QueryRowContext(ctx, `SELECT name, legal_name, inn, kpp, ogrn, address, bank_name, bik,
		bank_account, corr_account, director, director_position, accountant, proxy_name, proxy_position, proxy_number,
		proxy_date, email, phone, vat_rate, closing_policy, closing_policy_from, closing_policy_before, payment_term_days FROM vendor WHERE id = 1`).
		Scan(&v.Name, &v.LegalName, &v.INN, &v.KPP, &v.OGRN, &v.Address, &v.BankName, &v.BIK,
			&v.BankAccount, &v.CorrAccount, &v.Director, &v.DirectorPosition, &v.Accountant, &v.Proxy.Name,
			&v.Proxy.Position, &v.Proxy.Number, &proxyDate, &v.Email, &v.Phone, &vat, &v.ClosingPolicy, &policyFrom, &policyBefore, &v.PaymentTermDays)
	v.VATRate, v.Proxy.Date = vatFromDB(vat), parseNullDate(proxyDate)
	v.ClosingPolicyFrom, v.ClosingPolicyBefore = parseNullDate(policyFrom), parseNullDate(policyBefore)
	return v, err
}

// UpdateVendor saves the vendor's requisites.
func (s *Store) UpdateVendor(ctx context.Context, a Actor, v Vendor) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE vendor SET name = ?, legal_name = ?, inn = ?, kpp = ?, ogrn = ?,
			address = ?, bank_name = ?, bik = ?, bank_account = ?, corr_account = ?, director = ?, director_position = ?,
			accountant = ?, proxy_name = ?, proxy_position = ?, proxy_number = ?, proxy_date = ?, email = ?, phone = ?,
			vat_rate = ?, updated_at = ? WHERE id = 1`,
			v.Name, v.LegalName, v.INN, v.KPP, v.OGRN, v.Address, v.BankName, v.BIK, v.BankAccount, v.CorrAccount,
			v.Director, v.DirectorPosition, v.Accountant, v.Proxy.Name, v.Proxy.Position, v.Proxy.Number,
			nullDate(v.Proxy.Date), v.Email, v.Phone, vatToDB(v.VATRate), formatTime(s.Now())); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, a, 0, AuditVendorUpdated, v.Name); err != nil {
			return err
		}
		if err := s.setPaymentTerm(ctx, tx, a, v.PaymentTermDays); err != nil {
			return err
		}
		if v.ClosingPolicy == "" {
			return nil
		}
		// A new policy takes effect on the first of the next month, so that
		// no month is closed half one way and half the other.
		next := Today(s.Now(), VendorLocation)
		next = time.Date(next.Year(), next.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		return s.setClosingPolicy(ctx, tx, a, v.ClosingPolicy, next)
	})
	if err != nil {
		return fmt.Errorf("db: update vendor: %w", err)
	}
	return nil
}

// SetClosingPolicy sets the closing-document policy from the day given
// (the demo's history starts it earlier than a form would).
func (s *Store) SetClosingPolicy(ctx context.Context, a Actor, policy string, from time.Time) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error { return s.setClosingPolicy(ctx, tx, a, policy, from) })
	if err != nil {
		return fmt.Errorf("db: closing policy: %w", err)
	}
	return nil
}

// setClosingPolicy changes the policy, and audits it, unless it is the one
// in force already. Choosing back the policy in force while a change is
// still pending (it takes effect on or after from) cancels that change
// rather than dating the old policy anew: the old policy keeps the day it
// took effect, which a month's closing needs.
func (s *Store) setClosingPolicy(ctx context.Context, tx *sql.Tx, a Actor, policy string, from time.Time) error {
	var pending, before sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT closing_policy_from, closing_policy_before FROM vendor
		WHERE id = 1 AND closing_policy <> ?`, policy).Scan(&pending, &before); errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	since, earlier, detail := any(formatDate(from)), any(pending), policy+" с "+from.Format("02.01.2006")
	if p := parseNullDate(pending); p != nil && !p.Before(from) {
		since, earlier, detail = before, nil, policy+", переход с "+p.Format("02.01.2006")+" отменён"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE vendor SET closing_policy = ?, closing_policy_from = ?, closing_policy_before = ?
		WHERE id = 1`, policy, since, earlier); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, a, 0, AuditClosingPolicy, detail)
}

// setPaymentTerm changes the payment term, audited, unless it is the one
// set already; 0 (a form without the field) keeps it.
func (s *Store) setPaymentTerm(ctx context.Context, tx *sql.Tx, a Actor, days int) error {
	if days == 0 {
		return nil
	}
	var was int
	if err := tx.QueryRowContext(ctx, `SELECT payment_term_days FROM vendor WHERE id = 1`).Scan(&was); err != nil {
		return err
	}
	if was == days {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE vendor SET payment_term_days = ? WHERE id = 1`, days); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, a, 0, AuditPaymentTerm, fmt.Sprintf("%d → %d", was, days))
}

// MissingPayeeDetails names, as the catalog keys of their labels, the bank
// details invoices print for the payee that the vendor has left empty: an
// invoice without them cannot be paid.
func (v Vendor) MissingPayeeDetails() []string {
	var missing []string
	for _, f := range []struct{ key, value string }{
		{"company.inn", v.INN}, {"vendor.bank_name", v.BankName}, {"vendor.bik", v.BIK},
		{"vendor.corr_account", v.CorrAccount}, {"vendor.bank_account", v.BankAccount},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.key)
		}
	}
	return missing
}
