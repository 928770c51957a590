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
