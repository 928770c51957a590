package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"elk/db"
	"elk/db/money"
)

// setBalanceToLast corrects the service's balance so that it lasts days
// days at its recent spending, and returns that spending's daily average.
func setBalanceToLast(t *testing.T, e *env, cs db.CompanyService, days int) money.Kopecks {
	t.Helper()
	ctx := context.Background()
	forecasts, err := e.Store.ServiceForecasts(ctx, cs.CompanyID)
	if err != nil {
		t.Fatal(err)
	}
	daily := forecasts[cs.ID].DailySpend
	if daily == 0 {
		t.Fatal("the demo's SMS service spent nothing in the last two weeks")
	}
	// Half a day more than the days wanted, so that rounding the average
	// cannot tip the whole days either way.
	target := money.Kopecks(days)*daily + daily/2
	if _, _, err := e.Store.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: target - cs.Balance, Source: db.SourceCorrection,
		IdempotencyKey: fmt.Sprintf("forecast-balance-%d", days)}); err != nil {
		t.Fatal(err)
	}
	return daily
}

func TestServicesSayHowLongTheBalanceLasts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	support := serviceOf(t, e, 1, db.ServiceSupport)
	daily := setBalanceToLast(t, e, sms, 21)
	c := e.loggedIn("taxi", "taxi123")

	cards := c.get("/services")
	card := cards.Find("#service-" + itoa(sms.ID) + " .forecast")
	if got := strings.TrimSpace(card.Text()); got != "хватит примерно на 21 день" {
		t.Errorf("SMS card's forecast %q", got)
	}
	if hint := card.AttrOr("title", ""); !strings.Contains(hint, daily.String()+" в день") {
		t.Errorf("the forecast's hint %q does not give the daily spending %s", hint, daily)
	}
	// A subscription's balance is spent once a month: no forecast.
	if n := cards.Find("#service-" + itoa(support.ID) + " .forecast").Length(); n != 0 {
		t.Errorf("the support card has a forecast")
	}

	page := c.get("/services/" + itoa(sms.ID))
	if got := strings.TrimSpace(page.Find("#forecast").Text()); got != "хватит примерно на 21 день" {
		t.Errorf("SMS page's forecast %q", got)
	}
	if !strings.Contains(page.Find("#forecast").Parent().Text(), "при среднем расходе "+daily.String()+" в день за последние две недели") {
		t.Errorf("the SMS page does not say what the forecast rests on: %s", page.Find("#forecast").Parent().Text())
	}

	// In English, and with a balance that lasts less than a day.
	setBalanceTo(t, e, sms, daily/3, "forecast-tiny")
	en := e.loggedIn("taxi", "taxi123")
	en.post("/account/language", url.Values{"lang": {"en"}})
	if got := strings.TrimSpace(en.get("/services").Find("#service-" + itoa(sms.ID) + " .forecast").Text()); got != "lasts less than a day" {
		t.Errorf("English forecast %q", got)
	}

	// A debt lasts no days: the red balance says it, not a forecast.
	setBalanceTo(t, e, sms, -100, "forecast-debt")
	if n := c.get("/services").Find(".forecast").Length(); n != 0 {
		t.Errorf("a debt shows %d forecasts", n)
	}
}

// setBalanceTo corrects the service's balance to balance.
func setBalanceTo(t *testing.T, e *env, cs db.CompanyService, balance money.Kopecks, key string) {
	t.Helper()
	ctx := context.Background()
	now, err := e.Store.CompanyService(ctx, cs.CompanyID, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Store.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: balance - now.Balance, Source: db.SourceCorrection,
		IdempotencyKey: key}); err != nil {
		t.Fatal(err)
	}
}

func TestAPIBalancesGiveDaysLeft(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	setBalanceToLast(t, e, sms, 9)
	status, out := e.apiCall("GET", "/api/v1/balances", "demo-taxi-token", "")
	if status != 200 {
		t.Fatalf("status %d: %v", status, out)
	}
	seen := map[string]bool{}
	for _, item := range out["services"].([]any) {
		b := item.(map[string]any)
		left, present := b["days_left"]
		seen[b["service"].(string)] = true
		switch b["service"] {
		case db.ServiceSMS:
			if left != float64(9) {
				t.Errorf("SMS days_left = %v, want 9", left)
			}
		default:
			if !present || left != nil {
				t.Errorf("%s days_left = %v (present %v), want null", b["service"], left, present)
			}
		}
	}
	if !seen[db.ServiceSMS] || !seen[db.ServiceSupport] {
		t.Errorf("services answered: %v", seen)
	}
}

// A balance that runs out within a week shows its forecast in red.
func TestABalanceRunningOutShowsRed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	c := e.loggedIn("taxi", "taxi123")
	setBalanceToLast(t, e, sms, 8)
	if c.get("/services").Find("#forecast-" + itoa(sms.ID)).HasClass("neg") {
		t.Error("8 days left shows red")
	}
	setBalanceToLast(t, e, serviceOf(t, e, 1, db.ServiceSMS), 7)
	if got := c.get("/services/" + itoa(sms.ID)).Find("#forecast"); !got.HasClass("neg") || strings.TrimSpace(got.Text()) != "хватит примерно на 7 дней" {
		t.Errorf("7 days left: %q, red %v", got.Text(), got.HasClass("neg"))
	}
}
