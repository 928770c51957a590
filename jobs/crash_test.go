package jobs_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

// The crash tests run this test binary again as a child that records an
// event, says so on stdout and is then killed with SIGKILL.
const (
	crashDBEnv   = "ELK_CRASH_CHILD_DB"
	crashSMTPEnv = "ELK_CRASH_CHILD_SMTP_PORT"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(crashDBEnv); path != "" {
		crashChild(path, os.Getenv(crashSMTPEnv))
	}
	os.Exit(testutil.Main(m))
}

// crashChild commits a balance alert and, given an SMTP port, starts
// delivering it; then it waits to be killed.
func crashChild(path, smtpPort string) {
	ctx := context.Background()
	store, err := db.Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	store.SetClock(testutil.NewClock(childT{}).Now)
	crossSMSThreshold(childT{}, store, "crash")
	fmt.Println("committed")
	if port, _ := strconv.Atoi(smtpPort); port != 0 {
		m, _ := jobs.NewSMTPMailer(jobs.SMTPConfig{Host: "127.0.0.1", Port: port, From: "lk@taxisoft.example", TLS: jobs.SMTPPlain})
		o := &jobs.Outbox{Store: store, Composer: composer(childT{}), Mail: m, Log: quietLog()}
		go o.Run(ctx)
	}
	select {}
}

// childT lets the test helpers run in the child, where a failure ends it.
type childT struct{ testing.TB }

func (childT) Helper()                        {}
func (childT) Fatal(args ...any)              { fmt.Println(append([]any{"error:"}, args...)...); os.Exit(2) }
func (c childT) Fatalf(f string, args ...any) { c.Fatal(fmt.Sprintf(f, args...)) }

// runCrashChild starts the child on the database and kills it once it has
// printed want.
func runCrashChild(t *testing.T, path, smtpPort, want string, killWhen <-chan struct{}) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+path, crashSMTPEnv+"="+smtpPort)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != want {
		cmd.Process.Kill()
		t.Fatalf("the child said %q (%v)", line, err)
	}
	if killWhen != nil {
		select {
		case <-killWhen:
		case <-time.After(10 * time.Second):
			t.Error("the child never started delivering")
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
}

// deliverAfterRestart reopens the file as a restarted server would and runs
// the outbox until the e-mail is due, however long its retry wait.
func deliverAfterRestart(t *testing.T, path string, ms *testutil.MailServer) *db.Store {
	t.Helper()
	clk := testutil.NewClock(t)
	store := testutil.Open(t, path, clk)
	o := &jobs.Outbox{Store: store, Composer: composer(t), Mail: mailer(t, ms), Invoices: jobs.KeptInvoices{Store: store}, Log: quietLog()}
	for range 3 {
		if err := o.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
	}
	return store
}

func TestKilledBeforeDeliveryDeliversOnceAfterRestart(t *testing.T) {
	path := testutil.DemoCopy(t)
	runCrashChild(t, path, "", "committed", nil)

	ms := testutil.StartMailServer(t)
	store := deliverAfterRestart(t, path, ms)
	if got := ms.WaitFor(2, 300*time.Millisecond); len(got) != 1 || got[0].To[0] != taxiPrimerEmail {
		t.Fatalf("%d e-mails after the restart, want 1", len(got))
	}
	if n := notice(t, store, db.ChannelEmail); n.Status != db.NoticeSent || n.Attempts != 1 {
		t.Errorf("notice %+v", n)
	}
}

func TestKilledWhileSendingDeliversOnceAfterRestart(t *testing.T) {
	path := testutil.DemoCopy(t)
	// A server that takes the connection and never answers: the child is
	// killed in the middle of its attempt.
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer hang.Close()
	connected := make(chan struct{})
	go func() {
		if c, err := hang.Accept(); err == nil {
			close(connected)
			defer c.Close()
			time.Sleep(15 * time.Second)
		}
	}()
	runCrashChild(t, path, strconv.Itoa(hang.Addr().(*net.TCPAddr).Port), "committed", connected)

	ms := testutil.StartMailServer(t)
	store := deliverAfterRestart(t, path, ms)
	if got := ms.WaitFor(2, 300*time.Millisecond); len(got) != 1 {
		t.Fatalf("%d e-mails after the restart, want 1", len(got))
	}
	if n := notice(t, store, db.ChannelEmail); n.Status != db.NoticeSent || n.Attempts != 2 {
		t.Errorf("notice %+v: the interrupted attempt and the one after the restart", n)
	}
}
