package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"elk/db/money"
)

// Service codes of the vendor's catalog.
const (
	ServiceSMS     = "sms"
	ServiceSupport = "support"
	ServiceTMDrive = "tmdrive"
)

// ServiceCodes lists the catalog in its order; the catalog's ids follow it (1, 2, 3).
var ServiceCodes = []string{ServiceSMS, ServiceSupport, ServiceTMDrive}

// Units a tariff is priced in.
const (
	UnitSMSPart = "sms_part"
	UnitMonth   = "month"
	UnitRequest = "request"
)

// Units lists every unit in the order forms offer them.
var Units = []string{UnitSMSPart, UnitMonth, UnitRequest}

// Tariff is a price of a service per unit, valid over a range of days.
type Tariff struct {
	ID          int64
	ServiceID   int64
	ServiceCode string
	Name        string
	Price       money.Kopecks
	Unit        string
	ValidFrom   time.Time
	ValidTo     *time.Time // nil when open-ended
	ArchivedAt  *time.Time
	InUse       bool // a company, subscription or invoice refers to it
}

// ValidOn reports whether the tariff can be chosen on the day.
func (t Tariff) ValidOn(day time.Time) bool {
	return t.ArchivedAt == nil && !day.Before(t.ValidFrom) && (t.ValidTo == nil || !day.After(*t.ValidTo))
}

// Offered reports whether the tariff can still be chosen on the day or later:
// not archived and not expired.
func (t Tariff) Offered(day time.Time) bool {
	return t.ArchivedAt == nil && (t.ValidTo == nil || !day.After(*t.ValidTo))
}

// ErrTariffArchived refuses to connect or subscribe to a tariff that is no longer offered.
var ErrTariffArchived = errors.New("tariff.archived")

const tariffColumns = `t.id, t.service_id, sv.code, t.name, t.price, t.unit, t.valid_from, t.valid_to, t.archived_at,
	EXISTS (SELECT 1 FROM company_services cs WHERE cs.tariff_id = t.id) OR EXISTS (SELECT 1 FROM subscriptions su WHERE su.tariff_id = t.id)
	OR EXISTS (SELECT 1 FROM invoices iv WHERE iv.tariff_id = t.id)`

func scanTariff(row scanner) (Tariff, error) {
	var t Tariff
	var from string
	var to, archived sql.NullString
	err := row.Scan(&t.ID, &t.ServiceID, &t.ServiceCode, &t.Name, &t.Price, &t.Unit, &from, &to, &archived, &t.InUse)
	if err != nil {
		return t, err
	}
	t.ValidFrom, t.ValidTo, t.ArchivedAt = parseDate(from), parseNullDate(to), parseNullTime(archived)
	return t, nil
}

// Tariffs lists the tariffs of every service (or of one service when
// serviceID is not 0): current ones first, then by service and name.
func (s *Store) Tariffs(ctx context.Context, serviceID int64) ([]Tariff, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+tariffColumns+` FROM tariffs t JOIN services sv ON sv.id = t.service_id
		WHERE ?1 = 0 OR t.service_id = ?1
		ORDER BY t.archived_at IS NOT NULL, sv.position, t.valid_from DESC, t.name`, serviceID)
	if err != nil {
		return nil, fmt.Errorf("db: tariffs: %w", err)
	}
	defer rows.Close()
	var out []Tariff
	for rows.Next() {
		t, err := scanTariff(rows)
		if err != nil {
			return nil, fmt.Errorf("db: tariffs: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TariffByID returns one tariff.
func (s *Store) TariffByID(ctx context.Context, id int64) (Tariff, error) {
	return queryOne(ctx, s.r, scanTariff, fmt.Sprintf("tariff %d", id), `SELECT `+tariffColumns+` FROM tariffs t
		JOIN services sv ON sv.id = t.service_id WHERE t.id = ?`, id)
}

// CreateTariff adds a tariff to the catalog.
func (s *Store) CreateTariff(ctx context.Context, a Actor, t Tariff) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO tariffs (service_id, name, price, unit, valid_from, valid_to, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.ServiceID, t.Name, int64(t.Price), t.Unit, formatDate(t.ValidFrom), nullDate(t.ValidTo), formatTime(s.Now()))
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, 0, AuditTariffCreated, fmt.Sprintf("%s: %s, %s", t.Name, t.Price, t.Unit))
	})
	if err != nil {
		return 0, fmt.Errorf("db: create tariff: %w", err)
	}
	return id, nil
}

// RetireTariff takes a tariff out of the offer: a tariff in use is archived
// (what it priced stays explained), an unused one is deleted.
func (s *Store) RetireTariff(ctx context.Context, a Actor, t Tariff) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var inUse bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM company_services WHERE tariff_id = ?1)
			OR EXISTS (SELECT 1 FROM subscriptions WHERE tariff_id = ?1) OR EXISTS (SELECT 1 FROM invoices WHERE tariff_id = ?1)`, t.ID).Scan(&inUse); err != nil {
			return err
		}
		if inUse {
			if _, err := tx.ExecContext(ctx, `UPDATE tariffs SET archived_at = ? WHERE id = ? AND archived_at IS NULL`,
				formatTime(s.Now()), t.ID); err != nil {
				return err
			}
			return s.writeAudit(ctx, tx, a, 0, AuditTariffArchived, t.Name)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tariffs WHERE id = ?`, t.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, 0, AuditTariffDeleted, t.Name)
	})
	if err != nil {
		return fmt.Errorf("db: retire tariff %d: %w", t.ID, err)
	}
	return nil
}

// CurrentTariff is the tariff a service is invoiced at among those valid
// today: its own while it is, else the newest of the same unit (the one that
// took its place), else the newest valid one; nil when none is valid.
func CurrentTariff(own Tariff, valid []Tariff) *Tariff {
	better := func(t, than *Tariff) bool {
		if (t.Unit == own.Unit) != (than.Unit == own.Unit) {
			return t.Unit == own.Unit
		}
		return t.ValidFrom.After(than.ValidFrom)
	}
	var best *Tariff
	for i := range valid {
		t := &valid[i]
		if t.ID == own.ID {
			return t
		}
		if best == nil || better(t, best) {
			best = t
		}
	}
	return best
}

// currentTariff is CurrentTariff of a connected service on the vendor's day.
func currentTariff(ctx context.Context, q querier, cs CompanyService, today time.Time) (*Tariff, error) {
	all, err := queryAll(ctx, q, scanTariff, `SELECT `+tariffColumns+` FROM tariffs t JOIN services sv ON sv.id = t.service_id
		WHERE t.service_id = ?`, cs.ServiceID)
	if err != nil {
		return nil, fmt.Errorf("db: tariffs of service %d: %w", cs.ServiceID, err)
	}
	return CurrentTariff(cs.Tariff, slices.DeleteFunc(all, func(t Tariff) bool { return !t.ValidOn(today) })), nil
}
