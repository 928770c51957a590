package jobs

import (
	"cmp"
	"context"
	"log/slog"
	"strings"
	"time"

	"elk/db"
)

// TelegramStore is what TelegramUpdates needs from the database.
type TelegramStore interface {
	TelegramOffset(ctx context.Context) (int64, error)
	HandleTelegramCommand(ctx context.Context, cmd db.TelegramCommand) (int64, error)
}

// TelegramUpdates reads what chats send the bot — /start <code> links a
// chat, /stop unlinks it — by long polling getUpdates. The offset is kept in
// the database with each update's outcome, so a restart neither loses nor
// repeats an update (see db.TelegramOffsetLife for an offset gone stale);
// the bot's answers go through the outbox.
type TelegramUpdates struct {
	Store TelegramStore
	Bot   *TelegramBot
	Log   *slog.Logger
	// Wait is how long one getUpdates call waits for a message; 0 means 25 s.
	Wait time.Duration

	failures   int       // polls failed in a row
	quietUntil time.Time // no poll before, after failures
}

// pollPause is how long polling rests after failures polls failed in a row:
// 6 s doubling up to 5 minutes, so that a wrong token or an unreachable
// Telegram costs a log line a few minutes apart, not one every 3 s.
func pollPause(failures int) time.Duration {
	return min(3*time.Second<<min(failures, 10), 5*time.Minute)
}

// Name implements Job.
func (t *TelegramUpdates) Name() string { return "telegram" }

// Interval implements Job: the next poll starts soon after one ends (a long
// poll itself waits for messages), and not in a tight loop while Telegram
// is unreachable.
func (t *TelegramUpdates) Interval() time.Duration { return 3 * time.Second }

// Run makes one long poll and handles what it brings; without a bot
// (ELK_TELEGRAM_TOKEN unset) it does nothing.
func (t *TelegramUpdates) Run(ctx context.Context) error {
	if t.Bot == nil || time.Now().Before(t.quietUntil) {
		return nil
	}
	offset, err := t.Store.TelegramOffset(ctx)
	if err != nil {
		return err
	}
	wait := cmp.Or(t.Wait, 25*time.Second)
	pollCtx, cancel := context.WithTimeout(ctx, wait+15*time.Second)
	defer cancel()
	updates, err := t.Bot.Updates(pollCtx, offset, wait)
	if err != nil {
		t.failures++
		t.quietUntil = time.Now().Add(pollPause(t.failures))
		return err
	}
	t.failures = 0
	if len(updates) == 0 {
		return nil
	}
	bot := t.botName(ctx)
	for _, u := range updates {
		if offset != 0 && u.UpdateID < offset {
			continue // handled before: Telegram repeats it only if told a lower offset
		}
		cmd := telegramCommand(u, bot)
		if _, err := t.Store.HandleTelegramCommand(ctx, cmd); err != nil {
			return err
		}
	}
	return nil
}

// botName is the bot's username, to tell "/start@thisbot" in a group from
// a command to another bot; "" while Telegram has not told it.
func (t *TelegramUpdates) botName(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	name, err := t.Bot.Username(ctx)
	if err != nil {
		t.log().Warn("telegram getMe failed", "err", err)
	}
	return name
}

func (t *TelegramUpdates) log() *slog.Logger {
	if t.Log != nil {
		return t.Log
	}
	return slog.Default()
}

// telegramCommand reads what an update asks: "/start CODE", "/stop", and
// anything else said in a private chat is answered with how to link one;
// in a group only commands to this bot are.
func telegramCommand(u TelegramUpdate, bot string) db.TelegramCommand {
	cmd := db.TelegramCommand{UpdateID: u.UpdateID, Action: db.TelegramIgnore}
	m := u.Message
	if m == nil || m.Chat.Type == "channel" {
		return cmd
	}
	cmd.ChatID, cmd.MessageID, cmd.Lang = m.Chat.ID, m.MessageID, "ru"
	if m.From != nil && strings.HasPrefix(m.From.LanguageCode, "en") {
		cmd.Lang = "en"
	}
	fields := strings.Fields(m.Text)
	private := m.Chat.Type == "private"
	if len(fields) == 0 || !strings.HasPrefix(fields[0], "/") {
		if private {
			cmd.Action = db.TelegramHelp
		}
		return cmd
	}
	name, to, addressed := strings.Cut(fields[0], "@")
	if addressed && !strings.EqualFold(to, bot) {
		return cmd // a command to another bot in the group
	}
	switch {
	case name == "/start" && len(fields) > 1:
		cmd.Action, cmd.Code = db.TelegramStart, strings.ToUpper(fields[1]) // codes are upper case; a phone may have typed them lower
	case name == "/stop":
		cmd.Action = db.TelegramStop
	case private || addressed || name == "/start" || name == "/help":
		cmd.Action = db.TelegramHelp
	}
	return cmd
}
