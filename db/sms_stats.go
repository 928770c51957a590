package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SMSDay is one day of a company's SMS, from the roll-up.
type SMSDay struct {
	Day    time.Time
	Counts SMSCounts
	Total  int
	Parts  int
	Cost   Kopecks
}

// SMSCounts counts SMS by status, in the order of SMSStatuses.
type SMSCounts [5]int

// Of is the count of one status; 0 for an unknown one.
func (c SMSCounts) Of(status string) int {
	if i := slices.Index(SMSStatuses, status); i >= 0 {
		return c[i]
	}
	return 0
}

// smsDaysQuery reads the roll-up one row a day, its counts pivoted into a
// column per status: a fifth of the rows one row per status would take, and rows are most of a query's cost here.
var smsDaysQuery = func() string {
	if len(SMSStatuses) != len(SMSCounts{}) {
		panic("db: SMSCounts does not fit SMSStatuses")
	}
	var b strings.Builder
	b.WriteString(`SELECT day`)
	for _, st := range SMSStatuses {
		b.WriteString(`, coalesce(sum(count) FILTER (WHERE status = '` + st + `'), 0)`)
	}
	b.WriteString(`, sum(parts), sum(cost) FROM sms_days
		WHERE company_id = ? AND day BETWEEN ? AND ? AND count <> 0 AND (? = '' OR status = ?)
		GROUP BY day ORDER BY day`)
	return b.String()
}()

// SMSDays returns the company's SMS per day over the days from–to
// (inclusive, the company's calendar), of one status or of all (""), oldest
// first; days without SMS are left out. It reads only the roll-up, so its
// cost does not grow with the number of messages.
func (s *Store) SMSDays(ctx context.Context, companyID int64, from, to time.Time, status string) ([]SMSDay, error) {
	rows, err := s.r.QueryContext(ctx, smsDaysQuery, companyID, formatDate(from), formatDate(to), status, status)
	if err != nil {
		return nil, fmt.Errorf("db: sms days: %w", err)
	}
	defer rows.Close()
	var out []SMSDay
	var day string
	var d SMSDay
	dest := []any{&day}
	for i := range d.Counts {
		dest = append(dest, &d.Counts[i])
	}
	dest = append(dest, &d.Parts, &d.Cost)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("db: sms days: %w", err)
		}
		d.Day, d.Total = parseDate(day), 0
		for _, n := range d.Counts {
			d.Total += n
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SMSMessage is one SMS as the statistics list shows it.
type SMSMessage struct {
	ID       int64
	SenderID string
	Phone    string
	Parts    int
	Status   string
	SentAt   time.Time
	StatusAt time.Time
	Cost     Kopecks
}

// SMSFilter narrows a company's SMS; zero values mean "any".
type SMSFilter struct {
	Status      string
	PhonePrefix string    // "+7900": numbers that start so
	From, To    time.Time // instants of sending: From inclusive, To exclusive
}

func smsQuery(companyID int64, f SMSFilter, after *TxCursor) (string, []any) {
	var b strings.Builder
	b.WriteString(`SELECT id, sender_id, phone, parts, status, sent_at, status_at, cost FROM sms WHERE company_id = ?`)
	args := []any{companyID}
	if f.Status != "" {
		b.WriteString(` AND status = ?`)
		args = append(args, f.Status)
	}
	if f.PhonePrefix != "" {
		// A range on the phone index, not LIKE: "+7900" ≤ phone < "+7900\x7f".
		b.WriteString(` AND phone >= ? AND phone < ?`)
		args = append(args, f.PhonePrefix, f.PhonePrefix+"\x7f")
	}
	if !f.From.IsZero() {
		b.WriteString(` AND sent_at >= ?`)
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		b.WriteString(` AND sent_at < ?`)
		args = append(args, formatTime(f.To))
	}
	if after != nil {
		b.WriteString(` AND (sent_at, id) < (?, ?)`)
		args = append(args, formatTime(after.At), after.ID)
	}
	b.WriteString(` ORDER BY sent_at DESC, id DESC`)
	return b.String(), args
}

func scanSMS(rows *sql.Rows) (SMSMessage, error) {
	var m SMSMessage
	var sent, statusAt string
	err := rows.Scan(&m.ID, &m.SenderID, &m.Phone, &m.Parts, &m.Status, &sent, &statusAt, &m.Cost)
	m.SentAt, m.StatusAt = parseTime(sent), parseTime(statusAt)
	return m, err
}

// ListSMS returns one page of a company's filtered SMS, newest first, after
// the cursor, and the cursor of the next page (nil on the last).
func (s *Store) ListSMS(ctx context.Context, companyID int64, f SMSFilter, after *TxCursor, limit int) ([]SMSMessage, *TxCursor, error) {
	q, args := smsQuery(companyID, f, after)
	rows, err := s.r.QueryContext(ctx, q+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, nil, fmt.Errorf("db: list sms: %w", err)
	}
	defer rows.Close()
	out := make([]SMSMessage, 0, limit+1) // the one past the page tells there is a next
	for rows.Next() {
		m, err := scanSMS(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("db: list sms: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("db: list sms: %w", err)
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, &TxCursor{At: last.SentAt, ID: last.ID}, nil
}

// EachSMS calls fn for every one of a company's filtered SMS, newest first (for exports).
func (s *Store) EachSMS(ctx context.Context, companyID int64, f SMSFilter, fn func(SMSMessage) error) error {
	q, args := smsQuery(companyID, f, nil)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("db: export sms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanSMS(rows)
		if err != nil {
			return fmt.Errorf("db: export sms: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}
