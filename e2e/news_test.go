package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/db"
	"elk/testutil"
)

// The bell shows two unread news; opening one brings it to one without a
// reload; a news item full of script runs none of it.
func TestBellAndInertNews(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	now := p.Store.Now().Add(-time.Minute)
	if _, err := p.Store.SaveNews(context.Background(), db.Actor{Login: "manager"}, db.News{
		Title: `<img src=x onerror="window.ran=1">`, Body: "<script>window.ran=1</script>\n\n[нажми](javascript:window.ran=1)\n\n<img src=x onerror=\"window.ran=1\">",
		PublishedAt: &now, Audience: db.AudienceCompanies, CompanyIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	logIn(t, ctx, p.URL, "vostok", "vostok123")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("bell-count")))
	if got := run(t, ctx, chromedp.Text(chromedp.ID("bell-count"))); got != "2" {
		t.Fatalf("the bell shows %q, want 2", got)
	}
	run(t, ctx, chromedp.Evaluate[string](`document.body.dataset.marker = "kept"`))
	do(t, ctx,
		chromedp.Click(chromedp.ID("bell")),
		chromedp.WaitVisible(chromedp.CSS(".news-item.unread")),
	)
	do(t, ctx,
		settled, // a click on a page still settling can go unheard
		chromedp.Click(chromedp.CSS(".news-item.unread h2 a")),
		chromedp.WaitVisible(chromedp.CSS(".news-body")),
	)
	if got := run(t, ctx, chromedp.Text(chromedp.ID("bell-count"))); got != "1" {
		t.Errorf("after opening one the bell shows %q", got)
	}
	if marker := run(t, ctx, chromedp.Evaluate[string](`document.body.dataset.marker`)); marker != "kept" {
		t.Error("the page was reloaded")
	}
	screenshot(t, ctx, "news")

	owner := tab(t)
	logIn(t, owner, p.URL, "taxi", "taxi123")
	do(t, owner,
		chromedp.WaitVisible(chromedp.ID("bell")),
		chromedp.Navigate(p.URL+"/news"),
		chromedp.Click(chromedp.Search(`//article[contains(@class,"news-item")]//a[contains(., "onerror")]`)),
		chromedp.WaitVisible(chromedp.CSS(".news-body")),
	)
	if title := run(t, owner, chromedp.Text(chromedp.CSS(".news-body h1"))); !strings.Contains(title, "onerror") {
		t.Errorf("the title is not shown as text: %q", title)
	}
	time.Sleep(300 * time.Millisecond) // let any image error fire
	if ran := run(t, owner, chromedp.Evaluate[bool](`window.ran === 1`)); ran {
		t.Error("a script from the news ran")
	}
}
