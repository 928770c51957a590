package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// controlCharsError is what a field holding a control character says.
const controlCharsError = "Уберите невидимые управляющие символы — они отмечены знаком «�»."

// A NUL, a bell or an escape typed or pasted into a form is refused at its
// field with a Russian message; the form comes back with what was typed,
// "�" where the invisible character was, and nothing of it is saved.
func TestFormsRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	admin := e.loggedIn("admin", "admin123")
	section := strconv.Itoa(e.sqlInt(`SELECT id FROM question_sections ORDER BY position LIMIT 1`))
	ticket := openTicket(t, taxi, "Принтер", "Не печатает")
	companyName := func() string {
		co, err := e.Store.Company(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return co.Name
	}
	count := func(table string) func() string {
		return func() string { return strconv.Itoa(e.sqlInt(`SELECT count(*) FROM ` + table)) }
	}
	company := shownForm(admin.get("/admin/companies/1"), `form[action="/admin/companies/1"]`)
	with := func(form url.Values, field, value string) url.Values {
		form = cloneValues(form)
		form.Set(field, value)
		return form
	}
	cases := []struct {
		name  string
		send  func() *response
		input string // the id of the field that is refused
		typed string // what it shows again
		saved func() string
	}{
		{"ticket subject with NUL", func() *response {
			return taxi.postFiles("/tickets", url.Values{"subject": {"Счёт\x00 за май"}, "priority": {"normal"}, "body": {"Текст"}})
		}, "f-subject", "Счёт� за май", count("tickets")},
		{"ticket text with a bell", func() *response {
			return taxi.postFiles("/tickets", url.Values{"subject": {"Счёт"}, "priority": {"normal"}, "body": {"Строка\x07 звонит"}})
		}, "f-body", "Строка� звонит", count("tickets")},
		{"ticket reply with NUL", func() *response {
			return taxi.postFiles(ticket+"/replies", url.Values{"body": {"Ответ\x00"}})
		}, "f-body", "Ответ�", count("ticket_messages")},
		{"question text with an escape", func() *response {
			return taxi.post("/questions", url.Values{"section_id": {section}, "subject": {"Отчёт"}, "body": {"Как \x1b[31mвыгрузить?"}})
		}, "f-body", "Как �[31mвыгрузить?", count("questions")},
		{"question subject with a tab", func() *response {
			return taxi.post("/questions", url.Values{"section_id": {section}, "subject": {"Отчёт\tза май"}, "body": {"Как?"}})
		}, "f-subject", "Отчёт�за май", count("questions")},
		{"company name with NUL", func() *response {
			return admin.post("/admin/companies/1", with(company, "name", "Такси\x00Север"))
		}, "f-name", "Такси�Север", companyName},
		{"new company with a bell in its address", func() *response {
			return admin.post("/admin/companies", companyForm(map[string]string{"address": "г. Мурманск\x07"}))
		}, "f-address", "г. Мурманск�", count("companies")},
		{"own name with a bell", func() *response {
			return taxi.post("/account/profile", url.Values{"name": {"Иван\x07"}, "email": {""}, "phone": {""}})
		}, "f-name", "Иван�", func() string { return mustUser(t, e, "taxi").Name }},
		{"user's phone with NUL", func() *response {
			return taxi.post("/users", url.Values{"name": {"Оператор"}, "login": {"operator7"}, "role": {"dispatcher"},
				"phone": {"+7900\x001234567"}, "password": {"Ok-password-2031"}})
		}, "f-phone", "+7900�1234567", count("users")},
		{"license key with NUL", func() *response {
			return admin.post("/admin/companies/1/licenses", url.Values{"key": {"TMS\x00KEY"}, "product": {"TMServer"},
				"issued": {"2020-01-01"}, "expires": {"2030-01-01"}})
		}, "f-key", "TMS�KEY", count("license_keys")},
		{"news title with NUL", func() *response {
			return admin.post("/admin/news", url.Values{"title": {"Новость\x00"}, "body": {"Текст"}, "audience": {"all"}})
		}, "f-title", "Новость�", count("news")},
		{"notification e-mail with NUL", func() *response {
			return taxi.post("/company/contacts", url.Values{"email": {"boss\x00@taxi.example"}, "phone": {"+79000000001"}})
		}, "email-0", "boss�@taxi.example", func() string {
			nc, _ := e.Store.CompanyContacts(context.Background(), 1)
			return strings.Join(nc.Emails, ",")
		}},
	}
	for _, tc := range cases {
		before := tc.saved()
		r := tc.send()
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, r.Status)
			continue
		}
		if msg := r.Text("#" + tc.input + " ~ .error"); msg != controlCharsError {
			t.Errorf("%s: the field says %q", tc.name, msg)
		}
		field := r.Find("#" + tc.input)
		if shown := field.AttrOr("value", field.Text()); shown != tc.typed {
			t.Errorf("%s: the field shows %q, want %q", tc.name, shown, tc.typed)
		}
		if after := tc.saved(); after != before {
			t.Errorf("%s: saved anyway (%q → %q)", tc.name, before, after)
		}
	}
}

// Text of several lines keeps its tabs and line breaks, and markup and
// quotes in any field are taken as they are and shown as text.
func TestFormsKeepTabsLinesAndMarkupAsText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	subject := `<script>alert("x")</script> 'счёт'`
	path := openTicket(t, taxi, subject, "Строка 1\r\n\tСтрока 2")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tickets/"), 10, 64)
	if n := e.sqlInt(`SELECT count(*) FROM ticket_messages WHERE ticket_id = ? AND body = ?`, id, "Строка 1\n\tСтрока 2"); n != 1 {
		t.Error("the ticket's text is not stored with its tab and line break")
	}
	page := taxi.get(path)
	if !strings.Contains(page.Text("h1"), subject) || strings.Contains(page.Body, `<script>alert("x")`) {
		t.Errorf("the subject is not shown as text: %q", page.Text("h1"))
	}
}
