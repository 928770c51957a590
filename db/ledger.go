package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"elk/db/money"
)

// Sources of transactions.
const (
	SourcePayment      = "payment"
	SourceSMS          = "sms"
	SourceSubscription = "subscription"
	SourceCorrection   = "correction"
	SourceRefund       = "refund"
)

// Sources lists every source in the order filters offer them.
var Sources = []string{SourcePayment, SourceSMS, SourceSubscription, SourceCorrection, SourceRefund}

// Refusals of a ledger entry.
var (
	ErrZeroAmount       = errors.New("ledger.zero_amount")
	ErrNoIdempotencyKey = errors.New("ledger.no_idempotency_key")
)

// Entry is a balance change to record.
type Entry struct {
	CompanyServiceID int64
	Amount           money.Kopecks // signed: a debit is negative
	Source           string
	Description      string
	Ref              string    // what caused it, "subscription:12"
	IdempotencyKey   string    // the same key twice records one transaction
	Units            int64     // how many units it charges or returns (SMS parts, subscriptions); 0 if not counted
	At               time.Time // zero means now
}

// Post records one transaction and changes the balance in one database
// transaction. It returns the transaction's id and whether it was new: an
// entry whose idempotency key was already recorded changes nothing.
func (s *Store) Post(ctx context.Context, e Entry) (id int64, created bool, err error) {
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		id, created, err = s.post(ctx, tx, e)
		return err
	})
	return id, created, err
}

// post records an entry inside tx: the transaction row, the balance, the
// monthly and spending roll-ups and the SMS balance alert move together or
// not at all.
func (s *Store) post(ctx context.Context, tx *sql.Tx, e Entry) (int64, bool, error) {
	if e.Amount == 0 {
		return 0, false, ErrZeroAmount
	}
	if e.IdempotencyKey == "" {
		return 0, false, ErrNoIdempotencyKey
	}
	at := e.At
	if at.IsZero() {
		at = s.Now()
	}
	var companyID int64
	var tz, serviceCode string
	err := tx.QueryRowContext(ctx, `SELECT cs.company_id, c.timezone, sv.code FROM company_services cs
		JOIN companies c ON c.id = cs.company_id JOIN services sv ON sv.id = cs.service_id
		WHERE cs.id = ?`, e.CompanyServiceID).Scan(&companyID, &tz, &serviceCode)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("db: post to service %d: %w", e.CompanyServiceID, ErrNotFound)
	}
	if err != nil {
		return 0, false, fmt.Errorf("db: post: %w", err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO transactions (company_id, company_service_id, amount, source, description, ref, idempotency_key, created_at, units)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (idempotency_key) DO NOTHING
		RETURNING id`,
		companyID, e.CompanyServiceID, int64(e.Amount), e.Source, e.Description, e.Ref, e.IdempotencyKey, formatTime(at),
		nullIfZero(e.Units)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// Recorded before: answer with the first transaction, change nothing.
		err = tx.QueryRowContext(ctx, `SELECT id FROM transactions WHERE idempotency_key = ?`, e.IdempotencyKey).Scan(&id)
		if err != nil {
			return 0, false, fmt.Errorf("db: post: %w", err)
		}
		return id, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("db: post: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE company_services SET balance = balance + ? WHERE id = ?`,
		int64(e.Amount), e.CompanyServiceID); err != nil {
		return 0, false, fmt.Errorf("db: post balance: %w", err)
	}
	debit, credit := int64(0), int64(e.Amount)
	if e.Amount < 0 {
		debit, credit = int64(-e.Amount), 0
	}
	loc := Company{Timezone: tz}.Location()
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO ledger_months (company_service_id, month, debits, credits, count) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (company_service_id, month) DO UPDATE SET
			debits = debits + excluded.debits, credits = credits + excluded.credits, count = count + 1`,
		e.CompanyServiceID, at.In(loc).Format("2006-01"), debit, credit); err != nil {
		return 0, false, fmt.Errorf("db: post roll-up: %w", err)
	}
	if e.Amount < 0 && spendingSources[e.Source] {
		if err := addSpending(ctx, tx, e.CompanyServiceID, at.In(loc).Format(dateLayout), -e.Amount); err != nil {
			return 0, false, fmt.Errorf("db: post spending: %w", err)
		}
	}
	if serviceCode == ServiceSMS {
		if err := s.checkSMSAlert(ctx, tx, companyID); err != nil {
			return 0, false, err
		}
	}
	return id, true, nil
}

// LedgerMismatch is a service whose cached balance or monthly roll-up
// disagrees with its transactions.
type LedgerMismatch struct {
	CompanyName string
	ServiceCode string
	Balance     money.Kopecks
	Sum         money.Kopecks
	RollupSum   money.Kopecks
}

// CheckLedger compares every balance with the sum of its transactions, and
// the monthly roll-up with both; it returns the services that disagree.
func (s *Store) CheckLedger(ctx context.Context) ([]LedgerMismatch, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT c.name, sv.code, cs.balance,
			COALESCE((SELECT sum(amount) FROM transactions t WHERE t.company_service_id = cs.id), 0),
			COALESCE((SELECT sum(credits - debits) FROM ledger_months m WHERE m.company_service_id = cs.id), 0)
		FROM company_services cs
		JOIN companies c ON c.id = cs.company_id
		JOIN services sv ON sv.id = cs.service_id
		ORDER BY c.name, sv.position`)
	if err != nil {
		return nil, fmt.Errorf("db: check ledger: %w", err)
	}
	defer rows.Close()
	var out []LedgerMismatch
	for rows.Next() {
		var m LedgerMismatch
		if err := rows.Scan(&m.CompanyName, &m.ServiceCode, &m.Balance, &m.Sum, &m.RollupSum); err != nil {
			return nil, fmt.Errorf("db: check ledger: %w", err)
		}
		if m.Balance != m.Sum || m.RollupSum != m.Sum {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}
