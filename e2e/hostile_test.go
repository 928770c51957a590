package e2e

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// hostileInputs are what an attacker or a careless paste types: markup
// that would run a script, a javascript: URL, SQL quotes, a megabyte,
// invalid UTF-8 and a NUL byte. The scripts set window.__xss.
var hostileInputs = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=1">`,
	`javascript:window.__xss=1`,
	`' OR 1=1; DROP TABLE users; --`,
	strings.Repeat("я", 1<<19),
	"bad \xff\xfe utf-8",
	"nul\x00byte",
}

// skippedForms would end the sweep's own session rather than test input.
var skippedForms = []string{"/logout", "/sessions/end"}

// browserless is a logged-in HTTP client that fills forms as a browser would.
type browserless struct {
	t    *testing.T
	base string
	http *http.Client
}

func logInHTTP(t *testing.T, base, login, password string) *browserless {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browserless{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	page := b.get("/login")
	form := page.Find(`form[action="/login"]`)
	status, _ := b.submit(form, "/login", map[string]string{"login": login, "password": password})
	if status != http.StatusSeeOther {
		t.Fatalf("log in %s: %d", login, status)
	}
	return b
}

// get loads a page, following redirects.
func (b *browserless) get(path string) *goquery.Document {
	b.t.Helper()
	res, err := b.http.Get(b.base + path)
	for hops := 0; err == nil && res.StatusCode/100 == 3 && hops < 5; hops++ {
		res.Body.Close()
		res, err = b.http.Get(b.base + res.Header.Get("Location"))
	}
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return doc
}

// submit posts a form with its own fields, some of them set to values.
func (b *browserless) submit(form *goquery.Selection, action string, set map[string]string) (int, string) {
	b.t.Helper()
	values := url.Values{}
	form.Find("input[name], textarea[name], select[name]").Each(func(_ int, f *goquery.Selection) {
		name, _ := f.Attr("name")
		typ := f.AttrOr("type", "text")
		switch {
		case set[name] != "":
			values.Set(name, set[name])
		case goquery.NodeName(f) == "select":
			values.Set(name, f.Find("option[selected]").AttrOr("value", f.Find("option").First().AttrOr("value", "")))
		case goquery.NodeName(f) == "textarea":
			values.Set(name, f.Text())
		case (typ == "checkbox" || typ == "radio") && !f.Is("[checked]"):
		default:
			values.Add(name, f.AttrOr("value", ""))
		}
	})
	encoded := values.Encode()
	res, err := b.http.Post(b.base+action, "application/x-www-form-urlencoded", strings.NewReader(encoded))
	if err != nil && len(encoded) > 1<<20 {
		// Over the limit the server answers 413 from the header and closes
		// before the body is through (tested where the length is declared).
		return http.StatusRequestEntityTooLarge, ""
	}
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// Every text field of every form the client owner and an admin see, and
// every API field, takes each hostile input: no answer is a server error,
// nothing stored holds a NUL or invalid UTF-8, the ledger and the foreign
// keys hold, and in Chromium no stored text runs.
func TestHostileInputSweep(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	forms, statuses := 0, map[int]int{}
	for _, who := range tourUsers(t, p) {
		c := logInHTTP(t, p.URL, who.login, who.password)
		for _, path := range append(navigation(c), who.extra...) {
			c.get(path).Find(`form[method="post"]`).Each(func(_ int, form *goquery.Selection) {
				action := form.AttrOr("action", path)
				for _, skip := range skippedForms {
					if strings.Contains(action, skip) {
						return
					}
				}
				fields := form.Find(`input[type=text], input[type=email], input[type=tel], input[type=search], input[type=url],
					input[type=password], input[type=number], input[type=date], input[type=datetime-local], input:not([type]), textarea`)
				if fields.Length() == 0 {
					return
				}
				forms++
				for _, input := range hostileInputs {
					set := map[string]string{}
					fields.Each(func(_ int, f *goquery.Selection) { set[f.AttrOr("name", "")] = input })
					// A fresh copy of the page's form, so each post carries a current token.
					fresh := c.get(path).Find(fmt.Sprintf(`form[method="post"][action=%q]`, action)).First()
					if fresh.Length() == 0 {
						fresh = form
					}
					status, body := c.submit(fresh, action, set)
					statuses[status]++
					if status >= 500 || status == http.StatusForbidden {
						t.Errorf("%s as %s with %.40q: %d %.200s", action, who.login, input, status, body)
					}
				}
			})
		}
	}
	// Some inputs are taken as text, some refused with a message, the
	// megabyte by its size: proof the forms were really filled and sent.
	if forms < 25 || statuses[http.StatusSeeOther] == 0 || statuses[http.StatusUnprocessableEntity] == 0 || statuses[http.StatusRequestEntityTooLarge] == 0 {
		t.Errorf("%d forms swept, answers %v", forms, statuses)
	}
	sweepAPI(t, p)
	checkStoredText(t, p)
	if bad, err := p.Store.CheckLedger(t.Context()); err != nil || len(bad) > 0 {
		t.Errorf("ledger after the sweep: %v %v", bad, err)
	}

	// Whatever was stored is shown as text.
	for _, who := range tourUsers(t, p) {
		browser := tab(t)
		seen := watch(t, browser)
		logIn(t, browser, p.URL, who.login, who.password)
		do(t, browser, chromedp.WaitVisible(chromedp.CSS(".tabs")))
		for _, path := range append(run(t, browser, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".tabs a")].map(a => a.getAttribute("href"))`)), who.extra...) {
			do(t, browser, chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS("main")), chromedp.Sleep(100*time.Millisecond))
			if ran := run(t, browser, chromedp.Evaluate[bool](`window.__xss === 1`)); ran {
				t.Errorf("%s as %s: a stored script ran", path, who.login)
			}
			for _, problem := range seen.take() {
				if !strings.Contains(problem, "HTTP 4") && !strings.Contains(problem, "status of 4") {
					t.Errorf("%s as %s: %s", path, who.login, problem)
				}
			}
		}
	}
}

// navigation is the tabs a logged-in page offers.
func navigation(c *browserless) []string {
	var out []string
	c.get("/").Find(".tabs a").Each(func(_ int, a *goquery.Selection) { out = append(out, a.AttrOr("href", "")) })
	return out
}

// sweepAPI sends the hostile inputs in every field of the API's bodies.
func sweepAPI(t *testing.T, p *testutil.Portal) {
	for _, input := range hostileInputs {
		q := jsonString(input)
		bodies := map[string]string{
			"/api/v1/sms":        fmt.Sprintf(`{"messages":[{"id":%s,"phone":%s,"parts":1,"sent_at":%s,"status":%s}]}`, q, q, q, q),
			"/api/v1/sms/status": fmt.Sprintf(`{"updates":[{"id":%s,"status":%s,"at":%s}]}`, q, q, q),
			"/api/v1/heartbeat":  fmt.Sprintf(`{"monitor":%s,"version":%s,"license":{"key":%s,"product":%s,"expires":%s,"modules":[%s]}}`, q, q, q, q, q, q),
		}
		for path, body := range bodies {
			req, _ := http.NewRequest(http.MethodPost, p.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer demo-taxi-token")
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil && len(body) > 1<<20 {
				continue // refused from the header, as for forms
			}
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Errorf("%s with %.40q: %d", path, input, res.StatusCode)
			}
		}
	}
}

// jsonString quotes a string for JSON byte for byte, invalid UTF-8 included,
// as a careless client would send it.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// checkStoredText reads every text value in the database: none holds a NUL
// or invalid UTF-8, and the foreign keys hold.
func checkStoredText(t *testing.T, p *testutil.Portal) {
	t.Helper()
	conn, err := sql.Open("sqlite", p.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT m.name, c.name FROM sqlite_schema m JOIN pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE '%fts%' AND c.type = 'TEXT'`)
	if err != nil {
		t.Fatal(err)
	}
	type column struct{ table, name string }
	var columns []column
	for rows.Next() {
		var c column
		rows.Scan(&c.table, &c.name)
		columns = append(columns, c)
	}
	rows.Close()
	for _, c := range columns {
		values, err := conn.Query(fmt.Sprintf(`SELECT CAST(%q AS BLOB) FROM %q WHERE %q IS NOT NULL`, c.name, c.table, c.name))
		if err != nil {
			t.Fatal(err)
		}
		for values.Next() {
			var v []byte
			values.Scan(&v)
			if !utf8.Valid(v) || strings.ContainsRune(string(v), 0) {
				t.Errorf("%s.%s holds %.60q", c.table, c.name, v)
			}
		}
		values.Close()
	}
	var broken int
	if err := conn.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&broken); err != nil || broken > 0 {
		t.Errorf("foreign key violations: %d %v", broken, err)
	}
}
