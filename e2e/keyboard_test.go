package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"elk/testutil"
)

// tabTo presses Tab until the focused element matches the CSS selector, and
// checks that the focus can be seen.
func tabTo(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	for range 60 {
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		if run(t, ctx, chromedp.Evaluate[bool](`document.activeElement.matches(`+jsString(selector)+`)`)) {
			visible := `(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== "none" && s.outlineWidth !== "0px"; })()`
			if !run(t, ctx, chromedp.Evaluate[bool](visible)) {
				t.Errorf("the focus on %s cannot be seen", selector)
			}
			return
		}
	}
	t.Fatalf("Tab never reached %s", selector)
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// A client opens a support ticket with the keyboard alone: logging in, the
// tabs, the form's disclosure, its fields and the button.
func TestKeyboardOnly(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	do(t, ctx,
		chromedp.Navigate(p.URL+"/login"),
		chromedp.WaitVisible(chromedp.ID("f-login")),
		chromedp.KeyEvent("taxi"), // the login field has the focus
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent("taxi123"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
	)
	tabTo(t, ctx, `.tabs a[href="/tickets"]`)
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#new summary")))
	tabTo(t, ctx, "#new summary")
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("ticket-form")))
	tabTo(t, ctx, "#f-subject")
	do(t, ctx, chromedp.KeyEvent("Печать с клавиатуры"))
	tabTo(t, ctx, "#f-body")
	do(t, ctx, chromedp.KeyEvent("Весь путь без мыши."))
	tabTo(t, ctx, `#ticket-form button[type=submit]`)
	do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if h1 := run(t, ctx, chromedp.Text(chromedp.CSS("h1"))); h1 != "Печать с клавиатуры" {
		t.Errorf("after sending by keyboard the page shows %q", h1)
	}
}
