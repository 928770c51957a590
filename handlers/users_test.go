package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestUsersTabListsCompanyUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.loggedIn("taxi", "taxi123").get("/users")
	rows := r.Find("tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("%d rows, want the 3 users of «Такси Пример»", rows.Length())
	}
	text := r.Text("tbody")
	for _, want := range []string{"Павел Орлов", "taxi", "Владелец", "Анна Кузнецова", "Диспетчер", "Елена Воробьёва", "Входов ещё не было"} {
		if !strings.Contains(text, want) {
			t.Errorf("users tab lacks %q", want)
		}
	}
	if strings.Contains(text, "vostok") {
		t.Error("another company's user is listed")
	}
	// The users are the owner's: the other roles are neither shown the
	// tab nor let in.
	for _, login := range []string{"dispatcher", "buh"} {
		c := e.loggedIn(login, demoPasswords[login])
		if r := c.get("/users"); r.Status != http.StatusForbidden || r.Find("tbody tr").Length() != 0 ||
			!strings.Contains(r.Text("main"), "Вашей роли в компании это недоступно") {
			t.Errorf("%s opens /users: %d %q", login, r.Status, r.Text("main"))
		}
		if c.get("/company").Find(`.tabs a[href="/users"]`).Length() != 0 {
			t.Errorf("%s is shown the users tab", login)
		}
	}
}

func TestOwnerAddsUserWithChosenOrGeneratedPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	r := c.post("/users", url.Values{"name": {"Сергей Ночной"}, "login": {"night"}, "role": {"dispatcher"}, "password": {"ночная смена 2026"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Text("#new-password"), "Пользователь night создан.") {
		t.Fatalf("add with chosen password: %d %q", r.Status, r.Text("#new-password"))
	}
	if r.Find("#generated-password").Length() != 0 {
		t.Error("a chosen password is shown back")
	}
	e.loggedIn("night", "ночная смена 2026")

	r = c.post("/users", url.Values{"name": {"Бухгалтер Два"}, "login": {"buh2"}, "role": {"accountant"}})
	generated := r.Text("#generated-password")
	if len(generated) != 14 {
		t.Fatalf("generated password %q", generated)
	}
	e.loggedIn("buh2", generated)
	u, err := e.Store.UserByLogin(context.Background(), "buh2")
	if err != nil || u.CompanyID != 1 || u.Role != "accountant" {
		t.Errorf("created user %+v, %v", u, err)
	}
}

func TestAddUserValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	cases := []struct {
		name   string
		form   url.Values
		field  string
		errMsg string
	}{
		{"empty name", url.Values{"name": {""}, "login": {"new1"}, "role": {"dispatcher"}}, "name", "Заполните это поле."},
		{"empty login", url.Values{"name": {"Имя"}, "login": {""}, "role": {"dispatcher"}}, "login", "Заполните это поле."},
		{"hostile login", url.Values{"name": {"Имя"}, "login": {"x'; DROP TABLE users;--"}, "role": {"dispatcher"}}, "login", "Логин — от 3 до 64 латинских букв, цифр, точек, дефисов или подчёркиваний."},
		{"taken login", url.Values{"name": {"Имя"}, "login": {"VOSTOK"}, "role": {"dispatcher"}}, "login", "Этот логин уже занят."},
		{"staff role", url.Values{"name": {"Имя"}, "login": {"new2"}, "role": {"admin"}}, "role", "Выберите роль из списка."},
		{"common password", url.Values{"name": {"Имя"}, "login": {"new3"}, "role": {"dispatcher"}, "password": {"password1"}}, "password", "Слишком простой пароль: он из списков самых частых паролей, его подбирают первым. Добавьте ещё слова или придумайте фразу из нескольких необычных слов."},
		{"own name", url.Values{"name": {"Сергей Ночной"}, "login": {"night"}, "role": {"dispatcher"}, "password": {"Nochnoy-Sergey-1"}}, "password", "Слишком простой пароль: в нём ваш логин, имя, почта или название компании, их пробуют первыми. Добавьте ещё слова, не связанные с вами, или придумайте другую фразу."},
		{"short password", url.Values{"name": {"Имя"}, "login": {"new4"}, "role": {"dispatcher"}, "password": {"1234567"}}, "password", "Пароль должен быть не короче 8 символов."},
		{"huge name", url.Values{"name": {strings.Repeat("Щ", 101)}, "login": {"new5"}, "role": {"dispatcher"}}, "name", "Слишком длинное значение."},
	}
	for _, tc := range cases {
		r := c.post("/users", tc.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, r.Status)
		}
		if msg := r.Text("#f-" + tc.field + " ~ .error"); msg != tc.errMsg {
			t.Errorf("%s: %s error %q, want %q", tc.name, tc.field, msg, tc.errMsg)
		}
		if tc.field != "name" && r.Find("#f-name").AttrOr("value", "") != tc.form.Get("name") {
			t.Errorf("%s: typed name not kept", tc.name)
		}
	}
	users, err := e.Store.CompanyUsers(context.Background(), 1)
	if err != nil || len(users) != 3 {
		t.Errorf("invalid users reached the database: %d users, %v", len(users), err)
	}
}

func TestOnlyOwnerManagesUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("dispatcher", "dispatcher123")
	if r := c.post("/users", url.Values{"name": {"Тайный"}, "login": {"secret"}, "role": {"owner"}}); r.Status != http.StatusForbidden {
		t.Errorf("dispatcher adds a user: %d", r.Status)
	}
	if r := c.post("/users/"+itoa(e.userID("taxi"))+"/disable", nil); r.Status != http.StatusForbidden {
		t.Errorf("dispatcher disables the owner: %d", r.Status)
	}
	if _, err := e.Store.UserByLogin(context.Background(), "secret"); err == nil {
		t.Error("the dispatcher's user was created")
	}
}

func TestLastOwnerCannotBeDisabled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	// Not oneself...
	c.post("/users/"+itoa(e.userID("taxi"))+"/disable", nil)
	if r := c.follow("/users"); r.Text(".flash.err") != "Нельзя отключить самого себя." {
		t.Errorf("self-disable message %q", r.Text(".flash"))
	}
	// ...and not the last owner, even by a second owner who then leaves.
	c.post("/users", url.Values{"name": {"Второй"}, "login": {"owner2"}, "role": {"owner"}, "password": {"второй владелец"}})
	second := e.loggedIn("owner2", "второй владелец")
	second.post("/users/"+itoa(e.userID("taxi"))+"/disable", nil)
	r := c.post("/users/"+itoa(e.userID("owner2"))+"/disable", nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("disable: %d", r.Status)
	}
	u, _ := e.Store.UserByLogin(context.Background(), "taxi")
	if !u.Disabled() {
		t.Fatal("second owner could not disable the first")
	}
	// Now owner2 is the only active owner; nobody can disable them.
	if err := e.Store.SetUserDisabled(context.Background(), actorOf(e, "admin"), mustUser(t, e, "owner2"), true); err == nil || !strings.Contains(err.Error(), "user.last_owner") {
		t.Errorf("last owner disabled: %v", err)
	}
}

func TestOwnerDisablesAndEnablesUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	id := itoa(e.userID("dispatcher"))
	c.post("/users/"+id+"/disable", nil)
	r := c.follow("/users")
	if r.Text(".flash") != "Пользователь отключён." || !strings.Contains(r.Text("#user-"+id), "Доступ отключён") {
		t.Errorf("after disable: %q / %q", r.Text(".flash"), r.Text("#user-"+id))
	}
	c.post("/users/"+id+"/enable", nil)
	e.loggedIn("dispatcher", "dispatcher123")
}

func TestOwnerResetsForgottenPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.loggedIn("taxi", "taxi123")
	forgetful := e.loggedIn("dispatcher", "dispatcher123")
	r := owner.post("/users/"+itoa(e.userID("dispatcher"))+"/password", nil)
	password := r.Text("#generated-password")
	if r.Status != http.StatusOK || password == "" || !strings.Contains(r.Text("#new-password"), "Пароль пользователя dispatcher сброшен") {
		t.Fatalf("reset: %d %q", r.Status, r.Text("main"))
	}
	if r := forgetful.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("the old session survived: %d", r.Status)
	}
	e.loggedIn("dispatcher", password)
	// One's own password is changed on the profile page, not reset.
	r = owner.post("/users/"+itoa(e.userID("taxi"))+"/password", nil)
	if r.Location() != "/account#password" {
		t.Errorf("own reset → %q", r.Location())
	}
	if page := owner.follow("/account"); page.Text(".flash.err") != "Свой пароль меняйте здесь, указав текущий." {
		t.Errorf("own reset message %q", page.Text(".flash"))
	}
	e.loggedIn("taxi", "taxi123")
}
