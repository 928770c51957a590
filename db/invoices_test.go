package db_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
)

func newInvoice(t *testing.T, s *db.Store, cs db.CompanyService, amount money.Kopecks) db.Invoice {
	t.Helper()
	inv, err := s.CreateInvoice(context.Background(), db.Actor{Login: "taxi"}, db.NewInvoice{Service: cs, Item: "Услуга «СМС»", Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestInvoiceNumbersAreConsecutiveUnderConcurrency(t *testing.T) {
	s, cs := connected(t)
	var wg sync.WaitGroup
	numbers := make(chan string, 20)
	for range 20 {
		wg.Go(func() {
			inv, err := s.CreateInvoice(context.Background(), db.Actor{}, db.NewInvoice{Service: cs, Item: "x", Amount: 10000})
			if err != nil {
				t.Error(err)
				return
			}
			numbers <- inv.Number
		})
	}
	wg.Wait()
	close(numbers)
	var got []string
	for n := range numbers {
		got = append(got, n)
	}
	slices.Sort(got)
	if len(got) != 20 {
		t.Fatalf("numbers %v", got)
	}
	year := db.Today(s.Now(), testutil.Moscow).Format("2006")
	first, err := strconv.Atoi(strings.TrimPrefix(got[0], year+"-"))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range got {
		if want := fmt.Sprintf("%s-%06d", year, first+i); n != want {
			t.Errorf("number %d is %s, want %s: %v", i, n, want, got)
		}
	}
}

func TestInvoiceKeepsTheRequisitesOfItsDay(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	inv := newInvoice(t, s, cs, 375200)
	v, _ := s.Vendor(ctx)
	if inv.Supplier.INN != v.INN || inv.Supplier.BankAccount != v.BankAccount || inv.VATRate != 22 || inv.Buyer.Name != "Такси Север" {
		t.Fatalf("invoice %+v", inv)
	}
	v.BankAccount, v.VATRate = "40702810000000000001", money.NoVAT
	if err := s.UpdateVendor(ctx, db.Actor{}, v); err != nil {
		t.Fatal(err)
	}
	again, _ := s.InvoiceByID(ctx, inv.ID)
	if again.Supplier.BankAccount != inv.Supplier.BankAccount || again.VATRate != 22 {
		t.Errorf("the stored invoice changed with the vendor: %+v", again.Supplier)
	}
	if later := newInvoice(t, s, cs, 100); later.Supplier.BankAccount != "40702810000000000001" || later.VATRate != money.NoVAT {
		t.Errorf("a new invoice has %+v", later)
	}
}

func TestPaymentCreditsOnceAndIssuesAnAct(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	inv := newInvoice(t, s, cs, 100000)
	staff := db.Actor{Login: "buh"}
	today := db.Today(s.Now(), testutil.Moscow)

	created, err := s.RecordPayment(ctx, staff, inv.ID, db.NewPayment{Amount: 40000, PaidOn: today, Reference: "п/п 17"})
	if err != nil || !created {
		t.Fatalf("first part: %v %v", created, err)
	}
	created, err = s.RecordPayment(ctx, staff, inv.ID, db.NewPayment{Amount: 40000, PaidOn: today, Reference: "п/п 17"})
	if err != nil || created {
		t.Fatalf("the same reference again: %v %v", created, err)
	}
	if after, _ := s.InvoiceByID(ctx, inv.ID); after.Status != db.InvoicePartiallyPaid || after.Paid != 40000 || after.Due() != 60000 {
		t.Errorf("after a part: %+v", after)
	}
	var tooLarge db.PaymentTooLarge
	if _, err := s.RecordPayment(ctx, staff, inv.ID, db.NewPayment{Amount: 60001, PaidOn: today, Reference: "п/п 18"}); !errors.As(err, &tooLarge) || tooLarge.Due != 60000 {
		t.Errorf("more than due: %v", err)
	}
	other := newInvoice(t, s, cs, 5000)
	if _, err := s.RecordPayment(ctx, staff, other.ID, db.NewPayment{Amount: 5000, PaidOn: today, Reference: "п/п 17"}); !errors.Is(err, db.ErrPaymentElsewhere) {
		t.Errorf("a reference of another invoice: %v", err)
	}
	if _, err := s.RecordPayment(ctx, staff, inv.ID, db.NewPayment{Amount: 60000, PaidOn: today, Reference: "п/п 19"}); err != nil {
		t.Fatal(err)
	}
	paid, _ := s.InvoiceByID(ctx, inv.ID)
	acts, _ := s.InvoiceClosingDocs(ctx, inv.ID)
	balance, _ := s.CompanyService(ctx, cs.CompanyID, cs.ID)
	if paid.Status != db.InvoicePaid || paid.PaidAt == nil || len(acts) != 2 || acts[0].Amount != 40000 || acts[1].Amount != 60000 ||
		acts[0].Number == acts[1].Number || balance.Balance != cs.Balance+100000 {
		t.Errorf("paid %+v, acts %+v, balance %s", paid, acts, balance.Balance)
	}
	if _, err := s.RecordPayment(ctx, staff, inv.ID, db.NewPayment{Amount: 1, PaidOn: today, Reference: "п/п 20"}); !errors.Is(err, db.ErrInvoiceNotPayable) {
		t.Errorf("a paid invoice took more: %v", err)
	}
	if bad, _ := s.CheckLedger(ctx); len(bad) != 0 {
		t.Errorf("ledger: %+v", bad)
	}
}

func TestCancellingInvoices(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	today := db.Today(s.Now(), testutil.Moscow)
	unpaid, part, paid := newInvoice(t, s, cs, 1000), newInvoice(t, s, cs, 1000), newInvoice(t, s, cs, 1000)
	s.RecordPayment(ctx, db.Actor{}, part.ID, db.NewPayment{Amount: 400, PaidOn: today, Reference: "a"})
	s.RecordPayment(ctx, db.Actor{}, paid.ID, db.NewPayment{Amount: 1000, PaidOn: today, Reference: "b"})

	if err := s.CancelInvoice(ctx, db.Actor{}, cs.CompanyID+1, unpaid.ID, ""); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("another company cancels: %v", err)
	}
	if err := s.CancelInvoice(ctx, db.Actor{}, cs.CompanyID, part.ID, ""); !errors.Is(err, db.ErrInvoiceNotCancel) {
		t.Errorf("a client cancels a paid part: %v", err)
	}
	if err := s.CancelInvoiceByID(ctx, db.Actor{}, paid.ID, "ошибка"); !errors.Is(err, db.ErrInvoiceNotCancel) {
		t.Errorf("staff cancel a paid invoice: %v", err)
	}
	if err := s.CancelInvoice(ctx, db.Actor{}, cs.CompanyID, unpaid.ID, ""); err != nil {
		t.Error(err)
	}
	if err := s.CancelInvoiceByID(ctx, db.Actor{}, part.ID, "остаток не нужен"); err != nil {
		t.Error(err)
	}
	for _, id := range []int64{unpaid.ID, part.ID} {
		if inv, _ := s.InvoiceByID(ctx, id); inv.Status != db.InvoiceCancelled || inv.Due() != 0 {
			t.Errorf("invoice %+v", inv)
		}
	}
	if _, err := s.RecordPayment(ctx, db.Actor{}, unpaid.ID, db.NewPayment{Amount: 1000, PaidOn: today, Reference: "c"}); !errors.Is(err, db.ErrInvoiceNotPayable) {
		t.Errorf("a cancelled invoice took a payment: %v", err)
	}
	docs, err := s.ListDocuments(ctx, cs.CompanyID, db.DocFilter{})
	if err != nil || len(docs) != 5 { // three invoices, two acts
		t.Errorf("documents %d %v", len(docs), err)
	}
	if acts, _ := s.ListDocuments(ctx, cs.CompanyID, db.DocFilter{Kind: db.DocClosing}); len(acts) != 2 {
		t.Errorf("acts %+v", acts)
	}
	if cancelled, _ := s.ListDocuments(ctx, cs.CompanyID, db.DocFilter{Status: db.InvoiceCancelled}); len(cancelled) != 2 {
		t.Errorf("cancelled %+v", cancelled)
	}
}

func TestBadInvoiceAmountsAreRefused(t *testing.T) {
	s, cs := connected(t)
	for _, amount := range []money.Kopecks{0, -1, db.MaxInvoiceAmount + 1} {
		if _, err := s.CreateInvoice(context.Background(), db.Actor{}, db.NewInvoice{Service: cs, Item: "x", Amount: amount}); !errors.Is(err, db.ErrBadInvoiceAmount) {
			t.Errorf("%d: %v", amount, err)
		}
	}
}

func TestActBillsAtItsInvoicesVATAndPaymentDatesAreChecked(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	inv := newInvoice(t, s, cs, 12200)
	v, _ := s.Vendor(ctx)
	v.VATRate = 10
	if err := s.UpdateVendor(ctx, db.Actor{}, v); err != nil {
		t.Fatal(err)
	}
	today := db.Today(s.Now(), testutil.Moscow)
	for _, day := range []time.Time{{}, inv.IssuedOn.AddDate(0, 0, -1), today.AddDate(0, 0, 2)} {
		if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: 100, PaidOn: day, Reference: "d"}); !errors.Is(err, db.ErrBadPaymentDate) {
			t.Errorf("paid on %s: %v", day, err)
		}
	}
	if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: 12200, PaidOn: inv.IssuedOn, Reference: "e"}); err != nil {
		t.Fatal(err)
	}
	acts, _ := s.InvoiceClosingDocs(ctx, inv.ID)
	if len(acts) != 1 || acts[0].VATRate != 22 || acts[0].VAT != 2200 {
		t.Errorf("acts %+v", acts)
	}
}

// A service is invoiced only if it is on when the invoice is written, and
// only for its own company, whatever the form that asked had read.
func TestInvoiceChecksTheServiceAsItIsNow(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	switchedOff := cs
	switchedOff.Active = false
	if err := s.UpdateCompanyService(ctx, db.Actor{Login: "admin"}, switchedOff, cs.Tariff); err != nil {
		t.Fatal(err)
	}
	// The form read it while it was on.
	if _, err := s.CreateInvoice(ctx, db.Actor{}, db.NewInvoice{Service: cs, Item: "x", Amount: 10000}); !errors.Is(err, db.ErrServiceNotInvoiced) {
		t.Errorf("switched off meanwhile: %v", err)
	}
	if err := s.UpdateCompanyService(ctx, db.Actor{Login: "admin"}, cs, cs.Tariff); err != nil {
		t.Fatal(err)
	}
	newInvoice(t, s, cs, 10000)
	// Another company's id with this service's: refused, nothing written.
	foreign := cs
	foreign.CompanyID = 1
	if _, err := s.CreateInvoice(ctx, db.Actor{}, db.NewInvoice{Service: foreign, Item: "x", Amount: 10000}); !errors.Is(err, db.ErrServiceNotInvoiced) {
		t.Errorf("another company's service: %v", err)
	}
	if list, err := s.ListDocuments(ctx, 1, db.DocFilter{}); err != nil || slices.ContainsFunc(list, func(d db.Document) bool { return d.CompanyServiceID == cs.ID }) {
		t.Errorf("company 1's documents hold the other's service: %v", err)
	}
}

// However an invoice is paid in parts, the VAT of its acts adds up to its
// own VAT to the kopeck, and each part's VAT is what the QR code of the
// invoice asked for the rest.
func TestActsVATAddsUpToTheInvoices(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, uint64(len(t.Name()))))
	for round := range 25 {
		// The УПД of «по оплате» and the advance счета-фактуры of
		// «ежемесячно» carry the same shares.
		setPolicy(t, s, []string{db.ClosingOnPayment, db.ClosingMonthly}[round%2])
		amount := money.Kopecks(1 + rng.Int64N(2_000_000))
		inv := newInvoice(t, s, cs, amount)
		for part := 0; ; part++ {
			inv, _ = s.InvoiceByID(ctx, inv.ID)
			due := inv.Due()
			if due == 0 {
				break
			}
			pay := due
			if part < 4 && due > 1 {
				pay = 1 + money.Kopecks(rng.Int64N(int64(due)))
			}
			wantVAT := inv.DueVAT()
			if pay != due {
				wantVAT = money.VATOfPart(inv.Paid, pay, inv.VATRate)
			}
			if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: pay, PaidOn: inv.IssuedOn,
				Reference: fmt.Sprintf("split-%d-%d", round, part)}); err != nil {
				t.Fatal(err)
			}
			acts, _ := s.InvoiceClosingDocs(ctx, inv.ID)
			if last := acts[len(acts)-1]; last.VAT != wantVAT || last.Form != map[int]string{0: db.FormUPD, 1: db.FormAdvance}[round%2] {
				t.Errorf("invoice %s, part %d: act VAT %s, asked %s", amount, part, last.VAT, wantVAT)
			}
		}
		acts, _ := s.InvoiceClosingDocs(ctx, inv.ID)
		var sum money.Kopecks
		for _, a := range acts {
			sum += a.VAT
		}
		if sum != inv.VAT() || inv.VAT() == 0 && amount > 200 {
			t.Errorf("invoice %s (VAT %s) paid in %d parts: acts' VAT %s", amount, inv.VAT(), len(acts), sum)
		}
	}
}

// An act is dated the day it is made and numbered after every earlier act,
// however early the payment it covers: a payment recorded late keeps its
// own date inside the act, never pulls the act back in time.
func TestActNumbersAndDatesNeverGoBack(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	clock := testutil.NewClock(t)
	s.SetClock(clock.Now)
	today := db.Today(clock.Now(), testutil.Moscow)
	inv, err := s.CreateInvoiceOn(ctx, db.Actor{}, db.NewInvoice{Service: cs, Item: "Услуга «СМС»", Amount: 90000}, today.AddDate(0, 0, -10))
	if err != nil {
		t.Fatal(err)
	}
	pay := func(paidOn time.Time, ref string) {
		if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: 30000, PaidOn: paidOn, Reference: ref}); err != nil {
			t.Fatal(err)
		}
	}
	pay(today.AddDate(0, 0, -1), "a")
	clock.Advance(24 * time.Hour)
	pay(today.AddDate(0, 0, -8), "b") // a bank statement read late
	pay(today.AddDate(0, 0, -3), "c")
	acts, _ := s.InvoiceClosingDocs(ctx, inv.ID)
	if len(acts) != 3 {
		t.Fatalf("%d acts", len(acts))
	}
	for i, a := range acts {
		if i > 0 && (a.Number <= acts[i-1].Number || a.IssuedOn.Before(acts[i-1].IssuedOn)) {
			t.Errorf("act %s of %s after %s of %s", a.Number, a.IssuedOn, acts[i-1].Number, acts[i-1].IssuedOn)
		}
	}
	if !acts[0].IssuedOn.Equal(today) || !acts[1].IssuedOn.Equal(today.AddDate(0, 0, 1)) || !acts[1].PaidOn.Equal(today.AddDate(0, 0, -8)) {
		t.Errorf("acts dated %s, %s (paid %s)", acts[0].IssuedOn, acts[1].IssuedOn, acts[1].PaidOn)
	}
}
