package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"elk/db"
)

// turnOnTwoFactor sets up the second factor as the user would, with the
// password and real codes, and returns the secret and the recovery codes.
func turnOnTwoFactor(t *testing.T, e *env, c *client, password string) (string, []string) {
	t.Helper()
	if r := c.post("/account/2fa/setup", url.Values{"current": {"wrong password"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("setup without the password: %d", r.Status)
	}
	if r := c.post("/account/2fa/setup", url.Values{"current": {password}}); r.Status != http.StatusSeeOther {
		t.Fatalf("setup: %d", r.Status)
	}
	page := c.get("/account")
	src, _ := page.Find("img.totp-qr").Attr("src")
	if qr := c.get(src); qr.Status != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("no QR code at %q: %d %s", src, qr.Status, qr.Header.Get("Content-Type"))
	} else if _, err := png.Decode(strings.NewReader(qr.Body)); err != nil {
		t.Fatalf("the QR code is not a picture: %v", err)
	}
	secret := strings.ReplaceAll(page.Text("#totp-secret"), " ", "")
	if r := c.post("/account/2fa/enable", url.Values{"code": {"000000"}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Text("#two-factor-error"), "Код не подошёл") {
		t.Errorf("a wrong confirmation code: %d %q", r.Status, r.Text("#two-factor-error"))
	}
	code, err := totp.GenerateCode(secret, e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := c.post("/account/2fa/enable", url.Values{"code": {code}})
	var codes []string
	r.Find("#recovery-codes code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if r.Status != http.StatusOK || len(codes) != 10 {
		t.Fatalf("enable: %d, %d recovery codes", r.Status, len(codes))
	}
	if qr := c.get(src); qr.Status != http.StatusNotFound {
		t.Errorf("the QR code of a factor already on: %d", qr.Status)
	}
	return secret, codes
}

// logInWithCode passes the password and returns the answer to the code.
func logInWithCode(e *env, login, password, code string) (*client, *response) {
	c := e.client()
	r := c.post("/login", url.Values{"login": {login}, "password": {password}})
	if r.Status != http.StatusOK || r.Find("#code-form").Length() != 1 {
		e.t.Fatalf("after the password: %d, %s", r.Status, r.Text("main"))
	}
	if s := c.get("/company"); s.Status != http.StatusSeeOther {
		e.t.Errorf("a session before the code: %d", s.Status)
	}
	return c, c.post("/login/code", url.Values{"code": {code}})
}

func TestTwoFactorLoginWithRealCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi, elsewhere := e.loggedIn("taxi", "taxi123"), e.loggedIn("taxi", "taxi123")
	secret, recovery := turnOnTwoFactor(t, e, taxi, "taxi123")
	if elsewhere.get("/company").Status != http.StatusSeeOther || taxi.get("/company").Status != http.StatusOK {
		t.Error("turning it on did not end the other sessions, or ended this one")
	}
	if got := taxi.get("/account").Text("#two-factor"); !strings.Contains(got, "Включён") || !strings.Contains(got, "осталось: 10") {
		t.Errorf("account after enabling: %s", got)
	}
	now, _ := totp.GenerateCode(secret, e.Clock.Now())

	// The code that turned it on is used: it does not log in again.
	if _, r := logInWithCode(e, "taxi", "taxi123", now); r.Status != http.StatusUnauthorized {
		t.Errorf("a used code: %d", r.Status)
	}
	e.Clock.Advance(30 * time.Second)
	next, _ := totp.GenerateCode(secret, e.Clock.Now())
	c, r := logInWithCode(e, "taxi", "taxi123", next)
	if r.Status != http.StatusSeeOther || r.Location() != "/company" || c.get("/company").Status != http.StatusOK {
		t.Fatalf("login with a fresh code: %d → %s", r.Status, r.Location())
	}

	// A recovery code works once, typed in capitals and spaces too.
	typed := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", " "))
	if _, r := logInWithCode(e, "taxi", "taxi123", typed); r.Status != http.StatusSeeOther {
		t.Errorf("a recovery code: %d %s", r.Status, r.Text("#login-error"))
	}
	if _, r := logInWithCode(e, "taxi", "taxi123", recovery[3]); r.Status != http.StatusUnauthorized {
		t.Errorf("a recovery code twice: %d", r.Status)
	}

	// Five minutes after the password, the code is too late.
	e.Clock.Advance(30 * time.Second)
	late := e.client()
	late.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
	e.Clock.Advance(6 * time.Minute)
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	if r := late.post("/login/code", url.Values{"code": {code}}); r.Status != http.StatusUnauthorized || !strings.Contains(r.Text("#login-error"), "Время на ввод кода вышло") {
		t.Errorf("a code after the time: %d %q", r.Status, r.Text("#login-error"))
	}
	// A step cookie cannot be forged, not even with a signature the login
	// page hands out for a chosen anonymous cookie.
	step := itoa(e.userID("taxi")) + ".9999999999"
	forged := e.client()
	u, _ := url.Parse(e.URL)
	forged.http.Jar.SetCookies(u, []*http.Cookie{{Name: "elk_anon", Value: "2fa:" + step}})
	signature, _ := forged.get("/login").Find(`meta[name="csrf-token"]`).Attr("content")
	forged.http.Jar.SetCookies(u, []*http.Cookie{{Name: "elk_2fa", Value: step + "." + signature}})
	if r := forged.post("/login/code", url.Values{"code": {code}}); r.Status != http.StatusUnauthorized || forged.get("/company").Status == http.StatusOK {
		t.Errorf("a forged step cookie: %d", r.Status)
	}
	// A password changed after the step voids it.
	e.Clock.Advance(30 * time.Second)
	changed := e.client()
	changed.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
	if err := e.Store.SetPassword(context.Background(), actorOf(e, "taxi"), mustUser(t, e, "taxi"), "новый пароль такси", db.AuditPasswordChanged); err != nil {
		t.Fatal(err)
	}
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	if r := changed.post("/login/code", url.Values{"code": {code}}); r.Status != http.StatusUnauthorized {
		t.Errorf("a step from before the password changed: %d", r.Status)
	}
	if err := e.Store.SetPassword(context.Background(), actorOf(e, "taxi"), mustUser(t, e, "taxi"), "taxi123", db.AuditPasswordChanged); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(30 * time.Second) // the change ended every session: log in again
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	if c, r = logInWithCode(e, "taxi", "taxi123", code); r.Status != http.StatusSeeOther {
		t.Fatalf("login after the password change: %d", r.Status)
	}

	// Turning it off takes the password and a code.
	e.Clock.Advance(time.Minute)
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	if r := c.post("/account/2fa/disable", url.Values{"current": {"wrong"}, "code": {code}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("disable with a wrong password: %d", r.Status)
	}
	if r := c.post("/account/2fa/disable", url.Values{"current": {"taxi123"}, "code": {code}}); r.Status != http.StatusSeeOther {
		t.Errorf("disable: %d %s", r.Status, r.Text("#two-factor-error"))
	}
	if e.loggedIn("taxi", "taxi123").get("/company").Status != http.StatusOK {
		t.Error("the password alone does not log in after turning it off")
	}
	turnOnTwoFactor(t, e, c, "taxi123")

	// Wrong codes are throttled like passwords.
	guesser := e.client()
	guesser.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
	var last *response
	for range 6 {
		last = guesser.post("/login/code", url.Values{"code": {"123456"}})
	}
	if last.Status != http.StatusTooManyRequests {
		t.Errorf("the sixth wrong code: %d", last.Status)
	}
}

func TestStaffMustTurnOnTheSecondFactorWhenRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Config.StaffTwoFactor = true
	e.Restart()
	manager := e.loggedIn("manager", "manager123")
	if r := manager.get("/admin/companies"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/account") {
		t.Fatalf("staff without a second factor: %d → %s", r.Status, r.Location())
	}
	if got := manager.get("/account").Text("#two-factor .alert"); !strings.Contains(got, "Сотрудникам нужен вход с кодом") {
		t.Errorf("the account page says: %q", got)
	}
	turnOnTwoFactor(t, e, manager, "manager123")
	if r := manager.get("/admin/companies"); r.Status != http.StatusOK {
		t.Errorf("staff with a second factor: %d", r.Status)
	}
	if r := manager.post("/account/2fa/disable", url.Values{"current": {"manager123"}}); r.Status != http.StatusForbidden {
		t.Errorf("staff turning a required factor off: %d", r.Status)
	}
	// An admin resets a lost second factor; the manager logs in with the password again.
	admin := e.loggedIn("admin", "admin123")
	turnOnTwoFactor(t, e, admin, "admin123") // required of the admin too
	if !strings.Contains(admin.get("/admin/staff").Text("#user-"+itoa(e.userID("manager"))), "Сбросить вход с кодом") {
		t.Error("no reset button for a user with a second factor")
	}
	if r := admin.post("/admin/users/"+itoa(e.userID("manager"))+"/two-factor/reset", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	if r := manager.get("/account"); r.Status != http.StatusSeeOther {
		t.Errorf("the manager's session outlived the reset: %d", r.Status)
	}
	if r := e.client().post("/login", url.Values{"login": {"manager"}, "password": {"manager123"}}); r.Status != http.StatusSeeOther {
		t.Errorf("after the reset the password alone: %d", r.Status)
	}
	// Clients are not asked.
	if r := e.loggedIn("taxi", "taxi123").get("/company"); r.Status != http.StatusOK {
		t.Errorf("a client: %d", r.Status)
	}
}

func TestSessionsListedAndEnded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	laptop, phone := e.loggedIn("taxi", "taxi123"), e.client()
	phoneReq, _ := http.NewRequest(http.MethodGet, e.URL+"/login", nil)
	phoneReq.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36")
	phone.do(phoneReq)
	phone.postRaw("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}, "_csrf": {phone.token()}},
		map[string]string{"User-Agent": phoneReq.Header.Get("User-Agent")})

	page := laptop.get("/account")
	rows := page.Find("#sessions tbody tr")
	if rows.Length() != 2 || !strings.Contains(page.Text("#sessions"), "Chrome, Android") || !strings.Contains(page.Text("#sessions"), "этот") {
		t.Fatalf("sessions: %s", page.Text("#sessions"))
	}
	end, _ := page.Find(`#sessions form[action^="/account/sessions/"]`).Attr("action")

	// Another user cannot end it.
	if r := e.loggedIn("vostok", "vostok123").post(end, nil); r.Status != http.StatusNotFound {
		t.Errorf("vostok ending taxi's session: %d", r.Status)
	}
	if r := laptop.post(end, nil); r.Status != http.StatusSeeOther {
		t.Fatalf("end: %d", r.Status)
	}
	if r := phone.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("the ended session still works: %d", r.Status)
	}

	// Staff end every session of a user.
	manager := e.loggedIn("manager", "manager123")
	if r := manager.post("/admin/users/"+itoa(e.userID("taxi"))+"/sessions/end", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("staff end sessions: %d", r.Status)
	}
	if r := laptop.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("a session after staff ended them all: %d", r.Status)
	}
	// A manager may not end an admin's.
	if r := manager.post("/admin/users/"+itoa(e.userID("admin"))+"/sessions/end", nil); r.Status != http.StatusForbidden {
		t.Errorf("a manager ending an admin's sessions: %d", r.Status)
	}
}

// Wrong codes are counted on every form that takes one: after five, even
// the right code waits, and turning the factor off is no way round the
// login's limit.
func TestSecondFactorCodesAreThrottledEverywhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("buh", "buh12345")
	secret, _ := turnOnTwoFactor(t, e, c, "buh12345")
	for i := range 5 {
		r := c.post("/account/2fa/disable", url.Values{"current": {"buh12345"}, "code": {fmt.Sprintf("00000%d", i)}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text("#two-factor-error"), "Код не подошёл") {
			t.Fatalf("wrong code %d: %d %q", i, r.Status, r.Text("#two-factor-error"))
		}
	}
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	r := c.post("/account/2fa/disable", url.Values{"current": {"buh12345"}, "code": {code}})
	if r.Status == http.StatusSeeOther || !strings.Contains(r.Text("#two-factor-error"), "Слишком много неверных кодов") {
		t.Errorf("the right code after five wrong ones: %d %q", r.Status, r.Text("#two-factor-error"))
	}
	if u := mustUser(t, e, "buh"); !u.TwoFactor {
		t.Fatal("the factor was turned off past the limit")
	}
	e.Clock.Advance(16 * time.Minute)
	code, _ = totp.GenerateCode(secret, e.Clock.Now())
	if r := c.post("/account/2fa/disable", url.Values{"current": {"buh12345"}, "code": {code}}); r.Status != http.StatusSeeOther {
		t.Errorf("the right code once the window passed: %d %q", r.Status, r.Text("#two-factor-error"))
	}
}

// The secret is sealed in the database file; after a restart with the
// same key, codes from it still log in.
func TestTwoFactorSecretSealedAcrossRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	secret, _ := turnOnTwoFactor(t, e, e.loggedIn("taxi", "taxi123"), "taxi123")
	for _, f := range []string{e.Path, e.Path + "-wal"} {
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the secret in plain text", f)
		}
	}
	e.Restart()
	e.Clock.Advance(30 * time.Second)
	code, _ := totp.GenerateCode(secret, e.Clock.Now())
	if _, r := logInWithCode(e, "taxi", "taxi123", code); r.Status != http.StatusSeeOther {
		t.Errorf("login with a code after the restart: %d %s", r.Status, r.Text("#login-error"))
	}
}
