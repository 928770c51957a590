package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"elk/db"
)

// formOf is the back office's company form as the company stands, with
// overrides.
func formOf(t *testing.T, e *env, id int64, overrides map[string]string) url.Values {
	t.Helper()
	co, err := e.Store.Company(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"name": co.Name, "legal_name": co.LegalName, "inn": co.INN, "kpp": co.KPP, "ogrn": co.OGRN,
		"country": co.Country, "timezone": co.Timezone, "manager_id": itoa(co.ManagerID)}
	for k, v := range overrides {
		base[k] = v
	}
	return companyForm(base)
}

func managerOf(t *testing.T, e *env, id int64) int64 {
	t.Helper()
	co, err := e.Store.Company(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return co.ManagerID
}

// The attack the issue reports: a manager renames a company assigned to
// someone else, takes it over and makes an API token for it. Each write is
// refused by the company of the object in the URL, and the company's page
// offers that manager nothing to submit; their own company stays theirs.
func TestManagerCannotTakeOverAnotherManagersCompany(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	intruder := e.loggedIn("manager2", "второй менеджер 2026")
	before := snapshot(t, e)
	self := itoa(e.userID("manager2"))
	targets := roleTargets(t, e)
	for _, req := range []struct {
		path string
		form url.Values
	}{
		{"/admin/companies/1", formOf(t, e, 1, map[string]string{"name": "Захвачено", "manager_id": self})},
		{"/admin/companies/1", formOf(t, e, 1, map[string]string{"name": "Захвачено"})},
		{"/admin/companies/1/tokens", url.Values{"name": {"Чужой сервер"}}},
		{"/admin/companies/1/users", url.Values{"name": {"Чужой"}, "login": {"intruder"}, "role": {"owner"}, "password": {"чужой владелец 2026"}}},
		{"/admin/users/" + itoa(e.userID("taxi")) + "/password", nil},
		{"/admin/users/" + itoa(e.userID("taxi")) + "/disable", nil},
		{"/admin/tokens/" + targets[":token"] + "/revoke", nil},
		{"/admin/services/" + targets[":service"] + "/corrections", url.Values{"amount": {"100000"}, "reason": {"подарок"}, "key": {strings.Repeat("b", 32)}}},
		{"/admin/invoices/" + targets[":invoice"] + "/cancel", url.Values{"reason": {"не нужен"}}},
		{"/admin/companies/1/invoices", url.Values{"service_id": {targets[":service"]}, "amount": {"100"}}},
		{"/admin/monitors/" + targets[":monitor"] + "/secret", nil},
	} {
		r := intruder.post(req.path, req.form)
		if r.Status != http.StatusForbidden || !strings.Contains(r.Text("main"), "Эта компания закреплена за другим менеджером") {
			t.Errorf("%s by another manager: %d %q", req.path, r.Status, r.Text("main"))
		}
	}
	if after := snapshot(t, e); after != before {
		t.Errorf("«Такси Пример» changed by another manager:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := e.Store.UserByLogin(context.Background(), "intruder"); err == nil {
		t.Error("another manager added a user")
	}

	// The company's page: read, with nothing to submit.
	page := intruder.get("/admin/companies/1")
	if page.Status != http.StatusOK || page.Text("h1") != "Такси Пример" {
		t.Fatalf("reading another manager's company: %d", page.Status)
	}
	for _, sel := range []string{`form[action="/admin/companies/1"]`, "#add-user", `form[action="/admin/companies/1/tokens"]`,
		`form[action="/admin/companies/1/services"]`, `a[href="/admin/companies/1/invoices/new"]`, `form[action^="/admin/users/"]`,
		`form[action^="/admin/tokens/"]`} {
		if page.Find(sel).Length() != 0 {
			t.Errorf("another manager's company page offers %s", sel)
		}
	}
	for path, sel := range map[string]string{
		"/admin/services/" + targets[":service"]: `form[method="post"]`,
		"/admin/companies/1/monitoring":          `form[method="post"]`,
		"/admin/invoices/" + targets[":invoice"]: `form[method="post"]`,
	} {
		if r := intruder.get(path); r.Status != http.StatusOK || r.Find("main "+sel).Length() != 0 {
			t.Errorf("%s as another manager: %d, %d forms", path, r.Status, r.Find("main "+sel).Length())
		}
	}

	// Their own company is theirs to change.
	if r := intruder.post("/admin/companies/3", formOf(t, e, 3, map[string]string{"name": "Алма Такси Плюс"})); r.Status != http.StatusSeeOther {
		t.Fatalf("own company: %d %q", r.Status, r.Text("main"))
	}
	if co, _ := e.Store.Company(context.Background(), 3); co.Name != "Алма Такси Плюс" || itoa(co.ManagerID) != self {
		t.Errorf("own company after saving: %q, manager %d", co.Name, co.ManagerID)
	}
}

// Only an admin chooses a company's manager: a manager can neither take a
// company nor hand theirs on, and a company without a manager is the
// admins'.
func TestOnlyAdminsAssignManagers(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	manager, admin := e.loggedIn("manager", "manager123"), e.loggedIn("admin", "admin123")
	mine, other := e.userID("manager"), e.userID("manager2")

	// Handing its own company on to another manager is refused.
	r := manager.post("/admin/companies/1", formOf(t, e, 1, map[string]string{"manager_id": itoa(other)}))
	if r.Status != http.StatusForbidden || !strings.Contains(r.Text("main"), "Менеджера компании назначает только администратор") {
		t.Errorf("manager reassigns: %d %q", r.Status, r.Text("main"))
	}
	if managerOf(t, e, 1) != mine {
		t.Error("the company changed hands")
	}
	// The form shows the manager but does not let it be chosen; sent
	// without it, as a browser sends a disabled field, the manager stays.
	if page := manager.get("/admin/companies/1"); page.Find("#f-manager[disabled]").Length() != 1 || page.Text("#h-manager") == "" {
		t.Error("a manager is offered to choose the company's manager")
	}
	if page := admin.get("/admin/companies/1"); page.Find("#f-manager").Length() != 1 || page.Find("#f-manager[disabled]").Length() != 0 {
		t.Error("an admin cannot choose the company's manager")
	}
	form := formOf(t, e, 1, map[string]string{"name": "Такси Пример 2"})
	form.Del("manager_id")
	if r := manager.post("/admin/companies/1", form); r.Status != http.StatusSeeOther || managerOf(t, e, 1) != mine {
		t.Errorf("saving without the manager field: %d, manager %d", r.Status, managerOf(t, e, 1))
	}

	// A manager's new company is theirs, and only theirs.
	if r := manager.post("/admin/companies", companyForm(map[string]string{"name": "Такси Север", "manager_id": itoa(e.userID("admin"))})); r.Status != http.StatusForbidden {
		t.Errorf("manager creates a company for someone else: %d", r.Status)
	}
	form = companyForm(map[string]string{"name": "Такси Север"})
	form.Del("manager_id") // disabled in a manager's form
	created := manager.post("/admin/companies", form)
	if created.Status != http.StatusSeeOther {
		t.Fatalf("manager creates a company: %d %q", created.Status, created.Text(".error"))
	}
	id := int64(e.sqlInt(`SELECT id FROM companies WHERE name = 'Такси Север'`))
	if managerOf(t, e, id) != mine {
		t.Errorf("a manager's new company is assigned to %d", managerOf(t, e, id))
	}

	// The admin hands company 1 over: the first manager loses it.
	if r := admin.post("/admin/companies/1", formOf(t, e, 1, map[string]string{"manager_id": itoa(other)})); r.Status != http.StatusSeeOther {
		t.Fatalf("admin reassigns: %d %q", r.Status, r.Text(".error"))
	}
	if r := manager.post("/admin/companies/1", formOf(t, e, 1, nil)); r.Status != http.StatusForbidden {
		t.Errorf("former manager edits: %d", r.Status)
	}
	if r := e.loggedIn("manager2", "второй менеджер 2026").post("/admin/companies/1", formOf(t, e, 1, nil)); r.Status != http.StatusSeeOther {
		t.Errorf("new manager edits: %d %q", r.Status, r.Text("main"))
	}

	// A company without a manager is changed by admins only.
	if r := admin.post("/admin/companies/2", formOf(t, e, 2, map[string]string{"manager_id": "0"})); r.Status != http.StatusSeeOther || managerOf(t, e, 2) != 0 {
		t.Fatalf("admin unassigns: %d", r.Status)
	}
	r = manager.post("/admin/companies/2", formOf(t, e, 2, map[string]string{"manager_id": "0", "name": "Ничья"}))
	if r.Status != http.StatusForbidden || !strings.Contains(r.Text("main"), "За этой компанией не закреплён менеджер") {
		t.Errorf("manager edits an unassigned company: %d %q", r.Status, r.Text("main"))
	}
	if r := manager.post("/admin/companies/2", formOf(t, e, 2, map[string]string{"manager_id": itoa(mine)})); r.Status != http.StatusForbidden || managerOf(t, e, 2) != 0 {
		t.Errorf("manager takes an unassigned company: %d, manager %d", r.Status, managerOf(t, e, 2))
	}
}

// The vendor's accountant handles every company's money, whoever manages
// it, and nothing else of theirs.
func TestStaffAccountantHandlesEveryCompanysMoney(t *testing.T) {
	t.Parallel()
	e := roleEnv(t)
	finance := e.loggedIn("finance", "бухгалтерия вендора 2026")
	targets := roleTargets(t, e)
	invoice := targets[":invoice"]
	page := finance.get("/admin/invoices/" + invoice)
	if page.Find(`form[action="/admin/invoices/`+invoice+`/payments"]`).Length() != 1 {
		t.Error("the accountant is not offered to record a payment")
	}
	id, _ := strconv.ParseInt(invoice, 10, 64)
	inv, err := e.Store.InvoiceByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	r := finance.post("/admin/invoices/"+invoice+"/payments", url.Values{"paid_on": {inv.IssuedOn.Format("2006-01-02")},
		"amount": {inv.Due().Format()}, "reference": {"п/п 77"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("payment by the accountant: %d %q", r.Status, r.Text(".error"))
	}
	if inv, _ := e.Store.InvoiceByID(context.Background(), inv.ID); inv.Status != db.InvoicePaid {
		t.Errorf("invoice after the payment: %s", inv.Status)
	}
	if company := finance.get("/admin/companies/1"); company.Find(`form[action="/admin/companies/1"]`).Length() != 0 ||
		company.Find(`a[href="/admin/companies/1/invoices/new"]`).Length() != 1 {
		t.Error("the accountant's company page: a requisites form, or no invoice to issue")
	}
	if r := finance.post("/admin/companies/1", formOf(t, e, 1, nil)); r.Status != http.StatusForbidden {
		t.Errorf("accountant edits the company: %d", r.Status)
	}
}
