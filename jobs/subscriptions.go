package jobs

import (
	"context"
	"time"
)

// SubscriptionStore is what Subscriptions needs from the database.
type SubscriptionStore interface {
	AdvanceSubscriptions(ctx context.Context) (int64, error)
}

// Subscriptions starts subscriptions whose period has come and expires those
// whose period has ended, by each company's own calendar.
type Subscriptions struct {
	Store SubscriptionStore
}

// Name names the job in logs.
func (Subscriptions) Name() string { return "subscriptions" }

// Interval is how often the job runs: often enough that a period never
// outlives its last day by more than a quarter of an hour.
func (Subscriptions) Interval() time.Duration { return 15 * time.Minute }

// Run advances every subscription once.
func (j Subscriptions) Run(ctx context.Context) error {
	_, err := j.Store.AdvanceSubscriptions(ctx)
	return err
}
