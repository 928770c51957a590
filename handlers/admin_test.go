package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db/money"
)

func companyForm(overrides map[string]string) url.Values {
	f := url.Values{
		"name": {"Такси Север"}, "legal_name": {"ООО «Такси Север»"}, "inn": {"7728123459"}, "kpp": {"772801001"},
		"ogrn": {"1027700123450"}, "address": {"г. Мурманск"}, "country": {"RU"}, "timezone": {"Europe/Moscow"},
		"manager_id": {"0"}, "sms_alert_threshold": {"500"},
	}
	for k, v := range overrides {
		f.Set(k, v)
	}
	return f
}

func TestAdminCreatesCompanyWithOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	invalid := []struct {
		field, value, message string
	}{
		{"name", "", "Заполните это поле."},
		{"inn", "7728123458", "ИНН должен содержать 10 или 12 цифр с верным контрольным числом."},
		{"inn", "abc", "ИНН должен содержать 10 или 12 цифр с верным контрольным числом."},
		{"kpp", "12345", "КПП — 9 знаков, например 770401001."},
		{"ogrn", "1027700123451", "ОГРН — 13 цифр (ОГРНИП — 15) с верным контрольным числом."},
		{"timezone", "Mars/Olympus", "Выберите часовой пояс из списка."},
		{"country", "XX", "Выберите страну из списка."},
		{"manager_id", itoa(e.userID("taxi")), "Выберите менеджера из списка."},
		{"sms_alert_threshold", "", "Укажите сумму в рублях от 0 до 10 000 000, например 500 или 1 500,50."},
		{"sms_alert_threshold", "-1", "Укажите сумму в рублях от 0 до 10 000 000, например 500 или 1 500,50."},
		{"sms_alert_threshold", "пятьсот", "Укажите сумму в рублях от 0 до 10 000 000, например 500 или 1 500,50."},
		{"sms_alert_threshold", "10000000,01", "Укажите сумму в рублях от 0 до 10 000 000, например 500 или 1 500,50."},
		{"sms_alert_threshold", "1'; DROP TABLE companies; --", "Укажите сумму в рублях от 0 до 10 000 000, например 500 или 1 500,50."},
	}
	for _, tc := range invalid {
		r := admin.post("/admin/companies", companyForm(map[string]string{tc.field: tc.value}))
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s=%q: status %d", tc.field, tc.value, r.Status)
		}
		sel := "#f-" + tc.field + " ~ .error"
		if tc.field == "manager_id" {
			sel = "#f-manager ~ .error"
		}
		if msg := r.Text(sel); msg != tc.message {
			t.Errorf("%s=%q: error %q, want %q", tc.field, tc.value, msg, tc.message)
		}
		if tc.field != "name" && r.Find("#f-name").AttrOr("value", "") != "Такси Север" {
			t.Errorf("%s: typed name not kept", tc.field)
		}
	}
	if cs, _ := e.Store.ListCompanies(context.Background(), "Север"); len(cs) != 0 {
		t.Fatal("an invalid company was created")
	}

	r := admin.post("/admin/companies", companyForm(map[string]string{"manager_id": itoa(e.userID("manager")), "notify_enabled": "1"}))
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/admin/companies/") {
		t.Fatalf("create: %d → %q", r.Status, r.Location())
	}
	companyURL := r.Location()
	r = admin.post(companyURL+"/users", url.Values{"name": {"Олег Северов"}, "login": {"sever"}, "role": {"owner"}})
	password := r.Text("#generated-password")
	if password == "" {
		t.Fatalf("no generated password: %s", r.Text("main"))
	}
	page := e.loggedIn("sever", password).get("/company")
	for _, want := range []string{"ООО «Такси Север»", "Ирина Смирнова", "Уведомления включены"} {
		if !strings.Contains(page.Text("main"), want) {
			t.Errorf("new owner's company tab lacks %q", want)
		}
	}
}

func TestManagerSwitchesNotifications(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	co, _ := e.Store.Company(context.Background(), 2)
	form := companyForm(map[string]string{"name": co.Name, "inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN,
		"timezone": co.Timezone, "notify_enabled": "1", "manager_id": itoa(co.ManagerID)})
	if r := manager.post("/admin/companies/2", form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.Status, r.Text(".error"))
	}
	if r := e.loggedIn("vostok", "vostok123").get("/company"); r.Text("#notify-state") != "Уведомления включены" {
		t.Errorf("vostok sees %q", r.Text("#notify-state"))
	}
	if r := manager.post("/admin/companies/999", form); r.Status != http.StatusNotFound {
		t.Errorf("unknown company: %d", r.Status)
	}
}

func TestAdminResetsPasswordAndDisablesUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	victim := e.loggedIn("vostok-disp", "vostok-disp123")
	id := itoa(e.userID("vostok-disp"))
	r := admin.post("/admin/users/"+id+"/password", nil)
	password := r.Text("#generated-password")
	if password == "" || !strings.Contains(r.Text("#new-password"), "Пароль пользователя vostok-disp сброшен") {
		t.Fatalf("reset: %d %q", r.Status, r.Text("main"))
	}
	if r.Header.Get("HX-Push-Url") != "" {
		t.Errorf("plain form post got an htmx header")
	}
	if r := victim.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("session survived a reset: %d", r.Status)
	}
	e.loggedIn("vostok-disp", password)

	admin.post("/admin/users/"+id+"/disable", nil)
	if u := mustUser(t, e, "vostok-disp"); !u.Disabled() {
		t.Error("not disabled")
	}
	admin.post("/admin/users/"+id+"/enable", nil)
	if u := mustUser(t, e, "vostok-disp"); u.Disabled() {
		t.Error("not enabled")
	}
	// The last active admin stays.
	admin.post("/admin/users/"+itoa(e.userID("admin"))+"/disable", nil)
	if u := mustUser(t, e, "admin"); u.Disabled() {
		t.Error("the only admin disabled themselves")
	}
}

func TestStaffRolesLimitTheBackOffice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	for _, path := range []string{"/admin/staff", "/admin/vendor", "/admin/audit"} {
		if r := manager.get(path); r.Status != http.StatusForbidden {
			t.Errorf("manager GET %s: %d", path, r.Status)
		}
	}
	// A manager may not touch staff accounts.
	if r := manager.post("/admin/users/"+itoa(e.userID("admin"))+"/password", nil); r.Status != http.StatusForbidden {
		t.Errorf("manager resets the admin's password: %d", r.Status)
	}
	admin := e.loggedIn("admin", "admin123")
	admin.post("/admin/staff", url.Values{"name": {"Пётр Саппорт"}, "login": {"support1"}, "role": {"support"}, "password": {"поддержка всегда рядом"}})
	support := e.loggedIn("support1", "поддержка всегда рядом")
	if r := support.get("/admin/companies/1"); r.Status != http.StatusOK || r.Find(`form[action="/admin/companies/1"]`).Length() != 0 {
		t.Errorf("support sees company: %d, with edit form: %d", r.Status, r.Find(`form[action="/admin/companies/1"]`).Length())
	}
	if r := support.post("/admin/companies", companyForm(nil)); r.Status != http.StatusForbidden {
		t.Errorf("support creates a company: %d", r.Status)
	}
}

func TestVendorRequisites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	r := admin.get("/admin/vendor")
	form := url.Values{}
	r.Find("form[action='/admin/vendor'] input").Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	form.Del("_csrf")
	form.Set("vat_rate", r.Find("#f-vat_rate option[selected]").AttrOr("value", ""))
	if form.Get("vat_rate") != "22" {
		t.Errorf("the demo's VAT is %q", form.Get("vat_rate"))
	}
	if r := admin.post("/admin/vendor", form); r.Status != http.StatusSeeOther {
		t.Errorf("the demo's requisites as they are: %d %s", r.Status, r.Text(".error"))
	}
	form.Set("bik", "12345")
	if r := admin.post("/admin/vendor", form); r.Status != http.StatusUnprocessableEntity || r.Text("#f-bik ~ .error") != "БИК — 9 цифр." {
		t.Errorf("bad BIK: %d %q", r.Status, r.Text("#f-bik ~ .error"))
	}
	form.Set("bik", "044525225") // another bank: the demo's accounts are not its
	if r := admin.post("/admin/vendor", form); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Text("#f-bank_account ~ .error"), "не сходится с БИК") ||
		!strings.Contains(r.Text("#f-corr_account ~ .error"), "не принадлежит банку") {
		t.Errorf("accounts of another bank: %d %q %q", r.Status, r.Text("#f-bank_account ~ .error"), r.Text("#f-corr_account ~ .error"))
	}
	form.Set("bik", "044525999")
	form.Set("bank_account", "40702810600000012354") // two digits swapped
	if r := admin.post("/admin/vendor", form); r.Status != http.StatusUnprocessableEntity || r.Text("#f-bank_account ~ .error") == "" ||
		r.Text("#f-corr_account ~ .error") != "" {
		t.Errorf("a mistyped account: %d %q", r.Status, r.Text("#f-bank_account ~ .error"))
	}
	form.Set("bank_account", "40702810600000012345")
	form.Set("director", "Иванов Иван Иванович")
	for _, bad := range []string{"", "23", "-2", "abc"} {
		form.Set("vat_rate", bad)
		if r := admin.post("/admin/vendor", form); r.Status != http.StatusUnprocessableEntity || r.Text("#f-vat_rate ~ .error") == "" {
			t.Errorf("VAT %q: %d", bad, r.Status)
		}
	}
	form.Set("vat_rate", "-1")
	if r := admin.post("/admin/vendor", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	v, _ := e.Store.Vendor(context.Background())
	if v.BIK != "044525999" || v.Director != "Иванов Иван Иванович" || v.INN != "7728123459" || v.VATRate != money.NoVAT {
		t.Errorf("vendor %+v", v)
	}
}

func TestAuditLogRecordsLoginsAndChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.client().post("/login", url.Values{"login": {"taxi"}, "password": {"wrong"}})
	taxi := e.loggedIn("taxi", "taxi123")
	taxi.post("/company/contacts", url.Values{"email": {"new@taxi-primer.example"}, "phone": {"+79000000001"}})
	admin := e.loggedIn("admin", "admin123")
	r := admin.get("/admin/audit")
	text := r.Text("#audit-rows")
	// The demo's own entries, older, are further on: follow «more» a few pages.
	for next := r.Find("#audit-more a").AttrOr("href", ""); next != "" && !strings.Contains(text, "Создана компания"); {
		more := admin.get(next)
		text += more.Text("#audit-rows")
		next = more.Find("#audit-more a").AttrOr("href", "")
	}
	for _, want := range []string{"Неудачный вход", "Вход", "Изменены контакты для уведомлений", "new@taxi-primer.example", "Создана компания", "Такси Пример", "127.0.0.1"} {
		if !strings.Contains(text, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestCompanySearchAnswersRowsToHtmx(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/admin/companies?q="+url.QueryEscape("вОСТОК"), nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "company-rows")
	r := admin.do(req)
	if strings.Contains(r.Body, "<html") || strings.Count(r.Body, "<tr") != 1 || !strings.Contains(r.Body, "Такси Восток") {
		t.Errorf("fragment: %s", r.Body)
	}
	if full := admin.get("/admin/companies?q=100%25"); full.Find("tbody tr").Length() != 1 || full.Text("tbody td") != "Компаний не найдено." {
		t.Errorf("a percent sign matched: %s", full.Text("tbody"))
	}
	if byINN := admin.get("/admin/companies?q=770412"); !strings.Contains(byINN.Text("tbody"), "Такси Пример") || byINN.Find("tbody tr").Length() != 1 {
		t.Errorf("search by ИНН: %s", byINN.Text("tbody"))
	}
}

func TestHostileCompanyNameIsShownAsText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hostile := `<script>alert(1)</script>`
	admin := e.loggedIn("admin", "admin123")
	co, _ := e.Store.Company(context.Background(), 1)
	form := companyForm(map[string]string{"name": hostile, "legal_name": `ООО "Кавычки' --`, "inn": co.INN, "kpp": co.KPP,
		"ogrn": co.OGRN, "manager_id": itoa(co.ManagerID), "notify_enabled": "1"})
	if r := admin.post("/admin/companies/1", form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.Status, r.Text(".error"))
	}
	pages := map[*client][]string{
		e.loggedIn("taxi", "taxi123"): {"/company", "/users", "/account"},
		admin:                         {"/admin/companies", "/admin/companies/1", "/admin/audit"},
	}
	for c, paths := range pages {
		for _, p := range paths {
			r := c.get(p)
			if strings.Contains(r.Body, hostile) {
				t.Errorf("%s: the script tag reached the page unescaped", p)
			}
			if r.Find("script:not([src])").Length() != 0 {
				t.Errorf("%s: an inline script element exists", p)
			}
		}
	}
	if got := e.loggedIn("taxi", "taxi123").get("/company").Text(".brand-text"); got != hostile {
		t.Errorf("company name shown as %q", got)
	}
}

func TestAuditLogFiltersByCompanyAndLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.loggedIn("vostok", "vostok123")
	admin := e.loggedIn("admin", "admin123")
	r := admin.get("/admin/audit?company=2")
	if text := r.Text("#audit-rows"); !strings.Contains(text, "Такси Восток") || strings.Contains(text, "Такси Пример") {
		t.Errorf("company filter: %s", text)
	}
	r = admin.get("/admin/audit?login=VOSTOK")
	if n := r.Find("#audit-rows tr").Length(); n != 1 || !strings.Contains(r.Text("#audit-rows"), "Вход") {
		t.Errorf("login filter: %d rows: %s", n, r.Text("#audit-rows"))
	}
}

func TestAuditLogLoadsMoreThroughHtmx(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	for range 60 {
		admin.post("/account/language", url.Values{"lang": {"ru"}})
		e.client().post("/login", url.Values{"login": {"nobody"}, "password": {"x"}})
		e.Clock.Advance(16 * time.Minute) // out of the throttle's window
	}
	r := admin.get("/admin/audit?login=")
	more, _ := r.Find("#audit-more a").Attr("hx-get")
	if r.Find("#audit-rows tr").Length() != 51 || more != "/admin/audit?offset=50" {
		t.Fatalf("first page: %d rows, more %q", r.Find("#audit-rows tr").Length(), more)
	}
	req, _ := http.NewRequest(http.MethodGet, e.URL+more, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "audit-more")
	next := admin.do(req)
	if strings.Contains(next.Body, "<html") || strings.Count(next.Body, "<tr") < 10 {
		t.Errorf("next page fragment: %.300s", next.Body)
	}
}

// A company whose manager left can still be edited without choosing another.
func TestCompanyWithDisabledManagerStaysEditable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	admin.post("/admin/users/"+itoa(e.userID("manager"))+"/disable", nil)
	co, _ := e.Store.Company(context.Background(), 2)
	form := companyForm(map[string]string{"name": "Такси Восток+", "inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN,
		"timezone": co.Timezone, "manager_id": itoa(co.ManagerID)})
	if r := admin.post("/admin/companies/2", form); r.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d %q", r.Status, r.Text(".error"))
	}
	// A disabled manager cannot be newly chosen, and the choice is kept in the form.
	form.Set("name", "Такси Новое")
	r := admin.post("/admin/companies", form)
	if r.Status != http.StatusUnprocessableEntity || r.Find("#f-manager option[selected]").AttrOr("value", "") != itoa(co.ManagerID) {
		t.Errorf("new disabled manager: %d, selected %q", r.Status, r.Find("#f-manager option[selected]").AttrOr("value", ""))
	}
}
