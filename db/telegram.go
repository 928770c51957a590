package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TelegramCodeLife is how long a code for linking a chat stays valid.
const TelegramCodeLife = 15 * time.Minute

// telegramOffsetKey names, in settings, the id of the next Telegram update
// to read: an update is handled and this moved past it in one transaction,
// so a restart neither loses nor repeats one. telegramOffsetAtKey is when
// it was last moved.
const (
	telegramOffsetKey   = "telegram:update_offset"
	telegramOffsetAtKey = "telegram:update_offset_at"
)

// TelegramOffsetLife is how long the offset is trusted after it last moved.
// After a week without updates Telegram numbers the next one at random,
// maybe below the offset, which would then hide it: an older offset is not
// sent, and Telegram serves the updates not yet confirmed (it keeps none
// longer than a day).
const TelegramOffsetLife = 6 * 24 * time.Hour

// TelegramLink is a chat that receives a company's notifications.
type TelegramLink struct {
	ID        int64
	UserID    int64
	UserName  string // who linked it
	ChatID    int64
	LinkedAt  time.Time
	BlockedAt *time.Time // Telegram said the bot was blocked or removed there
	// UserDisabled: who linked it is disabled since, so it gets nothing.
	UserDisabled bool
}

// TelegramCommand is what a chat asked the bot, as the poller read it.
type TelegramCommand struct {
	UpdateID  int64
	ChatID    int64
	MessageID int64  // with UpdateID and ChatID, names the bot's answer
	Lang      string // the sender's language, for answers to a chat not linked yet
	Action    string // one of the TelegramStart… constants
	Code      string // with TelegramStart
}

// What a chat can ask the bot.
const (
	TelegramStart  = "start"  // link the chat with a code
	TelegramStop   = "stop"   // unlink the chat
	TelegramHelp   = "help"   // anything else said to the bot: how to link
	TelegramIgnore = "ignore" // nothing to answer (talk in a group)
)

// ErrNotYourLink refuses to remove another user's chat to whom only their
// own is allowed.
var ErrNotYourLink = errors.New("error.telegram_not_yours")

func telegramCodeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// NewTelegramCode issues a one-time code with which the user links a chat
// to the company; the user's earlier unused codes stop working, and
// everyone's expired ones are forgotten.
func (s *Store) NewTelegramCode(ctx context.Context, companyID, userID int64) (string, time.Time, error) {
	code := rand.Text()
	expires := s.Now().Add(TelegramCodeLife)
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM telegram_codes WHERE (user_id = ? AND used_at IS NULL) OR expires_at < ?`,
			userID, formatTime(s.Now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO telegram_codes (code_hash, company_id, user_id, expires_at) VALUES (?, ?, ?, ?)`,
			telegramCodeHash(code), companyID, userID, formatTime(expires))
		return err
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("db: telegram code: %w", err)
	}
	return code, expires, nil
}

// TelegramOffset is the id of the next update to ask Telegram for; 0 (ask
// without an offset, skip nothing) when it moved longer than
// TelegramOffsetLife ago or never.
func (s *Store) TelegramOffset(ctx context.Context) (int64, error) {
	var offset, at sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT value FROM settings WHERE key = ?), (SELECT value FROM settings WHERE key = ?)`,
		telegramOffsetKey, telegramOffsetAtKey).Scan(&offset, &at)
	if err != nil {
		return 0, fmt.Errorf("db: telegram offset: %w", err)
	}
	if !offset.Valid || !at.Valid || s.Now().Sub(parseTime(at.String)) > TelegramOffsetLife {
		return 0, nil
	}
	return strconv.ParseInt(offset.String, 10, 64)
}

// HandleTelegramCommand does what a chat asked and writes the bot's answer
// to the outbox, and moves the update offset past it, all in one
// transaction. It reports the company a start linked the chat to (0 when
// the code did not fit).
func (s *Store) HandleTelegramCommand(ctx context.Context, cmd TelegramCommand) (int64, error) {
	var linked int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		reply := NewNotice{Channel: ChannelTelegram, Recipient: strconv.FormatInt(cmd.ChatID, 10), Lang: cmd.Lang,
			// Update ids start again at random after a quiet week: the chat
			// and the message tell a new update from one answered before.
			DedupeKey: fmt.Sprintf("telegram:update:%d:%d:%d", cmd.UpdateID, cmd.ChatID, cmd.MessageID)}
		var err error
		switch cmd.Action {
		case TelegramStart:
			linked, err = s.linkTelegramChat(ctx, tx, cmd, &reply)
		case TelegramStop:
			err = s.unlinkTelegramChat(ctx, tx, cmd, &reply)
		case TelegramHelp:
			reply.Kind = NoticeTelegramHelp
		}
		if err != nil {
			return err
		}
		if reply.Kind != "" {
			if _, _, err := s.enqueue(ctx, tx, reply); err != nil {
				return err
			}
		}
		if linked != 0 {
			// A balance already low that nobody could be told of is told
			// now, after the answer to the link.
			if err := s.checkSMSAlert(ctx, tx, linked); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			telegramOffsetKey, strconv.FormatInt(cmd.UpdateID+1, 10), telegramOffsetAtKey, formatTime(s.Now()))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("db: telegram update %d: %w", cmd.UpdateID, err)
	}
	return linked, nil
}

// linkTelegramChat spends a valid code on the chat; a chat linked before
// (or blocked) is linked afresh, by this user.
func (s *Store) linkTelegramChat(ctx context.Context, tx *sql.Tx, cmd TelegramCommand, reply *NewNotice) (int64, error) {
	now := formatTime(s.Now())
	var companyID, userID int64
	var company, login, lang, role string
	err := tx.QueryRowContext(ctx, `UPDATE telegram_codes SET used_at = ?
		WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING company_id, user_id`, now, telegramCodeHash(cmd.Code), now).Scan(&companyID, &userID)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT c.name, u.login, u.lang, u.role FROM users u JOIN companies c ON c.id = u.company_id
			WHERE u.id = ? AND u.company_id = ? AND u.disabled_at IS NULL`, userID, companyID).Scan(&company, &login, &lang, &role)
	}
	if errors.Is(err, sql.ErrNoRows) {
		reply.Kind = NoticeTelegramRefused
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO telegram_links (company_id, user_id, chat_id, linked_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (company_id, chat_id) DO UPDATE SET user_id = excluded.user_id, linked_at = excluded.linked_at, blocked_at = NULL`,
		companyID, userID, cmd.ChatID, now); err != nil {
		return 0, err
	}
	reply.CompanyID, reply.Lang, reply.Kind = companyID, lang, NoticeTelegramLinked
	reply.Params = NoticeParams{Company: company, Kinds: telegramKindsOf(role)}
	actor := Actor{UserID: userID, Login: login}
	return companyID, s.writeAudit(ctx, tx, actor, companyID, AuditTelegramLinked, MaskChatID(strconv.FormatInt(cmd.ChatID, 10)))
}

// unlinkTelegramChat removes the chat from every company it was linked to,
// answering in the language of the user who linked it.
func (s *Store) unlinkTelegramChat(ctx context.Context, tx *sql.Tx, cmd TelegramCommand, reply *NewNotice) error {
	reply.Kind = NoticeTelegramUnlinked
	var companyID int64
	var company, lang string
	err := tx.QueryRowContext(ctx, `SELECT l.company_id, c.name, u.lang FROM telegram_links l
		JOIN companies c ON c.id = l.company_id JOIN users u ON u.id = l.user_id
		WHERE l.chat_id = ? ORDER BY l.id LIMIT 1`, cmd.ChatID).Scan(&companyID, &company, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // nothing was linked: the answer says so all the same
	}
	if err != nil {
		return err
	}
	reply.CompanyID, reply.Lang, reply.Params = companyID, lang, NoticeParams{Company: company}
	if err := s.dropChatNotices(ctx, tx, 0, cmd.ChatID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `DELETE FROM telegram_links WHERE chat_id = ? RETURNING company_id`, cmd.ChatID)
	if err != nil {
		return err
	}
	var companies []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		companies = append(companies, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, id := range companies {
		if err := s.writeAudit(ctx, tx, Actor{}, id, AuditTelegramUnlinked, MaskChatID(strconv.FormatInt(cmd.ChatID, 10))+" /stop"); err != nil {
			return err
		}
	}
	return nil
}

// TelegramLinks returns the company's chats, the newest first.
func (s *Store) TelegramLinks(ctx context.Context, companyID int64) ([]TelegramLink, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (TelegramLink, error) {
		var l TelegramLink
		var linked string
		var blocked sql.NullString
		err := row.Scan(&l.ID, &l.UserID, &l.UserName, &l.ChatID, &linked, &blocked, &l.UserDisabled)
		l.LinkedAt, l.BlockedAt = parseTime(linked), parseNullTime(blocked)
		return l, err
	}, `SELECT l.id, l.user_id, u.name, l.chat_id, l.linked_at, l.blocked_at, u.disabled_at IS NOT NULL FROM telegram_links l
		JOIN users u ON u.id = l.user_id WHERE l.company_id = ? ORDER BY l.id DESC`, companyID)
	if err != nil {
		return nil, fmt.Errorf("db: company %d telegram links: %w", companyID, err)
	}
	return out, nil
}

// RemoveTelegramLink unlinks one of the company's chats. Only anyone's
// when anyones (the owner); otherwise only the actor's own.
func (s *Store) RemoveTelegramLink(ctx context.Context, a Actor, companyID, linkID int64, anyones bool) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var userID, chatID int64
		err := tx.QueryRowContext(ctx, `SELECT user_id, chat_id FROM telegram_links WHERE id = ? AND company_id = ?`,
			linkID, companyID).Scan(&userID, &chatID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !anyones && userID != a.UserID {
			return ErrNotYourLink
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM telegram_links WHERE id = ?`, linkID); err != nil {
			return err
		}
		if err := s.dropChatNotices(ctx, tx, companyID, chatID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditTelegramUnlinked, MaskChatID(strconv.FormatInt(chatID, 10)))
	})
	if err != nil {
		return fmt.Errorf("db: remove telegram link %d: %w", linkID, err)
	}
	return nil
}

// chatUnlinked is the recorded reason of a notice dropped with its chat.
const chatUnlinked = "the chat was unlinked before the notice went"

// dropChatNotices gives up the company's notices still waiting for a chat
// being unlinked (any company's when companyID is 0), so that nothing
// reaches a chat after its users asked for no more. The bot's own answers
// to the chat are kept.
func (s *Store) dropChatNotices(ctx context.Context, tx *sql.Tx, companyID, chatID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', last_error = ?
		WHERE channel = 'telegram' AND recipient = ? AND status = 'pending' AND (? = 0 OR company_id = ?)
			AND kind NOT IN (?, ?, ?, ?)`,
		chatUnlinked, strconv.FormatInt(chatID, 10), companyID, companyID,
		NoticeTelegramLinked, NoticeTelegramRefused, NoticeTelegramUnlinked, NoticeTelegramHelp)
	return err
}

// TelegramChatBlocked marks the chat's links blocked, as Telegram refuses
// to deliver there: no more notices are written for it until it is linked
// again, and its users see why on the company's page.
func (s *Store) TelegramChatBlocked(ctx context.Context, chat string) error {
	chatID, err := strconv.ParseInt(chat, 10, 64)
	if err != nil {
		return fmt.Errorf("db: telegram chat %q: %w", chat, err)
	}
	_, err = s.w.ExecContext(ctx, `UPDATE telegram_links SET blocked_at = ? WHERE chat_id = ? AND blocked_at IS NULL`,
		formatTime(s.Now()), chatID)
	if err != nil {
		return fmt.Errorf("db: telegram chat blocked: %w", err)
	}
	return nil
}

// MaskChatID shows only a chat id's last four digits («••••6789»): enough
// to tell one's chats apart, not to write to them.
func MaskChatID(id string) string {
	if len(id) <= 4 {
		return "••••" + id
	}
	return "••••" + id[len(id)-4:]
}

// telegramRecipient is a linked chat and the language of who linked it.
type telegramRecipient struct{ chat, lang string }

// telegramKindRoles are the client roles whose linked chats get each kind
// of the company's notices: those to whom the portal shows the matter
// (README «Roles»). Balances are everyone's; tickets and monitoring (license
// keys belong to the servers) are the owner's and the dispatcher's. A kind
// not listed goes to no chat.
var telegramKindRoles = map[string][]string{
	NoticeSMSLow:          {RoleOwner, RoleAccountant, RoleDispatcher},
	NoticeSMSNegative:     {RoleOwner, RoleAccountant, RoleDispatcher},
	NoticeTicketReply:     {RoleOwner, RoleDispatcher},
	NoticeServerDown:      {RoleOwner, RoleDispatcher},
	NoticeServerUp:        {RoleOwner, RoleDispatcher},
	NoticeLicenseExpiring: {RoleOwner, RoleDispatcher},
}

// telegramKindsOf lists the kinds a chat linked by the role gets.
func telegramKindsOf(role string) []string {
	var kinds []string
	for _, k := range NoticeKinds {
		if slices.Contains(telegramKindRoles[k], role) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// telegramRecipients are the company's chats that take notices of the
// kind: not blocked, linked by a user of the company who is not disabled
// and whose role gets that kind.
func (s *Store) telegramRecipients(ctx context.Context, tx *sql.Tx, companyID int64, kind string) ([]telegramRecipient, error) {
	roles := telegramKindRoles[kind]
	if len(roles) == 0 {
		return nil, nil
	}
	args := []any{companyID}
	for _, r := range roles {
		args = append(args, r)
	}
	return queryAll(ctx, tx, func(row scanner) (telegramRecipient, error) {
		var r telegramRecipient
		var chat int64
		err := row.Scan(&chat, &r.lang)
		r.chat = strconv.FormatInt(chat, 10)
		return r, err
	}, `SELECT l.chat_id, u.lang FROM telegram_links l JOIN users u ON u.id = l.user_id
		WHERE l.company_id = ? AND l.blocked_at IS NULL AND u.disabled_at IS NULL AND u.company_id = l.company_id
			AND u.role IN (?`+strings.Repeat(", ?", len(roles)-1)+`) ORDER BY l.id`, args...)
}

// chatStillTakes tells whether a notice may be sent again: yes but for a
// company's notice to a Telegram chat that no longer takes that kind (now
// unlinked, blocked, or linked by a user disabled since or of another
// role). The bot's own answers to a chat may always go.
func (s *Store) chatStillTakes(ctx context.Context, tx *sql.Tx, n Notice) (bool, error) {
	if n.Channel != ChannelTelegram || n.CompanyID == 0 || telegramKindRoles[n.Kind] == nil {
		return true, nil
	}
	chats, err := s.telegramRecipients(ctx, tx, n.CompanyID, n.Kind)
	return slices.ContainsFunc(chats, func(c telegramRecipient) bool { return c.chat == n.Recipient }), err
}
