package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// A «Показать ещё» that fails says so where the user is looking, once
// however often it is clicked, and the list stays as it was.
func TestFailedShowMoreSaysSoInView(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Navigate(p.URL+"/transactions"), chromedp.WaitVisible(chromedp.ID("tx-more")))
	rows := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tx-rows tr").length`))
	// The next page's link turned stale, as a cursor the server no longer reads.
	run(t, ctx, chromedp.Evaluate[bool](`(() => {
		const more = document.querySelector("#tx-more a");
		more.setAttribute("hx-get", "/transactions?after=stale");
		htmx.process(more);
		return true;
	})()`))
	for range 2 {
		do(t, ctx, chromedp.Click(chromedp.CSS("#tx-more a")), chromedp.WaitVisible(chromedp.CSS("#part-error .flash")))
	}
	alerts := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#part-error .flash").length`))
	inView := run(t, ctx, chromedp.Evaluate[bool](`(() => {
		const r = document.querySelector("#part-error").getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
	})()`))
	screenshot(t, ctx, "failed-show-more")
	text := run(t, ctx, chromedp.Text(chromedp.ID("part-error")))
	if alerts != 1 || !inView || !strings.Contains(text, "Страница не найдена") {
		t.Errorf("%d alerts, in view %v: %q", alerts, inView, text)
	}
	if after := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tx-rows tr").length`)); after != rows {
		t.Errorf("the list had %d rows, now %d", rows, after)
	}
}
