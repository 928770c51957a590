package handlers_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Pages speak to everyone alike, whatever their gender, and say in words
// what they mean: no bare abbreviations, no headings that name the wrong thing.
func TestPagesSpeakNeutrallyAndPlainly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	manager := e.loggedIn("manager", "manager123")

	users := taxi.get("/users")
	if text := users.Text("tbody"); !strings.Contains(text, "Входов ещё не было") || !strings.Contains(text, "Доступ включён") ||
		strings.Contains(text, "не входил") || strings.Contains(text, "Активен") {
		t.Errorf("users tab: %s", text)
	}

	monitoring := taxi.get("/monitoring")
	terms := monitoring.Find(".props dt")
	if terms.Length() == 0 {
		t.Fatal("no monitoring card")
	}
	if got := terms.First().Text(); got != "В этом состоянии с" {
		t.Errorf("the card's first term is %q", got)
	}

	if got := manager.get("/admin/companies/1/monitoring").Text("body"); !strings.Contains(got,
		"Сколько неудачных проверок подряд допускается, прежде чем сервер считается недоступным.") || strings.Contains(got, "прощается") {
		t.Error("the retries hint does not say what it means")
	}

	if got := manager.get("/admin/news").Text("main h2"); !strings.Contains(got, "Добавить новость") || strings.Contains(got, "Новая новость") {
		t.Errorf("news form heading: %q", got)
	}

	if got := taxi.get("/questions").Text(`label[for="f-section_id"]`); !strings.HasPrefix(got, "Раздел") {
		t.Errorf("the section list is labelled %q", got)
	}
	questions := manager.get("/admin/questions")
	if got := questions.Find("thead th").Eq(2).Text(); got != "Раздел" {
		t.Errorf("the section column is headed %q", got)
	}
	published := questions.Find("tbody .badge").FilterFunction(func(_ int, b *goquery.Selection) bool {
		return strings.EqualFold(b.Text(), "Опубликован")
	})
	if published.Length() == 0 || published.First().Text() != "Опубликован" {
		t.Errorf("published badge: %d, %q", published.Length(), published.First().Text())
	}
}
