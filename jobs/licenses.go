package jobs

import (
	"context"
	"time"
)

// LicenseStore is what LicenseWarnings needs from the database.
type LicenseStore interface {
	WarnExpiringLicenses(ctx context.Context) (int, error)
}

// LicenseWarnings tells companies by e-mail 30 and 7 days before a license
// key expires.
type LicenseWarnings struct{ Store LicenseStore }

// Name implements Job.
func (LicenseWarnings) Name() string { return "license warnings" }

// Interval implements Job.
func (LicenseWarnings) Interval() time.Duration { return time.Hour }

// Run warns once.
func (j LicenseWarnings) Run(ctx context.Context) error {
	_, err := j.Store.WarnExpiringLicenses(ctx)
	return err
}
