package jobs

import (
	"context"
	"log/slog"
	"time"

	"elk/db"
)

// SMSRetentionStore is what SMSRetention needs from the database.
type SMSRetentionStore interface {
	Now() time.Time
	PruneSMS(ctx context.Context, before time.Time) (deleted, freedPages int64, err error)
}

// SMSRetention deletes the SMS older than Months months (ELK_SMS_RAW_MONTHS),
// so that the file stops growing with every message ever sent; their
// statistics stay in the daily roll-up. Months of 0 or less keeps them all.
type SMSRetention struct {
	Store  SMSRetentionStore
	Months int
	Log    *slog.Logger
}

// Name implements Job.
func (SMSRetention) Name() string { return "sms-retention" }

// Interval implements Job: hourly, as the day moves on; with nothing due
// it costs a query a company.
func (SMSRetention) Interval() time.Duration { return time.Hour }

// Run prunes once.
func (j SMSRetention) Run(ctx context.Context) error {
	if j.Months <= 0 {
		return nil
	}
	deleted, freed, err := j.Store.PruneSMS(ctx, db.SMSPruneBefore(j.Store.Now(), j.Months))
	if deleted > 0 && j.Log != nil {
		j.Log.Info("old SMS deleted", "sms", deleted, "pages_returned", freed, "months_kept", j.Months)
	}
	return err
}
