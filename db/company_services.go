package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"elk/db/money"
)

// CompanyService is a service connected to a company, with its balance.
type CompanyService struct {
	ID          int64
	CompanyID   int64
	ServiceID   int64
	ServiceCode string
	Tariff      Tariff
	Balance     money.Kopecks
	PeriodFrom  time.Time
	PeriodTo    *time.Time // nil when open-ended
	Active      bool
}

// ErrServiceConnected refuses to connect a service a second time.
var ErrServiceConnected = errors.New("service.already_connected")

const companyServiceColumns = `cs.id, cs.company_id, cs.service_id, cs.balance, cs.period_from, cs.period_to, cs.active, ` + tariffColumns

const companyServiceFrom = ` FROM company_services cs JOIN tariffs t ON t.id = cs.tariff_id JOIN services sv ON sv.id = cs.service_id `

func scanCompanyService(row scanner) (CompanyService, error) {
	var cs CompanyService
	var from string
	var to sql.NullString
	var t Tariff
	var tFrom string
	var tTo, tArchived sql.NullString
	err := row.Scan(&cs.ID, &cs.CompanyID, &cs.ServiceID, &cs.Balance, &from, &to, &cs.Active,
		&t.ID, &t.ServiceID, &t.ServiceCode, &t.Name, &t.Price, &t.Unit, &tFrom, &tTo, &tArchived, &t.InUse)
	if err != nil {
		return cs, err
	}
	t.ValidFrom, t.ValidTo, t.ArchivedAt = parseDate(tFrom), parseNullDate(tTo), parseNullTime(tArchived)
	cs.Tariff, cs.ServiceCode = t, t.ServiceCode
	cs.PeriodFrom, cs.PeriodTo = parseDate(from), parseNullDate(to)
	return cs, nil
}

// CompanyServices lists a company's connected services in catalog order;
// activeOnly leaves out the switched-off ones.
func (s *Store) CompanyServices(ctx context.Context, companyID int64, activeOnly bool) ([]CompanyService, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+companyServiceColumns+companyServiceFrom+`
		WHERE cs.company_id = ? AND (? = 0 OR cs.active = 1) ORDER BY sv.position`, companyID, activeOnly)
	if err != nil {
		return nil, fmt.Errorf("db: services of %d: %w", companyID, err)
	}
	defer rows.Close()
	var out []CompanyService
	for rows.Next() {
		cs, err := scanCompanyService(rows)
		if err != nil {
			return nil, fmt.Errorf("db: services of %d: %w", companyID, err)
		}
		out = append(out, cs)
	}
	return out, rows.Err()
}

// CompanyServiceChoices returns a company's connected services, active or
// not, with only what a select or a filter of services needs: their ids,
// catalog codes, whether active and the current tariff's id. It costs a
// fraction of reading whole services, which every page with such a select
// would pay.
func (s *Store) CompanyServiceChoices(ctx context.Context, companyID int64) ([]CompanyService, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (CompanyService, error) {
		cs := CompanyService{CompanyID: companyID}
		return cs, row.Scan(&cs.ID, &cs.ServiceID, &cs.ServiceCode, &cs.Active, &cs.Tariff.ID)
	}, `SELECT cs.id, cs.service_id, sv.code, cs.active, cs.tariff_id FROM company_services cs JOIN services sv ON sv.id = cs.service_id
		WHERE cs.company_id = ? ORDER BY sv.position`, companyID)
	if err != nil {
		return nil, fmt.Errorf("db: services of %d: %w", companyID, err)
	}
	return out, nil
}

// CompanyService returns a company's connected service; another company's is ErrNotFound.
func (s *Store) CompanyService(ctx context.Context, companyID, id int64) (CompanyService, error) {
	return queryOne(ctx, s.r, scanCompanyService, fmt.Sprintf("company %d service %d", companyID, id),
		`SELECT `+companyServiceColumns+companyServiceFrom+`WHERE cs.id = ? AND cs.company_id = ?`, id, companyID)
}

// CompanyServiceByID returns any company's connected service; only the back office may use it.
func (s *Store) CompanyServiceByID(ctx context.Context, id int64) (CompanyService, error) {
	return queryOne(ctx, s.r, scanCompanyService, fmt.Sprintf("company service %d", id),
		`SELECT `+companyServiceColumns+companyServiceFrom+`WHERE cs.id = ?`, id)
}

// ConnectService connects a service to a company at a tariff of that service.
func (s *Store) ConnectService(ctx context.Context, a Actor, companyID int64, t Tariff, from time.Time, to *time.Time) (int64, error) {
	if t.ArchivedAt != nil {
		return 0, ErrTariffArchived
	}
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO company_services (company_id, service_id, tariff_id, period_from, period_to, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, service_id) DO NOTHING`,
			companyID, t.ServiceID, t.ID, formatDate(from), nullDate(to), formatTime(s.Now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrServiceConnected
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditServiceAdded, t.ServiceCode+": "+t.Name)
	})
	if err != nil {
		return 0, fmt.Errorf("db: connect service: %w", err)
	}
	return id, nil
}

// UpdateCompanyService changes a connected service's tariff, period and whether it is active.
func (s *Store) UpdateCompanyService(ctx context.Context, a Actor, cs CompanyService, t Tariff) error {
	if t.ServiceID != cs.ServiceID {
		return fmt.Errorf("db: tariff %d is not for service %d: %w", t.ID, cs.ServiceID, ErrNotFound)
	}
	if t.ArchivedAt != nil && t.ID != cs.Tariff.ID {
		return ErrTariffArchived
	}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE company_services SET tariff_id = ?, period_from = ?, period_to = ?, active = ?
			WHERE id = ?`, t.ID, formatDate(cs.PeriodFrom), nullDate(cs.PeriodTo), cs.Active, cs.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, cs.CompanyID, AuditServiceChanged, cs.ServiceCode+": "+t.Name)
	})
	if err != nil {
		return fmt.Errorf("db: update company service %d: %w", cs.ID, err)
	}
	return nil
}

// Correct posts a manual correction of a balance with its reason, audited in
// the same transaction. The key makes a repeated form post harmless.
func (s *Store) Correct(ctx context.Context, a Actor, cs CompanyService, amount money.Kopecks, reason, key string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		_, created, err := s.post(ctx, tx, Entry{CompanyServiceID: cs.ID, Amount: amount, Source: SourceCorrection,
			Description: reason, Ref: "user:" + strconv.FormatInt(a.UserID, 10), IdempotencyKey: key})
		if err != nil || !created {
			return err
		}
		return s.writeAudit(ctx, tx, a, cs.CompanyID, AuditCorrection, fmt.Sprintf("%s %s: %s", cs.ServiceCode, amount, reason))
	})
	if err != nil {
		return fmt.Errorf("db: correct service %d: %w", cs.ID, err)
	}
	return nil
}

// MonthTotal is what a service spent and received in one calendar month.
type MonthTotal struct {
	Month   time.Time     // the first day of the month
	Debits  money.Kopecks // spent, as a positive amount
	Credits money.Kopecks
	Count   int
}

// MonthTotals returns a service's totals for its last months, newest first, from the roll-up.
func (s *Store) MonthTotals(ctx context.Context, companyServiceID int64, months int) ([]MonthTotal, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT month, debits, credits, count FROM ledger_months
		WHERE company_service_id = ? ORDER BY month DESC LIMIT ?`, companyServiceID, months)
	if err != nil {
		return nil, fmt.Errorf("db: month totals: %w", err)
	}
	defer rows.Close()
	var out []MonthTotal
	for rows.Next() {
		var m MonthTotal
		var month string
		if err := rows.Scan(&month, &m.Debits, &m.Credits, intInto{&m.Count}); err != nil {
			return nil, fmt.Errorf("db: month totals: %w", err)
		}
		m.Month, _ = time.Parse("2006-01", month)
		out = append(out, m)
	}
	return out, rows.Err()
}
