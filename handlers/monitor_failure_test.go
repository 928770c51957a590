package handlers_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"

	"elk/db"
	"elk/jobs"
	"elk/views"
)

// closedPort is an address on this machine where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A server that refuses connections is named so in Russian on the client's
// card, in the incidents and in the e-mail; only staff see Go's own text.
func TestRefusedCheckReadsInRussian(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	manager := e.loggedIn("manager", "manager123")
	m := addMonitor(t, e, manager, 1, url.Values{"name": {"Закрытый порт"}, "check_type": {"tcp"}, "target": {closedPort(t)}, "retries": {"0"}})
	if err := (&jobs.Monitoring{Store: e.Store}).CheckNow(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	if m, _ = e.Store.MonitorByID(ctx, m.ID); m.State != db.MonitorDown || !strings.Contains(m.LastError, "connection refused") {
		t.Fatalf("the check: %s %q", m.State, m.LastError)
	}
	const want = "Соединение отклонено — служба на этом порту не запущена"
	page := e.loggedIn("taxi", "taxi123").get("/monitoring")
	if got := page.Text("#monitor-" + itoa(m.ID) + " .error-text"); got != want {
		t.Errorf("the card: %q", got)
	}
	if !strings.Contains(page.Text("#incidents + section"), want) {
		t.Errorf("the incidents: %q", page.Text("#incidents + section"))
	}
	for _, raw := range []string{"dial tcp", "connection refused", "no answer within"} {
		if strings.Contains(page.Body, raw) {
			t.Errorf("the client reads %q", raw)
		}
	}
	staff := manager.get("/admin/companies/1/monitoring")
	if got := staff.Text("tbody tr:contains('Закрытый порт')"); !strings.Contains(got, want) || !strings.Contains(got, "connection refused") {
		t.Errorf("staff see %q", got)
	}
	notices, _ := e.Store.ListNotices(ctx, db.NoticeFilter{Kind: db.NoticeServerDown, Limit: 10})
	cs, _ := views.LoadCatalogs()
	composer, _ := views.NewComposer(cs, "http://lk.example")
	for _, n := range notices {
		if n.Params.Server != "Закрытый порт" {
			continue
		}
		msg, err := composer.Compose(n)
		if err != nil || !strings.Contains(msg.Text, want) || strings.Contains(msg.Text, "dial tcp") {
			t.Errorf("the e-mail: %v %q", err, msg.Text)
		}
		return
	}
	t.Error("no e-mail about the server")
}
