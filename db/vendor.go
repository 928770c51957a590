package db

import (
	"context"
	"database/sql"
	"fmt"

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
	Email       string
	Phone       string
	VATRate     int // percent printed on documents; money.NoVAT for «Без НДС»
}

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
	err := q.QueryRowContext(ctx, `SELECT name, legal_name, inn, kpp, ogrn, address, bank_name, bik,
		bank_account, corr_account, director, email, phone, vat_rate FROM vendor WHERE id = 1`).
		Scan(&v.Name, &v.LegalName, &v.INN, &v.KPP, &v.OGRN, &v.Address, &v.BankName, &v.BIK,
			&v.BankAccount, &v.CorrAccount, &v.Director, &v.Email, &v.Phone, &vat)
	v.VATRate = vatFromDB(vat)
	return v, err
}

// UpdateVendor saves the vendor's requisites.
func (s *Store) UpdateVendor(ctx context.Context, a Actor, v Vendor) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE vendor SET name = ?, legal_name = ?, inn = ?, kpp = ?, ogrn = ?,
			address = ?, bank_name = ?, bik = ?, bank_account = ?, corr_account = ?, director = ?, email = ?, phone = ?,
			vat_rate = ?, updated_at = ? WHERE id = 1`,
			v.Name, v.LegalName, v.INN, v.KPP, v.OGRN, v.Address, v.BankName, v.BIK, v.BankAccount, v.CorrAccount,
			v.Director, v.Email, v.Phone, vatToDB(v.VATRate), formatTime(s.Now())); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, 0, AuditVendorUpdated, v.Name)
	})
	if err != nil {
		return fmt.Errorf("db: update vendor: %w", err)
	}
	return nil
}
