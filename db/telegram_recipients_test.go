package db_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// chatKinds are the kinds of the notices written for the chat, oldest first.
func chatKinds(t *testing.T, s *db.Store, chat int64) []string {
	t.Helper()
	all, err := s.ListNotices(context.Background(), db.NoticeFilter{Channel: db.ChannelTelegram, Recipient: strconv.FormatInt(chat, 10), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, n := range slices.Backward(all) {
		kinds = append(kinds, n.Kind)
	}
	return kinds
}

// smsServiceWithoutContacts is the demo company's SMS service, with nobody
// but its chats to tell and the threshold at its balance (or, above, just
// over it).
func smsServiceWithoutContacts(t *testing.T, s *db.Store, above bool) db.CompanyService {
	t.Helper()
	services, err := s.CompanyServices(context.Background(), 1, true)
	if err != nil || services[0].ServiceCode != db.ServiceSMS {
		t.Fatalf("the demo's SMS service: %+v %v", services, err)
	}
	cs := services[0]
	threshold := cs.Balance
	if above {
		threshold = cs.Balance + 1
	}
	applyAlertStep(t, s, cs, 0, alertStep{contacts: &db.NotificationContacts{}})
	applyAlertStep(t, s, cs, 0, alertStep{threshold: &threshold})
	return cs
}

// A company whose only recipients are linked chats is told of a low
// balance there: when it falls, and, when it was already low, as soon as a
// chat is linked.
func TestBalanceAlertReachesACompanyWithOnlyChats(t *testing.T) {
	t.Run("the balance falls", func(t *testing.T) {
		s, _ := testutil.OpenDemo(t)
		cs := smsServiceWithoutContacts(t, s, false)
		linkChat(t, s, "buh", 1, 444000111)
		applyAlertStep(t, s, cs, 1, alertStep{amount: -1})
		if got := chatKinds(t, s, 444000111); !slices.Equal(got, []string{db.NoticeTelegramLinked, db.NoticeSMSLow}) {
			t.Errorf("the chat's notices: %v", got)
		}
	})
	t.Run("a chat linked while low", func(t *testing.T) {
		s, _ := testutil.OpenDemo(t)
		smsServiceWithoutContacts(t, s, true)
		if got := newNoticeKinds(t, s, 1, outboxCount(t, s, 1)); len(got) != 0 {
			t.Fatalf("notices with nobody to tell: %v", got)
		}
		linkChat(t, s, "dispatcher", 1, 444000222)
		if got := chatKinds(t, s, 444000222); !slices.Equal(got, []string{db.NoticeTelegramLinked, db.NoticeSMSLow}) {
			t.Errorf("the chat's notices: %v", got)
		}
		linkChat(t, s, "taxi", 2, 444000333) // told already: not again
		if got := chatKinds(t, s, 444000333); !slices.Equal(got, []string{db.NoticeTelegramLinked}) {
			t.Errorf("the second chat's notices: %v", got)
		}
	})
}

// Each chat gets what its linking user's role sees in the portal: balance
// alerts every role, tickets and monitoring the owner and the dispatcher,
// not the accountant.
func TestTelegramNoticesFollowTheLinkingUsersRole(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	ctx := context.Background()
	const owner, accountant, dispatcher = 555000001, 555000002, 555000003
	linkChat(t, s, "taxi", 1, owner)
	linkChat(t, s, "buh", 2, accountant)
	linkChat(t, s, "dispatcher", 3, dispatcher)
	if got := lastReply(t, s, strconv.Itoa(accountant)).Params.Kinds; !slices.Equal(got, []string{db.NoticeSMSLow, db.NoticeSMSNegative}) {
		t.Errorf("the accountant's chat is told it gets %v", got)
	}

	support, err := s.UserByLogin(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	tickets, err := s.CompanyTickets(ctx, 1, "")
	if err != nil || len(tickets) == 0 {
		t.Fatalf("tickets: %v", err)
	}
	if err := s.StaffReply(ctx, db.Actor{UserID: support.ID, Login: support.Login}, tickets[0].ID, db.MessageStaff, "Перезапустили службу", nil, db.TicketWaiting); err != nil {
		t.Fatal(err)
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
	cs := smsServiceWithoutContacts(t, s, false)
	applyAlertStep(t, s, cs, 1, alertStep{amount: -1})

	all := []string{db.NoticeTelegramLinked, db.NoticeTicketReply, db.NoticeServerDown, db.NoticeSMSLow}
	for chat, want := range map[int64][]string{owner: all, dispatcher: all, accountant: {db.NoticeTelegramLinked, db.NoticeSMSLow}} {
		if got := chatKinds(t, s, chat); !slices.Equal(got, want) {
			t.Errorf("chat %d got %v, want %v", chat, got, want)
		}
	}
}
