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

func TestAdminTariffs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("manager", "manager123")
	validFrom := db.Today(e.Clock.Now(), testutil.Moscow)
	form := url.Values{"service": {"sms"}, "name": {"СМС — акция"}, "price": {"1,95"}, "unit": {"sms_part"}, "valid_from": {validFrom.Format("2006-01-02")}}
	bad := []struct{ field, value, msg string }{
		{"price", "12,345", "Укажите сумму цифрами, например 1 234,56."},
		{"price", "-1", "Сумма не может быть отрицательной."},
		{"price", "", "Укажите сумму."},
		{"name", "", "Заполните это поле."},
		{"valid_from", "31.12.2026", "Укажите даты в виде 27.11.2026."},
		{"valid_to", validFrom.AddDate(0, 0, -1).Format("2006-01-02"), "Конец периода раньше его начала."},
		{"unit", "litre", "Выберите единицу из списка."},
	}
	for _, tc := range bad {
		f := cloneValues(form)
		f.Set(tc.field, tc.value)
		r := admin.post("/admin/tariffs", f)
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-"+tc.field+" ~ .error") != tc.msg {
			t.Errorf("%s=%q: %d %q", tc.field, tc.value, r.Status, r.Text("#f-"+tc.field+" ~ .error"))
		}
	}
	if r := admin.post("/admin/tariffs", form); r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, r.Text(".error"))
	}
	tariffs, _ := e.Store.Tariffs(context.Background(), 1)
	var created, inUse db.Tariff
	for _, tr := range tariffs {
		switch {
		case tr.Name == "СМС — акция":
			created = tr
		case tr.InUse:
			inUse = tr
		}
	}
	if created.Price != 195 || !created.ValidFrom.Equal(validFrom) {
		t.Fatalf("created tariff %+v", created)
	}
	admin.post("/admin/tariffs/"+itoa(created.ID)+"/retire", nil)
	if _, err := e.Store.TariffByID(context.Background(), created.ID); err == nil {
		t.Error("an unused tariff was kept")
	}
	admin.post("/admin/tariffs/"+itoa(inUse.ID)+"/retire", nil)
	if tr, err := e.Store.TariffByID(context.Background(), inUse.ID); err != nil || tr.ArchivedAt == nil {
		t.Errorf("a tariff in use: %+v %v", tr, err)
	}
}

func TestAdminCorrectsBalanceWithReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	sms := serviceOf(t, e, 2, db.ServiceSMS)
	path := "/admin/services/" + itoa(sms.ID)
	key := admin.get(path).Find(`#correction input[name="key"]`).AttrOr("value", "")
	for _, tc := range []struct{ amount, reason, field, msg string }{
		{"0", "ноль", "amount", "Сумма не может быть нулевой."},
		{"1e3", "экспонента", "amount", "Укажите сумму цифрами, например 1 234,56."},
		{"-500", "", "reason", "Заполните это поле."},
	} {
		r := admin.post(path+"/corrections", url.Values{"amount": {tc.amount}, "reason": {tc.reason}, "key": {key}})
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-"+tc.field+" ~ .error") != tc.msg {
			t.Errorf("%q/%q: %d %q", tc.amount, tc.reason, r.Status, r.Text("#f-"+tc.field+" ~ .error"))
		}
		if v := r.Find("#f-amount").AttrOr("value", ""); v != tc.amount {
			t.Errorf("typed amount not kept: %q", v)
		}
	}
	form := url.Values{"amount": {"−1 500,50"}, "reason": {"Компенсация за сбой шлюза"}, "key": {key}}
	admin.post(path+"/corrections", form)
	admin.post(path+"/corrections", form) // a repeated post is one correction
	after := serviceOf(t, e, 2, db.ServiceSMS)
	if after.Balance != sms.Balance-150050 {
		t.Errorf("balance %d → %d", sms.Balance, after.Balance)
	}
	if r := admin.get("/admin/audit?company=2"); !strings.Contains(r.Text("#audit-rows"), "Компенсация за сбой шлюза") {
		t.Error("the correction is not in the audit log")
	}
	if bad, _ := e.Store.CheckLedger(context.Background()); len(bad) != 0 {
		t.Errorf("ledger: %+v", bad)
	}
}

func TestAdminSubscriptionsChargeAndRefund(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	tm := serviceOf(t, e, 3, db.ServiceTMDrive) // Алма Такси's TMDrive
	path := "/admin/services/" + itoa(tm.ID)
	page := admin.get(path)
	// Next month in Almaty, which has not begun: the subscription waits for it.
	today := db.Today(e.Clock.Now(), db.Company{Timezone: "Asia/Almaty"}.Location())
	from := time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	form := url.Values{"tariff_id": {itoa(tm.Tariff.ID)}, "kind": {"periodic"}, "period_from": {from.Format("2006-01-02")},
		"period_to": {from.AddDate(0, 1, -1).Format("2006-01-02")}, "key": {page.Find(`#subscribe input[name="key"]`).AttrOr("value", "")}}
	if r := admin.post(path+"/subscriptions", form); r.Status != http.StatusSeeOther {
		t.Fatalf("subscribe: %d %s", r.Status, r.Text(".error"))
	}
	charged := serviceOf(t, e, 3, db.ServiceTMDrive)
	if charged.Balance != tm.Balance-tm.Tariff.Price {
		t.Errorf("balance %d → %d", tm.Balance, charged.Balance)
	}
	subs, _ := e.Store.Subscriptions(context.Background(), 3, tm.ID, db.StatusPending)
	if len(subs) != 1 {
		t.Fatalf("pending subscriptions: %+v", subs)
	}
	admin.post("/admin/subscriptions/"+itoa(subs[0].ID)+"/cancel", url.Values{"refund": {"1"}})
	if got := serviceOf(t, e, 3, db.ServiceTMDrive); got.Balance != tm.Balance {
		t.Errorf("balance after the refund %d, want %d", got.Balance, tm.Balance)
	}
	// Connecting TMDrive again is refused with a message.
	tariffs, _ := e.Store.Tariffs(context.Background(), 3)
	r := admin.post("/admin/companies/3/services", url.Values{"tariff_id": {itoa(tariffs[0].ID)}, "period_from": {from.Format("2006-01-02")}})
	if page := admin.follow(r.Location()); page.Text(".flash.err") != "Эта услуга уже подключена." {
		t.Errorf("second connection: %q", page.Text(".flash"))
	}
	// Support staff see the page but change nothing.
	admin.post("/admin/staff", url.Values{"name": {"Саппорт"}, "login": {"sup1"}, "role": {"support"}, "password": {"поддержка всегда рядом"}})
	support := e.loggedIn("sup1", "поддержка всегда рядом")
	if r := support.get(path); r.Status != http.StatusOK || r.Find("#correction").Length() != 0 {
		t.Errorf("support view: %d", r.Status)
	}
	if r := support.post(path+"/corrections", url.Values{"amount": {"100"}, "reason": {"x"}, "key": {strings.Repeat("e", 32)}}); r.Status != http.StatusForbidden {
		t.Errorf("support posts a correction: %d", r.Status)
	}
}
