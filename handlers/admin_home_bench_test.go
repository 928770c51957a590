package handlers_test

import (
	"context"
	"net/http"
	"testing"

	"elk/bench/scale"
	"elk/db"
)

// The back office's home with 1,500 companies, each with 90 days of SMS
// and spending in the roll-ups and a payment a month. Run:
//
//	go test ./handlers -run '^$' -bench AdminHomeAtScale -benchtime 100x
func BenchmarkAdminHomeAtScale(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	invoices, err := e.Store.ListInvoices(ctx, db.InvoiceFilter{Limit: 1})
	if err != nil || len(invoices) == 0 {
		b.Fatal("no invoice to pay", err)
	}
	sms := serviceOf(b, e, 1, db.ServiceSMS)
	if err := scale.Companies(ctx, e.Path, 1500, db.DashboardSMSDays, e.userID("manager"), sms.Tariff.ID, invoices[0].ID, e.Clock.Now()); err != nil {
		b.Fatal(err)
	}
	for _, who := range []struct{ login, password, path string }{
		{"admin", "admin123", "/admin"},
		{"manager", "manager123", "/admin"},
		{"manager", "manager123", "/admin?scope=all"},
	} {
		c := e.loggedIn(who.login, who.password)
		b.Run(who.login+who.path[len("/admin"):], func(b *testing.B) {
			for b.Loop() {
				if r := c.get(who.path); r.Status != http.StatusOK || r.Find("#low-balances tbody tr").Length() == 0 {
					b.Fatalf("%s: %d", who.path, r.Status)
				}
			}
		})
	}
}
