package views_test

import (
	"testing"

	"elk/views"
)

func TestRussianPlurals(t *testing.T) {
	cs, _ := views.LoadCatalogs()
	ru, en := cs.Get("ru"), cs.Get("en")
	for n, want := range map[int]string{1: "1 минуту", 2: "2 минуты", 5: "5 минут", 11: "11 минут", 14: "14 минут", 21: "21 минуту", 22: "22 минуты", 15: "15 минут"} {
		if got := ru.N("unit.minutes", n); got != want {
			t.Errorf("ru %d: %q, want %q", n, got, want)
		}
	}
	if got := en.N("unit.minutes", 1) + ", " + en.N("unit.minutes", 15); got != "1 minute, 15 minutes" {
		t.Errorf("en: %q", got)
	}
}
