package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// TicketFilter narrows the back office's queue; empty fields match all.
type TicketFilter struct {
	Status     string // one status, or "active" for all but closed
	Priority   string
	CompanyID  int64
	AssigneeID int64 // -1 for unassigned
	Waiting    bool  // only those whose client awaits staff's answer
	ManagerID  int64 // only the companies of this manager
	// AnsweredFrom keeps the tickets opened from then that staff answered:
	// those the home's first-response median is of. Zero keeps all.
	AnsweredFrom time.Time
}

// ErrNotAssignable refuses to give a ticket to anyone but staff who answer
// tickets.
var ErrNotAssignable = errors.New("tickets.bad_assignee")

// TicketQueueSize is the most tickets the queue shows at once.
const TicketQueueSize = 500

// TicketQueue returns the back office's queue: tickets waiting for staff
// first, the longest waiting at the top, then the rest by last change; at
// most TicketQueueSize.
func (s *Store) TicketQueue(ctx context.Context, f TicketFilter) ([]Ticket, error) {
	where, args := ticketQueueWhere(f)
	out, err := queryAll(ctx, s.r, scanTicket, `SELECT `+ticketColumns+ticketFrom+where+`
		ORDER BY t.waiting_since IS NULL, t.waiting_since, t.updated_at DESC LIMIT ?`, append(args, TicketQueueSize)...)
	if err != nil {
		return nil, fmt.Errorf("db: ticket queue: %w", err)
	}
	return out, nil
}

// CountTicketQueue counts the tickets the filter matches: what a cut queue
// says it shows part of.
func (s *Store) CountTicketQueue(ctx context.Context, f TicketFilter) (int, error) {
	where, args := ticketQueueWhere(f)
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*)`+ticketFrom+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("db: count ticket queue: %w", err)
	}
	return n, nil
}

// ticketQueueWhere is the filter's condition over ticketFrom.
func ticketQueueWhere(f TicketFilter) (string, []any) {
	where, args := ` WHERE 1 = 1`, []any{}
	switch {
	case f.Status == "active":
		where += ` AND t.status <> 'closed'`
	case f.Status != "":
		where, args = where+` AND t.status = ?`, append(args, f.Status)
	}
	if f.Priority != "" {
		where, args = where+` AND t.priority = ?`, append(args, f.Priority)
	}
	if f.CompanyID != 0 {
		where, args = where+` AND t.company_id = ?`, append(args, f.CompanyID)
	}
	if f.Waiting {
		where += ` AND ` + waitingTicket
	}
	if f.ManagerID != 0 {
		where, args = where+` AND c.manager_id = ?`, append(args, f.ManagerID)
	}
	if !f.AnsweredFrom.IsZero() {
		where, args = where+` AND t.created_at >= ? AND `+answeredTicket, append(args, formatTime(f.AnsweredFrom))
	}
	switch {
	case f.AssigneeID == -1:
		where += ` AND t.assignee_id IS NULL`
	case f.AssigneeID != 0:
		where, args = where+` AND t.assignee_id = ?`, append(args, f.AssigneeID)
	}
	return where, args
}

// AssignTicket gives a ticket to a staff member who answers tickets, or to
// nobody (assigneeID 0).
func (s *Store) AssignTicket(ctx context.Context, a Actor, ticketID, assigneeID int64) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		t, err := ticketForUpdate(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		name := "—"
		if assigneeID != 0 {
			err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = ? AND company_id IS NULL
				AND role IN ('admin', 'manager', 'support') AND disabled_at IS NULL`, assigneeID).Scan(&name)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotAssignable
			}
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?`,
			nullIfZero(assigneeID), formatTime(s.Now()), ticketID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, t.CompanyID, AuditTicketAssigned, fmt.Sprintf("#%d → %s", ticketID, name))
	})
	if err != nil {
		return fmt.Errorf("db: assign ticket %d: %w", ticketID, err)
	}
	return nil
}

// TicketAssignees are the staff who may be given a ticket.
func (s *Store) TicketAssignees(ctx context.Context) ([]User, error) {
	staff, err := s.StaffUsers(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(staff, func(u User) bool {
		return u.DisabledAt != nil || !slices.Contains([]string{RoleAdmin, RoleManager, RoleSupport}, u.Role)
	}), nil
}
