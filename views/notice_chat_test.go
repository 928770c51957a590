package views_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"elk/db"
)

// A Telegram message keeps within the Bot API's 4 096 UTF-16 units however
// long the quoted text, cutting the body and keeping the subject and the link.
func TestChatTextFitsTelegram(t *testing.T) {
	c := composer(t)
	long := strings.Repeat("Ответ 🚕 ", 1000)
	m, err := c.Compose(db.Notice{Kind: db.NoticeTicketReply, Lang: "ru", Params: db.NoticeParams{TicketID: 12345, Subject: "Сервер", Text: long}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(utf16.Encode([]rune(m.Chat))); n > 4096 || n < 4000 {
		t.Errorf("%d UTF-16 units", n)
	}
	if !strings.HasPrefix(m.Chat, m.Subject+"\n\n") || !strings.HasSuffix(m.Chat, "…\n\nОткрыть личный кабинет: https://lk.example.ru/tickets/12345") {
		t.Errorf("the message's ends: %q … %q", m.Chat[:80], m.Chat[len(m.Chat)-120:])
	}
	short, _ := c.Compose(db.Notice{Kind: db.NoticeTicketReply, Lang: "en", Params: db.NoticeParams{TicketID: 7, Subject: "<b>x</b>", Text: "ok"}})
	if strings.Contains(short.Chat, "…") || !strings.Contains(short.Chat, "<b>x</b>") {
		t.Errorf("a short message: %q", short.Chat)
	}
}

// The bot's answer to a link names what the chat will get: an accountant's
// only the balance, an owner's everything; an answer written before it
// named the kinds names everything.
func TestLinkedChatIsToldWhatItGets(t *testing.T) {
	c := composer(t)
	for _, tc := range []struct {
		lang  string
		kinds []string
		want  string
	}{
		{"ru", []string{db.NoticeSMSLow, db.NoticeSMSNegative}, "компании «Такси» о низком балансе СМС.\n"},
		{"ru", []string{db.NoticeSMSLow, db.NoticeSMSNegative, db.NoticeServerDown, db.NoticeServerUp, db.NoticeLicenseExpiring, db.NoticeTicketReply},
			"компании «Такси» о низком балансе СМС, сбоях серверов, ключах лицензий и ответах поддержки.\n"},
		{"en", nil, "about a low SMS balance, servers down, license keys and support's replies.\n"},
	} {
		m, err := c.Compose(db.Notice{Kind: db.NoticeTelegramLinked, Lang: tc.lang, Params: db.NoticeParams{Company: "Такси", Kinds: tc.kinds}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Chat, tc.want) {
			t.Errorf("%v: %q", tc.kinds, m.Chat)
		}
	}
}
