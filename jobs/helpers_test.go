package jobs_test

import (
	"context"
	"path/filepath"
	"testing"

	"elk/db"
)

// demoStore is a fresh database file with the brief demo, closed after the test.
func demoStore(t testing.TB) *db.Store {
	t.Helper()
	store, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "elk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.SeedDemo(context.Background(), db.DemoOptions{Brief: true}); err != nil {
		t.Fatal(err)
	}
	return store
}
