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
