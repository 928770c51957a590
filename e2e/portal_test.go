package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// The owner of «Такси Пример» changes the notification e-mail through the
// form, sees it kept after a reload, and logs out.
func TestCompanyNotificationEmailIsSavedAndLoggedOut(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("contacts-form")))
	if got := run(t, ctx, chromedp.Value(chromedp.ID("email-0"))); got != "dispatch@taxi-primer.example" {
		t.Fatalf("notification e-mail before the change = %q", got)
	}
	screenshot(t, ctx, "company")

	// A bad address comes back with the error beside the field and the typed text kept.
	do(t, ctx,
		chromedp.Clear(chromedp.ID("email-0")),
		chromedp.SendKeys(chromedp.ID("email-0"), "dispatch-at-taxi"),
		chromedp.Click(chromedp.CSS("#contacts-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#email-0 ~ .error")),
	)
	if msg := run(t, ctx, chromedp.Text(chromedp.CSS("#email-0 ~ .error"))); msg != "Введите адрес в виде name@example.ru." {
		t.Errorf("error beside the field = %q", msg)
	}
	if got := run(t, ctx, chromedp.Value(chromedp.ID("email-0"))); got != "dispatch-at-taxi" {
		t.Errorf("typed value not kept: %q", got)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/company") {
		t.Errorf("address after a refused form: %s", loc)
	}
	screenshot(t, ctx, "company-error")

	do(t, ctx,
		chromedp.Clear(chromedp.ID("email-0")),
		chromedp.SendKeys(chromedp.ID("email-0"), "office@taxi-primer.example"),
		chromedp.Click(chromedp.CSS("#contacts-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if flash := run(t, ctx, chromedp.Text(chromedp.CSS(".flash"))); !strings.Contains(flash, "сохранены") {
		t.Errorf("flash after saving = %q", flash)
	}
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("contacts-form")))
	if got := run(t, ctx, chromedp.Value(chromedp.ID("email-0"))); got != "office@taxi-primer.example" {
		t.Fatalf("notification e-mail after reload = %q", got)
	}
	nc, err := p.Store.CompanyContacts(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(nc.Emails, []string{"office@taxi-primer.example"}) {
		t.Errorf("stored e-mails = %v", nc.Emails)
	}

	do(t, ctx,
		chromedp.Click(chromedp.CSS(".usermenu summary")),
		chromedp.Click(chromedp.CSS(".usermenu-pop button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("f-login")),
	)
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/login") {
		t.Errorf("after logout the browser is at %s", loc)
	}
	// The session is gone: the company tab asks for a login again.
	do(t, ctx, chromedp.Navigate(p.URL+"/company"), chromedp.WaitVisible(chromedp.ID("f-login")))
}

// A wrong password keeps the user on the login page with a clear message.
func TestWrongPasswordShowsError(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "not-the-password")
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("login-error")))
	if msg := run(t, ctx, chromedp.Text(chromedp.ID("login-error"))); msg != "Неверный логин или пароль." {
		t.Errorf("error shown = %q", msg)
	}
	if login := run(t, ctx, chromedp.Value(chromedp.ID("f-login"))); login != "taxi" {
		t.Errorf("typed login not kept: %q", login)
	}
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/login") {
		t.Errorf("browser left the login page: %s", loc)
	}
	screenshot(t, ctx, "login-error")
}
