package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
	if total != 0 {
		// The first new sender id is new to this company, so the key is too.
		_, _, err := s.post(ctx, tx, Entry{CompanyServiceID: svc.id, Amount: -total, Source: SourceSMS, Units: parts,
			Description: fmt.Sprintf("Отправка СМС: %d шт.", len(fresh)), Ref: "sms:" + fresh[0].SenderID,
			IdempotencyKey: fmt.Sprintf("sms:%d:%s", companyID, fresh[0].SenderID)})
		if err != nil {
			return err
		}
	}
	rows := make([]storedSMS, len(fresh))
	for i, m := range fresh {
		rows[i] = storedSMS{SentSMS: m, StatusAt: m.SentAt, Cost: money.Kopecks(m.Parts) * svc.price}
	}
	return writeSMS(ctx, tx, companyID, svc.loc, rows)
}

// storedSMS is a message as written: with the time of its last status and its cost.
type storedSMS struct {
	SentSMS
	StatusAt time.Time
	Cost     money.Kopecks
}

// smsColumnCount is the number of columns writeSMS fills a row.
const smsColumnCount = 9

// writeSMS stores new messages of a company, numbered within their second
// after those stored before, and adds them to the daily roll-up by their
// day in loc.
func writeSMS(ctx context.Context, tx *sql.Tx, companyID int64, loc *time.Location, messages []storedSMS) error {
	seqs, err := lastSMSSeqs(ctx, tx, companyID, messages)
	if err != nil {
		return err
	}
	ins := newMultiRow(tx, `INSERT INTO sms (company_id, sent_at, seq, sender_id, phone, parts, status, status_after, cost) VALUES `,
		smsColumnCount, "")
	defer ins.close()
	days := smsDayChanges{}
	const chunk = 100
	args := make([]any, 0, chunk*smsColumnCount)
	for start := 0; start < len(messages); start += chunk {
		part := messages[start:min(start+chunk, len(messages))]
		args = args[:0]
		for _, m := range part {
			status, ok := smsStatusCode(m.Status)
			if !ok {
				return fmt.Errorf("db: sms status %q", m.Status)
			}
			sent := m.SentAt.Unix()
			seqs[sent]++
			args = append(args, companyID, sent, seqs[sent], m.SenderID, m.Phone, m.Parts, status, m.StatusAt.Unix()-sent, int64(m.Cost))
			days.add(smsDay(sent, loc), m.Status, m.Cost)
		}
		stmt, err := ins.stmt(ctx, len(part))
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return addSMSDays(ctx, tx, companyID, days, 1)
}

// lastSMSSeqs returns the last number used in each second the messages were
// sent in, 0 for a second without one yet.
func lastSMSSeqs(ctx context.Context, tx *sql.Tx, companyID int64, messages []storedSMS) (map[int64]int64, error) {
	seqs := map[int64]int64{}
	var seconds []any
	for _, m := range messages {
		if _, ok := seqs[m.SentAt.Unix()]; !ok {
			seqs[m.SentAt.Unix()] = 0
			seconds = append(seconds, m.SentAt.Unix())
		}
	}
	const chunk = 500
	for start := 0; start < len(seconds); start += chunk {
		part := seconds[start:min(start+chunk, len(seconds))]
		rows, err := tx.QueryContext(ctx, `SELECT sent_at, max(seq) FROM sms WHERE company_id = ? AND sent_at IN (?`+
			strings.Repeat(", ?", len(part)-1)+`) GROUP BY sent_at`, append([]any{companyID}, part...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sent, seq int64
			if err := rows.Scan(&sent, &seq); err != nil {
				rows.Close()
				return nil, err
			}
			seqs[sent] = seq
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return seqs, nil
}

// smsDay is the day, in loc, of a message sent at the unix second.
func smsDay(sent int64, loc *time.Location) string {
	return time.Unix(sent, 0).In(loc).Format(dateLayout)
}

// smsStatusCode is how a status is stored: its place in SMSStatuses.
func smsStatusCode(status string) (int, bool) {
	i := slices.Index(SMSStatuses, status)
	return i, i >= 0
}

// smsStages orders the statuses along a message's way: queued, then sent,
// then one of the final ones. Of two reports within one second (the
// store keeps whole seconds), the one further along is the newer.
var smsStages = map[string]int{SMSQueued: 0, SMSSent: 1, SMSDelivered: 2, SMSFailed: 2, SMSExpired: 2}

// smsStatusName is the status stored as code.
func smsStatusName(code int) string {
	if code < 0 || code >= len(SMSStatuses) {
		return ""
	}
	return SMSStatuses[code]
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
// ignored (reports may arrive out of order), and so is one of the same
// second that is no further along (smsStages); ids the company never reported
// come back as unknown.
func (s *Store) UpdateSMSStatuses(ctx context.Context, companyID int64, updates []SMSStatusUpdate) (updated int, unknown []string, err error) {
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		updated, unknown = 0, nil
		var tz string
		if err := tx.QueryRowContext(ctx, `SELECT timezone FROM companies WHERE id = ?`, companyID).Scan(&tz); err != nil {
			return err
		}
		loc := Company{Timezone: tz}.Location()
		minus, plus := smsDayChanges{}, smsDayChanges{}
		for _, u := range updates {
			code, ok := smsStatusCode(u.Status)
			if !ok {
				return fmt.Errorf("db: sms status %q", u.Status)
			}
			var sent, seq, after, cost int64
			var status int
			err := tx.QueryRowContext(ctx, `SELECT sent_at, seq, status, status_after, cost FROM sms WHERE company_id = ? AND sender_id = ?`,
				companyID, u.SenderID).Scan(&sent, &seq, &status, &after, &cost)
			if errors.Is(err, sql.ErrNoRows) {
				unknown = append(unknown, u.SenderID)
				continue
			}
			if err != nil {
				return err
			}
			at := u.At.Unix()
			if at < sent+after || code == status ||
				at == sent+after && smsStages[u.Status] <= smsStages[smsStatusName(status)] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE sms SET status = ?, status_after = ? WHERE company_id = ? AND sent_at = ? AND seq = ?`,
				code, at-sent, companyID, sent, seq); err != nil {
				return err
			}
			day := smsDay(sent, loc)
			minus.add(day, smsStatusName(status), money.Kopecks(cost))
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
