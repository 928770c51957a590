package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"elk/db/money"
)

// Dashboard is the back office's home: the figures a manager works through
// each morning, over one manager's companies or all of them. Each is read
// from a roll-up or an indexed handful of rows, never from the SMS or the
// ledger themselves.
type Dashboard struct {
	LowBalances      []LowBalance
	Unpaid           InvoiceSum // invoices issued or partially paid
	Overdue          InvoiceSum // of them, those past the payment term
	Tickets          TicketWaits
	MonitorsDown     int
	LicensesExpiring int
	SMSDays          []SMSDay       // SMS a day, the companies' days summed, oldest first
	Payments         []MonthPayment // received a month, oldest first, months without any left out
}

// InvoiceSum counts invoices and what they still await.
type InvoiceSum struct {
	Count int
	Due   money.Kopecks
}

// TicketWaits is how support keeps up: the tickets waiting for staff's
// answer, since when the longest has waited, and the median time to the
// first staff reply over the tickets opened in the last FirstResponseDays.
type TicketWaits struct {
	Waiting       int
	WaitingSince  *time.Time
	FirstResponse *time.Duration // nil when no ticket of the period was answered
	Answered      int            // the tickets the median is of
}

// MonthPayment is the money received in a month (YYYY-MM, the payments' dates).
type MonthPayment struct {
	Month  time.Time
	Amount money.Kopecks
}

// Spans of the dashboard's figures.
const (
	DashboardSMSDays       = 90
	DashboardPaymentMonths = 12
	FirstResponseDays      = 30
	LicenseWarnWithin      = 30
)

// Dashboard reads the back office's home for the companies of managerID,
// or for all when it is 0.
func (s *Store) Dashboard(ctx context.Context, managerID int64) (Dashboard, error) {
	var d Dashboard
	var err error
	if d.LowBalances, err = s.LowBalances(ctx, managerID); err != nil {
		return d, err
	}
	scope, args := managerScope(managerID)
	today := Today(s.Now(), VendorLocation)
	steps := []struct {
		what string
		read func() error
	}{
		{"invoices", func() error { return s.invoiceSums(ctx, &d, today, scope, args) }},
		{"tickets", func() error { return s.ticketWaits(ctx, &d.Tickets, scope, args) }},
		{"monitors", func() error {
			return s.r.QueryRowContext(ctx, `SELECT count(*) FROM monitors m JOIN companies c ON c.id = m.company_id
				WHERE `+downMonitor+scope, args...).Scan(&d.MonitorsDown)
		}},
		{"licenses", func() error {
			return s.r.QueryRowContext(ctx, `SELECT count(*) FROM license_keys l JOIN companies c ON c.id = l.company_id
				WHERE `+expiringLicense+scope, append(expiringArgs(today), args...)...).Scan(&d.LicensesExpiring)
		}},
		{"sms", func() error { return s.smsAcross(ctx, &d, today, managerID) }},
		{"payments", func() error { return s.paymentMonths(ctx, &d, today, scope, args) }},
	}
	for _, step := range steps {
		if err := step.read(); err != nil {
			return d, fmt.Errorf("db: dashboard %s: %w", step.what, err)
		}
	}
	return d, nil
}

// managerScope narrows a query over companies c to one manager's.
func managerScope(managerID int64) (string, []any) {
	if managerID == 0 {
		return "", nil
	}
	return " AND c.manager_id = ?", []any{managerID}
}

// unpaidInvoice selects invoices i that still await money.
const unpaidInvoice = `i.status IN ('issued', 'partially_paid')`

func (s *Store) invoiceSums(ctx context.Context, d *Dashboard, today time.Time, scope string, args []any) error {
	v, err := vendorOf(ctx, s.r)
	if err != nil {
		return err
	}
	late := formatDate(overdueBefore(v, today))
	return s.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(i.amount - i.paid), 0),
		count(*) FILTER (WHERE i.issued_on < ?), coalesce(sum(i.amount - i.paid) FILTER (WHERE i.issued_on < ?), 0)
		FROM invoices i JOIN companies c ON c.id = i.company_id WHERE `+unpaidInvoice+scope, append([]any{late, late}, args...)...).
		Scan(&d.Unpaid.Count, &d.Unpaid.Due, &d.Overdue.Count, &d.Overdue.Due)
}

// overdueBefore is the first issue day whose unpaid invoices are not yet
// overdue today: the term's last day is still in time.
func overdueBefore(v Vendor, today time.Time) time.Time {
	return today.AddDate(0, 0, -v.PaymentTermDays)
}

// Overdue reports whether the invoice still awaits money past the vendor's
// payment term today.
func (i Invoice) Overdue(v Vendor, today time.Time) bool {
	return (i.Status == InvoiceIssued || i.Status == InvoicePartiallyPaid) && i.IssuedOn.Before(overdueBefore(v, today))
}

func (s *Store) ticketWaits(ctx context.Context, w *TicketWaits, scope string, args []any) error {
	var since sql.NullString
	if err := s.r.QueryRowContext(ctx, `SELECT count(*), min(t.waiting_since) FROM tickets t JOIN companies c ON c.id = t.company_id
		WHERE `+waitingTicket+scope, args...).Scan(&w.Waiting, &since); err != nil {
		return err
	}
	w.WaitingSince = parseNullTime(since)
	from := formatTime(FirstResponseFrom(s.Now()))
	rows, err := s.r.QueryContext(ctx, `SELECT t.created_at, (SELECT min(m.created_at) FROM ticket_messages m
		WHERE m.ticket_id = t.id AND m.kind = 'staff') FROM tickets t JOIN companies c ON c.id = t.company_id
		WHERE t.created_at >= ?`+scope, append([]any{from}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var waits []time.Duration
	for rows.Next() {
		var opened string
		var answered sql.NullString
		if err := rows.Scan(&opened, &answered); err != nil {
			return err
		}
		if answered.Valid {
			waits = append(waits, parseTime(answered.String).Sub(parseTime(opened)))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if w.Answered = len(waits); w.Answered > 0 {
		slices.Sort(waits)
		median := waits[len(waits)/2]
		if len(waits)%2 == 0 {
			median = (waits[len(waits)/2-1] + median) / 2
		}
		w.FirstResponse = &median
	}
	return nil
}

// downMonitor selects the monitors m checked and down now.
const downMonitor = `m.active = 1 AND m.state = 'down'`

// waitingTicket selects tickets t whose client awaits staff's answer.
const waitingTicket = `t.status IN ('open', 'in_progress', 'waiting') AND t.waiting_since IS NOT NULL`

// expiringLicense selects license keys l that expire within
// LicenseWarnWithin days and are not yet renewed by a later key of the same
// product; its arguments are expiringArgs.
const expiringLicense = `l.expires_on BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM license_keys r
	WHERE r.company_id = l.company_id AND r.product = l.product AND r.expires_on > l.expires_on)`

func expiringArgs(today time.Time) []any {
	return []any{formatDate(today), formatDate(today.AddDate(0, 0, LicenseWarnWithin))}
}

// smsAcross sums the SMS of the companies in scope by day, from
// sms_manager_days: a row a day for one manager, a row a manager and day for all.
func (s *Store) smsAcross(ctx context.Context, out *Dashboard, today time.Time, managerID int64) error {
	var sums []string
	for _, st := range SMSStatuses {
		sums = append(sums, "sum("+st+")")
	}
	q, args := `SELECT day, `+strings.Join(sums, ", ")+` FROM sms_manager_days WHERE day >= ?`, []any{formatDate(today.AddDate(0, 0, 1-DashboardSMSDays))}
	if managerID != 0 {
		q, args = q+` AND manager_id = ?`, append(args, managerID)
	}
	rows, err := s.r.QueryContext(ctx, q+` GROUP BY day ORDER BY day`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var day string
		var d SMSDay
		dest := []any{&day}
		for i := range d.Counts {
			dest = append(dest, intInto{&d.Counts[i]})
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for _, n := range d.Counts {
			d.Total += n
		}
		if d.Total != 0 {
			d.Day = parseDate(day)
			out.SMSDays = append(out.SMSDays, d)
		}
	}
	return rows.Err()
}

// paymentMonths sums the payments received in the last
// DashboardPaymentMonths months, this one included, by month.
func (s *Store) paymentMonths(ctx context.Context, out *Dashboard, today time.Time, scope string, args []any) error {
	from := time.Date(today.Year(), today.Month()-DashboardPaymentMonths+1, 1, 0, 0, 0, 0, time.UTC)
	rows, err := s.r.QueryContext(ctx, `SELECT substr(p.paid_on, 1, 7), sum(p.amount) FROM payments p
		JOIN invoices i ON i.id = p.invoice_id JOIN companies c ON c.id = i.company_id
		WHERE p.paid_on >= ?`+scope+` GROUP BY 1 ORDER BY 1`, append([]any{formatDate(from)}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var month string
		var m MonthPayment
		if err := rows.Scan(&month, &m.Amount); err != nil {
			return err
		}
		m.Month = parseDate(month + "-01")
		out.Payments = append(out.Payments, m)
	}
	return rows.Err()
}

// FirstResponseFrom is when the tickets the first-response median is of
// were opened from.
func FirstResponseFrom(now time.Time) time.Time { return now.AddDate(0, 0, -FirstResponseDays) }

// answeredTicket selects tickets t that have a staff reply (not a note).
const answeredTicket = `EXISTS (SELECT 1 FROM ticket_messages m WHERE m.ticket_id = t.id AND m.kind = 'staff')`
