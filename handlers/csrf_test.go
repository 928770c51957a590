package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestStateChangesWithoutValidCSRFTokenAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	form := url.Values{"email": {"evil@attacker.example"}, "phone": {"+79990000000"}}
	other := e.loggedIn("vostok", "vostok123").token()
	cases := map[string]struct {
		form   url.Values
		header map[string]string
	}{
		"no token":                 {form: form},
		"forged token":             {form: withToken(form, "00"+other[2:])},
		"another session's token":  {form: withToken(form, other)},
		"another session's header": {form: form, header: map[string]string{"X-CSRF-Token": other}},
	}
	for name, tc := range cases {
		r := c.postRaw("/company/contacts", tc.form, tc.header)
		if r.Status != http.StatusForbidden {
			t.Errorf("%s: status %d", name, r.Status)
		}
		if msg := r.Text("h1"); msg != "Страница устарела. Обновите её и повторите действие." {
			t.Errorf("%s: page says %q", name, msg)
		}
	}
	nc, err := e.Store.CompanyContacts(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(nc.Emails, []string{"dispatch@taxi-primer.example"}) {
		t.Errorf("contacts changed by a forged request: %v", nc.Emails)
	}
	// The same request with the page's token, sent as htmx sends it, goes through.
	r := c.postRaw("/company/contacts", form, map[string]string{"X-CSRF-Token": c.token()})
	if r.Status != http.StatusSeeOther {
		t.Errorf("with the header token: %d", r.Status)
	}
}

func TestLoginFormIsProtectedToo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.client().postRaw("/login", url.Values{"login": {"taxi"}, "password": {"taxi123"}}, nil)
	if r.Status != http.StatusForbidden {
		t.Errorf("login without token: %d", r.Status)
	}
	// Logout is a state change as well.
	c := e.loggedIn("taxi", "taxi123")
	if r := c.postRaw("/logout", url.Values{}, nil); r.Status != http.StatusForbidden {
		t.Errorf("logout without token: %d", r.Status)
	}
	if r := c.get("/company"); r.Status != http.StatusOK {
		t.Errorf("forged logout ended the session: %d", r.Status)
	}
}

func TestEveryFormCarriesTheToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pages := map[string][]string{
		"taxi":  {"/company", "/users", "/account"},
		"admin": {"/admin/companies", "/admin/companies/new", "/admin/companies/1", "/admin/staff", "/admin/vendor"},
	}
	for login, paths := range pages {
		c := e.loggedIn(login, demoPasswords[login])
		for _, p := range paths {
			r := c.get(p)
			meta, _ := r.Find(`meta[name="csrf-token"]`).Attr("content")
			r.Find(`form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
				tok, _ := f.Find(`input[name="_csrf"]`).Attr("value")
				if tok == "" || tok != meta {
					action, _ := f.Attr("action")
					t.Errorf("%s: form %s has token %q, page %q", p, action, tok, meta)
				}
			})
		}
	}
}

func withToken(form url.Values, token string) url.Values {
	out := cloneValues(form)
	out.Set("_csrf", token)
	return out
}

// A state change another site's page makes is refused even with a valid
// token, as browsers name its origin; the portal's own pages go through.
func TestCrossSiteStateChangesAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	form := withToken(url.Values{"email": {"evil@attacker.example"}, "phone": {"+79990000000"}}, c.token())
	for name, header := range map[string]map[string]string{
		"fetch metadata":    {"Sec-Fetch-Site": "cross-site"},
		"origin":            {"Origin": "https://attacker.example"},
		"opaque origin":     {"Origin": "null"},
		"both, disagreeing": {"Sec-Fetch-Site": "cross-site", "Origin": e.URL},
	} {
		if r := c.postRaw("/company/contacts", form, header); r.Status != http.StatusForbidden {
			t.Errorf("%s: %d", name, r.Status)
		}
	}
	for name, header := range map[string]map[string]string{
		"same origin": {"Sec-Fetch-Site": "same-origin", "Origin": e.URL},
		"origin only": {"Origin": e.URL},
	} {
		if r := c.postRaw("/company/contacts", form, header); r.Status != http.StatusSeeOther {
			t.Errorf("%s: %d", name, r.Status)
		}
	}
}
