package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// Every kind of answer carries the security headers: pages, errors, static
// files, the API, documents, attachments, health and metrics.
func TestSecurityHeadersOnEveryKindOfAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	invoice, _ := firstDocuments(e, 1)
	file := itoa(int64(e.sqlInt(`SELECT f.id FROM ticket_attachments f JOIN ticket_messages m ON m.id = f.message_id
		JOIN tickets t ON t.id = m.ticket_id WHERE t.company_id = 1 LIMIT 1`)))
	answers := map[string]*response{
		"page":       taxi.get("/company"),
		"error page": taxi.get("/no-such-page"),
		"login":      e.client().get("/login"),
		"static":     taxi.get("/static/app.css"),
		"PDF":        taxi.get("/documents/invoices/" + invoice + "/pdf"),
		"attachment": taxi.get("/tickets/files/" + file),
		"health":     taxi.get("/healthz"),
		"metrics":    e.client().get("/metrics"),
	}
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/v1/balances", nil)
	req.Header.Set("Authorization", "Bearer demo-taxi-token")
	answers["API"] = taxi.do(req)
	for name, r := range answers {
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") && !strings.Contains(csp, "sandbox") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", name, csp)
		}
		for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if got := r.Header.Get(header); got != want {
				t.Errorf("%s: %s is %q", name, header, got)
			}
		}
	}
	if d := answers["PDF"].Header.Get("Content-Disposition"); !strings.HasPrefix(d, "inline; filename=") {
		t.Errorf("PDF disposition %q", d)
	}
}
