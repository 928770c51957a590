package db_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// linkChat issues a code for the user and sends it from the chat, as the
// poller does with an update.
func linkChat(t *testing.T, s *db.Store, login string, update, chat int64) int64 {
	t.Helper()
	ctx := context.Background()
	u, err := s.UserByLogin(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := s.NewTelegramCode(ctx, u.CompanyID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	company, err := s.HandleTelegramCommand(ctx, db.TelegramCommand{UpdateID: update, ChatID: chat, Lang: "ru", Action: db.TelegramStart, Code: code})
	if err != nil || company != u.CompanyID {
		t.Fatalf("link %s: company %d, %v", login, company, err)
	}
	return u.CompanyID
}

// lastReply is the kind of the bot's latest answer to the chat.
func lastReply(t *testing.T, s *db.Store, chat string) db.Notice {
	t.Helper()
	all, err := s.ListNotices(context.Background(), db.NoticeFilter{Channel: db.ChannelTelegram, Recipient: chat, Limit: 1})
	if err != nil || len(all) == 0 {
		t.Fatalf("no answer to %s: %v", chat, err)
	}
	return all[0]
}

// A code links one chat once, within its life; a second use, an expired or
// a made-up code is refused in the sender's language, and the offset moves
// past every update either way.
func TestTelegramCodeLinksOnceWithinItsLife(t *testing.T) {
	s, clock := testutil.OpenDemo(t)
	ctx := context.Background()
	u, err := s.UserByLogin(ctx, "taxi")
	if err != nil {
		t.Fatal(err)
	}
	code, expires, err := s.NewTelegramCode(ctx, u.CompanyID, u.ID)
	if err != nil || !expires.Equal(clock.Now().Add(db.TelegramCodeLife)) {
		t.Fatalf("code expires %v, %v", expires, err)
	}
	start := func(update, chat int64, code, lang string) int64 {
		t.Helper()
		company, err := s.HandleTelegramCommand(ctx, db.TelegramCommand{UpdateID: update, ChatID: chat, Lang: lang, Action: db.TelegramStart, Code: code})
		if err != nil {
			t.Fatal(err)
		}
		return company
	}
	if got := start(10, 555000111, code, "en"); got != u.CompanyID {
		t.Fatalf("the code linked company %d", got)
	}
	if r := lastReply(t, s, "555000111"); r.Kind != db.NoticeTelegramLinked || r.Lang != u.Lang || r.CompanyID != u.CompanyID {
		t.Errorf("answer to the link: %+v", r)
	}
	if got := start(11, 555000222, code, "en"); got != 0 {
		t.Error("a used code linked another chat")
	}
	if r := lastReply(t, s, "555000222"); r.Kind != db.NoticeTelegramRefused || r.Lang != "en" || r.CompanyID != 0 {
		t.Errorf("answer to a used code: %+v", r)
	}
	late, _, _ := s.NewTelegramCode(ctx, u.CompanyID, u.ID)
	clock.Advance(db.TelegramCodeLife)
	if start(12, 555000333, late, "ru") != 0 || start(13, 555000333, "NOTACODE", "ru") != 0 {
		t.Error("an expired or made-up code linked a chat")
	}
	if offset, err := s.TelegramOffset(ctx); err != nil || offset != 14 {
		t.Errorf("offset %d, %v", offset, err)
	}
	links, err := s.TelegramLinks(ctx, u.CompanyID)
	if err != nil || len(links) != 1 || links[0].ChatID != 555000111 || links[0].UserName != u.Name {
		t.Errorf("links %+v, %v", links, err)
	}
}

// Migration 21 taken back keeps every e-mail and SMS notice and drops the
// Telegram ones; applied again, the portal works as before.
func TestTelegramMigrationTakesBack(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s := testutil.Open(t, path, testutil.NewClock(t))
	if _, err := s.EnqueueTestEmail(ctx, db.Actor{}, "check@taxisoft.example", "ru"); err != nil {
		t.Fatal(err)
	}
	linkChat(t, s, "taxi", 1, 987654321)
	all, err := s.ListNotices(ctx, db.NoticeFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	others := 0
	for _, n := range all {
		if n.Channel != db.ChannelTelegram {
			others++
		}
	}
	if others == len(all) || others == 0 {
		t.Fatalf("notices: %d, of them not Telegram %d", len(all), others)
	}
	s.Close()

	conn, _ := downTo(t, path, 20)
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM outbox`).Scan(&n); err != nil || n != others {
		t.Errorf("notices after taking it back: %d, want %d (%v)", n, others, err)
	}
	if _, err := conn.Exec(`INSERT INTO outbox (channel, recipient, kind, dedupe_key, next_attempt_at, created_at)
		VALUES ('telegram', '1', 'test', 'x', '', '')`); err == nil {
		t.Error("the old outbox takes a Telegram notice")
	}
	conn.Close()

	s = testutil.Open(t, path, testutil.NewClock(t))
	if links, err := s.TelegramLinks(ctx, 1); err != nil || len(links) != 0 {
		t.Errorf("links after the round trip: %v, %v", links, err)
	}
	linkChat(t, s, "taxi", 2, 987654321)
	if _, err := s.Notice(ctx, all[len(all)-1].ID); err != nil { // the e-mail, kept with its id
		t.Errorf("the oldest notice after the round trip: %v", err)
	}
}

// A support reply and a server down go to the linked chats as they go by
// e-mail; with the company's notifications switched off, nothing does.
func TestTelegramFollowsTheNotificationSwitch(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	ctx := context.Background()
	linkChat(t, s, "dispatcher", 1, 222000111)
	support, err := s.UserByLogin(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	staff := db.Actor{UserID: support.ID, Login: support.Login}
	tickets, err := s.CompanyTickets(ctx, 1, "")
	if err != nil || len(tickets) == 0 {
		t.Fatalf("tickets: %v", err)
	}
	chatKinds := func() []string {
		all, err := s.ListNotices(ctx, db.NoticeFilter{Channel: db.ChannelTelegram, Recipient: "222000111", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, n := range all {
			kinds = append(kinds, n.Kind)
		}
		return kinds
	}
	if err := s.StaffReply(ctx, staff, tickets[0].ID, db.MessageStaff, "Перезапустили службу", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	if got := chatKinds(); len(got) != 2 || got[0] != db.NoticeTicketReply {
		t.Fatalf("the chat's notices: %v", got)
	}
	m := db.Monitor{CompanyID: 1, Name: "Резервный TMServer", Kind: db.MonitorTMServer, CheckType: db.CheckTCP,
		Target: "127.0.0.1:1", Interval: time.Minute, Timeout: time.Second, Active: true, ExpectStatusMin: 200, ExpectStatusMax: 399}
	monitor, err := s.SaveMonitor(ctx, db.Actor{}, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordChecks(ctx, []db.CheckResult{{MonitorID: monitor, At: s.Now(), Error: "refused"}, {MonitorID: monitor, At: s.Now(), Error: "refused"}}); err != nil {
		t.Fatal(err)
	}
	if got := chatKinds(); len(got) != 3 || got[0] != db.NoticeServerDown {
		t.Fatalf("the chat's notices after the server went down: %v", got)
	}
	co, err := s.Company(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	co.NotifyEnabled = false
	if err := s.UpdateCompany(ctx, db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	if err := s.StaffReply(ctx, staff, tickets[0].ID, db.MessageStaff, "Проверьте ещё раз", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	if got := chatKinds(); len(got) != 3 {
		t.Errorf("with notifications off the chat got %v", got)
	}
}

// A notice still waiting for a chat is dropped when the chat is unlinked,
// from the page or by /stop: nothing reaches a chat after it asked for no
// more. The bot's own answer to /stop still goes.
func TestUnlinkingDropsTheChatsWaitingNotices(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	ctx := context.Background()
	support, err := s.UserByLogin(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	tickets, err := s.CompanyTickets(ctx, 1, "")
	if err != nil || len(tickets) == 0 {
		t.Fatalf("tickets: %v", err)
	}
	reply := func(text string) {
		t.Helper()
		if err := s.StaffReply(ctx, db.Actor{UserID: support.ID, Login: support.Login}, tickets[0].ID, db.MessageStaff, text, nil, db.TicketWaiting); err != nil {
			t.Fatal(err)
		}
	}
	waiting := func(chat string) []db.Notice {
		t.Helper()
		all, err := s.ListNotices(ctx, db.NoticeFilter{Channel: db.ChannelTelegram, Recipient: chat, Status: db.NoticePending, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return all
	}

	linkChat(t, s, "dispatcher", 1, 333000111)
	linkChat(t, s, "taxi", 2, 333000222)
	reply("Перезапустили службу")
	links, err := s.TelegramLinks(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := s.UserByLogin(ctx, "taxi")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if l.ChatID == 333000111 {
			if err := s.RemoveTelegramLink(ctx, db.Actor{UserID: owner.ID, Login: owner.Login}, 1, l.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, n := range waiting("333000111") {
		if n.Kind == db.NoticeTicketReply {
			t.Errorf("a ticket reply still waits for the unlinked chat: %+v", n)
		}
	}
	if len(waiting("333000222")) == 0 {
		t.Error("the other chat's notice was dropped too")
	}

	if _, err := s.HandleTelegramCommand(ctx, db.TelegramCommand{UpdateID: 3, ChatID: 333000222, Lang: "ru", Action: db.TelegramStop}); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, n := range waiting("333000222") {
		kinds = append(kinds, n.Kind)
	}
	if !slices.Equal(kinds, []string{db.NoticeTelegramUnlinked, db.NoticeTelegramLinked}) {
		t.Errorf("after /stop the chat waits for %v, want the bot's answers only", kinds)
	}
}
