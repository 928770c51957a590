package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
)

// reconciled is a company whose settlements take every turn: a payment and
// its УПД on one day, a payment recorded late whose УПД comes days after
// it, an advance счёт-фактура under the monthly policy, and a month's УПД
// for more than was paid. It returns the store, the company and today.
func reconciled(t *testing.T) (*db.Store, int64, time.Time) {
	t.Helper()
	s, cs := connected(t)
	ctx := context.Background()
	clock := testutil.NewClock(t)
	s.SetClock(clock.Now)
	today := db.Today(clock.Now(), testutil.Moscow)
	// Closing by payment until 30 days ago, whatever the demo chose.
	if err := s.SetClosingPolicy(ctx, db.Actor{}, db.ClosingOnPayment, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	inv, err := s.CreateInvoiceOn(ctx, db.Actor{}, db.NewInvoice{Service: cs, Item: "Услуга «СМС»", Amount: 10_000_000}, today.AddDate(0, 0, -60))
	if err != nil {
		t.Fatal(err)
	}
	pay := func(amount money.Kopecks, paidOn, recorded time.Time, ref string) {
		t.Helper()
		if _, err := s.RecordPaymentAt(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: amount, PaidOn: paidOn, Reference: ref},
			recorded.Add(11*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	pay(3_000_000, today.AddDate(0, 0, -50), today.AddDate(0, 0, -50), "101")
	pay(2_000_000, today.AddDate(0, 0, -40), today.AddDate(0, 0, -35), "102") // a bank statement read late
	if err := s.SetClosingPolicy(ctx, db.Actor{}, db.ClosingMonthly, today.AddDate(0, 0, -30)); err != nil {
		t.Fatal(err)
	}
	pay(2_500_000, today.AddDate(0, 0, -20), today.AddDate(0, 0, -20), "103")
	// The month's УПД, as the monthly run makes it.
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO closing_documents (company_id, form, upd_status, basis, number, issued_on,
			period_from, period_to, item, amount, vat_rate, vat, lines, supplier, buyer, created_at)
			VALUES (?, 'upd', 1, 'month', 'М-1', ?, ?, ?, 'СМС за месяц', 3200000, 22, 577049, '[]', '{}', '{}', ?)`,
			cs.CompanyID, today.AddDate(0, 0, -10).Format(time.DateOnly), today.AddDate(0, 0, -40).Format(time.DateOnly),
			today.AddDate(0, 0, -11).Format(time.DateOnly), clock.Now().Format(time.RFC3339))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, cs.CompanyID, today
}

func TestReconciliationRunsInDateOrder(t *testing.T) {
	s, companyID, today := reconciled(t)
	ctx := context.Background()
	day := func(n int) time.Time { return today.AddDate(0, 0, n) }
	for _, tc := range []struct {
		name          string
		from, to      int
		opening       money.Kopecks
		entries       []db.ReconEntry
		debit, credit money.Kopecks
	}{
		{"a payment and its УПД on one day, the payment first", -55, -45, 0, []db.ReconEntry{
			{Day: day(-50), Number: "101", Credit: 3_000_000}, {Day: day(-50), Form: db.FormUPD, Debit: 3_000_000}},
			3_000_000, 3_000_000},
		{"a payment whose УПД is not made yet: the vendor holds an advance", -45, -36, 0, []db.ReconEntry{
			{Day: day(-40), Number: "102", Credit: 2_000_000}},
			0, 2_000_000},
		{"the advance brought forward, then sales beyond what was paid; no advance счёт-фактура", -36, 0, -2_000_000, []db.ReconEntry{
			{Day: day(-35), Form: db.FormUPD, Debit: 2_000_000}, {Day: day(-20), Number: "103", Credit: 2_500_000},
			{Day: day(-10), Form: db.FormUPD, Number: "М-1", Debit: 3_200_000}},
			5_200_000, 2_500_000},
		{"nothing in the period", -9, -1, 700_000, nil, 0, 0},
	} {
		r, err := s.Reconciliation(ctx, companyID, day(tc.from), day(tc.to))
		if err != nil {
			t.Fatal(err)
		}
		if r.Opening != tc.opening || r.Debit != tc.debit || r.Credit != tc.credit || len(r.Entries) != len(tc.entries) {
			t.Errorf("%s: opening %s, debit %s, credit %s, %d entries %+v", tc.name, r.Opening, r.Debit, r.Credit, len(r.Entries), r.Entries)
			continue
		}
		for i, want := range tc.entries {
			got := r.Entries[i]
			if !got.Day.Equal(want.Day) || got.Form != want.Form || got.Debit != want.Debit || got.Credit != want.Credit ||
				(want.Number != "" && got.Number != want.Number) {
				t.Errorf("%s: entry %d is %+v, want %+v", tc.name, i, got, want)
			}
		}
	}
	if r, _ := s.Reconciliation(ctx, companyID, day(-60), day(0)); r.Closing() != 700_000 || r.Buyer.Name != "Такси Север" ||
		r.Supplier.INN == "" || r.Supplier.Director == "" {
		t.Errorf("the whole history closes at %s, between %+v and %+v", r.Closing(), r.Supplier, r.Buyer)
	}
	if _, err := s.Reconciliation(ctx, 999_999, day(-1), day(0)); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("an unknown company: %v", err)
	}
}

// Over any period the credits are the ledger's payments, by the bank's
// date, and the debits the closing documents that record a sale; the
// opening balance is all of both before the period.
func TestReconciliationAgreesWithTheLedger(t *testing.T) {
	s, companyID, today := reconciled(t)
	ctx := context.Background()
	sum := func(query string, args ...any) money.Kopecks {
		t.Helper()
		var k money.Kopecks
		if err := s.WithTx(ctx, func(tx *sql.Tx) error { return tx.QueryRowContext(ctx, query, args...).Scan(&k) }); err != nil {
			t.Fatal(err)
		}
		return k
	}
	credits := func(from, to string) money.Kopecks {
		return sum(`SELECT COALESCE(sum(t.amount), 0) FROM transactions t JOIN payments p ON p.transaction_id = t.id
			WHERE t.company_id = ? AND t.source = 'payment' AND p.paid_on BETWEEN ? AND ?`, companyID, from, to)
	}
	debits := func(from, to string) money.Kopecks {
		return sum(`SELECT COALESCE(sum(amount), 0) FROM closing_documents
			WHERE company_id = ? AND form IN ('act', 'upd') AND issued_on BETWEEN ? AND ?`, companyID, from, to)
	}
	days := []int{-70, -50, -49, -41, -40, -36, -35, -21, -20, -11, -10, 0}
	for i, from := range days {
		for _, to := range days[i:] {
			f, l := today.AddDate(0, 0, from), today.AddDate(0, 0, to)
			r, err := s.Reconciliation(ctx, companyID, f, l)
			if err != nil {
				t.Fatal(err)
			}
			fs, ls, before := f.Format(time.DateOnly), l.Format(time.DateOnly), f.AddDate(0, 0, -1).Format(time.DateOnly)
			if r.Credit != credits(fs, ls) || r.Debit != debits(fs, ls) || r.Opening != debits("", before)-credits("", before) {
				t.Errorf("%d..%d: opening %s, debit %s, credit %s; the ledger says %s, %s, %s", from, to, r.Opening, r.Debit,
					r.Credit, debits("", before)-credits("", before), debits(fs, ls), credits(fs, ls))
			}
		}
	}
	// Over the whole history, every payment the ledger holds is there.
	all, _ := s.Reconciliation(ctx, companyID, today.AddDate(-1, 0, 0), today)
	if ledger := sum(`SELECT sum(amount) FROM transactions WHERE company_id = ? AND source = 'payment'`, companyID); all.Credit != ledger {
		t.Errorf("credits %s, the ledger's payments %s", all.Credit, ledger)
	}
}
