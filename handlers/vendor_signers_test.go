package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

func TestVendorSignersAndClosingPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	ctx := context.Background()
	page := admin.get("/admin/vendor")
	form := shownForm(page, "form[action='/admin/vendor']")
	// The demo's vendor turned to monthly closing last month.
	if form.Get("closing_policy") != db.ClosingMonthly || page.Text("#closing-policy-state") != "Сейчас действует: «Ежемесячно по расходу»." {
		t.Errorf("the demo's policy: %q %q", form.Get("closing_policy"), page.Text("#closing-policy-state"))
	}
	today := db.Today(e.Clock.Now(), testutil.Moscow)
	set := func(changes map[string]string) url.Values {
		out := cloneValues(form)
		for k, v := range changes {
			out.Set(k, v)
		}
		return out
	}
	const half = "Заполните все четыре поля доверенности или очистите их."
	for _, tc := range []struct {
		changes        map[string]string
		field, message string
	}{
		{map[string]string{"proxy_name": "Петров Пётр Петрович"}, "proxy_number", half},
		{map[string]string{"proxy_name": "Петров Пётр Петрович", "proxy_position": "Менеджер", "proxy_number": "12"}, "proxy_date", half},
		{map[string]string{"proxy_date": today.Format("2006-01-02")}, "proxy_name", half},
		{map[string]string{"proxy_name": "Петров П. П.", "proxy_position": "Менеджер", "proxy_number": "12", "proxy_date": today.AddDate(0, 0, 1).Format("2006-01-02")},
			"proxy_date", "Доверенность не может быть датирована позже сегодняшнего дня."},
		{map[string]string{"proxy_name": "Петров П. П.", "proxy_position": "Менеджер", "proxy_number": "12", "proxy_date": "<script>"},
			"proxy_date", "Введите дату доверенности, например 09.01.2026."},
		{map[string]string{"proxy_name": "Петров П. П.", "proxy_position": "Менеджер", "proxy_number": strings.Repeat("1", 51), "proxy_date": today.Format("2006-01-02")},
			"proxy_number", "Слишком длинное значение."},
		{map[string]string{"accountant": strings.Repeat("я", 201)}, "accountant", "Слишком длинное значение."},
		{map[string]string{"closing_policy": "weekly"}, "closing_policy", "Выберите порядок из списка."},
	} {
		r := admin.post("/admin/vendor", set(tc.changes))
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-"+tc.field+" ~ .error") != tc.message {
			t.Errorf("%v: %d %q", tc.changes, r.Status, r.Text("#f-"+tc.field+" ~ .error"))
		}
		for name, typed := range tc.changes {
			if got := r.Find("#f-"+name).AttrOr("value", ""); name != "closing_policy" && got != typed {
				t.Errorf("%v: %s came back as %q", tc.changes, name, got)
			}
		}
	}

	r := admin.post("/admin/vendor", set(map[string]string{"director_position": "Генеральный директор", "accountant": "Ершова Марина Игоревна",
		"proxy_name": "Петров Пётр Петрович", "proxy_position": "Менеджер", "proxy_number": "12", "proxy_date": today.Format("2006-01-02"),
		"closing_policy": db.ClosingOnPayment}))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	v, _ := e.Store.Vendor(ctx)
	if v.Accountant != "Ершова Марина Игоревна" || v.Proxy.Number != "12" || v.Proxy.Date == nil || !v.Proxy.Date.Equal(today) ||
		v.ClosingPolicy != db.ClosingOnPayment || v.ClosingPolicyOn(today) != db.ClosingMonthly {
		t.Errorf("vendor %+v", v)
	}
	next := time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	page = admin.get("/admin/vendor")
	if got, want := page.Text("#closing-policy-state"), "Сейчас действует: «Ежемесячно по расходу». С "+next.Format("02.01.2006")+" — «По оплате»."; got != want {
		t.Errorf("policy state %q, want %q", got, want)
	}
	if page.Find("#f-closing_policy option[selected]").AttrOr("value", "") != db.ClosingOnPayment {
		t.Error("the pending policy is not the one chosen")
	}
	// Clearing the power of attorney, and choosing back the policy in force.
	form = shownForm(page, "form[action='/admin/vendor']")
	for _, f := range []string{"proxy_name", "proxy_position", "proxy_number", "proxy_date"} {
		form.Set(f, "")
	}
	form.Set("closing_policy", db.ClosingMonthly)
	if r := admin.post("/admin/vendor", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	v, _ = e.Store.Vendor(ctx)
	if v.Proxy.Name != "" || v.Proxy.Date != nil || v.ClosingPolicy != db.ClosingMonthly ||
		v.ClosingPolicyOn(today) != db.ClosingMonthly || v.ClosingPolicyOn(next) != db.ClosingMonthly {
		t.Errorf("vendor %+v", v)
	}
}
