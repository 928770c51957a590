package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// tabsOf lists the tab labels a page shows.
func tabsOf(r *response) string {
	var out []string
	r.Find(".tabs a").Each(func(_ int, a *goquery.Selection) { out = append(out, strings.TrimSpace(a.Text())) })
	return strings.Join(out, ", ")
}

// A dispatcher sees the documents and cannot issue or cancel one, even by
// posting straight to the URLs; the accountant can.
func TestDispatcherSeesDocumentsButCannotIssueOrCancel(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	targets := roleTargets(t, e)
	invoice, sms := targets[":invoice"], targets[":service"]
	dispatcher := e.loggedIn("dispatcher", "dispatcher123")

	list := dispatcher.get("/documents")
	if list.Status != http.StatusOK || list.Find("#documents tbody tr").Length() == 0 {
		t.Fatalf("documents as a dispatcher: %d", list.Status)
	}
	for _, sel := range []string{"#create", "#pay-button", "#reconciliation"} {
		if list.Find(sel).Length() != 0 {
			t.Errorf("a dispatcher is offered %s", sel)
		}
	}
	if page := dispatcher.get("/documents/invoices/" + invoice); page.Status != http.StatusOK ||
		page.Find(`form[action$="/cancel"]`).Length() != 0 {
		t.Errorf("invoice as a dispatcher: %d, a cancel form", page.Status)
	}

	invoices := e.sqlInt(`SELECT count(*) FROM invoices WHERE company_id = 1`)
	for _, r := range []*response{
		dispatcher.post("/documents", url.Values{"service_id": {sms}, "amount": {"1000"}}),
		dispatcher.post("/documents/invoices/"+invoice+"/cancel", nil),
		dispatcher.get("/documents/invoice-form?service_id=" + sms),
	} {
		if r.Status != http.StatusForbidden || !strings.Contains(r.Text("main"), "Вашей роли в компании это недоступно") {
			t.Errorf("dispatcher's document action: %d %q", r.Status, r.Text("main"))
		}
	}
	if n := e.sqlInt(`SELECT count(*) FROM invoices WHERE company_id = 1`); n != invoices {
		t.Errorf("a dispatcher issued an invoice: %d → %d", invoices, n)
	}
	if n := e.sqlInt(`SELECT count(*) FROM invoices WHERE id = ` + invoice + ` AND status = 'issued'`); n != 1 {
		t.Error("a dispatcher cancelled an invoice")
	}

	accountant := e.loggedIn("buh", "buh12345")
	if r := accountant.post("/documents", url.Values{"service_id": {sms}, "amount": {"1000"}}); r.Status != http.StatusSeeOther {
		t.Errorf("accountant issues an invoice: %d %q", r.Status, r.Text(".error"))
	}
	if r := accountant.post("/documents/invoices/"+invoice+"/cancel", nil); r.Status != http.StatusSeeOther {
		t.Errorf("accountant cancels an invoice: %d", r.Status)
	}
}

// Each client role sees the tabs it may open, in the product's order.
func TestClientTabsFollowTheRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for login, want := range map[string]string{
		"taxi":       "О компании, Новости, Услуги, Пользователи, Документы, Транзакции, Мониторинг, Вопросы и ответы, Обращения в ТП",
		"buh":        "О компании, Новости, Услуги, Документы, Транзакции, Вопросы и ответы",
		"dispatcher": "О компании, Новости, Услуги, Документы, Мониторинг, Вопросы и ответы, Обращения в ТП",
	} {
		if got := tabsOf(e.loggedIn(login, demoPasswords[login]).get("/company")); got != want {
			t.Errorf("%s tabs: %s", login, got)
		}
	}
}

// Every page a role opens offers only links, forms and parts it may use:
// no button that ends in a refusal, no tab that cannot be opened.
func TestPagesOfferOnlyWhatTheRoleMay(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	targets := roleTargets(t, e)
	details := []string{"/account", "/services/" + targets[":service"], "/services/" + targets[":support"],
		"/documents/invoices/" + targets[":invoice"], "/tickets/" + targets[":ticket"], targets["/news/:id"],
		"/admin/companies/1", "/admin/companies/1/monitoring", "/admin/services/" + targets[":service"],
		"/admin/invoices/" + targets[":invoice"], "/admin/tickets/" + targets[":ticket"], "/admin/payments/imports/" + targets[":import"]}
	for _, r := range roles {
		c := e.loggedIn(r.login, r.password)
		var pages []string
		c.follow("/").Find(".tabs a").Each(func(_ int, a *goquery.Selection) { pages = append(pages, a.AttrOr("href", "")) })
		for _, path := range details {
			if ok, _ := r.may(http.MethodGet + " " + idPattern(path)); ok {
				pages = append(pages, path)
			}
		}
		for _, path := range pages {
			page := c.get(path)
			if page.Status != http.StatusOK {
				t.Errorf("%s opens %s: %d", r.name, path, page.Status)
				continue
			}
			for _, use := range offered(page, path) {
				if ok, _ := r.may(use); !ok {
					t.Errorf("%s is offered %s on %s", r.name, use, path)
				}
			}
		}
	}
}

// offered lists what a page lets its user call, as routes: its links, its
// forms and the parts it loads.
func offered(page *response, path string) []string {
	var out []string
	add := func(method, to string) {
		to, _, _ = strings.Cut(to, "#")
		to, _, _ = strings.Cut(to, "?")
		if to == "" {
			to = path
		}
		if strings.HasPrefix(to, "/") && !strings.HasPrefix(to, "/static/") {
			out = append(out, method+" "+idPattern(to))
		}
	}
	page.Find("main a[href], header a[href]").Each(func(_ int, a *goquery.Selection) { add(http.MethodGet, a.AttrOr("href", "")) })
	page.Find("form").Each(func(_ int, f *goquery.Selection) {
		add(strings.ToUpper(f.AttrOr("method", http.MethodGet)), f.AttrOr("action", ""))
	})
	page.Find("[hx-get]").Each(func(_ int, el *goquery.Selection) { add(http.MethodGet, el.AttrOr("hx-get", "")) })
	page.Find("[hx-post]").Each(func(_ int, el *goquery.Selection) { add(http.MethodPost, el.AttrOr("hx-post", "")) })
	return out
}
