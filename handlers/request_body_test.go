package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A stranger's body is refused over 64 KB before it is read; a logged-in
// browser and an API client with a live token may send up to 1 MB.
func TestStrangersSendSmallBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	big := strings.Repeat("x", 100<<10)
	stranger := e.client()
	if r := stranger.postRaw("/login", url.Values{"login": {"admin"}, "password": {big}}, nil); r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a stranger's 100 KB login form: %d", r.Status)
	}
	if status, out := e.apiCall("POST", "/api/v1/sms", "not-a-token", `{"messages":[],"x":"`+big+`"}`); status != http.StatusRequestEntityTooLarge || out["error"] == nil {
		t.Errorf("100 KB with an unknown token: %d %v", status, out)
	}
	// Known callers get past the size check to the form's own rules.
	taxi := e.loggedIn("taxi", "taxi123")
	if r := taxi.post("/questions", url.Values{"subject": {"Вопрос"}, "body": {big}}); r.Status == http.StatusRequestEntityTooLarge {
		t.Errorf("a logged-in 100 KB form: %d", r.Status)
	}
	if status, out := e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", `{"messages":[],"x":"`+big+`"}`); status == http.StatusRequestEntityTooLarge {
		t.Errorf("100 KB with a live token: %d %v", status, out)
	}
}
