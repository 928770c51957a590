package handlers_test

import (
	"io"
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

// A compressed body is refused rather than unpacked; a stranger's small
// chunked body (no length) is read as any other.
func TestBodiesAreTakenAsSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/heartbeat/no-such-secret", strings.NewReader("\x1f\x8b"))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a gzip body: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	req, _ = http.NewRequest(http.MethodPost, e.URL+"/api/v1/heartbeat/no-such-secret", io.MultiReader(strings.NewReader(`{"version":"5.2.1"}`)))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound { // read, then the secret is unknown
		t.Errorf("a small chunked body: %d", res.StatusCode)
	}
}

// A form with files carries little besides its files: a part header of
// 600 KB is refused before it is held.
func TestUploadOverheadIsBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi := e.loggedIn("taxi", "taxi123")
	r := taxi.postParts("/tickets", nil, false, formPart{name: "_csrf", data: taxi.token()},
		formPart{name: "subject", data: "Журнал"}, formPart{name: "priority", data: "normal"}, formPart{name: "body", data: "Во вложении"},
		formPart{name: "files", file: strings.Repeat("a", 600<<10) + ".log", data: strings.Repeat("x", 100<<10)})
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 600 KB file name: %d", r.Status)
	}
}
