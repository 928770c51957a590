package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Ticket statuses: the client's request waits for staff (open), staff work
// on it (in progress), staff wait for the client (waiting), or it is done.
const (
	TicketOpen       = "open"
	TicketInProgress = "in_progress"
	TicketWaiting    = "waiting"
	TicketClosed     = "closed"
)

// TicketStatuses are the statuses in their order of life.
var TicketStatuses = []string{TicketOpen, TicketInProgress, TicketWaiting, TicketClosed}

// TicketPriorities are the priorities from least to most pressing.
var TicketPriorities = []string{"low", "normal", "high", "urgent"}

// Ticket is a support request with the names a list shows.
type Ticket struct {
	ID           int64
	CompanyID    int64
	CompanyName  string
	UserID       int64
	AuthorName   string
	ServiceID    int64
	ServiceCode  string // "" when no service is named
	Subject      string
	Priority     string
	Status       string
	AssigneeID   int64
	AssigneeName string
	WaitingSince *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ClosedAt     *time.Time
}

// NewTicket is a ticket as a client opens it.
type NewTicket struct {
	Subject     string
	Priority    string
	ServiceID   int64 // a company service, or 0
	Body        string
	Attachments []Attachment
}

// ErrTicketClosed refuses staff's reply to a closed ticket: they reopen it
// first, so a closed ticket is never answered by accident.
var ErrTicketClosed = errors.New("tickets.closed")

const ticketColumns = `t.id, t.company_id, c.name, COALESCE(t.user_id, 0), COALESCE(u.name, ''), COALESCE(t.service_id, 0),
	COALESCE(sv.code, ''), t.subject, t.priority, t.status, COALESCE(t.assignee_id, 0), COALESCE(a.name, ''),
	t.waiting_since, t.created_at, t.updated_at, t.closed_at`

const ticketFrom = ` FROM tickets t JOIN companies c ON c.id = t.company_id
	LEFT JOIN users u ON u.id = t.user_id
	LEFT JOIN users a ON a.id = t.assignee_id
	LEFT JOIN company_services cs ON cs.id = t.service_id
	LEFT JOIN services sv ON sv.id = cs.service_id`

func scanTicket(row scanner) (Ticket, error) {
	var t Ticket
	var waiting, closed sql.NullString
	var created, updated string
	err := row.Scan(&t.ID, &t.CompanyID, &t.CompanyName, &t.UserID, &t.AuthorName, &t.ServiceID, &t.ServiceCode, &t.Subject,
		&t.Priority, &t.Status, &t.AssigneeID, &t.AssigneeName, &waiting, &created, &updated, &closed)
	t.WaitingSince, t.ClosedAt = parseNullTime(waiting), parseNullTime(closed)
	t.CreatedAt, t.UpdatedAt = parseTime(created), parseTime(updated)
	return t, err
}

// OpenTicket records a client's new ticket with its first message and
// files, and tells staff.
func (s *Store) OpenTicket(ctx context.Context, a Actor, companyID int64, nt NewTicket) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if nt.ServiceID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM company_services WHERE id = ? AND company_id = ?`,
				nt.ServiceID, companyID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrNotFound
			}
		}
		now := formatTime(s.Now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO tickets (company_id, user_id, service_id, subject, priority, status,
			waiting_since, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`,
			companyID, nullIfZero(a.UserID), nullIfZero(nt.ServiceID), nt.Subject, nt.Priority, now, now, now).Scan(&id); err != nil {
			return err
		}
		msg, err := s.addMessage(ctx, tx, a, id, MessageClient, nt.Body, nt.Attachments)
		if err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, a, companyID, AuditTicketOpened, fmt.Sprintf("#%d %s", id, nt.Subject)); err != nil {
			return err
		}
		return s.notifyStaffOfTicket(ctx, tx, id, msg, nt.Body)
	})
	if err != nil {
		return 0, fmt.Errorf("db: open ticket: %w", err)
	}
	return id, nil
}

// CompanyTickets returns a company's tickets, newest first; status narrows
// them to one status.
func (s *Store) CompanyTickets(ctx context.Context, companyID int64, status string) ([]Ticket, error) {
	out, err := queryAll(ctx, s.r, scanTicket, `SELECT `+ticketColumns+ticketFrom+`
		WHERE t.company_id = ? AND (? = '' OR t.status = ?) ORDER BY t.status = 'closed', t.updated_at DESC, t.id DESC`,
		companyID, status, status)
	if err != nil {
		return nil, fmt.Errorf("db: tickets of company %d: %w", companyID, err)
	}
	return out, nil
}

// CompanyTicket returns a company's ticket; another company's is not found.
func (s *Store) CompanyTicket(ctx context.Context, companyID, id int64) (Ticket, error) {
	return queryOne(ctx, s.r, scanTicket, fmt.Sprintf("ticket %d of company %d", id, companyID),
		`SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ? AND t.company_id = ?`, id, companyID)
}

// TicketByID returns any ticket (back office).
func (s *Store) TicketByID(ctx context.Context, id int64) (Ticket, error) {
	return queryOne(ctx, s.r, scanTicket, fmt.Sprintf("ticket %d", id), `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ?`, id)
}

// SetTicketStatus changes a company's own ticket's status, as its client
// closes it or opens it again. Only a closed ticket reopens: one in work
// stays as staff set it. Opening puts it on the waiting line; closing takes
// it off.
func (s *Store) SetTicketStatus(ctx context.Context, a Actor, companyID, ticketID int64, status string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		t, err := companyTicketForUpdate(ctx, tx, companyID, ticketID)
		if err != nil || t.Status == status || status == TicketOpen && t.Status != TicketClosed {
			return err
		}
		return s.changeStatus(ctx, tx, a, t, status)
	})
	if err != nil {
		return fmt.Errorf("db: status of ticket %d: %w", ticketID, err)
	}
	return nil
}

// SetTicketStatusByID gives any ticket any status (back office).
func (s *Store) SetTicketStatusByID(ctx context.Context, a Actor, ticketID int64, status string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		t, err := ticketForUpdate(ctx, tx, ticketID)
		if err != nil || t.Status == status {
			return err
		}
		return s.changeStatus(ctx, tx, a, t, status)
	})
	if err != nil {
		return fmt.Errorf("db: status of ticket %d: %w", ticketID, err)
	}
	return nil
}

// changeStatus records a new status in the ticket and its thread.
func (s *Store) changeStatus(ctx context.Context, tx *sql.Tx, a Actor, t Ticket, status string) error {
	if !slices.Contains(TicketStatuses, status) {
		return fmt.Errorf("no ticket status %q", status)
	}
	now := formatTime(s.Now())
	var err error
	switch status {
	case TicketClosed:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET status = ?, closed_at = ?, waiting_since = NULL, updated_at = ? WHERE id = ?`,
			status, now, now, t.ID)
	case TicketWaiting: // the ball is in the client's court
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET status = ?, closed_at = NULL, waiting_since = NULL, updated_at = ? WHERE id = ?`,
			status, now, t.ID)
	case TicketOpen:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET status = ?, closed_at = NULL, waiting_since = COALESCE(waiting_since, ?),
			updated_at = ? WHERE id = ?`,
			status, now, now, t.ID)
	default:
		_, err = tx.ExecContext(ctx, `UPDATE tickets SET status = ?, closed_at = NULL, updated_at = ? WHERE id = ?`, status, now, t.ID)
	}
	if err != nil {
		return err
	}
	if _, err := s.addMessage(ctx, tx, a, t.ID, MessageStatus, status, nil); err != nil {
		return err
	}
	return s.writeAudit(ctx, tx, a, t.CompanyID, AuditTicketStatus, fmt.Sprintf("#%d %s → %s", t.ID, t.Status, status))
}

// ticketForUpdate reads any ticket inside a transaction.
func ticketForUpdate(ctx context.Context, tx *sql.Tx, id int64) (Ticket, error) {
	return queryOne(ctx, tx, scanTicket, fmt.Sprintf("ticket %d", id), `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ?`, id)
}

// companyTicketForUpdate reads a company's own ticket inside a transaction.
func companyTicketForUpdate(ctx context.Context, tx *sql.Tx, companyID, id int64) (Ticket, error) {
	return queryOne(ctx, tx, scanTicket, fmt.Sprintf("ticket %d of company %d", id, companyID),
		`SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ? AND t.company_id = ?`, id, companyID)
}
