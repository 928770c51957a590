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

// Subscription kinds and statuses.
const (
	KindPeriodic = "periodic"
	KindOneOff   = "one_off"

	StatusActive    = "active"
	StatusPending   = "pending"
	StatusExpired   = "expired"
	StatusCancelled = "cancelled"
)

// Statuses lists every status in the order filters offer them.
var Statuses = []string{StatusActive, StatusPending, StatusExpired, StatusCancelled}

// OneOffDays is for how many days, today included, a bought one-off support
// request may be used.
const OneOffDays = 30

// OneOffPeriod is the period of a one-off request bought on the day.
func OneOffPeriod(today time.Time) (from, to time.Time) {
	return today, today.AddDate(0, 0, OneOffDays-1)
}

// Subscription is a company's subscription to a tariff of a connected service.
type Subscription struct {
	ID               int64
	CompanyID        int64
	CompanyServiceID int64
	TariffName       string
	Unit             string
	Kind             string
	Status           string
	Price            money.Kopecks
	PeriodFrom       time.Time
	PeriodTo         time.Time
	CreatedAt        time.Time
}

// InsufficientFunds refuses a purchase the balance cannot pay for.
type InsufficientFunds struct {
	Missing money.Kopecks
}

func (e InsufficientFunds) Error() string { return "subscription.insufficient" }

// StillOpen refuses a second subscription of a kind bought one at a time
// while the first lasts.
type StillOpen struct {
	Until time.Time // the last day of the open one
}

func (e StillOpen) Error() string { return "subscription.still_open" }

// ErrBadPeriod refuses a period that ends before it starts.
var ErrBadPeriod = errors.New("subscription.bad_period")

const subscriptionColumns = `su.id, su.company_id, su.company_service_id, t.name, t.unit, su.kind, su.status, su.price,
	su.period_from, su.period_to, su.created_at`

func scanSubscription(row scanner) (Subscription, error) {
	var su Subscription
	var from, to, created string
	err := row.Scan(&su.ID, &su.CompanyID, &su.CompanyServiceID, &su.TariffName, &su.Unit, &su.Kind, &su.Status, &su.Price,
		&from, &to, &created)
	su.PeriodFrom, su.PeriodTo, su.CreatedAt = parseDate(from), parseDate(to), parseTime(created)
	return su, err
}

// Subscriptions lists a service's subscriptions, newest first; status "" means any.
func (s *Store) Subscriptions(ctx context.Context, companyID, companyServiceID int64, status string) ([]Subscription, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions su JOIN tariffs t ON t.id = su.tariff_id
		WHERE su.company_id = ? AND su.company_service_id = ? AND (? = '' OR su.status = ?)
		ORDER BY su.period_from DESC, su.id DESC LIMIT 200`, companyID, companyServiceID, status, status)
	if err != nil {
		return nil, fmt.Errorf("db: subscriptions: %w", err)
	}
	defer rows.Close()
	var out []Subscription
	for rows.Next() {
		su, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("db: subscriptions: %w", err)
		}
		out = append(out, su)
	}
	return out, rows.Err()
}

// CompanySubscription returns one subscription of a company; another company's is ErrNotFound.
func (s *Store) CompanySubscription(ctx context.Context, companyID, id int64) (Subscription, error) {
	return queryOne(ctx, s.r, scanSubscription, fmt.Sprintf("subscription %d", id), `SELECT `+subscriptionColumns+`
		FROM subscriptions su JOIN tariffs t ON t.id = su.tariff_id WHERE su.id = ? AND su.company_id = ?`, id, companyID)
}

// SubscriptionByID returns any company's subscription; only the back office may use it.
func (s *Store) SubscriptionByID(ctx context.Context, id int64) (Subscription, error) {
	return queryOne(ctx, s.r, scanSubscription, fmt.Sprintf("subscription %d", id), `SELECT `+subscriptionColumns+`
		FROM subscriptions su JOIN tariffs t ON t.id = su.tariff_id WHERE su.id = ?`, id)
}

// NewSubscription is what subscribing needs.
type NewSubscription struct {
	Service    CompanyService
	Tariff     Tariff
	Kind       string
	PeriodFrom time.Time
	PeriodTo   time.Time
	Today      time.Time // the company's today, which decides pending or active
	// RequireFunds refuses the subscription when the balance cannot pay
	// (a client's purchase); the back office may let a balance go negative.
	RequireFunds bool
	// OneAtATime refuses it while another of its kind to the service is
	// active or pending: a client buys one one-off request, not two by mistake.
	OneAtATime bool
	Key        string // idempotency key of the charge
}

// Subscribe creates a subscription and charges its price to the service's
// balance, in one transaction.
func (s *Store) Subscribe(ctx context.Context, a Actor, ns NewSubscription) (int64, error) {
	if ns.PeriodTo.Before(ns.PeriodFrom) {
		return 0, ErrBadPeriod
	}
	if ns.Tariff.ArchivedAt != nil {
		return 0, ErrTariffArchived
	}
	if ns.Tariff.ServiceID != ns.Service.ServiceID {
		return 0, fmt.Errorf("db: tariff %d is not for this service: %w", ns.Tariff.ID, ErrNotFound)
	}
	status := StatusActive
	switch {
	case ns.PeriodFrom.After(ns.Today):
		status = StatusPending
	case ns.PeriodTo.Before(ns.Today):
		status = StatusExpired
	}
	if ns.Key == "" {
		return 0, ErrNoIdempotencyKey
	}
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		// This very purchase made before (a double click, a repeated post):
		// answer with that subscription, change nothing.
		err := tx.QueryRowContext(ctx, `SELECT id FROM subscriptions WHERE idempotency_key = ?`, ns.Key).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if ns.OneAtATime {
			var until sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT max(period_to) FROM subscriptions WHERE company_service_id = ? AND kind = ?
				AND status IN (?, ?) AND period_to >= ?`, ns.Service.ID, ns.Kind, StatusActive, StatusPending, formatDate(ns.Today)).Scan(&until); err != nil {
				return err
			}
			if until.Valid {
				return StillOpen{Until: parseDate(until.String)}
			}
		}
		if ns.RequireFunds {
			var balance money.Kopecks
			if err := tx.QueryRowContext(ctx, `SELECT balance FROM company_services WHERE id = ?`, ns.Service.ID).Scan(&balance); err != nil {
				return err
			}
			if balance < ns.Tariff.Price {
				return InsufficientFunds{Missing: ns.Tariff.Price - balance}
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (company_id, company_service_id, tariff_id, kind, status, price,
			period_from, period_to, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ns.Service.CompanyID, ns.Service.ID, ns.Tariff.ID, ns.Kind, status, int64(ns.Tariff.Price),
			formatDate(ns.PeriodFrom), formatDate(ns.PeriodTo), ns.Key, formatTime(s.Now()))
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if ns.Tariff.Price > 0 {
			if _, _, err := s.post(ctx, tx, Entry{CompanyServiceID: ns.Service.ID, Amount: -ns.Tariff.Price,
				Source: SourceSubscription, Units: 1, Description: ns.Tariff.Name, Ref: "subscription:" + strconv.FormatInt(id, 10),
				IdempotencyKey: ns.Key}); err != nil {
				return err
			}
		}
		return s.writeAudit(ctx, tx, a, ns.Service.CompanyID, AuditSubscribed,
			fmt.Sprintf("%s: %s, %s", ns.Service.ServiceCode, ns.Tariff.Name, ns.Tariff.Price))
	})
	if err != nil {
		return 0, fmt.Errorf("db: subscribe: %w", err)
	}
	return id, nil
}

// CancelSubscription cancels a subscription; refund returns its price to the balance.
func (s *Store) CancelSubscription(ctx context.Context, a Actor, su Subscription, refund bool) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = ?, cancelled_at = ?
			WHERE id = ? AND status IN (?, ?)`, StatusCancelled, formatTime(s.Now()), su.ID, StatusActive, StatusPending)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already cancelled or over: nothing to do
		}
		if refund && su.Price > 0 {
			ref := "subscription:" + strconv.FormatInt(su.ID, 10)
			if _, _, err := s.post(ctx, tx, Entry{CompanyServiceID: su.CompanyServiceID, Amount: su.Price, Source: SourceRefund, Units: 1,
				Description: su.TariffName, Ref: ref, IdempotencyKey: "refund:" + ref}); err != nil {
				return err
			}
		}
		return s.writeAudit(ctx, tx, a, su.CompanyID, AuditUnsubscribed, fmt.Sprintf("%s, %s", su.TariffName, su.Price))
	})
	if err != nil {
		return fmt.Errorf("db: cancel subscription %d: %w", su.ID, err)
	}
	return nil
}

// AdvanceSubscriptions starts pending subscriptions whose period has come and
// expires those whose period has ended, each by the calendar of its
// company's time zone. It returns how many changed.
func (s *Store) AdvanceSubscriptions(ctx context.Context) (int64, error) {
	var n int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT timezone FROM companies`)
		if err != nil {
			return err
		}
		var zones []string
		for rows.Next() {
			var tz string
			if err := rows.Scan(&tz); err != nil {
				rows.Close()
				return err
			}
			zones = append(zones, tz)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, tz := range zones {
			day := formatDate(Today(s.Now(), Company{Timezone: tz}.Location()))
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`UPDATE subscriptions SET status = ? WHERE status IN (?, ?) AND period_to < ?
					AND company_id IN (SELECT id FROM companies WHERE timezone = ?)`, []any{StatusExpired, StatusActive, StatusPending, day, tz}},
				{`UPDATE subscriptions SET status = ? WHERE status = ? AND period_from <= ?
					AND company_id IN (SELECT id FROM companies WHERE timezone = ?)`, []any{StatusActive, StatusPending, day, tz}},
			} {
				res, err := tx.ExecContext(ctx, q.sql, q.args...)
				if err != nil {
					return err
				}
				changed, _ := res.RowsAffected()
				n += changed
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("db: advance subscriptions: %w", err)
	}
	return n, nil
}
