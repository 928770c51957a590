package handlers

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// companiesPage is the back office's list of companies.
type companiesPage struct {
	*Page
	Query     string
	Companies []db.Company
	CanEdit   bool
}

// adminCompanyPage is one company in the back office: its requisites form,
// notification contacts and users.
type adminCompanyPage struct {
	*Page
	FormAction string
	Cancel     string
	Form       companyForm
	Countries  []string
	Timezones  []Timezone
	Managers   []db.User
	CanEdit    bool // may change this company (on a new one's page: may add companies)
	CanIssue   bool // may issue the company an invoice
	Contacts   db.NotificationContacts
	Chats      []telegramChatRow // the Telegram chats its users linked, masked
	Users      userTable
	UserForm   userFormData
	Created    *shownSecret
	Services   []db.CompanyService
	Tariffs    []db.Tariff // on offer, to connect a service
	Today      string
	Tokens     []db.APIToken
	// Reconciliation asks for the company's акт сверки of a period.
	Reconciliation reconciliationPart
	// ClosingDocs are the company's closing documents of the last year: a
	// month's УПД has no invoice to reach it from.
	ClosingDocs documentTable
	// ChooseManager: the user may choose whom the company is assigned to.
	ChooseManager bool
	// AlertInvoiceWarning, by the alert-invoice switch, says that no invoice
	// will be issued while the vendor's bank details are incomplete.
	AlertInvoiceWarning string
}

// listCompanies lists and searches companies; a search typed into the box
// refreshes only the table rows.
func (s *Server) listCompanies(c *fiber.Ctx) error {
	if c.Query("balance") == "low" {
		return s.listLowBalances(c)
	}
	q := cleanText(c.Query("q"))
	companies, err := s.store.ListCompanies(c.UserContext(), q)
	if err != nil {
		return err
	}
	p := s.page(c, "companies", "admin.companies")
	data := companiesPage{Page: p, Query: q, Companies: companies, CanEdit: canEdit(state(c).user)}
	whole := func() error { return s.render(c, fiber.StatusOK, "admin/companies", p, data) }
	return s.partOrPage(c, whole, pagePart{"company-rows", "admin/company_rows", data})
}

func (s *Server) newCompany(c *fiber.Ctx) error {
	return s.renderNewCompany(c, fiber.StatusOK, companyForm{Country: "RU", Timezone: "Europe/Moscow",
		SMSThreshold: db.DefaultSMSAlertThreshold.Format(), ManagerID: newCompanyManager(state(c).user), Errors: Errors{}})
}

// newCompanyManager is whom a new company is assigned to before an admin
// chooses: a manager's new company is their own.
func newCompanyManager(u *db.User) int64 {
	if mayAssignManager(u) {
		return 0
	}
	return u.ID
}

func (s *Server) renderNewCompany(c *fiber.Ctx, status int, form companyForm) error {
	p := s.page(c, "companies", "admin.company_new")
	p.Path = "/admin/companies/new"
	data, err := s.companyFormPage(c, p, form)
	if err != nil {
		return err
	}
	data.FormAction, data.Cancel = "/admin/companies", "/admin/companies"
	return s.render(c, status, "admin/company_new", p, data)
}

func (s *Server) companyFormPage(c *fiber.Ctx, p *Page, form companyForm) (adminCompanyPage, error) {
	staff, err := s.store.StaffUsers(c.UserContext())
	if err != nil {
		return adminCompanyPage{}, err
	}
	var managers []db.User
	for _, u := range staff {
		if !u.Disabled() || u.ID == form.ManagerID {
			managers = append(managers, u)
		}
	}
	vendor, err := s.store.Vendor(c.UserContext())
	if err != nil {
		return adminCompanyPage{}, err
	}
	u := state(c).user
	return adminCompanyPage{Page: p, Form: form, Countries: countries, Timezones: timezones(s.store.Now()),
		Managers: managers, CanEdit: canEdit(u), ChooseManager: mayAssignManager(u),
		AlertInvoiceWarning: alertInvoiceWarning(p, vendor)}, nil
}

// alertInvoiceWarning names the vendor's missing bank details, "" when
// none is missing.
func alertInvoiceWarning(p *Page, v db.Vendor) string {
	missing := v.MissingPayeeDetails()
	if len(missing) == 0 {
		return ""
	}
	labels := make([]string, len(missing))
	for i, key := range missing {
		labels[i] = p.T(key)
	}
	return p.T("admin.alert_invoice_no_vendor", strings.Join(labels, ", "))
}

func (s *Server) createCompany(c *fiber.Ctx) error {
	form, err := s.parseCompanyForm(c, newCompanyManager(state(c).user))
	if err != nil {
		return err
	}
	if len(form.Errors) > 0 {
		return s.renderNewCompany(c, fiber.StatusUnprocessableEntity, form)
	}
	id, err := s.store.CreateCompany(c.UserContext(), s.actor(c), form.company(0))
	if err != nil {
		return err
	}
	s.setFlash(c, "admin.company_created")
	return c.Redirect("/admin/companies/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

func (s *Server) showAdminCompany(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	return s.renderAdminCompany(c, fiber.StatusOK, co, companyFormOf(co), userForm{Role: db.RoleOwner}, nil)
}

func (s *Server) renderAdminCompany(c *fiber.Ctx, status int, co db.Company, form companyForm, uf userForm, created *newPassword) error {
	ctx := c.UserContext()
	p := s.page(c, "companies", "admin.companies")
	p.Title = co.Name
	p.Path = "/admin/companies/" + strconv.FormatInt(co.ID, 10)
	data, err := s.companyFormPage(c, p, form)
	if err != nil {
		return err
	}
	data.Company = co // the requisites partial reads the page's company
	data.FormAction, data.Cancel = p.Path, p.Path
	u := state(c).user
	data.CanEdit, data.CanIssue = mayChange(u, editorRoles, co.ManagerID), mayChange(u, moneyRoles, co.ManagerID)
	if data.Contacts, err = s.store.CompanyContacts(ctx, co.ID); err != nil {
		return err
	}
	links, err := s.store.TelegramLinks(ctx, co.ID)
	if err != nil {
		return err
	}
	data.Chats = telegramChatRows(p, links, func(db.TelegramLink) bool { return false })
	users, err := s.store.CompanyUsers(ctx, co.ID)
	if err != nil {
		return err
	}
	data.Users = newUserTable(p, users, userActions{Prefix: "/admin/users", Manage: data.CanEdit, Reset: true, Sessions: true})
	if data.Services, err = s.store.CompanyServices(ctx, co.ID, false); err != nil {
		return err
	}
	tariffs, err := s.store.Tariffs(ctx, 0)
	if err != nil {
		return err
	}
	today := db.Today(s.store.Now(), co.Location())
	for _, t := range tariffs {
		if t.Offered(today) && !slices.ContainsFunc(data.Services, func(cs db.CompanyService) bool { return cs.ServiceID == t.ServiceID }) {
			data.Tariffs = append(data.Tariffs, t)
		}
	}
	data.Today = today.Format("2006-01-02")
	if data.Tokens, err = s.store.CompanyAPITokens(ctx, co.ID); err != nil {
		return err
	}
	data.UserForm = userFormData{Page: p, Action: "/admin/companies/" + strconv.FormatInt(co.ID, 10) + "/users", Prefix: "user-", Roles: db.ClientRoles, Form: uf}
	data.Created = showSecret(p, created)
	data.Reconciliation = s.newReconciliationPart(p, p.Path+"/reconciliation.pdf")
	yearAgo := db.Today(s.store.Now(), db.VendorLocation).AddDate(-1, 0, 0)
	docs, err := s.store.ListDocuments(ctx, co.ID, db.DocFilter{Kind: db.DocClosing, From: &yearAgo})
	if err != nil {
		return err
	}
	data.ClosingDocs = newDocumentTable(p, docs, staffDocuments, 0)
	data.ClosingDocs.Empty = emptyList(p, "documents.no_acts", false, "")
	return s.render(c, status, "admin/company", p, data)
}

func (s *Server) updateCompany(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	form, err := s.parseCompanyForm(c, co.ManagerID)
	if err != nil {
		return err
	}
	if len(form.Errors) > 0 {
		return s.renderAdminCompany(c, fiber.StatusUnprocessableEntity, co, form, userForm{Role: db.RoleOwner}, nil)
	}
	if err := s.store.UpdateCompany(c.UserContext(), s.actor(c), form.company(co.ID)); err != nil {
		return err
	}
	s.setFlash(c, "admin.company_saved")
	return c.Redirect("/admin/companies/"+strconv.FormatInt(co.ID, 10), fiber.StatusSeeOther)
}

// createCompanyUser adds a user to a company from the back office.
func (s *Server) createCompanyUser(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	form := parseUserForm(c, db.ClientRoles)
	created, err := s.createFromForm(c, &form, co.ID)
	if err != nil {
		return err
	}
	if created == nil {
		return s.renderAdminCompany(c, fiber.StatusUnprocessableEntity, co, companyFormOf(co), form, nil)
	}
	return s.renderAdminCompany(c, fiber.StatusOK, co, companyFormOf(co), userForm{Role: db.RoleDispatcher}, created)
}

func (s *Server) companyParam(c *fiber.Ctx) (db.Company, error) {
	id, err := idParam(c)
	if err != nil {
		return db.Company{}, err
	}
	return s.store.Company(c.UserContext(), id)
}
