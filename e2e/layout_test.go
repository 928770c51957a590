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

// On a phone the header shows the company's name in full and the current
// tab in its sideways-scrolling bar, whether the page was loaded or swapped
// in by htmx, and the page does not scroll sideways.
func TestPhoneHeaderShowsCompanyAndCurrentTab(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".tabs")))
	type header struct {
		Tab                    string
		TabLeft, TabRight      float64
		Width, Overflow        float64
		NameWidth, NameVisible float64
	}
	const measure = `(() => {
		const tab = document.querySelector(".tabs a.active"), name = document.querySelector(".brand-text");
		const r = tab.getBoundingClientRect();
		return {Tab: tab.textContent, TabLeft: r.left, TabRight: r.right, Width: innerWidth,
			Overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
			NameWidth: name.scrollWidth, NameVisible: name.clientWidth};
	})()`
	check := func(how string) {
		t.Helper()
		do(t, ctx, settled)
		h := run(t, ctx, chromedp.Evaluate[header](measure))
		if h.Tab != "Обращения в ТП" {
			t.Errorf("%s: the current tab is %q", how, h.Tab)
		}
		if h.TabLeft < 0 || h.TabRight > h.Width {
			t.Errorf("%s: the current tab spans %.0f–%.0f px of a %.0f px screen", how, h.TabLeft, h.TabRight, h.Width)
		}
		if h.NameWidth > h.NameVisible {
			t.Errorf("%s: the company name needs %.0f px and shows %.0f", how, h.NameWidth, h.NameVisible)
		}
		if h.Overflow > 0 {
			t.Errorf("%s: the page scrolls sideways by %.0f px", how, h.Overflow)
		}
	}
	do(t, ctx, chromedp.EmulateViewport(375, 800), chromedp.Navigate(p.URL+"/tickets"), chromedp.WaitVisible(chromedp.CSS(".tabs a.active")))
	check("/tickets loaded")
	screenshot(t, ctx, "header-tickets")
	do(t, ctx,
		chromedp.EmulateViewport(375, 800),
		chromedp.Navigate(p.URL+"/services"),
		chromedp.WaitVisible(chromedp.CSS(".service-card")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/tickets"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.tabs a.active[href="/tickets"]`)),
	)
	check("/tickets opened from its tab")
}
