package handlers_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// addMonitor makes a monitor for a company through the back office form.
func addMonitor(t *testing.T, e *env, staff *client, companyID int64, form url.Values) db.Monitor {
	t.Helper()
	base := url.Values{"kind": {"tmserver"}, "check_type": {"push"}, "interval": {"60"}, "timeout": {"5000"}, "retries": {"1"},
		"status_min": {"200"}, "status_max": {"399"}, "active": {"1"}}
	for k, v := range form {
		base[k] = v
	}
	if r := staff.post("/admin/companies/"+itoa(companyID)+"/monitors", base); r.Status != http.StatusSeeOther {
		t.Fatalf("add monitor: %d %s", r.Status, r.Text(".error"))
	}
	monitors, _ := e.Store.CompanyMonitors(context.Background(), companyID)
	for _, m := range monitors {
		if m.Name == base.Get("name") {
			return m
		}
	}
	t.Fatalf("monitor %q not saved", base.Get("name"))
	return db.Monitor{}
}

func TestMonitorFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	before := e.sqlInt(`SELECT count(*) FROM monitors`)
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"name": {""}}, "name"},
		{url.Values{"name": {"A"}, "check_type": {"tcp"}, "target": {"no port"}}, "target"},
		{url.Values{"name": {"A"}, "check_type": {"http"}, "target": {"javascript:alert(1)"}}, "target"},
		{url.Values{"name": {"A"}, "interval": {"5"}}, "interval"},
		{url.Values{"name": {"A"}, "interval": {"10"}, "timeout": {"20000"}}, "timeout"},
		{url.Values{"name": {"A"}, "retries": {"-1"}}, "retries"},
		{url.Values{"name": {"A"}, "check_type": {"http"}, "target": {"https://x.example"}, "status_min": {"500"}, "status_max": {"200"}}, "status_max"},
	} {
		form := url.Values{"kind": {"tmserver"}, "check_type": {"push"}, "interval": {"60"}, "timeout": {"5000"}, "retries": {"1"}, "status_min": {"200"}, "status_max": {"399"}}
		for k, v := range tc.form {
			form[k] = v
		}
		r := manager.post("/admin/companies/1/monitors", form)
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-"+tc.field+" ~ .error") == "" {
			t.Errorf("%v: %d %q", tc.form, r.Status, r.Text(".error"))
		}
	}
	if n := e.sqlInt(`SELECT count(*) FROM monitors`); n != before {
		t.Errorf("%d monitors saved from bad forms", n-before)
	}
	addMonitor(t, e, manager, 1, url.Values{"name": {"Резервный"}})
	if r := manager.post("/admin/companies/1/monitors", url.Values{"name": {"Резервный"}, "kind": {"tmserver"}, "check_type": {"push"},
		"interval": {"60"}, "timeout": {"5000"}, "retries": {"1"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a second monitor of the same name: %d", r.Status)
	}
	// Renaming onto a name the company has is refused with the form kept.
	reserve := addMonitor(t, e, manager, 1, url.Values{"name": {"Запасной"}})
	r := manager.post("/admin/companies/1/monitors", url.Values{"id": {itoa(reserve.ID)}, "name": {"TMServer"}, "kind": {"tmserver"},
		"check_type": {"push"}, "interval": {"60"}, "timeout": {"5000"}, "retries": {"1"}})
	if r.Status != http.StatusUnprocessableEntity || r.Text("#f-name ~ .error") == "" || r.Find("#f-name").AttrOr("value", "") != "TMServer" {
		t.Errorf("renaming onto a taken name: %d %q", r.Status, r.Text(".error"))
	}
	// Another company's monitor cannot be edited through this company's form.
	m := addMonitor(t, e, manager, 2, url.Values{"name": {"Восточный"}})
	if r := manager.post("/admin/companies/1/monitors", url.Values{"id": {itoa(m.ID)}, "name": {"Угнан"}, "kind": {"tmserver"},
		"check_type": {"push"}, "interval": {"60"}, "timeout": {"5000"}, "retries": {"1"}}); r.Status != http.StatusNotFound {
		t.Errorf("editing another company's monitor: %d", r.Status)
	}
}

func TestHeartbeatAPIAndTheMonitoringTab(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"За NAT"}})
	addMonitor(t, e, manager, 2, url.Values{"name": {"Восточный"}})

	today := db.Today(e.Clock.Now(), testutil.Moscow) // «Такси Пример»'s calendar counts the days left
	body := `{"monitor":"За NAT","version":"5.2.1","license":{"key":"TMS-2026-AAAA-BBBB-CCCC","product":"TMServer",` +
		`"issued":"` + today.AddDate(-1, 0, 0).Format("2006-01-02") + `","expires":"` + today.AddDate(0, 0, 20).Format("2006-01-02") +
		`","limits":{"operators":20},"modules":["Диспетчерская"]}}`
	if status, resp := e.apiCall(http.MethodPost, "/api/v1/heartbeat", "demo-taxi-token", body); status != http.StatusOK || resp["monitor"] != "За NAT" {
		t.Fatalf("heartbeat: %d %v", status, resp)
	}
	for _, tc := range []struct {
		token, body string
		status      int
	}{
		{"demo-vostok-token", `{"monitor":"TMServer"}`, http.StatusNotFound}, // another company's monitor by name
		{"demo-taxi-token", `{"monitor":"Восточный"}`, http.StatusNotFound},  // and the other way round
		{"", `{"monitor":"За NAT"}`, http.StatusUnauthorized},
		{"demo-taxi-token", `{"monitor":"TMServer"}`, http.StatusNotFound}, // not a push monitor
		{"demo-taxi-token", `{}`, http.StatusBadRequest},
		{"demo-taxi-token", `{"monitor":"За NAT","license":"k"}`, http.StatusBadRequest},
		// A bad license is not stored, but the heartbeat is.
		{"demo-taxi-token", `{"monitor":"За NAT","license":{"key":"k","product":"p","issued":"2026-02-01","expires":"2026-01-01"}}`, http.StatusOK},
		{"demo-taxi-token", `not json`, http.StatusBadRequest},
	} {
		if status, resp := e.apiCall(http.MethodPost, "/api/v1/heartbeat", tc.token, tc.body); status != tc.status {
			t.Errorf("%s %s: %d %v", tc.token, tc.body, status, resp)
		}
	}
	if status, _ := e.apiCall(http.MethodPost, "/api/v1/heartbeat/"+m.PushSecret, "", ""); status != http.StatusOK {
		t.Errorf("the secret URL: %d", status)
	}
	if status, _ := e.apiCall(http.MethodPost, "/api/v1/heartbeat/wrong-secret", "", ""); status != http.StatusNotFound {
		t.Errorf("a wrong secret: %d", status)
	}

	taxi := e.loggedIn("taxi", "taxi123").get("/monitoring")
	card := taxi.Text("#monitor-" + itoa(m.ID))
	for _, want := range []string{"За NAT", "Работает", "версия 5.2.1", "100\u00a0%"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q: %s", want, card)
		}
	}
	license := taxi.Text(".card.license:contains('CCCC')")
	if !strings.Contains(license, "TMS-") || strings.Contains(license, "AAAA-BBBB") || !strings.Contains(license, "осталось 20 дней") {
		t.Errorf("the license block: %s", license)
	}
	if strings.Contains(taxi.Body, "Восточный") {
		t.Error("«Такси Пример» sees another company's server")
	}
	// The cards refresh by themselves.
	frag := e.loggedIn("taxi", "taxi123").getWith("/monitoring", map[string]string{"HX-Request": "true", "HX-Target": "monitor-cards"})
	if frag.Status != http.StatusOK || frag.Find("#monitor-"+itoa(m.ID)).Length() != 1 || frag.Find("h1").Length() != 0 {
		t.Errorf("the refresh fragment: %d", frag.Status)
	}
	if vostok := e.loggedIn("vostok", "vostok123").get("/monitoring"); vostok.Find("#monitor-"+itoa(m.ID)).Length() != 0 || strings.Contains(vostok.Body, "TMS-2026-AAAA") || strings.Contains(vostok.Body, "TMS-7K2Q") {
		t.Error("«Такси Восток» sees «Такси Пример»'s server or license")
	}
}

func TestLicenseFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	today := e.Clock.Now()
	yearAgo, inAYear := today.AddDate(-1, 0, 0).Format("2006-01-02"), today.AddDate(1, 0, 0).Format("2006-01-02")
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"key": {""}, "product": {"TMServer"}, "issued": {yearAgo}, "expires": {inAYear}}, "key"},
		{url.Values{"key": {"K"}, "product": {"TMServer"}, "issued": {"вчера"}, "expires": {inAYear}}, "issued"},
		{url.Values{"key": {"K"}, "product": {"TMServer"}, "issued": {inAYear}, "expires": {yearAgo}}, "expires"},
		{url.Values{"key": {"K"}, "product": {"TMServer"}, "issued": {yearAgo}, "expires": {inAYear}, "limits": {"operators=много"}}, "limits"},
		{url.Values{"key": {"K"}, "product": {"TMServer"}, "issued": {yearAgo}, "expires": {inAYear}, "limits": {"operators=-2"}}, "limits"},
		{url.Values{"key": {"K"}, "product": {"TMServer"}, "issued": {yearAgo}, "expires": {inAYear}, "limits": {"operators=1000001"}}, "limits"},
	} {
		r := manager.post("/admin/companies/1/licenses", tc.form)
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-"+tc.field+" ~ .error") == "" || r.Find("#f-key").AttrOr("value", "") != tc.form.Get("key") {
			t.Errorf("%v: %d", tc.form, r.Status)
		}
	}
	r := manager.post("/admin/companies/1/licenses", url.Values{"key": {"TMS-2026-1111-2222"}, "product": {"TMServer"},
		"issued": {yearAgo}, "expires": {inAYear}, "limits": {"operators=20, drivers=300, cars=-1"}, "modules": {"Диспетчерская, Водители"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	licenses, _ := e.Store.CompanyLicenses(context.Background(), 1)
	var saved db.License
	for _, l := range licenses {
		if l.Key == "TMS-2026-1111-2222" {
			saved = l
		}
	}
	if saved.Limits["drivers"] != 300 || saved.Limits["cars"] != db.Unlimited || len(saved.Modules) != 2 || saved.Source != db.LicenseByStaff {
		t.Errorf("licenses %+v", licenses)
	}
}

func TestSecretHeartbeatURLNeverReachesTheLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var log syncBuffer
	e.Config.AccessLog, e.Config.Logger = true, slog.New(slog.NewTextHandler(&log, nil))
	e.Restart()
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"За NAT"}})
	if status, _ := e.apiCall(http.MethodPost, "/api/v1/heartbeat/"+m.PushSecret, "", ""); status != http.StatusOK {
		t.Fatalf("heartbeat: %d", status)
	}
	e.apiCall(http.MethodPost, "/API/V1/HEARTBEAT/"+m.PushSecret, "", "") // routes ignore case; the log must too
	if got := log.String(); strings.Contains(got, m.PushSecret) || !strings.Contains(got, "/api/v1/heartbeat/…") {
		t.Errorf("the access log:\n%s", got)
	}
	old := m.PushSecret
	if r := manager.post("/admin/monitors/"+itoa(m.ID)+"/secret", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("renew: %d", r.Status)
	}
	if status, _ := e.apiCall(http.MethodPost, "/api/v1/heartbeat/"+old, "", ""); status != http.StatusNotFound {
		t.Errorf("the old secret still works: %d", status)
	}
}

// A card's uptime and chart follow each check, in the reader's language.
func TestMonitorCardFollowsEachCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	monitors, err := e.Store.CompanyMonitors(ctx, 1)
	if err != nil || len(monitors) == 0 {
		t.Fatal(monitors, err)
	}
	m := monitors[0]
	taxi := e.loggedIn("taxi", "taxi123")
	card := func() (uptime, lastBar, lastTitle string) {
		r := taxi.get("/monitoring")
		c := r.Find("#monitor-" + itoa(m.ID))
		bar := c.Find("svg.spark rect").Last()
		return c.Find(".uptimes li").First().Text(), bar.AttrOr("class", ""), bar.Find("title").Text()
	}
	before, _, _ := card()
	if again, _, _ := card(); again != before {
		t.Fatalf("the same card read twice: %q, %q", before, again)
	}
	for i := range 3 {
		err := e.Store.RecordChecks(ctx, []db.CheckResult{{MonitorID: m.ID, At: e.Store.Now().Add(time.Duration(i) * time.Millisecond), Error: "refused"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	after, bar, title := card()
	if after == before || (bar != "spark-partial" && bar != "spark-down") || !strings.Contains(title, "мс") {
		t.Errorf("after failed checks: uptime %q (was %q), last bar %q %q", after, before, bar, title)
	}
	// A share below 100 is written the reader's way: «99,7 %», «99.7%».
	if !strings.Contains(after, ",") || strings.Contains(after, ".") || !strings.HasSuffix(after, "\u00a0%") {
		t.Errorf("a Russian uptime %q", after)
	}
	taxi.post("/account/language", url.Values{"lang": {"en"}})
	if uptime, _, title := card(); !strings.Contains(title, "ms") || strings.Contains(title, "мс") ||
		!strings.Contains(uptime, ".") || strings.Contains(uptime, ",") || !strings.HasSuffix(uptime, "%") || strings.Contains(uptime, " %") {
		t.Errorf("the English card: uptime %q, tooltip %q", uptime, title)
	}
}

// License limits are typed and shown in Russian: «Операторов: 20, водителей: 300».
func TestLicenseLimitsInRussian(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	today := e.Clock.Now()
	form := url.Values{"key": {"TMS-RU-LIMITS"}, "product": {"TMServer"}, "issued": {today.AddDate(-1, 0, 0).Format("2006-01-02")},
		"expires": {today.AddDate(1, 0, 0).Format("2006-01-02")}, "limits": {": 5"}}
	if r := manager.post("/admin/companies/1/licenses", form); r.Status != http.StatusUnprocessableEntity || r.Text("#f-limits ~ .error") == "" {
		t.Errorf("a limit without a name: %d", r.Status)
	}
	form.Set("limits", "Операторов: 20, водителей: 300")
	if r := manager.post("/admin/companies/1/licenses", form); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	page := manager.get("/admin/companies/1/monitoring")
	row := page.Text("#licenses + section tbody tr:contains('TMServer')")
	if hint := page.Text("#license-form .hint"); strings.Contains(hint, "operators=") || !strings.Contains(hint, "Операторов: 20, водителей: 300") {
		t.Errorf("the hint: %q", hint)
	}
	licenses, _ := e.Store.CompanyLicenses(context.Background(), 1)
	for _, l := range licenses {
		if l.Key == "TMS-RU-LIMITS" && (l.Limits["operators"] != 20 || l.Limits["drivers"] != 300) {
			t.Errorf("saved %v", l.Limits)
		}
	}
	if !strings.Contains(row, "Операторов: 20, водителей: 300") {
		t.Errorf("the table: %q", row)
	}
}
