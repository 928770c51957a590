package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// The owner adds a dispatcher; the generated password is shown once, and the
// new user appears in the list.
func TestOwnerAddsUserInBrowser(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("contacts-form")),
		chromedp.Click(chromedp.CSS(`.tabs a[href="/users"]`)),
		chromedp.WaitVisible(chromedp.ID("add-user")),
		chromedp.SendKeys(chromedp.ID("f-name"), "Мария Ночная"),
		chromedp.SendKeys(chromedp.ID("f-login"), "maria"),
		chromedp.Click(chromedp.CSS("#add-user button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("generated-password")),
	)
	password := run(t, ctx, chromedp.Text(chromedp.ID("generated-password")))
	if len(password) != 14 {
		t.Errorf("generated password %q", password)
	}
	if rows := run(t, ctx, chromedp.Text(chromedp.CSS("table tbody"))); !strings.Contains(rows, "Мария Ночная") {
		t.Errorf("new user not listed: %s", rows)
	}
	// The address bar shows the tab, not the form's target, so a reload is harmless.
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/users") && !strings.Contains(loc, "/users#") {
		t.Errorf("address after adding: %s", loc)
	}
	screenshot(t, ctx, "users")
	do(t, ctx, chromedp.Navigate(p.URL+"/account"), chromedp.WaitVisible(chromedp.ID("password")))
	screenshot(t, ctx, "account")
}

// Typing into the company search refreshes only the table, through htmx.
func TestCompanySearchInBrowser(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "admin", "admin123")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("home-figures")), chromedp.Click(chromedp.CSS(`.tabs a[href="/admin/companies"]`)),
		chromedp.WaitVisible(chromedp.ID("company-rows")))
	screenshot(t, ctx, "admin-companies")
	// A marker on the page survives only if the page is not reloaded.
	run(t, ctx, chromedp.Evaluate[string](`document.body.dataset.marker = "kept"`))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), "Восток"),
		chromedp.WaitNotPresent(chromedp.Search(`//a[text()="Такси Пример"]`)),
	)
	rows := run(t, ctx, chromedp.Text(chromedp.ID("company-rows")))
	if !strings.Contains(rows, "Такси Восток") || strings.Contains(rows, "Алма") {
		t.Errorf("rows after search: %s", rows)
	}
	if marker := run(t, ctx, chromedp.Evaluate[string](`document.body.dataset.marker`)); marker != "kept" {
		t.Error("the search reloaded the whole page")
	}
	do(t, ctx, chromedp.Click(chromedp.Search(`//a[text()="Такси Восток"]`)), chromedp.WaitVisible(chromedp.ID("users")))
	screenshot(t, ctx, "admin-company")
	do(t, ctx, chromedp.Click(chromedp.Search(`//a[text()="СМС"]`)), chromedp.WaitVisible(chromedp.ID("correction")))
	screenshot(t, ctx, "admin-service")
	do(t, ctx, chromedp.Navigate(p.URL+"/admin/audit"), chromedp.WaitVisible(chromedp.ID("audit-rows")))
	screenshot(t, ctx, "admin-audit")
}
