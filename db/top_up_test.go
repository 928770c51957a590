package db_test

import (
	"context"
	"fmt"
	"testing"

	"elk/db"
	"elk/db/money"
)

// payInFull issues an invoice for the amount and records it paid today.
func payInFull(t *testing.T, s *db.Store, cs db.CompanyService, amount money.Kopecks, ref string) {
	t.Helper()
	inv := newInvoice(t, s, cs, amount)
	if _, err := s.RecordPayment(context.Background(), db.Actor{}, inv.ID, db.NewPayment{Amount: amount, PaidOn: inv.IssuedOn, Reference: ref}); err != nil {
		t.Fatal(err)
	}
}

func TestUsualTopUpIsTheMedianOfTheLatestPayments(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	usual := func() money.Kopecks {
		t.Helper()
		k, err := s.UsualTopUp(ctx, cs)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	// No payments yet: the tariff's minimum, a thousand parts at 2,50 ₽.
	if got := usual(); got != 2_500_00 || got != cs.Tariff.MinTopUp() {
		t.Errorf("without payments: %s", got)
	}
	steps := []struct {
		amount money.Kopecks
		want   money.Kopecks
	}{
		{1_000_00, 1_000_00}, // one payment is its own median
		{4_000_00, 1_000_00}, // of two, the lower middle
		{3_000_00, 3_000_00},
		{2_000_00, 2_000_00}, // 1000, 2000, 3000, 4000: the lower middle
		{9_000_00, 3_000_00},
		{50_00, 3_000_00}, // the sixth pushes out the first: 4000, 3000, 2000, 9000, 50
		{60_00, 2_000_00}, // 3000, 2000, 9000, 50, 60
	}
	for i, st := range steps {
		payInFull(t, s, cs, st.amount, fmt.Sprintf("usual-%d", i))
		if got := usual(); got != st.want {
			t.Errorf("after paying %s: usual %s, want %s", st.amount, got, st.want)
		}
	}
	// Another company's payments for the same service count for it alone.
	companyID, err := s.CreateCompany(ctx, db.Actor{}, db.Company{Name: "Такси Юг", Country: "RU", Timezone: "Europe/Moscow"})
	if err != nil {
		t.Fatal(err)
	}
	other := connect(t, s, companyID, cs.Tariff)
	if got, _ := s.UsualTopUp(ctx, other); got != other.Tariff.MinTopUp() {
		t.Errorf("another company's usual top-up: %s", got)
	}
}

func TestMinTopUpOfEachUnit(t *testing.T) {
	for _, tc := range []struct {
		t    db.Tariff
		want money.Kopecks
	}{
		{db.Tariff{Price: 3_50, Unit: db.UnitSMSPart}, 3_500_00},
		{db.Tariff{Price: 5_000_00, Unit: db.UnitMonth}, 5_000_00},
		{db.Tariff{Price: 700_00, Unit: db.UnitRequest}, 700_00},
	} {
		if got := tc.t.MinTopUp(); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.t, got, tc.want)
		}
	}
}
