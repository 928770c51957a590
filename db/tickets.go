package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// Kinds of a ticket's thread entries.
const (
	MessageClient = "client" // the company's user wrote
	MessageStaff  = "staff"  // staff replied to the client
	MessageNote   = "note"   // staff's internal note, never shown to the client
	MessageStatus = "status" // the status changed; the body holds the new one
)

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

// TicketMessage is one entry of a ticket's thread.
type TicketMessage struct {
	ID          int64
	UserID      int64
	AuthorName  string
	Kind        string
	Body        string
	CreatedAt   time.Time
	Attachments []Attachment
}

// Attachment is a file attached to a ticket message; Data is filled only
// when the file itself is fetched.
type Attachment struct {
	ID          int64
	MessageID   int64
	Name        string
	ContentType string
	Size        int64
	Data        []byte
}

// NewTicket is a ticket as a client opens it.
type NewTicket struct {
	Subject     string
	Priority    string
	ServiceID   int64 // a company service, or 0
	Body        string
	Attachments []Attachment
}

// TicketFilter narrows the back office's queue; empty fields match all.
type TicketFilter struct {
	Status     string // one status, or "active" for all but closed
	Priority   string
	CompanyID  int64
	AssigneeID int64 // -1 for unassigned
}

// ErrNotAssignable refuses to give a ticket to anyone but staff who answer
// tickets.
var ErrNotAssignable = errors.New("tickets.bad_assignee")

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
			companyID, nullID(a.UserID), nullID(nt.ServiceID), nt.Subject, nt.Priority, now, now, now).Scan(&id); err != nil {
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

// addMessage appends an entry with its files to a ticket's thread.
func (s *Store) addMessage(ctx context.Context, tx *sql.Tx, a Actor, ticketID int64, kind, body string, files []Attachment) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_messages (ticket_id, user_id, kind, body, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, ticketID, nullID(a.UserID), kind, body, formatTime(s.Now())).Scan(&id); err != nil {
		return 0, err
	}
	for _, f := range files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_attachments (message_id, name, content_type, size, data)
			VALUES (?, ?, ?, ?, ?)`, id, f.Name, f.ContentType, len(f.Data), f.Data); err != nil {
			return 0, err
		}
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

// TicketQueue returns the back office's queue: tickets waiting for staff
// first, the longest waiting at the top, then the rest by last change.
func (s *Store) TicketQueue(ctx context.Context, f TicketFilter) ([]Ticket, error) {
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
	switch {
	case f.AssigneeID == -1:
		where += ` AND t.assignee_id IS NULL`
	case f.AssigneeID != 0:
		where, args = where+` AND t.assignee_id = ?`, append(args, f.AssigneeID)
	}
	out, err := queryAll(ctx, s.r, scanTicket, `SELECT `+ticketColumns+ticketFrom+where+`
		ORDER BY t.waiting_since IS NULL, t.waiting_since, t.updated_at DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: ticket queue: %w", err)
	}
	return out, nil
}

// TicketThread returns a ticket's thread, oldest first, with the files'
// names; internal notes only when asked for (staff).
func (s *Store) TicketThread(ctx context.Context, ticketID int64, withNotes bool) ([]TicketMessage, error) {
	msgs, err := queryAll(ctx, s.r, func(row scanner) (TicketMessage, error) {
		var m TicketMessage
		var created string
		err := row.Scan(&m.ID, &m.UserID, &m.AuthorName, &m.Kind, &m.Body, &created)
		m.CreatedAt = parseTime(created)
		return m, err
	}, `SELECT m.id, COALESCE(m.user_id, 0), COALESCE(u.name, ''), m.kind, m.body, m.created_at
		FROM ticket_messages m LEFT JOIN users u ON u.id = m.user_id
		WHERE m.ticket_id = ? AND (? OR m.kind <> 'note') ORDER BY m.id`, ticketID, withNotes)
	if err != nil {
		return nil, fmt.Errorf("db: thread of ticket %d: %w", ticketID, err)
	}
	files, err := queryAll(ctx, s.r, func(row scanner) (Attachment, error) {
		var f Attachment
		return f, row.Scan(&f.ID, &f.MessageID, &f.Name, &f.ContentType, &f.Size)
	}, `SELECT f.id, f.message_id, f.name, f.content_type, f.size FROM ticket_attachments f
		JOIN ticket_messages m ON m.id = f.message_id WHERE m.ticket_id = ? ORDER BY f.id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("db: files of ticket %d: %w", ticketID, err)
	}
	for i := range msgs {
		for _, f := range files {
			if f.MessageID == msgs[i].ID {
				msgs[i].Attachments = append(msgs[i].Attachments, f)
			}
		}
	}
	return msgs, nil
}

// TicketAttachment returns a file of the company's own tickets with its
// contents, never one of staff's internal notes.
func (s *Store) TicketAttachment(ctx context.Context, companyID, id int64) (Attachment, error) {
	return queryOne(ctx, s.r, scanAttachmentFile, fmt.Sprintf("attachment %d", id), `SELECT `+attachmentFileColumns+`
		FROM ticket_attachments f JOIN ticket_messages m ON m.id = f.message_id JOIN tickets t ON t.id = m.ticket_id
		WHERE f.id = ? AND t.company_id = ? AND m.kind <> 'note'`, id, companyID)
}

// TicketAttachmentByID returns any ticket's file with its contents, notes'
// included (back office).
func (s *Store) TicketAttachmentByID(ctx context.Context, id int64) (Attachment, error) {
	return queryOne(ctx, s.r, scanAttachmentFile, fmt.Sprintf("attachment %d", id), `SELECT `+attachmentFileColumns+`
		FROM ticket_attachments f WHERE f.id = ?`, id)
}

const attachmentFileColumns = `f.id, f.message_id, f.name, f.content_type, f.size, f.data`

// scanAttachmentFile scans a file with its contents.
func scanAttachmentFile(row scanner) (Attachment, error) {
	var f Attachment
	return f, row.Scan(&f.ID, &f.MessageID, &f.Name, &f.ContentType, &f.Size, &f.Data)
}

// ClientReply adds a client's message to its company's ticket. The ticket
// goes back to staff: a waiting or closed one opens again.
func (s *Store) ClientReply(ctx context.Context, a Actor, companyID, ticketID int64, body string, files []Attachment) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		t, err := companyTicketForUpdate(ctx, tx, companyID, ticketID)
		if err != nil {
			return err
		}
		if t.Status == TicketWaiting || t.Status == TicketClosed {
			if err := s.changeStatus(ctx, tx, a, t, TicketOpen); err != nil {
				return err
			}
		}
		msg, err := s.addMessage(ctx, tx, a, ticketID, MessageClient, body, files)
		if err != nil {
			return err
		}
		now := formatTime(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET waiting_since = COALESCE(waiting_since, ?), updated_at = ? WHERE id = ?`,
			now, now, ticketID); err != nil {
			return err
		}
		return s.notifyStaffOfTicket(ctx, tx, ticketID, msg, body)
	})
	if err != nil {
		return fmt.Errorf("db: client reply to ticket %d: %w", ticketID, err)
	}
	return nil
}

// StaffReply adds staff's reply (which the client is told of) or internal
// note to a ticket; a closed ticket takes only notes. A reply gives the ticket the status staff chose, takes
// it off the waiting line and assigns it to the replier if nobody has it.
func (s *Store) StaffReply(ctx context.Context, a Actor, ticketID int64, kind, body string, files []Attachment, status string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		t, err := ticketForUpdate(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if t.Status == TicketClosed && kind != MessageNote {
			return ErrTicketClosed
		}
		msg, err := s.addMessage(ctx, tx, a, ticketID, kind, body, files)
		if err != nil || kind == MessageNote { // a note is no news to the client: the ticket's times stay
			return err
		}
		now := formatTime(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET waiting_since = NULL, updated_at = ?,
			assignee_id = COALESCE(assignee_id, ?) WHERE id = ?`, now, nullID(a.UserID), ticketID); err != nil {
			return err
		}
		if status != t.Status {
			if err := s.changeStatus(ctx, tx, a, t, status); err != nil {
				return err
			}
		}
		if err := s.writeAudit(ctx, tx, a, t.CompanyID, AuditTicketReplied, fmt.Sprintf("#%d %s", ticketID, t.Subject)); err != nil {
			return err
		}
		return s.notifyClientOfTicket(ctx, tx, t, msg, body)
	})
	if err != nil {
		return fmt.Errorf("db: staff reply to ticket %d: %w", ticketID, err)
	}
	return nil
}

// SetTicketStatus closes a company's own ticket or opens it again. Only a
// closed ticket reopens: one in work stays as staff set it. Opening puts it
// on the waiting line; closing takes it off.
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
			nullID(assigneeID), formatTime(s.Now()), ticketID); err != nil {
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

// ticketForUpdate reads any ticket inside a transaction.
func ticketForUpdate(ctx context.Context, tx *sql.Tx, id int64) (Ticket, error) {
	return queryOne(ctx, tx, scanTicket, fmt.Sprintf("ticket %d", id), `SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ?`, id)
}

// companyTicketForUpdate reads a company's own ticket inside a transaction.
func companyTicketForUpdate(ctx context.Context, tx *sql.Tx, companyID, id int64) (Ticket, error) {
	return queryOne(ctx, tx, scanTicket, fmt.Sprintf("ticket %d of company %d", id, companyID),
		`SELECT `+ticketColumns+ticketFrom+` WHERE t.id = ? AND t.company_id = ?`, id, companyID)
}

// noticeExcerpt is how much of a message an e-mail quotes.
const noticeExcerpt = 2000

func excerpt(body string) string {
	if r := []rune(body); len(r) > noticeExcerpt {
		return strings.TrimSpace(string(r[:noticeExcerpt])) + "…"
	}
	return body
}

// notifyStaffOfTicket tells staff of a client's message: the assignee, or
// every staff member who answers tickets while nobody who can (active, with
// an e-mail, still answering) has it. The notices carry no company, so the
// client's own list of notifications never shows staff's addresses.
func (s *Store) notifyStaffOfTicket(ctx context.Context, tx *sql.Tx, ticketID, messageID int64, body string) error {
	t, err := ticketForUpdate(ctx, tx, ticketID)
	if err != nil {
		return err
	}
	type recipient struct{ email, lang string }
	rs, err := queryAll(ctx, tx, func(row scanner) (recipient, error) {
		var r recipient
		return r, row.Scan(&r.email, &r.lang)
	}, `SELECT email, lang FROM users u WHERE `+reachableAnswerer+` AND (u.id = ? OR NOT EXISTS
		(SELECT 1 FROM users u WHERE u.id = ? AND `+reachableAnswerer+`))`, t.AssigneeID, t.AssigneeID)
	if err != nil {
		return err
	}
	p := NoticeParams{Company: t.CompanyName, Subject: t.Subject, Text: excerpt(body), TicketID: ticketID}
	for _, r := range rs {
		if _, _, err := s.enqueue(ctx, tx, NewNotice{Channel: ChannelEmail, Recipient: r.email, Lang: r.lang,
			Kind: NoticeTicketClientMessage, Params: p, DedupeKey: fmt.Sprintf("%s:%d:%s", NoticeTicketClientMessage, messageID, r.email)}); err != nil {
			return err
		}
	}
	return nil
}

// reachableAnswerer is a staff user u who answers tickets and can be e-mailed.
const reachableAnswerer = `u.company_id IS NULL AND u.disabled_at IS NULL AND u.email <> '' AND u.role IN ('admin', 'manager', 'support')`

// notifyClientOfTicket tells the client of staff's reply: the user who
// opened the ticket, or the company's notification address when that user
// has none or is gone, if the company's notifications are on.
func (s *Store) notifyClientOfTicket(ctx context.Context, tx *sql.Tx, t Ticket, messageID int64, body string) error {
	var enabled bool
	var email, lang, companyEmail string
	err := tx.QueryRowContext(ctx, `SELECT c.notify_enabled, COALESCE(u.email, ''), COALESCE(u.lang, 'ru'),
		COALESCE((SELECT value FROM notification_contacts WHERE company_id = c.id AND kind = 'email' ORDER BY position, id LIMIT 1), '')
		FROM companies c LEFT JOIN users u ON u.id = ? AND u.company_id = c.id AND u.disabled_at IS NULL WHERE c.id = ?`,
		nullID(t.UserID), t.CompanyID).Scan(&enabled, &email, &lang, &companyEmail)
	if err != nil || !enabled {
		return err
	}
	if email == "" {
		email = companyEmail
	}
	if email == "" {
		return nil
	}
	_, _, err = s.enqueue(ctx, tx, NewNotice{CompanyID: t.CompanyID, Channel: ChannelEmail, Recipient: email, Lang: lang,
		Kind: NoticeTicketReply, Params: NoticeParams{Subject: t.Subject, Text: excerpt(body), TicketID: t.ID},
		DedupeKey: fmt.Sprintf("%s:%d:%s", NoticeTicketReply, messageID, email)})
	return err
}
