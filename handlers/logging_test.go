package handlers_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// Every log line of a request carries its id, which the error page shows
// and the response header repeats, so support can find what happened.
func TestRequestIDTiesTheErrorPageToTheLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var log syncBuffer
	e.Config.AccessLog, e.Config.Logger = true, slog.New(slog.NewJSONHandler(&log, nil))
	e.Restart()
	taxi := e.loggedIn("taxi", "taxi123")
	r := taxi.get("/tickets/999999")
	id := r.Header.Get("X-Request-ID")
	if r.Status != 404 || len(id) != 16 || !strings.Contains(r.Text("main"), "Номер запроса для техподдержки: "+id) {
		t.Fatalf("error page: %d, id %q, %q", r.Status, id, r.Text("main"))
	}
	if other := taxi.get("/company").Header.Get("X-Request-ID"); other == id || other == "" {
		t.Errorf("ids of two requests: %q, %q", id, other)
	}
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if entry["request_id"] == id {
			found = entry["msg"] == "request" && entry["status"] == 404.0 && entry["path"] == "/tickets/999999"
		}
	}
	if !found {
		t.Errorf("no access line for request %s in:\n%s", id, log.String())
	}
}
