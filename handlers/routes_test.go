package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// These sweeps walk the router itself, so a route added later is checked
// without anyone remembering to list it.

// publicRoutes are the only routes that answer without a session.
var publicRoutes = []string{
	"GET /healthz",
	"GET /metrics", // loopback or its own token
	"GET /login",
	"POST /login",
	"POST /login/code", // its own signed cookie names who passed the password
	"POST /logout",
	"GET /api/v1/openapi.json",
	"POST /api/v1/heartbeat/:secret", // the secret in the URL is the credential
}

// routeKeys lists the app's routes as "METHOD /path", without HEAD and the
// static files.
func routeKeys(e *env) []string {
	var out []string
	for _, r := range e.App.GetRoutes(true) {
		if r.Method == http.MethodHead || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// concrete fills a route's parameters with an existing object's id.
func concrete(e *env, path string) string {
	path = strings.ReplaceAll(path, ":secret", strings.Repeat("a", 32))
	return strings.ReplaceAll(path, ":id", itoa(e.userID("dispatcher")))
}

func TestEveryRouteButThePublicOnesNeedsASession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	anonymous := e.client()
	before := snapshot(t, e)
	n := 0
	for _, key := range routeKeys(e) {
		method, path, _ := strings.Cut(key, " ")
		if slices.Contains(publicRoutes, key) || strings.HasPrefix(path, "/api/") {
			continue // the API's token is swept below
		}
		var r *response
		if method == http.MethodGet {
			r = anonymous.get(concrete(e, path))
		} else {
			// With the login page's own CSRF token, so that only the
			// missing session can stop it.
			r = anonymous.post(concrete(e, path), url.Values{"name": {"x"}, "email": {"x@example.com"}})
		}
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
			t.Errorf("%s without a session: %d → %q, want a redirect to /login", key, r.Status, r.Location())
		}
		n++
	}
	if n < 60 {
		t.Errorf("only %d routes swept", n)
	}
	if after := snapshot(t, e); after != before {
		t.Error("a request without a session changed data")
	}
}

func TestEveryStateChangeRefusesAMissingCSRFToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	client, staff := e.loggedIn("taxi", "taxi123"), e.loggedIn("admin", "admin123")
	before := snapshot(t, e)
	n := 0
	for _, key := range routeKeys(e) {
		method, path, _ := strings.Cut(key, " ")
		if method == http.MethodGet || strings.HasPrefix(path, "/api/") || key == "POST /login" {
			continue // the API has no cookies; the login form is tested with its own token
		}
		as := client
		if strings.HasPrefix(path, "/admin") {
			as = staff
		}
		form := url.Values{"name": {"x"}, "email": {"x@example.com"}, "body": {"x"}, "password": {"x"}}
		if r := as.postRaw(concrete(e, path), form, nil); r.Status != http.StatusForbidden {
			t.Errorf("%s without a CSRF token: %d, want 403", key, r.Status)
		}
		n++
	}
	if n < 40 {
		t.Errorf("only %d state-changing routes swept", n)
	}
	if after := snapshot(t, e); after != before {
		t.Error("a request without a CSRF token changed data")
	}
	if r := client.get("/company"); r.Status != http.StatusOK {
		t.Errorf("the sweep ended the session: %d", r.Status)
	}
}

func TestEveryAPIRouteRefusesAMissingOrUnknownToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := 0
	for _, key := range routeKeys(e) {
		method, path, _ := strings.Cut(key, " ")
		if !strings.HasPrefix(path, "/api/") || slices.Contains(publicRoutes, key) {
			continue
		}
		for _, token := range []string{"", "not-a-token", "demo-taxi-token-but-longer"} {
			if status, out := e.apiCall(method, concrete(e, path), token, `{}`); status != http.StatusUnauthorized || out["error"] == nil {
				t.Errorf("%s with token %q: %d %v", key, token, status, out)
			}
		}
		n++
	}
	if n < 4 {
		t.Errorf("only %d API routes swept", n)
	}
	// The secret heartbeat URL is its own credential: a wrong one is refused.
	if status, _ := e.apiCall(http.MethodPost, "/api/v1/heartbeat/"+strings.Repeat("0", 32), "", `{}`); status/100 != 4 {
		t.Errorf("heartbeat with an unknown secret: %d", status)
	}
}
