package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestCompanyTabShowsRequisitesManagerAndNotifications(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.loggedIn("taxi", "taxi123").get("/company")
	for _, want := range []string{"ООО «Такси Пример»", "7704123450", "770401001", "ул. Арбат", "Ирина Смирнова", "+7 495 123-45-67", "Уведомления включены"} {
		if !strings.Contains(r.Text("main"), want) {
			t.Errorf("company tab lacks %q", want)
		}
	}
	if v := r.Find("#email-0").AttrOr("value", ""); v != "dispatch@taxi-primer.example" {
		t.Errorf("notification e-mail %q", v)
	}
	if v := r.Find("#phone-0").AttrOr("value", ""); v != "+7 900 000-00-01" {
		t.Errorf("notification phone %q", v)
	}
	// «Такси Восток» has notifications off, and the tab says who turns them on.
	if r := e.loggedIn("vostok", "vostok123").get("/company"); !strings.Contains(r.Text("#notify-state"), "обратитесь к своему менеджеру") {
		t.Errorf("vostok notify state %q", r.Text("#notify-state"))
	}
}

func TestCompanyContactsValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	cases := []struct {
		name          string
		emails        []string
		phones        []string
		errSel, error string
	}{
		{"bad e-mail", []string{"not-an-email"}, []string{"+79000000001"}, "#email-0 ~ .error", "Введите адрес в виде name@example.ru."},
		{"display name", []string{"Boss <boss@taxi.example>"}, []string{"+79000000001"}, "#email-0 ~ .error", "Введите адрес в виде name@example.ru."},
		{"second e-mail bad", []string{"ok@taxi.example", "bad@"}, []string{"+79000000001"}, "#email-1 ~ .error", "Введите адрес в виде name@example.ru."},
		{"bad phone", []string{"ok@taxi.example"}, []string{"12345"}, "#phone-0 ~ .error", "Введите номер в международном формате, например +7 900 123-45-67."},
		{"letters in phone", []string{"ok@taxi.example"}, []string{"+7 900 ABC-45-67"}, "#phone-0 ~ .error", "Введите номер в международном формате, например +7 900 123-45-67."},
		{"empty", []string{"", " "}, []string{""}, "#emails-error", "Укажите хотя бы один e-mail."},
		{"no phone", []string{"ok@taxi.example"}, nil, "#phones-error", "Укажите хотя бы один телефон."},
		{"huge", []string{strings.Repeat("a", 5000) + "@taxi.example"}, []string{"+79000000001"}, "#email-0 ~ .error", "Введите адрес в виде name@example.ru."},
		{"too many", []string{"a@t.example", "b@t.example", "c@t.example", "d@t.example", "e@t.example", "f@t.example"}, []string{"+79000000001"}, "#emails-error", "Не больше 5 значений."},
	}
	for _, tc := range cases {
		r := c.post("/company/contacts", url.Values{"email": tc.emails, "phone": tc.phones})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, r.Status)
		}
		if msg := r.Text(tc.errSel); msg != tc.error {
			t.Errorf("%s: error %q, want %q", tc.name, msg, tc.error)
		}
		// What was typed comes back in the form.
		for i, typed := range tc.emails {
			if typed = strings.TrimSpace(typed); typed != "" && r.Find("#email-"+itoa(int64(i))).AttrOr("value", "") != typed {
				t.Errorf("%s: e-mail %d not kept", tc.name, i)
			}
		}
	}
	nc, err := e.Store.CompanyContacts(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(nc.Emails, []string{"dispatch@taxi-primer.example"}) || !slices.Equal(nc.Phones, []string{"+79000000001"}) {
		t.Errorf("invalid input reached the database: %+v", nc)
	}
}

func TestCompanyContactsSavedNormalised(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	r := c.post("/company/contacts", url.Values{
		"email": {"Boss@Taxi-Primer.EXAMPLE", "", "night@taxi-primer.example", "night@taxi-primer.example"},
		"phone": {"8 (900) 123-45-67", "+7 912 000 11 22", ""},
	})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	nc, err := e.Store.CompanyContacts(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Boss@taxi-primer.example", "night@taxi-primer.example"}; !slices.Equal(nc.Emails, want) {
		t.Errorf("e-mails %v, want %v", nc.Emails, want)
	}
	if want := []string{"+79001234567", "+79120001122"}; !slices.Equal(nc.Phones, want) {
		t.Errorf("phones %v, want %v", nc.Phones, want)
	}
	page := c.follow("/company")
	if page.Text(".flash") != "Контакты для уведомлений сохранены." {
		t.Errorf("flash %q", page.Text(".flash"))
	}
}
