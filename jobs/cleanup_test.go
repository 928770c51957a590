package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"elk/db"
	"elk/db/auth"
	"elk/jobs"
	"elk/testutil"
)

func TestCleanupPrunesEndedSessionsOnStart(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	u, _ := store.UserByLogin(ctx, "taxi")
	sess, err := store.Login(ctx, u, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	lim := db.SessionLimits{Idle: time.Hour, Absolute: 24 * time.Hour}
	clk.Advance(2 * time.Hour)

	pruned := make(chan struct{}, 10)
	r := jobs.Start(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)),
		jobs.Cleanup{Store: notifyingStore{store, pruned}, Sessions: lim, Throttle: auth.Throttle{Limit: 5, Window: 15 * time.Minute}})
	select { // the job runs once at start
	case <-pruned:
	case <-time.After(5 * time.Second):
		t.Fatal("cleanup did not run at start")
	}
	stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.Stop(stopCtx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	clk.Advance(-2 * time.Hour) // back to when the session was made
	if _, _, _, err := store.SessionUser(ctx, sess.Token, db.SessionLimits{Idle: 100 * time.Hour, Absolute: 100 * time.Hour}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("idle session still stored: %v", err)
	}
}

// notifyingStore tells the test when the job has pruned.
type notifyingStore struct {
	*db.Store
	pruned chan<- struct{}
}

func (n notifyingStore) PruneLoginFailures(ctx context.Context, t auth.Throttle) error {
	defer func() { n.pruned <- struct{}{} }()
	return n.Store.PruneLoginFailures(ctx, t)
}
