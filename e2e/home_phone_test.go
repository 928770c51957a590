package e2e

import (
	"database/sql"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// chartTickProblems lists the charts' visible ticks a phone cuts off or
// shrinks below 9 px.
const chartTickProblems = `Array.from(document.querySelectorAll('svg.chart text.tick')).filter(e => getComputedStyle(e).display != 'none').flatMap(e => {
	const svg = e.closest('svg'), scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width, b = e.getBBox();
	const px = parseFloat(getComputedStyle(e).fontSize) * scale, out = [];
	if (b.x < -0.5 || b.x + b.width > svg.viewBox.baseVal.width + 0.5) out.push(svg.id + ' ' + e.textContent + ' cut off at x=' + Math.round(b.x));
	if (px < 9) out.push(svg.id + ' ' + e.textContent + ' at ' + px.toFixed(1) + ' px');
	return out;
})`

// The home's charts keep big peaks whole and their ticks readable on a phone,
// and so does a client's SMS statistics.
func TestChartsReadOnAPhone(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	raw, err := sql.Open("sqlite", p.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`UPDATE sms_manager_days SET delivered = delivered + 125000 WHERE day = (SELECT max(day) FROM sms_manager_days)`,
		`UPDATE payments SET amount = 123456789000 WHERE id = (SELECT max(id) FROM payments)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	ctx := tab(t)
	logIn(t, ctx, p.URL, "admin", "admin123")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("home-figures")))
	for _, width := range []int64{375, 1280} {
		do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(p.URL+"/admin"), chromedp.WaitVisible(chromedp.ID("payments-chart")))
		if bad := run(t, ctx, chromedp.Evaluate[[]string](chartTickProblems)); len(bad) > 0 {
			t.Errorf("home at %d px: %v", width, bad)
		}
	}
	screenshot(t, ctx, "home-big-numbers")
	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client, chromedp.WaitVisible(chromedp.ID("contacts-form")), chromedp.EmulateViewport(375, 900),
		chromedp.Navigate(p.URL+"/services"),
		chromedp.Click(chromedp.Search(`//a[contains(@class,"service-card")][.//span[text()="СМС"]]`)),
		chromedp.Click(chromedp.ID("sms-stats-link")), chromedp.WaitVisible(chromedp.ID("sms-chart")))
	if bad := run(t, client, chromedp.Evaluate[[]string](chartTickProblems)); len(bad) > 0 {
		t.Errorf("SMS statistics at 375 px: %v", bad)
	}
}

// An overdue invoice's two badges wrap in a phone's status cell.
func TestOverdueBadgeStaysOnAPhone(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "admin", "admin123")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("home-figures")), chromedp.EmulateViewport(375, 900),
		chromedp.Navigate(p.URL+"/admin/invoices?overdue=1"), chromedp.WaitVisible(chromedp.CSS("#invoice-rows .badge.overdue")))
	past := run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#invoice-rows .badge')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).map(e => e.textContent)`))
	wide := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
	if len(past) > 0 || wide {
		t.Errorf("badges past the edge %v, the page scrolls sideways: %v", past, wide)
	}
	screenshot(t, ctx, "invoices-overdue")
}
