// Package demo fills a database with the demo: three taxi services with a
// year of history, staff, documents, monitoring, news, questions and
// tickets, written through the store's methods.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"elk/db"
)

// Login is a login the demo creates, printed at start so anyone can try it.
type Login struct {
	Login, Password, Who string
}

// Options shape the demo.
type Options struct {
	// Brief keeps a few days of history instead of a year: tests need the
	// demo's shape, not its hundred thousand transactions.
	Brief bool
	// Addr is where the portal listens (":8080"): one demo server is the
	// portal itself, so that it is up.
	Addr string
}

// actor signs the demo's rows in the audit log.
var actor = db.Actor{Login: "demo"}

type company struct {
	db.Company
	Contacts db.NotificationContacts
	Users    []db.NewUser
	// The contract is number contractNo of the vendor's series, signed
	// contractMonths before the demo's today: before its first invoice.
	contractNo, contractMonths int
}

// contract is the company's contract, dated by the demo's clock.
func (dc company) contract(today time.Time) db.Contract {
	day := today.AddDate(0, -dc.contractMonths, 0)
	return db.Contract{Number: fmt.Sprintf("ЕЛК-%d/%d", dc.contractNo, day.Year()), Date: &day}
}

// almaVATReason is why the Kazakh company pays no Russian VAT: its
// services (software, information processing) are supplied where the
// buyer is (Протокол о порядке взимания косвенных налогов…, приложение
// № 18 к Договору о ЕАЭС, п. 29 пп. 4; письмо Минфина России от
// 28.10.2024 № 03-07-13/1/104740).
const almaVATReason = "НДС не облагается: место реализации услуг — Республика Казахстан " +
	"(пп. 4 п. 29 Протокола, приложение № 18 к Договору о ЕАЭС)"

var staff = []db.NewUser{
	{Login: "admin", Password: "admin123", Name: "Администратор", Role: db.RoleAdmin, Email: "admin@taxisoft.example"},
	{Login: "manager", Password: "manager123", Name: "Ирина Смирнова", Role: db.RoleManager,
		Email: "i.smirnova@taxisoft.example", Phone: "+74951234567"},
	{Login: "support", Password: "support123", Name: "Олег Кравцов", Role: db.RoleSupport, Email: "support@taxisoft.example"},
}

var companies = []company{
	{
		Company: db.Company{Name: "Такси Пример", LegalName: "ООО «Такси Пример»", INN: "7704123450", KPP: "770401001",
			OGRN: "1157746123457", Address: "119019, г. Москва, ул. Арбат, д. 10, офис 5",
			Country: "RU", Timezone: "Europe/Moscow", NotifyEnabled: true, SMSAlertThreshold: db.DefaultSMSAlertThreshold,
			Signer: db.Signer{Name: "Орлов Павел Сергеевич", Position: "Генеральный директор"}},
		Contacts: db.NotificationContacts{Emails: []string{"dispatch@taxi-primer.example"}, Phones: []string{"+79000000001"}},
		Users: []db.NewUser{
			{Login: "taxi", Password: "taxi123", Name: "Павел Орлов", Role: db.RoleOwner, Email: "director@taxi-primer.example"},
			{Login: "dispatcher", Password: "dispatcher123", Name: "Анна Кузнецова", Role: db.RoleDispatcher},
			{Login: "buh", Password: "buh12345", Name: "Елена Воробьёва", Role: db.RoleAccountant},
		},
		contractNo: 7, contractMonths: 14,
	},
	{
		Company: db.Company{Name: "Такси Восток", LegalName: "ООО «Такси Восток»", INN: "2536012347", KPP: "253601001",
			OGRN: "1182536001230", Address: "690091, г. Владивосток, ул. Светланская, д. 29",
			Country: "RU", Timezone: "Asia/Vladivostok", SMSAlertThreshold: db.DefaultSMSAlertThreshold,
			Signer: db.Signer{Name: "Ли Игорь Вячеславович", Position: "Директор"}},
		Contacts: db.NotificationContacts{Emails: []string{"office@taxi-vostok.example"}, Phones: []string{"+79240000002"}},
		Users: []db.NewUser{
			{Login: "vostok", Password: "vostok123", Name: "Игорь Ли", Role: db.RoleOwner},
			{Login: "vostok-disp", Password: "vostok-disp123", Name: "Ольга Пак", Role: db.RoleDispatcher},
		},
		contractNo: 12, contractMonths: 13,
	},
	{
		Company: db.Company{Name: "Алма Такси", LegalName: "ТОО «Алма Такси»", INN: "150440012344",
			Address: "050000, г. Алматы, пр. Абая, д. 52", Country: "KZ", Timezone: "Asia/Almaty",
			Signer: db.Signer{Name: "Серикова Айгуль Маратовна", Position: "Директор"},
			VAT:    db.VATMode{Mode: db.VATNone, Reason: almaVATReason}},
		Users: []db.NewUser{
			{Login: "almaty", Password: "almaty123", Name: "Айгуль Серикова", Role: db.RoleOwner},
		},
		contractNo: 15, contractMonths: 13,
	},
}

// tokens are the demo's fixed API tokens, so anyone can try the API;
// real tokens are random and shown once. A list, not a map, so that they
// are made in the same order, with the same ids, every time.
var tokens = []struct{ company, token string }{
	{"Такси Пример", "demo-taxi-token"},
	{"Такси Восток", "demo-vostok-token"},
}

var vendor = db.Vendor{
	Name: "ТаксиСофт", LegalName: "ООО «ТаксиСофт»", INN: "7728123459", KPP: "772801001", OGRN: "1027700123450",
	Address: "117342, г. Москва, ул. Профсоюзная, д. 65, корп. 1", BankName: "ПАО «Банк Пример», г. Москва",
	BIK: "044525999", BankAccount: "40702810600000012345", CorrAccount: "30101810600000000999",
	Director: "Соколов Андрей Викторович", DirectorPosition: "Генеральный директор", Accountant: "Ершова Марина Игоревна",
	Email: "billing@taxisoft.example", Phone: "+7 495 123-45-67", VATRate: 22,
}

// Seed fills a realistic demo and returns the logins to print. Every
// piece is created only when missing, so running it again on the same file
// neither fails nor duplicates anything, and never resets changed passwords.
func Seed(ctx context.Context, s *db.Store, opt Options) ([]Login, error) {
	var logins []Login
	staffIDs := map[string]int64{}
	for _, nu := range staff {
		id, err := ensureUser(ctx, s, nu)
		if err != nil {
			return nil, err
		}
		staffIDs[nu.Login] = id
		logins = append(logins, Login{nu.Login, nu.Password, "staff, " + nu.Role})
	}
	v, err := s.Vendor(ctx)
	if err != nil {
		return nil, err
	}
	if v.Name == "" {
		if err := s.UpdateVendor(ctx, actor, vendor); err != nil {
			return nil, err
		}
	}
	companyIDs := map[string]int64{}
	today := db.Today(s.Now(), db.VendorLocation)
	for _, dc := range companies {
		dc.ManagerID = staffIDs["manager"]
		dc.Contract = dc.contract(today)
		companyID, err := ensureCompany(ctx, s, dc)
		if err != nil {
			return nil, err
		}
		companyIDs[dc.Name] = companyID
		for _, nu := range dc.Users {
			nu.CompanyID = companyID
			if _, err := ensureUser(ctx, s, nu); err != nil {
				return nil, err
			}
			logins = append(logins, Login{nu.Login, nu.Password, dc.Name + ", " + nu.Role})
		}
	}
	if err := seedServices(ctx, s, companyIDs, opt); err != nil {
		return nil, err
	}
	if err := seedDocuments(ctx, s, []int64{companyIDs["Такси Пример"], companyIDs["Такси Восток"], companyIDs["Алма Такси"]}); err != nil {
		return nil, err
	}
	for _, name := range []string{"Такси Пример", "Такси Восток"} {
		co, err := s.Company(ctx, companyIDs[name])
		if err != nil {
			return nil, err
		}
		if err := seedMonitoring(ctx, s, co, selfURL(opt.Addr)); err != nil {
			return nil, err
		}
	}
	if err := seedNews(ctx, s, companyIDs); err != nil {
		return nil, err
	}
	if err := seedQuestions(ctx, s); err != nil {
		return nil, err
	}
	if err := seedTickets(ctx, s); err != nil {
		return nil, err
	}
	if !opt.Brief {
		if err := seedNotices(ctx, s, companyIDs["Такси Пример"]); err != nil {
			return nil, err
		}
	}
	for _, dt := range tokens {
		existing, err := s.CompanyAPITokens(ctx, companyIDs[dt.company])
		if err != nil {
			return nil, err
		}
		if len(existing) == 0 {
			if err := s.ImportAPIToken(ctx, actor, companyIDs[dt.company], "Демо-сервер", dt.token); err != nil {
				return nil, err
			}
		}
	}
	return logins, nil
}

func ensureUser(ctx context.Context, s *db.Store, nu db.NewUser) (int64, error) {
	u, err := s.UserByLogin(ctx, nu.Login)
	if errors.Is(err, db.ErrNotFound) {
		return s.CreateUser(ctx, actor, nu)
	}
	return u.ID, err
}

// ensureCompany finds a demo company by its owner's login, which survives a
// rename in the back office, or creates it with its contacts and its owner.
func ensureCompany(ctx context.Context, s *db.Store, dc company) (int64, error) {
	owner, err := s.UserByLogin(ctx, dc.Users[0].Login)
	if err == nil {
		return owner.CompanyID, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return 0, err
	}
	return s.CreateCompanyWithOwner(ctx, actor, dc.Company, dc.Users[0], dc.Contacts)
}
