package jobs_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

const (
	taxiPrimer      = 1 // the demo's «Такси Пример»
	taxiPrimerEmail = "dispatch@taxi-primer.example"
	taxiPrimerPhone = "+79000000001"
)

// crossSMSThreshold sets «Такси Пример»'s threshold just under its SMS balance
// and reports one sent SMS through the store, as the API does: the balance
// falls below it and the alert is written to the outbox.
func crossSMSThreshold(t testing.TB, store *db.Store, senderID string) {
	t.Helper()
	ctx := context.Background()
	services, err := store.CompanyServices(ctx, taxiPrimer, true)
	if err != nil {
		t.Fatal(err)
	}
	co, err := store.Company(ctx, taxiPrimer)
	if err != nil {
		t.Fatal(err)
	}
	co.SMSAlertThreshold = services[0].Balance - 1
	if services[0].ServiceCode != db.ServiceSMS || co.SMSAlertThreshold < 0 || !co.NotifyEnabled {
		t.Fatalf("the demo's SMS service: %+v, company %+v", services[0], co)
	}
	if err := store.UpdateCompany(ctx, db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	_, err = store.RecordSMS(ctx, taxiPrimer, []db.SentSMS{{SenderID: senderID, Phone: "+79001112233", Parts: 1,
		Status: db.SMSSent, SentAt: store.Now()}})
	if err != nil {
		t.Fatal(err)
	}
}

func composer(t testing.TB) *views.Composer {
	t.Helper()
	cs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	c, err := views.NewComposer(cs, "https://lk.example.ru")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mailer(t *testing.T, ms *testutil.MailServer) *jobs.SMTPMailer {
	t.Helper()
	m, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: ms.Host, Port: ms.Port, From: "ЕЛК <lk@taxisoft.example>",
		TLS: jobs.SMTPPlain, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// gatewayLog is an SMS gateway on 127.0.0.1 that answers as told and keeps
// what it was sent.
type gatewayLog struct {
	mu       sync.Mutex
	received []map[string]string
	answer   func(n int) (status int, delay time.Duration)
}

func startGateway(t *testing.T, answer func(n int) (int, time.Duration)) (*gatewayLog, *jobs.HTTPSMSGateway) {
	g := &gatewayLog{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		if r.Header.Get("Authorization") != "Bearer gw-secret" || r.Header.Get("Idempotency-Key") == "" ||
			json.NewDecoder(r.Body).Decode(&body) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		n := len(g.received)
		g.received = append(g.received, body)
		g.mu.Unlock()
		status, delay := g.answer(n)
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(status)
		// Like some gateways, it echoes the request's credentials back.
		io.WriteString(w, `{"status":"`+http.StatusText(status)+`","auth":"`+r.Header.Get("Authorization")+`"}`)
	}))
	t.Cleanup(srv.Close)
	gw, err := jobs.NewHTTPSMSGateway(srv.URL+"/send", "gw-secret")
	if err != nil {
		t.Fatal(err)
	}
	return g, gw
}

func (g *gatewayLog) count() int { g.mu.Lock(); defer g.mu.Unlock(); return len(g.received) }

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// notice returns the company's only notice on the channel.
func notice(t *testing.T, store *db.Store, channel string) db.Notice {
	t.Helper()
	all, err := store.CompanyNotices(context.Background(), taxiPrimer, 100)
	if err != nil {
		t.Fatal(err)
	}
	var found []db.Notice
	for _, n := range all {
		if n.Channel == channel {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s notices: %+v", len(found), channel, found)
	}
	return found[0]
}

func TestBalanceAlertArrivesOnceInRussian(t *testing.T) {
	ctx := context.Background()
	store, _ := testutil.OpenDemo(t)
	ms := testutil.StartMailServer(t)
	gw, gateway := startGateway(t, func(int) (int, time.Duration) { return http.StatusOK, 0 })
	crossSMSThreshold(t, store, "alert-once")
	balance := notice(t, store, db.ChannelEmail).Params.Balance

	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: mailer(t, ms), SMS: gateway, Log: quietLog()}
	for range 3 {
		if err := o.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	mails := ms.WaitFor(1, 5*time.Second)
	if len(mails) != 1 {
		t.Fatalf("%d e-mails arrived, want 1", len(mails))
	}
	m := mails[0]
	if want := "Баланс СМС ниже порога: " + balance.String(); m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if len(m.To) != 1 || m.To[0] != taxiPrimerEmail {
		t.Errorf("sent to %v", m.To)
	}
	for _, want := range []string{"Здравствуйте!", "На балансе СМС компании «Такси Пример» осталось " + balance.String(), "https://lk.example.ru/services/"} {
		if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the message lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.HasPrefix(m.Header.Get("Message-Id"), "<outbox-") || m.Header.Get("From") == "" {
		t.Errorf("headers %v", m.Header)
	}
	if gw.count() != 1 || gw.received[0]["phone"] != taxiPrimerPhone || !strings.Contains(gw.received[0]["text"], "Такси Пример: баланс СМС") {
		t.Errorf("the gateway received %v", gw.received)
	}
	for _, ch := range []string{db.ChannelEmail, db.ChannelSMS} {
		if n := notice(t, store, ch); n.Status != db.NoticeSent || n.Attempts != 1 || n.SentAt == nil {
			t.Errorf("%s notice %+v", ch, n)
		}
	}
}

func TestRefusingOrDownSMTPIsRetriedAndNeverDuplicated(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	ms := testutil.StartMailServer(t)
	crossSMSThreshold(t, store, "alert-retry")
	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: mailer(t, ms), Log: quietLog()}
	step := func(wantAttempts int, wantErr string) {
		t.Helper()
		if err := o.Run(ctx); err != nil {
			t.Fatal(err)
		}
		n := notice(t, store, db.ChannelEmail)
		if n.Status != db.NoticePending || n.Attempts != wantAttempts || !strings.Contains(n.LastError, wantErr) {
			t.Fatalf("notice %+v, want pending after %d attempts with %q", n, wantAttempts, wantErr)
		}
	}

	ms.Refuse(451)
	step(1, "451")
	step(1, "451") // not due again before its back-off
	clk.Advance(31 * time.Second)
	ms.Stop()
	step(2, "refused")
	clk.Advance(61 * time.Second)
	ms.Refuse(0)
	ms.Start()
	if err := o.Run(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	if err := o.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ms.WaitFor(2, 300*time.Millisecond); len(got) != 1 {
		t.Fatalf("%d e-mails arrived, want 1", len(got))
	}
	if n := notice(t, store, db.ChannelEmail); n.Status != db.NoticeSent || n.Attempts != 3 || n.LastError != "" {
		t.Errorf("notice %+v", n)
	}
}

func TestSMSGatewayAnswers(t *testing.T) {
	cases := []struct {
		name         string
		answer       func(n int) (int, time.Duration)
		runs         int
		wantStatus   string
		wantAttempts int
		wantErr      string
		wantRequests int
	}{
		{"success", func(int) (int, time.Duration) { return http.StatusOK, 0 }, 3, db.NoticeSent, 1, "", 1},
		{"5xx is retried", func(n int) (int, time.Duration) {
			if n < 2 {
				return http.StatusServiceUnavailable, 0
			}
			return http.StatusAccepted, 0
		}, 4, db.NoticeSent, 3, "", 3},
		{"a timeout is retried", func(n int) (int, time.Duration) {
			if n == 0 {
				return http.StatusOK, 5 * time.Second
			}
			return http.StatusOK, 0
		}, 3, db.NoticeSent, 2, "", 2},
		{"4xx fails after the attempts", func(int) (int, time.Duration) { return http.StatusUnprocessableEntity, 0 }, 5,
			db.NoticeFailed, 3, "422 Unprocessable Entity", 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			store, clk := testutil.OpenDemo(t)
			gw, gateway := startGateway(t, tc.answer)
			crossSMSThreshold(t, store, "alert-"+tc.name)
			o := &jobs.Outbox{Store: store, Composer: composer(t), SMS: gateway, Log: quietLog(),
				MaxAttempts: 3, SendTimeout: 300 * time.Millisecond}
			for range tc.runs {
				if err := o.Run(ctx); err != nil {
					t.Fatal(err)
				}
				clk.Advance(time.Hour)
			}
			n := notice(t, store, db.ChannelSMS)
			if n.Status != tc.wantStatus || n.Attempts != tc.wantAttempts || !strings.Contains(n.LastError, tc.wantErr) {
				t.Errorf("notice %+v, want %s after %d attempts with %q", n, tc.wantStatus, tc.wantAttempts, tc.wantErr)
			}
			if tc.wantErr == "" && n.LastError != "" {
				t.Errorf("a sent notice keeps the error %q", n.LastError)
			}
			if strings.Contains(n.LastError, "gw-secret") {
				t.Errorf("the gateway's token is stored: %q", n.LastError)
			}
			if gw.count() != tc.wantRequests {
				t.Errorf("the gateway got %d requests, want %d", gw.count(), tc.wantRequests)
			}
			// No SMTP is configured here: the e-mail fails at once, saying why.
			if e := notice(t, store, db.ChannelEmail); e.Status != db.NoticeFailed || e.Attempts != 1 ||
				!strings.Contains(e.LastError, "ELK_SMTP_HOST") || !views.NotConfigured(e.LastError) {
				t.Errorf("e-mail notice %+v", e)
			}
		})
	}
}

func TestGatewayURLWithPlaceholdersIsCalledWithGET(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Method + " " + r.URL.Query().Get("to") + " " + r.URL.Query().Get("msg") + " " + r.URL.Query().Get("key")
	}))
	defer srv.Close()
	gw, err := jobs.NewHTTPSMSGateway(srv.URL+"/sms/send?key=k&to={phone}&msg={text}", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.SendSMS(context.Background(), "+79001234567", "Баланс & остаток", "k1"); err != nil {
		t.Fatal(err)
	}
	if got != "GET +79001234567 Баланс & остаток k" {
		t.Errorf("the gateway saw %q", got)
	}
	srv.Close()
	err = gw.SendSMS(context.Background(), "+79001234567", "x", "k2")
	if err == nil || strings.Contains(err.Error(), "key=k") {
		t.Errorf("an unreachable gateway: %v (the URL's key must not show)", err)
	}
}

func TestBadSettingsAreRefused(t *testing.T) {
	for _, cfg := range []jobs.SMTPConfig{
		{Host: "h", Port: 25, From: "not an address", TLS: jobs.SMTPPlain},
		{Host: "h", Port: 25, From: "a@b.ru", TLS: "ssl3"},
		{Host: "h", Port: 0, From: "a@b.ru", TLS: jobs.SMTPTLS},
	} {
		if _, err := jobs.NewSMTPMailer(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	for _, u := range []string{"", "ftp://x/", "localhost:8080", "http://"} {
		if _, err := jobs.NewHTTPSMSGateway(u, ""); err == nil {
			t.Errorf("gateway %q accepted", u)
		}
	}
}

func TestPermanentSMTPRefusalFailsAtOnce(t *testing.T) {
	ctx := context.Background()
	store, _ := testutil.OpenDemo(t)
	ms := testutil.StartMailServer(t)
	ms.Refuse(550)
	crossSMSThreshold(t, store, "alert-refused")
	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: mailer(t, ms), Log: quietLog()}
	if err := o.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := notice(t, store, db.ChannelEmail); n.Status != db.NoticeFailed || n.Attempts != 1 || !strings.Contains(n.LastError, "550") {
		t.Errorf("notice %+v", n)
	}
}

// A server that takes the message and then drops the connection before
// the client's closing commands: the message was delivered, and is not
// sent again.
func TestMessageTakenBeforeTheConnectionDropsCountsAsSent(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go dropAfterData(c, &accepted)
		}
	}()
	crossSMSThreshold(t, store, "alert-drop")
	m, err := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port,
		From: "lk@taxisoft.example", TLS: jobs.SMTPPlain, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: m, Log: quietLog()}
	for range 3 {
		if err := o.Run(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
	}
	if n := notice(t, store, db.ChannelEmail); n.Status != db.NoticeSent || n.Attempts != 1 || accepted.Load() != 1 {
		t.Errorf("notice %+v, messages taken %d", n, accepted.Load())
	}
}

// dropAfterData speaks just enough SMTP to take one message, then hangs up.
func dropAfterData(c net.Conn, accepted *atomic.Int32) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 localhost ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			fmt.Fprint(c, "250-localhost\r\n250 8BITMIME\r\n")
		case strings.HasPrefix(cmd, "DATA"):
			fmt.Fprint(c, "354 go ahead\r\n")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
			}
			accepted.Add(1)
			fmt.Fprint(c, "250 queued\r\n")
			return // hang up before RSET and QUIT
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

// shutdownDuringSend is the real mailer, with the server's shutdown
// arriving while the message is being sent.
type shutdownDuringSend struct {
	jobs.Mailer
	stop context.CancelFunc
}

func (m shutdownDuringSend) SendMail(ctx context.Context, to string, msg views.Message, id string) error {
	err := m.Mailer.SendMail(ctx, to, msg, id)
	m.stop()
	return err
}

func TestShutdownDuringASendStillRecordsIt(t *testing.T) {
	store, clk := testutil.OpenDemo(t)
	ms := testutil.StartMailServer(t)
	crossSMSThreshold(t, store, "alert-shutdown")
	ctx, stop := context.WithCancel(context.Background())
	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: shutdownDuringSend{mailer(t, ms), stop}, Log: quietLog()}
	o.Run(ctx)
	clk.Advance(time.Hour)
	o.Mail = mailer(t, ms)
	if err := o.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ms.WaitFor(2, 300*time.Millisecond); len(got) != 1 {
		t.Errorf("%d e-mails, want 1", len(got))
	}
	if n := notice(t, store, db.ChannelEmail); n.Status != db.NoticeSent || n.Attempts != 1 {
		t.Errorf("notice %+v", n)
	}
}
