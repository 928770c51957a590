package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

// The SMS page tells how far back the list goes. Once the demo's SMS are
// older than that and pruned, their period still shows its chart and
// totals from the daily roll-up, and the list says it is no longer kept;
// with every SMS kept (0 months) the page says nothing of it.
func TestSMSPageTellsHowFarTheListGoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := "/services/" + itoa(serviceOf(t, e, 1, db.ServiceSMS).ID) + "/sms"
	today := db.Today(e.Clock.Now(), testutil.Moscow)
	keptFrom := db.SMSKeptFrom(e.Clock.Now(), 13, testutil.Moscow).Format("02.01.2006")
	r := e.loggedIn("taxi", "taxi123").get(path)
	if got := r.Text("#sms-kept"); got != "Список СМС хранится 13 месяцев: с "+keptFrom+"." {
		t.Errorf("the list's reach: %q", got)
	}
	from, to := today.AddDate(0, 0, -29).Format("2006-01-02"), today.Format("2006-01-02")
	month := path + "?from=" + from + "&to=" + to
	before := e.loggedIn("taxi", "taxi123").get(month)
	total, bars := before.Text("#sms-total"), before.Find("#sms-chart rect.bar").Length()
	if total == "0" || bars == 0 {
		t.Fatalf("the demo's month: %s SMS, %d bars", total, bars)
	}

	// Fourteen months on, the job prunes that month's SMS.
	e.Clock.Set(e.Clock.Now().AddDate(0, 14, 0))
	if err := (jobs.SMSRetention{Store: e.Store, Months: 13}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := e.sqlInt(`SELECT count(*) FROM sms WHERE company_id = 1`); n != 0 {
		t.Fatalf("%d SMS left after pruning", n)
	}
	r = e.loggedIn("taxi", "taxi123").get(month)
	if r.Status != http.StatusOK || r.Text("#sms-total") != total || r.Find("#sms-chart rect.bar").Length() != bars {
		t.Errorf("the pruned month: %d, %s SMS (want %s), %d bars (want %d)", r.Status, r.Text("#sms-total"), total,
			r.Find("#sms-chart rect.bar").Length(), bars)
	}
	if !strings.Contains(r.Text("#sms-rows"), "Список СМС за этот период уже не хранится") {
		t.Errorf("the pruned month's list says %q", r.Text("#sms-rows"))
	}
	// A period across the first kept day says its earlier days are only in the chart.
	first := db.SMSKeptFrom(e.Clock.Now(), 13, testutil.Moscow)
	r = e.loggedIn("taxi", "taxi123").get(path + "?from=" + first.AddDate(0, 0, -1).Format("2006-01-02") + "&to=" + first.Format("2006-01-02"))
	if !strings.HasSuffix(r.Text("#sms-kept"), "Более ранние дни периода — только в графике и итогах.") {
		t.Errorf("a period across the first kept day: %q", r.Text("#sms-kept"))
	}

	e.Config.SMSRawMonths = 0
	e.Restart()
	if r := e.loggedIn("taxi", "taxi123").get(path); r.Status != http.StatusOK || r.Find("#sms-kept").Length() != 0 {
		t.Errorf("every SMS kept: %d, %q", r.Status, r.Text("#sms-kept"))
	}
}
