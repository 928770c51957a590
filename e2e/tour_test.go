package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// problems collects what went wrong in a tab: console errors, uncaught
// exceptions, refused or failed requests, policy violations.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// take returns what was collected since the last call.
func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

// watch starts collecting a tab's problems.
func watch(t *testing.T, ctx context.Context) *problems {
	t.Helper()
	p := &problems{}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				p.add("console error: %s", consoleText(ev.Args))
			}
		case *runtime.EventExceptionThrown:
			p.add("exception: %s", ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				p.add("browser error: %s %s", ev.Entry.Text, ev.Entry.URL)
			}
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				p.add("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
			}
		case *network.EventLoadingFailed:
			if !ev.Canceled {
				p.add("request failed: %s", ev.ErrorText)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func consoleText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
	}
	return strings.Join(parts, " ")
}

// The tour: every tab and the main detail pages, as a client owner and as
// staff, at a desktop and a phone width. It fails on any browser error,
// failed request or sideways scroll on the phone; with ELK_SCREENSHOTS=DIR
// it saves each page there as tour-<user>-<page>-<width>.png.
func TestScreenshotTour(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	tours := tourUsers(t, p)
	dir := os.Getenv("ELK_SCREENSHOTS")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tour := range tours {
		t.Run(tour.login, func(t *testing.T) {
			browser := tab(t)
			seen := watch(t, browser)
			logIn(t, browser, p.URL, tour.login, tour.password)
			do(t, browser, chromedp.WaitVisible(chromedp.CSS(".tabs")))
			tabs := run(t, browser, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".tabs a")].map(a => a.getAttribute("href"))`))
			for _, path := range append(tabs, tour.extra...) {
				do(t, browser, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
				name := tourName(tour.login, path)
				if unnamed := run(t, browser, chromedp.Evaluate[[]string](unnamedControls)); len(unnamed) > 0 {
					t.Errorf("%s has controls no screen reader can name: %v", path, unnamed)
				}
				if faint := run(t, browser, chromedp.Evaluate[[]string](lowContrastText)); len(faint) > 0 {
					t.Errorf("%s has text below WCAG AA contrast: %v", path, faint)
				}
				save(t, browser, dir, name+"-1280")
				do(t, browser, chromedp.EmulateViewport(375, 800))
				if wide := run(t, browser, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); wide > 0 {
					t.Errorf("%s scrolls sideways by %d px on a phone", path, wide)
				}
				save(t, browser, dir, name+"-375")
				for _, problem := range seen.take() {
					t.Errorf("%s: %s", path, problem)
				}
			}
		})
	}
}

// firstID reads an id of the demo straight from the portal's file.
// unnamedControls lists the form fields without a label, the buttons and
// links without text or a label, the images without alt text, ids used
// twice (a label then names the wrong field) and a page without a declared
// language.
const unnamedControls = `(() => {
	const named = el => (el.labels && el.labels.length) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
	const out = [];
	if (!document.documentElement.lang) out.push("<html> without lang");
	document.querySelectorAll("input:not([type=hidden]):not([type=submit]), select, textarea").forEach(el => {
		if (!named(el)) out.push(el.tagName + " " + (el.name || el.id));
	});
	document.querySelectorAll("button, a[href]").forEach(el => {
		if (!el.textContent.trim() && !el.getAttribute("aria-label") && !el.getAttribute("title")) out.push(el.tagName + " " + el.outerHTML.slice(0, 80));
	});
	document.querySelectorAll("img:not([alt])").forEach(el => out.push("IMG " + el.src.slice(0, 60)));
	const ids = [...document.querySelectorAll("[id]")].map(el => el.id);
	ids.filter((id, i) => ids.indexOf(id) !== i).forEach(id => out.push("duplicate id " + id));
	return out;
})()`

// lowContrastText lists visible text whose contrast with its background is
// below WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
const lowContrastText = `(() => {
	const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(",").map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
	const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
	const lum = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
	const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
	const out = [], seen = new Set();
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const el = walker.currentNode.parentElement;
		if (!el || seen.has(el) || !walker.currentNode.textContent.trim()) continue;
		seen.add(el);
		const st = getComputedStyle(el);
		if (st.visibility === "hidden" || !el.getClientRects().length || el.closest(".sr-only, [hidden], :disabled, option")) continue;
		const fg = parse(st.color), bg = background(el);
		const ratio = (Math.max(lum(fg), lum(bg)) + 0.05) / (Math.min(lum(fg), lum(bg)) + 0.05);
		const size = parseFloat(st.fontSize), large = size >= 24 || (parseInt(st.fontWeight) >= 700 && size >= 18.66);
		if (ratio < (large ? 3 : 4.5)) out.push(el.tagName + "." + el.className + " «" + el.textContent.trim().slice(0, 30) + "» " + ratio.toFixed(2));
	}
	return out;
})()`

// tourUser is a demo login with the detail pages to visit besides its tabs.
type tourUser struct {
	login, password string
	extra           []string
}

// tourUsers are the client owner, a dispatcher (whose pages offer less),
// the admin and a manager (whose home has a switch to all companies), with
// a page of each kind that the tabs lead to.
func tourUsers(t *testing.T, p *testutil.Portal) []tourUser {
	var (
		ticket  = firstID(t, p, `SELECT id FROM tickets WHERE company_id = 1 ORDER BY id LIMIT 1`)
		service = firstID(t, p, `SELECT id FROM company_services WHERE company_id = 1 ORDER BY id LIMIT 1`)
		invoice = firstID(t, p, `SELECT id FROM invoices WHERE company_id = 1 ORDER BY id LIMIT 1`)
		news    = firstID(t, p, `SELECT news_id FROM news_companies WHERE company_id = 1 LIMIT 1`)
	)
	return []tourUser{
		{"taxi", "taxi123", []string{"/account", "/services/" + service, "/services/" + service + "/sms", "/documents/invoices/" + invoice,
			"/documents?new=1", "/tickets/" + ticket, "/tickets?new=1", "/news/" + news, "/questions?ask=1"}},
		{"dispatcher", "dispatcher123", []string{"/services/" + service, "/services/" + service + "/sms", "/documents/invoices/" + invoice,
			"/documents?new=1", "/tickets/" + ticket}},
		{"admin", "admin123", []string{"/account", "/admin/companies/1", "/admin/companies/1/monitoring", "/admin/services/" + service,
			"/admin/invoices/" + invoice, "/admin/tickets/" + ticket, "/admin/companies/new", "/admin/companies?balance=low",
			"/admin/monitors?state=down", "/admin/licenses?within=30", "/admin/invoices?overdue=1"}},
		{"manager", "manager123", []string{"/admin?scope=all"}},
	}
}

func firstID(t *testing.T, p *testutil.Portal, query string) string {
	t.Helper()
	conn, err := sql.Open("sqlite", p.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id int64
	if err := conn.QueryRow(query).Scan(&id); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return fmt.Sprint(id)
}

// tourName turns a path into a file name: /services/3/sms → services-3-sms.
func tourName(login, path string) string {
	name := strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.Trim(path, "/"))
	return "tour-" + login + "-" + name
}

func save(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	if dir == "" {
		return
	}
	png := run(t, ctx, chromedp.FullScreenshot(100)) // 100 makes a PNG
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
