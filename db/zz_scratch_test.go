package db_test

import (
	"context"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

func TestZZYearBoundary(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	clock := testutil.NewClock(t)
	s.SetClock(clock.Now)
	today := db.Today(clock.Now(), testutil.Moscow)
	t.Logf("now %s today %s", clock.Now(), today)
	inv, err := s.CreateInvoiceOn(ctx, db.Actor{}, db.NewInvoice{Service: cs, Item: "x", Amount: 90000}, today.AddDate(0, 0, -5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: 30000, PaidOn: today.AddDate(0, 0, -1), Reference: "yb"}); err != nil {
		t.Fatal(err)
	}
	acts, _ := s.InvoiceActs(ctx, inv.ID)
	for _, a := range acts {
		t.Logf("invoice %s of %s; act %s of %s paid %s", a.InvoiceNumber, a.InvoiceDate.Format(time.DateOnly), a.Number, a.IssuedOn.Format(time.DateOnly), a.PaidOn.Format(time.DateOnly))
	}
}
