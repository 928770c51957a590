package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/db"
	"elk/testutil"
)

// The taxi owner opens the SMS statistics, narrows the period, filters the
// failed messages, and sees the chart and the list change.
func TestOwnerReadsSMSStatistics(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/services"]`)),
		chromedp.Click(chromedp.Search(`//a[contains(@class,"service-card")][.//span[text()="СМС"]]`)),
		chromedp.Click(chromedp.ID("sms-stats-link")),
		chromedp.WaitVisible(chromedp.ID("sms-chart")),
	)
	screenshot(t, ctx, "sms-stats")
	keptFrom := db.Today(p.Clock.Now(), testutil.Moscow).AddDate(0, -13, 0).Format("02.01.2006")
	if kept := run(t, ctx, chromedp.Text(chromedp.ID("sms-kept"))); kept != "Список СМС хранится 13 месяцев: с "+keptFrom+"." {
		t.Errorf("how far back the list goes: %q", kept)
	}
	days := func() int { return len(run(t, ctx, chromedp.Nodes(chromedp.CSSAll("#sms-chart title")))) }
	if n := days(); n != 30 {
		t.Errorf("default chart shows %d days, want 30", n)
	}
	totalBefore := run(t, ctx, chromedp.Text(chromedp.ID("sms-total")))

	from := db.Today(p.Clock.Now(), testutil.Moscow).AddDate(0, 0, -1).Format("2006-01-02")
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("f-from"), from),
		chromedp.Click(chromedp.CSS(`#sms-filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-from[value="`+from+`"]`)),
	)
	if n := days(); n != 2 {
		t.Errorf("chart after narrowing shows %d days, want 2", n)
	}
	if total := run(t, ctx, chromedp.Text(chromedp.ID("sms-total"))); total == totalBefore {
		t.Errorf("total did not change with the period: %s", total)
	}

	do(t, ctx,
		chromedp.SetValue(chromedp.ID("f-status"), "failed"),
		chromedp.Click(chromedp.CSS(`#sms-filters button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`#f-status option[value="failed"][selected]`)),
	)
	rows := run(t, ctx, chromedp.Text(chromedp.ID("sms-rows")))
	if strings.Contains(rows, "Доставлено") || !strings.Contains(rows, "Не доставлено") {
		t.Errorf("failed filter shows: %.300s", rows)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "status=failed") || !strings.Contains(loc, "from="+from) {
		t.Errorf("filters not in the address: %s", loc)
	}
	screenshot(t, ctx, "sms-failed")
}
