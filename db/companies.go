package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // companies' time zones work on hosts without a zoneinfo database

	"elk/db/auth"
	"elk/db/money"
)

// Company is a client of the vendor: a taxi service.
type Company struct {
	ID            int64
	Name          string // short name shown in the header, «Такси Пример»
	LegalName     string // full legal name for documents, ООО «Такси Пример»
	INN           string
	KPP           string
	OGRN          string
	Address       string
	Country       string // ISO 3166-1 alpha-2, "RU"
	Timezone      string // IANA name, "Europe/Moscow"
	ManagerID     int64  // the vendor's staff user who looks after the company; 0 if none
	NotifyEnabled bool   // notifications are switched on by the manager
	// SMSAlertThreshold is the SMS balance below which the company is alerted.
	SMSAlertThreshold money.Kopecks
	// AlertInvoice makes the low-balance alert carry an invoice for the
	// usual top-up (the manager's switch; see alertPayment).
	AlertInvoice bool
	Contract     Contract // printed as every document's basis
	Signer       Signer   // who signs documents for the company
	VAT          VATMode
	CreatedAt    time.Time
	UserCount    int // filled by ListCompanies
}

// Location is the company's time zone, Moscow if the stored name is unknown.
func (c Company) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		loc, _ = time.LoadLocation("Europe/Moscow")
	}
	return loc
}

// companyColumns are a company's columns in a query over companies co.
const companyColumns = `co.id, co.name, co.legal_name, co.inn, co.kpp, co.ogrn, co.address, co.country, co.timezone,
	COALESCE(co.manager_id, 0), co.notify_enabled, co.sms_alert_threshold, co.contract_number, co.contract_date,
	co.signer_name, co.signer_position, co.vat_mode, co.vat_rate, co.vat_reason, co.created_at, co.alert_invoice`

// companyRow receives companyColumns; company finishes the company from it.
type companyRow struct {
	c            Company
	contractDate sql.NullString
	vatRate      sql.NullInt64
	created      string
}

func (r *companyRow) dest() []any {
	c := &r.c
	return []any{&c.ID, &c.Name, &c.LegalName, &c.INN, &c.KPP, &c.OGRN, &c.Address, &c.Country, &c.Timezone,
		&c.ManagerID, &c.NotifyEnabled, &c.SMSAlertThreshold, &c.Contract.Number, &r.contractDate,
		&c.Signer.Name, &c.Signer.Position, &c.VAT.Mode, &r.vatRate, &c.VAT.Reason, &r.created, &c.AlertInvoice}
}

func (r *companyRow) company() Company {
	c := r.c
	c.CreatedAt, c.Contract.Date, c.VAT.Rate = parseTime(r.created), parseNullDate(r.contractDate), int(r.vatRate.Int64)
	return c
}

func scanCompany(row scanner, extra ...any) (Company, error) {
	var r companyRow
	if err := row.Scan(append(r.dest(), extra...)...); err != nil {
		return Company{}, err
	}
	return r.company(), nil
}

// scanCompanyRow scans companyColumns alone.
func scanCompanyRow(row scanner) (Company, error) { return scanCompany(row) }

// Company returns one company by id.
func (s *Store) Company(ctx context.Context, id int64) (Company, error) {
	return queryOne(ctx, s.r, scanCompanyRow, fmt.Sprintf("company %d", id), `SELECT `+companyColumns+` FROM companies co WHERE co.id = ?`, id)
}

// ListCompanies returns the companies whose name, legal name or ИНН contains
// query (all when empty), by name, with their user counts. The match ignores
// case in any alphabet (SQLite's LIKE folds only Latin letters) and ё/е; a
// vendor has hundreds of clients, not millions, so it is done here.
func (s *Store) ListCompanies(ctx context.Context, query string) ([]Company, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+companyColumns+`,
		(SELECT count(*) FROM users u WHERE u.company_id = co.id AND u.disabled_at IS NULL)
		FROM companies co ORDER BY co.name COLLATE NOCASE, co.id`)
	if err != nil {
		return nil, fmt.Errorf("db: list companies: %w", err)
	}
	defer rows.Close()
	var out []Company
	for rows.Next() {
		var n int
		c, err := scanCompany(rows, &n)
		if err != nil {
			return nil, fmt.Errorf("db: list companies: %w", err)
		}
		c.UserCount = n
		if matches(query, c.Name, c.LegalName, c.INN) {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

var searchFold = strings.NewReplacer("ё", "е")

// matches reports whether any of the texts contains the query, ignoring case and ё/е.
func matches(query string, texts ...string) bool {
	q := searchFold.Replace(strings.ToLower(strings.TrimSpace(query)))
	for _, t := range texts {
		if strings.Contains(searchFold.Replace(strings.ToLower(t)), q) {
			return true
		}
	}
	return false
}

// CreateCompany adds a client company.
func (s *Store) CreateCompany(ctx context.Context, a Actor, c Company) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.createCompany(ctx, tx, a, c)
		return err
	})
	return id, err
}

func (s *Store) createCompany(ctx context.Context, tx *sql.Tx, a Actor, c Company) (int64, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO companies (name, legal_name, inn, kpp, ogrn, address, country, timezone, manager_id, notify_enabled,
			sms_alert_threshold, contract_number, contract_date, signer_name, signer_position, vat_mode, vat_rate,
			vat_reason, created_at, alert_invoice)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Name, c.LegalName, c.INN, c.KPP, c.OGRN, c.Address, c.Country, c.Timezone,
		nullIfZero(c.ManagerID), c.NotifyEnabled, int64(c.SMSAlertThreshold), c.Contract.Number, nullDate(c.Contract.Date),
		c.Signer.Name, c.Signer.Position, c.VAT.modeToDB(), c.VAT.rateToDB(), c.VAT.Reason, formatTime(s.Now()), c.AlertInvoice)
	if err != nil {
		return 0, fmt.Errorf("db: create company: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("db: create company: %w", err)
	}
	return id, s.writeAudit(ctx, tx, a, id, AuditCompanyCreated, c.Name)
}

// CreateCompanyWithOwner adds a company with its owner and notification
// contacts in one transaction, so that no company is left without the user
// who finds it (the demo finds its companies by their owners' logins).
func (s *Store) CreateCompanyWithOwner(ctx context.Context, a Actor, c Company, owner NewUser, contacts NotificationContacts) (int64, error) {
	hash, err := auth.HashPassword(owner.Password)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		if id, err = s.createCompany(ctx, tx, a, c); err != nil {
			return err
		}
		owner.CompanyID = id
		if _, err := s.insertUser(ctx, tx, a, owner, hash); err != nil {
			return err
		}
		if len(contacts.Emails)+len(contacts.Phones) == 0 {
			return nil
		}
		return s.setCompanyContacts(ctx, tx, a, id, contacts)
	})
	if err != nil {
		return 0, fmt.Errorf("db: create company %s: %w", c.Name, err)
	}
	return id, nil
}

// UpdateCompany saves a company's requisites and settings (back office).
func (s *Store) UpdateCompany(ctx context.Context, a Actor, c Company) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var wasInvoice bool
		var zone string
		err := tx.QueryRowContext(ctx, `SELECT alert_invoice, timezone FROM companies WHERE id = ?`, c.ID).Scan(&wasInvoice, &zone)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE companies SET name = ?, legal_name = ?, inn = ?, kpp = ?, ogrn = ?, address = ?, country = ?,
				timezone = ?, manager_id = ?, notify_enabled = ?, sms_alert_threshold = ?, contract_number = ?,
				contract_date = ?, signer_name = ?, signer_position = ?, vat_mode = ?, vat_rate = ?, vat_reason = ?,
				alert_invoice = ?
			WHERE id = ?`,
			c.Name, c.LegalName, c.INN, c.KPP, c.OGRN, c.Address, c.Country, c.Timezone,
			nullIfZero(c.ManagerID), c.NotifyEnabled, int64(c.SMSAlertThreshold), c.Contract.Number, nullDate(c.Contract.Date),
			c.Signer.Name, c.Signer.Position, c.VAT.modeToDB(), c.VAT.rateToDB(), c.VAT.Reason, c.AlertInvoice, c.ID)
		if err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, a, c.ID, AuditCompanyUpdated, c.Name); err != nil {
			return err
		}
		if zone != c.Timezone {
			if err := rebucketSMSDays(ctx, tx, c.ID, Company{Timezone: zone}.Location(), c.Location()); err != nil {
				return err
			}
		}
		if c.AlertInvoice != wasInvoice {
			if err := s.writeAudit(ctx, tx, a, c.ID, AuditAlertInvoice, onOff(c.AlertInvoice)); err != nil {
				return err
			}
		}
		// A new threshold or notifications switched on may make an alert due.
		return s.checkSMSAlert(ctx, tx, c.ID)
	})
	if err != nil {
		return fmt.Errorf("db: update company %d: %w", c.ID, err)
	}
	return nil
}
