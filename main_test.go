package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// serveAloneEnv, set, makes this test binary serve as elk with the
// arguments it holds, one per line: a test measures that process alone.
const serveAloneEnv = "ELK_TEST_SERVE_ALONE"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(serveAloneEnv); ok {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		// The test clock's start (ELK_TEST_NOW), moving on as real time does.
		start, err := testutil.Start()
		if err != nil {
			fmt.Fprintln(os.Stderr, "elk:", err)
			os.Exit(1)
		}
		began := time.Now()
		now := func() time.Time { return start.Add(time.Since(began)) }
		if err := run(ctx, now, strings.Split(args, "\n"), strings.NewReader(""), io.Discard); err != nil {
			fmt.Fprintln(os.Stderr, "elk:", err)
			os.Exit(1)
		}
		return
	}
	os.Exit(testutil.Main(m))
}

func TestAdminCreateOnEmptyDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elk.db")
	var out bytes.Buffer
	err := run(context.Background(), testutil.NewClock(t).Now, []string{"admin", "create", "-db", path, "--login", "boss", "--password-stdin"},
		strings.NewReader("очень длинный пароль\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.Authenticate(context.Background(), "boss", "очень длинный пароль")
	if err != nil || u.Role != db.RoleAdmin || !u.IsStaff() {
		t.Fatalf("created admin: %+v, %v", u, err)
	}
}

func TestAdminCreateRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elk.db")
	create := func(stdin string, args ...string) error {
		return run(context.Background(), testutil.NewClock(t).Now, append([]string{"-db", path, "admin", "create"}, args...), strings.NewReader(stdin), &bytes.Buffer{})
	}
	if err := create("qwerty123\n", "--login", "boss", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "common") {
		t.Errorf("common password: %v", err)
	}
	if err := create("short\n", "--login", "boss", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "at least 8 characters") {
		t.Errorf("short password: %v", err)
	}
	if err := create("boss-2024-boss\n", "--login", "boss", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "your login") {
		t.Errorf("password made of the login: %v", err)
	}
	if err := create("good long password\n", "--login", "boss"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("without --password-stdin: %v", err)
	}
	if err := create("good long password\n", "--login", "boss", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if err := create("another long password\n", "--login", "BOSS", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Errorf("taken login: %v", err)
	}
}

// Started with another secret key, elk refuses and says what to do; with
// the key lost, reset-2fa turns the second factors off and adopts the new one.
func TestWrongSecretKeyRefusesToStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elk.db")
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), testutil.NewClock(t).Now, append([]string{"-db", path}, args...), strings.NewReader("очень длинный пароль\n"), &out)
		return out.String(), err
	}
	if _, err := cmd("admin", "create", "--login", "boss", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(db.KeyFile(path)); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the key file made at the first start: %v", err)
	}
	t.Setenv("ELK_SECRET_KEY", "not a key")
	if _, err := cmd("check"); err == nil || !strings.Contains(err.Error(), "ELK_SECRET_KEY: db: a secret key is 32 bytes") {
		t.Errorf("a malformed key: %v", err)
	}
	t.Setenv("ELK_SECRET_KEY", strings.Repeat("ab", 32))
	_, err := cmd("check")
	if err == nil || !strings.Contains(err.Error(), "was started with another secret key than ELK_SECRET_KEY") ||
		!strings.Contains(err.Error(), "elk reset-2fa") {
		t.Errorf("another key: %v", err)
	}
	out, err := cmd("reset-2fa")
	if err != nil || !strings.Contains(out, "now uses ELK_SECRET_KEY") {
		t.Fatalf("reset-2fa: %q, %v", out, err)
	}
	if _, err := cmd("check"); err != nil {
		t.Errorf("with the adopted key: %v", err)
	}
}

// A database started with a key file refuses to start without it and says
// to put it back, without making a new key that would stand in the way;
// reset-2fa, for a key lost for good, still adopts a new key file.
func TestMissingKeyFileRefusesToStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elk.db")
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), testutil.NewClock(t).Now, append([]string{"-db", path}, args...), strings.NewReader("очень длинный пароль\n"), &out)
		return out.String(), err
	}
	if _, err := cmd("admin", "create", "--login", "boss", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(db.KeyFile(path)); err != nil {
		t.Fatal(err)
	}
	want := "the key file " + db.KeyFile(path) + " is missing: put it back beside the database or set ELK_SECRET_KEY"
	if _, err := cmd("check"); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "reset-2fa") {
		t.Errorf("started without its key file: %v", err)
	}
	if _, err := os.Stat(db.KeyFile(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was made for a database that had one: %v", err)
	}
	if out, err := cmd("reset-2fa"); err != nil || !strings.Contains(out, "now uses the key file") {
		t.Fatalf("reset-2fa with the key lost: %q, %v", out, err)
	}
	if _, err := cmd("check"); err != nil {
		t.Errorf("with the new key file: %v", err)
	}
}

// The server starts with the demo, answers, backs up while running, and
// shuts down cleanly on its context's end (as on SIGTERM).
func TestServeDemoBackupAndShutdown(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "elk.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, testutil.NewClock(t).Now, []string{"-db", path, "-addr", addr, "-demo"}, strings.NewReader(""), &syncWriter{w: &out})
	}()
	waitHealthy(t, "http://"+addr+"/healthz")

	backupPath := filepath.Join(dir, "copy.db")
	var bout bytes.Buffer
	if err := run(context.Background(), testutil.NewClock(t).Now, []string{"backup", "-db", path, backupPath}, nil, &bout); err != nil {
		t.Fatalf("backup while serving: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no shutdown within 20s")
	}
	// The backup leaves the secret key behind, to be kept apart.
	if _, err := os.Stat(db.KeyFile(backupPath)); err == nil {
		t.Error("the backup took the secret key along")
	}
	testutil.RestoreKey(t, path, backupPath)
	for _, file := range []string{path, backupPath} {
		s, err := db.Open(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(context.Background(), "vostok", "vostok123"); err != nil {
			t.Errorf("%s: %v", file, err)
		}
		// The demo has delivered alerts to show and raises none of its own.
		notices, err := s.ListNotices(context.Background(), db.NoticeFilter{Limit: 100})
		if err != nil || len(notices) != 6 {
			t.Errorf("%s: %d demo notices (%v)", file, len(notices), err)
		}
		for _, n := range notices {
			if n.Status != db.NoticeSent || n.CompanyName != "Такси Пример" {
				t.Errorf("%s: demo notice %+v", file, n)
			}
		}
		s.Close()
	}

	// Restored as README says: the server stopped, the file and its WAL
	// replaced by the copy, the balances checked, the server started again.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	copyData, err := os.ReadFile(backupPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, copyData, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), testutil.NewClock(t).Now, []string{"check", "-db", path}, nil, &bout); err != nil {
		t.Fatalf("check after restore: %v\n%s", err, bout.String())
	}
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		done <- run(ctx, testutil.NewClock(t).Now, []string{"-db", path, "-addr", addr}, strings.NewReader(""), &syncWriter{w: &out})
	}()
	waitHealthy(t, "http://"+addr+"/healthz")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serving the restored file: %v", err)
	}
}

// A busy port fails at once: before the database is opened, the demo
// filled and its logins printed.
func TestServeDemoOnBusyPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	path := filepath.Join(t.TempDir(), "elk.db")
	var out bytes.Buffer
	err = run(context.Background(), testutil.NewClock(t).Now, []string{"-db", path, "-addr", addr, "-demo"}, strings.NewReader(""), &out)
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("serving on a busy port: %v, want an error naming %s", err, addr)
	}
	if out.Len() > 0 {
		t.Errorf("printed before failing:\n%s", out.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the database was created: %v", err)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHealthy waits for the server, which first fills the full demo (a year
// of history, about four seconds on two cores).
func waitHealthy(t *testing.T, url string) {
	t.Helper()
	for range 900 {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never answered 200", url)
}

// syncWriter lets the server's goroutines write to one buffer.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestCheckFindsBalanceThatDisagrees(t *testing.T) {
	path := testutil.DemoCopy(t)
	ctx := context.Background()
	s := testutil.Open(t, path, testutil.NewClock(t))
	var out bytes.Buffer
	if err := run(ctx, testutil.NewClock(t).Now, []string{"check", "-db", path}, nil, &out); err != nil || !strings.Contains(out.String(), "ledger OK") {
		t.Fatalf("consistent ledger: %v, %s", err, out.String())
	}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE company_services SET balance = balance + 1 WHERE id = (SELECT min(id) FROM company_services)`)
		return err
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(ctx, testutil.NewClock(t).Now, []string{"-db", path, "check"}, nil, &out)
	if err == nil || !strings.Contains(out.String(), "MISMATCH Такси Пример") {
		t.Errorf("broken ledger: %v, %s", err, out.String())
	}
}

// elk vacuum rewrites a file made before incremental vacuum with it on,
// gives back its free pages, and reports the file's size after.
func TestVacuumCommand(t *testing.T) {
	path := testutil.DemoCopy(t)
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(`PRAGMA auto_vacuum = NONE; VACUUM; CREATE TABLE filler (b BLOB);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8)
		INSERT INTO filler SELECT randomblob(1048576) FROM n; DROP TABLE filler`) // as a file made before it, 8 MB free
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), testutil.NewClock(t).Now, []string{"vacuum", "-db", path}, nil, &out); err != nil ||
		!strings.Contains(out.String(), "vacuumed") {
		t.Fatalf("vacuum: %v, %s", err, out.String())
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var before, after int64
	if sizes := regexp.MustCompile(`(\d+) MB before, (\d+) MB now`).FindStringSubmatch(out.String()); sizes != nil {
		fmt.Sscan(sizes[1], &before)
		fmt.Sscan(sizes[2], &after)
	}
	if after != info.Size()>>20 || before < after+8 {
		t.Errorf("vacuum reported %q, the file is %d MB after it, 8 MB were free", out.String(), info.Size()>>20)
	}
	conn, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mode int
	if err := conn.QueryRow(`PRAGMA auto_vacuum`).Scan(&mode); err != nil || mode != 2 {
		t.Errorf("auto_vacuum %d after elk vacuum (%v), want 2", mode, err)
	}
}

func TestNotificationSettingsFromEnvironment(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
		mail    bool
		sms     bool
	}{
		{name: "nothing set records only", env: map[string]string{}},
		{name: "SMTP and gateway", env: map[string]string{"ELK_SMTP_HOST": "smtp.example.ru", "ELK_SMTP_FROM": "ЕЛК <lk@example.ru>",
			"ELK_SMS_GATEWAY_URL": "https://sms.example.ru/send?to={phone}&msg={text}"}, mail: true, sms: true},
		{name: "no sender", env: map[string]string{"ELK_SMTP_HOST": "smtp.example.ru"}, wantErr: "ELK_SMTP_FROM"},
		{name: "unknown security", env: map[string]string{"ELK_SMTP_HOST": "h", "ELK_SMTP_FROM": "a@b.ru", "ELK_SMTP_TLS": "ssl"}, wantErr: "ELK_SMTP_TLS"},
		{name: "bad port", env: map[string]string{"ELK_SMTP_HOST": "h", "ELK_SMTP_FROM": "a@b.ru", "ELK_SMTP_PORT": "smtp"}, wantErr: "ELK_SMTP_PORT"},
		{name: "bad gateway", env: map[string]string{"ELK_SMS_GATEWAY_URL": "sms.example.ru"}, wantErr: "ELK_SMS_GATEWAY_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range []string{"ELK_SMTP_HOST", "ELK_SMTP_FROM", "ELK_SMTP_TLS", "ELK_SMTP_PORT", "ELK_SMS_GATEWAY_URL"} {
				t.Setenv(name, tc.env[name])
			}
			o, err := newOutbox(nil, "http://localhost:8080", slog.New(slog.NewTextHandler(io.Discard, nil)))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (o.Mail != nil) != tc.mail || (o.SMS != nil) != tc.sms {
				t.Errorf("mail %v, sms %v", o.Mail, o.SMS)
			}
		})
	}
}

func TestLocalURL(t *testing.T) {
	for addr, want := range map[string]string{":8080": "http://localhost:8080", "127.0.0.1:9000": "http://127.0.0.1:9000",
		"0.0.0.0:80": "http://localhost:80", "[::]:8443": "http://localhost:8443"} {
		if got := localURL(addr); got != want {
			t.Errorf("%s: %s, want %s", addr, got, want)
		}
	}
}

func TestLogFormat(t *testing.T) {
	var b strings.Builder
	log, err := newLogger("json", &b)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("started", "addr", ":8080")
	if !strings.HasPrefix(b.String(), `{"time":`) || !strings.Contains(b.String(), `"addr":":8080"`) {
		t.Errorf("JSON log line: %s", b.String())
	}
	if _, err := newLogger("xml", &b); err == nil {
		t.Error("an unknown ELK_LOG_FORMAT was accepted")
	}
}

// Every ELK_* setting the code reads is in README's table.
func TestEverySettingIsDocumented(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	setting := regexp.MustCompile(`"(ELK_[A-Z_]+)"`)
	var n int
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range setting.FindAllStringSubmatch(string(src), -1) {
			n++
			if !strings.Contains(string(readme), "| `"+m[1]+"`") && !strings.Contains(string(readme), ", `"+m[1]+"`") {
				t.Errorf("%s (read in %s) is not in README's settings table", m[1], path)
			}
		}
		return nil
	})
	if err != nil || n < 15 {
		t.Fatalf("%d settings found: %v", n, err)
	}
}
