package db

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"elk/db/money"
)

// Notification channels.
const (
	ChannelEmail    = "email"
	ChannelSMS      = "sms"
	ChannelTelegram = "telegram" // a linked chat (telegram_links); the recipient is its chat id
)

// Channels lists every channel in the order filters offer them.
var Channels = []string{ChannelEmail, ChannelSMS, ChannelTelegram}

// Outbox statuses.
const (
	NoticePending = "pending"
	NoticeSent    = "sent"
	NoticeFailed  = "failed"
)

// NoticeStatuses lists every outbox status in the order filters offer them.
var NoticeStatuses = []string{NoticePending, NoticeSent, NoticeFailed}

// Kinds of notification. The text is also a translation key ("notice.<kind>").
const (
	NoticeSMSLow              = "sms_low"               // the SMS balance fell below the threshold
	NoticeSMSNegative         = "sms_negative"          // the SMS balance fell below zero
	NoticeInvoiceIssued       = "invoice_issued"        // staff issued an invoice for the company
	NoticeInvoicePaid         = "invoice_paid"          // a payment for an invoice came
	NoticeClosingIssued       = "closing_issued"        // a month's closing document was issued
	NoticeServerDown          = "server_down"           // a monitored server went down
	NoticeServerUp            = "server_up"             // and came back
	NoticeLicenseExpiring     = "license_expiring"      // a license key expires soon
	NoticeQuestionAnswered    = "question_answered"     // staff answered a user's question
	NoticeTicketReply         = "ticket_reply"          // staff replied to the company's ticket
	NoticeTicketClientMessage = "ticket_client_message" // a client opened a ticket or wrote in one
	NoticeTest                = "test"                  // staff checking the mail settings
	NoticeTelegramLinked      = "telegram_linked"       // the bot's answer: the chat is linked
	NoticeTelegramRefused     = "telegram_refused"      // the bot's answer: the code is wrong, expired or used
	NoticeTelegramUnlinked    = "telegram_unlinked"     // the bot's answer to /stop
	NoticeTelegramHelp        = "telegram_help"         // the bot's answer to anything else: how to link
)

// smsKinds are the notices that also go to the notification phones; the
// rest are e-mail only.
var smsKinds = map[string]bool{NoticeSMSLow: true, NoticeSMSNegative: true}

// NoticeKinds lists every kind in the order filters offer them.
var NoticeKinds = []string{NoticeSMSLow, NoticeSMSNegative, NoticeInvoiceIssued, NoticeInvoicePaid, NoticeClosingIssued, NoticeServerDown, NoticeServerUp, NoticeLicenseExpiring, NoticeQuestionAnswered, NoticeTicketReply, NoticeTicketClientMessage, NoticeTest,
	NoticeTelegramLinked, NoticeTelegramRefused, NoticeTelegramUnlinked, NoticeTelegramHelp}

// NoticeParams is what a notification says, kept with it as JSON so that the
// message can be composed in the recipient's language when it is sent.
type NoticeParams struct {
	Company   string        `json:"company,omitempty"`
	ServiceID int64         `json:"service_id,omitempty"` // the connected service it is about
	Balance   money.Kopecks `json:"balance,omitempty"`
	Threshold money.Kopecks `json:"threshold,omitempty"`
	// DaysLeft and DailySpend are the balance's forecast when it was
	// written (see Forecast); DaysLeft is nil when nothing was spent.
	DaysLeft   *int          `json:"days_left,omitempty"`
	DailySpend money.Kopecks `json:"daily_spend,omitempty"`
	Number     string        `json:"number,omitempty"` // an invoice's
	Act        string        `json:"act,omitempty"`    // the number of the document a payment got
	Amount     money.Kopecks `json:"amount,omitempty"`
	Server     string        `json:"server,omitempty"`  // a monitor's name
	Error      string        `json:"error,omitempty"`   // why it is down
	Product    string        `json:"product,omitempty"` // a license's
	Key        string        `json:"key,omitempty"`     // a license's, masked
	Days       int           `json:"days,omitempty"`    // left before a license expires
	Expires    string        `json:"expires,omitempty"` // a license's expiry, YYYY-MM-DD
	Subject    string        `json:"subject,omitempty"` // a question's or a ticket's; what a document is for
	Text       string        `json:"text,omitempty"`    // a ticket message's, cut to a length
	TicketID   int64         `json:"ticket_id,omitempty"`
	TariffID   int64         `json:"tariff_id,omitempty"`  // a low-balance alert's: the tariff to top up on
	InvoiceID  int64         `json:"invoice_id,omitempty"` // the invoice a low-balance alert carries
	// Due and Unattached are filled in when an alert is sent, never kept:
	// what is left to pay of its invoice paid in part, and that its file
	// could not be attached.
	Due        money.Kopecks `json:"-"`
	Unattached bool          `json:"-"`
	Kinds      []string      `json:"kinds,omitempty"` // a linked chat's: the kinds it will get
}

// Notice is one notification in the outbox.
type Notice struct {
	ID            int64
	CompanyID     int64 // 0 for staff's own messages
	CompanyName   string
	Channel       string
	Recipient     string
	Lang          string
	Kind          string
	Params        NoticeParams
	DedupeKey     string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// NewNotice is a notification to write to the outbox.
type NewNotice struct {
	CompanyID int64
	Channel   string
	Recipient string
	Lang      string // "" means Russian
	Kind      string
	Params    NoticeParams
	DedupeKey string // the same key twice writes one notice
}

// ErrNoticeNotFailed refuses to resend a notice that has not failed.
var ErrNoticeNotFailed = errors.New("outbox.not_failed")

// ErrNoticeChatGone refuses to resend a notice to a Telegram chat that no
// longer takes the company's notices of its kind.
var ErrNoticeChatGone = errors.New("outbox.chat_gone")

// EnqueueTestEmail writes staff's test e-mail to the outbox and the audit
// log, and returns its id.
func (s *Store) EnqueueTestEmail(ctx context.Context, a Actor, to, lang string) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, _, err = s.enqueue(ctx, tx, NewNotice{Channel: ChannelEmail, Recipient: to, Lang: lang, Kind: NoticeTest,
			DedupeKey: "test:" + rand.Text()})
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, 0, AuditTestEmail, to)
	})
	if err != nil {
		return 0, fmt.Errorf("db: test e-mail: %w", err)
	}
	return id, nil
}

// enqueue writes a notification inside the transaction of its event.
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, n NewNotice) (int64, bool, error) {
	if n.DedupeKey == "" {
		return 0, false, errors.New("db: enqueue: no dedupe key")
	}
	if n.Lang == "" {
		n.Lang = "ru"
	}
	params, err := json.Marshal(n.Params)
	if err != nil {
		return 0, false, fmt.Errorf("db: enqueue: %w", err)
	}
	now := formatTime(s.Now())
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO outbox (company_id, channel, recipient, lang, kind, params, dedupe_key, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dedupe_key) DO NOTHING
		RETURNING id`,
		nullIfZero(n.CompanyID), n.Channel, n.Recipient, n.Lang, n.Kind, string(params), n.DedupeKey, now, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRowContext(ctx, `SELECT id FROM outbox WHERE dedupe_key = ?`, n.DedupeKey).Scan(&id)
		return id, false, err
	}
	if err != nil {
		return 0, false, fmt.Errorf("db: enqueue: %w", err)
	}
	return id, true, nil
}

// ImportNotices records notices dealt with before, such as the demo's
// delivered alerts, each as it stands (status, attempts, times); one whose
// dedupe key is known is skipped, so importing again adds nothing.
func (s *Store) ImportNotices(ctx context.Context, notices []Notice) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, n := range notices {
			if n.Lang == "" {
				n.Lang = "ru"
			}
			params, err := json.Marshal(n.Params)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (company_id, channel, recipient, lang, kind, params, dedupe_key,
				status, attempts, next_attempt_at, last_error, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (dedupe_key) DO NOTHING`,
				nullIfZero(n.CompanyID), n.Channel, n.Recipient, n.Lang, n.Kind, string(params), n.DedupeKey, n.Status, n.Attempts,
				formatTime(n.NextAttemptAt), n.LastError, formatTime(n.CreatedAt), nullTime(n.SentAt)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("db: import notices: %w", err)
	}
	return nil
}

// notifyCompany writes one notice of an event to each of the company's
// notification e-mails and phones and linked Telegram chats, when its
// notifications are on, each in the language of the company's user
// who has that address (Russian when none). event names the event, so that
// writing it again changes nothing. It reports whether anyone was notified.
func (s *Store) notifyCompany(ctx context.Context, tx *sql.Tx, companyID int64, kind, event string, p NoticeParams) (bool, error) {
	var enabled bool
	if err := tx.QueryRowContext(ctx, `SELECT notify_enabled FROM companies WHERE id = ?`, companyID).Scan(&enabled); err != nil {
		return false, fmt.Errorf("db: notify company %d: %w", companyID, err)
	}
	if !enabled {
		return false, nil // the manager has not switched notifications on
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT nc.kind, nc.value, COALESCE((SELECT u.lang FROM users u
			WHERE u.company_id = nc.company_id AND u.disabled_at IS NULL
				AND ((nc.kind = 'email' AND u.email = nc.value COLLATE NOCASE) OR (nc.kind = 'phone' AND u.phone = nc.value))
			ORDER BY u.id LIMIT 1), 'ru')
		FROM notification_contacts nc WHERE nc.company_id = ? ORDER BY nc.kind, nc.position, nc.id`, companyID)
	if err != nil {
		return false, fmt.Errorf("db: notify company %d: %w", companyID, err)
	}
	var out []NewNotice
	for rows.Next() {
		var contactKind, value, lang string
		if err := rows.Scan(&contactKind, &value, &lang); err != nil {
			rows.Close()
			return false, fmt.Errorf("db: notify company %d: %w", companyID, err)
		}
		channel := ChannelEmail
		if contactKind == ContactPhone {
			if !smsKinds[kind] {
				continue
			}
			channel = ChannelSMS
		}
		out = append(out, NewNotice{CompanyID: companyID, Channel: channel, Recipient: value, Lang: lang, Kind: kind, Params: p,
			DedupeKey: strings.Join([]string{kind, event, channel, value}, ":")})
	}
	if err := rows.Close(); err != nil {
		return false, fmt.Errorf("db: notify company %d: %w", companyID, err)
	}
	chats, err := s.telegramRecipients(ctx, tx, companyID, kind)
	if err != nil {
		return false, fmt.Errorf("db: notify company %d: %w", companyID, err)
	}
	for _, c := range chats {
		out = append(out, NewNotice{CompanyID: companyID, Channel: ChannelTelegram, Recipient: c.chat, Lang: c.lang, Kind: kind,
			Params: p, DedupeKey: strings.Join([]string{kind, event, ChannelTelegram, c.chat}, ":")})
	}
	for _, n := range out {
		if _, _, err := s.enqueue(ctx, tx, n); err != nil {
			return false, err
		}
	}
	return len(out) > 0, nil
}

const noticeColumns = `o.id, COALESCE(o.company_id, 0), COALESCE(c.name, ''), o.channel, o.recipient, o.lang, o.kind, o.params,
	o.dedupe_key, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at`

const noticeFrom = ` FROM outbox o LEFT JOIN companies c ON c.id = o.company_id`

func scanNotice(row scanner) (Notice, error) {
	var n Notice
	var params, next, created string
	var sent sql.NullString
	err := row.Scan(&n.ID, &n.CompanyID, &n.CompanyName, &n.Channel, &n.Recipient, &n.Lang, &n.Kind, &params,
		&n.DedupeKey, &n.Status, &n.Attempts, &next, &n.LastError, &created, &sent)
	if err != nil {
		return n, err
	}
	if err := json.Unmarshal([]byte(params), &n.Params); err != nil {
		return n, fmt.Errorf("notice %d params: %w", n.ID, err)
	}
	n.NextAttemptAt, n.CreatedAt, n.SentAt = parseTime(next), parseTime(created), parseNullTime(sent)
	return n, nil
}

func (s *Store) queryNotices(ctx context.Context, q string, args ...any) ([]Notice, error) {
	return queryAll(ctx, s.r, scanNotice, `SELECT `+noticeColumns+noticeFrom+q, args...)
}

// Notice returns one outbox notice by id.
func (s *Store) Notice(ctx context.Context, id int64) (Notice, error) {
	return queryOne(ctx, s.r, scanNotice, fmt.Sprintf("notice %d", id), `SELECT `+noticeColumns+noticeFrom+` WHERE o.id = ?`, id)
}

// DueNotices returns up to limit pending notices whose next attempt has come,
// the longest waiting first.
func (s *Store) DueNotices(ctx context.Context, limit int) ([]Notice, error) {
	out, err := s.queryNotices(ctx, ` WHERE o.status = 'pending' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`,
		formatTime(s.Now()), limit)
	if err != nil {
		return nil, fmt.Errorf("db: due notices: %w", err)
	}
	return out, nil
}

// ClaimNotice records an attempt before it is made: the notice's attempt
// count grows and it is not due again until leaseUntil, by when the attempt
// has long ended; a process that dies while sending retries it then. It
// reports false when the notice is no longer due (sent, failed, or claimed
// by someone else meanwhile).
func (s *Store) ClaimNotice(ctx context.Context, id int64, leaseUntil time.Time) (Notice, bool, error) {
	var n Notice
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?
			WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?`, formatTime(leaseUntil), id, formatTime(s.Now()))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return ErrNotFound
		}
		n, err = queryOne(ctx, tx, scanNotice, fmt.Sprintf("notice %d", id), `SELECT `+noticeColumns+noticeFrom+` WHERE o.id = ?`, id)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return n, false, nil
	}
	if err != nil {
		return n, false, fmt.Errorf("db: claim notice %d: %w", id, err)
	}
	return n, true, nil
}

// NoticeSent records a delivered notice.
func (s *Store) NoticeSent(ctx context.Context, id int64) error {
	_, err := s.w.ExecContext(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ?`,
		formatTime(s.Now()), id)
	if err != nil {
		return fmt.Errorf("db: notice %d sent: %w", id, err)
	}
	return nil
}

// NoticeAttemptFailed records why an attempt failed and when to try again;
// final gives the notice up instead.
func (s *Store) NoticeAttemptFailed(ctx context.Context, id int64, reason string, final bool, retryAt time.Time) error {
	status := NoticePending
	if final {
		status = NoticeFailed
	}
	_, err := s.w.ExecContext(ctx, `UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'`,
		status, truncate(reason, 1000), formatTime(retryAt), id)
	if err != nil {
		return fmt.Errorf("db: notice %d failed: %w", id, err)
	}
	return nil
}

// NoticeDeferred puts a notice off until retryAt at the server's request
// (Telegram's 429): the attempt does not count toward giving it up.
func (s *Store) NoticeDeferred(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE outbox SET attempts = max(attempts - 1, 0), last_error = ?, next_attempt_at = ?
		WHERE id = ? AND status = 'pending'`, truncate(reason, 1000), formatTime(retryAt), id)
	if err != nil {
		return fmt.Errorf("db: notice %d deferred: %w", id, err)
	}
	return nil
}

// ResendNotice puts a failed notice back in the queue with fresh attempts.
func (s *Store) ResendNotice(ctx context.Context, a Actor, id int64) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		n, err := queryOne(ctx, tx, scanNotice, fmt.Sprintf("notice %d", id), `SELECT `+noticeColumns+noticeFrom+` WHERE o.id = ?`, id)
		if err != nil {
			return err
		}
		if n.Status != NoticeFailed {
			return ErrNoticeNotFailed
		}
		if takes, err := s.chatStillTakes(ctx, tx, n); err != nil || !takes {
			return cmp.Or(err, ErrNoticeChatGone)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, last_error = '', next_attempt_at = ? WHERE id = ?`,
			formatTime(s.Now()), id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, n.CompanyID, AuditNoticeResent, fmt.Sprintf("#%d %s", id, n.Recipient))
	})
	if err != nil {
		return fmt.Errorf("db: resend notice %d: %w", id, err)
	}
	return nil
}

// CompanyNotices returns the company's latest notifications, newest first.
func (s *Store) CompanyNotices(ctx context.Context, companyID int64, limit int) ([]Notice, error) {
	out, err := s.queryNotices(ctx, ` WHERE o.company_id = ? ORDER BY o.id DESC LIMIT ?`, companyID, limit)
	if err != nil {
		return nil, fmt.Errorf("db: company %d notices: %w", companyID, err)
	}
	return out, nil
}

// NoticeFilter narrows the back office's outbox list; zero values match all.
type NoticeFilter struct {
	Status    string
	Channel   string
	Kind      string
	CompanyID int64
	Recipient string // a part of the address
	BeforeID  int64  // keyset paging: only notices older than this one
	Limit     int
}

// ListNotices returns the outbox newest first, filtered.
func (s *Store) ListNotices(ctx context.Context, f NoticeFilter) ([]Notice, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if f.Status != "" {
		add("o.status = ?", f.Status)
	}
	if f.Channel != "" {
		add("o.channel = ?", f.Channel)
	}
	if f.Kind != "" {
		add("o.kind = ?", f.Kind)
	}
	if f.CompanyID != 0 {
		add("o.company_id = ?", f.CompanyID)
	}
	if f.Recipient != "" {
		add("instr(lower(o.recipient), lower(?)) > 0", f.Recipient)
	}
	if f.BeforeID != 0 {
		add("o.id < ?", f.BeforeID)
	}
	q := ""
	if len(where) > 0 {
		q = " WHERE " + strings.Join(where, " AND ")
	}
	out, err := s.queryNotices(ctx, q+" ORDER BY o.id DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("db: list notices: %w", err)
	}
	return out, nil
}

// OutboxCounts is how many notices wait and how many have failed.
type OutboxCounts struct{ Pending, Failed int }

// CountOutbox counts the notices waiting and failed.
func (s *Store) CountOutbox(ctx context.Context) (OutboxCounts, error) {
	var oc OutboxCounts
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM outbox WHERE status = 'pending'),
		(SELECT count(*) FROM outbox WHERE status = 'failed')`).Scan(&oc.Pending, &oc.Failed)
	if err != nil {
		return oc, fmt.Errorf("db: count outbox: %w", err)
	}
	return oc, nil
}
