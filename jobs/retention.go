package jobs

import (
	"cmp"
	"context"
	"time"

	"elk/db"
)

// Retention prunes the monitoring history: raw checks after RawDays,
// hourly roll-ups after HourlyDays, so the file stays small at thousands of
// monitors.
type Retention struct {
	Store      *db.Store
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

// LicenseWarnings tells companies by e-mail 30 and 7 days before a license
// key expires.
type LicenseWarnings struct{ Store *db.Store }

// Name implements Job.
func (LicenseWarnings) Name() string { return "license warnings" }

// Interval implements Job.
func (LicenseWarnings) Interval() time.Duration { return time.Hour }

// Run warns once.
func (j LicenseWarnings) Run(ctx context.Context) error {
	_, err := j.Store.WarnExpiringLicenses(ctx)
	return err
}
