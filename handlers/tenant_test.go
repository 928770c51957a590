package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"elk/db"
)

// foreignRequest is a client request aimed at an object of another company.
type foreignRequest struct {
	method, path string
	form         url.Values
}

// foreignRequests are every client route that takes an object id, given
// «Такси Пример»'s ids. Each area adds its routes here; a test below fails
// when a client route with an id is missing from this table.
func foreignRequests(e *env) []foreignRequest {
	dispatcher := itoa(e.userID("dispatcher"))
	owner := itoa(e.userID("taxi"))
	services, err := e.Store.CompanyServices(context.Background(), 1, false)
	if err != nil || len(services) < 2 {
		e.t.Fatalf("«Такси Пример» services: %d, %v", len(services), err)
	}
	sms, support := itoa(services[0].ID), itoa(services[1].ID)
	invoice, act := firstDocuments(e, 1)
	ownNews := strconv.Itoa(e.sqlInt(`SELECT news_id FROM news_companies WHERE company_id = 1 LIMIT 1`))
	ticket := strconv.Itoa(e.sqlInt(`SELECT id FROM tickets WHERE company_id = 1 AND status <> 'closed' LIMIT 1`))
	closedTicket := strconv.Itoa(e.sqlInt(`SELECT id FROM tickets WHERE company_id = 1 AND status = 'closed' LIMIT 1`))
	file := strconv.Itoa(e.sqlInt(`SELECT f.id FROM ticket_attachments f JOIN ticket_messages m ON m.id = f.message_id
		JOIN tickets t ON t.id = m.ticket_id WHERE t.company_id = 1 LIMIT 1`))
	telegram := itoa(e.linkTelegram("taxi", 1, 123456789))
	e.loggedIn("taxi", "taxi123")
	sessions, err := e.Store.UserSessions(context.Background(), e.userID("taxi"), "")
	if err != nil || len(sessions) == 0 {
		e.t.Fatalf("taxi's sessions: %v %v", sessions, err)
	}
	return []foreignRequest{
		{http.MethodPost, "/account/sessions/" + sessions[0].ID + "/end", nil},
		{http.MethodGet, "/news/" + ownNews, nil},
		{http.MethodGet, "/tickets/" + ticket, nil},
		{http.MethodGet, "/tickets/files/" + file, nil},
		{http.MethodPost, "/tickets/" + ticket + "/replies", url.Values{"body": {"чужой ответ"}}},
		{http.MethodPost, "/tickets/" + ticket + "/close", nil},
		{http.MethodPost, "/tickets/" + closedTicket + "/reopen", nil},
		{http.MethodGet, "/documents/invoices/" + invoice, nil},
		{http.MethodGet, "/documents/invoices/" + invoice + "/pdf?download=1", nil},
		{http.MethodPost, "/documents/invoices/" + invoice + "/cancel", nil},
		{http.MethodGet, "/documents/acts/" + act + "/pdf", nil},
		{http.MethodGet, "/documents?service=" + sms, nil},
		{http.MethodGet, "/services/" + sms, nil},
		{http.MethodGet, "/services/" + support + "?status=active&from=2026-01-01", nil},
		{http.MethodPost, "/services/" + support + "/one-off", url.Values{"key": {strings.Repeat("a", 32)}}},
		{http.MethodGet, "/transactions?service=" + sms, nil},
		{http.MethodGet, "/services/" + sms + "/sms?status=failed", nil},
		{http.MethodGet, "/services/" + sms + "/sms.csv", nil},
		{http.MethodGet, "/transactions.csv?service=" + support, nil},
		{http.MethodPost, "/users/" + dispatcher + "/disable", nil},
		{http.MethodPost, "/users/" + owner + "/disable", nil},
		{http.MethodPost, "/users/" + dispatcher + "/enable", nil},
		{http.MethodPost, "/users/" + dispatcher + "/password", nil},
		{http.MethodPost, "/users/" + owner + "/password", nil},
		{http.MethodPost, "/company/telegram/" + telegram + "/remove", nil},
	}
}

// firstDocuments returns the ids of a company's newest issued (unpaid)
// invoice and of one of its acts.
func firstDocuments(e *env, companyID int64) (invoice, act string) {
	docs, err := e.Store.ListDocuments(context.Background(), companyID, db.DocFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, d := range docs {
		if d.Kind == db.DocInvoice && d.Status == db.InvoiceIssued && invoice == "" {
			invoice = itoa(d.ID)
		}
		// A payment's document: whether a month's exists depends on the date.
		if d.Kind == db.DocClosing && d.InvoiceID != 0 && act == "" {
			act = itoa(d.ID)
		}
	}
	if invoice == "" || act == "" {
		e.t.Fatalf("company %d has no issued invoice or no act: %+v", companyID, docs)
	}
	return invoice, act
}

// ownCompanyForms are client forms that act on the session's company; a
// company id smuggled into them must change nothing of another company's.
var ownCompanyForms = []foreignRequest{
	{http.MethodPost, "/company/contacts", url.Values{"company_id": {"1"}, "id": {"1"}, "email": {"evil@vostok.example"}, "phone": {"+79990000000"}}},
	{http.MethodPost, "/users", url.Values{"company_id": {"1"}, "name": {"Чужой"}, "login": {"intruder"}, "role": {"owner"}, "password": {"чужой владелец"}}},
	{http.MethodPost, "/documents", url.Values{"company_id": {"1"}, "service_id": {"1"}, "amount": {"100"}}},
	{http.MethodPost, "/tickets", url.Values{"company_id": {"1"}, "service_id": {"1"}, "subject": {"Чужое"}, "priority": {"normal"}, "body": {"чужой текст"}}},
}

// snapshot renders everything of «Такси Пример» that a client could change.
func snapshot(t *testing.T, e *env) string {
	t.Helper()
	ctx := context.Background()
	co, err := e.Store.Company(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	users, err := e.Store.CompanyUsers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := e.Store.CompanyContacts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	services, err := e.Store.CompanyServices(ctx, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	txs, _, err := e.Store.Transactions(ctx, 1, db.TxFilter{}, nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := e.Store.ListDocuments(ctx, 1, db.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	tickets, err := e.Store.CompanyTickets(ctx, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := e.Store.CompanyAPITokens(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	monitors, err := e.Store.CompanyMonitors(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	licenses, err := e.Store.CompanyLicenses(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	chats, err := e.Store.TelegramLinks(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n%+v\n%+v\n%+v\n%+v\n%+v\n%+v\n%+v\n%+v\n%+v\n", co, nc, services, txs, docs, tickets, tokens, monitors, licenses, chats)
	for _, cs := range services {
		subs, err := e.Store.Subscriptions(ctx, 1, cs.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%+v\n", subs)
	}
	for _, tk := range tickets {
		thread, err := e.Store.TicketThread(ctx, tk.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%+v\n", thread)
	}
	for _, u := range users {
		fmt.Fprintf(&b, "%d %s %s %s %v %v\n", u.ID, u.Login, u.Name, u.Role, u.DisabledAt, u.PasswordChangedAt)
	}
	return b.String()
}

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if co, _ := e.Store.Company(context.Background(), 1); co.Name != "Такси Пример" {
		t.Fatalf("company 1 is %q", co.Name)
	}
	vostok := e.loggedIn("vostok", "vostok123")
	foreign := foreignRequests(e)
	before := snapshot(t, e)

	for _, req := range foreign {
		var r *response
		if req.method == http.MethodGet {
			r = vostok.get(req.path)
		} else {
			r = vostok.post(req.path, req.form)
		}
		if r.Status != http.StatusNotFound {
			t.Errorf("%s %s as vostok: %d, want 404", req.method, req.path, r.Status)
		}
	}
	for _, req := range ownCompanyForms {
		vostok.post(req.path, req.form)
	}
	if after := snapshot(t, e); after != before {
		t.Errorf("«Такси Пример» changed by «Такси Восток»:\nbefore %s\nafter  %s", before, after)
	}
	// The smuggled forms acted on Восток's own company, as the session says.
	if u, err := e.Store.UserByLogin(context.Background(), "intruder"); err != nil || u.CompanyID != 2 {
		t.Errorf("user from smuggled form: %+v, %v", u, err)
	}

	// No client page shows another company's data.
	for _, path := range []string{"/company", "/users", "/account", "/services", "/transactions", "/transactions.csv", "/documents", "/documents?new=1", "/tickets", "/tickets?status=closed"} {
		r := vostok.get(path)
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d", path, r.Status)
		}
		for _, foreign := range []string{"Пример", "dispatch@taxi-primer.example", "Павел Орлов", "7704123450"} {
			if strings.Contains(r.Body, foreign) {
				t.Errorf("%s as vostok shows %q", path, foreign)
			}
		}
	}
}

// Every client route with an object id must be in the isolation table.
func TestTenantTableCoversEveryClientRouteWithID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var covered []string
	for _, req := range foreignRequests(e) {
		path, _, _ := strings.Cut(req.path, "?")
		covered = append(covered, req.method+" "+idPattern(path))
	}
	for _, r := range e.App.GetRoutes(true) {
		// The back office and the API have tests of their own.
		if strings.HasPrefix(r.Path, "/admin") || strings.HasPrefix(r.Path, "/api/") || !strings.Contains(r.Path, ":") || r.Method == http.MethodHead {
			continue
		}
		if key := r.Method + " " + r.Path; !slices.Contains(covered, key) {
			t.Errorf("client route %s is missing from foreignRequests", key)
		}
	}
}

// idPattern turns /users/5/disable back into /users/:id/disable; a
// session's hex name counts as an id too.
func idPattern(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if p != "" && strings.Trim(p, "0123456789") == "" || len(p) == 64 && strings.Trim(p, "0123456789abcdef") == "" {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

// To a client the back office does not exist: every /admin URL is a 404.
func TestClientGetsNotFoundForEveryAdminURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	before := snapshot(t, e)
	n := 0
	for _, r := range e.App.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/admin") || r.Method == http.MethodHead {
			continue
		}
		path := strings.ReplaceAll(r.Path, ":id", itoa(e.userID("dispatcher")))
		var res *response
		if r.Method == http.MethodGet {
			res = c.get(path)
		} else {
			res = c.post(path, url.Values{"name": {"x"}, "login": {"xyz"}, "role": {"owner"}})
		}
		if res.Status != http.StatusNotFound {
			t.Errorf("client %s %s: %d, want 404", r.Method, path, res.Status)
		}
		n++
	}
	if n < 15 {
		t.Errorf("only %d admin routes checked", n)
	}
	if after := snapshot(t, e); after != before {
		t.Error("a client changed data through /admin")
	}
}
