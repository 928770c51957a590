package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

// linkTelegram links a chat for the user straight through the store, as
// the poller does with "/start <code>", and returns the link's id.
func (e *env) linkTelegram(login string, update, chat int64) int64 {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.Store.UserByLogin(ctx, login)
	if err != nil {
		e.t.Fatal(err)
	}
	code, _, err := e.Store.NewTelegramCode(ctx, u.CompanyID, u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.Store.HandleTelegramCommand(ctx, db.TelegramCommand{UpdateID: update, ChatID: chat, Lang: "ru",
		Action: db.TelegramStart, Code: code}); err != nil {
		e.t.Fatal(err)
	}
	return int64(e.sqlInt(`SELECT id FROM telegram_links WHERE company_id = ? AND chat_id = ?`, u.CompanyID, chat))
}

// telegramEnv is the portal with a bot on a fake Bot API, and the two
// jobs that read the chats and deliver the outbox.
type telegramEnv struct {
	*env
	tg     *testutil.Telegram
	poller *jobs.TelegramUpdates
	outbox *jobs.Outbox
}

func newTelegramEnv(t *testing.T) *telegramEnv {
	t.Helper()
	e := newEnv(t)
	tg := testutil.StartTelegram(t)
	bot, err := jobs.NewTelegramBot(tg.URL, tg.Token)
	if err != nil {
		t.Fatal(err)
	}
	e.Config.Telegram = bot
	e.Restart()
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	composer, err := views.NewComposer(cs, e.URL)
	if err != nil {
		t.Fatal(err)
	}
	return &telegramEnv{env: e, tg: tg, poller: &jobs.TelegramUpdates{Store: e.Store, Bot: bot},
		outbox: &jobs.Outbox{Store: e.Store, Composer: composer, Telegram: bot}}
}

// relay runs the poller and the outbox once each, as the jobs do.
func (te *telegramEnv) relay() {
	te.t.Helper()
	ctx := context.Background()
	if err := te.poller.Run(ctx); err != nil {
		te.t.Fatal(err)
	}
	if err := te.outbox.Run(ctx); err != nil {
		te.t.Fatal(err)
	}
}

// A user presses «Подключить Telegram», sends the code from the page to the
// bot, the chat is told it is linked, and the page lists it masked; the
// same code from another chat is refused there.
func TestTelegramLinkFromTheCompanyPage(t *testing.T) {
	t.Parallel()
	te := newTelegramEnv(t)
	c := te.loggedIn("dispatcher", "dispatcher123")
	page := c.get("/company")
	if page.Find("#telegram-connect").Length() != 1 || page.Find("#telegram-code").Length() != 0 {
		t.Fatalf("the page offers no button: %s", page.Text("#telegram"))
	}
	r := c.post("/company/telegram", nil)
	command := r.Text("#telegram-command")
	code, ok := strings.CutPrefix(command, "/start ")
	if r.Status != http.StatusOK || !ok || len(code) < 20 {
		t.Fatalf("%d, command %q", r.Status, command)
	}
	if link := r.Find("#telegram-link").AttrOr("href", ""); link != "https://t.me/elk_test_bot?start="+code {
		t.Errorf("deep link %q", link)
	}
	if want := "Или отправьте боту @elk_test_bot сообщение:"; !strings.Contains(r.Text("#telegram-code"), want) {
		t.Errorf("the instruction: %q", r.Text("#telegram-code"))
	}
	if te.sqlInt(`SELECT count(*) FROM telegram_codes WHERE code_hash = ?`, code) != 0 {
		t.Error("the code is stored as it is")
	}

	te.tg.Say(4400116789, "/start "+code, "en")
	te.relay()
	te.tg.Say(4400110000, "/start "+code, "ru")
	te.relay()
	sent := te.tg.Sent()
	if len(sent) != 2 || sent[0].ChatID != "4400116789" || !strings.HasPrefix(sent[0].Text, "Готово: сюда будут приходить уведомления ELK компании «Такси Пример»") {
		t.Fatalf("the bot sent %+v", sent)
	}
	if sent[1].ChatID != "4400110000" || !strings.HasPrefix(sent[1].Text, "Код не подошёл") {
		t.Errorf("the used code's answer: %+v", sent[1])
	}
	page = c.get("/company")
	rows := page.Find("#telegram-chats tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "••••6789") || !strings.Contains(rows.Text(), "Получает уведомления") ||
		strings.Contains(page.Body, "4400116789") || rows.Find("button").Text() != "Отключить" {
		t.Errorf("the chats: %q", rows.Text())
	}
	// The back office shows the channel and the chat masked.
	admin := te.loggedIn("admin", "admin123")
	out := admin.get("/admin/outbox?channel=telegram")
	if got := out.Text("#outbox-rows"); !strings.Contains(got, "Telegram") || !strings.Contains(got, "••••6789") || strings.Contains(out.Body, "4400116789") {
		t.Errorf("the outbox: %q", got)
	}
}

// Without a bot the page says the vendor has not set Telegram up, and the
// button's route says so too.
func TestTelegramNotSetUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	page := c.get("/company")
	if page.Find("#telegram-connect").Length() != 0 || !strings.Contains(page.Text("#telegram-off"), "Telegram не настроен поставщиком") {
		t.Errorf("the Telegram card: %q", page.Text("#telegram"))
	}
	r := c.post("/company/telegram", nil)
	if r.Status != http.StatusSeeOther || e.sqlInt(`SELECT count(*) FROM telegram_codes`) != 0 {
		t.Errorf("%d, codes %d", r.Status, e.sqlInt(`SELECT count(*) FROM telegram_codes`))
	}
	if got := c.follow(r.Location()).Text(".flash"); !strings.Contains(got, "Telegram не настроен") {
		t.Errorf("flash %q", got)
	}
}

// A user unlinks their own chat, not another's; the owner unlinks any of
// the company's; another company's link is a 404 with nothing changed.
func TestTelegramUnlinkFromThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owners := e.linkTelegram("taxi", 1, 111111111)
	dispatchers := e.linkTelegram("dispatcher", 2, 222222222)
	others := e.linkTelegram("vostok", 3, 333333333)
	links := func() int { return e.sqlInt(`SELECT count(*) FROM telegram_links`) }

	if err := e.Store.TelegramChatBlocked(context.Background(), "111111111"); err != nil {
		t.Fatal(err)
	}
	dispatcher := e.loggedIn("dispatcher", "dispatcher123")
	page := dispatcher.get("/company")
	if got := page.Find("#telegram-chats form").Length(); got != 1 {
		t.Errorf("the dispatcher may unlink %d chats, want their own", got)
	}
	if got := page.Text("#telegram-chats tbody"); !strings.Contains(got, "Бот заблокирован в чате") || !strings.Contains(got, "Получает уведомления") {
		t.Errorf("the chats' states: %q", got)
	}
	if r := dispatcher.post(fmt.Sprintf("/company/telegram/%d/remove", owners), nil); r.Status != http.StatusForbidden ||
		!strings.Contains(r.Text("main"), "только владелец") || links() != 3 {
		t.Errorf("another's chat: %d %q, links %d", r.Status, r.Text("main"), links())
	}
	owner := e.loggedIn("taxi", "taxi123")
	for _, c := range []*client{dispatcher, owner} {
		if r := c.post(fmt.Sprintf("/company/telegram/%d/remove", others), nil); r.Status != http.StatusNotFound || links() != 3 {
			t.Errorf("another company's chat: %d, links %d", r.Status, links())
		}
	}
	if r := dispatcher.post(fmt.Sprintf("/company/telegram/%d/remove", dispatchers), nil); r.Status != http.StatusSeeOther || links() != 2 {
		t.Errorf("their own chat: %d, links %d", r.Status, links())
	}
	if r := owner.post(fmt.Sprintf("/company/telegram/%d/remove", owners), url.Values{}); r.Status != http.StatusSeeOther || links() != 1 {
		t.Errorf("the owner's: %d, links %d", r.Status, links())
	}
	if got := owner.follow("/company").Text(".flash"); got != "Чат отключён от уведомлений." {
		t.Errorf("flash %q", got)
	}
	if e.sqlInt(`SELECT count(*) FROM audit_log WHERE action = 'telegram_unlinked' AND details = '••••2222'`) != 1 {
		t.Error("the unlinking is not in the audit log")
	}
}

// A chat that blocked the bot reads as such in Russian: to staff in the
// outbox, to the client on the chat's row; the token shows nowhere.
func TestTelegramBlockedChatReadsInRussian(t *testing.T) {
	t.Parallel()
	te := newTelegramEnv(t)
	te.linkTelegram("taxi", 1, 5550001234)
	te.tg.Answer(5550001234, testutil.TelegramAnswer{Status: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"})
	te.relay()
	staff := te.loggedIn("manager", "manager123").get("/admin/outbox?channel=telegram")
	if got := staff.Text("#outbox-rows"); !strings.Contains(got, "Бот заблокирован в чате или удалён из него") || !strings.Contains(got, "••••1234") {
		t.Errorf("staff see %q", got)
	}
	page := te.loggedIn("taxi", "taxi123").get("/company")
	if got := page.Text("#telegram-chats tbody"); !strings.Contains(got, "Бот заблокирован в чате") {
		t.Errorf("the client sees %q", got)
	}
	// The company's card in the back office lists the chat, masked, and why it gets nothing.
	card := te.loggedIn("manager", "manager123").get("/admin/companies/1")
	if got := card.Text("#admin-telegram"); !strings.Contains(got, "••••1234 · Павел Орлов") || !strings.Contains(got, "Бот заблокирован в чате") {
		t.Errorf("the company card shows %q", got)
	}
	for _, body := range []string{staff.Body, page.Body, card.Body} {
		if strings.Contains(body, te.tg.Token) || strings.Contains(body, "5550001234") {
			t.Error("a page shows the token or the whole chat id")
		}
	}
}

// «Отправить снова» does not send a company's notice to a chat that no
// longer takes it: blocked, or unlinked; linked again, it may.
func TestResendRefusesAChatNoLongerLinked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.linkTelegram("dispatcher", 1, 700000001)
	support, err := e.Store.UserByLogin(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	tickets, err := e.Store.CompanyTickets(ctx, 1, "")
	if err != nil || len(tickets) == 0 {
		t.Fatalf("tickets: %v", err)
	}
	if err := e.Store.StaffReply(ctx, db.Actor{UserID: support.ID, Login: support.Login}, tickets[0].ID, db.MessageStaff, "Готово", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	id := e.sqlInt(`SELECT id FROM outbox WHERE channel = 'telegram' AND recipient = '700000001' AND kind = ?`, db.NoticeTicketReply)
	e.sqlExec(fmt.Sprintf(`UPDATE outbox SET status = 'failed', last_error = 'Telegram answered 403' WHERE id = %d`, id))
	admin := e.loggedIn("admin", "admin123")
	resend := func(want string) {
		t.Helper()
		page := admin.follow(admin.post(fmt.Sprintf("/admin/outbox/%d/resend", id), nil).Location())
		n, err := e.Store.Notice(ctx, int64(id))
		if err != nil {
			t.Fatal(err)
		}
		if status := n.Status; status != want {
			t.Errorf("after the resend the notice is %s, want %s (flash %q)", status, want, page.Text(".flash"))
		}
		if want == db.NoticeFailed && !strings.HasPrefix(page.Text(".flash.err"), "Нельзя отправить снова: чат Telegram больше не получает") {
			t.Errorf("flash %q", page.Text(".flash"))
		}
	}

	if err := e.Store.TelegramChatBlocked(ctx, "700000001"); err != nil {
		t.Fatal(err)
	}
	resend(db.NoticeFailed)
	e.linkTelegram("dispatcher", 2, 700000001) // blocked, then linked again
	resend(db.NoticePending)

	e.sqlExec(fmt.Sprintf(`UPDATE outbox SET status = 'failed' WHERE id = %d`, id))
	e.sqlExec(`DELETE FROM telegram_links WHERE chat_id = 700000001`)
	resend(db.NoticeFailed)
}

// A chat linked by a user disabled since says it gets nothing, on «О
// компании» and in the back office.
func TestDisabledUsersChatSaysItGetsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.linkTelegram("dispatcher", 1, 710000001)
	e.linkTelegram("taxi", 2, 710000002)
	dispatcher, err := e.Store.UserByLogin(ctx, "dispatcher")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetUserDisabled(ctx, db.Actor{}, dispatcher, true); err != nil {
		t.Fatal(err)
	}
	rows := e.loggedIn("taxi", "taxi123").get("/company").Find("#telegram-chats tbody tr")
	for i := range rows.Length() {
		row := rows.Eq(i).Text()
		disabled := strings.Contains(row, "••••0001")
		if strings.Contains(row, "Получает уведомления") == disabled || strings.Contains(row, "Пользователь отключён — уведомления не приходят") != disabled {
			t.Errorf("row %q", row)
		}
	}
	if got := e.loggedIn("admin", "admin123").get("/admin/companies/1").Text("#admin-telegram"); !strings.Contains(got, "Пользователь отключён") {
		t.Errorf("the back office shows %q", got)
	}
}
