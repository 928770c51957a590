package jobs

import (
	"context"
	"time"
)

// ClosingStore is what MonthlyClosing needs from the database.
type ClosingStore interface {
	IssueMonthlyDocs(ctx context.Context, at time.Time) (int, error)
	Now() time.Time
}

// MonthlyClosing issues, under the monthly policy, every company's УПД for
// the month just ended. It runs hourly, so the documents come early on the
// first of the month, or as soon as the server is up after it; a month
// already issued is skipped.
type MonthlyClosing struct {
	Store ClosingStore
}

// Name names the job in logs.
func (MonthlyClosing) Name() string { return "monthly-closing" }

// Interval is how often the job runs.
func (MonthlyClosing) Interval() time.Duration { return time.Hour }

// Run issues the last month's documents that are not yet issued.
func (j MonthlyClosing) Run(ctx context.Context) error {
	_, err := j.Store.IssueMonthlyDocs(ctx, j.Store.Now())
	return err
}
