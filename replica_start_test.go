package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// replicaConfig serves the database at dbPath replicated to replica.
func replicaConfig(t *testing.T, dbPath, replica string) config {
	return config{dbPath: dbPath, replica: replica, replicaSync: 100 * time.Millisecond, now: testutil.NewClock(t).Now}
}

var discardLog = slog.New(slog.DiscardHandler)

// serveOnce opens the served store as a start does and closes it again.
func serveOnce(t *testing.T, cfg config) error {
	t.Helper()
	_, closeStore, err := openServedStore(context.Background(), cfg, discardLog)
	if err != nil {
		return err
	}
	if err := closeStore(); err != nil {
		t.Fatal(err)
	}
	return nil
}

// The database and its key file are lost: the automatic restore brings the
// database back and the start stops there, asking for the key, with no new
// key file written beside it.
func TestRestoreWithoutKeyFileAsksForIt(t *testing.T) {
	path := testutil.DemoCopy(t)
	replica := filepath.Join(t.TempDir(), "replica")
	if err := serveOnce(t, replicaConfig(t, path, replica)); err != nil {
		t.Fatal(err)
	}
	deleteDatabase(t, path, true)
	key, err := os.ReadFile(db.KeyFile(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(db.KeyFile(path)); err != nil {
		t.Fatal(err)
	}
	err = serveOnce(t, replicaConfig(t, path, replica))
	if err == nil || !strings.Contains(err.Error(), "is missing: put it back beside the database or set ELK_SECRET_KEY") {
		t.Errorf("restored without its key file: %v", err)
	}
	if _, statErr := os.Stat(db.KeyFile(path)); statErr == nil {
		t.Fatalf("a new key file was written for the restored database")
	}
	if err := os.WriteFile(db.KeyFile(path), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := serveOnce(t, replicaConfig(t, path, replica)); err != nil {
		t.Errorf("with the key file put back: %v", err)
	}
}

// The database is lost and the replica holds none, its disk not mounted or
// ELK_REPLICA mistyped: with its key file left, ELK_SECRET_KEY set or the
// replica's folder not there, the start is refused rather than serve an
// empty portal; -first-start starts it all the same. A true first start,
// to an empty folder made for it, needs nothing.
func TestMissingDatabaseAndEmptyReplicaIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "elk.db")
	mounted := filepath.Join(dir, "mnt")
	if err := os.Mkdir(mounted, 0o755); err != nil {
		t.Fatal(err)
	}
	notMounted := filepath.Join(dir, "not-mounted", "replica")
	aFile := filepath.Join(dir, "a-file")
	if err := os.WriteFile(aFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	if err := serveOnce(t, replicaConfig(t, path, notMounted)); err == nil ||
		!strings.Contains(err.Error(), "the replica's folder "+notMounted+" is not there: this is no first start") ||
		!strings.Contains(err.Error(), "start once with -first-start") {
		t.Errorf("a replica folder that is not there: %v", err)
	}
	if err := serveOnce(t, replicaConfig(t, path, aFile)); err == nil {
		t.Errorf("a replica that is a file: started")
	}
	cfg := replicaConfig(t, path, mounted)
	cfg.secretKey = strings.Repeat("ab", 32)
	if err := serveOnce(t, cfg); err == nil || !strings.Contains(err.Error(), "but ELK_SECRET_KEY is set: this is no first start") {
		t.Errorf("ELK_SECRET_KEY set: %v", err)
	}
	cfg.firstStart = true
	if err := serveOnce(t, cfg); err != nil {
		t.Fatalf("ELK_SECRET_KEY set, -first-start: %v", err)
	}

	// The disk lost with the replica unmounted: the key file is left.
	deleteDatabase(t, path, true)
	if _, err := db.LoadKeyFile(db.KeyFile(path)); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := serveOnce(t, replicaConfig(t, path, empty)); err == nil ||
		!strings.Contains(err.Error(), "but its key file "+db.KeyFile(path)+" is there: this is no first start") {
		t.Errorf("the key file left: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Errorf("a refused start left a database behind")
	}

	// A first start: no key, an empty folder for the replica.
	fresh := filepath.Join(dir, "fresh.db")
	if err := serveOnce(t, replicaConfig(t, fresh, empty)); err != nil {
		t.Errorf("a first start: %v", err)
	}
}

// Two servers (staging and production with the same elk.env, say) given one
// replica folder: the second is refused before it writes there, the
// replica still restores the first's database, and elk check of the second
// says the folder holds another database.
func TestTwoDatabasesCannotShareAReplicaFolder(t *testing.T) {
	ctx := context.Background()
	replica := filepath.Join(t.TempDir(), "replica")
	a := testutil.DemoCopy(t)
	b := filepath.Join(t.TempDir(), "other.db")
	if err := testutil.Open(t, b, testutil.NewClock(t)).Close(); err != nil {
		t.Fatal(err)
	}
	if err := serveOnce(t, replicaConfig(t, a, replica)); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(replica)
	if err != nil {
		t.Fatal(err)
	}
	if err := serveOnce(t, replicaConfig(t, b, replica)); err == nil ||
		!strings.Contains(err.Error(), "holds another database's replica") || !strings.Contains(err.Error(), "give each its own ELK_REPLICA") {
		t.Errorf("a second database replicated into the first's folder: %v", err)
	}
	if again, err := os.ReadDir(replica); err != nil || len(again) != len(entries) {
		t.Errorf("the refused server wrote into the folder: %d entries, %d before (%v)", len(again), len(entries), err)
	}

	var out strings.Builder
	if err := run(ctx, testutil.NewClock(t).Now, []string{"-replica", replica, "check", "-db", a}, nil, &out); err != nil {
		t.Errorf("check of the first: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, testutil.NewClock(t).Now, []string{"-replica", replica, "check", "-db", b}, nil, &out); err == nil ||
		!strings.Contains(err.Error(), "replica check failed: the replica "+replica+" holds another database's replica") {
		t.Errorf("check of the second: %v", err)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if err := run(ctx, testutil.NewClock(t).Now, []string{"restore", "-replica", replica, "-db", restored}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if keys := keysIn(t, restored); len(keys["sms"]) == 0 {
		t.Errorf("the replica restores a database without the first's SMS")
	}
}

// A replica's address: a path, or a file URL escaped as URLs are; a file
// URL with a host (two slashes, file://relative/dir), no path, a query or
// a fragment is refused with what to write instead.
func TestReplicaAddresses(t *testing.T) {
	for address, want := range map[string]string{
		"/mnt/a b":               "/mnt/a b",
		"file:///mnt/a%20b":      "/mnt/a b",
		"file:///mnt/a%23b":      "/mnt/a#b",
		"FILE:///mnt/x/":         "/mnt/x",
		"file://localhost/mnt/x": "/mnt/x",
		"file://relative/dir":    "with three slashes (file:///mnt/elk-replica)",
		"file://":                "names no folder",
		"file:///mnt/a?x=1":      "takes no ?query or #fragment",
		"file:///mnt/a#frag":     "takes no ?query or #fragment",
		"s3://bucket/elk":        "for s3 run Litestream beside ELK",
	} {
		client, err := newReplicaClient(address)
		switch {
		case err != nil && !strings.Contains(err.Error(), want):
			t.Errorf("%q: %v, want %q", address, err, want)
		case err == nil && client.Path() != want:
			t.Errorf("%q is the folder %q, want %q", address, client.Path(), want)
		}
	}
}
