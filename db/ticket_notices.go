package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

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
// has none or is gone, and the company's linked Telegram chats of the roles
// that see tickets, if the
// company's notifications are on.
func (s *Store) notifyClientOfTicket(ctx context.Context, tx *sql.Tx, t Ticket, messageID int64, body string) error {
	var enabled bool
	var email, lang, companyEmail string
	err := tx.QueryRowContext(ctx, `SELECT c.notify_enabled, COALESCE(u.email, ''), COALESCE(u.lang, 'ru'),
		COALESCE((SELECT value FROM notification_contacts WHERE company_id = c.id AND kind = 'email' ORDER BY position, id LIMIT 1), '')
		FROM companies c LEFT JOIN users u ON u.id = ? AND u.company_id = c.id AND u.disabled_at IS NULL WHERE c.id = ?`,
		nullIfZero(t.UserID), t.CompanyID).Scan(&enabled, &email, &lang, &companyEmail)
	if err != nil || !enabled {
		return err
	}
	p := NoticeParams{Subject: t.Subject, Text: excerpt(body), TicketID: t.ID}
	chats, err := s.telegramRecipients(ctx, tx, t.CompanyID, NoticeTicketReply)
	if err != nil {
		return err
	}
	var out []NewNotice
	for _, c := range chats {
		out = append(out, NewNotice{CompanyID: t.CompanyID, Channel: ChannelTelegram, Recipient: c.chat, Lang: c.lang,
			Kind: NoticeTicketReply, Params: p, DedupeKey: fmt.Sprintf("%s:%d:%s:%s", NoticeTicketReply, messageID, ChannelTelegram, c.chat)})
	}
	if email == "" {
		email = companyEmail
	}
	if email != "" {
		out = append(out, NewNotice{CompanyID: t.CompanyID, Channel: ChannelEmail, Recipient: email, Lang: lang,
			Kind: NoticeTicketReply, Params: p, DedupeKey: fmt.Sprintf("%s:%d:%s", NoticeTicketReply, messageID, email)})
	}
	for _, n := range out {
		if _, _, err := s.enqueue(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}
