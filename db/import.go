package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ImportTransactions records many entries of one connected service in one
// transaction, as Post would one by one, but in batches: the demo's year of
// history and benchmarks' million rows load in seconds. Entries whose
// idempotency key exists are skipped, so an import can be repeated.
func (s *Store) ImportTransactions(ctx context.Context, companyServiceID int64, entries []Entry) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		return s.importTransactions(ctx, tx, companyServiceID, entries)
	})
}

func (s *Store) importTransactions(ctx context.Context, tx *sql.Tx, companyServiceID int64, entries []Entry) error {
	var companyID int64
	var tz string
	if err := tx.QueryRowContext(ctx, `SELECT cs.company_id, c.timezone FROM company_services cs
		JOIN companies c ON c.id = cs.company_id WHERE cs.id = ?`, companyServiceID).Scan(&companyID, &tz); err != nil {
		return fmt.Errorf("db: import into service %d: %w", companyServiceID, err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	const batch = 200
	now := s.Now()
	for start := 0; start < len(entries); start += batch {
		part := entries[start:min(start+batch, len(entries))]
		q := `INSERT INTO transactions (company_id, company_service_id, amount, source, description, ref, idempotency_key, created_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?),", len(part)), ",") +
			` ON CONFLICT (idempotency_key) DO NOTHING RETURNING amount, created_at`
		args := make([]any, 0, len(part)*8)
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
			args = append(args, companyID, companyServiceID, int64(e.Amount), e.Source, e.Description, e.Ref, e.IdempotencyKey, formatTime(at))
		}
		if err := s.applyImported(ctx, tx, companyServiceID, loc, q, args); err != nil {
			return fmt.Errorf("db: import into service %d: %w", companyServiceID, err)
		}
	}
	return s.checkSMSAlertOfService(ctx, tx, companyServiceID)
}

// applyImported inserts one batch and moves the balance and the monthly
// roll-up by exactly the rows that were new.
func (s *Store) applyImported(ctx context.Context, tx *sql.Tx, companyServiceID int64, loc *time.Location, q string, args []any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	var total int64
	months := map[string]*MonthTotal{}
	for rows.Next() {
		var amount int64
		var at string
		if err := rows.Scan(&amount, &at); err != nil {
			rows.Close()
			return err
		}
		total += amount
		key := parseTime(at).In(loc).Format("2006-01")
		m := months[key]
		if m == nil {
			m = &MonthTotal{}
			months[key] = m
		}
		if amount < 0 {
			m.Debits -= Kopecks(amount)
		} else {
			m.Credits += Kopecks(amount)
		}
		m.Count++
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE company_services SET balance = balance + ? WHERE id = ?`, total, companyServiceID); err != nil {
		return err
	}
	for key, m := range months {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ledger_months (company_service_id, month, debits, credits, count) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (company_service_id, month) DO UPDATE SET
				debits = debits + excluded.debits, credits = credits + excluded.credits, count = count + excluded.count`,
			companyServiceID, key, int64(m.Debits), int64(m.Credits), m.Count); err != nil {
			return err
		}
	}
	return nil
}
