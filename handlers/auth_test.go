package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLoginStartsSessionWithSafeCookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	r := c.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/company" {
		t.Fatalf("login: %d → %q", r.Status, r.Location())
	}
	cookie := r.Header.Get("Set-Cookie")
	for _, want := range []string{"elk_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), "\n"), want) {
			t.Errorf("session cookie lacks %s: %s", want, cookie)
		}
	}
	page := c.get("/company")
	if page.Status != http.StatusOK || page.Text(".brand-text") != "Такси Пример" {
		t.Fatalf("company tab after login: %d %q", page.Status, page.Text(".brand-text"))
	}
	if page.Header.Get("Cache-Control") != "no-store" || !strings.Contains(page.Header.Get("Vary"), "HX-Request") {
		t.Errorf("private page headers: Cache-Control %q, Vary %q", page.Header.Get("Cache-Control"), page.Header.Get("Vary"))
	}
}

func TestSecureCookiesWhenConfigured(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Config.SecureCookies = true
	e.Restart()
	r := e.client().post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
	if !strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), "\n"), "secure") {
		t.Errorf("cookies not Secure: %v", r.Header.Values("Set-Cookie"))
	}
}

func TestStaffLandsInBackOffice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.client().post("/login", url.Values{"login": {"admin"}, "password": {"admin123"}})
	if r.Location() != "/admin" {
		t.Errorf("admin lands at %q", r.Location())
	}
}

func TestLoginReturnsToRequestedPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	r := c.get("/users")
	if r.Status != http.StatusSeeOther || r.Location() != "/login?next=%2Fusers" {
		t.Fatalf("anonymous /users: %d → %q", r.Status, r.Location())
	}
	r = c.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}, "next": {"/users"}})
	if r.Location() != "/users" {
		t.Errorf("after login → %q, want /users", r.Location())
	}
	// A target on another site is ignored.
	c = e.client()
	r = c.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}, "next": {"//evil.example/x"}})
	if r.Location() != "/company" {
		t.Errorf("open redirect: → %q", r.Location())
	}
}

func TestWrongPasswordAndUnknownLoginLookTheSame(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wrong := e.client().post("/login", url.Values{"login": {"taxi"}, "password": {"wrong-password"}})
	unknown := e.client().post("/login", url.Values{"login": {"nobody"}, "password": {"wrong-password"}})
	for name, r := range map[string]*response{"wrong password": wrong, "unknown login": unknown} {
		if r.Status != http.StatusUnauthorized {
			t.Errorf("%s: status %d", name, r.Status)
		}
		if msg := r.Text("#login-error"); msg != "Неверный логин или пароль." {
			t.Errorf("%s: message %q", name, msg)
		}
		if v, _ := r.Find("#f-login").Attr("value"); v == "" {
			t.Errorf("%s: typed login not kept", name)
		}
		if v, _ := r.Find("#f-password").Attr("value"); v != "" {
			t.Errorf("%s: password echoed back", name)
		}
	}
	empty := e.client().post("/login", url.Values{"login": {""}, "password": {""}})
	if msg := empty.Text("#login-error"); msg != "Введите логин и пароль." {
		t.Errorf("empty form: %q", msg)
	}
}

// Past five failures a login from one address slows down instead of
// locking: each try waits a second after the last failure, then two, four…
// up to a minute, and the page says how many seconds.
func TestLoginSlowsDownWithGrowingDelays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for i := range 5 {
		if r := c.post("/login", url.Values{"login": {"taxi"}, "password": {"guess-" + string(rune('a'+i))}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, r.Status)
		}
	}
	waits := []struct {
		seconds int
		text    string
	}{{1, "1 секунду"}, {2, "2 секунды"}, {4, "4 секунды"}, {8, "8 секунд"}, {16, "16 секунд"}, {32, "32 секунды"}, {60, "60 секунд"}, {60, "60 секунд"}}
	for _, w := range waits {
		// Even the right password waits, and the message says how long.
		r := c.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
		if want := "Слишком много неудачных попыток входа. Повторите через " + w.text + "."; r.Status != http.StatusTooManyRequests || r.Text("#login-error") != want {
			t.Fatalf("before %d s: %d %q", w.seconds, r.Status, r.Text("#login-error"))
		}
		e.Clock.Advance(time.Duration(w.seconds)*time.Second - time.Millisecond)
		if r := c.post("/login", url.Values{"login": {"taxi"}, "password": {"guess"}}); r.Status != http.StatusTooManyRequests {
			t.Fatalf("a moment before %d s: %d", w.seconds, r.Status)
		}
		e.Clock.Advance(time.Millisecond)
		if r := c.post("/login", url.Values{"login": {"taxi"}, "password": {"guess"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("after %d s: %d %q", w.seconds, r.Status, r.Text("#login-error"))
		}
	}
	// An unknown login is slowed exactly the same way: nothing tells them apart.
	u := e.client()
	for range 5 {
		u.post("/login", url.Values{"login": {"ghost"}, "password": {"guess"}})
	}
	if r := u.post("/login", url.Values{"login": {"ghost"}, "password": {"guess"}}); r.Status != http.StatusTooManyRequests ||
		!strings.Contains(r.Text("#login-error"), "1 секунду") {
		t.Errorf("unknown login not slowed: %d %q", r.Status, r.Text("#login-error"))
	}
	// The right password after the wait logs in and forgets the failures.
	e.Clock.Advance(time.Minute)
	if r := c.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}}); r.Status != http.StatusSeeOther {
		t.Errorf("after the wait: %d %q", r.Status, r.Text("#login-error"))
	}
	// Failures that left the window no longer count.
	e.Clock.Advance(16 * time.Minute)
	if r := u.post("/login", url.Values{"login": {"ghost"}, "password": {"guess"}}); r.Status != http.StatusUnauthorized {
		t.Errorf("after the window: %d", r.Status)
	}
}

// One user failing behind an office's address does not stop the others
// there; one address trying fifty logins is stopped.
func TestLoginThrottledPerIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for range 5 {
		c.post("/login", url.Values{"login": {"taxi"}, "password": {"whatever"}})
	}
	if r := e.client().post("/login", url.Values{"login": {"vostok"}, "password": {"vostok123"}}); r.Status != http.StatusSeeOther {
		t.Errorf("a colleague behind the same address: %d %q", r.Status, r.Text("#login-error"))
	}
	for i := range 45 {
		c.post("/login", url.Values{"login": {"a" + itoa(int64(i))}, "password": {"whatever"}})
	}
	if r := e.client().post("/login", url.Values{"login": {"buh"}, "password": {"buh12345"}}); r.Status != http.StatusTooManyRequests {
		t.Errorf("after fifty failures from one address: %d", r.Status)
	}
}

// An attacker hammering a login from many addresses does not keep its
// owner out: the owner's browser, which logged in before, keeps its own
// count; strangers' browsers are stopped.
func TestStrangersCannotLockAnyoneOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.Config.TrustedProxies = []string{"127.0.0.1"}
	e.Restart()
	owner := e.client()
	if r := owner.postRaw("/login", url.Values{"login": {"admin"}, "password": {"admin123"}, "_csrf": {owner.token()}},
		map[string]string{"X-Forwarded-For": "198.51.100.1"}); r.Status != http.StatusSeeOther {
		t.Fatalf("the owner's first login: %d", r.Status)
	}
	owner.post("/logout", nil)
	attacker := e.client()
	for i := range 40 {
		attacker.postRaw("/login", url.Values{"login": {"admin"}, "password": {"guess"}, "_csrf": {attacker.token()}},
			map[string]string{"X-Forwarded-For": "203.0.113." + itoa(int64(i))})
	}
	if r := attacker.postRaw("/login", url.Values{"login": {"admin"}, "password": {"admin123"}, "_csrf": {attacker.token()}},
		map[string]string{"X-Forwarded-For": "203.0.113.200"}); r.Status != http.StatusTooManyRequests {
		t.Errorf("a stranger's browser after forty failures: %d", r.Status)
	}
	r := owner.postRaw("/login", url.Values{"login": {"admin"}, "password": {"admin123"}, "_csrf": {owner.token()}},
		map[string]string{"X-Forwarded-For": "192.0.2.77"})
	if r.Status != http.StatusSeeOther {
		t.Errorf("the owner's remembered browser, from a new address: %d %q", r.Status, r.Text("#login-error"))
	}
}

func TestSessionRotatedAtLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	u, _ := url.Parse(e.URL)
	first := sessionCookie(c, u)
	c.post("/login", url.Values{"login": {"dispatcher"}, "password": {"dispatcher123"}})
	second := sessionCookie(c, u)
	if first == "" || second == "" || first == second {
		t.Fatalf("session id not rotated: %q → %q", first, second)
	}
	if len(second) != 32 {
		t.Errorf("session id %q is not 128 bits in hex", second)
	}
	// The session from before is gone.
	old := e.client()
	old.http.Jar.SetCookies(u, []*http.Cookie{{Name: "elk_session", Value: first}})
	if r := old.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("old session still works: %d", r.Status)
	}
}

func sessionCookie(c *client, u *url.URL) string {
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "elk_session" {
			return ck.Value
		}
	}
	return ""
}

func TestSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	oldURL := e.URL
	e.Restart()
	u, _ := url.Parse(oldURL)
	cookies := c.http.Jar.Cookies(u)
	c2 := e.client()
	nu, _ := url.Parse(e.URL)
	c2.http.Jar.SetCookies(nu, cookies)
	if r := c2.get("/company"); r.Status != http.StatusOK {
		t.Errorf("after restart: %d", r.Status)
	}
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	// Activity within the idle limit keeps the session alive...
	for range 3 {
		e.Clock.Advance(7 * time.Hour)
		if r := c.get("/company"); r.Status != http.StatusOK {
			t.Fatalf("active session ended: %d", r.Status)
		}
	}
	// ...but not past the idle limit.
	e.Clock.Advance(9 * time.Hour)
	if r := c.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("idle session still alive: %d", r.Status)
	}
	// And never past the absolute limit, however active.
	c = e.loggedIn("taxi", "taxi123")
	for range 25 {
		e.Clock.Advance(7 * time.Hour)
		c.get("/company")
	}
	if r := c.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("session older than a week still alive: %d", r.Status)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	r := c.post("/logout", nil)
	if r.Status != http.StatusSeeOther || r.Location() != "/login" {
		t.Fatalf("logout: %d → %q", r.Status, r.Location())
	}
	if r := c.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("after logout: %d", r.Status)
	}
}

func TestDisabledUserCannotLogIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	disp := e.loggedIn("dispatcher", "dispatcher123")
	owner := e.loggedIn("taxi", "taxi123")
	owner.post("/users/"+itoa(e.userID("dispatcher"))+"/disable", nil)
	if r := disp.get("/company"); r.Status != http.StatusSeeOther {
		t.Errorf("disabled user's session still works: %d", r.Status)
	}
	r := e.client().post("/login", url.Values{"login": {"dispatcher"}, "password": {"dispatcher123"}})
	if r.Status != http.StatusForbidden || !strings.Contains(r.Text("#login-error"), "отключена") {
		t.Errorf("disabled login: %d %q", r.Status, r.Text("#login-error"))
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.client().get("/healthz")
	if r.Status != http.StatusOK || strings.TrimSpace(r.Body) != "ok" {
		t.Errorf("healthz: %d %q", r.Status, r.Body)
	}
}

// Behind a trusted proxy each client is throttled by its own address; from
// anyone else X-Forwarded-For is ignored, so it cannot dodge the throttle.
func TestThrottleUsesForwardedAddressOnlyFromTrustedProxy(t *testing.T) {
	t.Parallel()
	fail := func(c *client, ip string) {
		form := url.Values{"login": {"taxi"}, "password": {"wrong"}, "_csrf": {c.token()}}
		c.postRaw("/login", form, map[string]string{"X-Forwarded-For": ip})
	}
	login := func(c *client, ip string) int {
		form := url.Values{"login": {"taxi"}, "password": {"taxi123"}, "_csrf": {c.token()}}
		return c.postRaw("/login", form, map[string]string{"X-Forwarded-For": ip}).Status
	}
	untrusted := newEnv(t)
	c := untrusted.client()
	for i := range 5 {
		fail(c, "203.0.113."+itoa(int64(i)))
	}
	if got := login(c, "198.51.100.7"); got != http.StatusTooManyRequests {
		t.Errorf("spoofed X-Forwarded-For dodged the throttle: %d", got)
	}

	trusted := newEnv(t)
	trusted.Config.TrustedProxies = []string{"127.0.0.1"}
	trusted.Restart()
	c = trusted.client()
	for range 5 {
		fail(c, "203.0.113.9")
	}
	if got := login(c, "203.0.113.9"); got != http.StatusTooManyRequests {
		t.Errorf("the failing client is not throttled: %d", got)
	}
	if got := login(c, "198.51.100.7"); got != http.StatusSeeOther {
		t.Errorf("another client behind the proxy is locked out: %d", got)
	}
	// What a client writes into the header itself stands left of what the
	// proxy appends: it changes nothing.
	for i := range 5 {
		fail(c, "10.9.9."+itoa(int64(i))+", 203.0.113.50")
	}
	if got := login(c, "10.1.1.1, 203.0.113.50"); got != http.StatusTooManyRequests {
		t.Errorf("a forged first hop dodged the throttle: %d", got)
	}
}

func TestPostLoginTargetStaysOnSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, next := range []string{"//evil.example/x", "/\t/evil.example", "/\\evil.example", "/\n/evil.example", "https://evil.example/", "/%09/evil.example", "/login?next=/x"} {
		r := e.client().post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}, "next": {next}})
		if r.Location() != "/company" && !(next == "/%09/evil.example" && r.Location() == next) {
			t.Errorf("next %q → %q", next, r.Location())
		}
	}
}

// Tries sent at once cannot slip past the limit while passwords are checked.
func TestThrottleHoldsUnderParallelTries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const tries = 20
	statuses := make(chan int, tries)
	var wg sync.WaitGroup
	for range tries {
		c := e.client()
		form := url.Values{"login": {"taxi"}, "password": {"wrong guess"}, "_csrf": {c.token()}}
		wg.Go(func() { statuses <- c.postRaw("/login", form, nil).Status })
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[http.StatusUnauthorized] != 5 || counts[http.StatusTooManyRequests] != tries-5 {
		t.Errorf("statuses %v: want 5 checked passwords and %d refusals", counts, tries-5)
	}
}

// A form posted after the session ended changes nothing and asks for a login;
// logging out of an ended session just lands on the login page.
func TestPostAfterSessionEndedAsksToLogIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	token := c.token()
	e.Clock.Advance(9 * time.Hour)
	form := url.Values{"email": {"late@taxi.example"}, "phone": {"+79000000009"}, "_csrf": {token}}
	if r := c.postRaw("/company/contacts", form, nil); r.Status != http.StatusSeeOther || r.Location() != "/login?expired=1" {
		t.Errorf("post after the session ended: %d → %q", r.Status, r.Location())
	}
	if r := c.follow("/login?expired=1"); r.Text("#login-notice") != "Сеанс завершён. Войдите снова." {
		t.Errorf("login notice %q", r.Text("#login-notice"))
	}
	c2 := e.loggedIn("taxi", "taxi123")
	token = c2.token()
	e.Clock.Advance(9 * time.Hour)
	if r := c2.postRaw("/logout", url.Values{"_csrf": {token}}, nil); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Errorf("logout after the session ended: %d → %q", r.Status, r.Location())
	}
}
