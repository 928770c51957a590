package jobs_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
	"elk/views"
)

// addMonitor makes a monitor of «Такси Пример».
func addMonitor(t *testing.T, store *db.Store, m db.Monitor) db.Monitor {
	t.Helper()
	m.CompanyID, m.Kind, m.Active = taxiPrimer, db.MonitorTMServer, true
	if m.Name == "" {
		m.Name = fmt.Sprintf("%s %s", m.CheckType, m.Target)
	}
	if m.Interval == 0 {
		m.Interval = 10 * time.Second
	}
	if m.Timeout == 0 {
		m.Timeout = 2 * time.Second
	}
	if m.ExpectStatusMax == 0 {
		m.ExpectStatusMin, m.ExpectStatusMax = 200, 399
	}
	id, err := store.SaveMonitor(context.Background(), db.Actor{}, m)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := store.MonitorByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// closedPort is a 127.0.0.1 address that refuses connections.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// alerts returns the kinds of the e-mails about servers in the outbox, oldest first.
func alerts(t *testing.T, store *db.Store) []string {
	t.Helper()
	notices, err := store.CompanyNotices(context.Background(), taxiPrimer, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(notices) - 1; i >= 0; i-- {
		if n := notices[i]; strings.HasPrefix(n.Kind, "server_") {
			out = append(out, n.Kind+" "+n.Params.Server)
		}
	}
	return out
}

func state(t *testing.T, store *db.Store, id int64) db.Monitor {
	t.Helper()
	m, err := store.MonitorByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMonitorStatesAgainstRealListeners(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	mon := &jobs.Monitoring{Store: store, Log: quietLog()}

	accepting, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer accepting.Close()
	go func() {
		for {
			c, err := accepting.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	var mode atomic.Value
	mode.Store("ok")
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case "500":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "slow":
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		case "wrong word":
			fmt.Fprint(w, "maintenance")
		default:
			fmt.Fprint(w, "TMServer OK")
		}
	}))
	defer web.Close()

	tcpUp := addMonitor(t, store, db.Monitor{Name: "Основной", CheckType: db.CheckTCP, Target: accepting.Addr().String()})
	tcpDown := addMonitor(t, store, db.Monitor{Name: "Сообщения", CheckType: db.CheckTCP, Target: closedPort(t), Retries: 1})
	httpMon := addMonitor(t, store, db.Monitor{Name: "Веб", CheckType: db.CheckHTTP, Target: web.URL + "/health", Retries: 0,
		ExpectWord: "OK", Timeout: 500 * time.Millisecond})

	step := func(ids ...int64) {
		t.Helper()
		clk.Advance(10 * time.Second)
		if err := mon.CheckNow(ctx, ids...); err != nil {
			t.Fatal(err)
		}
	}
	step(tcpUp.ID, tcpDown.ID, httpMon.ID)
	if s := state(t, store, tcpUp.ID); s.State != db.MonitorUp || s.LastLatency == nil {
		t.Errorf("accepting TCP: %+v", s)
	}
	if s := state(t, store, tcpDown.ID); s.State != db.MonitorPending || s.Failures != 1 || !strings.Contains(s.LastError, "refused") {
		t.Errorf("closed port after one failure with a retry: %+v", s)
	}
	step(tcpDown.ID)
	if s := state(t, store, tcpDown.ID); s.State != db.MonitorDown || s.Failures != 2 {
		t.Errorf("closed port after its retry: %+v", s)
	}
	step(tcpDown.ID) // still down: no second incident, no second alert

	if s := state(t, store, tcpDown.ID); views.CheckFailure(s.LastError).Key != "monitoring.fail_refused" {
		t.Errorf("a closed port's error %q is not named a refusal", s.LastError)
	}
	for _, tc := range []struct{ mode, want, err, failure string }{
		{"500", db.MonitorDown, "HTTP 500", "monitoring.fail_status"},
		{"ok", db.MonitorUp, "", ""},
		{"slow", db.MonitorDown, "no answer within 500ms", "monitoring.fail_timeout"},
		{"ok", db.MonitorUp, "", ""},
		{"wrong word", db.MonitorDown, `lacks "OK"`, "monitoring.fail_content"},
	} {
		mode.Store(tc.mode)
		clk.Advance(AlertGapPlus)
		step(httpMon.ID)
		if s := state(t, store, httpMon.ID); s.State != tc.want || !strings.Contains(s.LastError, tc.err) {
			t.Errorf("HTTP %s: %s %q", tc.mode, s.State, s.LastError)
		} else if tc.failure != "" && views.CheckFailure(s.LastError).Key != tc.failure {
			t.Errorf("HTTP %s: %q is named %s", tc.mode, s.LastError, views.CheckFailure(s.LastError).Key)
		}
	}
	incidents, _ := store.CompanyIncidents(ctx, taxiPrimer, 10)
	var byName = map[string]int{}
	for _, i := range incidents {
		byName[i.MonitorName]++
	}
	if byName["Сообщения"] != 1 || byName["Веб"] != 3 || byName["Основной"] != 0 {
		t.Errorf("incidents %+v", byName)
	}
	got := strings.Join(alerts(t, store), ", ")
	want := "server_down Сообщения, server_down Веб, server_up Веб, server_down Веб, server_up Веб, server_down Веб"
	if got != want {
		t.Errorf("alerts\n%s\nwant\n%s", got, want)
	}
}

// AlertGapPlus is enough time between checks for every state change to be told.
const AlertGapPlus = db.AlertGap + time.Second

func TestFlappingServerSendsNoStorm(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	port := closedPort(t)
	m := addMonitor(t, store, db.Monitor{Name: "Мигающий", CheckType: db.CheckTCP, Target: port})
	mon := &jobs.Monitoring{Store: store, Log: quietLog()}
	ln, _ := net.Listen("tcp", port) // up and down every ten seconds
	for i := range 12 {
		if i%2 == 0 && ln != nil {
			ln.Close()
			ln = nil
		} else if i%2 == 1 {
			ln, _ = net.Listen("tcp", port)
		}
		clk.Advance(10 * time.Second)
		if err := mon.CheckNow(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if ln != nil {
		ln.Close()
	}
	// Two minutes of flapping: the first fall is told, nothing more until
	// the gap has passed.
	if got := alerts(t, store); len(got) != 1 || got[0] != "server_down Мигающий" {
		t.Errorf("alerts while flapping: %v", got)
	}
	clk.Advance(AlertGapPlus)
	ln, _ = net.Listen("tcp", port)
	defer ln.Close()
	mon.CheckNow(ctx, m.ID)
	if got := alerts(t, store); len(got) != 2 || got[1] != "server_up Мигающий" {
		t.Errorf("the settled state is told: %v", got)
	}
}

func TestPushMonitorGoesDownWhenHeartbeatsStop(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	m := addMonitor(t, store, db.Monitor{Name: "За NAT", CheckType: db.CheckPush, Interval: time.Minute})
	mon := &jobs.Monitoring{Store: store, Log: quietLog(), PushGrace: 30 * time.Second}
	if _, err := store.Heartbeat(ctx, taxiPrimer, "За NAT", "5.2.1", nil); err != nil {
		t.Fatal(err)
	}
	if s := state(t, store, m.ID); s.State != db.MonitorUp || s.Version != "5.2.1" {
		t.Fatalf("after a heartbeat: %+v", s)
	}
	clk.Advance(80 * time.Second) // within interval + grace
	mon.CheckNow(ctx, m.ID)
	if s := state(t, store, m.ID); s.State != db.MonitorUp {
		t.Errorf("a heartbeat on time: %+v", s)
	}
	clk.Advance(20 * time.Second)
	mon.CheckNow(ctx, m.ID)
	mon.CheckNow(ctx, m.ID) // one retry
	if s := state(t, store, m.ID); s.State != db.MonitorDown || !strings.Contains(s.LastError, "no heartbeat since") {
		t.Errorf("heartbeats stopped: %+v", s)
	}
	// The secret URL's heartbeat brings it back; another company cannot by name.
	if _, err := store.Heartbeat(ctx, 2, "За NAT", "", nil); err == nil {
		t.Error("another company's token beat for it")
	}
	if _, err := store.HeartbeatBySecret(ctx, m.PushSecret, "", nil); err != nil {
		t.Fatal(err)
	}
	if s := state(t, store, m.ID); s.State != db.MonitorUp {
		t.Errorf("after the secret URL's heartbeat: %+v", s)
	}
}

// The schedule starts each check at its time, however slow another target is.
func TestScheduleIsNotHeldUpByAHangingTarget(t *testing.T) {
	store, _ := testutil.OpenDemo(t)
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hang.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // takes connections and never answers HTTP
		for {
			c, err := hang.Accept()
			if err != nil {
				return
			}
			go func() { <-stop; c.Close() }()
		}
	}()
	for i := range 5 {
		addMonitor(t, store, db.Monitor{Name: fmt.Sprintf("Зависший %d", i), CheckType: db.CheckHTTP,
			Target: "http://" + hang.Addr().String() + "/", Timeout: 5 * time.Second})
	}
	fast := addMonitor(t, store, db.Monitor{Name: "Быстрый", CheckType: db.CheckTCP, Target: hang.Addr().String()})
	mon := &jobs.Monitoring{Store: store, Log: quietLog(), Spread: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { mon.Run(ctx); close(done) }()
	deadline := time.Now().Add(2 * time.Second) // well before the hanging checks time out
	for state(t, store, fast.ID).State != db.MonitorUp && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if s := state(t, store, fast.ID); s.State != db.MonitorUp {
		t.Errorf("the fast monitor was held up: %+v", s)
	}
	// The scheduled checks are counted for /metrics, with how late they began.
	var m strings.Builder
	metrics.WritePrometheus(&m, false)
	for _, want := range []string{`elk_monitor_checks_total{result="up"} `, `elk_monitor_check_lateness_seconds_count `} {
		i := strings.Index(m.String(), want)
		if i < 0 || strings.HasPrefix(m.String()[i+len(want):], "0\n") {
			t.Errorf("metrics: %q missing or zero", want)
		}
	}
}

func TestHTTPSCheckRecordsTheCertificateExpiry(t *testing.T) {
	ctx := context.Background()
	store, _ := testutil.OpenDemo(t)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	m := addMonitor(t, store, db.Monitor{Name: "HTTPS", CheckType: db.CheckHTTP, Target: srv.URL + "/"})
	if err := (&jobs.Monitoring{Store: store, Log: quietLog()}).CheckNow(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	s := state(t, store, m.ID)
	if want := srv.Certificate().NotAfter; s.State != db.MonitorUp || s.CertExpiresAt == nil || !s.CertExpiresAt.Equal(want) {
		t.Errorf("state %s, certificate until %v, want %v", s.State, s.CertExpiresAt, want)
	}
}

// Stopping the job while checks hang records nothing about the servers.
func TestShutdownDuringChecksRecordsNoFailure(t *testing.T) {
	store, _ := testutil.OpenDemo(t)
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hang.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		for {
			c, err := hang.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			defer c.Close()
		}
	}()
	m := addMonitor(t, store, db.Monitor{Name: "Зависший", CheckType: db.CheckHTTP, Target: "http://" + hang.Addr().String() + "/", Retries: 0})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		(&jobs.Monitoring{Store: store, Log: quietLog(), Spread: time.Millisecond}).Run(ctx)
		close(done)
	}()
	select {
	case <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("the check never started")
	}
	cancel()
	<-done
	if s := state(t, store, m.ID); s.State != db.MonitorPending || s.Failures != 0 {
		t.Errorf("after shutdown: %+v", s)
	}
	if got := alerts(t, store); len(got) != 0 {
		t.Errorf("alerts %v", got)
	}
}
