package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/db/money"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

// deliverTo runs the outbox worker of the portal, sending e-mail to ms.
func deliverTo(t *testing.T, p *testutil.Portal, ms *testutil.MailServer) {
	t.Helper()
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	composer, err := views.NewComposer(cs, p.URL)
	if err != nil {
		t.Fatal(err)
	}
	mailer, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: ms.Host, Port: ms.Port, From: "ЕЛК <lk@taxisoft.example>", TLS: jobs.SMTPPlain})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := jobs.Start(context.Background(), log,
		&jobs.Outbox{Store: p.Store, Composer: composer, Mail: mailer, Log: log, Every: 200 * time.Millisecond})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		runner.Stop(ctx)
	})
}

// sendSMS reports n sent SMS through the API as «Такси Пример»'s server and
// returns the SMS balance after them.
func sendSMS(t *testing.T, p *testutil.Portal, batch, n int) money.Kopecks {
	t.Helper()
	var msgs []map[string]any
	for i := range n {
		msgs = append(msgs, map[string]any{"id": fmt.Sprintf("e2e-%d-%d", batch, i), "phone": "+79001234567", "parts": 1,
			"status": "sent", "sent_at": p.Clock.Now().Format(time.RFC3339)})
	}
	body, _ := json.Marshal(map[string]any{"messages": msgs})
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/api/v1/sms", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer demo-taxi-token")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Balance money.Kopecks `json:"balance_kopecks"`
	}
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("API: %d %s", res.StatusCode, raw)
	}
	return out.Balance
}

// The manager sets «Такси Пример»'s SMS threshold; its server reports SMS
// until the balance falls below it; the client sees the alert on О компании
// and the mail server has it, once.
func TestSMSBalanceAlertReachesTheClient(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ms := testutil.StartMailServer(t)
	deliverTo(t, p, ms)
	services, _ := p.Store.CompanyServices(context.Background(), 1, true)
	threshold := services[0].Balance - 2000 // 20 ₽ below the balance: a few batches cross it

	staff := tab(t)
	logIn(t, staff, p.URL, "manager", "manager123")
	do(t, staff,
		chromedp.WaitVisible(chromedp.ID("home-figures")), // staff land on the back office's home
		chromedp.Navigate(p.URL+"/admin/companies/1"),
		chromedp.SetValue(chromedp.ID("f-sms_alert_threshold"), threshold.Format()),
		chromedp.Click(chromedp.CSS(`form[action="/admin/companies/1"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if got := run(t, staff, chromedp.Text(chromedp.ID("admin-sms-threshold"))); got != threshold.String() {
		t.Fatalf("the back office shows the threshold %q, want %q", got, threshold)
	}

	balance := services[0].Balance
	for batch := 0; balance >= threshold; batch++ {
		if batch == 50 {
			t.Fatalf("the balance %s never fell below %s", balance, threshold)
		}
		balance = sendSMS(t, p, batch, 5)
	}
	sendSMS(t, p, 99, 5) // staying below: no second alert

	mails := ms.WaitFor(1, 10*time.Second)
	if len(mails) != 1 || mails[0].To[0] != "dispatch@taxi-primer.example" || !strings.HasPrefix(mails[0].Subject, "Баланс СМС ниже порога") {
		t.Fatalf("mails: %+v", mails)
	}

	client := tab(t)
	logIn(t, client, p.URL, "taxi", "taxi123")
	do(t, client, chromedp.WaitVisible(chromedp.ID("notices")))
	rows := run(t, client, chromedp.Text(chromedp.CSS("#notices + section tbody")))
	if !strings.Contains(rows, mails[0].Subject) || !strings.Contains(rows, "Доставлено") || !strings.Contains(rows, "dispatch@taxi-primer.example") {
		t.Errorf("О компании shows: %s", rows)
	}
	if got := run(t, client, chromedp.Text(chromedp.CSS("#sms-threshold strong"))); got != threshold.String() {
		t.Errorf("the client sees the threshold %q", got)
	}
	screenshot(t, client, "company-notices")

	do(t, staff, chromedp.Click(chromedp.CSS(`.tabs a[href="/admin/outbox"]`)), chromedp.WaitVisible(chromedp.ID("outbox-rows")))
	if rows := run(t, staff, chromedp.Text(chromedp.ID("outbox-rows"))); !strings.Contains(rows, "Такси Пример") || !strings.Contains(rows, "Доставлено") {
		t.Errorf("the back office shows: %s", rows)
	}
	screenshot(t, staff, "admin-outbox")
	if got := ms.WaitFor(2, 500*time.Millisecond); len(got) != 1 {
		t.Errorf("%d e-mails, want exactly 1", len(got))
	}
}
