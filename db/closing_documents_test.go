package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
)

// setPolicy puts the closing policy in force from this month's first day,
// the other one before it.
func setPolicy(t *testing.T, s *db.Store, policy string) {
	t.Helper()
	from := db.MonthStart(db.Today(s.Now(), db.VendorLocation))
	other := map[string]string{db.ClosingOnPayment: db.ClosingMonthly, db.ClosingMonthly: db.ClosingOnPayment}[policy]
	for _, p := range []string{other, policy} {
		if err := s.SetClosingPolicy(context.Background(), db.Actor{}, p, from); err != nil {
			t.Fatal(err)
		}
	}
}

// pay issues an invoice of the service's tariff and pays it in full.
func pay(t *testing.T, s *db.Store, cs db.CompanyService, amount money.Kopecks, ref string) []db.ClosingDoc {
	t.Helper()
	ctx := context.Background()
	tariff := cs.Tariff
	inv, err := s.CreateInvoice(ctx, db.Actor{}, db.NewInvoice{Service: cs, Tariff: &tariff, Item: db.ServiceItem(cs.ServiceCode, tariff.Name), Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordPayment(ctx, db.Actor{}, inv.ID, db.NewPayment{Amount: amount, PaidOn: inv.IssuedOn, Reference: ref}); err != nil {
		t.Fatal(err)
	}
	docs, err := s.InvoiceClosingDocs(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// Under «по оплате» a payment gets a УПД naming so many units of the tariff
// when it buys whole units, else a prepayment under the tariff; status 1
// with VAT, 2 without.
func TestPaymentUPDNamesUnitsOfTheTariff(t *testing.T) {
	s, cs := connected(t)
	setPolicy(t, s, db.ClosingOnPayment)

	docs := pay(t, s, cs, 1_000_000, "whole")
	if len(docs) != 1 {
		t.Fatalf("documents: %+v", docs)
	}
	d := docs[0]
	want := db.DocLine{Name: "Услуга «СМС», тариф «Test»", Service: db.ServiceSMS, Unit: db.UnitSMSPart, Quantity: 4000, Price: 250, Amount: 1_000_000,
		VAT: money.VATOf(1_000_000, 22)}
	if d.Form != db.FormUPD || d.UPDStatus != db.UPDWithVAT || len(d.Lines) != 1 || d.Lines[0] != want || d.VAT != want.VAT {
		t.Errorf("whole units: %+v", d)
	}

	d = pay(t, s, cs, 1_000_001, "part")[0]
	if l := d.Lines[0]; l.Name != "Услуги по тарифу «Test» (предоплата)" || l.Quantity != 1 || l.Amount != 1_000_001 || l.Unit != "" {
		t.Errorf("not whole units: %+v", l)
	}

	co, err := s.Company(context.Background(), cs.CompanyID)
	if err != nil {
		t.Fatal(err)
	}
	co.VAT = db.VATMode{Mode: db.VATNone, Reason: "Место реализации — Республика Казахстан"}
	if err := s.UpdateCompany(context.Background(), db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	d = pay(t, s, cs, 500_000, "no-vat")[0]
	if d.UPDStatus != db.UPDWithoutVAT || d.VATRate != money.NoVAT || d.VAT != 0 || d.Buyer.VATReason != co.VAT.Reason {
		t.Errorf("without VAT: %+v", d)
	}
}

// Under «ежемесячно» a payment with VAT gets an advance счёт-фактура in
// the same numbering, and one without VAT nothing.
func TestMonthlyPolicyIssuesAdvanceInvoicesOnPayments(t *testing.T) {
	s, cs := connected(t)
	setPolicy(t, s, db.ClosingMonthly)
	before := pay(t, s, cs, 300_000, "advance")
	if len(before) != 1 || before[0].Form != db.FormAdvance || before[0].VAT != money.VATOf(300_000, 22) ||
		before[0].PaymentReference != "advance" || before[0].IssuedOn != db.Today(s.Now(), db.VendorLocation) {
		t.Fatalf("advance: %+v", before)
	}
	co, _ := s.Company(context.Background(), cs.CompanyID)
	co.VAT = db.VATMode{Mode: db.VATNone, Reason: "ЕАЭС"}
	if err := s.UpdateCompany(context.Background(), db.Actor{}, co); err != nil {
		t.Fatal(err)
	}
	if docs := pay(t, s, cs, 300_000, "no-advance"); len(docs) != 0 {
		t.Errorf("without VAT: %+v", docs)
	}
}

// A month's УПД has a line per service and tariff of what was charged in
// the month — SMS parts × price less a refund, a month of support — and
// totals exactly the month's charges in the ledger; it names the advance
// счёт-фактура it offsets; it is issued once.
func TestMonthlyUPDTotalsTheMonthsCharges(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingMonthly)
	support := connect(t, s, sms.CompanyID, db.Tariff{ServiceID: 2, Name: "Поддержка 24/7", Price: 1_500_000, Unit: db.UnitMonth})
	advance := pay(t, s, sms, 300_000, "advance")[0]
	for i, e := range []db.Entry{
		{CompanyServiceID: sms.ID, Amount: -1_000_000, Source: db.SourceSMS, Units: 4000},
		{CompanyServiceID: sms.ID, Amount: -2_500, Source: db.SourceSMS, Units: 10},
		{CompanyServiceID: sms.ID, Amount: 12_500, Source: db.SourceRefund, Description: "Возврат за недоставленные СМС"},
		{CompanyServiceID: sms.ID, Amount: 50_000, Source: db.SourceCorrection, Description: "Скидка"},
	} {
		e.IdempotencyKey = "month-" + string(rune('a'+i))
		if _, _, err := s.Post(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	today := db.Today(s.Now(), db.VendorLocation)
	if _, err := s.Subscribe(ctx, db.Actor{}, db.NewSubscription{Service: support, Tariff: support.Tariff, Kind: db.KindPeriodic,
		PeriodFrom: db.MonthStart(today), PeriodTo: db.MonthStart(today).AddDate(0, 1, -1), Today: today, Key: "month-sub"}); err != nil {
		t.Fatal(err)
	}

	nextMonth := time.Date(today.Year(), today.Month()+1, 1, 3, 0, 0, 0, db.VendorLocation)
	if n, err := s.IssueMonthlyDocs(ctx, nextMonth); err != nil || n == 0 {
		t.Fatalf("issued %d: %v", n, err)
	}
	if n, err := s.IssueMonthlyDocs(ctx, nextMonth.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("issued again %d: %v", n, err)
	}
	docs, err := s.ListDocuments(ctx, sms.CompanyID, db.DocFilter{Kind: db.DocClosing})
	if err != nil || len(docs) != 2 || docs[0].InvoiceID != 0 {
		t.Fatalf("documents %+v: %v", docs, err)
	}
	d, err := s.ClosingDoc(ctx, sms.CompanyID, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	total := money.Kopecks(1_000_000 + 2_500 - 12_500 + 1_500_000)
	want := []db.DocLine{
		{Name: "Услуга «СМС», тариф «Test»", Service: db.ServiceSMS, Unit: db.UnitSMSPart, Quantity: 3960, Price: 250, Amount: 990_000},
		{Name: "Услуга «Техническая поддержка», тариф «Поддержка 24/7»", Service: db.ServiceSupport, Unit: db.UnitMonth, Quantity: 1, Price: 1_500_000, Amount: 1_500_000},
	}
	if d.Form != db.FormUPD || d.Basis != db.BasisMonth || d.Amount != total || d.VAT != money.VATOf(total, 22) ||
		d.PeriodFrom != db.MonthStart(today) || d.PeriodTo != db.MonthStart(today).AddDate(0, 1, -1) ||
		d.IssuedOn != db.Today(nextMonth, db.VendorLocation) || d.InvoiceID != 0 || len(d.Lines) != len(want) ||
		len(d.Advances) != 1 || d.Advances[0] != (db.AdvanceRef{Number: advance.Number, IssuedOn: advance.IssuedOn}) {
		t.Fatalf("document: %+v", d)
	}
	var vat money.Kopecks
	for i, l := range d.Lines {
		vat += l.VAT
		l.VAT = 0
		if l != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, l, want[i])
		}
	}
	if vat != d.VAT {
		t.Errorf("lines' VAT %s, document's %s", vat, d.VAT)
	}
	if bad, err := s.CheckClosingDocs(ctx); err != nil || len(bad) != 0 {
		t.Errorf("check: %+v %v", bad, err)
	}
}

// Under «по оплате», or before the monthly policy took effect, no month's
// document is made.
func TestNoMonthlyUPDUnderThePaymentPolicy(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingOnPayment)
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: sms.ID, Amount: -2_500, Source: db.SourceSMS, Units: 10, IdempotencyKey: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IssueMonthlyDocs(ctx, monthAt(s, 1, 1)); err != nil {
		t.Fatal(err)
	}
	if d, ok := monthDoc(t, s, sms.CompanyID, 0); ok {
		t.Errorf("a month's УПД under «по оплате»: %+v", d)
	}
}

// elk check passes the demo and reports a month's document that no longer
// equals the ledger.
func TestCheckFindsAMonthThatDisagrees(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	if bad, err := s.CheckClosingDocs(ctx); err != nil || len(bad) != 0 {
		t.Fatalf("the demo: %+v %v", bad, err)
	}
	setPolicy(t, s, db.ClosingMonthly)
	charge := func(key string) {
		if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: sms.ID, Amount: -2_500, Source: db.SourceSMS, Units: 10, IdempotencyKey: key}); err != nil {
			t.Fatal(err)
		}
	}
	charge("on-time")
	today := db.Today(s.Now(), db.VendorLocation)
	if _, err := s.IssueMonthlyDocs(ctx, time.Date(today.Year(), today.Month()+1, 1, 3, 0, 0, 0, db.VendorLocation)); err != nil {
		t.Fatal(err)
	}
	charge("late") // entered into the month after its document was made
	bad, err := s.CheckClosingDocs(ctx)
	if err != nil || len(bad) != 1 || bad[0].Problem != "month" || bad[0].Want != 5_000 || bad[0].Got != 2_500 {
		t.Errorf("after a late charge: %+v %v", bad, err)
	}
}

// connect connects a new tariff's service to the company.
func connect(t *testing.T, s *db.Store, companyID int64, tariff db.Tariff) db.CompanyService {
	t.Helper()
	ctx := context.Background()
	tariff.ValidFrom = db.Today(s.Now(), time.UTC).AddDate(-1, 0, 0)
	id, err := s.CreateTariff(ctx, db.Actor{}, tariff)
	if err != nil {
		t.Fatal(err)
	}
	if tariff, err = s.TariffByID(ctx, id); err != nil {
		t.Fatal(err)
	}
	csID, err := s.ConnectService(ctx, db.Actor{}, companyID, tariff, tariff.ValidFrom, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.CompanyService(ctx, companyID, csID)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// monthAt is an instant of the month n months after this one, on its day d.
func monthAt(s *db.Store, n, d int) time.Time {
	m := db.MonthStart(db.Today(s.Now(), db.VendorLocation)).AddDate(0, n, 0)
	return time.Date(m.Year(), m.Month(), d, 12, 0, 0, 0, db.VendorLocation)
}

// monthDoc is the company's УПД of the month n months after this one.
func monthDoc(t *testing.T, s *db.Store, companyID int64, n int) (db.ClosingDoc, bool) {
	t.Helper()
	ctx := context.Background()
	docs, _ := s.ListDocuments(ctx, companyID, db.DocFilter{Kind: db.DocClosing})
	for _, d := range docs {
		doc, err := s.ClosingDoc(ctx, companyID, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Basis == db.BasisMonth && doc.PeriodFrom.Equal(db.Today(monthAt(s, n, 1), db.VendorLocation)) {
			return doc, true
		}
	}
	return db.ClosingDoc{}, false
}

// What closing by payment sold ahead is not billed again once monthly
// closing begins: the months after the switch bill only what is spent
// beyond the balance that was sold.
func TestMonthlyClosingDoesNotBillWhatPaymentsSold(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingOnPayment)
	if err := s.SetClosingPolicy(ctx, db.Actor{}, db.ClosingMonthly, db.Today(monthAt(s, 1, 1), db.VendorLocation)); err != nil {
		t.Fatal(err)
	}
	if sold := pay(t, s, sms, 1_000_000, "sold")[0]; sold.Form != db.FormUPD {
		t.Fatalf("the payment under «по оплате»: %+v", sold)
	}
	charge := func(at time.Time, parts int64, key string) {
		if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: sms.ID, Amount: -money.Kopecks(parts) * 250, Source: db.SourceSMS,
			Units: parts, IdempotencyKey: key, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	charge(monthAt(s, 1, 10), 1600, "m1") // 4 000,00 of the 10 000,00 sold
	charge(monthAt(s, 2, 5), 3200, "m2")  // 8 000,00: 6 000,00 sold, 2 000,00 to bill
	for n := 2; n <= 3; n++ {
		if _, err := s.IssueMonthlyDocs(ctx, monthAt(s, n, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if d, ok := monthDoc(t, s, sms.CompanyID, 1); ok {
		t.Errorf("the first month billed again what was sold: %+v", d)
	}
	d, ok := monthDoc(t, s, sms.CompanyID, 2)
	if !ok || d.Amount != 200_000 || len(d.Lines) != 1 || d.Lines[0].Quantity != 800 || d.Lines[0].Price != 250 {
		t.Errorf("the second month: %v %+v", ok, d)
	}
	if bad, err := s.CheckClosingDocs(ctx); err != nil || len(bad) != 0 {
		t.Errorf("check: %+v %v", bad, err)
	}
}

// A refund of a subscription charged in an earlier month never makes a
// line below nothing: it comes off the service's lines of its month, or,
// with none, elk check asks for a correction.
func TestRefundOfAnEarlierMonthNeverBillsBelowNothing(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingMonthly)
	support := connect(t, s, sms.CompanyID, db.Tariff{ServiceID: 2, Name: "Поддержка", Price: 1_500_000, Unit: db.UnitMonth})
	today := db.Today(s.Now(), db.VendorLocation)
	id, err := s.Subscribe(ctx, db.Actor{}, db.NewSubscription{Service: support, Tariff: support.Tariff, Kind: db.KindPeriodic,
		PeriodFrom: today, PeriodTo: today.AddDate(0, 1, -1), Today: today, Key: "sub"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []db.Entry{
		{CompanyServiceID: support.ID, Amount: 1_500_000, Source: db.SourceRefund, Units: 1, Ref: fmt.Sprintf("subscription:%d", id),
			IdempotencyKey: "refund", At: monthAt(s, 1, 3)},
		{CompanyServiceID: sms.ID, Amount: -500_000, Source: db.SourceSMS, Units: 2000, IdempotencyKey: "sms", At: monthAt(s, 1, 4)},
		{CompanyServiceID: sms.ID, Amount: 750, Source: db.SourceRefund, Description: "Возврат за 3 части", IdempotencyKey: "r3", At: monthAt(s, 1, 5)},
	} {
		if _, _, err := s.Post(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.IssueMonthlyDocs(ctx, monthAt(s, 2, 1)); err != nil {
		t.Fatal(err)
	}
	d, ok := monthDoc(t, s, sms.CompanyID, 1)
	if !ok || d.Amount != 499_250 || len(d.Lines) != 1 || d.Lines[0].Quantity != 1997 || d.Lines[0].Amount < 0 {
		t.Fatalf("the month after the refund: %v %+v", ok, d)
	}
	bad, err := s.CheckClosingDocs(ctx)
	if err != nil || len(bad) != 1 || bad[0].Problem != "refund_left" || bad[0].Got != 1_500_000 {
		t.Errorf("check: %+v %v", bad, err)
	}
}

// A month's УПД offsets only advances received by its last day, and one
// without VAT none.
func TestMonthOffsetsOnlyItsOwnAdvances(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingMonthly)
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: sms.ID, Amount: -2_500, Source: db.SourceSMS, Units: 10, IdempotencyKey: "m"}); err != nil {
		t.Fatal(err)
	}
	// The server was down on the first: the payment of the 2nd comes before the run.
	second := monthAt(s, 1, 2)
	s.SetClock(func() time.Time { return second })
	pay(t, s, sms, 300_000, "next-month")
	if _, err := s.IssueMonthlyDocs(ctx, second); err != nil {
		t.Fatal(err)
	}
	d, ok := monthDoc(t, s, sms.CompanyID, -1)
	if !ok || len(d.Advances) != 0 {
		t.Errorf("the month offsets a later advance: %v %+v", ok, d.Advances)
	}
}

// A server down over the first of a month closes that month when it is up.
func TestAMissedMonthIsClosedLate(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingMonthly)
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: sms.ID, Amount: -2_500, Source: db.SourceSMS, Units: 10, IdempotencyKey: "m"}); err != nil {
		t.Fatal(err)
	}
	late := monthAt(s, 2, 3)
	if _, err := s.IssueMonthlyDocs(ctx, late); err != nil {
		t.Fatal(err)
	}
	d, ok := monthDoc(t, s, sms.CompanyID, 0)
	if !ok || d.Amount != 2_500 || !d.IssuedOn.Equal(db.Today(late, db.VendorLocation)) {
		t.Errorf("the missed month: %v %+v", ok, d)
	}
}

// When closing by payment follows monthly closing, what was paid under
// monthly closing and not spent is closed on the first day of the new
// policy, its advance счета-фактуры offset: every kopeck paid is closed
// once.
func TestClosingByPaymentClosesTheBalanceLeftByMonthlyClosing(t *testing.T) {
	s, sms := connected(t)
	ctx := context.Background()
	setPolicy(t, s, db.ClosingMonthly)
	began := db.Today(monthAt(s, 1, 1), db.VendorLocation)
	if err := s.SetClosingPolicy(ctx, db.Actor{}, db.ClosingOnPayment, began); err != nil {
		t.Fatal(err)
	}
	advance := pay(t, s, sms, 1_000_000, "paid")[0]
	if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: sms.ID, Amount: -300_000, Source: db.SourceSMS, Units: 1200, IdempotencyKey: "spent"}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.IssueMonthlyDocs(ctx, monthAt(s, 1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	month, ok := monthDoc(t, s, sms.CompanyID, 0)
	if !ok || month.Amount != 300_000 || len(month.Advances) != 1 {
		t.Fatalf("the last monthly month: %v %+v", ok, month)
	}
	docs, _ := s.ListDocuments(ctx, sms.CompanyID, db.DocFilter{Kind: db.DocClosing})
	var balances []db.ClosingDoc
	for _, d := range docs {
		doc, _ := s.ClosingDoc(ctx, sms.CompanyID, d.ID)
		if doc.Basis == db.BasisBalance {
			balances = append(balances, doc)
		}
	}
	want := db.DocLine{Name: "Услуги по тарифу «Test» (предоплата)", Service: db.ServiceSMS, Quantity: 1, Price: 700_000, Amount: 700_000,
		VAT: money.VATOf(700_000, 22)}
	if len(balances) != 1 || balances[0].Amount != 700_000 || !balances[0].PeriodFrom.Equal(began) || balances[0].Lines[0] != want ||
		len(balances[0].Advances) != 1 || balances[0].Advances[0].Number != advance.Number {
		t.Fatalf("the balance closed: %+v", balances)
	}
	if bad, err := s.CheckClosingDocs(ctx); err != nil || len(bad) != 0 {
		t.Errorf("check: %+v %v", bad, err)
	}
}
