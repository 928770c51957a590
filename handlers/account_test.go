package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPasswordChangeValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	cases := []struct {
		name, current, next, confirm string
		field, message               string
	}{
		{"wrong current", "nope-nope", "long enough phrase", "long enough phrase", "current", "Текущий пароль введён неверно."},
		{"empty current", "", "long enough phrase", "long enough phrase", "current", "Заполните это поле."},
		{"too short", "taxi123", "short", "short", "new", "Пароль должен быть не короче 8 символов."},
		{"too long", "taxi123", strings.Repeat("я", 129), strings.Repeat("я", 129), "new", "Пароль должен быть не длиннее 128 символов."},
		{"common", "taxi123", "qwerty123", "qwerty123", "new", "Слишком простой пароль: он из списков самых частых паролей, его подбирают первым. Добавьте ещё слова или придумайте фразу из нескольких необычных слов."},
		{"repeats", "taxi123", "aaaaaaaaaaaa", "aaaaaaaaaaaa", "new", "Слишком простой пароль: в нём повторяются символы или их группы (aaa, abcabc). Добавьте ещё слова или уберите повторы."},
		{"company name", "taxi123", "taxi-primer2024", "taxi-primer2024", "new", "Слишком простой пароль: в нём ваш логин, имя, почта или название компании, их пробуют первыми. Добавьте ещё слова, не связанные с вами, или придумайте другую фразу."},
		{"mismatch", "taxi123", "long enough phrase", "long enough phrasf", "confirm", "Пароли не совпадают."},
	}
	for _, tc := range cases {
		r := c.post("/account/password", url.Values{"current": {tc.current}, "new": {tc.next}, "confirm": {tc.confirm}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, r.Status)
		}
		if msg := r.Text("#f-" + tc.field + " ~ .error"); msg != tc.message {
			t.Errorf("%s: %s error %q, want %q", tc.name, tc.field, msg, tc.message)
		}
	}
	// Nothing changed: the old password still works.
	e.loggedIn("taxi", "taxi123")
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	here := e.loggedIn("taxi", "taxi123")
	elsewhere := e.loggedIn("taxi", "taxi123")
	r := here.post("/account/password", url.Values{"current": {"taxi123"}, "new": {"зелёный слон летит"}, "confirm": {"зелёный слон летит"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d %s", r.Status, r.Text(".error"))
	}
	if page := here.follow("/account"); page.Text(".flash") != "Пароль изменён. Вход на других устройствах завершён." {
		t.Errorf("this browser: %d %q", page.Status, page.Text(".flash"))
	}
	if r := elsewhere.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("other session survived the password change: %d", r.Status)
	}
	if r := e.client().post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}}); r.Status != http.StatusUnauthorized {
		t.Errorf("old password still accepted: %d", r.Status)
	}
	e.loggedIn("taxi", "зелёный слон летит")
}

func TestLanguageSwitchesToEnglish(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	c.post("/account/language", url.Values{"lang": {"en"}})
	r := c.get("/company")
	if r.Text("h1") != "Company" || r.Find("html").AttrOr("lang", "") != "en" {
		t.Errorf("after switching to English: h1 %q", r.Text("h1"))
	}
	// Another user of the same company still reads Russian.
	if r := e.loggedIn("dispatcher", "dispatcher123").get("/company"); r.Text("h1") != "О компании" {
		t.Errorf("another user's language changed: %q", r.Text("h1"))
	}
	if r := c.post("/account/language", url.Values{"lang": {"xx"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown language: %d", r.Status)
	}
}

func TestProfileContactsReachTheClients(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	bad := manager.post("/account/profile", url.Values{"name": {""}, "email": {"irina@"}, "phone": {"123"}})
	if bad.Status != http.StatusUnprocessableEntity {
		t.Errorf("bad profile: %d", bad.Status)
	}
	for field, want := range map[string]string{"name": "Заполните это поле.", "email": "Введите адрес в виде name@example.ru.", "phone": "Введите номер в международном формате, например +7 900 123-45-67."} {
		if got := bad.Text("#f-" + field + " ~ .error"); got != want {
			t.Errorf("%s error %q", field, got)
		}
	}
	if v := bad.Find("#f-email").AttrOr("value", ""); v != "irina@" {
		t.Errorf("typed e-mail not kept: %q", v)
	}
	r := manager.post("/account/profile", url.Values{"name": {"Ирина Смирнова-Петрова"}, "email": {"irina@taxisoft.example"}, "phone": {"8 495 765-43-21"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	page := e.loggedIn("taxi", "taxi123").get("/company")
	for _, want := range []string{"Ирина Смирнова-Петрова", "irina@taxisoft.example", "+7 495 765-43-21"} {
		if !strings.Contains(page.Text("main"), want) {
			t.Errorf("company tab lacks the manager's %q", want)
		}
	}
}

func TestCurrentPasswordGuessesAreThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	form := func(current string) url.Values {
		return url.Values{"current": {current}, "new": {"long enough phrase"}, "confirm": {"long enough phrase"}}
	}
	for i := range 5 {
		if r := c.post("/account/password", form("guess-"+itoa(int64(i)))); r.Text("#f-current ~ .error") != "Текущий пароль введён неверно." {
			t.Fatalf("guess %d: %q", i, r.Text("#f-current ~ .error"))
		}
	}
	r := c.post("/account/password", form("taxi123"))
	if r.Text("#f-current ~ .error") != "Слишком много неверных попыток. Повторите позже." {
		t.Errorf("sixth try: %q", r.Text("#f-current ~ .error"))
	}
	e.loggedIn("taxi", "taxi123") // the password did not change
}
