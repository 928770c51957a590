package handlers_test

import (
	"strings"
	"testing"
)

// The company card warns by the alert-invoice switch when the vendor's
// bank details are incomplete, naming what is missing.
func TestAlertInvoiceSwitchWarnsOfMissingVendorDetails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	if r := admin.get("/admin/companies/1"); r.Find("#alert-invoice-warning").Length() != 0 {
		t.Errorf("a warning with the details complete: %q", r.Text("#alert-invoice-warning"))
	}
	e.sqlExec(`UPDATE vendor SET bik = '', bank_account = ''`)
	e.sqlExec(`UPDATE companies SET alert_invoice = 1 WHERE id = 1`)
	r := admin.get("/admin/companies/1")
	want := "Счёт не будет выставлен: в реквизитах поставщика нет: БИК, Расчётный счёт."
	for _, id := range []string{"#alert-invoice-warning", "#alert-invoice-card-warning"} {
		if got := r.Text(id); !strings.HasPrefix(got, want) {
			t.Errorf("%s reads %q, want %q…", id, got, want)
		}
	}
}
