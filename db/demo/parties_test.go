package demo_test

import (
	"context"
	"regexp"
	"testing"

	"elk/db"
	"elk/testutil"
)

// Every demo company works under a contract signed before its first
// invoice, and every invoice names it; the Kazakh one pays no VAT, for a
// reason the documents print.
func TestDemoCompaniesHaveContractsAndSigners(t *testing.T) {
	s, clock := testutil.OpenDemo(t)
	ctx := context.Background()
	today := db.Today(clock.Now(), db.VendorLocation)
	companies, err := s.ListCompanies(ctx, "")
	if err != nil || len(companies) != 3 {
		t.Fatalf("%d companies: %v", len(companies), err)
	}
	number := regexp.MustCompile(`^ЕЛК-\d+/(\d{4})$`)
	for _, co := range companies {
		c := co.Contract
		m := number.FindStringSubmatch(c.Number)
		if m == nil || c.Date == nil || c.Date.After(today) || m[1] != c.Date.Format("2006") {
			t.Errorf("%s: contract %q of %v", co.Name, c.Number, c.Date)
			continue
		}
		if co.Signer.Name == "" || co.Signer.Position == "" {
			t.Errorf("%s: signer %+v", co.Name, co.Signer)
		}
		invoices, err := s.ListInvoices(ctx, db.InvoiceFilter{CompanyID: co.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range invoices {
			if !c.Date.Before(inv.IssuedOn) || inv.Buyer.Contract == nil || inv.Buyer.Contract.Number != c.Number {
				t.Errorf("%s: invoice %s of %s, buyer's contract %+v", co.Name, inv.Number, inv.IssuedOn.Format("02.01.2006"), inv.Buyer.Contract)
			}
		}
	}
	alma := companies[0] // by name: «Алма Такси» first
	if alma.Country != "KZ" || alma.INN != "150440012344" || alma.VAT.Mode != db.VATNone || alma.VAT.Reason == "" {
		t.Errorf("Алма Такси: %+v", alma)
	}
	v, _ := s.Vendor(ctx)
	if v.DirectorPosition == "" || v.Accountant == "" {
		t.Errorf("vendor's signers: %q %q", v.DirectorPosition, v.Accountant)
	}
}
