package views_test

import (
	"strings"
	"testing"

	"elk/db"
	"elk/db/money"
	"elk/views"
)

// composer writes notices with links to https://lk.example.ru.
func composer(t *testing.T) *views.Composer {
	t.Helper()
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	c, err := views.NewComposer(cs, "https://lk.example.ru/")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEveryNoticeComposesInEveryLanguage(t *testing.T) {
	c := composer(t)
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
	c := composer(t)
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

// The low-balance alert says how long the balance lasts when the alert
// knew, in the reader's language, and nothing when it did not or the
// balance is spent.
func TestBalanceAlertSaysHowLongTheBalanceLasts(t *testing.T) {
	c := composer(t)
	days := func(n int) *int { return &n }
	for _, tc := range []struct {
		kind, lang string
		balance    int64
		daysLeft   *int
		want       string
	}{
		{db.NoticeSMSLow, "ru", 45000, days(12), "При нынешнем расходе — в среднем 37,50 ₽ в день — баланса хватит примерно на 12 дней."},
		{db.NoticeSMSLow, "ru", 45000, days(1), "баланса хватит примерно на 1 день."},
		{db.NoticeSMSLow, "ru", 45000, days(0), "баланса хватит меньше чем на день."},
		{db.NoticeSMSLow, "en", 45000, days(3), "At the current spending of 37,50 ₽ a day on average, the balance lasts about 3 days."},
		{db.NoticeSMSLow, "ru", 45000, nil, ""},
		{db.NoticeSMSNegative, "ru", -100, days(0), ""},
	} {
		p := db.NoticeParams{Company: "Такси", ServiceID: 7, Balance: money.Kopecks(tc.balance), Threshold: 50000,
			DaysLeft: tc.daysLeft, DailySpend: 3750}
		m, err := c.Compose(db.Notice{ID: 1, Kind: tc.kind, Lang: tc.lang, Params: p})
		if err != nil {
			t.Fatal(err)
		}
		said := strings.Contains(m.Text, "хватит") || strings.Contains(m.Text, "lasts")
		if tc.want == "" && said || tc.want != "" && (!strings.Contains(m.Text, tc.want) || !strings.Contains(m.HTML, tc.want)) {
			t.Errorf("%s %s %v days: want %q in\n%s", tc.kind, tc.lang, tc.daysLeft, tc.want, m.Text)
		}
	}
}
