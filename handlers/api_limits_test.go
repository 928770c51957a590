package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"elk/db"
)

// heartbeatJSON is a heartbeat of the monitor with a license, the license's
// fields changed by set (a JSON value each, or "" to leave one out).
func (e *env) heartbeatJSON(monitor, version string, set map[string]string) string {
	today := e.Clock.Now()
	license := map[string]string{
		"key": `"TMS-LIMITS-0001"`, "product": `"TMServer"`, "issued": `"` + today.AddDate(-1, 0, 0).Format("2006-01-02") + `"`,
		"expires": `"` + today.AddDate(1, 0, 0).Format("2006-01-02") + `"`, "limits": `{"operators":20}`, "modules": `["Диспетчерская"]`,
	}
	for k, v := range set {
		license[k] = v
	}
	var fields []string
	for k, v := range license {
		if v != "" {
			fields = append(fields, fmt.Sprintf("%q:%s", k, v))
		}
	}
	return fmt.Sprintf(`{"monitor":%s,"version":%s,"license":{%s}}`, quoteJSON(monitor), quoteJSON(version), strings.Join(fields, ","))
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// repeatedJSON is a JSON array of n copies of item.
func repeatedJSON(n int, item string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// Every field of every API request has a limit: a value too long, too many
// items, or a control character is refused with 400 naming the field, and
// nothing of the request is stored. A heartbeat's license is the exception
// (see TestABadLicenseCostsOnlyItself).
func TestAPIRefusesFieldsBeyondTheirLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"Лимиты"}})
	day := e.smsDay()
	message := func(field, value string) string {
		fields := map[string]string{"id": `"lim-1"`, "phone": `"+79001234567"`, "parts": `1`, "sent_at": `"` + day + `T10:00:00Z"`}
		fields[field] = value
		return fmt.Sprintf(`{"messages":[{"id":%s,"phone":%s,"parts":%s,"sent_at":%s}]}`, fields["id"], fields["phone"], fields["parts"], fields["sent_at"])
	}
	update := func(id, at string) string {
		return fmt.Sprintf(`{"updates":[{"id":%s,"status":"delivered","at":%s}]}`, id, at)
	}
	at := `"` + day + `T10:05:00Z"`
	long := func(n int) string { return quoteJSON(strings.Repeat("я", n)) }
	ok := `"ok"`
	cases := []struct {
		name, path, body, field string
	}{
		{"id of 65 characters", "/api/v1/sms", message("id", long(65)), "messages[0].id"},
		{"NUL in an id", "/api/v1/sms", message("id", `"nul\u0000id"`), "messages[0].id"},
		{"a bell in an id", "/api/v1/sms", message("id", `"bell\u0007"`), "messages[0].id"},
		{"a tab in an id", "/api/v1/sms", message("id", `"tab\tid"`), "messages[0].id"},
		{"a phone of 33 characters", "/api/v1/sms", message("phone", quoteJSON("+7 900 123 45 67"+strings.Repeat(" ", 17))), "messages[0].phone"},
		{"NUL in a phone", "/api/v1/sms", message("phone", `"+7900\u00001234567"`), "messages[0].phone"},
		{"sent_at of 36 characters", "/api/v1/sms", message("sent_at", `"`+day+`T10:00:00.1234567890+03:00"`), "messages[0].sent_at"},
		{"1,001 status reports", "/api/v1/sms/status", `{"updates":` + repeatedJSON(1001, `{"id":"x","status":"delivered","at":`+at+`}`) + `}`, "updates"},
		{"a report's id of 65 characters", "/api/v1/sms/status", update(long(65), at), "updates[0].id"},
		{"NUL in a report's id", "/api/v1/sms/status", update(`"nul\u0000"`, at), "updates[0].id"},
		{"a report's time of 36 characters", "/api/v1/sms/status", update(ok, `"`+day+`T10:05:00.1234567890+03:00"`), "updates[0].at"},
		{"monitor of 101 characters", "/api/v1/heartbeat", e.heartbeatJSON(strings.Repeat("м", 101), "1", nil), "monitor"},
		{"NUL in the monitor", "/api/v1/heartbeat", `{"monitor":"Лимиты\u0000"}`, "monitor"},
		{"version of 101 characters", "/api/v1/heartbeat", e.heartbeatJSON("Лимиты", strings.Repeat("в", 101), nil), "version"},
		{"NUL in the version", "/api/v1/heartbeat", e.heartbeatJSON("Лимиты", "5.2\x00", nil), "version"},
		{"a line break in the version", "/api/v1/heartbeat", e.heartbeatJSON("Лимиты", "5.2\n", nil), "version"},
		{"a license that is not an object", "/api/v1/heartbeat", `{"monitor":"Лимиты","license":"TMS-LIMITS-0001"}`, "license"},
		{"a monitor of the wrong type", "/api/v1/heartbeat", `{"monitor":5}`, "monitor"},
		{"a bad version with a bad license", "/api/v1/heartbeat", e.heartbeatJSON("Лимиты", "5.2\x00", map[string]string{"key": ""}), "version"},
		{"a secret of 65 characters", "/api/v1/heartbeat/" + strings.Repeat("s", 65), `{}`, "secret"},
		{"NUL in the version on the secret URL", "/api/v1/heartbeat/" + m.PushSecret, `{"version":"5\u0000"}`, "version"},
	}
	smsBefore, licensesBefore := smsCount(t, e, 1), e.sqlInt(`SELECT count(*) FROM license_keys`)
	for _, tc := range cases {
		status, out := e.apiCall(http.MethodPost, tc.path, "demo-taxi-token", tc.body)
		if status != http.StatusBadRequest || out["field"] != tc.field || out["error"] == nil {
			t.Errorf("%s: %d %v, want 400 naming %s", tc.name, status, out, tc.field)
		}
	}
	if smsCount(t, e, 1) != smsBefore || e.sqlInt(`SELECT count(*) FROM license_keys`) != licensesBefore {
		t.Error("a refused request stored something")
	}
	if n := e.sqlInt(`SELECT count(*) FROM monitor_checks WHERE monitor_id = ?`, m.ID); n != 0 {
		t.Error("a refused heartbeat counted")
	}

	// At the limits, counted in characters, everything is taken whole.
	version := strings.Repeat("в", 100)
	modules := make([]string, 50)
	for i := range modules {
		modules[i] = fmt.Sprintf("%02d", i) + strings.Repeat("м", 62)
	}
	moduleJSON, _ := json.Marshal(modules)
	body := e.heartbeatJSON("Лимиты", version, map[string]string{"key": long(200), "product": long(100), "modules": string(moduleJSON)})
	if status, out := e.apiCall(http.MethodPost, "/api/v1/heartbeat", "demo-taxi-token", body); status != http.StatusOK {
		t.Fatalf("a heartbeat at every limit: %d %v", status, out)
	}
	if n := e.sqlInt(`SELECT count(*) FROM monitors WHERE id = ? AND version = ?`, m.ID, version); n != 1 {
		t.Error("the version of 100 characters is not stored whole")
	}
	if n := e.sqlInt(`SELECT count(*) FROM license_keys WHERE license_key = ? AND modules = ?`, strings.Repeat("я", 200), strings.Join(modules, ",")); n != 1 {
		t.Error("the license at its limits is not stored whole")
	}
	if status, out := e.apiCall(http.MethodPost, "/api/v1/sms", "demo-taxi-token", message("id", long(64))); status != http.StatusOK || out["accepted"] != 1.0 {
		t.Errorf("an id of 64 characters: %d %v", status, out)
	}

	// Over an API call's 1 MB, a heartbeat is refused before its body is read too.
	for _, path := range []string{"/api/v1/heartbeat", "/api/v1/heartbeat/" + m.PushSecret, "/api/v1/sms/status"} {
		if status, out := e.apiHugeBody(path, 2<<20); status != http.StatusRequestEntityTooLarge || out["error"] == nil {
			t.Errorf("%s with 2 MB: %d %v", path, status, out)
		}
	}
}

// A heartbeat whose license breaks a rule is still a heartbeat: it is
// recorded (the server is up), the license is not stored, the one stored
// before stays as it was, and the answer names the license's field and why.
func TestABadLicenseCostsOnlyItself(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"Лимиты"}})
	long := func(n int) string { return quoteJSON(strings.Repeat("я", n)) }
	heartbeat := func(set map[string]string) string { return e.heartbeatJSON("Лимиты", "5.2.1", set) }
	limits := map[string]int{}
	for i := range 21 {
		limits[fmt.Sprintf("limit%02d", i)] = i
	}
	tooManyLimits, _ := json.Marshal(limits)
	today := e.Clock.Now()

	if status, out := e.apiCall(http.MethodPost, "/api/v1/heartbeat", "demo-taxi-token", heartbeat(nil)); status != http.StatusOK || out["license_refused"] != nil {
		t.Fatalf("a good heartbeat: %d %v", status, out)
	}
	stored := func() string {
		licenses, err := e.Store.CompanyLicenses(t.Context(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v", licenses)
	}
	before := stored()
	cases := []struct {
		name, path, body, field string
	}{
		{"license key of 201 characters", "/api/v1/heartbeat", heartbeat(map[string]string{"key": long(201)}), "license.key"},
		{"NUL in the license key", "/api/v1/heartbeat", heartbeat(map[string]string{"key": `"TMS\u0000"`}), "license.key"},
		{"no license key", "/api/v1/heartbeat", heartbeat(map[string]string{"key": ""}), "license.key"},
		{"a key of the wrong type", "/api/v1/heartbeat", heartbeat(map[string]string{"key": `1`}), "license.key"},
		{"product of 101 characters", "/api/v1/heartbeat", heartbeat(map[string]string{"product": long(101)}), "license.product"},
		{"an escape in the product", "/api/v1/heartbeat", heartbeat(map[string]string{"product": `"TM\u001bServer"`}), "license.product"},
		{"issued of 11 characters", "/api/v1/heartbeat", heartbeat(map[string]string{"issued": `"2020-01-011"`}), "license.issued"},
		{"NUL in expires", "/api/v1/heartbeat", heartbeat(map[string]string{"expires": `"2030-01-01\u0000"`}), "license.expires"},
		{"expires before issued", "/api/v1/heartbeat", heartbeat(map[string]string{"expires": `"` + today.AddDate(-2, 0, 0).Format("2006-01-02") + `"`}), "license.expires"},
		{"21 limits", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": string(tooManyLimits)}), "license.limits"},
		{"a limit's name of 65 characters", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": `{` + long(65) + `:1}`}), "license.limits"},
		{"NUL in a limit's name", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": `{"oper\u0000":1}`}), "license.limits"},
		{"a limit of -2", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": `{"operators":-2}`}), "license.limits"},
		{"a limit over a million", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": `{"operators":1000001}`}), "license.limits"},
		{"a limit in words", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": `{"operators":"unlimited"}`}), "license.limits"},
		{"a fractional limit", "/api/v1/heartbeat", heartbeat(map[string]string{"limits": `{"operators":1.5}`}), "license.limits"},
		{"51 modules", "/api/v1/heartbeat", heartbeat(map[string]string{"modules": repeatedJSON(51, `"Модуль"`)}), "license.modules"},
		{"a module of 65 characters", "/api/v1/heartbeat", heartbeat(map[string]string{"modules": `["Диспетчерская",` + long(65) + `]`}), "license.modules[1]"},
		{"NUL in a module", "/api/v1/heartbeat", heartbeat(map[string]string{"modules": `["Водители\u0000"]`}), "license.modules[0]"},
		{"a comma in a module", "/api/v1/heartbeat", heartbeat(map[string]string{"modules": `["Водители, Диспетчерская"]`}), "license.modules[0]"},
		{"an empty module", "/api/v1/heartbeat", heartbeat(map[string]string{"modules": `[""]`}), "license.modules[0]"},
		{"modules of the wrong type", "/api/v1/heartbeat", heartbeat(map[string]string{"modules": `"Водители"`}), "license.modules"},
		{"a comma in a module on the secret URL", "/api/v1/heartbeat/" + m.PushSecret, heartbeat(map[string]string{"modules": `["Водители, Диспетчерская"]`}), "license.modules[0]"},
	}
	for _, tc := range cases {
		checks := e.sqlInt(`SELECT count(*) FROM monitor_checks WHERE monitor_id = ? AND ok = 1`, m.ID)
		status, out := e.apiCall(http.MethodPost, tc.path, "demo-taxi-token", tc.body)
		refused, _ := out["license_refused"].(map[string]any)
		if status != http.StatusOK || out["monitor"] != "Лимиты" || out["interval_seconds"] == nil || refused["field"] != tc.field || refused["error"] == "" {
			t.Errorf("%s: %d %v, want 200 with the license refused for %s", tc.name, status, out, tc.field)
		}
		if n := e.sqlInt(`SELECT count(*) FROM monitor_checks WHERE monitor_id = ? AND ok = 1`, m.ID); n != checks+1 {
			t.Errorf("%s: the heartbeat was not recorded", tc.name)
		}
	}
	if after := stored(); after != before {
		t.Errorf("a refused license changed the stored ones:\n%s\n%s", before, after)
	}
	if n := e.sqlInt(`SELECT count(*) FROM monitors WHERE id = ? AND state = ? AND version = '5.2.1'`, m.ID, db.MonitorUp); n != 1 {
		t.Error("the monitor is not up with its version")
	}
}

// A limit of -1 is «без ограничений», as TMServer writes it: taken from a
// heartbeat and from the back office's form, and shown so on both pages.
func TestUnlimitedLicenseLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	addMonitor(t, e, manager, 1, url.Values{"name": {"Безлимит"}})
	body := e.heartbeatJSON("Безлимит", "5.2.1", map[string]string{"key": `"TMS-UNLIMITED-7777"`, "limits": `{"operators":20,"drivers":-1}`})
	if status, out := e.apiCall(http.MethodPost, "/api/v1/heartbeat", "demo-taxi-token", body); status != http.StatusOK || out["license_refused"] != nil {
		t.Fatalf("a heartbeat with an unlimited limit: %d %v", status, out)
	}
	card := e.loggedIn("taxi", "taxi123").get("/monitoring").Find(".card.license:contains('7777')")
	if got := card.Find("dt:contains('Водителей') + dd").Text(); got != "без ограничений" {
		t.Errorf("the client's page shows drivers as %q", got)
	}
	if got := card.Find("dt:contains('Операторов') + dd").Text(); got != "20" {
		t.Errorf("the client's page shows operators as %q", got)
	}
	row := manager.get("/admin/companies/1/monitoring").Find("#licenses ~ * tr:contains('7777')")
	if got := row.Find(`td[data-label="Лимиты"]`).Text(); got != "Операторов: 20, водителей: без ограничений" {
		t.Errorf("the back office shows the limits as %q", got)
	}
}

// Markup and quotes in the API's fields are taken as text, and the pages
// that show them print them as text.
func TestAPITakesMarkupAsText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"Разметка"}})
	version := `<script>alert("v")</script> 'q'`
	if status, out := e.apiCall(http.MethodPost, "/api/v1/heartbeat/"+m.PushSecret, "", `{"version":`+quoteJSON(version)+`}`); status != http.StatusOK {
		t.Fatalf("heartbeat: %d %v", status, out)
	}
	page := e.loggedIn("taxi", "taxi123").get("/monitoring")
	if !strings.Contains(page.Text("#monitor-"+itoa(m.ID)), version) || strings.Contains(page.Body, `<script>alert("v")`) {
		t.Errorf("the version is not shown as text: %q", page.Text("#monitor-"+itoa(m.ID)))
	}
	id := `<b>"srv"</b>`
	if status, out := e.apiCall(http.MethodPost, "/api/v1/sms", "demo-taxi-token", strings.Replace(e.smsJSON("x"), `"x"`, quoteJSON(id), 1)); status != http.StatusOK || out["accepted"] != 1.0 {
		t.Errorf("an id with markup: %d %v", status, out)
	}
}

// A license is one row per company and key, updated in place: a server
// that sends the same key with the largest modules forty times leaves one
// row, the database barely grows, and both monitoring pages show it once.
func TestRepeatedLicenseKeyIsOneRow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	addMonitor(t, e, manager, 1, url.Values{"name": {"Повтор"}})
	modules := make([]string, 50)
	for i := range modules {
		modules[i] = fmt.Sprintf("%02d", i) + strings.Repeat("м", 62)
	}
	moduleJSON, _ := json.Marshal(modules)
	size := func() int {
		return e.sqlInt(`SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`)
	}
	rows := e.sqlInt(`SELECT count(*) FROM license_keys WHERE company_id = 1`)
	before := size()
	for i := range 40 {
		body := e.heartbeatJSON("Повтор", fmt.Sprintf("5.2.%d", i), map[string]string{"key": `"TMS-REPEATED-KEY-9999"`, "modules": string(moduleJSON),
			"expires": `"` + e.Clock.Now().AddDate(1, 0, i).Format("2006-01-02") + `"`})
		if status, out := e.apiCall(http.MethodPost, "/api/v1/heartbeat", "demo-taxi-token", body); status != http.StatusOK {
			t.Fatalf("heartbeat %d: %d %v", i, status, out)
		}
	}
	if n := e.sqlInt(`SELECT count(*) FROM license_keys WHERE company_id = 1`); n != rows+1 {
		t.Errorf("%d license rows after forty heartbeats with one key, want %d", n, rows+1)
	}
	// The last heartbeat's details are the ones kept.
	if n := e.sqlInt(`SELECT count(*) FROM license_keys WHERE license_key = 'TMS-REPEATED-KEY-9999' AND expires_on = ?`,
		e.Clock.Now().AddDate(1, 0, 39).Format("2006-01-02")); n != 1 {
		t.Error("the license was not updated in place")
	}
	// Forty rows of 6 KB of modules would be 250 KB; one row and forty checks fit in 64 KB.
	if grown := size() - before; grown > 64<<10 {
		t.Errorf("the database grew by %d bytes", grown)
	}
	taxi := e.loggedIn("taxi", "taxi123").get("/monitoring")
	if n := taxi.Find(".card.license:contains('9999')").Length(); n != 1 {
		t.Errorf("the client's page shows the license %d times", n)
	}
	if len(taxi.Body) > 200<<10 {
		t.Errorf("the client's page is %d bytes", len(taxi.Body))
	}
	if n := manager.get("/admin/companies/1/monitoring").Find("#licenses ~ * tr:contains('9999')").Length(); n != 1 {
		t.Errorf("the back office shows the license %d times", n)
	}
}

// One monitor may bring at most five different license keys in 24 hours:
// a sixth is not stored, the answer naming license.key, while the
// heartbeat is recorded (its server is up); the five known ones are still
// taken, another monitor counts apart, and the next day it is taken.
func TestSixthLicenseKeyOfADayIsNotStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"Ключи"}})
	addMonitor(t, e, manager, 1, url.Values{"name": {"Другой"}})
	send := func(monitor, key string) (int, map[string]any) {
		return e.apiCall(http.MethodPost, "/api/v1/heartbeat", "demo-taxi-token", e.heartbeatJSON(monitor, "1", map[string]string{"key": quoteJSON(key)}))
	}
	rows := e.sqlInt(`SELECT count(*) FROM license_keys`)
	for i := range db.LicenseKeysPerDay {
		if status, out := send("Ключи", fmt.Sprintf("KEY-%d", i)); status != http.StatusOK || out["license_refused"] != nil {
			t.Fatalf("key %d: %d %v", i, status, out)
		}
		e.Clock.Advance(time.Second)
	}
	checks := e.sqlInt(`SELECT count(*) FROM monitor_checks WHERE monitor_id = ? AND ok = 1`, m.ID)
	status, out := send("Ключи", "KEY-SIXTH")
	refused, _ := out["license_refused"].(map[string]any)
	if status != http.StatusOK || refused["field"] != "license.key" || !strings.Contains(fmt.Sprint(refused["error"]), "24 hours") {
		t.Errorf("the sixth key: %d %v", status, out)
	}
	if n := e.sqlInt(`SELECT count(*) FROM monitor_checks WHERE monitor_id = ? AND ok = 1`, m.ID); n != checks+1 {
		t.Error("the heartbeat with the sixth key was not recorded")
	}
	if n := e.sqlInt(`SELECT count(*) FROM license_keys`); n != rows+db.LicenseKeysPerDay {
		t.Errorf("%d license rows, want %d", n, rows+db.LicenseKeysPerDay)
	}
	if status, out := send("Ключи", "KEY-0"); status != http.StatusOK || out["license_refused"] != nil {
		t.Errorf("a known key after the refusal: %d %v", status, out)
	}
	if status, out := send("Другой", "KEY-SIXTH"); status != http.StatusOK || out["license_refused"] != nil {
		t.Errorf("another monitor's first key: %d %v", status, out)
	}
	// A day after the first keys, their places are free again.
	e.Clock.Advance(24 * time.Hour)
	if status, out := send("Ключи", "KEY-SEVENTH"); status != http.StatusOK || out["license_refused"] != nil {
		t.Errorf("a new key the next day: %d %v", status, out)
	}
	if n := e.sqlInt(`SELECT count(*) FROM license_reports`); n > db.LicenseKeysPerDay+1 {
		t.Errorf("%d license reports kept", n)
	}
}
