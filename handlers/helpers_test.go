package handlers_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/testutil"
)

// env is a running portal over a fresh copy of the brief demo, on the test clock.
type env struct {
	*testutil.Portal
	t testing.TB
}

func TestMain(m *testing.M) {
	os.Exit(testutil.Main(m))
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return &env{Portal: testutil.StartPortal(t), t: t}
}

// client is a browser without JavaScript: a cookie jar that follows no redirects by itself.
type client struct {
	t    testing.TB
	e    *env
	http *http.Client
}

func (e *env) client() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{t: e.t, e: e, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}}
}

// loggedIn returns a client logged in with the given credentials.
func (e *env) loggedIn(login, password string) *client {
	c := e.client()
	r := c.post("/login", url.Values{"login": {login}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d, body %s", login, r.Status, r.Text(".alert"))
	}
	return c
}

// response is an answer with its HTML parsed.
type response struct {
	Status int
	Header http.Header
	Body   string
	doc    *goquery.Document
}

// Text returns the trimmed text of the elements matching sel.
func (r *response) Text(sel string) string { return strings.TrimSpace(r.doc.Find(sel).Text()) }

// Find returns the elements matching sel.
func (r *response) Find(sel string) *goquery.Selection { return r.doc.Find(sel) }

// Location is where a redirect points.
func (r *response) Location() string { return r.Header.Get("Location") }

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		c.t.Fatal(err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: string(body), doc: doc}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.e.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// getWith GETs a path with extra headers, as htmx sends them.
func (c *client) getWith(path string, header map[string]string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.e.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// follow GETs a path and keeps following redirects, as a browser would.
func (c *client) follow(path string) *response {
	c.t.Helper()
	for range 5 {
		r := c.get(path)
		if r.Status/100 != 3 {
			return r
		}
		path = r.Location()
	}
	c.t.Fatalf("too many redirects from %s", path)
	return nil
}

// token reads the CSRF token from a page, as a form would carry it.
func (c *client) token() string {
	c.t.Helper()
	r := c.follow("/account")
	tok, _ := r.Find(`meta[name="csrf-token"]`).Attr("content")
	if tok == "" {
		c.t.Fatalf("no csrf token on %s", r.Body)
	}
	return tok
}

// post submits a form with the page's CSRF token, as a browser would.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	form = cloneValues(form)
	form.Set("_csrf", c.token())
	return c.postRaw(path, form, nil)
}

// postRaw submits a form exactly as given, with extra headers.
func (c *client) postRaw(path string, form url.Values, header map[string]string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.e.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// userID returns the id of the user with the login.
func (e *env) userID(login string) int64 {
	e.t.Helper()
	u, err := e.Store.UserByLogin(context.Background(), login)
	if err != nil {
		e.t.Fatalf("user %s: %v", login, err)
	}
	return u.ID
}

var demoPasswords = map[string]string{
	"admin": "admin123", "manager": "manager123", "taxi": "taxi123", "dispatcher": "dispatcher123",
	"buh": "buh12345", "vostok": "vostok123", "vostok-disp": "vostok-disp123", "almaty": "almaty123",
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func mustUser(t testing.TB, e *env, login string) db.User {
	t.Helper()
	u, err := e.Store.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func actorOf(e *env, login string) db.Actor {
	u := mustUser(e.t, e, login)
	return db.Actor{UserID: u.ID, Login: u.Login}
}

// sqlInt answers a counting query straight from the file, past the store:
// tests use it to see what the application does not show.
// smsAsText is the table sms with each message's day (in Moscow, the zone
// of the demo's «Такси Пример») and status as text, for the tests' queries.
var smsAsText = func() string {
	status := "CASE status"
	for i, st := range db.SMSStatuses {
		status += fmt.Sprintf(" WHEN %d THEN '%s'", i, st)
	}
	return `(SELECT company_id, sender_id, phone, parts, cost, date(sent_at, 'unixepoch', '+3 hours') AS day, ` +
		status + ` END AS status FROM sms)`
}()

func (e *env) sqlInt(query string, args ...any) int {
	e.t.Helper()
	conn, err := sql.Open("sqlite", e.Path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// sqlExec changes the file past the store, to stage what cannot happen through it.
func (e *env) sqlExec(query string) {
	e.t.Helper()
	conn, err := sql.Open("sqlite", e.Path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(query); err != nil {
		e.t.Fatal(err)
	}
}

// syncBuffer is a buffer the server's goroutines may write to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
