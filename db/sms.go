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

// SMS statuses, in the order a message goes through them.
const (
	SMSQueued    = "queued"
	SMSSent      = "sent"
	SMSDelivered = "delivered"
	SMSFailed    = "failed"
	SMSExpired   = "expired"
)

// SMSStatuses lists every SMS status.
var SMSStatuses = []string{SMSQueued, SMSSent, SMSDelivered, SMSFailed, SMSExpired}

// ErrSMSNotConnected refuses SMS from a company whose SMS service is not on.
var ErrSMSNotConnected = errors.New("sms.not_connected")

// SentSMS is one message a company's server reports as sent.
type SentSMS struct {
	SenderID string // the sender's own id, unique within the company
	Phone    string
	Parts    int
	Status   string
	SentAt   time.Time
}

// SMSBatchResult is what recording a batch did.
type SMSBatchResult struct {
	Accepted   int
	Duplicates int
	Balance    money.Kopecks
}

// smsService is what charging SMS needs to know about the company's SMS service.
type smsService struct {
	id    int64
	price money.Kopecks
	loc   *time.Location
}

func (s *Store) smsServiceOf(ctx context.Context, tx *sql.Tx, companyID int64) (smsService, error) {
	var svc smsService
	var tz string
	err := tx.QueryRowContext(ctx, `SELECT cs.id, t.price, c.timezone FROM company_services cs
		JOIN tariffs t ON t.id = cs.tariff_id JOIN companies c ON c.id = cs.company_id JOIN services sv ON sv.id = cs.service_id
		WHERE cs.company_id = ? AND sv.code = ? AND cs.active = 1`, companyID, ServiceSMS).Scan(&svc.id, &svc.price, &tz)
	if errors.Is(err, sql.ErrNoRows) {
		return svc, ErrSMSNotConnected
	}
	svc.loc = Company{Timezone: tz}.Location()
	return svc, err
}

// RecordSMS records a batch of sent SMS in one transaction: the new messages,
// one ledger debit for their cost at the SMS tariff (the balance may go
// negative: they are already sent) and the daily roll-up. Messages whose
// sender id was recorded before (a retried batch) are counted as duplicates
// and change nothing. Either the whole batch is stored or none of it.
func (s *Store) RecordSMS(ctx context.Context, companyID int64, batch []SentSMS) (SMSBatchResult, error) {
	var res SMSBatchResult
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		svc, err := s.smsServiceOf(ctx, tx, companyID)
		if err != nil {
			return err
		}
		fresh, err := newSMS(ctx, tx, companyID, batch)
		if err != nil {
			return err
		}
		res.Accepted, res.Duplicates = len(fresh), len(batch)-len(fresh)
		if len(fresh) > 0 {
			if err := s.insertSMS(ctx, tx, companyID, svc, fresh); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `SELECT balance FROM company_services WHERE id = ?`, svc.id).Scan(&res.Balance)
	})
	if err != nil {
		return SMSBatchResult{}, fmt.Errorf("db: record sms: %w", err)
	}
	return res, nil
}

// newSMS returns the messages of the batch not recorded before, each sender
// id once.
func newSMS(ctx context.Context, tx *sql.Tx, companyID int64, batch []SentSMS) ([]SentSMS, error) {
	seen := make(map[string]bool, len(batch))
	const chunk = 500
	for start := 0; start < len(batch); start += chunk {
		part := batch[start:min(start+chunk, len(batch))]
		args := make([]any, 0, len(part)+1)
		args = append(args, companyID)
		for _, m := range part {
			args = append(args, m.SenderID)
		}
		rows, err := tx.QueryContext(ctx, `SELECT sender_id FROM sms WHERE company_id = ? AND sender_id IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			seen[id] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	var fresh []SentSMS
	for _, m := range batch {
		if !seen[m.SenderID] {
			seen[m.SenderID] = true
			fresh = append(fresh, m)
		}
	}
	return fresh, nil
}

// smsDayKey is one cell of the daily roll-up.
type smsDayKey struct{ day, status string }

type smsDayTotals struct{ count, cost int64 }

// smsDayChanges gathers a write's changes to the daily roll-up, to apply at once.
type smsDayChanges map[smsDayKey]*smsDayTotals

// add counts one message of the day and status.
func (ch smsDayChanges) add(day, status string, cost money.Kopecks) {
	k := smsDayKey{day, status}
	if ch[k] == nil {
		ch[k] = &smsDayTotals{}
	}
	ch[k].count++
	ch[k].cost += int64(cost)
}

func (s *Store) insertSMS(ctx context.Context, tx *sql.Tx, companyID int64, svc smsService, fresh []SentSMS) error {
	var parts int64
	for _, m := range fresh {
		parts += int64(m.Parts)
	}
	total := money.Kopecks(parts) * svc.price
	var txID int64
	if total != 0 {
		// The first new sender id is new to this company, so the key is too.
		var err error
		txID, _, err = s.post(ctx, tx, Entry{CompanyServiceID: svc.id, Amount: -total, Source: SourceSMS, Units: parts,
			Description: fmt.Sprintf("Отправка СМС: %d шт.", len(fresh)), Ref: "sms:" + fresh[0].SenderID,
			IdempotencyKey: fmt.Sprintf("sms:%d:%s", companyID, fresh[0].SenderID)})
		if err != nil {
			return err
		}
	}
	days := smsDayChanges{}
	const chunk = 100
	for start := 0; start < len(fresh); start += chunk {
		part := fresh[start:min(start+chunk, len(fresh))]
		args := make([]any, 0, len(part)*10)
		for _, m := range part {
			day := m.SentAt.In(svc.loc).Format(dateLayout)
			cost := money.Kopecks(m.Parts) * svc.price
			sent := formatTime(m.SentAt)
			args = append(args, companyID, m.SenderID, m.Phone, m.Parts, m.Status, sent, sent, day, int64(cost), nullIfZero(txID))
			days.add(day, m.Status, cost)
		}
		q := `INSERT INTO sms (company_id, sender_id, phone, parts, status, sent_at, status_at, day, cost, transaction_id) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", len(part)), ",")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return addSMSDays(ctx, tx, companyID, days, 1)
}

// addSMSDays moves the daily roll-up by the totals, with sign +1 or -1.
func addSMSDays(ctx context.Context, tx *sql.Tx, companyID int64, days smsDayChanges, sign int64) error {
	for k, t := range days {
		q, ok := smsDayUpserts[k.status]
		if !ok {
			return fmt.Errorf("db: sms status %q", k.status)
		}
		if _, err := tx.ExecContext(ctx, q, companyID, k.day, sign*t.count, sign*t.cost); err != nil {
			return err
		}
	}
	return nil
}

// smsDayUpserts add to a status's count and cost in a day's row of the
// roll-up, a statement a status: its columns are named after it.
var smsDayUpserts = func() map[string]string {
	out := map[string]string{}
	for _, st := range SMSStatuses {
		out[st] = `INSERT INTO sms_day_totals (company_id, day, ` + st + `, ` + st + `_cost) VALUES (?, ?, ?, ?)
			ON CONFLICT (company_id, day) DO UPDATE SET ` + st + ` = ` + st + ` + excluded.` + st + `, ` +
			st + `_cost = ` + st + `_cost + excluded.` + st + `_cost`
	}
	return out
}()

// SMSStatusUpdate is a delivery report for one message.
type SMSStatusUpdate struct {
	SenderID string
	Status   string
	At       time.Time
}

// UpdateSMSStatuses applies delivery reports in one transaction and keeps
// the roll-up in step. A report older than the message's last one is
// ignored (reports may arrive out of order); ids the company never reported
// come back as unknown.
func (s *Store) UpdateSMSStatuses(ctx context.Context, companyID int64, updates []SMSStatusUpdate) (updated int, unknown []string, err error) {
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		updated, unknown = 0, nil
		minus, plus := smsDayChanges{}, smsDayChanges{}
		for _, u := range updates {
			var id, cost int64
			var status, statusAt, day string
			err := tx.QueryRowContext(ctx, `SELECT id, status, status_at, day, cost FROM sms WHERE company_id = ? AND sender_id = ?`,
				companyID, u.SenderID).Scan(&id, &status, &statusAt, &day, &cost)
			if errors.Is(err, sql.ErrNoRows) {
				unknown = append(unknown, u.SenderID)
				continue
			}
			if err != nil {
				return err
			}
			if u.At.Before(parseTime(statusAt)) || u.Status == status {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE sms SET status = ?, status_at = ? WHERE id = ?`, u.Status, formatTime(u.At), id); err != nil {
				return err
			}
			minus.add(day, status, money.Kopecks(cost))
			plus.add(day, u.Status, money.Kopecks(cost))
			updated++
		}
		if err := addSMSDays(ctx, tx, companyID, minus, -1); err != nil {
			return err
		}
		return addSMSDays(ctx, tx, companyID, plus, 1)
	})
	if err != nil {
		return 0, nil, fmt.Errorf("db: sms statuses: %w", err)
	}
	return updated, unknown, nil
}
