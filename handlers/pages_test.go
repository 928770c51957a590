package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// untranslated matches a translation key that leaked onto a page.
var untranslated = regexp.MustCompile(`\b(app|nav|lang|role|country|unit|form|error|login|password|account|company|users|user|admin|vendor|audit)\.[a-z_]+\b`)

// Every page renders in both languages, with every string translated.
func TestEveryPageRendersInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pages := map[string][]string{
		"taxi":  {"/company", "/services", "/services/1", "/services/2", "/transactions", "/transactions?source=payment&from=2026-01-01", "/users", "/account", "/nowhere"},
		"admin": {"/admin/companies", "/admin/companies/new", "/admin/companies/1", "/admin/companies/3", "/admin/staff", "/admin/vendor", "/admin/audit", "/admin/audit?offset=50", "/admin/tariffs", "/admin/services/1", "/admin/services/4"},
	}
	for _, lang := range []string{"ru", "en"} {
		for login, paths := range pages {
			c := e.loggedIn(login, demoPasswords[login])
			c.post("/account/language", url.Values{"lang": {lang}})
			for _, p := range paths {
				r := c.get(p)
				if want := http.StatusOK; p == "/nowhere" {
					want = http.StatusNotFound
					if r.Status != want {
						t.Errorf("%s %s: %d", lang, p, r.Status)
					}
				} else if r.Status != want {
					t.Errorf("%s %s: %d", lang, p, r.Status)
				}
				if m := untranslated.FindString(r.Text("body")); m != "" {
					t.Errorf("%s %s shows the key %q", lang, p, m)
				}
				if r.Find("html").AttrOr("lang", "") != lang {
					t.Errorf("%s %s: html lang %q", lang, p, r.Find("html").AttrOr("lang", ""))
				}
			}
		}
		anon := e.client()
		r := anon.get("/login?lang=" + lang)
		if m := untranslated.FindString(r.Text("body")); m != "" || r.Find("html").AttrOr("lang", "") != lang {
			t.Errorf("%s login page: key %q, lang %q", lang, m, r.Find("html").AttrOr("lang", ""))
		}
	}
}

// Tabs appear in the product's order and only where they belong.
func TestNavigationTabs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tabs := func(c *client, path string) []string {
		var out []string
		for _, n := range c.get(path).Find(".tabs a").Nodes {
			out = append(out, n.FirstChild.Data)
		}
		return out
	}
	if got := tabs(e.loggedIn("taxi", "taxi123"), "/company"); strings.Join(got, ", ") != "О компании, Новости, Услуги, Пользователи, Документы, Транзакции, Мониторинг, Вопросы и ответы, Обращения в ТП" {
		t.Errorf("client tabs %v", got)
	}
	if got := tabs(e.loggedIn("admin", "admin123"), "/admin/companies"); len(got) != 11 {
		t.Errorf("admin tabs %v", got)
	}
	if got := tabs(e.loggedIn("manager", "manager123"), "/admin/companies"); len(got) != 8 {
		t.Errorf("manager tabs %v", got)
	}
}

func TestStaticFilesAreCachedForAYear(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	page := c.get("/login")
	href, _ := page.Find(`link[rel="stylesheet"]`).Attr("href")
	r := c.get(href)
	if r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "public, max-age=31536000" {
		t.Errorf("%s: %d, Cache-Control %q", href, r.Status, r.Header.Get("Cache-Control"))
	}
	if r := c.get("/static/htmx.min.js"); r.Status != http.StatusOK || len(r.Body) < 10000 {
		t.Errorf("htmx: %d, %d bytes", r.Status, len(r.Body))
	}
}

// Each user sees their own company, name, tab, bell and language in the
// header, as they change.
func TestLayoutIsEachUsersOwn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi, vostok := e.loggedIn("taxi", "taxi123"), e.loggedIn("vostok", "vostok123")
	header := func(c *client, path string) (brand, user, tab, unread string) {
		r := c.get(path)
		return r.Text(".brand-text"), r.Text(".usermenu-name"), r.Text(".tabs a.active"), bell(r)
	}
	for range 2 {
		if brand, user, tab, _ := header(taxi, "/news"); brand != "Такси Пример" || user != "Павел Орлов" || tab != "Новости" {
			t.Errorf("taxi: %q %q %q", brand, user, tab)
		}
		if brand, _, tab, _ := header(vostok, "/users"); brand == "Такси Пример" || brand == "" || tab != "Пользователи" {
			t.Errorf("vostok: %q %q", brand, tab)
		}
	}
	_, _, _, before := header(taxi, "/company")
	if before == "" {
		t.Fatal("the demo leaves taxi no unread news")
	}
	taxi.post("/news/read-all", nil)
	if _, _, _, after := header(taxi, "/company"); after != "" {
		t.Errorf("bell after reading everything: %q, before %q", after, before)
	}
	taxi.post("/account/language", url.Values{"lang": {"en"}})
	if _, _, tab, _ := header(taxi, "/company"); tab != "Company" {
		t.Errorf("after switching to English the tab reads %q", tab)
	}
}

// A fragment that refreshes itself (the monitor cards, every few seconds)
// neither shows nor clears the message left for the next page.
func TestFragmentLeavesTheFlashToThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	saved := c.post("/account/profile", url.Values{"name": {"Павел Орлов"}, "email": {"director@taxi-primer.example"}})
	if saved.Status != http.StatusSeeOther {
		t.Fatalf("profile: %d", saved.Status)
	}
	cards := c.getWith("/monitoring", map[string]string{"HX-Request": "true", "HX-Target": "monitor-cards"})
	if cards.Status != http.StatusOK || cards.Find(".flash").Length() != 0 || cards.Find("header").Length() != 0 {
		t.Errorf("the cards' refresh: %d, %q", cards.Status, cards.Text(".flash"))
	}
	if r := c.get("/account"); r.Text(".flash") != "Профиль сохранён." {
		t.Errorf("the page after the refresh: %q", r.Text(".flash"))
	}
}

// A part of a page that fails answers with the error alone, for the
// layout's place for it, never with a whole page nested inside the part.
func TestFailedFragmentKeepsThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	r := c.getWith("/transactions?after=garbage", map[string]string{"HX-Request": "true", "HX-Target": "tx-more"})
	if r.Status != http.StatusNotFound || r.Header.Get("HX-Retarget") != "#part-error" || r.Header.Get("HX-Reswap") != "innerHTML" {
		t.Errorf("%d, retarget %q, reswap %q", r.Status, r.Header.Get("HX-Retarget"), r.Header.Get("HX-Reswap"))
	}
	if r.Find("header, nav, h1").Length() != 0 || !strings.HasPrefix(r.Text(".flash.err"), "Страница не найдена") {
		t.Errorf("the error: %s", r.Body)
	}
	if page := c.get("/transactions?after=garbage"); page.Status != http.StatusNotFound || page.Find("header.topbar").Length() != 1 ||
		page.Find("#part-error").Length() != 1 {
		t.Errorf("the whole page's error: %d", page.Status)
	}
}

// A refresh that finds the session ended sends the browser to log in and
// then back to the page it was on, not to the bare part it asked for.
func TestPartAfterTheSessionEndedReturnsToItsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.client().getWith("/news/bell", map[string]string{"HX-Request": "true", "HX-Target": "bell-wrap",
		"HX-Current-URL": e.URL + "/transactions?service=1"})
	if want := "/login?expired=1&next=%2Ftransactions%3Fservice%3D1"; r.Status != http.StatusNoContent || r.Header.Get("HX-Redirect") != want {
		t.Errorf("%d, HX-Redirect %q, want %q", r.Status, r.Header.Get("HX-Redirect"), want)
	}
	for _, page := range []string{"https://evil.example//evil.example/x", "javascript:alert(1)", ""} {
		r := e.client().getWith("/news/bell", map[string]string{"HX-Request": "true", "HX-Current-URL": page})
		if to := r.Header.Get("HX-Redirect"); to != "/login?expired=1" && !strings.HasPrefix(to, "/login?expired=1&next=%2F") {
			t.Errorf("from %q: HX-Redirect %q", page, to)
		}
	}
	if login := e.client().get("/login?expired=1"); !strings.Contains(login.Text("main"), "Сеанс") {
		t.Errorf("the login page does not say the session ended: %q", login.Text("main"))
	}
}

// The sign-in page has no place for a flash, so it leaves the flash for
// the first page after signing in.
func TestSignInPageLeavesTheFlash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	base, _ := url.Parse(e.URL)
	c.http.Jar.SetCookies(base, []*http.Cookie{{Name: "elk_flash", Value: "account.profile_saved", Path: "/"}})
	c.get("/login")
	c.post("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}})
	if r := c.follow("/company"); r.Text(".flash") != "Профиль сохранён." {
		t.Errorf("after signing in: %q", r.Text(".flash"))
	}
}
