package jobs

import (
	"context"
	"errors"
	"time"

	"elk/db"
	"elk/db/auth"
)

// CleanupStore is what Cleanup needs from the database.
type CleanupStore interface {
	PruneSessions(ctx context.Context, lim db.SessionLimits) (int64, error)
	PruneLoginFailures(ctx context.Context, t auth.Throttle) error
}

// Cleanup deletes ended sessions and login failures that no longer count,
// so these tables stay small however long the server runs.
type Cleanup struct {
	Store    CleanupStore
	Sessions db.SessionLimits
	Throttle auth.Throttle
}

// Name names the job in logs.
func (Cleanup) Name() string { return "cleanup" }

// Interval is how often the job runs.
func (Cleanup) Interval() time.Duration { return 10 * time.Minute }

// Run prunes once.
func (j Cleanup) Run(ctx context.Context) error {
	_, err := j.Store.PruneSessions(ctx, j.Sessions)
	return errors.Join(err, j.Store.PruneLoginFailures(ctx, j.Throttle))
}
