package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

// A user links a chat from «О компании» in the browser: the code appears
// in place, the chat sends it, and the page lists the chat masked.
func TestTelegramLinkInBrowser(t *testing.T) {
	browserTest(t)
	tg := testutil.StartTelegram(t)
	bot, err := jobs.NewTelegramBot(tg.URL, tg.Token)
	if err != nil {
		t.Fatal(err)
	}
	p := testutil.StartPortal(t)
	p.Config.Telegram = bot
	p.Restart()
	ctx := tab(t)
	logIn(t, ctx, p.URL, "taxi", "taxi123")
	do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("contacts-form")), // the owner lands on «О компании»
		chromedp.Click(chromedp.ID("telegram-connect")),
		chromedp.WaitVisible(chromedp.ID("telegram-command")),
	)
	command := run(t, ctx, chromedp.Text(chromedp.ID("telegram-command")))
	code, ok := strings.CutPrefix(command, "/start ")
	if !ok {
		t.Fatalf("command %q", command)
	}
	screenshot(t, ctx, "telegram-code")

	tg.Say(4400116789, "/start "+code, "ru")
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	composer, err := views.NewComposer(cs, p.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := (&jobs.TelegramUpdates{Store: p.Store, Bot: bot}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := (&jobs.Outbox{Store: p.Store, Composer: composer, Telegram: bot}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(p.URL+"/company"), chromedp.WaitVisible(chromedp.ID("telegram-chats")))
	if rows := run(t, ctx, chromedp.Text(chromedp.CSS("#telegram-chats tbody"))); !strings.Contains(rows, "••••6789") {
		t.Errorf("the chats: %q; the bot sent %+v", rows, tg.Sent())
	}
	screenshot(t, ctx, "telegram-linked")

	// A chat whose user was disabled since says it gets nothing.
	disp, err := p.Store.UserByLogin(context.Background(), "dispatcher")
	if err != nil {
		t.Fatal(err)
	}
	code, _, err = p.Store.NewTelegramCode(context.Background(), disp.CompanyID, disp.ID)
	if err != nil {
		t.Fatal(err)
	}
	tg.Say(4400110001, "/start "+code, "ru")
	if err := (&jobs.TelegramUpdates{Store: p.Store, Bot: bot}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Store.SetUserDisabled(context.Background(), db.Actor{}, disp, true); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(p.URL+"/company"), chromedp.WaitVisible(chromedp.ID("telegram-chats")))
	if rows := run(t, ctx, chromedp.Text(chromedp.CSS("#telegram-chats tbody"))); !strings.Contains(rows, "Пользователь отключён — уведомления не приходят") {
		t.Errorf("the chats: %q", rows)
	}
	screenshot(t, ctx, "telegram-user-disabled")
}
