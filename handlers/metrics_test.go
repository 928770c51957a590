package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetricsForALocalScraperOrTheToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Config.MetricsToken = "scrape-token-0123456789"
	e.Restart()
	taxi := e.loggedIn("taxi", "taxi123")
	taxi.get("/company")
	ticket := itoa(int64(e.sqlInt(`SELECT id FROM tickets WHERE company_id = 1 LIMIT 1`)))
	taxi.get("/tickets/" + ticket)
	if status, _ := e.apiCall(http.MethodPost, "/api/v1/sms", "demo-taxi-token", e.smsJSON("metrics-1", "metrics-2")); status != 200 {
		t.Fatalf("SMS: %d", status)
	}

	local := e.client().get("/metrics")
	if local.Status != http.StatusOK || !strings.HasPrefix(local.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics from loopback: %d %s", local.Status, local.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`elk_http_requests_total{method="GET",route="/company",status="200"} `,
		`elk_http_requests_total{method="GET",route="/tickets/:id",status="200"} `,
		`elk_http_request_duration_seconds_bucket{method="GET",route="/company",le="+Inf"} `,
		"\nelk_sms_ingested_total ", "\nelk_outbox_pending ", "\nelk_outbox_failed ", "\nelk_database_bytes ",
		"\nelk_monitor_checks_total", "\ngo_goroutines ", "\nprocess_resident_memory_bytes ",
	} {
		if !strings.Contains(local.Body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(local.Body, `route="/tickets/`+ticket+`"`) {
		t.Error("an id became a label")
	}

	// Through a reverse proxy on this machine it is not local any more.
	for _, tc := range []struct {
		header map[string]string
		status int
	}{
		{map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusNotFound},
		{map[string]string{"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer wrong"}, http.StatusNotFound},
		{map[string]string{"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer scrape-token-0123456789"}, http.StatusOK},
	} {
		if r := e.client().getWith("/metrics", tc.header); r.Status != tc.status {
			t.Errorf("/metrics with %v: %d, want %d", tc.header, r.Status, tc.status)
		}
	}
}
