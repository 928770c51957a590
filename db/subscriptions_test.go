package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"elk/db"
)

func TestSubscriptionChargesRefundsAndExpires(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	year := s.Now().Year()
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	tid, _ := s.CreateTariff(ctx, db.Actor{}, db.Tariff{ServiceID: 1, Name: "Пакет", Price: 150000, Unit: db.UnitMonth, ValidFrom: day(1, 1)})
	tariff, _ := s.TariffByID(ctx, tid)
	buy := db.NewSubscription{Service: cs, Tariff: tariff, Kind: db.KindOneOff, PeriodFrom: day(3, 1), PeriodTo: day(3, 31),
		Today: day(3, 1), RequireFunds: true, Key: "buy-1"}

	_, err := s.Subscribe(ctx, db.Actor{}, buy)
	var short db.InsufficientFunds
	if !errors.As(err, &short) || short.Missing != 150000 {
		t.Fatalf("purchase on an empty balance: %v", err)
	}
	s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: 200000, Source: db.SourcePayment, IdempotencyKey: "pay"})
	id, err := s.Subscribe(ctx, db.Actor{}, buy)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Subscribe(ctx, db.Actor{}, buy) // a double click
	if err != nil || again != id {
		t.Fatalf("repeated purchase: %d, %v (first %d)", again, err, id)
	}
	after, _ := s.CompanyService(ctx, cs.CompanyID, cs.ID)
	if after.Balance != 50000 {
		t.Errorf("balance after one purchase: %d", after.Balance)
	}
	su, err := s.CompanySubscription(ctx, cs.CompanyID, id)
	if err != nil || su.Status != db.StatusActive || su.Price != 150000 {
		t.Fatalf("subscription %+v %v", su, err)
	}
	if _, err := s.CompanySubscription(ctx, 1, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another company's subscription: %v", err)
	}

	if err := s.CancelSubscription(ctx, db.Actor{}, su, true); err != nil {
		t.Fatal(err)
	}
	s.CancelSubscription(ctx, db.Actor{}, su, true) // twice refunds once
	after, _ = s.CompanyService(ctx, cs.CompanyID, cs.ID)
	if after.Balance != 200000 {
		t.Errorf("balance after the refund: %d", after.Balance)
	}

	buy.Key, buy.PeriodFrom, buy.PeriodTo, buy.RequireFunds = "buy-2", day(4, 1), day(4, 30), false
	pendingID, _ := s.Subscribe(ctx, db.Actor{}, buy)
	if p, _ := s.CompanySubscription(ctx, cs.CompanyID, pendingID); p.Status != db.StatusPending {
		t.Errorf("future subscription status %q", p.Status)
	}
	// Days turn by the company's calendar: «Такси Север» keeps Moscow time.
	s.SetClock(func() time.Time { return time.Date(year, 3, 31, 20, 59, 0, 0, time.UTC) }) // 23:59 in Moscow
	s.AdvanceSubscriptions(ctx)
	if p, _ := s.CompanySubscription(ctx, cs.CompanyID, pendingID); p.Status != db.StatusPending {
		t.Errorf("started a minute early: %q", p.Status)
	}
	s.SetClock(func() time.Time { return time.Date(year, 3, 31, 21, 0, 0, 0, time.UTC) }) // midnight in Moscow
	s.AdvanceSubscriptions(ctx)
	if p, _ := s.CompanySubscription(ctx, cs.CompanyID, pendingID); p.Status != db.StatusActive {
		t.Errorf("started subscription status %q", p.Status)
	}
	s.SetClock(func() time.Time { return day(5, 1) })
	s.AdvanceSubscriptions(ctx)
	if p, _ := s.CompanySubscription(ctx, cs.CompanyID, pendingID); p.Status != db.StatusExpired {
		t.Errorf("ended subscription status %q", p.Status)
	}
	if bad, _ := s.CheckLedger(ctx); len(bad) != 0 {
		t.Errorf("ledger: %+v", bad)
	}
}

func TestTariffInUseIsArchivedNotDeleted(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	if err := s.RetireTariff(ctx, db.Actor{}, cs.Tariff); err != nil {
		t.Fatal(err)
	}
	tr, err := s.TariffByID(ctx, cs.Tariff.ID)
	if err != nil || tr.ArchivedAt == nil {
		t.Fatalf("tariff in use: %+v %v", tr, err)
	}
	id, _ := s.CreateTariff(ctx, db.Actor{}, db.Tariff{ServiceID: 2, Name: "Unused", Price: 1, Unit: db.UnitRequest, ValidFrom: s.Now()})
	unused, _ := s.TariffByID(ctx, id)
	s.RetireTariff(ctx, db.Actor{}, unused)
	if _, err := s.TariffByID(ctx, id); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unused tariff kept: %v", err)
	}
	if _, err := s.ConnectService(ctx, db.Actor{}, 1, tr, s.Now(), nil); !errors.Is(err, db.ErrTariffArchived) {
		t.Errorf("connected at an archived tariff: %v", err)
	}
}

// A tariff only an invoice names is in use too: it is archived, not deleted
// (the invoice keeps pointing at it).
func TestTariffNamedOnlyByAnInvoiceIsArchived(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	id, err := s.CreateTariff(ctx, db.Actor{}, db.Tariff{ServiceID: cs.ServiceID, Name: "Other", Price: 300, Unit: db.UnitSMSPart,
		ValidFrom: db.Today(s.Now(), time.UTC).AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := s.TariffByID(ctx, id)
	if _, err := s.CreateInvoice(ctx, db.Actor{}, db.NewInvoice{Service: cs, Tariff: &other, Item: "x", Amount: 10000}); err != nil {
		t.Fatal(err)
	}
	if other, _ = s.TariffByID(ctx, id); !other.InUse {
		t.Errorf("a tariff an invoice names is not in use")
	}
	if err := s.RetireTariff(ctx, db.Actor{Login: "admin"}, other); err != nil {
		t.Fatalf("retire: %v", err)
	}
	if tr, err := s.TariffByID(ctx, id); err != nil || tr.ArchivedAt == nil {
		t.Errorf("after retiring: %+v %v", tr, err)
	}
}

func TestFreeSubscriptionPostedTwiceSubscribesOnce(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	day := db.Today(s.Now(), time.UTC)
	tid, _ := s.CreateTariff(ctx, db.Actor{}, db.Tariff{ServiceID: 1, Name: "Пробный", Price: 0, Unit: db.UnitMonth, ValidFrom: day})
	tariff, _ := s.TariffByID(ctx, tid)
	ns := db.NewSubscription{Service: cs, Tariff: tariff, Kind: db.KindPeriodic, PeriodFrom: day, PeriodTo: day.AddDate(0, 1, -1), Today: day, Key: "free-1"}
	first, err1 := s.Subscribe(ctx, db.Actor{}, ns)
	second, err2 := s.Subscribe(ctx, db.Actor{}, ns)
	if err1 != nil || err2 != nil || first != second {
		t.Errorf("free subscription twice: %d %v, %d %v", first, err1, second, err2)
	}
	if all, _ := s.Subscriptions(ctx, cs.CompanyID, cs.ID, ""); len(all) != 1 {
		t.Errorf("%d subscriptions", len(all))
	}
	ns.Key = ""
	if _, err := s.Subscribe(ctx, db.Actor{}, ns); !errors.Is(err, db.ErrNoIdempotencyKey) {
		t.Errorf("subscription without a key: %v", err)
	}
}
