package jobs_test

import (
	"context"
	"testing"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

// Months of 0 or less keep every SMS, however old.
func TestSMSRetentionOffKeepsEverySMS(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	count := func() int {
		n := 0
		if err := store.EachSMS(ctx, 1, db.SMSFilter{}, func(db.SMSMessage) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	all := count()
	clk.Set(clk.Now().AddDate(0, 120, 3)) // past every SMS of the demo (a few days) by more than 120 months
	for _, months := range []int{0, -1} {
		if err := (jobs.SMSRetention{Store: store, Months: months}).Run(ctx); err != nil || count() != all {
			t.Errorf("months %d: %d SMS of %d left (%v)", months, count(), all, err)
		}
	}
	if err := (jobs.SMSRetention{Store: store, Months: 120}).Run(ctx); err != nil || count() != 0 {
		t.Errorf("ten years on, kept 120 months: %d SMS left (%v)", count(), err)
	}
}
