package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// waitUntil waits for a script to be true, across the page loading anew in
// between (a check that meets no page yet is tried again).
func waitUntil(t *testing.T, ctx context.Context, script string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script)); err == nil && ok {
			return
		}
	}
	at, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("still not true at %s: %s", at, script)
}

// change picks a value in a select as a person would, firing its change event.
func change(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate[bool](`(function (s) { s.value = `+jsString(value)+`; return s.dispatchEvent(new Event("change", {bubbles: true})) })(document.getElementById(`+jsString(id)+`))`))
}

// After two filters and Back, the form shows the filter the rows are for.
func TestBackShowsTheFilterOfTheRows(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	// Opened as a page, so that htmx has taken the filters in before the
	// first change (a click on the tab swaps the page in, and a change
	// made while it settles would go unheard).
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Navigate(p.URL+"/transactions"),
		chromedp.WaitVisible(chromedp.ID("tx-results")),
	)
	tmdrive := run(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#f-service option")).find(o => o.text.includes("TMDrive")).value`))
	change(t, ctx, "f-service", tmdrive)
	waitUntil(t, ctx, `location.search.includes("service=`+tmdrive+`")`)
	change(t, ctx, "f-source", "payment")
	waitUntil(t, ctx, `location.search.includes("source=payment") && document.getElementById("csv-link").href.includes("source=payment")`)

	run(t, ctx, chromedp.Evaluate[bool](`history.back(), true`))
	waitUntil(t, ctx, `!location.search.includes("source=payment") && document.readyState === "complete" && document.getElementById("f-source") !== null && document.getElementById("f-source").value === ""`)
	if got := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("f-service").value`)); got != tmdrive {
		t.Errorf("after Back «Услуга» is %q, want TMDrive (%s)", got, tmdrive)
	}
	rows := run(t, ctx, chromedp.Text(chromedp.ID("tx-rows")))
	if !strings.Contains(rows, "TMDrive") || strings.Contains(rows, "СМС") || strings.Contains(rows, "Техническая поддержка") {
		t.Errorf("after Back the rows are not TMDrive's: %s", rows)
	}
}

// After reading a news item and Back, the list and the bell count it as read.
func TestBackShowsNewsAsRead(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("bell-count")),
		chromedp.Click(chromedp.ID("bell")),
		chromedp.WaitVisible(chromedp.CSS(".news-item.unread")),
	)
	before := run(t, ctx, chromedp.Text(chromedp.ID("bell-count")))
	id := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".news-item.unread").id`))
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#"+id+" h2 a")),
		chromedp.WaitVisible(chromedp.CSS(".news-body")),
	)
	after := run(t, ctx, chromedp.Text(chromedp.ID("bell-count")))
	if after == before {
		t.Fatalf("reading a news item left the bell at %s", before)
	}

	run(t, ctx, chromedp.Evaluate[bool](`history.back(), true`))
	waitUntil(t, ctx, `document.readyState === "complete" && document.querySelector(".news-body") === null && document.getElementById(`+jsString(id)+`) !== null`)
	if got := run(t, ctx, chromedp.Text(chromedp.ID("bell-count"))); got != after {
		t.Errorf("after Back the bell says %s, want %s", got, after)
	}
	if unread := run(t, ctx, chromedp.Evaluate[bool](`document.getElementById(`+jsString(id)+`).classList.contains("unread")`)); unread {
		t.Error("after Back the news item just read is still «Новое»")
	}
}
