package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// DemoLogin is a login the demo creates, printed at start so anyone can try it.
type DemoLogin struct {
	Login, Password, Who string
}

// demoActor signs the demo's rows in the audit log.
var demoActor = Actor{Login: "demo"}

type demoCompany struct {
	Company
	Contacts NotificationContacts
	Users    []NewUser
}

var demoStaff = []NewUser{
	{Login: "admin", Password: "admin123", Name: "Администратор", Role: RoleAdmin, Email: "admin@taxisoft.example"},
	{Login: "manager", Password: "manager123", Name: "Ирина Смирнова", Role: RoleManager,
		Email: "i.smirnova@taxisoft.example", Phone: "+74951234567"},
	{Login: "support", Password: "support123", Name: "Олег Кравцов", Role: RoleSupport, Email: "support@taxisoft.example"},
}

var demoCompanies = []demoCompany{
	{
		Company: Company{Name: "Такси Пример", LegalName: "ООО «Такси Пример»", INN: "7704123450", KPP: "770401001",
			OGRN: "1157746123457", Address: "119019, г. Москва, ул. Арбат, д. 10, офис 5",
			Country: "RU", Timezone: "Europe/Moscow", NotifyEnabled: true, SMSAlertThreshold: DefaultSMSAlertThreshold},
		Contacts: NotificationContacts{Emails: []string{"dispatch@taxi-primer.example"}, Phones: []string{"+79000000001"}},
		Users: []NewUser{
			{Login: "taxi", Password: "taxi123", Name: "Павел Орлов", Role: RoleOwner, Email: "director@taxi-primer.example"},
			{Login: "dispatcher", Password: "dispatcher123", Name: "Анна Кузнецова", Role: RoleDispatcher},
			{Login: "buh", Password: "buh12345", Name: "Елена Воробьёва", Role: RoleAccountant},
		},
	},
	{
		Company: Company{Name: "Такси Восток", LegalName: "ООО «Такси Восток»", INN: "2536012347", KPP: "253601001",
			OGRN: "1182536001230", Address: "690091, г. Владивосток, ул. Светланская, д. 29",
			Country: "RU", Timezone: "Asia/Vladivostok", SMSAlertThreshold: DefaultSMSAlertThreshold},
		Contacts: NotificationContacts{Emails: []string{"office@taxi-vostok.example"}, Phones: []string{"+79240000002"}},
		Users: []NewUser{
			{Login: "vostok", Password: "vostok123", Name: "Игорь Ли", Role: RoleOwner},
			{Login: "vostok-disp", Password: "vostok-disp123", Name: "Ольга Пак", Role: RoleDispatcher},
		},
	},
	{
		Company: Company{Name: "Алма Такси", LegalName: "ТОО «Алма Такси»", Address: "050000, г. Алматы, пр. Абая, д. 52",
			Country: "KZ", Timezone: "Asia/Almaty"},
		Users: []NewUser{
			{Login: "almaty", Password: "almaty123", Name: "Айгуль Серикова", Role: RoleOwner},
		},
	},
}

// demoTokens are the demo's fixed API tokens, so anyone can try the API;
// real tokens are random and shown once. A list, not a map, so that they
// are made in the same order, with the same ids, every time.
var demoTokens = []struct{ company, token string }{
	{"Такси Пример", "demo-taxi-token"},
	{"Такси Восток", "demo-vostok-token"},
}

var demoVendor = Vendor{
	Name: "ТаксиСофт", LegalName: "ООО «ТаксиСофт»", INN: "7728123459", KPP: "772801001", OGRN: "1027700123450",
	Address: "117342, г. Москва, ул. Профсоюзная, д. 65, корп. 1", BankName: "ПАО «Банк Пример», г. Москва",
	BIK: "044525000", BankAccount: "40702810900000012345", CorrAccount: "30101810400000000225",
	Director: "Соколов Андрей Викторович", Email: "billing@taxisoft.example", Phone: "+7 495 123-45-67", VATRate: 22,
}

// DemoOptions shape the demo.
type DemoOptions struct {
	// Brief keeps a few days of history instead of a year: tests need the
	// demo's shape, not its hundred thousand transactions.
	Brief bool
	// Addr is where the portal listens (":8080"): one demo server is the
	// portal itself, so that it is up.
	Addr string
}

// SeedDemo fills a realistic demo and returns the logins to print. Every
// piece is created only when missing, so running it again on the same file
// neither fails nor duplicates anything, and never resets changed passwords.
func (s *Store) SeedDemo(ctx context.Context, opt DemoOptions) ([]DemoLogin, error) {
	var logins []DemoLogin
	staffIDs := map[string]int64{}
	for _, nu := range demoStaff {
		id, err := s.ensureUser(ctx, nu)
		if err != nil {
			return nil, err
		}
		staffIDs[nu.Login] = id
		logins = append(logins, DemoLogin{nu.Login, nu.Password, "staff, " + nu.Role})
	}
	v, err := s.Vendor(ctx)
	if err != nil {
		return nil, err
	}
	if v.Name == "" {
		if err := s.UpdateVendor(ctx, demoActor, demoVendor); err != nil {
			return nil, err
		}
	}
	companyIDs := map[string]int64{}
	for _, dc := range demoCompanies {
		dc.ManagerID = staffIDs["manager"]
		companyID, err := s.ensureCompany(ctx, dc)
		if err != nil {
			return nil, err
		}
		companyIDs[dc.Name] = companyID
		for _, nu := range dc.Users {
			nu.CompanyID = companyID
			if _, err := s.ensureUser(ctx, nu); err != nil {
				return nil, err
			}
			logins = append(logins, DemoLogin{nu.Login, nu.Password, dc.Name + ", " + nu.Role})
		}
	}
	if err := s.seedDemoServices(ctx, companyIDs, opt); err != nil {
		return nil, err
	}
	for _, name := range []string{"Такси Пример", "Такси Восток"} {
		if err := s.seedDemoDocuments(ctx, companyIDs[name]); err != nil {
			return nil, err
		}
		co, err := s.Company(ctx, companyIDs[name])
		if err != nil {
			return nil, err
		}
		if err := s.seedDemoMonitoring(ctx, co, demoSelf(opt.Addr)); err != nil {
			return nil, err
		}
	}
	if err := s.seedDemoNews(ctx, companyIDs); err != nil {
		return nil, err
	}
	if err := s.seedDemoQuestions(ctx); err != nil {
		return nil, err
	}
	if err := s.seedDemoTickets(ctx); err != nil {
		return nil, err
	}
	if !opt.Brief {
		if err := s.seedDemoNotices(ctx, companyIDs["Такси Пример"]); err != nil {
			return nil, err
		}
	}
	for _, dt := range demoTokens {
		tokens, err := s.CompanyAPITokens(ctx, companyIDs[dt.company])
		if err != nil {
			return nil, err
		}
		if len(tokens) == 0 {
			if err := s.ImportAPIToken(ctx, demoActor, companyIDs[dt.company], "Демо-сервер", dt.token); err != nil {
				return nil, err
			}
		}
	}
	return logins, nil
}

func (s *Store) ensureUser(ctx context.Context, nu NewUser) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM users WHERE login = ?`, nu.Login).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return s.CreateUser(ctx, demoActor, nu)
	}
	if err != nil {
		return 0, fmt.Errorf("db: demo user %s: %w", nu.Login, err)
	}
	return id, nil
}

// ensureCompany finds a demo company by its owner's login, which survives a
// rename in the back office, or creates it with its contacts and its owner
// in one transaction, so a crash never leaves a company nobody can find.
func (s *Store) ensureCompany(ctx context.Context, dc demoCompany) (int64, error) {
	owner, err := s.UserByLogin(ctx, dc.Users[0].Login)
	if err == nil {
		return owner.CompanyID, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	ownerHash, err := HashPassword(dc.Users[0].Password)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		if id, err = s.createCompany(ctx, tx, demoActor, dc.Company); err != nil {
			return err
		}
		nu := dc.Users[0]
		nu.CompanyID = id
		if _, err := s.insertUser(ctx, tx, nu, ownerHash); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, demoActor, id, AuditUserCreated, fmt.Sprintf("%s (%s)", nu.Login, nu.Role)); err != nil {
			return err
		}
		if len(dc.Contacts.Emails)+len(dc.Contacts.Phones) == 0 {
			return nil
		}
		return s.setCompanyContacts(ctx, tx, demoActor, id, dc.Contacts)
	})
	if err != nil {
		return 0, fmt.Errorf("db: demo company %s: %w", dc.Name, err)
	}
	return id, nil
}
