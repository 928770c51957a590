package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/testutil"
)

func serviceOf(t testing.TB, e *env, companyID int64, code string) db.CompanyService {
	t.Helper()
	services, err := e.Store.CompanyServices(context.Background(), companyID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range services {
		if cs.ServiceCode == code {
			return cs
		}
	}
	t.Fatalf("company %d has no %s", companyID, code)
	return db.CompanyService{}
}

func TestServicesTabShowsBalances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	// A debt shows in red.
	e.Store.Post(context.Background(), db.Entry{CompanyServiceID: sms.ID, Amount: -(sms.Balance + 12345), Source: db.SourceCorrection, IdempotencyKey: "debt"})
	r := e.loggedIn("taxi", "taxi123").get("/services")
	cards := r.Find(".service-card")
	if cards.Length() != 3 {
		t.Fatalf("%d service cards", cards.Length())
	}
	card := r.Find("#service-" + itoa(sms.ID))
	if got := strings.TrimSpace(card.Find(".balance").Text()); got != "−123,45 ₽" || !card.Find(".balance").HasClass("neg") {
		t.Errorf("SMS balance %q, red %v", got, card.Find(".balance").HasClass("neg"))
	}
	if !strings.Contains(card.Text(), "СМС — базовый") || !strings.Contains(card.Text(), "2,50 ₽ за часть СМС") {
		t.Errorf("SMS card: %s", card.Text())
	}
}

func TestOneOffSupportRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	support := serviceOf(t, e, 1, db.ServiceSupport)
	c := e.loggedIn("taxi", "taxi123")
	page := c.get("/services/" + itoa(support.ID))
	key := page.Find(`#one-off input[name="key"]`).AttrOr("value", "")
	if key == "" {
		t.Fatal("no one-off offer for a company in Russia")
	}
	// The Услуги tab offers it too, for the support service.
	action := "/services/" + itoa(support.ID) + "/one-off"
	for path, r := range map[string]*response{"/services": c.get("/services"), "card": page} {
		if got := r.Find("#one-off form").AttrOr("action", ""); got != action {
			t.Errorf("%s: the offer posts to %q", path, got)
		}
	}
	buy := func(key string) *response {
		return c.post("/services/"+itoa(support.ID)+"/one-off", url.Values{"key": {key}})
	}
	// Not enough money: the form says how much is missing, and nothing is bought.
	ctx := context.Background()
	e.Store.Post(ctx, db.Entry{CompanyServiceID: support.ID, Amount: -(support.Balance - 100000), Source: db.SourceCorrection, IdempotencyKey: "drain"})
	r := buy(strings.Repeat("b", 32))
	if r.Status != http.StatusUnprocessableEntity || r.Text("#one-off-error") !=
		"На балансе техподдержки не хватает 500,00 ₽. Пополните баланс: создайте счёт в разделе «Документы»." {
		t.Errorf("short of money: %d %q", r.Status, r.Text("#one-off-error"))
	}
	if got := r.Find("#one-off-error a").AttrOr("href", ""); got != "/documents" {
		t.Errorf("the top-up link leads to %q", got)
	}
	// A dispatcher may buy but not create invoices: told whom to ask.
	dispatcher := e.loggedIn("dispatcher", "dispatcher123")
	dpage := dispatcher.get("/services/" + itoa(support.ID))
	r = dispatcher.post(action, url.Values{"key": {dpage.Find(`#one-off input[name="key"]`).AttrOr("value", "")}})
	if got := r.Text("#one-off-error"); !strings.Contains(got, "Пополнить баланс может владелец или бухгалтер компании: счёт создаётся в разделе «Документы».") {
		t.Errorf("short of money, for a dispatcher: %d %q", r.Status, got)
	}
	if got := serviceOf(t, e, 1, db.ServiceSupport); got.Balance != 100000 {
		t.Errorf("balance changed by a refused purchase: %d", got.Balance)
	}
	e.Store.Post(ctx, db.Entry{CompanyServiceID: support.ID, Amount: support.Balance - 100000, Source: db.SourceCorrection, IdempotencyKey: "refill"})

	if r := buy(key); r.Status != http.StatusSeeOther {
		t.Fatalf("buy: %d %s", r.Status, r.Text(".alert"))
	}
	buy(key) // a double click buys once
	after := serviceOf(t, e, 1, db.ServiceSupport)
	if after.Balance != support.Balance-150000 {
		t.Errorf("balance %d → %d", support.Balance, after.Balance)
	}
	// A second one while the first is open is refused, saying until when it lasts.
	lastDay := db.Today(e.Clock.Now(), testutil.Moscow).AddDate(0, 0, db.OneOffDays-1).Format("02.01.2006")
	r = buy(strings.Repeat("d", 32))
	if want := "Разовое обращение уже куплено и действует до " + lastDay + " включительно. Следующее можно купить, когда оно закончится."; r.Status != http.StatusUnprocessableEntity || r.Text("#one-off-error") != want {
		t.Errorf("a second one-off: %d %q, want %q", r.Status, r.Text("#one-off-error"), want)
	}
	if got := serviceOf(t, e, 1, db.ServiceSupport); got.Balance != after.Balance {
		t.Errorf("a refused second one-off charged %d", after.Balance-got.Balance)
	}
	if r := buy("not-a-key"); r.Status != http.StatusNotFound {
		t.Errorf("malformed key: %d", r.Status)
	}
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	if r := c.post("/services/"+itoa(sms.ID)+"/one-off", url.Values{"key": {strings.Repeat("c", 32)}}); r.Status != http.StatusNotFound {
		t.Errorf("one-off on the SMS service: %d", r.Status)
	}
}

// A company outside Russia is not offered the purchase, and a forged post is refused.
func TestOneOffOnlyInRussia(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	tariffs, _ := e.Store.Tariffs(ctx, 2)
	id, err := e.Store.ConnectService(ctx, db.Actor{}, 3, tariffs[0], db.Today(e.Clock.Now(), time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Store.Post(ctx, db.Entry{CompanyServiceID: id, Amount: 1_000_000, Source: db.SourcePayment, IdempotencyKey: "kz-pay"})
	c := e.loggedIn("almaty", "almaty123")
	page := c.get("/services/" + itoa(id))
	if page.Status != http.StatusOK || page.Find("#one-off").Length() != 0 || c.get("/services").Find("#one-off").Length() != 0 {
		t.Errorf("a company in Kazakhstan is offered a one-off request")
	}
	if r := c.post("/services/"+itoa(id)+"/one-off", url.Values{"key": {strings.Repeat("d", 32)}}); r.Status != http.StatusNotFound {
		t.Errorf("forged purchase: %d", r.Status)
	}
	if cs, _ := e.Store.CompanyService(ctx, 3, id); cs.Balance != 1_000_000 {
		t.Errorf("balance changed: %d", cs.Balance)
	}
}

func TestServicePageFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	support := serviceOf(t, e, 1, db.ServiceSupport)
	c := e.loggedIn("taxi", "taxi123")
	path := "/services/" + itoa(support.ID)
	// The demo's one-off request is over; its monthly subscription runs.
	if r := c.get(path + "?status=expired"); r.Find("#subscription-rows tr").Length() != 1 || !strings.Contains(r.Text("#subscription-rows"), "Разовая") {
		t.Errorf("expired filter: %s", r.Text("#subscription-rows"))
	}
	if r := c.get(path + "?status=cancelled"); !strings.Contains(r.Text("#subscription-rows"), "Подписок нет.") {
		t.Errorf("cancelled filter: %s", r.Text("#subscription-rows"))
	}
	r := c.get(path + "?status=active")
	if r.Find("#subscription-rows .st-active").Length() != 1 || strings.Contains(r.Text("#subscription-rows"), "Разовая") {
		t.Errorf("active filter: %s", r.Text("#subscription-rows"))
	}
	// The chips: all and each status, the chosen one current, each linking to its filter.
	var chips []string
	r.Find(".chips a").Each(func(_ int, a *goquery.Selection) {
		chips = append(chips, a.Text()+" "+a.AttrOr("href", "")+" "+a.AttrOr("aria-current", ""))
	})
	if len(chips) != 1+len(db.Statuses) || chips[0] != "Все ?status=#subscriptions " || r.Find(`.chips a[aria-current="page"]`).Text() != "Активна" ||
		r.Find(`.chips a.active`).AttrOr("href", "") != "?status=active#subscriptions" {
		t.Errorf("chips: %q", chips)
	}
	// The summary: the balance, the tariff with its unit, the period.
	if r.Text("#balance") != support.Balance.String() || !strings.Contains(r.Text(".grid3"), support.Tariff.Name) {
		t.Errorf("summary: %q", r.Text(".grid3"))
	}
	for _, bad := range []string{"?from=2026-13-01", "?from=yesterday", "?from=2026-11-10&to=2026-11-01"} {
		r := c.get(path + bad)
		if r.Status != http.StatusOK || r.Text("#period-error") == "" {
			t.Errorf("%s: %d, error %q", bad, r.Status, r.Text("#period-error"))
		}
	}
	if r := c.get(path + "?after=garbage"); r.Status != http.StatusNotFound {
		t.Errorf("malformed cursor: %d", r.Status)
	}
}

// A switched-off service is not the client's to see or buy from.
func TestSwitchedOffServiceIsHidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	support := serviceOf(t, e, 1, db.ServiceSupport)
	c := e.loggedIn("taxi", "taxi123")
	key := c.get("/services/"+itoa(support.ID)).Find(`#one-off input[name="key"]`).AttrOr("value", "")
	admin := e.loggedIn("admin", "admin123")
	form := url.Values{"tariff_id": {itoa(support.Tariff.ID)}, "period_from": {support.PeriodFrom.Format("2006-01-02")}}
	if r := admin.post("/admin/services/"+itoa(support.ID), form); r.Status != http.StatusSeeOther {
		t.Fatalf("switch off: %d %s", r.Status, r.Text(".error"))
	}
	if r := c.get("/services/" + itoa(support.ID)); r.Status != http.StatusNotFound {
		t.Errorf("switched-off service page: %d", r.Status)
	}
	if r := c.post("/services/"+itoa(support.ID)+"/one-off", url.Values{"key": {key}}); r.Status != http.StatusNotFound {
		t.Errorf("purchase on a switched-off service: %d", r.Status)
	}
	if got := serviceOf(t, e, 1, db.ServiceSupport); got.Balance != support.Balance {
		t.Errorf("balance %d → %d", support.Balance, got.Balance)
	}
	if n := c.get("/services").Find(".service-card").Length(); n != 2 {
		t.Errorf("%d cards with support off", n)
	}
}

// A service card shows its latest 20 transactions, newest first; «Показать
// ещё» brings the next 20 as rows for the table, until every one of the
// service's transactions has been shown once.
func TestServiceCardPagesThroughItsTransactions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	c := e.loggedIn("taxi", "taxi123")
	path := "/services/" + itoa(sms.ID)
	first := c.get(path)
	if n := first.Find("#tx-rows tr:not(#tx-more)").Length(); n != 20 {
		t.Fatalf("the card shows %d transactions", n)
	}
	seen := map[string]bool{}
	var last time.Time
	add := func(rows *goquery.Selection) {
		rows.Each(func(_ int, row *goquery.Selection) {
			key := row.Text()
			if seen[key] {
				t.Fatalf("row repeated: %s", key)
			}
			seen[key] = true
			at, err := time.ParseInLocation("02.01.2006 15:04", row.Find("td").First().Text(), testutil.Moscow)
			if err != nil || (!last.IsZero() && at.After(last)) {
				t.Fatalf("row %q out of order after %s", key, last)
			}
			last = at
		})
	}
	add(first.Find("#tx-rows tr:not(#tx-more)"))
	more := first.Find("#tx-more a").AttrOr("hx-get", "")
	for pages := 0; more != "" && pages < 200; pages++ {
		r := c.getWith(more, map[string]string{"HX-Request": "true", "HX-Target": "tx-more"})
		if strings.Contains(r.Body, "<main") {
			t.Fatalf("«Показать ещё» answered a whole page")
		}
		// Rows for the table's body: parsed where they go.
		doc, err := goquery.NewDocumentFromReader(strings.NewReader("<table><tbody>" + r.Body + "</tbody></table>"))
		if err != nil {
			t.Fatal(err)
		}
		rows := doc.Find("tr:not(#tx-more)")
		if rows.Length() == 0 || rows.Length() > 20 {
			t.Fatalf("a page of %d rows", rows.Length())
		}
		add(rows)
		more = doc.Find("#tx-more a").AttrOr("hx-get", "")
	}
	want := e.sqlInt(`SELECT count(*) FROM transactions WHERE company_service_id = ?`, sms.ID)
	if len(seen) != want || want <= 20 {
		t.Errorf("%d rows over the pages, %d in the ledger", len(seen), want)
	}
}

// A company without services on is told whom to ask, and sees its card
// again once one is switched back on.
func TestServicesTabWithoutServices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("almaty", "almaty123")
	e.sqlExec(`UPDATE company_services SET active = 0 WHERE company_id = 3`)
	r := c.get("/services")
	if r.Find(".service-card").Length() != 0 || !strings.Contains(r.Text("main"), "Услуги пока не подключены") {
		t.Fatalf("no services: %q", r.Text("main"))
	}
	e.sqlExec(`UPDATE company_services SET active = 1 WHERE company_id = 3`)
	r = c.get("/services")
	if r.Find(".service-card").Length() != 1 || strings.Contains(r.Text("main"), "Услуги пока не подключены") {
		t.Errorf("one service: %d cards, %q", r.Find(".service-card").Length(), r.Text("main"))
	}
}
