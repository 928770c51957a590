package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"elk/db"
)

// apiCall sends a request to the API with a token and decodes the JSON answer.
func (e *env) apiCall(method, path, token, body string) (int, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("%s %s: not JSON (%d): %s", method, path, res.StatusCode, raw)
	}
	return res.StatusCode, out
}

// smsDay is the day the tests' SMS are sent on: ten days before the test
// clock's start, away from the demo's last few days.
func (e *env) smsDay() string {
	return e.Clock.Now().AddDate(0, 0, -10).Format("2006-01-02")
}

// smsJSON is an API batch of messages with the ids, sent at 10:00 on smsDay.
func (e *env) smsJSON(ids ...string) string {
	var msgs []string
	for i, id := range ids {
		msgs = append(msgs, fmt.Sprintf(`{"id":%q,"phone":"+7900123%04d","parts":%d,"sent_at":"%sT10:%02d:00Z","status":"sent"}`, id, i, 1+i%3, e.smsDay(), i%60))
	}
	return `{"messages":[` + strings.Join(msgs, ",") + `]}`
}

// ledgerOK checks the invariant after every API call: balance = sum of transactions.
func ledgerOK(t *testing.T, e *env) {
	t.Helper()
	if bad, err := e.Store.CheckLedger(context.Background()); err != nil || len(bad) != 0 {
		t.Fatalf("ledger: %+v %v", bad, err)
	}
}

func smsCount(t *testing.T, e *env, companyID int64) int {
	t.Helper()
	return e.sqlInt(`SELECT count(*) FROM sms WHERE company_id = ?`, companyID)
}

func TestAPIRecordsSMSAndChargesOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	before := smsCount(t, e, 1)
	status, out := e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", e.smsJSON("a1", "a2", "a3"))
	// Parts 1, 2 and 3 at 2,50 ₽ a part.
	want := int64(sms.Balance) - 6*250
	if status != 200 || out["accepted"] != 3.0 || out["duplicates"] != 0.0 || int64(out["balance_kopecks"].(float64)) != want {
		t.Fatalf("first batch: %d %v (want balance %d)", status, out, want)
	}
	ledgerOK(t, e)
	// The same batch again (a retry after a timeout) changes nothing.
	status, out = e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", e.smsJSON("a1", "a2", "a3"))
	if status != 200 || out["accepted"] != 0.0 || out["duplicates"] != 3.0 || int64(out["balance_kopecks"].(float64)) != want {
		t.Fatalf("repeated batch: %d %v", status, out)
	}
	// Mixed new and old: only the new are charged.
	status, out = e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", e.smsJSON("a3", "a4"))
	if status != 200 || out["accepted"] != 1.0 || out["duplicates"] != 1.0 || int64(out["balance_kopecks"].(float64)) != want-2*250 {
		t.Fatalf("mixed batch: %d %v", status, out)
	}
	ledgerOK(t, e)
	if n := smsCount(t, e, 1) - before; n != 4 {
		t.Errorf("%d SMS stored, want 4", n)
	}
	txs, _, _ := e.Store.Transactions(context.Background(), 1, db.TxFilter{CompanyServiceID: sms.ID, Source: db.SourceSMS}, nil, 2)
	if len(txs) == 0 || txs[0].Amount != -500 || !strings.Contains(txs[0].Description, "Отправка СМС: 1 шт.") {
		t.Errorf("ledger row of the mixed batch: %+v", txs)
	}
}

func TestAPIRefusesBadInputWhole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	day := e.smsDay()
	before := smsCount(t, e, 1)
	var many []string
	for i := range 1001 {
		many = append(many, fmt.Sprintf("m%d", i))
	}
	badPhone := strings.Replace(e.smsJSON("b1", "b2", "b3"), `"+79001230001"`, `"12345"`, 1)
	cases := []struct {
		name, token, body string
		status            int
		field             string
	}{
		{"no token", "", e.smsJSON("c1"), 401, ""},
		{"bad token", "nope", e.smsJSON("c1"), 401, ""},
		{"malformed JSON", "demo-taxi-token", `{"messages":[{"id":`, 400, ""},
		{"wrong type", "demo-taxi-token", `{"messages":[{"id":"c0","phone":"+79001234567","parts":1,"sent_at":"` + day + `T10:00:00Z"},{"id":"c1","phone":"+79001234567","parts":"two","sent_at":"` + day + `T10:00:00Z"}]}`, 400, "messages[1].parts"},
		{"not an object", "demo-taxi-token", `[]`, 400, ""},
		{"sent in the future", "demo-taxi-token", strings.Replace(e.smsJSON("c1"), e.smsDay()+"T10:00:00Z", "2999-01-01T00:00:00Z", 1), 400, "messages[0].sent_at"},
		{"missing id", "demo-taxi-token", `{"messages":[{"phone":"+79001234567","parts":1,"sent_at":"` + day + `T10:00:00Z"}]}`, 400, "messages[0].id"},
		{"missing sent_at", "demo-taxi-token", `{"messages":[{"id":"c1","phone":"+79001234567","parts":1}]}`, 400, "messages[0].sent_at"},
		{"bad phone in the middle", "demo-taxi-token", badPhone, 400, "messages[1].phone"},
		{"parts 0", "demo-taxi-token", strings.Replace(e.smsJSON("c1"), `"parts":1`, `"parts":0`, 1), 400, "messages[0].parts"},
		{"parts 1000", "demo-taxi-token", strings.Replace(e.smsJSON("c1"), `"parts":1`, `"parts":1000`, 1), 400, "messages[0].parts"},
		{"bad status", "demo-taxi-token", strings.Replace(e.smsJSON("c1"), `"status":"sent"`, `"status":"lost"`, 1), 400, "messages[0].status"},
		{"empty batch", "demo-taxi-token", `{"messages":[]}`, 400, "messages"},
		{"1,001 messages", "demo-taxi-token", e.smsJSON(many...), 400, "messages"},
	}
	for _, tc := range cases {
		status, out := e.apiCall("POST", "/api/v1/sms", tc.token, tc.body)
		if status != tc.status || out["error"] == nil || (tc.field != "" && out["field"] != tc.field) {
			t.Errorf("%s: %d %v, want %d field %q", tc.name, status, out, tc.status, tc.field)
		}
	}
	// Over an API call's 1 MB (only tickets' uploads may send more),
	// refused before the body is read.
	for _, n := range []int{2 << 20, 64 << 20} {
		if status, out := e.apiHugeBody("/api/v1/sms", n); status != 413 || out["error"] == nil {
			t.Errorf("%d-byte body: %d %v", n, status, out)
		}
	}
	if after := smsCount(t, e, 1); after != before {
		t.Errorf("refused batches stored %d SMS", after-before)
	}
	ledgerOK(t, e)
}

// apiHugeBody announces a body of n bytes and reads the answer before
// sending it, as a server that refuses on the announced length answers.
func (e *env) apiHugeBody(path string, n int) (int, map[string]any) {
	e.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: elk\r\nAuthorization: Bearer demo-taxi-token\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, n)
	conn.Write(make([]byte, min(n, serverPeek)))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestAPITokensSeeOnlyTheirCompany(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	day := e.smsDay()
	e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", e.smsJSON("same-id"))
	// Восток may use the same sender id: ids are unique per company.
	status, out := e.apiCall("POST", "/api/v1/sms", "demo-vostok-token", e.smsJSON("same-id"))
	if status != 200 || out["accepted"] != 1.0 {
		t.Fatalf("vostok's own message: %d %v", status, out)
	}
	// Восток's token cannot touch Пример's message, and reads only its own balances.
	status, out = e.apiCall("POST", "/api/v1/sms/status", "demo-vostok-token", `{"updates":[{"id":"other","status":"delivered","at":"`+day+`T10:05:00Z"}]}`)
	if status != 200 || fmt.Sprint(out["unknown"]) != "[other]" {
		t.Errorf("status of another company's message: %d %v", status, out)
	}
	_, out = e.apiCall("GET", "/api/v1/balances", "demo-vostok-token", "")
	services := out["services"].([]any)
	vostok := serviceOf(t, e, 2, db.ServiceSMS)
	first := services[0].(map[string]any)
	if len(services) != 2 || first["service"] != "sms" || int64(first["balance_kopecks"].(float64)) != int64(vostok.Balance) {
		t.Errorf("vostok balances: %v", out)
	}
	ledgerOK(t, e)
}

func TestAPIStatusUpdates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sent := e.smsDay()
	e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", e.smsJSON("s1", "s2"))
	body := `{"updates":[{"id":"s1","status":"delivered","at":"` + sent + `T10:00:30Z"},{"id":"s2","status":"failed","at":"` + sent + `T10:01:30Z"},{"id":"ghost","status":"delivered","at":"` + sent + `T10:02:00Z"}]}`
	status, out := e.apiCall("POST", "/api/v1/sms/status", "demo-taxi-token", body)
	if status != 200 || out["updated"] != 2.0 || fmt.Sprint(out["unknown"]) != "[ghost]" {
		t.Fatalf("status updates: %d %v", status, out)
	}
	// An older report arriving late does not undo a newer one.
	e.apiCall("POST", "/api/v1/sms/status", "demo-taxi-token", `{"updates":[{"id":"s1","status":"sent","at":"`+sent+`T10:00:10Z"}]}`)
	day, _ := time.Parse("2006-01-02", sent)
	days, err := e.Store.SMSDays(context.Background(), 1, day, day, "")
	count := func(status string) int { return days[0].Counts[slices.Index(db.SMSStatuses, status)] }
	if err != nil || len(days) != 1 || count(db.SMSDelivered) != 1 || count(db.SMSFailed) != 1 || count(db.SMSSent) != 0 {
		t.Errorf("roll-up after updates: %+v %v", days, err)
	}
	// Both left "sent": the day has none of them now, and is left out.
	if days, err := e.Store.SMSDays(context.Background(), 1, day, day, db.SMSSent); err != nil || len(days) != 0 {
		t.Errorf("sent only, after every one moved on: %+v %v", days, err)
	}
	if days, err := e.Store.SMSDays(context.Background(), 1, day, day, "read"); err != nil || len(days) != 0 {
		t.Errorf("a status that does not exist: %+v %v", days, err)
	}
	status, out = e.apiCall("POST", "/api/v1/sms/status", "demo-taxi-token", `{"updates":[{"id":"s1","status":"read","at":"`+sent+`T10:00:10Z"}]}`)
	if status != 400 || out["field"] != "updates[0].status" {
		t.Errorf("bad status: %d %v", status, out)
	}
	// A report from the future would make every real one after it look stale.
	status, out = e.apiCall("POST", "/api/v1/sms/status", "demo-taxi-token", `{"updates":[{"id":"s1","status":"sent","at":"9999-01-01T00:00:00Z"}]}`)
	if status != 400 || out["field"] != "updates[0].at" {
		t.Errorf("report from the future: %d %v", status, out)
	}
	if status, out := e.apiCall("POST", "/api/v1/nothing", "demo-taxi-token", `{}`); status != 404 || out["error"] == nil {
		t.Errorf("unknown endpoint: %d %v", status, out)
	}
}

func TestAPIRevokedTokenIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	page := admin.post("/admin/companies/1/tokens", map[string][]string{"name": {"Резервный сервер"}})
	token := page.Text("#generated-password")
	if !strings.HasPrefix(token, "elk_") {
		t.Fatalf("new token %q", token)
	}
	if status, _ := e.apiCall("GET", "/api/v1/balances", token, ""); status != 200 {
		t.Fatalf("new token: %d", status)
	}
	tokens, _ := e.Store.CompanyAPITokens(context.Background(), 1)
	if tokens[0].LastUsedAt == nil || tokens[0].Prefix != token[:8] {
		t.Errorf("token use not recorded: %+v", tokens[0])
	}
	admin.post("/admin/tokens/"+itoa(tokens[0].ID)+"/revoke", nil)
	if status, out := e.apiCall("GET", "/api/v1/balances", token, ""); status != 401 || out["error"] == nil {
		t.Errorf("revoked token: %d %v", status, out)
	}
}

// A batch whose transaction fails part-way leaves no trace; the retry records it once.
func TestAPIInterruptedBatchLeavesNoTrace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := smsCount(t, e, 1)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	// The database refuses the 3rd message's row (a trigger stands in for a crash mid-batch).
	e.sqlExec(`CREATE TRIGGER boom BEFORE INSERT ON sms WHEN NEW.sender_id = 'x3' BEGIN SELECT RAISE(ABORT, 'crash'); END`)
	batch := e.smsJSON("x1", "x2", "x3", "x4")
	status, _ := e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", batch)
	if status != 500 {
		t.Fatalf("interrupted batch: %d", status)
	}
	if n := smsCount(t, e, 1); n != before {
		t.Errorf("%d SMS of the interrupted batch stored", n-before)
	}
	if cs := serviceOf(t, e, 1, db.ServiceSMS); cs.Balance != sms.Balance {
		t.Errorf("balance moved by an interrupted batch: %d → %d", sms.Balance, cs.Balance)
	}
	e.sqlExec(`DROP TRIGGER boom`)
	status, out := e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", batch)
	if status != 200 || out["accepted"] != 4.0 {
		t.Errorf("retry: %d %v", status, out)
	}
	ledgerOK(t, e)
}

func TestAPIRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Config.APIRequestsPerMinute = 3
	e.Restart()
	for i := range 3 {
		if status, _ := e.apiCall("GET", "/api/v1/balances", "demo-taxi-token", ""); status != 200 {
			t.Fatalf("call %d: %d", i+1, status)
		}
	}
	if status, out := e.apiCall("GET", "/api/v1/balances", "demo-taxi-token", ""); status != 429 || out["error"] == nil {
		t.Errorf("fourth call: %d %v", status, out)
	}
	// Another company's token is counted apart.
	if status, _ := e.apiCall("GET", "/api/v1/balances", "demo-vostok-token", ""); status != 200 {
		t.Errorf("another token: %d", status)
	}
}

// The OpenAPI description matches the handlers: every API route is described
// and every described operation exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, err := http.Get(e.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&spec); err != nil || !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi.json: %v %q", err, spec.OpenAPI)
	}
	described := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			// OpenAPI's {secret} is the router's :secret.
			path = strings.NewReplacer("{", ":", "}", "").Replace(path)
			described[strings.ToUpper(method)+" /api/v1"+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range e.App.GetRoutes(true) {
		if strings.HasPrefix(r.Path, "/api/v1/") && r.Path != "/api/v1/openapi.json" && r.Method != http.MethodHead {
			served[r.Method+" "+r.Path] = true
		}
	}
	for op := range served {
		if !described[op] {
			t.Errorf("%s is served but not described", op)
		}
	}
	for op := range described {
		if !served[op] {
			t.Errorf("%s is described but not served", op)
		}
	}
	if len(served) < 3 {
		t.Errorf("only %d API routes found", len(served))
	}
}

// An address that keeps trying tokens is refused for the minute, however
// many different tokens it tries; one failing now and then is not.
func TestAPIAuthenticationFailuresAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 20 {
		if status, _ := e.apiCall("GET", "/api/v1/balances", fmt.Sprintf("guess-%d", i), ""); status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, status)
		}
	}
	if status, body := e.apiCall("GET", "/api/v1/balances", "guess-21", ""); status != http.StatusTooManyRequests {
		t.Errorf("the 21st guess: %d %v", status, body)
	}
	if status, _ := e.apiCall("GET", "/api/v1/balances", "demo-taxi-token", ""); status != http.StatusTooManyRequests {
		t.Errorf("a right token from the guessing address within the minute: %d", status)
	}
}

// A heartbeat's secret URL is a credential too: guessing secrets counts.
func TestHeartbeatSecretGuessesAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 20 {
		if status, _ := e.apiCall("POST", fmt.Sprintf("/api/v1/heartbeat/guess-%d", i), "", "{}"); status != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, status)
		}
	}
	if status, body := e.apiCall("POST", "/api/v1/heartbeat/guess-21", "", "{}"); status != http.StatusTooManyRequests {
		t.Errorf("the 21st guess: %d %v", status, body)
	}
	if status, _ := e.apiCall("GET", "/api/v1/balances", "demo-taxi-token", ""); status != http.StatusTooManyRequests {
		t.Errorf("a token from the guessing address within the minute: %d", status)
	}
}
