package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"elk/jobs"
)

// «Прикладывать счёт к уведомлению о балансе» is the company's manager's
// (or an admin's) to switch, off by default, and every switch is audited.
func TestAlertInvoiceSwitchIsTheManagers(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	on := map[string]string{"alert_invoice": "1", "notify_enabled": "1"}
	audited := func() int {
		return e.sqlInt(`SELECT count(*) FROM audit_log WHERE action = 'alert_invoice' AND company_id = 1`)
	}
	switchedOn := func() bool {
		co, err := e.Store.Company(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return co.AlertInvoice
	}
	if switchedOn() {
		t.Fatal("the switch is on by default")
	}
	for _, who := range []struct{ login, password string }{
		{"manager2", "второй менеджер 2026"}, {"support", "support123"}, {"finance", "бухгалтерия вендора 2026"},
	} {
		c := e.loggedIn(who.login, who.password)
		if r := c.post("/admin/companies/1", formOf(t, e, 1, on)); r.Status != http.StatusForbidden {
			t.Errorf("%s switches it: %d", who.login, r.Status)
		}
		if r := c.get("/admin/companies/1"); r.Find("#f-alert_invoice").Length() != 0 {
			t.Errorf("%s is offered the switch", who.login)
		}
	}
	if switchedOn() || audited() != 0 {
		t.Fatalf("after refusals: on %v, %d audit lines", switchedOn(), audited())
	}
	manager := e.loggedIn("manager", "manager123")
	if r := manager.post("/admin/companies/1", formOf(t, e, 1, on)); r.Status != http.StatusSeeOther {
		t.Fatalf("the company's manager switches it on: %d %q", r.Status, r.Text(".error"))
	}
	page := manager.get("/admin/companies/1")
	if !switchedOn() || audited() != 1 || !page.Find("#f-alert_invoice").Is("[checked]") || page.Text("#admin-alert-invoice") != "вкл." {
		t.Errorf("switched on: %v, %d audit lines, card %q", switchedOn(), audited(), page.Text("#admin-alert-invoice"))
	}
	if got := e.sqlInt(`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.actor_id
		WHERE a.action = 'alert_invoice' AND u.login = 'manager' AND a.details = 'включено'`); got != 1 {
		t.Errorf("the audit line names the manager and the new state: %d", got)
	}
	// Saving the card unchanged is no new switch; the admin switches it off.
	if r := manager.post("/admin/companies/1", formOf(t, e, 1, on)); r.Status != http.StatusSeeOther || audited() != 1 {
		t.Errorf("saved unchanged: %d, %d audit lines", r.Status, audited())
	}
	if r := e.loggedIn("admin", "admin123").post("/admin/companies/1", formOf(t, e, 1, map[string]string{"notify_enabled": "1"})); r.Status != http.StatusSeeOther ||
		switchedOn() || audited() != 2 {
		t.Errorf("the admin switches it off: %d, on %v, %d audit lines", r.Status, switchedOn(), audited())
	}
}

// The invoice an alert issued is in Документы like any other, marked as
// issued automatically, and its PDF is the one the e-mail attaches.
func TestAlertInvoiceShowsInDocuments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	co, err := e.Store.Company(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	services, err := e.Store.CompanyServices(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	co.AlertInvoice, co.SMSAlertThreshold = true, services[0].Balance+1
	// The demo's unpaid invoices issued by hand, recent, would be carried instead.
	e.sqlExec(`UPDATE invoices SET status = 'cancelled' WHERE auto = 0 AND status IN ('issued', 'partially_paid')`)
	if err := e.Store.UpdateCompany(ctx, actorOf(e, "manager"), co); err != nil {
		t.Fatal(err)
	}
	id := e.sqlInt(`SELECT id FROM invoices WHERE auto = 1`)
	inv, err := e.Store.Invoice(ctx, 1, int64(id))
	if err != nil {
		t.Fatalf("the alert issued no invoice: %v", err)
	}
	taxi := e.loggedIn("taxi", "taxi123")
	if row := taxi.get("/documents").Text("#invoice-" + itoa(inv.ID)); !strings.Contains(row, inv.Number) || !strings.Contains(row, "выставлен автоматически") {
		t.Errorf("the row: %q", row)
	}
	if r := taxi.get("/documents/invoices/" + itoa(inv.ID)); r.Find("#invoice-auto").Length() != 1 {
		t.Errorf("the invoice page does not say it was issued automatically")
	}
	served := taxi.get("/documents/invoices/" + itoa(inv.ID) + "/pdf")
	kept, err := jobs.KeptInvoices{Store: e.Store}.InvoiceFile(ctx, 1, inv.ID)
	if err != nil || served.Body != string(kept.Data) {
		t.Errorf("the attached PDF differs from the one Документы serves (%v)", err)
	}
	// Another company cannot have it attached.
	if _, err := (jobs.KeptInvoices{Store: e.Store}).InvoiceFile(ctx, 2, inv.ID); err == nil {
		t.Error("company 2 reads company 1's invoice")
	}
}
