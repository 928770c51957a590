package demo_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"elk/db"
	"elk/db/demo"
	"elk/testutil"
)

func TestMain(m *testing.M) {
	os.Exit(testutil.Main(m))
}

func TestDemoSeedIsIdempotent(t *testing.T) {
	s, _ := testutil.OpenDemo(t) // seeded once already
	ctx := context.Background()
	count := func() int {
		cs, _ := s.ListCompanies(ctx, "")
		staff, _ := s.StaffUsers(ctx)
		users, _ := s.CompanyUsers(ctx, 1)
		tickets, _ := s.CompanyTickets(ctx, 1, "")
		return len(cs)*1000 + len(staff)*100 + len(users)*10 + len(tickets)
	}
	counts := []int{count()}
	logins, err := demo.Seed(ctx, s, demo.Options{Brief: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 9 {
		t.Errorf("%d demo logins", len(logins))
	}
	if counts = append(counts, count()); counts[0] != counts[1] || counts[0] != 3334 {
		t.Errorf("companies·staff·users·tickets = %v, want 3334 both times", counts)
	}
}

func TestDemoLoginsAndCompany(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	ctx := context.Background()
	for login, want := range map[string]string{"admin": db.RoleAdmin, "manager": db.RoleManager, "taxi": db.RoleOwner, "vostok": db.RoleOwner} {
		u, err := s.Authenticate(ctx, login, login+"123")
		if err != nil || u.Role != want {
			t.Errorf("%s: %+v %v", login, u.Role, err)
		}
	}
	co, _ := s.Company(ctx, 1)
	if co.Name != "Такси Пример" || co.Country != "RU" || co.Timezone != "Europe/Moscow" || !co.NotifyEnabled || co.INN == "" || co.KPP == "" || co.Address == "" {
		t.Errorf("Такси Пример: %+v", co)
	}
	nc, _ := s.CompanyContacts(ctx, 1)
	if len(nc.Emails) != 1 || nc.Emails[0] != "dispatch@taxi-primer.example" || len(nc.Phones) != 1 || nc.Phones[0] != "+79000000001" {
		t.Errorf("contacts %+v", nc)
	}
	vostok, _ := s.Company(ctx, 2)
	if vostok.Name != "Такси Восток" || vostok.Timezone == co.Timezone {
		t.Errorf("Такси Восток: %+v", vostok)
	}
}

// The demo's documents are numbered as a year of real work numbers them:
// across both companies, a later number never has an earlier date.
func TestDemoDocumentsNumberInDateOrder(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	ctx := context.Background()
	byKind := map[string][]db.Document{}
	for _, companyID := range []int64{1, 2} {
		docs, err := s.ListDocuments(ctx, companyID, db.DocFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			byKind[d.Kind] = append(byKind[d.Kind], d)
		}
	}
	if len(byKind[db.DocInvoice]) < 8 || len(byKind[db.DocClosing]) < 4 {
		t.Fatalf("%d invoices, %d acts", len(byKind[db.DocInvoice]), len(byKind[db.DocClosing]))
	}
	for kind, docs := range byKind {
		slices.SortFunc(docs, func(a, b db.Document) int { return strings.Compare(a.Number, b.Number) })
		for i := 1; i < len(docs); i++ {
			if docs[i].IssuedOn.Before(docs[i-1].IssuedOn) {
				t.Errorf("%s %s of %s after %s of %s", kind, docs[i].Number, docs[i].IssuedOn.Format("02.01"),
					docs[i-1].Number, docs[i-1].IssuedOn.Format("02.01"))
			}
		}
	}
}
