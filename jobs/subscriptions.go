package jobs

import (
	"context"
	"time"

	"elk/db"
)

// SubscriptionStore is what Subscriptions needs from the database.
type SubscriptionStore interface {
	Now() time.Time
	AdvanceSubscriptions(ctx context.Context, today time.Time) (int64, error)
}

// Subscriptions starts subscriptions whose period has come and expires those
// whose period has ended. Days are counted in Moscow time, where the
// vendor's working day is; a subscription ends on its last day's midnight there.
type Subscriptions struct {
	Store SubscriptionStore
	Loc   *time.Location
}

// Name names the job in logs.
func (Subscriptions) Name() string { return "subscriptions" }

// Interval is how often the job runs: often enough that a period never
// outlives its last day by more than a quarter of an hour.
func (Subscriptions) Interval() time.Duration { return 15 * time.Minute }

// Run advances every subscription once.
func (j Subscriptions) Run(ctx context.Context) error {
	_, err := j.Store.AdvanceSubscriptions(ctx, db.Today(j.Store.Now(), j.Loc))
	return err
}
