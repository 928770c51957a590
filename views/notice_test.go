package views_test

import (
	"strings"
	"testing"

	"elk/db"
	"elk/views"
)

func TestEveryNoticeComposesInEveryLanguage(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	c, err := views.NewComposer(cs, "https://lk.example.ru/")
	if err != nil {
		t.Fatal(err)
	}
	p := db.NoticeParams{Company: `Такси <script>alert(1)</script>`, ServiceID: 7, Balance: -123456, Threshold: 50000}
	for _, kind := range db.NoticeKinds {
		for _, lang := range views.Languages {
			m, err := c.Compose(db.Notice{ID: 1, Kind: kind, Lang: lang, Params: p})
			if err != nil {
				t.Fatal(err)
			}
			for part, text := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML, "sms": m.SMS} {
				if text == "" || strings.Contains(text, "notice.") || strings.Contains(text, "%!") {
					t.Errorf("%s %s %s: %q", kind, lang, part, text)
				}
			}
			if strings.Contains(m.HTML, "<script>") {
				t.Errorf("%s %s: the company name reaches the HTML unescaped", kind, lang)
			}
			if c.Subject(db.Notice{Kind: kind, Lang: lang, Params: p}) != m.Subject {
				t.Errorf("%s %s: the listed subject differs from the sent one", kind, lang)
			}
		}
	}
	m, _ := c.Compose(db.Notice{Kind: db.NoticeSMSNegative, Lang: "ru", Params: p})
	if !strings.HasPrefix(m.Subject, "Срочно") {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"−1\u00a0234,56 ₽", "https://lk.example.ru/services/7", "https://lk.example.ru/company"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the message lacks %q:\n%s", want, m.Text)
		}
	}
}

// A ticket's number is an identifier: it never groups like a count.
func TestNoticeKeepsTicketNumbersWhole(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	c, err := views.NewComposer(cs, "https://lk.example.ru/")
	if err != nil {
		t.Fatal(err)
	}
	p := db.NoticeParams{TicketID: 12345, Subject: "Не уходят СМС", Text: "Проверьте", Days: 1500}
	m, _ := c.Compose(db.Notice{Kind: db.NoticeTicketReply, Lang: "ru", Params: p})
	if !strings.Contains(m.Subject, "№ 12345 ") || !strings.Contains(m.Text, "№ 12345 ") {
		t.Errorf("ticket number: %q\n%s", m.Subject, m.Text)
	}
	m, _ = c.Compose(db.Notice{Kind: db.NoticeLicenseExpiring, Lang: "ru", Params: p})
	if !strings.Contains(m.Text, "осталось дней: 1\u00a0500.") {
		t.Errorf("a count of days: %s", m.Text)
	}
}
