package jobs

import (
	"testing"

	"elk/db"
)

// What a chat says reads as the bot's command: in a private chat anything
// else is answered with how to link; in a group only what is meant for
// this bot is.
func TestTelegramCommands(t *testing.T) {
	cases := []struct {
		chat, text, lang string
		action, code     string
	}{
		{"private", "/start ABC234", "ru", db.TelegramStart, "ABC234"},
		{"private", "/start abc234", "en", db.TelegramStart, "ABC234"},
		{"private", "/start", "ru", db.TelegramHelp, ""},
		{"private", "привет", "ru", db.TelegramHelp, ""},
		{"private", "/stop", "ru", db.TelegramStop, ""},
		{"group", "/start@elk_bot ABC234", "ru", db.TelegramStart, "ABC234"},
		{"group", "/start ABC234", "ru", db.TelegramStart, "ABC234"},
		{"supergroup", "/stop@ELK_BOT", "ru", db.TelegramStop, ""},
		{"group", "/stop@other_bot", "ru", db.TelegramIgnore, ""},
		{"group", "/weather", "ru", db.TelegramIgnore, ""},
		{"group", "/help@elk_bot", "ru", db.TelegramHelp, ""},
		{"group", "всем привет", "ru", db.TelegramIgnore, ""},
		{"channel", "/start ABC234", "ru", db.TelegramIgnore, ""},
	}
	for _, tc := range cases {
		m := &TelegramMessage{Text: tc.text}
		m.Chat.ID, m.Chat.Type = -42, tc.chat
		m.From = &TelegramUser{LanguageCode: tc.lang + "-RU"}
		cmd := telegramCommand(TelegramUpdate{UpdateID: 7, Message: m}, "elk_bot")
		if cmd.Action != tc.action || cmd.Code != tc.code || cmd.UpdateID != 7 {
			t.Errorf("%s %q: %+v", tc.chat, tc.text, cmd)
		}
		if cmd.Action != db.TelegramIgnore && (cmd.ChatID != -42 || cmd.Lang != tc.lang) {
			t.Errorf("%s %q: chat %d, lang %q", tc.chat, tc.text, cmd.ChatID, cmd.Lang)
		}
	}
	if cmd := telegramCommand(TelegramUpdate{UpdateID: 8}, "elk_bot"); cmd.Action != db.TelegramIgnore {
		t.Errorf("an update without a message: %+v", cmd)
	}
}
