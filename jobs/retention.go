package jobs

import (
	"cmp"
	"context"
	"time"
)

// RetentionStore is what Retention needs from the database.
type RetentionStore interface {
	Now() time.Time
	PruneChecks(ctx context.Context, rawBefore, hoursBefore time.Time) (int64, error)
}

// Retention prunes the monitoring history: raw checks after RawDays,
// hourly roll-ups after HourlyDays, so the file stays small at thousands of
// monitors.
type Retention struct {
	Store      RetentionStore
	RawDays    int // 0 means 7
	HourlyDays int // 0 means 400
}

// Name implements Job.
func (Retention) Name() string { return "retention" }

// Interval implements Job.
func (Retention) Interval() time.Duration { return time.Hour }

// Run prunes once.
func (j Retention) Run(ctx context.Context) error {
	now := j.Store.Now()
	_, err := j.Store.PruneChecks(ctx, now.AddDate(0, 0, -cmp.Or(j.RawDays, 7)), now.AddDate(0, 0, -cmp.Or(j.HourlyDays, 400)))
	return err
}
