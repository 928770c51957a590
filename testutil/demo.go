package testutil

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"elk/db"
	"elk/db/demo"
)

// demoFile is the brief demo, seeded once per test binary at the clock's
// start: each test copies the file, which is far faster than seeding again.
var demoFile struct {
	once      sync.Once
	dir, path string
	err       error
}

// Main runs a package's tests, then removes the demo file they shared.
func Main(m *testing.M) int {
	code := m.Run()
	if demoFile.dir != "" {
		os.RemoveAll(demoFile.dir)
	}
	return code
}

func seedDemoFile() error {
	start, err := Start()
	if err != nil {
		return err
	}
	if demoFile.dir, err = os.MkdirTemp("", "elk-demo"); err != nil {
		return err
	}
	demoFile.path = filepath.Join(demoFile.dir, "demo.db")
	ctx := context.Background()
	store, err := db.Open(ctx, demoFile.path)
	if err != nil {
		return err
	}
	store.SetClock(func() time.Time { return start })
	_, err = demo.Seed(ctx, store, demo.Options{Brief: true})
	return errors.Join(err, store.Close()) // closing folds the WAL into the file
}

// DemoCopy writes a copy of the brief demo, with its secret key file, into
// the test's temporary folder and returns its path.
func DemoCopy(t testing.TB) string {
	t.Helper()
	demoFile.once.Do(func() { demoFile.err = seedDemoFile() })
	if demoFile.err != nil {
		t.Fatalf("seed the demo: %v", demoFile.err)
	}
	path := filepath.Join(t.TempDir(), "elk.db")
	copyFile(t, demoFile.path, path)
	RestoreKey(t, demoFile.path, path)
	return path
}

// RestoreKey puts the secret key file of the database at from beside the
// database at to, as an operator restores a backup together with the key
// kept apart from it.
func RestoreKey(t testing.TB, from, to string) {
	t.Helper()
	copyFile(t, db.KeyFile(from), db.KeyFile(to))
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Open opens the database file at path on the clock, and closes it when the
// test ends.
func Open(t testing.TB, path string, clock *Clock) *db.Store {
	t.Helper()
	store, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	store.SetClock(clock.Now)
	t.Cleanup(func() { store.Close() })
	return store
}

// OpenDemo opens a fresh copy of the brief demo on a new test clock.
func OpenDemo(t testing.TB) (*db.Store, *Clock) {
	t.Helper()
	clock := NewClock(t)
	return Open(t, DemoCopy(t), clock), clock
}
