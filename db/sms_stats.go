package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"elk/db/money"
)

// SMSDay is one day of a company's SMS, from the roll-up.
type SMSDay struct {
	Day    time.Time
	Counts SMSCounts
	Total  int
	Cost   money.Kopecks
}

// SMSCounts counts SMS by status, in the order of SMSStatuses.
type SMSCounts [5]int

// smsDaysQuery reads the roll-up's days: a count and a cost a status, in
// the order of SMSStatuses.
var smsDaysQuery = func() string {
	if len(SMSStatuses) != len(SMSCounts{}) {
		panic("db: SMSCounts does not fit SMSStatuses")
	}
	var b strings.Builder
	b.WriteString(`SELECT day`)
	for _, st := range SMSStatuses {
		b.WriteString(`, ` + st + `, ` + st + `_cost`)
	}
	b.WriteString(` FROM sms_day_totals WHERE company_id = ? AND day BETWEEN ? AND ? ORDER BY day`)
	return b.String()
}()

// SMSDays returns the company's SMS per day over the days from–to
// (inclusive, the company's calendar), of one status or of all (""), oldest
// first; days without SMS are left out. It reads only the roll-up, so its
// cost does not grow with the number of messages.
func (s *Store) SMSDays(ctx context.Context, companyID int64, from, to time.Time, status string) ([]SMSDay, error) {
	only := slices.Index(SMSStatuses, status) // -1: all of them
	if status != "" && only < 0 {
		return nil, nil // no SMS has a status that does not exist
	}
	rows, err := s.r.QueryContext(ctx, smsDaysQuery, companyID, formatDate(from), formatDate(to))
	if err != nil {
		return nil, fmt.Errorf("db: sms days: %w", err)
	}
	defer rows.Close()
	var out []SMSDay
	var day string
	var counts SMSCounts
	var costs [len(SMSCounts{})]money.Kopecks
	dest := []any{&day}
	for i := range counts {
		dest = append(dest, intInto{&counts[i]}, &costs[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("db: sms days: %w", err)
		}
		d := SMSDay{Day: parseDate(day)}
		for i := range counts {
			if only < 0 || i == only {
				d.Counts[i], d.Cost = counts[i], d.Cost+costs[i]
				d.Total += counts[i]
			}
		}
		// A day whose SMS all moved to other statuses, or not of the one asked for.
		if d.Total != 0 {
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// SMSMessage is one SMS as the statistics list shows it (ID numbers it
// among the company's SMS of its second: with SentAt, its key); SenderID and
// StatusAt are read only for exports (EachSMS).
type SMSMessage struct {
	ID       int64
	SenderID string
	Phone    string
	Parts    int
	Status   string
	SentAt   time.Time
	StatusAt time.Time
	Cost     money.Kopecks
}

// SMSFilter narrows a company's SMS; zero values mean "any".
type SMSFilter struct {
	Status      string
	PhonePrefix string    // "+7900": numbers that start so
	From, To    time.Time // instants of sending: From inclusive, To exclusive
}

// smsListColumns are what the list shows; an export adds the id the
// client's server gave each SMS and the time of its last status. Every
// column read costs, and the list is read far more often.
const (
	smsListColumns   = `sent_at, seq, phone, parts, status, cost`
	smsExportColumns = smsListColumns + `, sender_id, status_after`
)

// smsQuery reads a company's filtered SMS, newest first. The table is in
// that order: the whole list, a delivered one (most messages) and a phone's
// read the period's stretch of it in place, as the list did through an
// index before. Another status reads the index of undelivered messages,
// named (INDEXED BY: without statistics SQLite would rather read the
// period's stretch), with the status's number written into the SQL,
// because SQLite takes a partial index only for a WHERE that names the
// index's own terms (a placeholder's value is unknown when it plans).
func smsQuery(columns string, companyID int64, f SMSFilter, after *TxCursor) (string, []any) {
	var b strings.Builder
	code, known := smsStatusCode(f.Status)
	b.WriteString(`SELECT ` + columns + ` FROM sms`)
	if known && f.Status != SMSDelivered {
		b.WriteString(` INDEXED BY sms_company_undelivered`)
	}
	b.WriteString(` WHERE company_id = ?`)
	args := []any{companyID}
	if known {
		b.WriteString(` AND status = ` + strconv.Itoa(code))
	} else if f.Status != "" {
		b.WriteString(` AND 0`) // no SMS has a status that does not exist
	}
	if f.PhonePrefix != "" {
		// A range, not LIKE: "+7900" ≤ phone < "+7900\x7f".
		b.WriteString(` AND phone >= ? AND phone < ?`)
		args = append(args, f.PhonePrefix, f.PhonePrefix+"\x7f")
	}
	if !f.From.IsZero() {
		b.WriteString(` AND sent_at >= ?`)
		args = append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		b.WriteString(` AND sent_at < ?`)
		args = append(args, f.To.Unix())
	}
	if after != nil {
		b.WriteString(` AND (sent_at, seq) < (?, ?)`)
		args = append(args, after.At.Unix(), after.ID)
	}
	b.WriteString(` ORDER BY sent_at DESC, seq DESC`)
	return b.String(), args
}

// scanSMS reads a row of smsListColumns, or of smsExportColumns when export.
func scanSMS(rows *sql.Rows, export bool) (SMSMessage, error) {
	var m SMSMessage
	var sent, after int64
	var status int
	dest := []any{&sent, &m.ID, &m.Phone, intInto{&m.Parts}, &status, &m.Cost, &m.SenderID, &after}
	if !export {
		dest = dest[:6]
	}
	err := rows.Scan(dest...)
	m.SentAt, m.Status = time.Unix(sent, 0).UTC(), smsStatusName(status)
	if export {
		m.StatusAt = time.Unix(sent+after, 0).UTC()
	}
	return m, err
}

// ListSMS returns one page of a company's filtered SMS, newest first, after
// the cursor, and the cursor of the next page (nil on the last).
func (s *Store) ListSMS(ctx context.Context, companyID int64, f SMSFilter, after *TxCursor, limit int) ([]SMSMessage, *TxCursor, error) {
	q, args := smsQuery(smsListColumns, companyID, f, after)
	rows, err := s.r.QueryContext(ctx, q+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, nil, fmt.Errorf("db: list sms: %w", err)
	}
	defer rows.Close()
	out := make([]SMSMessage, 0, limit+1) // the one past the page tells there is a next
	for rows.Next() {
		m, err := scanSMS(rows, false)
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
	q, args := smsQuery(smsExportColumns, companyID, f, nil)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("db: export sms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanSMS(rows, true)
		if err != nil {
			return fmt.Errorf("db: export sms: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SMSDaysMatching is SMSDays for a filter the roll-up has no column for (the
// beginning of a phone number), so that the totals and the chart count the
// same messages as the list: it reads the filtered messages themselves,
// through the phone index, and counts them by their day in loc.
func (s *Store) SMSDaysMatching(ctx context.Context, companyID int64, f SMSFilter, loc *time.Location) ([]SMSDay, error) {
	q, args := smsQuery(`status, sent_at, cost`, companyID, f, nil)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: sms days matching: %w", err)
	}
	defer rows.Close()
	var out []SMSDay // newest day first while read, as the query goes
	for rows.Next() {
		var status int
		var sent int64
		var cost money.Kopecks
		if err := rows.Scan(&status, &sent, &cost); err != nil {
			return nil, fmt.Errorf("db: sms days matching: %w", err)
		}
		day := Today(time.Unix(sent, 0), loc)
		if len(out) == 0 || !out[len(out)-1].Day.Equal(day) {
			out = append(out, SMSDay{Day: day})
		}
		d := &out[len(out)-1]
		if status >= 0 && status < len(d.Counts) {
			d.Counts[status]++
		}
		d.Total++
		d.Cost += cost
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: sms days matching: %w", err)
	}
	slices.Reverse(out)
	return out, nil
}
