package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"elk/db"
)

// A list cut at its page size says so, and those awaiting money come
// oldest first: the longest overdue is never the part cut off.
func TestUnpaidListKeepsTheOverdueWhenCut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	oldest, err := e.Store.CreateInvoiceOn(ctx, actorOf(e, "admin"), db.NewInvoice{Service: sms, Item: "x", Amount: 100_00}, today.AddDate(0, 0, -400))
	if err != nil {
		t.Fatal(err)
	}
	for range 205 {
		if _, err := e.Store.CreateInvoice(ctx, actorOf(e, "admin"), db.NewInvoice{Service: sms, Tariff: &sms.Tariff, Item: "x", Amount: 100_00}); err != nil {
			t.Fatal(err)
		}
	}
	admin := e.loggedIn("admin", "admin123")
	home := admin.get("/admin")
	for _, id := range []string{"unpaid", "overdue"} {
		value, _, href := figure(home, id)
		list := admin.get(href)
		rows := list.Find("#invoice-rows tr").Length()
		shown := list.Text("#invoices-shown")
		want := strings.ReplaceAll(value, "\u00a0", "")
		if figureOf(t, home, id) > rows && !strings.Contains(strings.ReplaceAll(shown, "\u00a0", ""), "Показаны 200 из "+want) {
			t.Errorf("%s: figure %s, %d rows and no word of the rest: %q", id, value, rows, shown)
		}
		if figureOf(t, home, id) <= rows && shown != "" {
			t.Errorf("%s: a whole list says it is cut: %q", id, shown)
		}
		first := list.Find("#invoice-rows tr a").First().AttrOr("href", "")
		if first != "/admin/invoices/"+itoa(oldest.ID) {
			t.Errorf("%s: the oldest invoice is not on top: %s", id, first)
		}
	}
	if r := admin.get("/admin/invoices"); r.Status != http.StatusOK || r.Find("#invoice-rows tr a").First().AttrOr("href", "") == "/admin/invoices/"+itoa(oldest.ID) {
		t.Error("the whole list is no longer newest first")
	}
}

// A chart's peak reads whole however big: written short, with room for it
// left of the bars at the size a phone shows it.
func TestChartScaleFitsBigNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sqlExec(`UPDATE sms_manager_days SET delivered = delivered + 125000 WHERE day = (SELECT max(day) FROM sms_manager_days)`)
	e.sqlExec(`UPDATE payments SET amount = 123456789000 WHERE id = (SELECT max(id) FROM payments)`)
	home := e.loggedIn("admin", "admin123").get("/admin")
	for chart, want := range map[string]string{"#sms-chart": " тыс.", "#payments-chart": ",2 млрд ₽"} {
		peak := home.Find(chart + " text.tick").First()
		text := peak.Text()
		x, _ := strconv.ParseFloat(peak.AttrOr("x", ""), 64)
		bar, _ := strconv.ParseFloat(home.Find(chart+" rect").First().AttrOr("x", ""), 64)
		if !strings.HasSuffix(text, want) || x < float64(utf8.RuneCountInString(text))*0.6*22 || bar <= x {
			t.Errorf("%s: peak %q at x=%v, bars from %v", chart, text, x, bar)
		}
	}
	if n := home.Find("#payments-chart text.tick.minor").Length(); n != db.DashboardPaymentMonths/2 {
		t.Errorf("%d month labels hidden on a phone", n)
	}
}

// Every list a home figure links to names the manager it is narrowed to,
// with a link to all companies; a manager that is not one is a 404, never
// an empty list or every company passed off as theirs.
func TestListsShowTheManagersScope(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	stageHomeCompany(t, e)
	manager := e.loggedIn("manager2", "второй менеджер 2026")
	home := manager.get("/admin")
	client := e.userID("taxi")
	for _, id := range []string{"low-balances", "unpaid", "overdue", "waiting", "monitors-down", "licenses"} {
		_, _, href := figure(home, id)
		page := manager.get(href)
		mark := page.Find("#manager-scope")
		all := mark.Find("a").AttrOr("href", "")
		if page.Status != http.StatusOK || !strings.Contains(mark.Text(), "Компании менеджера: Дмитрий Второв") || all == "" || strings.Contains(all, "manager=") {
			t.Errorf("%s → %s: %d, mark %q, all %q", id, href, page.Status, mark.Text(), all)
			continue
		}
		path, _, _ := strings.Cut(href, "?")
		if other, _, _ := strings.Cut(all, "?"); other != path {
			t.Errorf("%s: all companies leads elsewhere: %s", id, all)
		}
		if got := manager.get(all); got.Status != http.StatusOK || got.Find("#manager-scope").Length() != 0 {
			t.Errorf("%s: %s: %d, still marked %q", id, all, got.Status, got.Text("#manager-scope"))
		}
		base := strings.ReplaceAll(href, "manager="+itoa(e.userID("manager2")), "manager=")
		for _, bad := range []string{"abc", "-3", "0", "999999", itoa(client)} {
			if r := manager.get(base + bad); r.Status != http.StatusNotFound {
				t.Errorf("%s with manager=%s: %d, %d rows", id, bad, r.Status, r.Find("tbody tr").Length())
			}
		}
	}
}

// The first-response figure leads to the tickets its median is of: opened
// in the last 30 days and answered, said so above the list.
func TestFirstResponseLeadsToItsTickets(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	h := stageHomeCompany(t, e)
	for _, login := range [][2]string{{"manager2", "второй менеджер 2026"}, {"admin", "admin123"}} {
		staff := e.loggedIn(login[0], login[1])
		_, note, href := figure(staff.get("/admin"), "first-response")
		var answered int
		if _, err := fmt.Sscanf(note[strings.LastIndex(note, "по ")+len("по "):], "%d", &answered); err != nil {
			t.Fatalf("%s: note %q", login[0], note)
		}
		list := staff.get(href)
		rows := list.Find("#ticket-queue tbody tr")
		mark := list.Find("#first-response-scope")
		if rows.Length() != answered || strings.Contains(rows.Text(), h.subject) || !strings.Contains(mark.Text(), "за последние 30 дней") {
			t.Errorf("%s → %s: %d rows for %d answered, waiting one listed %v, mark %q", login[0], href, rows.Length(), answered,
				strings.Contains(rows.Text(), h.subject), mark.Text())
		}
		all := mark.Find("a").AttrOr("href", "")
		if r := staff.get(all); strings.Contains(all, "first_response") || r.Find("#ticket-queue tbody tr").Length() <= answered {
			t.Errorf("%s: all tickets %s lists %d", login[0], all, r.Find("#ticket-queue tbody tr").Length())
		}
	}
}

// The ticket queue, cut at its size, says so: the waiting figure's count is
// never more than its list shows without a word.
func TestTicketQueueSaysWhenCut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	owner := db.Actor{UserID: e.userID("taxi"), Login: "taxi"}
	for range db.TicketQueueSize + 5 {
		if _, err := e.Store.OpenTicket(ctx, owner, 1, db.NewTicket{Subject: "Вопрос", Priority: "normal", Body: "Текст"}); err != nil {
			t.Fatal(err)
		}
	}
	admin := e.loggedIn("admin", "admin123")
	value, _, href := figure(admin.get("/admin"), "waiting")
	list := admin.get(href)
	want := "Показаны 500 из " + value
	if rows := list.Find("#ticket-queue tbody tr").Length(); rows != db.TicketQueueSize || !strings.HasPrefix(list.Text("#tickets-shown"), want) {
		t.Errorf("waiting %s: %d rows, %q", value, rows, list.Text("#tickets-shown"))
	}
	if r := admin.get("/admin/tickets?status=closed"); r.Find("#tickets-shown").Length() != 0 {
		t.Error("a short list says it is cut")
	}
}
