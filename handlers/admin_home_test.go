package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
)

// homeCompany is what stageHomeCompany made for the home to show.
type homeCompany struct {
	name, subject, monitor string
}

// stageHomeCompany gives manager2 a company with one of everything the
// home counts: an SMS balance that lasts 3 days, an overdue invoice and a
// fresh one, a ticket waiting 2 hours and one answered in an hour, a server
// down and a license expiring in 10 days.
func stageHomeCompany(t *testing.T, e *env) homeCompany {
	t.Helper()
	ctx := context.Background()
	admin := actorOf(e, "admin")
	h := homeCompany{name: "Такси Кедр", subject: "Не приходят СМС водителям", monitor: "Кедр TMServer"}
	co, err := e.Store.CreateCompany(ctx, admin, db.Company{Name: h.name, LegalName: "ООО «Такси Кедр»", INN: "7707083893",
		Country: "RU", Timezone: "Europe/Moscow", ManagerID: e.userID("manager2")})
	if err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now()
	today := db.Today(now, db.VendorLocation)
	tariffs, err := e.Store.Tariffs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var tariff db.Tariff
	for _, tf := range tariffs {
		if tf.ServiceCode == db.ServiceSMS && tariff.ID == 0 {
			tariff = tf
		}
	}
	if _, err := e.Store.ConnectService(ctx, admin, co, tariff, today.AddDate(0, 0, -60), nil); err != nil {
		t.Fatal(err)
	}
	cs := serviceOf(t, e, co, db.ServiceSMS)
	// 10 ₽ a day over the last two weeks, and 35 ₽ left: three whole days.
	for i := 1; i <= db.ForecastWindow; i++ {
		if _, _, err := e.Store.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: -1000, Source: db.SourceSMS, Units: 4,
			Description: "Отправка СМС", IdempotencyKey: fmt.Sprintf("home:%d", i), At: now.AddDate(0, 0, -i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Store.Correct(ctx, admin, cs, 3500+1000*db.ForecastWindow, "пополнение", "home:topup"); err != nil {
		t.Fatal(err)
	}
	cs = serviceOf(t, e, co, db.ServiceSMS)
	owner, err := e.Store.CreateUser(ctx, admin, db.NewUser{CompanyID: co, Login: "kedr", Name: "Олег Кедров", Role: db.RoleOwner, Password: "кедровый владелец 2026"})
	if err != nil {
		t.Fatal(err)
	}
	client := db.Actor{UserID: owner, Login: "kedr"}
	answered, err := e.Store.OpenTicket(ctx, client, co, db.NewTicket{Subject: "Как сменить тариф", Priority: "normal", Body: "Подскажите."})
	if err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Hour)
	if err := e.Store.StaffReply(ctx, actorOf(e, "support"), answered, db.MessageStaff, "Через менеджера.", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.OpenTicket(ctx, client, co, db.NewTicket{Subject: h.subject, Priority: "high", Body: "С утра."}); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(2 * time.Hour)
	monitor, err := e.Store.SaveMonitor(ctx, admin, db.Monitor{CompanyID: co, Kind: db.MonitorTMServer, Name: h.monitor,
		CheckType: db.CheckTCP, Target: "127.0.0.1:1", Interval: time.Minute, Timeout: time.Second, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	e.sqlExec(fmt.Sprintf(`UPDATE monitors SET state = 'down', last_error = 'connection refused' WHERE id = %d`, monitor))
	if err := e.Store.SaveLicense(ctx, admin, db.License{CompanyID: co, Key: "KEDR-2026-0001-TEST", Product: "TMServer",
		IssuedOn: today.AddDate(-1, 0, 10), ExpiresOn: today.AddDate(0, 0, 10), Limits: map[string]int{}}); err != nil {
		t.Fatal(err)
	}
	// The invoices are dated from the day the clock stands at now that it
	// has moved, which may be the next one: a day's age is what is tested.
	pageDay := db.Today(e.Clock.Now(), db.VendorLocation)
	for _, day := range []time.Time{pageDay.AddDate(0, 0, -10), pageDay} {
		if _, err := e.Store.CreateInvoiceOn(ctx, admin, db.NewInvoice{Service: cs, Item: "Услуга «СМС»", Amount: 500_000}, day); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// figure is a figure of the home: its value, its note and its link.
func figure(r *response, id string) (value, note, href string) {
	f := r.Find("#fig-" + id)
	return strings.TrimSpace(f.Find(".figure-value").Text()), strings.TrimSpace(f.Find(".figure-note").Text()), f.AttrOr("href", "")
}

// figureOf is a counting figure's number.
func figureOf(t *testing.T, r *response, id string) int {
	t.Helper()
	value, _, _ := figure(r, id)
	n, err := strconv.Atoi(strings.ReplaceAll(value, "\u00a0", ""))
	if err != nil {
		t.Fatalf("%s: %q", id, value)
	}
	return n
}

func TestHomeShowsAManagersMorning(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	h := stageHomeCompany(t, e)
	manager := e.loggedIn("manager2", "второй менеджер 2026")
	r := manager.get("/admin")
	if r.Status != http.StatusOK {
		t.Fatalf("/admin: %d", r.Status)
	}
	if r.Find("#home-scope a.active").Text() != "Мои компании" {
		t.Errorf("a manager's home is not of their companies: %q", r.Find("#home-scope a.active").Text())
	}
	want := map[string][2]string{
		"low-balances":   {"1", "отрицательный или кончится за неделю"},
		"unpaid":         {"2", "10\u00a0000,00 ₽"},
		"overdue":        {"1", "5\u00a0000,00 ₽"},
		"waiting":        {"1", "дольше всех ждёт 2 ч 00 мин"},
		"first-response": {"1 ч 00 мин", "медиана за 30 дней, по 1 обращению"},
		"monitors-down":  {"1", "сейчас"},
		"licenses":       {"1", "не продлены новым ключом"},
	}
	links := map[string]string{}
	for id, w := range want {
		value, note, href := figure(r, id)
		if value != w[0] || note != w[1] {
			t.Errorf("%s: %q, %q; want %q, %q", id, value, note, w[0], w[1])
		}
		links[id] = href
	}
	row := r.Find("#low-balances tbody tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), h.name) || row.Find("td").Eq(3).Text() != "3 дня" {
		t.Errorf("running out: %q", row.Text())
	}

	// Every figure leads to the list of its rows.
	lists := []struct {
		figure, rows, text string
		count              int
	}{
		{"low-balances", "#low-balances tbody tr", "3 дня", 1},
		{"unpaid", "#invoice-rows tr", h.name, 2},
		{"overdue", "#invoice-rows tr", "Просрочен", 1},
		{"waiting", "table tbody tr", h.subject, 1},
		{"first-response", "table tbody tr", "Как сменить тариф", 1},
		{"monitors-down", "#down-monitors tbody tr", h.monitor, 1},
		{"licenses", "#expiring-licenses tbody tr", h.name, 1},
	}
	for _, l := range lists {
		page := manager.get(links[l.figure])
		if page.Status != http.StatusOK {
			t.Errorf("%s → %s: %d", l.figure, links[l.figure], page.Status)
			continue
		}
		rows := page.Find(l.rows)
		if rows.Length() != l.count || !strings.Contains(rows.Text(), l.text) {
			t.Errorf("%s → %s: %d rows %q, want %d with %q", l.figure, links[l.figure], rows.Length(), rows.Text(), l.count, l.text)
		}
	}
	if overdue := manager.get(links["unpaid"]).Find("#invoice-rows .badge.overdue"); overdue.Length() != 1 {
		t.Errorf("overdue marks among the unpaid: %d", overdue.Length())
	}

	// All companies: the manager's switch gives what the admin sees by default.
	all := manager.get("/admin?scope=all")
	admin := e.loggedIn("admin", "admin123").get("/admin")
	if admin.Find("#home-scope").Length() != 0 {
		t.Error("an admin is offered a switch to their own companies")
	}
	for id := range want {
		a, _, href := figure(admin, id)
		if b, _, _ := figure(all, id); a != b || strings.Contains(href, "manager=") {
			t.Errorf("%s: all companies %q for the manager, %q for the admin (%s)", id, b, a, href)
		}
	}
	if mine, _, _ := figure(r, "unpaid"); figureOf(t, all, "unpaid") <= figureOf(t, r, "unpaid") {
		t.Errorf("unpaid: all companies %d, no more than the manager's %q", figureOf(t, all, "unpaid"), mine)
	}
	if admin.Find("#sms-chart rect").Length() == 0 || admin.Find("#payments-chart rect").Length() != db.DashboardPaymentMonths {
		t.Errorf("charts: %d SMS bars, %d months", admin.Find("#sms-chart rect").Length(), admin.Find("#payments-chart rect").Length())
	}
	if !strings.Contains(admin.Text("#low-balances"), h.name) {
		t.Error("the admin's home leaves out a company running out")
	}

	// The client side never sees it.
	for _, login := range []string{"taxi", "kedr"} {
		c := e.loggedIn(login, map[string]string{"taxi": "taxi123", "kedr": "кедровый владелец 2026"}[login])
		for _, path := range []string{"/admin", "/admin/monitors?state=down", "/admin/licenses", "/admin/companies?balance=low"} {
			if got := c.get(path).Status; got != http.StatusNotFound {
				t.Errorf("%s opens %s: %d", login, path, got)
			}
		}
	}
}

func TestPaymentTermMakesInvoicesOverdue(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	stageHomeCompany(t, e)
	admin := e.loggedIn("admin", "admin123")
	page := admin.get("/admin/vendor")
	if got := page.Find("#f-payment_term").AttrOr("value", ""); got != "5" {
		t.Fatalf("the default term: %q", got)
	}
	form := url.Values{}
	page.Find("form[action='/admin/vendor'] input").Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	form.Del("_csrf")
	form.Set("vat_rate", page.Find("#f-vat_rate option[selected]").AttrOr("value", ""))
	vendor := func(term string) *response {
		form.Set("payment_term", term)
		return admin.post("/admin/vendor", form)
	}
	for _, bad := range []string{"0", "366", "пять", "1.5"} {
		r := vendor(bad)
		if r.Status != http.StatusUnprocessableEntity || r.Text("#f-payment_term ~ .error") != "Укажите целое число дней от 1 до 365." ||
			r.Find("#f-payment_term").AttrOr("value", "") != bad {
			t.Errorf("term %q: %d %q", bad, r.Status, r.Text("#f-payment_term ~ .error"))
		}
	}
	if v, _ := e.Store.Vendor(context.Background()); v.PaymentTermDays != db.DefaultPaymentTerm {
		t.Fatalf("a refused term was saved: %d", v.PaymentTermDays)
	}
	// Ten days to pay: the invoice issued ten days ago is still in time.
	if r := vendor("10"); r.Status != http.StatusSeeOther {
		t.Fatalf("term 10: %d %s", r.Status, r.Text(".error"))
	}
	manager := e.loggedIn("manager2", "второй менеджер 2026")
	if v, _, _ := figure(manager.get("/admin"), "overdue"); v != "0" {
		t.Errorf("overdue with a 10-day term: %s", v)
	}
	if n := e.sqlInt(`SELECT count(*) FROM audit_log WHERE action = 'payment_term' AND details = '5 → 10'`); n != 1 {
		t.Errorf("term change audited %d times", n)
	}
	if r := vendor("10"); r.Status != http.StatusSeeOther || e.sqlInt(`SELECT count(*) FROM audit_log WHERE action = 'payment_term'`) != 1 {
		t.Error("an unchanged term audited again")
	}
}
