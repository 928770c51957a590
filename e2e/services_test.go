package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// acceptDialogs answers "OK" to every confirmation the page asks for.
func acceptDialogs(ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// The taxi owner opens technical support, narrows its transactions to a
// period, then buys a one-off support request and sees the balance fall.
func TestOwnerFiltersServiceTransactionsAndBuysSupportRequest(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	acceptDialogs(ctx)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/services"]`)),
		chromedp.WaitVisible(chromedp.CSS(".service-card")),
	)
	screenshot(t, ctx, "services")
	do(t, ctx,
		chromedp.Click(chromedp.Search(`//a[contains(@class,"service-card")][.//span[text()="Техническая поддержка"]]`)),
		chromedp.WaitVisible(chromedp.ID("balance")),
	)
	before := run(t, ctx, chromedp.Text(chromedp.ID("balance")))
	all := run(t, ctx, chromedp.Text(chromedp.ID("tx-rows")))
	if !strings.Contains(all, "Скидка за задержку ответа") {
		t.Fatalf("the service's transactions lack the correction of nine days ago: %s", all)
	}

	from := p.Clock.Now().AddDate(0, 0, -5).Format("2006-01-02")
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("f-from"), from),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-from[value="`+from+`"]`)),
	)
	// The correction of nine days ago is gone; every row shown is of the period.
	filtered := run(t, ctx, chromedp.Text(chromedp.ID("tx-rows")))
	if strings.Contains(filtered, "Скидка за задержку ответа") {
		t.Errorf("transactions from %s: %s", from, filtered)
	}
	for _, line := range strings.Split(strings.TrimSpace(filtered), "\n") {
		day, err := time.Parse("02.01.2006", strings.Fields(line + " -")[0])
		if err == nil && day.Format("2006-01-02") < from {
			t.Errorf("a row before %s: %s", from, line)
		}
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "from="+from) {
		t.Errorf("the period is not in the address: %s", loc)
	}
	screenshot(t, ctx, "service-support")

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#one-off button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	after := run(t, ctx, chromedp.Text(chromedp.ID("balance")))
	if after == before || !strings.Contains(run(t, ctx, chromedp.Text(chromedp.CSS(".flash"))), "Разовое обращение куплено") {
		t.Errorf("balance %q → %q", before, after)
	}
	if rows := run(t, ctx, chromedp.Text(chromedp.ID("subscription-rows"))); !strings.Contains(rows, "Разовая") {
		t.Errorf("no one-off subscription listed: %s", rows)
	}
	services, _ := p.Store.CompanyServices(context.Background(), 1, true)
	if support := services[1].Balance; before != (support+150000).String() || after != support.String() {
		t.Errorf("balance %q → %q, want %s → %s", before, after, support+150000, support)
	}

	// The Транзакции tab filters without reloading the page and keeps the filter in the address.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.tabs a[href="/transactions"]`)),
		chromedp.WaitVisible(chromedp.ID("tx-results")),
		chromedp.SetValue(chromedp.ID("f-source"), "subscription"),
	)
	run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("f-source").dispatchEvent(new Event("change", {bubbles: true}))`))
	// The CSV link follows the filter in the same swap as the rows; waiting
	// for it, rather than reading it, never catches the swap halfway.
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(wait, chromedp.WaitVisible(chromedp.CSS(`#csv-link[href*="source=subscription"]`))); err != nil {
		t.Fatalf("the CSV link does not follow the filter: %v", err)
	}
	do(t, ctx, chromedp.WaitNotPresent(chromedp.Search(`//tbody[@id="tx-rows"]//span[text()="Отправка СМС"]`)))
	if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, "source=subscription") {
		t.Errorf("filter not in the address: %s", loc)
	}
	if rows := run(t, ctx, chromedp.Text(chromedp.ID("tx-rows"))); !strings.Contains(rows, "Разовое обращение") {
		t.Errorf("the purchase is not among the subscription charges: %s", rows)
	}
	screenshot(t, ctx, "transactions")
}
