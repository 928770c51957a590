package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

// telegramRig is the demo's store with a fake Bot API, the poller and the
// outbox delivering to it (e-mail and SMS not configured).
type telegramRig struct {
	store  *db.Store
	clock  *testutil.Clock
	tg     *testutil.Telegram
	bot    *jobs.TelegramBot
	outbox *jobs.Outbox
}

func newTelegramRig(t *testing.T) *telegramRig {
	t.Helper()
	store, clock := testutil.OpenDemo(t)
	tg := testutil.StartTelegram(t)
	bot, err := jobs.NewTelegramBot(tg.URL, tg.Token)
	if err != nil {
		t.Fatal(err)
	}
	return &telegramRig{store: store, clock: clock, tg: tg, bot: bot,
		outbox: &jobs.Outbox{Store: store, Composer: composer(t), Telegram: bot, Log: quietLog()}}
}

// poll reads what the chats sent, as the job does after a restart: a new
// poller each time, with only the database remembering.
func (r *telegramRig) poll(t *testing.T) {
	t.Helper()
	if err := (&jobs.TelegramUpdates{Store: r.store, Bot: r.bot, Log: quietLog()}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (r *telegramRig) deliver(t *testing.T) {
	t.Helper()
	if err := r.outbox.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// link has the user's chat send a fresh code, as a user does with the link.
func (r *telegramRig) link(t *testing.T, login string, chat int64) {
	t.Helper()
	u, err := r.store.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := r.store.NewTelegramCode(context.Background(), u.CompanyID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.tg.Say(chat, "/start "+code, "ru")
	r.poll(t)
}

// chatNotices are the notices written for the chat, oldest first.
func (r *telegramRig) chatNotices(t *testing.T, chat int64) []db.Notice {
	t.Helper()
	all, err := r.store.ListNotices(context.Background(), db.NoticeFilter{Channel: db.ChannelTelegram, Recipient: strconv.FormatInt(chat, 10), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	return all
}

func sentTo(tg *testutil.Telegram, chat int64) []string {
	var out []string
	for _, m := range tg.Sent() {
		if m.ChatID == strconv.FormatInt(chat, 10) {
			out = append(out, m.Text)
		}
	}
	return out
}

// The balance alert reaches each linked chat in the language of the user
// who linked it; a disabled user's chat gets nothing; updates are read
// once across restarts.
func TestTelegramBalanceAlertInTheLinkingUsersLanguage(t *testing.T) {
	ctx := context.Background()
	r := newTelegramRig(t)
	dispatcher, _ := r.store.UserByLogin(ctx, "dispatcher")
	if err := r.store.SetUserLanguage(ctx, dispatcher.ID, "en"); err != nil {
		t.Fatal(err)
	}
	r.link(t, "taxi", 100000001)
	r.link(t, "dispatcher", 100000002)
	r.link(t, "buh", 100000003)
	buh, _ := r.store.UserByLogin(ctx, "buh")
	if err := r.store.SetUserDisabled(ctx, db.Actor{}, buh, true); err != nil {
		t.Fatal(err)
	}
	r.poll(t) // nothing new: the offset is in the database
	r.deliver(t)
	if got := sentTo(r.tg, 100000002); len(got) != 1 || !strings.HasPrefix(got[0], "Done: ELK notifications of «Такси Пример» will come here") {
		t.Fatalf("the dispatcher's chat got %q", got)
	}
	if got := sentTo(r.tg, 100000001); len(got) != 1 || !strings.HasPrefix(got[0], "Готово: сюда будут приходить уведомления ELK компании «Такси Пример»") {
		t.Fatalf("the owner's chat got %q", got)
	}

	crossSMSThreshold(t, r.store, "telegram-alert")
	r.deliver(t)
	balance := notice(t, r.store, db.ChannelEmail).Params.Balance.String()
	ru, en := sentTo(r.tg, 100000001), sentTo(r.tg, 100000002)
	if len(ru) != 2 || !strings.HasPrefix(ru[1], "Баланс СМС ниже порога: "+balance+"\n\nНа балансе СМС компании «Такси Пример»") ||
		!strings.Contains(ru[1], "Открыть личный кабинет: https://lk.example.ru/services/") {
		t.Errorf("the owner's chat got %q", ru)
	}
	if len(en) != 2 || !strings.HasPrefix(en[1], "SMS balance below the threshold: ") || !strings.Contains(en[1], "Open the client portal: https://lk.example.ru/services/") {
		t.Errorf("the dispatcher's chat got %q", en)
	}
	if got := r.chatNotices(t, 100000003); len(got) != 1 {
		t.Errorf("the disabled user's chat: %d notices, want only the answer to its link", len(got))
	}
}

// Telegram's 429 puts the message off for retry_after seconds without
// counting toward giving it up; a 5xx is retried with the usual backoff.
func TestTelegramRetryAfterIsHonoured(t *testing.T) {
	r := newTelegramRig(t)
	r.outbox.MaxAttempts = 2
	r.link(t, "taxi", 100000001)
	r.tg.Answer(100000001, testutil.TelegramAnswer{Status: http.StatusTooManyRequests, Description: "Too Many Requests: retry after 30", RetryAfter: 30},
		testutil.TelegramAnswer{Status: http.StatusTooManyRequests, Description: "Too Many Requests: retry after 30", RetryAfter: 30},
		testutil.TelegramAnswer{Status: http.StatusBadGateway, Description: "Bad Gateway"})
	check := func(wantRequests, wantAttempts int, wantStatus string, wantNext time.Duration) {
		t.Helper()
		n := r.chatNotices(t, 100000001)[0]
		if r.tg.SendRequests() != wantRequests || n.Attempts != wantAttempts || n.Status != wantStatus ||
			wantNext > 0 && !n.NextAttemptAt.Equal(r.clock.Now().Add(wantNext).Truncate(time.Millisecond)) {
			t.Fatalf("after %d requests (want %d): %+v", r.tg.SendRequests(), wantRequests, n)
		}
	}
	r.deliver(t)
	check(1, 0, db.NoticePending, 30*time.Second)
	r.clock.Advance(29 * time.Second)
	r.deliver(t)
	check(1, 0, db.NoticePending, time.Second) // not before Telegram allows
	r.clock.Advance(time.Second)
	r.deliver(t)
	check(2, 0, db.NoticePending, 30*time.Second) // twice asked to wait, still not one attempt spent
	r.clock.Advance(30 * time.Second)
	r.deliver(t)
	check(3, 1, db.NoticePending, 30*time.Second) // a 502 is an attempt, retried after the backoff
	r.clock.Advance(30 * time.Second)
	r.deliver(t)
	check(4, 2, db.NoticeSent, 0)
	if got := sentTo(r.tg, 100000001); len(got) != 1 {
		t.Errorf("the chat got %d messages, want 1", len(got))
	}
}

// A chat that blocked the bot (403) fails the notice at once with a clear
// reason and is marked: nothing more is written for it until it is linked
// again. Other refusals fail at once too, and the token is in no stored error.
func TestTelegramBlockedChatGetsNoMore(t *testing.T) {
	ctx := context.Background()
	r := newTelegramRig(t)
	r.link(t, "taxi", 100000001)
	r.link(t, "dispatcher", -100200300400) // a group
	r.tg.Answer(100000001, testutil.TelegramAnswer{Status: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"})
	r.tg.Answer(-100200300400, testutil.TelegramAnswer{Status: http.StatusBadRequest, Description: "Bad Request: chat not found for bot" + r.tg.Token})
	r.deliver(t)
	blocked, refused := r.chatNotices(t, 100000001)[0], r.chatNotices(t, -100200300400)[0]
	if blocked.Status != db.NoticeFailed || blocked.Attempts != 1 || !strings.Contains(blocked.LastError, jobs.ErrChatBlocked.Error()) {
		t.Errorf("the blocked chat's notice: %+v", blocked)
	}
	if refused.Status != db.NoticeFailed || refused.Attempts != 1 || !strings.Contains(refused.LastError, "chat not found for bot***") {
		t.Errorf("the refused notice: %+v", refused)
	}
	links, err := r.store.TelegramLinks(ctx, taxiPrimer)
	if err != nil || len(links) != 2 {
		t.Fatalf("links %+v, %v", links, err)
	}
	for _, l := range links {
		if (l.ChatID == 100000001) != (l.BlockedAt != nil) {
			t.Errorf("link %+v", l)
		}
	}

	crossSMSThreshold(t, r.store, "telegram-blocked")
	if got := r.chatNotices(t, 100000001); len(got) != 1 {
		t.Errorf("the blocked chat has %d notices, want only the first", len(got))
	}
	if got := r.chatNotices(t, -100200300400); len(got) != 2 {
		t.Errorf("the group has %d notices, want the alert too", len(got))
	}
	// Linked again, it takes notices again.
	r.link(t, "taxi", 100000001)
	if links, _ := r.store.TelegramLinks(ctx, taxiPrimer); links[0].BlockedAt != nil && links[1].BlockedAt != nil {
		t.Errorf("links after linking again: %+v", links)
	}

	// Telegram unreachable: the error names the host, not the URL with the token.
	down, _ := jobs.NewTelegramBot("http://127.0.0.1:1", r.tg.Token)
	r.outbox.Telegram = down
	r.deliver(t)
	all, err := r.store.ListNotices(ctx, db.NoticeFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	failedOnce := 0
	for _, n := range all {
		if strings.Contains(n.LastError, r.tg.Token) || strings.Contains(n.LastError, "123456:") {
			t.Errorf("notice %d stores the token: %q", n.ID, n.LastError)
		}
		if n.Channel == db.ChannelTelegram && strings.Contains(n.LastError, "127.0.0.1:1") {
			failedOnce++
		}
	}
	if failedOnce == 0 {
		t.Error("no notice tried the unreachable Bot API")
	}
}

// /stop unlinks the chat and says so; a used code and anything else get
// a clear answer; each update is answered once, whatever the restarts.
func TestTelegramStopAndRefusedCodes(t *testing.T) {
	ctx := context.Background()
	r := newTelegramRig(t)
	u, _ := r.store.UserByLogin(ctx, "taxi")
	code, _, err := r.store.NewTelegramCode(ctx, u.CompanyID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.tg.Say(100000001, "/start "+code, "ru")
	r.tg.Say(100000009, "/start "+code, "en")
	r.tg.Say(100000009, "hello", "en")
	r.poll(t)
	r.poll(t)
	r.deliver(t)
	got := strings.Join(sentTo(r.tg, 100000009), "\n---\n")
	if len(sentTo(r.tg, 100000009)) != 2 || !strings.Contains(got, "The code did not work\n\nThis code is wrong, expired or already used.") ||
		!strings.Contains(got, "This is the ELK notification bot") {
		t.Errorf("the other chat got %q", got)
	}
	r.tg.Say(100000001, "/stop", "ru")
	r.poll(t)
	r.deliver(t)
	if got := sentTo(r.tg, 100000001); len(got) != 2 || !strings.HasPrefix(got[1], "Уведомления отключены") {
		t.Errorf("the chat got %q", got)
	}
	if links, err := r.store.TelegramLinks(ctx, taxiPrimer); err != nil || len(links) != 0 {
		t.Errorf("links after /stop: %+v, %v", links, err)
	}
	crossSMSThreshold(t, r.store, "telegram-stopped")
	if got := r.chatNotices(t, 100000001); len(got) != 2 {
		t.Errorf("the unlinked chat has %d notices, want the two answers", len(got))
	}
}

// A poll that fails (here a token Telegram does not know) is not repeated
// every few seconds: the poller rests, longer after each failure.
func TestTelegramPollerRestsAfterFailures(t *testing.T) {
	store, _ := testutil.OpenDemo(t)
	var polls int
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		polls++
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"ok":false,"error_code":401,"description":"Unauthorized"}`))
	}))
	t.Cleanup(api.Close)
	bot, err := jobs.NewTelegramBot(api.URL, "1:wrong")
	if err != nil {
		t.Fatal(err)
	}
	poller := &jobs.TelegramUpdates{Store: store, Bot: bot, Log: quietLog(), Wait: time.Second}
	if err := poller.Run(context.Background()); err == nil {
		t.Fatal("a refused poll reported no error")
	}
	for range 3 {
		if err := poller.Run(context.Background()); err != nil {
			t.Fatalf("a poll while resting: %v", err)
		}
	}
	if polls != 1 {
		t.Errorf("Telegram was asked %d times, want once before the rest ends", polls)
	}
}

// After a quiet week Telegram numbers updates afresh, maybe below the
// stored offset: the poller then asks without an offset and still hears
// /start, and the answer is not taken for one to an earlier update with
// the same id.
func TestTelegramHearsStartAfterAQuietWeek(t *testing.T) {
	ctx := context.Background()
	r := newTelegramRig(t)
	r.tg.RenumberUpdates(4242)
	r.tg.Say(100000007, "hello", "ru")
	r.poll(t)
	r.tg.RenumberUpdates(800000)
	r.tg.Say(100000007, "hello", "ru")
	r.poll(t)
	if offset, err := r.store.TelegramOffset(ctx); err != nil || offset != 800001 {
		t.Fatalf("offset %d, %v", offset, err)
	}

	r.clock.Advance(8 * 24 * time.Hour)
	r.tg.RenumberUpdates(4242)
	u, _ := r.store.UserByLogin(ctx, "taxi")
	code, _, err := r.store.NewTelegramCode(ctx, u.CompanyID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.tg.Say(100000001, "/start "+code, "ru")
	r.poll(t)
	r.poll(t) // the offset is fresh again: nothing is heard twice
	links, err := r.store.TelegramLinks(ctx, taxiPrimer)
	if err != nil || len(links) != 1 || links[0].ChatID != 100000001 {
		t.Fatalf("links %+v, %v", links, err)
	}
	r.deliver(t)
	if got := sentTo(r.tg, 100000001); len(got) != 1 || !strings.HasPrefix(got[0], "Готово") {
		t.Errorf("the chat got %q", got)
	}
	if got := sentTo(r.tg, 100000007); len(got) != 2 {
		t.Errorf("the first chat got %d answers, want 2", len(got))
	}
}

// A refusal that echoes the request's path keeps no part of the token,
// even where the stored text is cut, and none URL-encoded.
func TestTelegramErrorsHideTheTokenBeforeCutting(t *testing.T) {
	const token = "123456:TEST-secret-token-ABCdef"
	for _, body := range []string{
		strings.Repeat("x", 150) + " upstream failed for /bot" + token + "/sendMessage",
		strings.Repeat("x", 150) + " upstream failed for " + url.QueryEscape("/bot"+token) + "/sendMessage",
		strings.Repeat("x", 150) + " upstream failed for %2fbot123456%3aTEST-secret-token-ABCdef/sendMessage",
	} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte(body))
		}))
		bot, err := jobs.NewTelegramBot(api.URL, token)
		if err != nil {
			t.Fatal(err)
		}
		err = bot.SendMessage(context.Background(), "100000001", "text")
		api.Close()
		if err == nil || !strings.Contains(err.Error(), "upstream failed for ") {
			t.Fatalf("the 502's error: %v", err)
		}
		for _, part := range []string{"123456", "TEST-secret", "ABCdef"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("the error shows %q of the token: %v", part, err)
			}
		}
	}
}

// A getMe that Telegram leaves hanging holds up only its own caller: one
// with a deadline (the «Подключить Telegram» page) still gets its answer.
func TestTelegramStalledGetMeBlocksNoOtherCaller(t *testing.T) {
	asked, release := make(chan struct{}, 2), make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		<-release
		w.Write([]byte(`{"ok":true,"result":{"username":"elk_test_bot"}}`))
	}))
	t.Cleanup(api.Close)
	t.Cleanup(func() { close(release) })
	bot, err := jobs.NewTelegramBot(api.URL, "1:token")
	if err != nil {
		t.Fatal(err)
	}
	go bot.Username(context.Background()) // the poller's, without a deadline
	<-asked
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the page's deadline, already past
	done := make(chan error, 1)
	go func() {
		_, err := bot.Username(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a getMe past its deadline reported no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second caller waits for the stalled getMe")
	}
}

// A chat has no attachments: the alert's invoice is named there as issued
// and in Документы, not as attached to the e-mail.
func TestTelegramAlertInvoiceIsNotSaidAttached(t *testing.T) {
	ctx := context.Background()
	r := newTelegramRig(t)
	r.link(t, "taxi", 100000001)
	co, err := r.store.Company(ctx, taxiPrimer)
	if err != nil {
		t.Fatal(err)
	}
	co.AlertInvoice = true
	cancelManualInvoices(t, r.store)
	if err := r.store.UpdateCompany(ctx, db.Actor{Login: "manager"}, co); err != nil {
		t.Fatal(err)
	}
	crossSMSThreshold(t, r.store, "telegram-invoice")
	r.deliver(t)
	p := notice(t, r.store, db.ChannelEmail).Params
	var alert string
	for _, m := range sentTo(r.tg, 100000001) {
		if strings.HasPrefix(m, "Баланс СМС ниже порога") {
			alert = m
		}
	}
	if !strings.Contains(alert, "Выставлен счёт № "+p.Number+" на "+p.Amount.String()+": он в разделе «Документы».\nhttps://lk.example.ru/documents/invoices/") ||
		strings.Contains(alert, "приложен") {
		t.Errorf("the chat got %q", alert)
	}
}
