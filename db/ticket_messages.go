package db

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"
)

// Kinds of a ticket's thread entries.
const (
	MessageClient = "client" // the company's user wrote
	MessageStaff  = "staff"  // staff replied to the client
	MessageNote   = "note"   // staff's internal note, never shown to the client
	MessageStatus = "status" // the status changed; the body holds the new one
)

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

// addMessage appends an entry with its files to a ticket's thread.
func (s *Store) addMessage(ctx context.Context, tx *sql.Tx, a Actor, ticketID int64, kind, body string, files []Attachment) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_messages (ticket_id, user_id, kind, body, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, ticketID, nullIfZero(a.UserID), kind, body, formatTime(s.Now())).Scan(&id); err != nil {
		return 0, err
	}
	for _, f := range files {
		if err := addAttachment(ctx, tx, id, f); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// TicketThread returns a ticket's whole thread, oldest first, with the
// files' names; internal notes only when asked for (staff).
func (s *Store) TicketThread(ctx context.Context, ticketID int64, withNotes bool) ([]TicketMessage, error) {
	msgs, err := s.threadEntries(ctx, ticketID, withNotes, math.MaxInt64, -1) // SQLite reads a negative limit as none
	if err != nil {
		return nil, fmt.Errorf("db: thread of ticket %d: %w", ticketID, err)
	}
	return msgs, nil
}

// ThreadPage is a page of a ticket's thread: its newest entries before a
// point, oldest first.
type ThreadPage struct {
	Messages []TicketMessage
	Earlier  bool // the thread has entries before the first of Messages
}

// TicketThreadPage returns the newest limit entries of a ticket's thread
// before the entry before (all entries when it is 0), with the files'
// names; internal notes only when asked for (staff). An entry before that
// is not this ticket's, or is a note the reader may not see, is ErrNotFound.
func (s *Store) TicketThreadPage(ctx context.Context, ticketID int64, withNotes bool, before int64, limit int) (ThreadPage, error) {
	what := fmt.Sprintf("thread of ticket %d before %d", ticketID, before)
	if before == 0 {
		before = math.MaxInt64
	} else if _, err := queryOne(ctx, s.r, scanID, what, `SELECT id FROM ticket_messages
		WHERE id = ? AND ticket_id = ? AND (? OR kind <> 'note')`, before, ticketID, withNotes); err != nil {
		return ThreadPage{}, err
	}
	msgs, err := s.threadEntries(ctx, ticketID, withNotes, before, limit+1)
	if err != nil {
		return ThreadPage{}, fmt.Errorf("db: %s: %w", what, err)
	}
	if len(msgs) > limit {
		return ThreadPage{Messages: msgs[1:], Earlier: true}, nil
	}
	return ThreadPage{Messages: msgs}, nil
}

// threadEntries reads the newest limit entries before the entry before,
// oldest first, and the files of those entries alone.
func (s *Store) threadEntries(ctx context.Context, ticketID int64, withNotes bool, before int64, limit int) ([]TicketMessage, error) {
	msgs, err := queryAll(ctx, s.r, func(row scanner) (TicketMessage, error) {
		var m TicketMessage
		var created string
		err := row.Scan(&m.ID, &m.UserID, &m.AuthorName, &m.Kind, &m.Body, &created)
		m.CreatedAt = parseTime(created)
		return m, err
	}, `SELECT m.id, COALESCE(m.user_id, 0), COALESCE(u.name, ''), m.kind, m.body, m.created_at
		FROM ticket_messages m LEFT JOIN users u ON u.id = m.user_id
		WHERE m.ticket_id = ? AND m.id < ? AND (? OR m.kind <> 'note') ORDER BY m.id DESC LIMIT ?`, ticketID, before, withNotes, limit)
	if err != nil || len(msgs) == 0 {
		return msgs, err
	}
	slices.Reverse(msgs)
	at := make(map[int64]int, len(msgs))
	for i, m := range msgs {
		at[m.ID] = i
	}
	// The entries shown are the ones the reader sees between the first and the last.
	files, err := queryAll(ctx, s.r, func(row scanner) (Attachment, error) {
		var f Attachment
		return f, row.Scan(&f.ID, &f.MessageID, &f.Name, &f.ContentType, &f.Size)
	}, `SELECT f.id, f.message_id, f.name, f.content_type, f.size FROM ticket_attachments f
		JOIN ticket_messages m ON m.id = f.message_id
		WHERE m.ticket_id = ? AND m.id BETWEEN ? AND ? AND (? OR m.kind <> 'note') ORDER BY f.id`,
		ticketID, msgs[0].ID, msgs[len(msgs)-1].ID, withNotes)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		m := &msgs[at[f.MessageID]]
		m.Attachments = append(m.Attachments, f)
	}
	return msgs, nil
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
			assignee_id = COALESCE(assignee_id, ?) WHERE id = ?`, now, nullIfZero(a.UserID), ticketID); err != nil {
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

// BackdateTicket moves a ticket's history into the past: each message
// named in at takes its time, and the ticket's own times follow from its
// thread. A message moved back was never e-mailed: the notices of it still
// waiting are dropped. The demo writes its tickets as they happened, days
// before it runs.
func (s *Store) BackdateTicket(ctx context.Context, ticketID int64, at map[int64]time.Time) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		for id, t := range at {
			if _, err := tx.ExecContext(ctx, `UPDATE ticket_messages SET created_at = ? WHERE id = ? AND ticket_id = ?`,
				formatTime(t), id, ticketID); err != nil {
				return err
			}
			for _, kind := range []string{NoticeTicketClientMessage, NoticeTicketReply} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE status = 'pending' AND kind = ? AND dedupe_key LIKE ?`,
					kind, fmt.Sprintf("%s:%d:%%", kind, id)); err != nil {
					return err
				}
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE tickets SET
			created_at = (SELECT min(created_at) FROM ticket_messages WHERE ticket_id = tickets.id),
			updated_at = (SELECT max(created_at) FROM ticket_messages WHERE ticket_id = tickets.id),
			closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE (SELECT max(created_at) FROM ticket_messages WHERE ticket_id = tickets.id) END,
			waiting_since = CASE WHEN waiting_since IS NULL THEN NULL ELSE (SELECT min(created_at) FROM ticket_messages
				WHERE ticket_id = tickets.id AND kind = 'client' AND id > (SELECT COALESCE(max(id), 0) FROM ticket_messages
					WHERE ticket_id = tickets.id AND kind = 'staff')) END
			WHERE id = ?`, ticketID)
		return err
	})
	if err != nil {
		return fmt.Errorf("db: backdate ticket %d: %w", ticketID, err)
	}
	return nil
}
