package handlers_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"elk/db"
)

// The role tables of README's «Роли», route by route, as this test reads
// them: every route of the app must have its rule here, so a route added
// without one fails, and every role is tried on every route.

// clientRules are the client roles that may call each client route:
// o owner, a accountant, d dispatcher. Staff get 404 there.
var clientRules = map[string]string{
	"GET /company":                        "oad",
	"POST /company/contacts":              "o",
	"POST /company/telegram":              "oad",
	"POST /company/telegram/:id/remove":   "oad",
	"GET /news":                           "oad",
	"GET /news/bell":                      "oad",
	"POST /news/read-all":                 "oad",
	"GET /news/:id":                       "oad",
	"GET /services":                       "oad",
	"GET /services/:id":                   "oad",
	"POST /services/:id/one-off":          "od",
	"GET /services/:id/sms":               "od",
	"GET /services/:id/sms.csv":           "od",
	"GET /documents":                      "oad",
	"POST /documents":                     "oa",
	"GET /documents/invoice-form":         "oa",
	"GET /documents/invoices/:id":         "oad",
	"GET /documents/invoices/:id/pdf":     "oad",
	"POST /documents/invoices/:id/cancel": "oa",
	"GET /documents/acts/:id/pdf":         "oad",
	"GET /documents/reconciliation.pdf":   "oa",
	"GET /transactions":                   "oa",
	"GET /transactions.csv":               "oa",
	"GET /monitoring":                     "od",
	"GET /questions":                      "oad",
	"POST /questions":                     "oad",
	"GET /tickets":                        "od",
	"POST /tickets":                       "od",
	"GET /tickets/files/:id":              "od",
	"GET /tickets/:id":                    "od",
	"POST /tickets/:id/replies":           "od",
	"POST /tickets/:id/close":             "od",
	"POST /tickets/:id/reopen":            "od",
	"GET /users":                          "o",
	"POST /users":                         "o",
	"POST /users/:id/disable":             "o",
	"POST /users/:id/enable":              "o",
	"POST /users/:id/password":            "o",
}

// staffRules are the staff roles that may call each back-office route:
// A admin, M manager, S support, B accountant; a lowercase m is a manager
// only of the company the object belongs to. Clients get 404 there.
var staffRules = map[string]string{
	"GET /admin":                                  "AMSB",
	"GET /admin/companies":                        "AMSB",
	"GET /admin/monitors":                         "AMSB",
	"GET /admin/licenses":                         "AMSB",
	"GET /admin/companies/new":                    "AM",
	"POST /admin/companies":                       "AM",
	"GET /admin/companies/:id":                    "AMSB",
	"POST /admin/companies/:id":                   "Am",
	"POST /admin/companies/:id/users":             "Am",
	"POST /admin/users/:id/password":              "Am",
	"POST /admin/users/:id/disable":               "Am",
	"POST /admin/users/:id/enable":                "Am",
	"POST /admin/users/:id/sessions/end":          "Am",
	"POST /admin/users/:id/two-factor/reset":      "Am",
	"GET /admin/tariffs":                          "AMSB",
	"POST /admin/tariffs":                         "AM",
	"POST /admin/tariffs/:id/retire":              "AM",
	"POST /admin/companies/:id/services":          "Am",
	"POST /admin/companies/:id/tokens":            "Am",
	"POST /admin/tokens/:id/revoke":               "Am",
	"GET /admin/services/:id":                     "AMSB",
	"POST /admin/services/:id":                    "Am",
	"POST /admin/services/:id/corrections":        "Am",
	"POST /admin/services/:id/subscriptions":      "Am",
	"POST /admin/subscriptions/:id/cancel":        "Am",
	"GET /admin/staff":                            "A",
	"POST /admin/staff":                           "A",
	"GET /admin/vendor":                           "A",
	"POST /admin/vendor":                          "A",
	"GET /admin/audit":                            "A",
	"GET /admin/invoices":                         "AMSB",
	"GET /admin/payments/import":                  "AB",
	"POST /admin/payments/import":                 "AB",
	"GET /admin/payments/imports/:id":             "AB",
	"POST /admin/payments/imports/:id":            "AB",
	"GET /admin/invoices/:id":                     "AMSB",
	"GET /admin/invoices/:id/pdf":                 "AMSB",
	"POST /admin/invoices/:id/payments":           "AmB",
	"POST /admin/invoices/:id/cancel":             "AmB",
	"GET /admin/acts/:id/pdf":                     "AMSB",
	"GET /admin/documents/registry.csv":           "AMB",
	"GET /admin/companies/:id/reconciliation.pdf": "AMSB",
	"GET /admin/companies/:id/invoices/new":       "AmB",
	"GET /admin/companies/:id/invoice-form":       "AmB",
	"POST /admin/companies/:id/invoices":          "AmB",
	"GET /admin/companies/:id/monitoring":         "AMSB",
	"POST /admin/companies/:id/monitors":          "Am",
	"POST /admin/companies/:id/licenses":          "Am",
	"POST /admin/monitors/:id/secret":             "Am",
	"GET /admin/questions":                        "AMSB",
	"POST /admin/questions/sections":              "AMS",
	"POST /admin/questions/:id":                   "AMS",
	"GET /admin/tickets":                          "AMSB",
	"GET /admin/tickets/files/:id":                "AMSB",
	"GET /admin/tickets/:id":                      "AMSB",
	"POST /admin/tickets/:id/replies":             "AMS",
	"POST /admin/tickets/:id/status":              "AMS",
	"POST /admin/tickets/:id/assign":              "AMS",
	"GET /admin/news":                             "AMSB",
	"POST /admin/news":                            "AM",
	"GET /admin/outbox":                           "AMSB",
	"POST /admin/outbox/test":                     "AM",
	"POST /admin/outbox/:id/resend":               "AM",
}

// ownAccountRoutes are every logged-in user's, for their own account.
var ownAccountRoutes = []string{
	"GET /", "GET /account", "GET /account/2fa/qr.png", "POST /account/password", "POST /account/language",
	"POST /account/profile", "POST /account/2fa/setup", "POST /account/2fa/enable", "POST /account/2fa/disable",
	"POST /account/sessions/:id/end",
}

// role is a login to try every route as.
type role struct {
	name, login, password string
	client                string // its letter in clientRules; "" for staff
	staff                 string // its letter in staffRules; "" for a client
	ownsCompany           bool   // a manager to whom «Такси Пример» is assigned
}

var roles = []role{
	{name: "owner", login: "taxi", password: "taxi123", client: "o"},
	{name: "client accountant", login: "buh", password: "buh12345", client: "a"},
	{name: "dispatcher", login: "dispatcher", password: "dispatcher123", client: "d"},
	{name: "admin", login: "admin", password: "admin123", staff: "A"},
	{name: "manager of the company", login: "manager", password: "manager123", staff: "M", ownsCompany: true},
	{name: "manager of another company", login: "manager2", password: "второй менеджер 2026", staff: "M"},
	{name: "support", login: "support", password: "support123", staff: "S"},
	{name: "staff accountant", login: "finance", password: "бухгалтерия вендора 2026", staff: "B"},
}

// may reports whether the role may call the route, and how it is refused
// when it may not: 403, or 404 on the other side's routes.
func (r role) may(key string) (bool, int) {
	if slices.Contains(ownAccountRoutes, key) || slices.Contains(publicRoutes, key) {
		return true, 0
	}
	if rule, ok := clientRules[key]; ok {
		return r.client != "" && strings.Contains(rule, r.client), map[bool]int{true: http.StatusForbidden, false: http.StatusNotFound}[r.client != ""]
	}
	rule := staffRules[key]
	if r.staff == "" {
		return false, http.StatusNotFound
	}
	return strings.Contains(rule, r.staff) || r.ownsCompany && strings.Contains(rule, "m"), http.StatusForbidden
}

// roleEnv is the demo with the staff the table needs besides the demo's
// own: a manager of «Алма Такси» and the vendor's accountant; and a spare
// user of «Такси Пример» for the user routes to act on.
func roleEnv(t *testing.T) *env {
	e := newEnv(t)
	ctx := context.Background()
	admin := actorOf(e, "admin")
	for _, nu := range []db.NewUser{
		{Login: "manager2", Name: "Дмитрий Второв", Role: db.RoleManager, Password: "второй менеджер 2026"},
		{Login: "finance", Name: "Марина Ершова", Role: db.RoleAccountant, Password: "бухгалтерия вендора 2026"},
		{CompanyID: 1, Login: "spare", Name: "Запасной диспетчер", Role: db.RoleDispatcher, Password: "запасной диспетчер 2026"},
	} {
		if _, err := e.Store.CreateUser(ctx, admin, nu); err != nil {
			t.Fatal(err)
		}
	}
	e.sqlExec(`UPDATE companies SET manager_id = (SELECT id FROM users WHERE login = 'manager2') WHERE id = 3`)
	if _, err := e.Store.EnqueueTestEmail(ctx, admin, "check@taxisoft.example", "ru"); err != nil {
		t.Fatal(err)
	}
	for i, login := range []string{"taxi", "buh", "dispatcher"} {
		e.linkTelegram(login, int64(i), int64(700000100+i))
	}
	return e
}

// roleTargets fill each route's :id with an object of «Такси Пример» (or
// of the vendor) that the route acts on.
func roleTargets(t *testing.T, e *env) map[string]string {
	id := func(query string) string { return strconv.Itoa(e.sqlInt(query)) }
	sms := id(`SELECT s.id FROM company_services s JOIN services v ON v.id = s.service_id WHERE s.company_id = 1 AND v.code = 'sms'`)
	support := id(`SELECT s.id FROM company_services s JOIN services v ON v.id = s.service_id WHERE s.company_id = 1 AND v.code = 'support'`)
	invoice, act := firstDocuments(e, 1)
	ticket := id(`SELECT id FROM tickets WHERE company_id = 1 AND status <> 'closed' LIMIT 1`)
	file := id(`SELECT f.id FROM ticket_attachments f JOIN ticket_messages m ON m.id = f.message_id
		JOIN tickets t ON t.id = m.ticket_id WHERE t.company_id = 1 LIMIT 1`)
	spare := itoa(e.userID("spare"))
	admin := e.loggedIn("admin", "admin123")
	upload := admin.postMultipart("/admin/payments/import", "file", nil, upload{"выписка.txt", statementFor(t, e, "",
		income("1", "7704123450", "ООО «Такси Пример»", 10_000, "Оплата", db.Today(e.Clock.Now(), db.VendorLocation)))})
	if !strings.HasPrefix(upload.Location(), "/admin/payments/imports/") {
		t.Fatalf("statement upload: %d %s", upload.Status, upload.Location())
	}
	return map[string]string{
		"/news/:id":                      "/news/" + id(`SELECT news_id FROM news_companies WHERE company_id = 1 LIMIT 1`),
		"/services/:id":                  "/services/" + sms,
		"/services/:id/one-off":          "/services/" + support + "/one-off",
		"/services/:id/sms":              "/services/" + sms + "/sms",
		"/services/:id/sms.csv":          "/services/" + sms + "/sms.csv",
		"/documents/invoices/:id":        "/documents/invoices/" + invoice,
		"/documents/invoices/:id/pdf":    "/documents/invoices/" + invoice + "/pdf",
		"/documents/invoices/:id/cancel": "/documents/invoices/" + invoice + "/cancel",
		"/documents/acts/:id/pdf":        "/documents/acts/" + act + "/pdf",
		"/tickets/files/:id":             "/tickets/files/" + file,
		"/tickets/:id":                   "/tickets/" + ticket,
		"/tickets/:id/replies":           "/tickets/" + ticket + "/replies",
		"/tickets/:id/close":             "/tickets/" + ticket + "/close",
		"/tickets/:id/reopen":            "/tickets/" + id(`SELECT id FROM tickets WHERE company_id = 1 AND status = 'closed' LIMIT 1`) + "/reopen",
		"/users/:id/disable":             "/users/" + spare + "/disable",
		"/users/:id/enable":              "/users/" + spare + "/enable",
		"/users/:id/password":            "/users/" + spare + "/password",
		"/account/sessions/:id/end":      "/account/sessions/" + strings.Repeat("0", 64) + "/end",
		":company":                       "1",
		":user":                          spare,
		":service":                       sms,
		":subscription":                  id(`SELECT id FROM subscriptions WHERE company_id = 1 AND status = 'active' LIMIT 1`),
		":token":                         id(`SELECT id FROM api_tokens WHERE company_id = 1 LIMIT 1`),
		":invoice":                       invoice,
		":act":                           act,
		":monitor":                       id(`SELECT id FROM monitors WHERE company_id = 1 LIMIT 1`),
		":import":                        strings.TrimPrefix(upload.Location(), "/admin/payments/imports/"),
		":ticket":                        ticket,
		":file":                          file,
		":question":                      id(`SELECT id FROM questions LIMIT 1`),
		":tariff":                        id(`SELECT id FROM tariffs LIMIT 1`),
		":notice":                        id(`SELECT max(id) FROM outbox`),
	}
}

// target is the URL to call a route at.
func target(targets map[string]string, path string) string {
	if to, ok := targets[path]; ok {
		return to
	}
	if !strings.HasPrefix(path, "/admin/") || !strings.Contains(path, ":id") {
		return path
	}
	kind := strings.Split(path, "/")[2] // /admin/<kind>/:id…
	object := map[string]string{"companies": ":company", "users": ":user", "services": ":service", "subscriptions": ":subscription",
		"tokens": ":token", "invoices": ":invoice", "acts": ":act", "monitors": ":monitor", "payments": ":import",
		"questions": ":question", "tariffs": ":tariff", "outbox": ":notice"}[kind]
	if kind == "tickets" {
		object = ":ticket"
		if strings.HasPrefix(path, "/admin/tickets/files/") {
			object = ":file"
		}
	}
	return strings.ReplaceAll(path, ":id", targets[object])
}

// probe is what each form is sent: enough to pass the role checks, whatever
// each handler then makes of it.
var probe = url.Values{"name": {"x"}, "email": {"x@example.com"}, "body": {"x"}, "reason": {"x"}, "subject": {"x"},
	"key": {strings.Repeat("a", 32)}}

// Every route but the public ones and the API has a rule in the tables above.
func TestEveryRouteHasARoleRule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, key := range routeKeys(e) {
		_, client := clientRules[key]
		_, staff := staffRules[key]
		_, path, _ := strings.Cut(key, " ")
		if !client && !staff && !slices.Contains(ownAccountRoutes, key) && !slices.Contains(publicRoutes, key) && !strings.HasPrefix(path, "/api/") {
			t.Errorf("route %s has no role rule in roles_test.go", key)
		}
	}
	all := slices.Concat(ownAccountRoutes, slices.Collect(maps.Keys(clientRules)), slices.Collect(maps.Keys(staffRules)))
	for _, key := range all {
		if !slices.Contains(routeKeys(e), key) {
			t.Errorf("rule for %s, a route the app does not have", key)
		}
	}
}

// Every role calls every route: what it may do passes the role checks,
// what it may not is refused with 403 and a clear message (or 404 on the
// other side's routes) and changes nothing of the company's.
func TestEveryRoleOnEveryRoute(t *testing.T) {
	t.Parallel()
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			e := roleEnv(t)
			targets := roleTargets(t, e)
			if r.client != "" { // each unlinks a chat of their own
				targets["/company/telegram/:id/remove"] = fmt.Sprintf("/company/telegram/%d/remove",
					e.sqlInt(`SELECT l.id FROM telegram_links l JOIN users u ON u.id = l.user_id WHERE u.login = ?`, r.login))
			}
			c := e.loggedIn(r.login, r.password)
			var allowed []string
			before := snapshot(t, e)
			refused := 0
			for _, key := range routeKeys(e) {
				method, path, _ := strings.Cut(key, " ")
				if slices.Contains(publicRoutes, key) || strings.HasPrefix(path, "/api/") {
					continue
				}
				ok, refusal := r.may(key)
				if ok {
					allowed = append(allowed, key)
					continue
				}
				res := call(c, method, target(targets, path))
				refused++
				if res.Status != refusal {
					t.Errorf("%s %s: %d, want %d", r.name, key, res.Status, refusal)
					continue
				}
				if refusal == http.StatusForbidden && !strings.Contains(res.Text("main"), refusalText(r, key)) {
					t.Errorf("%s %s refused with %q, want %q", r.name, key, res.Text("main"), refusalText(r, key))
				}
			}
			if after := snapshot(t, e); after != before {
				t.Errorf("%s changed «Такси Пример» through refused routes", r.name)
			}
			for _, key := range allowed {
				method, path, _ := strings.Cut(key, " ")
				res := call(c, method, target(targets, path))
				// One's own account may have no such object yet (a QR code
				// before setting up, another session): a 404 is its answer.
				own := slices.Contains(ownAccountRoutes, key)
				if res.Status == http.StatusForbidden || res.Status >= 500 || res.Status == http.StatusNotFound && !own ||
					res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location(), "/login") {
					t.Errorf("%s %s, which it may: %d %s %q", r.name, key, res.Status, res.Location(), res.Text("main"))
				}
			}
			if len(allowed) < 15 || refused < 15 {
				t.Errorf("%s: %d routes allowed, %d refused", r.name, len(allowed), refused)
			}
		})
	}
}

// refusalText is what a refused role is told.
func refusalText(r role, key string) string {
	switch {
	case r.client != "":
		return "Вашей роли в компании это недоступно"
	case r.staff == "M" && strings.Contains(staffRules[key], "m"):
		return "Эта компания закреплена за другим менеджером"
	}
	return "Недостаточно прав для этого действия"
}

func call(c *client, method, path string) *response {
	c.t.Helper()
	if method == http.MethodGet {
		return c.get(path)
	}
	return c.post(path, probe)
}
