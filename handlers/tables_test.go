package handlers_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Every cell of a list is labelled, for the phone layout, by its column's
// header; a column whose header only a screen reader reads (actions, PDF)
// has no label.
func TestTableCellsCarryTheirColumnsLabel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raiseThreshold(t, e, e.loggedIn("manager", "manager123")) // notices for О компании
	pages := map[string][]string{
		"taxi":  {"/tickets", "/transactions", "/services/1", "/documents", "/company", "/users"},
		"admin": {"/admin/staff", "/admin/companies/1", "/admin/services/1"},
	}
	for login, paths := range pages {
		c := e.loggedIn(login, demoPasswords[login])
		for _, path := range paths {
			checked := 0
			c.get(path).Find("table.table").Each(func(i int, table *goquery.Selection) {
				var labels []string
				table.Find("thead th").Each(func(_ int, th *goquery.Selection) {
					if th.Children().Length() == 1 && th.Children().HasClass("sr-only") {
						labels = append(labels, "")
					} else {
						labels = append(labels, strings.TrimSpace(th.Text()))
					}
				})
				rows := table.Find("tbody tr").FilterFunction(func(_ int, tr *goquery.Selection) bool {
					return tr.Find("td[colspan]").Length() == 0
				})
				checked += rows.Length()
				rows.Each(func(_ int, tr *goquery.Selection) {
					var got []string
					tr.Find("td").Each(func(_ int, td *goquery.Selection) { got = append(got, td.AttrOr("data-label", "")) })
					if strings.Join(got, "|") != strings.Join(labels, "|") {
						t.Errorf("%s %s: table %d labels its cells %q under the columns %q", login, path, i, got, labels)
					}
				})
			})
			if checked == 0 {
				t.Errorf("%s %s: no rows to check", login, path)
			}
		}
	}
}

// The users table offers its actions on others, each posting with the
// page's token and asking first where it takes something away, and none
// on oneself.
func TestUsersTableActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.loggedIn("taxi", "taxi123")
	dispatcher := itoa(e.userID("dispatcher"))
	owner.post("/users/"+dispatcher+"/disable", nil)
	r := owner.get("/users")
	token := r.Find(`meta[name="csrf-token"]`).AttrOr("content", "")
	self := r.Find("#user-" + itoa(e.userID("taxi")))
	if self.Find("td .tag").Text() != "это вы" || self.Find("td.actions").Children().Length() != 0 {
		t.Errorf("own row: %q, %d actions", self.Find("td .tag").Text(), self.Find("td.actions").Children().Length())
	}
	actions := func(row *goquery.Selection) []string {
		var out []string
		row.Find("td.actions form").Each(func(_ int, f *goquery.Selection) {
			if f.AttrOr("method", "") != "post" || f.Find(`input[name="_csrf"]`).AttrOr("value", "") != token {
				t.Errorf("%s posts without the page's token", f.AttrOr("action", ""))
			}
			out = append(out, f.AttrOr("action", "")+" "+f.Find("button").Text()+" "+f.AttrOr("hx-confirm", ""))
		})
		return out
	}
	accountant := itoa(e.userID("buh"))
	want := []string{"/users/" + accountant + "/password Сбросить пароль Сбросить пароль? Пользователь выйдет на всех устройствах.",
		"/users/" + accountant + "/disable Отключить Отключить пользователя? Он больше не сможет войти."}
	if got := actions(r.Find("#user-" + accountant)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("an active user's actions:\n%s", strings.Join(got, "\n"))
	}
	disabled := r.Find("#user-" + dispatcher)
	if got := actions(disabled); !disabled.HasClass("dim") || len(got) != 2 || got[1] != "/users/"+dispatcher+"/enable Включить " {
		t.Errorf("a disabled user's row (dim %v): %q", disabled.HasClass("dim"), got)
	}
}
