package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

func TestSubscriptionsJobExpiresEndedPeriods(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	services, _ := store.CompanyServices(ctx, 1, false)
	active, _ := store.Subscriptions(ctx, 1, services[1].ID, db.StatusActive)
	if len(active) == 0 {
		t.Fatal("the demo has no active support subscription")
	}
	// Two months on, every demo subscription has ended.
	clk.Set(clk.Now().AddDate(0, 2, 0))
	done := make(chan struct{})
	r := jobs.Start(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Subscriptions{Store: signalling{store, done}})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the job did not run at start")
	}
	stop, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	r.Stop(stop)
	if still, _ := store.Subscriptions(ctx, 1, services[1].ID, db.StatusActive); len(still) != 0 {
		t.Errorf("%d subscriptions still active after their period", len(still))
	}
	if expired, _ := store.Subscriptions(ctx, 1, services[1].ID, db.StatusExpired); len(expired) < len(active) {
		t.Errorf("%d expired, %d were active", len(expired), len(active))
	}
}

type signalling struct {
	*db.Store
	done chan struct{}
}

func (s signalling) AdvanceSubscriptions(ctx context.Context) (int64, error) {
	defer close(s.done)
	return s.Store.AdvanceSubscriptions(ctx)
}
