package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// settled waits until htmx has swapped and settled the page, and so has
// scrolled to the address's anchor.
var settled = chromedp.Poll[chromedp.Void](`!document.querySelector(".htmx-request, .htmx-settling")`)

// landedBelowHeader fails the test unless the page jumped to the anchor so
// that it sits just below the sticky header (or the page ends first), and
// the controls under it are not covered by the header, where a click would
// land on the header instead.
func landedBelowHeader(t *testing.T, ctx context.Context, what, anchor, controls string) {
	t.Helper()
	type landing struct{ Header, Anchor, Controls, ScrollY, MaxScroll float64 }
	do(t, ctx, settled)
	got := run(t, ctx, chromedp.Evaluate[landing](`({
		Header: document.querySelector(".topbar").getBoundingClientRect().bottom,
		Anchor: document.querySelector(`+strconv.Quote(anchor)+`).getBoundingClientRect().top,
		Controls: document.querySelector(`+strconv.Quote(controls)+`).getBoundingClientRect().top,
		ScrollY: scrollY,
		MaxScroll: document.documentElement.scrollHeight - innerHeight,
	})`))
	if got.Anchor < got.Header || got.Controls < got.Header {
		t.Errorf("%s: %s at %.0f px, %s at %.0f px, under the header that ends at %.0f px", what, anchor, got.Anchor, controls, got.Controls, got.Header)
	}
	if got.Anchor > got.Header+40 && got.ScrollY < got.MaxScroll-1 {
		t.Errorf("%s: no jump to %s: it is at %.0f px, the header ends at %.0f px", what, anchor, got.Anchor, got.Header)
	}
}

// A section the page jumps to (#subscriptions after a status chip,
// #transactions after the period filter) lands below the sticky header, so
// the next click on its controls reaches them — on a desktop and a phone.
func TestJumpsLandBelowTheHeader(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	services, err := p.Store.CompanyServices(context.Background(), 1, true)
	if err != nil {
		t.Fatal(err)
	}
	url := p.URL + "/services/" + strconv.FormatInt(services[1].ID, 10)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".tabs")))
	for _, width := range []int64{1280, 375} {
		size := strconv.FormatInt(width, 10) + " px"
		do(t, ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("subscriptions")))
		for _, status := range []string{"active", "expired"} {
			do(t, ctx,
				chromedp.Click(chromedp.CSS(`nav.chips a[href^="?status=`+status+`"]`)),
				chromedp.WaitVisible(chromedp.CSS(`nav.chips a.active[href^="?status=`+status+`"]`)),
			)
			landedBelowHeader(t, ctx, size+" after the chip "+status, "#subscriptions", "nav.chips")
		}
		// The period narrowed twice: from five days ago, then up to yesterday.
		for _, set := range []struct{ name, day string }{
			{"from", p.Clock.Now().AddDate(0, 0, -5).Format("2006-01-02")},
			{"to", p.Clock.Now().AddDate(0, 0, -1).Format("2006-01-02")},
		} {
			do(t, ctx,
				chromedp.SetValue(chromedp.ID("f-"+set.name), set.day),
				chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
				chromedp.WaitVisible(chromedp.CSS(`#f-`+set.name+`[value="`+set.day+`"]`)),
			)
			landedBelowHeader(t, ctx, size+" after the period filter", "#transactions", "form.filters")
			if loc := run(t, ctx, chromedp.Location()); !strings.Contains(loc, set.name+"="+set.day) {
				t.Errorf("%s: the period filter did not apply: %s", size, loc)
			}
		}
	}
}
