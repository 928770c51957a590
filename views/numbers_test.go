package views_test

import (
	"testing"

	"elk/views"
)

func TestNumbersInEachLanguage(t *testing.T) {
	cases := []struct{ lang, got, want string }{
		{"ru", views.Count("ru", 24792), "24\u00a0792"},
		{"en", views.Count("en", 24792), "24,792"},
		{"ru", views.Count("ru", 999), "999"},
		{"ru", views.Count("ru", -1234567), "−1\u00a0234\u00a0567"},
		{"ru", views.Percent("ru", 99.7, 2), "99,7\u00a0%"},
		{"en", views.Percent("en", 99.7, 2), "99.7%"},
		{"ru", views.Percent("ru", 100, 2), "100\u00a0%"},
		{"ru", views.Percent("ru", 99.956, 2), "99,96\u00a0%"},
		{"ru", views.Decimal("ru", 1234.5, 1), "1\u00a0234,5"},
		{"en", views.Decimal("en", 1234.5, 1), "1,234.5"},
		{"ru", views.Decimal("ru", -0.001, 1), "0"},
		{"xx", views.Count("xx", 1000), "1\u00a0000"}, // an unknown language reads Russian
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.lang, c.got, c.want)
		}
	}
}

// Counts in translations group too: a plain %d, and the plural form's number,
// but not a zero-padded "%02d".
func TestTranslationsGroupCounts(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	ru, en := cs.Get("ru"), cs.Get("en")
	if got := ru.N("sms.count", 24792); got != "24\u00a0792 СМС" {
		t.Errorf("ru plural: %q", got)
	}
	if got := en.N("sms.count", 24792); got != "24,792 SMS" {
		t.Errorf("en plural: %q", got)
	}
	if got := ru.T("monitoring.ms", int64(1500)); got != "1\u00a0500 мс" {
		t.Errorf("ru %%d: %q", got)
	}
	if got := ru.T("duration.hm", 2, 5); got != "2 ч 05 мин" {
		t.Errorf("ru %%02d: %q", got)
	}
}

// A chart's scale writes big counts short in each language.
func TestCompactCounts(t *testing.T) {
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	ru, en := cs.Get("ru"), cs.Get("en")
	cases := []struct{ got, want string }{
		{ru.Compact(9_999), "9\u00a0999"},
		{ru.Compact(125_147), "125 тыс."},
		{en.Compact(125_147), "125K"},
		{ru.Compact(999_499), "999 тыс."},
		{ru.Compact(999_500), "1 млн"},
		{ru.Compact(1_234_567), "1,2 млн"},
		{en.Compact(1_234_567), "1.2M"},
		{ru.Compact(1_234_567_890), "1,2 млрд"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
