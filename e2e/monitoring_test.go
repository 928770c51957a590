package e2e

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/jobs"
	"elk/testutil"
)

// runMonitoring runs the monitoring job over the portal, quick to start.
func runMonitoring(t *testing.T, p *testutil.Portal) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := jobs.Start(context.Background(), log,
		&jobs.Monitoring{Store: p.Store, Log: log, Spread: 50 * time.Millisecond, Reload: 300 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		runner.Stop(ctx)
	})
}

// The manager puts the portal's own health page on «Такси Пример»'s
// monitoring; the owner's Мониторинг tab shows it up without a reload.
func TestServerAddedInTheBackOfficeShowsUpOnTheTab(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	runMonitoring(t, p)

	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/monitoring"]`)),
		chromedp.WaitVisible(chromedp.ID("monitor-cards")),
	)
	run(t, client, chromedp.Evaluate[string](`document.body.dataset.marker = "kept"`))

	staff := tab(t)
	logIn(t, staff, p.URL, "manager", "manager123")
	do(t, staff,
		chromedp.WaitVisible(chromedp.ID("home-figures")), // staff land on the back office's home
		chromedp.Navigate(p.URL+"/admin/companies/1/monitoring"),
		chromedp.WaitVisible(chromedp.ID("monitor-form")),
		chromedp.SendKeys(chromedp.ID("f-name"), "Веб-сервер"),
		chromedp.SetValue(chromedp.ID("f-check_type"), "http"),
		chromedp.SendKeys(chromedp.ID("f-target"), p.URL+"/healthz"),
		chromedp.SetValue(chromedp.ID("f-interval"), "10"),
		chromedp.SendKeys(chromedp.ID("f-expect_word"), "ok"),
		chromedp.Click(chromedp.CSS(`#monitor-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	screenshot(t, staff, "admin-monitoring")

	// Within an interval and a refresh the new card says it works.
	ctx, cancel := context.WithTimeout(client, 25*time.Second)
	defer cancel()
	do(t, ctx, chromedp.WaitVisible(chromedp.Search(`//section[contains(@class,"monitor")][.//h2[text()="Веб-сервер"]]//span[text()="Работает"]`)))
	if marker := run(t, client, chromedp.Evaluate[string](`document.body.dataset.marker`)); marker != "kept" {
		t.Error("the page was reloaded instead of refreshed in place")
	}
	cards := run(t, client, chromedp.Text(chromedp.ID("monitor-cards")))
	if !strings.Contains(cards, "Сервер сообщений") || !strings.Contains(cards, "Недоступен") || !strings.Contains(cards, "мс") {
		t.Errorf("the cards: %s", cards)
	}
	if incidents := run(t, client, chromedp.Text(chromedp.ID("incidents"))); incidents == "" {
		t.Error("no incidents section")
	}
	screenshot(t, client, "monitoring")
}
