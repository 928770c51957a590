package jobs_test

import (
	"context"
	"testing"
	"time"

	"elk/db"
	"elk/jobs"
	"elk/testutil"
)

// On the first of a month the job issues last month's УПД by the store's
// clock, once however often it runs, and tells the company.
func TestMonthlyClosingIssuesLastMonthOnTheFirst(t *testing.T) {
	ctx := context.Background()
	store, clk := testutil.OpenDemo(t)
	services, _ := store.CompanyServices(ctx, 1, true)
	if _, _, err := store.Post(ctx, db.Entry{CompanyServiceID: services[0].ID, Amount: -2_500, Source: db.SourceSMS, Units: 10,
		IdempotencyKey: "job"}); err != nil {
		t.Fatal(err)
	}
	month := db.MonthStart(db.Today(clk.Now(), db.VendorLocation))
	clk.Set(time.Date(month.Year(), month.Month()+1, 1, 0, 30, 0, 0, db.VendorLocation))
	job := jobs.MonthlyClosing{Store: store}
	for range 2 {
		if err := job.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	docs, _ := store.ListDocuments(ctx, 1, db.DocFilter{Kind: db.DocClosing})
	var issued []db.Document
	for _, d := range docs {
		if d.InvoiceID == 0 && d.IssuedOn.Equal(db.Today(clk.Now(), db.VendorLocation)) {
			issued = append(issued, d)
		}
	}
	if len(issued) != 1 || issued[0].Form != db.FormUPD {
		t.Fatalf("documents issued on the first: %+v", issued)
	}
	// The company is told, once, by e-mail.
	notices, _ := store.ListNotices(ctx, db.NoticeFilter{Kind: db.NoticeClosingIssued, Limit: 10})
	var told []string
	for _, n := range notices {
		if n.CompanyID == 1 && n.Params.Act == issued[0].Number && n.Params.Amount == issued[0].Amount {
			told = append(told, n.Channel)
		}
	}
	if len(told) != 1 || told[0] != db.ChannelEmail {
		t.Errorf("notices of %s: %v of %+v", issued[0].Number, told, notices)
	}
}
