package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"elk/db"
	"elk/db/auth"
	"elk/db/money"
	"elk/testutil"
)

func TestMain(m *testing.M) {
	os.Exit(testutil.Main(m))
}

// openStore is an empty database on the test clock.
func openStore(t *testing.T) *db.Store {
	t.Helper()
	return testutil.Open(t, filepath.Join(t.TempDir(), "elk.db"), testutil.NewClock(t))
}

// demoStore is a copy of the brief demo on the test clock.
func demoStore(t *testing.T) *db.Store {
	t.Helper()
	s, _ := testutil.OpenDemo(t)
	return s
}

// downTo opens the database file without the store and takes its
// migrations back to version, as an older release would find it; the
// provider takes further steps.
func downTo(t *testing.T, path string, version int64) (*sql.DB, *goose.Provider) {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sub, _ := fs.Sub(db.Migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	return conn, p
}

func TestMigrationsApplyToFreshFileAndAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "elk.db")
	for range 2 {
		s, err := db.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
}

func TestWithTxRollsBackOnError(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('half', 'written')`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	// Secret creates its row only when missing: "half" must not be there.
	var n int
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = 'half'`).Scan(&n)
	})
	if err != nil || n != 0 {
		t.Errorf("rolled-back row present: n=%d err=%v", n, err)
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	path := testutil.DemoCopy(t)
	s := testutil.Open(t, path, testutil.NewClock(t))
	ctx := context.Background()
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dst); err == nil {
		t.Error("backup overwrote an existing file")
	}
	if _, err := os.Stat(db.KeyFile(dst)); err == nil {
		t.Error("the backup took the secret key along")
	}
	testutil.RestoreKey(t, path, dst)
	cp, err := db.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if _, err := cp.Authenticate(ctx, "taxi", "taxi123"); err != nil {
		t.Errorf("copy lacks the demo: %v", err)
	}
}

// A session brings its user and, for a client's user, the company, in the
// state they are in now.
func TestSessionUserBringsTheCompany(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	lim := db.SessionLimits{Idle: time.Hour, Absolute: 24 * time.Hour}
	session := func(login string) (db.User, *db.Company, error) {
		t.Helper()
		u, _ := s.UserByLogin(ctx, login)
		sess, err := s.Login(ctx, u, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		_, got, co, err := s.SessionUser(ctx, sess.Token, lim)
		return got, co, err
	}
	taxi, co, err := session("taxi")
	if err != nil || taxi.Login != "taxi" || co == nil || co.ID != taxi.CompanyID || co.Name != "Такси Пример" || co.Location() == nil {
		t.Fatalf("client: %+v %+v %v", taxi, co, err)
	}
	admin, co, err := session("admin")
	if err != nil || admin.Login != "admin" || !admin.IsStaff() || co != nil {
		t.Fatalf("staff: %+v %+v %v", admin, co, err)
	}
	if _, _, _, err := s.SessionUser(ctx, "no-such-token", lim); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	u, _ := s.UserByLogin(ctx, "dispatcher")
	if err := s.SetUserDisabled(ctx, db.Actor{}, u, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := session("dispatcher"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("a disabled user's session: %v", err)
	}
}

func TestPruneEndsOldSessionsAndFailures(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	now := s.Now().Truncate(time.Millisecond) // the precision times are stored with
	s.SetClock(func() time.Time { return now })
	u, _ := s.UserByLogin(ctx, "taxi")
	sess, err := s.Login(ctx, u, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	th := auth.Throttle{Limit: 5, Window: 15 * time.Minute}
	lim := db.SessionLimits{Idle: time.Hour, Absolute: 24 * time.Hour}
	s.StartLoginAttempt(ctx, th, "login:x")
	if n, _ := s.PruneSessions(ctx, lim); n != 0 {
		t.Errorf("fresh session pruned")
	}
	now = now.Add(2 * time.Hour)
	if n, _ := s.PruneSessions(ctx, lim); n != 1 {
		t.Errorf("idle session kept")
	}
	if _, _, _, err := s.SessionUser(ctx, sess.Token, lim); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("pruned session found: %v", err)
	}
	s.PruneLoginFailures(ctx, th)
	for range 5 {
		if _, wait, _ := s.StartLoginAttempt(ctx, th, "login:x"); wait != 0 {
			t.Fatalf("refused before the limit: %v", wait)
		}
	}
	if _, wait, _ := s.StartLoginAttempt(ctx, th, "login:x"); wait != 15*time.Minute {
		t.Errorf("wait %v after 5 fresh failures (the old one pruned)", wait)
	}
}

// A slowed key is never locked: past the limit it waits a delay after its
// last failure, doubled with each further failure.
func TestSlowedKeyWaitsAfterItsLastFailure(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	now := s.Now().Truncate(time.Millisecond)
	s.SetClock(func() time.Time { return now })
	slow := auth.Throttle{Limit: 5, Window: 15 * time.Minute, Delay: time.Second, MaxDelay: time.Minute}
	for range 5 {
		if _, wait, _ := s.StartLoginAttempt(ctx, slow, "login:x|ip:y"); wait != 0 {
			t.Fatalf("refused before the limit: %v", wait)
		}
	}
	for _, delay := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		if _, wait, _ := s.StartLoginAttempt(ctx, slow, "login:x|ip:y"); wait != delay {
			t.Fatalf("wait %v, want %v", wait, delay)
		}
		now = now.Add(delay / 4)
		if _, wait, _ := s.StartLoginAttempt(ctx, slow, "login:x|ip:y"); wait != delay*3/4 {
			t.Fatalf("a quarter of the delay on: wait %v", wait)
		}
		now = now.Add(delay * 3 / 4)
		if _, wait, _ := s.StartLoginAttempt(ctx, slow, "login:x|ip:y"); wait != 0 {
			t.Fatalf("after the delay: wait %v", wait)
		}
	}
	// The failures leave the window: no delay is left.
	now = now.Add(16 * time.Minute)
	if _, wait, _ := s.StartLoginAttempt(ctx, slow, "login:x|ip:y"); wait != 0 {
		t.Errorf("after the window: wait %v", wait)
	}
}

func TestStoredTimesReadBackExactly(t *testing.T) {
	for _, in := range []time.Time{
		time.Date(2026, 11, 27, 3, 4, 5, 678_000_000, time.UTC),
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 23, 59, 59, 999_000_000, time.UTC),
	} {
		if got := db.ParseStoredTime(db.FormatStoredTime(in)); !got.Equal(in) {
			t.Errorf("%v → %v", in, got)
		}
	}
	if got := db.ParseStoredTime("2026-11-27T03:04:05Z"); !got.Equal(time.Date(2026, 11, 27, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("without milliseconds: %v", got)
	}
}

// Upgrading an older database first copies it beside itself; the copy is
// the database as it was and opens (and upgrades) like any other.
func TestUpgradeBacksUpTheOlderDatabaseFirst(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "elk.db")
	demo := testutil.DemoCopy(t)
	if err := os.Rename(demo, path); err != nil {
		t.Fatal(err)
	}
	testutil.RestoreKey(t, demo, path)

	// Take the newest step back, as if the file came from the version before.
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(db.Migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Down(ctx); err != nil {
		t.Fatal(err)
	}
	version, err := p.GetDBVersion(ctx) // migrations' numbers may have gaps
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()

	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	copies, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("elk.db.before-v%d-*.bak", version)))
	if len(copies) != 1 {
		t.Fatalf("backups before the upgrade: %v", copies)
	}
	testutil.RestoreKey(t, path, copies[0])
	restored, err := db.Open(ctx, copies[0])
	if err != nil {
		t.Fatalf("the copy does not open: %v", err)
	}
	defer restored.Close()
	if cs, err := restored.ListCompanies(ctx, ""); err != nil || len(cs) != 3 {
		t.Errorf("the copy's companies: %d, %v", len(cs), err)
	}
	// An up-to-date database is not copied again.
	s, _ = db.Open(ctx, path)
	s.Close()
	if all, _ := filepath.Glob(filepath.Join(dir, "*.bak")); len(all) != 2 { // the upgrade's and the copy's own upgrade
		t.Errorf("backups: %v", all)
	}
}

// The SMS roll-up agrees with the messages, and still does after its
// migration is taken back (the old table rebuilt from the messages) and
// applied again (pivoted from the old table).
func TestSMSRollUpSurvivesItsMigration(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	before, err := s.SMSDays(ctx, 1, from, to, "")
	if err != nil || len(before) == 0 {
		t.Fatalf("the demo's SMS days: %d, %v", len(before), err)
	}
	s.Close()

	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	perDay := func(query string) map[string]int {
		rows, err := conn.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var key string
			var n int
			if err := rows.Scan(&key, &n); err != nil {
				t.Fatal(err)
			}
			out[key] = n
		}
		return out
	}
	sub, _ := fs.Sub(db.Migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 23); err != nil { // the messages with their day and status as text
		t.Fatal(err)
	}
	messages := perDay(`SELECT day || ' ' || status, count(*) FROM sms WHERE company_id = 1 GROUP BY day, status`)
	for _, d := range before {
		for i, st := range db.SMSStatuses {
			if n := messages[d.Day.Format("2006-01-02")+" "+st]; n != d.Counts[i] {
				t.Errorf("%s %s: %d in the roll-up, %d messages", d.Day.Format("2006-01-02"), st, d.Counts[i], n)
			}
		}
	}
	if _, err := p.DownTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	old := perDay(`SELECT day || ' ' || status, count FROM sms_days WHERE company_id = 1`)
	if len(old) != len(messages) {
		t.Errorf("the old roll-up, rebuilt: %d cells, %d from the messages", len(old), len(messages))
	}
	for k, n := range messages {
		if old[k] != n {
			t.Errorf("%s: %d in the old roll-up, %d messages", k, old[k], n)
		}
	}
	s, err = db.Open(ctx, path) // applies it again
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after, err := s.SMSDays(ctx, 1, from, to, "")
	if err != nil || !slices.EqualFunc(before, after, func(a, b db.SMSDay) bool { return a.Day.Equal(b.Day) && a.Counts == b.Counts && a.Cost == b.Cost }) {
		t.Errorf("SMS days after the round trip differ: %v", err)
	}
}

// Importing a history into empty tables drops their indexes and builds them
// again after loading the rows: the schema the demo's fill leaves is the
// migrations' own, to the letter.
func TestDemoLeavesTheSchemaAsMigrated(t *testing.T) {
	schema := func(path string) map[string]string {
		t.Helper()
		conn, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		rows, err := conn.Query(`SELECT type || ' ' || name, coalesce(sql, '') FROM sqlite_schema`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var name, text string
			if err := rows.Scan(&name, &text); err != nil {
				t.Fatal(err)
			}
			out[name] = text
		}
		return out
	}
	migrated := filepath.Join(t.TempDir(), "elk.db")
	testutil.Open(t, migrated, testutil.NewClock(t)).Close()
	want, got := schema(migrated), schema(testutil.DemoCopy(t))
	if len(want) < 50 || !maps.Equal(got, want) {
		t.Errorf("schema after the demo differs from the migrated one:\n%v\nwant\n%v", got, want)
	}
}

// Acts issued before migration 14 get the VAT the rule gives new ones: an
// invoice of 10 000,09 paid as 5 000,04 and 5 000,05 has VAT 1 803,29, and
// its acts carry 901,65 and 901,64, not 901,65 twice, each rounded on its
// own.
func TestActVATSurvivesItsMigration(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	services, err := s.CompanyServices(ctx, 1, true)
	if err != nil || len(services) == 0 {
		t.Fatalf("services: %v", err)
	}
	inv, err := s.CreateInvoice(ctx, db.Actor{}, db.NewInvoice{Service: services[0], Item: "Услуга «СМС»", Amount: 1_000_009})
	if err != nil {
		t.Fatal(err)
	}
	// Acts were issued for every payment: the policy that still does so.
	if err := s.SetClosingPolicy(ctx, db.Actor{}, db.ClosingOnPayment, inv.IssuedOn); err != nil {
		t.Fatal(err)
	}
	for i, part := range []money.Kopecks{500_004, 500_005} {
		if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: part, PaidOn: inv.IssuedOn, Reference: fmt.Sprintf("half-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	downTo(t, path, 13)
	if s, err = db.Open(ctx, path); err != nil { // applies it again
		t.Fatal(err)
	}
	defer s.Close()
	acts, err := s.InvoiceClosingDocs(ctx, inv.ID)
	if err != nil || len(acts) != 2 || acts[0].VAT != 90165 || acts[1].VAT != 90164 {
		t.Errorf("acts after the migration: %+v %v", acts, err)
	}
}
