package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
)

// connected returns a store with the brief demo and a new company, «Такси
// Север», connected to the SMS service and nothing else.
func connected(t *testing.T) (*db.Store, db.CompanyService) {
	t.Helper()
	s := demoStore(t)
	ctx := context.Background()
	companyID, err := s.CreateCompany(ctx, db.Actor{}, db.Company{Name: "Такси Север", Country: "RU", Timezone: "Europe/Moscow"})
	if err != nil {
		t.Fatal(err)
	}
	return s, connect(t, s, companyID, db.Tariff{ServiceID: 1, Name: "Test", Price: 250, Unit: db.UnitSMSPart})
}

func TestConcurrentPostsKeepBalanceEqualToSum(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var want money.Kopecks
	errs := make(chan error, 50)
	for i := range 50 {
		amount := money.Kopecks((i%7 + 1) * 1000)
		if i%2 == 1 {
			amount = -amount
		}
		want += amount
		wg.Go(func() {
			_, created, err := s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: amount, Source: db.SourceCorrection,
				IdempotencyKey: fmt.Sprintf("concurrent:%d", i)})
			if err == nil && !created {
				err = errors.New("not created")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	after, _ := s.CompanyService(ctx, cs.CompanyID, cs.ID)
	page, _, err := s.Transactions(ctx, cs.CompanyID, db.TxFilter{CompanyServiceID: cs.ID}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	if after.Balance != want || len(page) != 50 {
		t.Errorf("balance %d (want %d), %d transactions (want 50)", after.Balance, want, len(page))
	}
	if bad, err := s.CheckLedger(ctx); err != nil || len(bad) != 0 {
		t.Errorf("ledger check: %+v %v", bad, err)
	}
}

func TestSameIdempotencyKeyRecordsOnce(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	e := db.Entry{CompanyServiceID: cs.ID, Amount: 50000, Source: db.SourcePayment, IdempotencyKey: "invoice:2026-1"}
	id1, created1, err1 := s.Post(ctx, e)
	e.Amount = 99999 // a retry carrying different data still changes nothing
	id2, created2, err2 := s.Post(ctx, e)
	if err1 != nil || err2 != nil || !created1 || created2 || id1 != id2 {
		t.Fatalf("first %d %v %v, second %d %v %v", id1, created1, err1, id2, created2, err2)
	}
	after, _ := s.CompanyService(ctx, cs.CompanyID, cs.ID)
	if after.Balance != 50000 {
		t.Errorf("balance %d after a repeated payment", after.Balance)
	}
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: 0, Source: db.SourcePayment, IdempotencyKey: "zero"}); !errors.Is(err, db.ErrZeroAmount) {
		t.Errorf("zero amount: %v", err)
	}
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: 999, Amount: 1, Source: db.SourcePayment, IdempotencyKey: "nowhere"}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown service: %v", err)
	}
}

func TestCheckLedgerNamesTheOffender(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: 1000, Source: db.SourcePayment, IdempotencyKey: "p1"})
	// A balance changed behind the ledger's back.
	if err := s.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE company_services SET balance = balance + 1 WHERE id = ?`, cs.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bad, err := s.CheckLedger(ctx)
	if err != nil || len(bad) != 1 || bad[0].CompanyName != "Такси Север" || bad[0].ServiceCode != "sms" || bad[0].Balance != 1001 || bad[0].Sum != 1000 {
		t.Errorf("mismatches %+v, %v", bad, err)
	}
}

func TestTransactionPagesFollowTheCursor(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	base := db.Today(s.Now(), time.UTC).AddDate(0, -1, 0).Add(12 * time.Hour)
	for i := range 25 {
		source := db.SourceSMS
		if i%5 == 0 {
			source = db.SourcePayment
		}
		// Pairs share an instant: the id breaks the tie.
		if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: money.Kopecks(-(i + 1)), Source: source,
			IdempotencyKey: fmt.Sprintf("k%d", i), At: base.Add(time.Duration(i/2) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	var seen []int64
	var after *db.TxCursor
	for pages := 0; ; pages++ {
		page, next, err := s.Transactions(ctx, cs.CompanyID, db.TxFilter{}, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range page {
			seen = append(seen, tx.ID)
		}
		if next == nil {
			break
		}
		c, ok := db.ParseTxCursor(next.String())
		if !ok || c != *next {
			t.Fatalf("cursor %v does not survive a URL: %v", *next, c)
		}
		after = &c
	}
	if len(seen) != 25 {
		t.Fatalf("%d rows over the pages", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("order broken at %d: %v", i, seen)
		}
	}
	payments, _, _ := s.Transactions(ctx, cs.CompanyID, db.TxFilter{Source: db.SourcePayment}, nil, 100)
	period, _, _ := s.Transactions(ctx, cs.CompanyID, db.TxFilter{From: base.Add(2 * time.Hour), To: base.Add(4 * time.Hour)}, nil, 100)
	if len(payments) != 5 || len(period) != 4 {
		t.Errorf("%d payments (want 5), %d in the period (want 4)", len(payments), len(period))
	}
	if other, _, _ := s.Transactions(ctx, 1, db.TxFilter{CompanyServiceID: cs.ID}, nil, 100); len(other) != 0 {
		t.Errorf("another company sees %d transactions", len(other))
	}
	for _, bad := range []string{"", "x", "1.", ".1", "zz.-1", "1.0"} {
		if _, ok := db.ParseTxCursor(bad); ok {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

// Transactions name their service, also one connected after the company's
// transactions were first read.
func TestTransactionsNameAServiceConnectedLater(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	post := func(csID int64, key string) {
		t.Helper()
		if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: csID, Amount: 1000, Source: db.SourceCorrection, IdempotencyKey: key}); err != nil {
			t.Fatal(err)
		}
	}
	codes := func() []string {
		t.Helper()
		page, _, err := s.Transactions(ctx, sms.CompanyID, db.TxFilter{}, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tx := range page {
			out = append(out, tx.ServiceCode)
		}
		return out
	}
	post(sms.ID, "first")
	if got := codes(); len(got) != 1 || got[0] != db.ServiceSMS {
		t.Fatalf("before: %v", got)
	}
	tariffID, err := s.CreateTariff(ctx, db.Actor{}, db.Tariff{ServiceID: 2, Name: "Поддержка", Price: 500000, Unit: db.UnitMonth,
		ValidFrom: db.Today(s.Now(), time.UTC).AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	tariff, _ := s.TariffByID(ctx, tariffID)
	supportID, err := s.ConnectService(ctx, db.Actor{}, sms.CompanyID, tariff, tariff.ValidFrom, nil)
	if err != nil {
		t.Fatal(err)
	}
	post(supportID, "second")
	if got := codes(); len(got) != 2 || got[0] != db.ServiceSupport || got[1] != db.ServiceSMS {
		t.Errorf("after connecting support: %v", got)
	}
}

// An import of several batches records each new key once, skips the keys
// it repeats or that were recorded before, moves the balance and the
// monthly roll-up by exactly the new rows, and writes nothing at all when
// one entry is bad.
func TestImportTransactionsInBatches(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: 100000, Source: db.SourcePayment, IdempotencyKey: "import-7"}); err != nil {
		t.Fatal(err)
	}
	rows := func() (n int) {
		s.EachTransaction(ctx, cs.CompanyID, db.TxFilter{CompanyServiceID: cs.ID}, func(db.Transaction) error { n++; return nil })
		return n
	}
	balance := func() money.Kopecks {
		after, err := s.CompanyService(ctx, cs.CompanyID, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		return after.Balance
	}
	start := s.Now().AddDate(0, -3, 0) // three months of the roll-up
	want := balance()
	var entries []db.Entry
	for i := range 450 { // three batches
		e := db.Entry{CompanyServiceID: cs.ID, Amount: -money.Kopecks(1 + i%7), Source: db.SourceSMS,
			IdempotencyKey: fmt.Sprintf("import-%d", i), At: start.Add(time.Duration(i) * 4 * time.Hour)}
		switch i {
		case 5:
			e.IdempotencyKey = "import-4" // repeated in its own batch
		case 7: // recorded before
		default:
			want += e.Amount
		}
		entries = append(entries, e)
	}
	entries = append(entries, entries[250]) // repeated in a later batch
	if err := s.ImportTransactions(ctx, cs.ID, entries); err != nil {
		t.Fatal(err)
	}
	if n, got := rows(), balance(); n != 1+448 || got != want {
		t.Errorf("after the import: %d rows, balance %s; want 449, %s", n, got, want)
	}
	if bad, err := s.CheckLedger(ctx); err != nil || len(bad) != 0 {
		t.Errorf("ledger after the import: %+v %v", bad, err)
	}
	if err := s.ImportTransactions(ctx, cs.ID, entries); err != nil || rows() != 449 || balance() != want {
		t.Errorf("the same import again: %v, %d rows, balance %s", err, rows(), balance())
	}

	fresh := make([]db.Entry, 420)
	for i := range fresh {
		fresh[i] = db.Entry{CompanyServiceID: cs.ID, Amount: -1, Source: db.SourceSMS, IdempotencyKey: fmt.Sprintf("fresh-%d", i)}
	}
	fresh[300].Amount = 0 // in the second batch, after the first went in
	if err := s.ImportTransactions(ctx, cs.ID, fresh); !errors.Is(err, db.ErrZeroAmount) || rows() != 449 || balance() != want {
		t.Errorf("a bad entry: %v, %d rows, balance %s", err, rows(), balance())
	}
}

// A history whose message or subscription names an entry it lacks is
// refused whole, never half written nor a crash.
func TestImportHistoryRefusesAMissingEntry(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	at := s.Now().AddDate(0, 0, -1)
	h := db.ServiceHistory{
		Entries: []db.Entry{{CompanyServiceID: cs.ID, Amount: -250, Source: db.SourceSMS, IdempotencyKey: "history-1", At: at}},
		SMS: []db.PastSMS{{SentSMS: db.SentSMS{SenderID: "1", Phone: "79001234567", Parts: 1, Status: db.SMSDelivered, SentAt: at}, StatusAt: at, Entry: 0},
			{SentSMS: db.SentSMS{SenderID: "2", Phone: "79001234568", Parts: 1, Status: db.SMSDelivered, SentAt: at}, StatusAt: at, Entry: 1}},
	}
	if err := s.ImportHistory(ctx, cs, h); err == nil || !strings.Contains(err.Error(), "no entry 1") {
		t.Errorf("a message paid by no entry: %v", err)
	}
	h.SMS = h.SMS[:1]
	h.Subscriptions = []db.PastSubscription{{Tariff: cs.Tariff, Kind: db.KindPeriodic, Status: db.StatusActive, From: at, To: at, Key: "sub-1", Charge: -1}}
	if err := s.ImportHistory(ctx, cs, h); err == nil {
		t.Error("a subscription charged by no entry was imported")
	}
	var n int
	s.EachTransaction(ctx, cs.CompanyID, db.TxFilter{CompanyServiceID: cs.ID}, func(db.Transaction) error { n++; return nil })
	if after, _ := s.CompanyService(ctx, cs.CompanyID, cs.ID); n != 0 || after.Balance != cs.Balance {
		t.Errorf("%d transactions written, balance %v", n, after.Balance)
	}
}
