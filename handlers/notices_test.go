package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

// raiseThreshold has the manager set «Такси Пример»'s SMS alert threshold
// above its balance through the company form, which tells the company at once.
func raiseThreshold(t *testing.T, e *env, manager *client) money.Kopecks {
	t.Helper()
	ctx := context.Background()
	services, _ := e.Store.CompanyServices(ctx, 1, true)
	co, _ := e.Store.Company(ctx, 1)
	threshold := services[0].Balance + 100
	form := companyForm(map[string]string{"name": co.Name, "legal_name": co.LegalName, "inn": co.INN, "kpp": co.KPP,
		"ogrn": co.OGRN, "address": co.Address, "timezone": co.Timezone, "notify_enabled": "1",
		"manager_id": itoa(co.ManagerID), "sms_alert_threshold": threshold.Format()})
	if r := manager.post("/admin/companies/1", form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.Status, r.Text(".error"))
	}
	return threshold
}

func TestManagerSetsThresholdAndClientSeesTheAlert(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	threshold := raiseThreshold(t, e, manager)
	if co, _ := e.Store.Company(context.Background(), 1); co.SMSAlertThreshold != threshold {
		t.Fatalf("stored threshold %s, want %s", co.SMSAlertThreshold, threshold)
	}
	if got := manager.get("/admin/companies/1").Text("#admin-sms-threshold"); got != threshold.String() {
		t.Errorf("the back office shows %q", got)
	}

	taxi := e.loggedIn("taxi", "taxi123").get("/company")
	if got := taxi.Text("#sms-threshold strong"); got != threshold.String() {
		t.Errorf("the client sees the threshold %q, want %q", got, threshold)
	}
	rows := taxi.Find("#notices + section tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d notice rows: %s", rows.Length(), rows.Text())
	}
	text := rows.Text()
	for _, want := range []string{"E-mail", "СМС", "dispatch@taxi-primer.example", "+7 900 000-00-01", "Баланс СМС ниже порога", "Ожидает отправки"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notices lack %q: %s", want, text)
		}
	}
	// Another company sees none of it.
	vostok := e.loggedIn("vostok", "vostok123").get("/company")
	if got := vostok.Text("#notices + section tbody"); got != "Уведомлений пока не было." {
		t.Errorf("Такси Восток sees %q", got)
	}
}

func TestThresholdFormKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	co, _ := e.Store.Company(context.Background(), 2)
	form := companyForm(map[string]string{"name": co.Name, "inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN,
		"timezone": co.Timezone, "manager_id": itoa(co.ManagerID), "sms_alert_threshold": "-<b>5</b>"})
	r := admin.post("/admin/companies/2", form)
	if r.Status != http.StatusUnprocessableEntity || r.Find("#f-sms_alert_threshold").AttrOr("value", "") != "-<b>5</b>" {
		t.Fatalf("%d, value %q", r.Status, r.Find("#f-sms_alert_threshold").AttrOr("value", ""))
	}
	if after, _ := e.Store.Company(context.Background(), 2); after.SMSAlertThreshold != co.SMSAlertThreshold {
		t.Error("a refused threshold was stored")
	}
	form.Set("sms_alert_threshold", "1 500,50")
	if r := admin.post("/admin/companies/2", form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.Status, r.Text(".error"))
	}
	if after, _ := e.Store.Company(context.Background(), 2); after.SMSAlertThreshold != 150050 {
		t.Errorf("stored %s", after.SMSAlertThreshold)
	}
}

func TestOutboxListFiltersAndRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raiseThreshold(t, e, e.loggedIn("manager", "manager123"))
	support := e.loggedIn("support", "support123")
	all := support.get("/admin/outbox")
	if all.Status != http.StatusOK || all.Find("#outbox-rows tr[id^=notice-]").Length() != 2 {
		t.Fatalf("%d, rows: %s", all.Status, all.Text("#outbox-rows"))
	}
	if all.Find("#test-email").Length() != 0 || all.Find("form[action$=resend]").Length() != 0 {
		t.Error("support may look but not send")
	}
	if r := support.post("/admin/outbox/test", url.Values{"email": {"a@b.ru"}}); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
		t.Errorf("support sends a test e-mail: %d", r.Status)
	}
	for query, want := range map[string]int{
		"?channel=sms": 1, "?channel=email&status=pending": 1, "?status=sent": 0, "?kind=sms_low": 2, "?kind=test": 0,
		"?company=2": 0, "?company=1&to=taxi-primer": 1, "?status=<script>": 2, "?to='%20OR%201=1--": 0,
	} {
		r := support.get("/admin/outbox" + query)
		if got := r.Find("#outbox-rows tr[id^=notice-]").Length(); r.Status != http.StatusOK || got != want {
			t.Errorf("%s: %d, %d rows, want %d", query, r.Status, got, want)
		}
	}
}

// outboxVia delivers through a real outbox worker over the env's current store.
type outboxVia struct {
	e    *env
	mail jobs.Mailer
}

func (o outboxVia) Deliver(ctx context.Context, id int64) error {
	cs, err := views.LoadCatalogs()
	if err != nil {
		return err
	}
	composer, err := views.NewComposer(cs, o.e.URL)
	if err != nil {
		return err
	}
	return (&jobs.Outbox{Store: o.e.Store, Composer: composer, Mail: o.mail}).Deliver(ctx, id)
}

func TestTestEmailChecksTheSMTPSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ms := testutil.StartMailServer(t)
	mailer, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: ms.Host, Port: ms.Port, From: "lk@taxisoft.example", TLS: jobs.SMTPPlain})
	if err != nil {
		t.Fatal(err)
	}
	e.Config.Outbox = outboxVia{e: e, mail: mailer}
	e.Restart()
	admin := e.loggedIn("admin", "admin123")

	for _, bad := range []string{"", "not-an-email", "<script>@x", strings.Repeat("a", 300) + "@x.ru"} {
		r := admin.post("/admin/outbox/test", url.Values{"email": {bad}})
		if r.Status != http.StatusUnprocessableEntity || r.Text("#e-test-email") == "" || r.Find("#f-test-email").AttrOr("value", "") != strings.TrimSpace(bad) {
			t.Errorf("%q: %d %q", bad, r.Status, r.Text("#e-test-email"))
		}
	}
	if n := e.sqlInt(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("refused addresses reached the outbox: %d", n)
	}

	r := admin.post("/admin/outbox/test", url.Values{"email": {"ops@taxisoft.example"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("send: %d", r.Status)
	}
	page := admin.follow(r.Location())
	if got := page.Text(".flash"); got != "Проверочное письмо отправлено." {
		t.Errorf("flash %q", got)
	}
	if row := page.Text("#outbox-rows tr.hl"); !strings.Contains(row, "ops@taxisoft.example") || !strings.Contains(row, "Доставлено") {
		t.Errorf("highlighted row %q", row)
	}
	mails := ms.WaitFor(1, 5*time.Second)
	if len(mails) != 1 || mails[0].Subject != "Проверка почты Единого личного кабинета" {
		t.Fatalf("mails %+v", mails)
	}

	// With the server gone the reason shows, and a resend delivers it once it is back.
	ms.Stop()
	r = admin.post("/admin/outbox/test", url.Values{"email": {"ops@taxisoft.example"}})
	page = admin.follow(r.Location())
	if !strings.Contains(page.Text(".flash.err"), "не отправлено") || !strings.Contains(page.Text("#outbox-rows tr.hl .notice-error"), "refused") {
		t.Errorf("flash %q, row %q", page.Text(".flash"), page.Text("#outbox-rows tr.hl"))
	}
	id := strings.TrimPrefix(page.Find("#outbox-rows tr.hl").AttrOr("id", ""), "notice-")
	e.sqlExec(`UPDATE outbox SET status = 'failed' WHERE id = ` + id)
	ms.Start()
	page = admin.follow(admin.post("/admin/outbox/"+id+"/resend", nil).Location())
	if got := page.Text(".flash"); got != "Уведомление отправлено повторно." {
		t.Errorf("resend flash %q", got)
	}
	if got := ms.WaitFor(2, 5*time.Second); len(got) != 2 {
		t.Errorf("%d mails after the resend", len(got))
	}
	// A delivered notice is not sent again.
	page = admin.follow(admin.post("/admin/outbox/"+id+"/resend", nil).Location())
	if got := page.Text(".flash.err"); got != "Снова отправить можно только недоставленное уведомление." {
		t.Errorf("second resend flash %q", got)
	}
	if r := admin.post("/admin/outbox/999999/resend", nil); r.Status != http.StatusNotFound {
		t.Errorf("unknown notice: %d", r.Status)
	}
	if got := ms.WaitFor(3, 300*time.Millisecond); len(got) != 2 {
		t.Errorf("%d mails in the end, want 2", len(got))
	}
}

func TestWithoutSMTPTheOutboxSaysWhy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Config.Outbox = outboxVia{e: e}
	e.Restart()
	admin := e.loggedIn("admin", "admin123")
	page := admin.follow(admin.post("/admin/outbox/test", url.Values{"email": {"ops@taxisoft.example"}}).Location())
	row := page.Find("#outbox-rows tr.hl")
	if !strings.Contains(row.Text(), "Не доставлено") || !strings.Contains(row.Find(".notice-error").Text(), "ELK_SMTP_HOST") ||
		row.Find("form[action$=resend]").Length() != 1 {
		t.Errorf("row %q", row.Text())
	}
	if got := page.Text("#outbox-counts"); !strings.Contains(got, "Не доставлено: 1") {
		t.Errorf("counts %q", got)
	}
}

// The back office's «Вид» filter names every kind of notice in Russian.
func TestOutboxKindFilterIsTranslated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	filter := e.loggedIn("admin", "admin123").get("/admin/outbox").Find(`select[name="kind"]`)
	text := filter.Text()
	if strings.Contains(text, "outbox.") || !strings.Contains(text, "Ответ в обращении") || !strings.Contains(text, "Сообщение клиента в обращении") {
		t.Errorf("kinds: %q", text)
	}
}

// A notice the portal could not send for want of its own mail or SMS
// settings is a grey «Не отправлено» to the client, with why; staff read
// the reason in Russian.
func TestUnsentForWantOfSettingsIsNoClientFault(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	manager := e.loggedIn("manager", "manager123")
	raiseThreshold(t, e, manager)
	notices, _ := e.Store.ListNotices(ctx, db.NoticeFilter{CompanyID: 1, Kind: db.NoticeSMSLow, Limit: 10})
	if len(notices) != 2 {
		t.Fatalf("%d notices", len(notices))
	}
	for _, n := range notices {
		_ = outboxVia{e: e}.Deliver(ctx, n.ID) // fails: neither SMTP nor an SMS gateway is set
	}
	rows := e.loggedIn("taxi", "taxi123").get("/company").Find("#notices + section tbody tr")
	text := rows.Text()
	if strings.Contains(text, "Не доставлено") || rows.Find(".badge.notice-unsent").Length() != 2 ||
		!strings.Contains(text, "Не отправлено") || !strings.Contains(text, "почта портала не настроена") ||
		!strings.Contains(text, "СМС-рассылка портала не настроена") || strings.Contains(text, "ELK_") {
		t.Errorf("the client sees %q", text)
	}
	staff := manager.get("/admin/outbox?company=1").Text("#outbox-rows")
	if !strings.Contains(staff, "Почта портала не настроена (ELK_SMTP_HOST)") || !strings.Contains(staff, "СМС-шлюз портала не настроен (ELK_SMS_GATEWAY_URL)") {
		t.Errorf("staff see %q", staff)
	}
}
