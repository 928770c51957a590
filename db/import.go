package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"elk/db/money"
)

// ImportTransactions records many entries of one connected service in one
// transaction, as Post would one by one, but in batches: benchmarks'
// million rows load in seconds. Entries whose
// idempotency key exists are skipped, so an import can be repeated.
func (s *Store) ImportTransactions(ctx context.Context, companyServiceID int64, entries []Entry) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		return s.importTransactions(ctx, tx, companyServiceID, entries)
	})
}

// ServiceHistory is a connected service's past, as ImportHistory takes it:
// its ledger with the subscriptions and SMS the entries paid for.
type ServiceHistory struct {
	Entries       []Entry // oldest first
	Subscriptions []PastSubscription
	SMS           []PastSMS
}

// PastSubscription is a subscription of the history, paid by Entries[Charge].
type PastSubscription struct {
	Tariff   Tariff
	Kind     string
	Status   string
	From, To time.Time
	Key      string // its idempotency key
	Charge   int
}

// PastSMS is a message of the history, paid by the debit Entries[Entry]
// (checked; the stored message does not keep which).
type PastSMS struct {
	SentSMS
	StatusAt time.Time // when its status was reported
	Entry    int
}

// ImportHistory records a connected service's past in one transaction: the
// subscriptions, created when their charges were, the ledger's entries
// (each subscription's charge referring to it) and the SMS with their
// daily roll-up. Filling a table that is still empty, it builds the
// table's indexes once at the end (see buildIndexesAfter): a year of the
// demo's history loads in a few seconds. A history is imported once: a
// second import of the same subscriptions or messages fails on their keys
// and writes nothing.
func (s *Store) ImportHistory(ctx context.Context, cs CompanyService, h ServiceHistory) error {
	if err := h.check(); err != nil {
		return fmt.Errorf("db: import history of service %d: %w", cs.ID, err)
	}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		entries := slices.Clone(h.Entries)
		for _, sub := range h.Subscriptions {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO subscriptions (company_id, company_service_id, tariff_id, kind, status, price,
				period_from, period_to, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				cs.CompanyID, cs.ID, sub.Tariff.ID, sub.Kind, sub.Status, int64(sub.Tariff.Price), formatDate(sub.From), formatDate(sub.To),
				sub.Key, formatTime(entries[sub.Charge].At)).Scan(&id)
			if err != nil {
				return fmt.Errorf("subscription %s: %w", sub.Key, err)
			}
			entries[sub.Charge].Ref = "subscription:" + strconv.FormatInt(id, 10)
		}
		return buildIndexesAfter(ctx, tx, []string{"transactions", "sms"}, func() error {
			if err := s.importTransactions(ctx, tx, cs.ID, entries); err != nil {
				return err
			}
			return s.importSMS(ctx, tx, cs, h.SMS)
		})
	})
	if err != nil {
		return fmt.Errorf("db: import history of service %d: %w", cs.ID, err)
	}
	return nil
}

// check refuses a history whose subscriptions or messages name an entry
// it does not have.
func (h ServiceHistory) check() error {
	for _, sub := range h.Subscriptions {
		if sub.Charge < 0 || sub.Charge >= len(h.Entries) {
			return fmt.Errorf("subscription %s: no entry %d", sub.Key, sub.Charge)
		}
	}
	for _, m := range h.SMS {
		if m.Entry < 0 || m.Entry >= len(h.Entries) {
			return fmt.Errorf("sms to %s: no entry %d", m.Phone, m.Entry)
		}
	}
	return nil
}

// importSMS stores a history's messages, with their daily roll-up written
// once at the end. (Which debit paid for each is kept in the ledger's
// units, not on the messages.)
func (s *Store) importSMS(ctx context.Context, tx *sql.Tx, cs CompanyService, messages []PastSMS) error {
	if len(messages) == 0 {
		return nil
	}
	var tz string
	if err := tx.QueryRowContext(ctx, `SELECT timezone FROM companies WHERE id = ?`, cs.CompanyID).Scan(&tz); err != nil {
		return err
	}
	rows := make([]storedSMS, len(messages))
	for i, m := range messages {
		rows[i] = storedSMS{SentSMS: m.SentSMS, StatusAt: m.StatusAt, Cost: money.Kopecks(m.Parts) * cs.Tariff.Price}
	}
	return writeSMS(ctx, tx, cs.CompanyID, Company{Timezone: tz}.Location(), rows)
}

// importTransactions records the entries, skipping those whose key exists.
// The rows go in by batches; the balance and the monthly roll-up move once,
// at the end, by exactly the rows that were new.
func (s *Store) importTransactions(ctx context.Context, tx *sql.Tx, companyServiceID int64, entries []Entry) error {
	var companyID int64
	var tz string
	if err := tx.QueryRowContext(ctx, `SELECT cs.company_id, c.timezone FROM company_services cs
		JOIN companies c ON c.id = cs.company_id WHERE cs.id = ?`, companyServiceID).Scan(&companyID, &tz); err != nil {
		return fmt.Errorf("db: import into service %d: %w", companyServiceID, err)
	}
	loc := Company{Timezone: tz}.Location()
	const batch = 200
	ins := newMultiRow(tx, `INSERT INTO transactions (company_id, company_service_id, amount, source, description, ref, idempotency_key, created_at, units) VALUES `, 9,
		` ON CONFLICT (idempotency_key) DO NOTHING RETURNING amount, source, created_at`)
	defer ins.close()
	added := importTotals{loc: loc, months: map[string]*MonthTotal{}, spent: map[string]money.Kopecks{}}
	now := s.Now()
	args := make([]any, 0, batch*9)
	for start := 0; start < len(entries); start += batch {
		part := entries[start:min(start+batch, len(entries))]
		args = args[:0]
		for _, e := range part {
			if e.Amount == 0 {
				return ErrZeroAmount
			}
			if e.IdempotencyKey == "" {
				return ErrNoIdempotencyKey
			}
			at := e.At
			if at.IsZero() {
				at = now
			}
			args = append(args, companyID, companyServiceID, int64(e.Amount), e.Source, e.Description, e.Ref, e.IdempotencyKey,
				formatTime(at), nullIfZero(e.Units))
		}
		stmt, err := ins.stmt(ctx, len(part))
		if err == nil {
			err = insertImported(ctx, stmt, args, &added)
		}
		if err != nil {
			return fmt.Errorf("db: import into service %d: %w", companyServiceID, err)
		}
	}
	if err := added.apply(ctx, tx, companyServiceID); err != nil {
		return fmt.Errorf("db: import into service %d: %w", companyServiceID, err)
	}
	return s.checkSMSAlertOfService(ctx, tx, companyServiceID)
}

// insertImported inserts one batch and adds its new entries to the totals.
func insertImported(ctx context.Context, stmt *sql.Stmt, args []any, added *importTotals) error {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var amount int64
		var source, at string
		if err := rows.Scan(&amount, &source, &at); err != nil {
			rows.Close()
			return err
		}
		added.add(amount, source, parseTime(at))
	}
	err = rows.Err()
	if closeErr := rows.Close(); err == nil {
		err = closeErr
	}
	return err
}

// importTotals are what an import's new rows add to the balance, to the
// monthly roll-up (by the company's calendar month) and to the spending
// of each day.
type importTotals struct {
	loc     *time.Location
	balance int64
	months  map[string]*MonthTotal
	spent   map[string]money.Kopecks // by YYYY-MM-DD
}

func (t *importTotals) add(amount int64, source string, at time.Time) {
	t.balance += amount
	if amount < 0 && spendingSources[source] {
		t.spent[at.In(t.loc).Format(dateLayout)] -= money.Kopecks(amount)
	}
	month := at.In(t.loc).Format("2006-01")
	m := t.months[month]
	if m == nil {
		m = &MonthTotal{}
		t.months[month] = m
	}
	if amount < 0 {
		m.Debits -= money.Kopecks(amount)
	} else {
		m.Credits += money.Kopecks(amount)
	}
	m.Count++
}

func (t *importTotals) apply(ctx context.Context, tx *sql.Tx, companyServiceID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE company_services SET balance = balance + ? WHERE id = ?`, t.balance, companyServiceID); err != nil {
		return err
	}
	for month, m := range t.months {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ledger_months (company_service_id, month, debits, credits, count) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (company_service_id, month) DO UPDATE SET
				debits = debits + excluded.debits, credits = credits + excluded.credits, count = count + excluded.count`,
			companyServiceID, month, int64(m.Debits), int64(m.Credits), m.Count); err != nil {
			return err
		}
	}
	for day, spent := range t.spent {
		if err := addSpending(ctx, tx, companyServiceID, day, spent); err != nil {
			return err
		}
	}
	return nil
}
