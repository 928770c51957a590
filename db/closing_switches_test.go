package db_test

import (
	"context"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
)

// The closing-policy switches close every kopeck paid once: what each
// scenario closes (УПД, acts; not advance счета-фактуры) against what was
// paid and spent.

// closed is the sum of the company's sale documents.
func closed(t *testing.T, s *db.Store, companyID int64) money.Kopecks {
	t.Helper()
	ctx := context.Background()
	docs, _ := s.ListDocuments(ctx, companyID, db.DocFilter{Kind: db.DocClosing})
	var sum money.Kopecks
	for _, d := range docs {
		if d.Form != db.FormAdvance {
			sum += d.Amount
		}
	}
	return sum
}

// runAt moves the clock to at and runs the monthly closing then.
func runAt(t *testing.T, s *db.Store, at time.Time) {
	t.Helper()
	s.SetClock(func() time.Time { return at })
	if _, err := s.IssueMonthlyDocs(context.Background(), at); err != nil {
		t.Fatal(err)
	}
}

// switchTo puts a policy in force from the day of at.
func switchTo(t *testing.T, s *db.Store, policy string, at time.Time) {
	t.Helper()
	if err := s.SetClosingPolicy(context.Background(), db.Actor{}, policy, db.Today(at, db.VendorLocation)); err != nil {
		t.Fatal(err)
	}
}

// spend posts SMS parts at 2,50 charged at at (zero: now).
func spend(t *testing.T, s *db.Store, cs db.CompanyService, parts int64, key string, at time.Time) {
	t.Helper()
	if _, _, err := s.Post(context.Background(), db.Entry{CompanyServiceID: cs.ID, Amount: -money.Kopecks(parts) * 250,
		Source: db.SourceSMS, Units: parts, IdempotencyKey: key, At: at}); err != nil {
		t.Fatal(err)
	}
}

func noMismatch(t *testing.T, s *db.Store) {
	t.Helper()
	if bad, err := s.CheckClosingDocs(context.Background()); err != nil || len(bad) != 0 {
		t.Errorf("check: %+v %v", bad, err)
	}
}

// By payment, monthly, by payment: what was sold ahead and not spent is not
// closed again, and what was paid under monthly closing is.
func TestPaymentMonthlyPaymentClosesEachPaymentOnce(t *testing.T) {
	s, sms := connected(t)
	setPolicy(t, s, db.ClosingOnPayment)
	m1, m2 := monthAt(s, 1, 1), monthAt(s, 2, 1)
	switchTo(t, s, db.ClosingMonthly, m1)
	pay(t, s, sms, 1_000_000, "sold")
	runAt(t, s, m1)
	tenth := monthAt(s, 0, 10) // of the first monthly month: the clock is there
	s.SetClock(func() time.Time { return tenth })
	pay(t, s, sms, 500_000, "under-monthly")
	switchTo(t, s, db.ClosingOnPayment, m2)
	runAt(t, s, m2)
	if got := closed(t, s, sms.CompanyID); got != 1_500_000 {
		t.Errorf("paid 15 000,00, nothing spent: closed %s", got)
	}
	noMismatch(t, s)
}

// Monthly, by payment, monthly: the balance closed on the switch is not
// closed again when it is spent under monthly closing.
func TestMonthlyPaymentMonthlyClosesTheBalanceOnce(t *testing.T) {
	s, sms := connected(t)
	setPolicy(t, s, db.ClosingMonthly)
	m1, m2, m3 := monthAt(s, 1, 1), monthAt(s, 2, 1), monthAt(s, 3, 1)
	pay(t, s, sms, 1_000_000, "advance")
	spend(t, s, sms, 1200, "m0", time.Time{})
	switchTo(t, s, db.ClosingOnPayment, m1)
	runAt(t, s, m1)
	switchTo(t, s, db.ClosingMonthly, m2)
	runAt(t, s, m2)
	spend(t, s, sms, 2800, "m2", monthAt(s, 0, 10))
	runAt(t, s, m3)
	if got := closed(t, s, sms.CompanyID); got != 1_000_000 {
		t.Errorf("paid and spent 10 000,00: closed %s", got)
	}
	noMismatch(t, s)
}

// Three switches a month apart: the months before the last two changes are
// not read as the wrong policy.
func TestThreeSwitchesCloseEachPaymentOnce(t *testing.T) {
	s, sms := connected(t)
	setPolicy(t, s, db.ClosingOnPayment)
	m1, m2, m3 := monthAt(s, 1, 1), monthAt(s, 2, 1), monthAt(s, 3, 1)
	pay(t, s, sms, 1_000_000, "sold")
	spend(t, s, sms, 1600, "m0", time.Time{})
	switchTo(t, s, db.ClosingMonthly, m1)
	runAt(t, s, m1)
	switchTo(t, s, db.ClosingOnPayment, m2)
	runAt(t, s, m2)
	switchTo(t, s, db.ClosingMonthly, m3)
	runAt(t, s, m3)
	if got := closed(t, s, sms.CompanyID); got != 1_000_000 {
		t.Errorf("paid 10 000,00: closed %s", got)
	}
}

// A refund in a month that has nothing to take it off and no document of
// its own is reported by elk check.
func TestCheckReportsARefundOfAMonthWithoutDocument(t *testing.T) {
	s, sms := connected(t)
	setPolicy(t, s, db.ClosingMonthly)
	m1, m2 := monthAt(s, 1, 1), monthAt(s, 2, 1)
	pay(t, s, sms, 1_000_000, "advance")
	spend(t, s, sms, 4000, "m0", time.Time{})
	runAt(t, s, m1)
	if _, _, err := s.Post(context.Background(), db.Entry{CompanyServiceID: sms.ID, Amount: 100_000, Source: db.SourceRefund,
		IdempotencyKey: "refund", At: monthAt(s, 0, 5)}); err != nil { // the clock is in the next month now
		t.Fatal(err)
	}
	runAt(t, s, m2)
	bad, err := s.CheckClosingDocs(context.Background())
	if err != nil || len(bad) != 1 || bad[0].Problem != "refund_left" || bad[0].Got != 100_000 {
		t.Errorf("check: %+v %v", bad, err)
	}
}
