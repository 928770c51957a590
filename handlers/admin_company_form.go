package handlers

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// companyForm is the back office's company form as typed.
type companyForm struct {
	Name          string
	LegalName     string
	INN           string // the country's tax or registration number: ИНН, БИН…
	KPP           string
	OGRN          string
	Address       string
	Country       string
	Timezone      string
	ManagerID     int64
	NotifyEnabled bool
	AlertInvoice  bool   // the low-balance alert carries an invoice
	SMSThreshold  string // rubles as typed
	threshold     money.Kopecks
	companyParties
	Errors Errors
}

// maxSMSThreshold bounds the alert threshold: ten million rubles.
const maxSMSThreshold money.Kopecks = 1_000_000_000

func companyFormOf(co db.Company) companyForm {
	return companyForm{
		Name: co.Name, LegalName: co.LegalName, INN: co.INN, KPP: co.KPP, OGRN: co.OGRN, Address: co.Address,
		Country: co.Country, Timezone: co.Timezone, ManagerID: co.ManagerID, NotifyEnabled: co.NotifyEnabled,
		AlertInvoice: co.AlertInvoice, SMSThreshold: co.SMSAlertThreshold.Format(), threshold: co.SMSAlertThreshold,
		companyParties: companyPartiesOf(co), Errors: Errors{},
	}
}

// parseCompanyForm reads and validates the form. A new manager must be active
// staff; the company's current manager stays acceptable even if disabled
// since, so that the rest of the company can still be edited. Only an admin
// chooses the manager: anyone else keeps currentManager, and a form that
// names another is refused.
func (s *Server) parseCompanyForm(c *fiber.Ctx, currentManager int64) (companyForm, error) {
	in := readForm(c)
	f := companyForm{
		Name:          in.text("name"),
		LegalName:     in.text("legal_name"),
		INN:           in.text("inn"),
		KPP:           in.text("kpp"),
		OGRN:          in.text("ogrn"),
		Address:       in.text("address"),
		Country:       clone(c.FormValue("country")),
		Timezone:      clone(c.FormValue("timezone")),
		NotifyEnabled: c.FormValue("notify_enabled") == "1",
		AlertInvoice:  c.FormValue("alert_invoice") == "1",
		SMSThreshold:  in.text("sms_alert_threshold"),
		Errors:        in.Errors,
	}
	var err error
	f.threshold, err = money.ParseKopecks(f.SMSThreshold)
	if (err != nil || f.threshold < 0 || f.threshold > maxSMSThreshold) && f.Errors["sms_alert_threshold"] == "" {
		f.Errors["sms_alert_threshold"] = "company.bad_threshold"
	}
	f.Errors.checkText("name", f.Name, true, 200)
	f.Errors.checkText("legal_name", f.LegalName, false, 300)
	f.Errors.checkText("address", f.Address, false, 500)
	if !slices.Contains(countries, f.Country) {
		f.Errors["country"] = "company.bad_country"
		f.Country = "RU"
	}
	if !slices.Contains(timezoneNames, f.Timezone) {
		f.Errors["timezone"] = "company.bad_timezone"
		f.Timezone = "Europe/Moscow"
	}
	if f.Country != "RU" {
		f.KPP, f.OGRN = "", "" // Russian numbers; the form hides them for other countries
	}
	f.Errors.checkRequisites(f.Country, f.INN, f.KPP, f.OGRN)
	f.companyParties = parseCompanyParties(in, db.Today(s.store.Now(), db.VendorLocation))
	raw := c.FormValue("manager_id")
	if !mayAssignManager(state(c).user) {
		f.ManagerID = currentManager
		if raw != "" && raw != strconv.FormatInt(currentManager, 10) {
			return f, fiber.NewError(fiber.StatusForbidden, "error.manager_by_admin")
		}
		return f, nil
	}
	if raw != "" && raw != "0" {
		id, err := strconv.ParseInt(raw, 10, 64)
		f.ManagerID = id // kept as chosen when the form comes back
		if id != currentManager || err != nil {
			m, lookupErr := s.store.UserByID(c.UserContext(), id)
			if err != nil || lookupErr != nil || !m.IsStaff() || m.Disabled() {
				f.Errors["manager_id"] = "company.bad_manager"
			}
		}
	}
	return f, nil
}

func (f companyForm) company(id int64) db.Company {
	return db.Company{
		ID: id, Name: f.Name, LegalName: f.LegalName, INN: f.INN, KPP: f.KPP, OGRN: f.OGRN, Address: f.Address,
		Country: f.Country, Timezone: f.Timezone, ManagerID: f.ManagerID, NotifyEnabled: f.NotifyEnabled,
		AlertInvoice: f.AlertInvoice, SMSAlertThreshold: f.threshold, Contract: f.contract(), Signer: f.signer(), VAT: f.vatMode(),
	}
}

// dateOf reads a date typed into a date input (YYYY-MM-DD); ok is false for
// anything else and for dates before 1991, which no document of ours has.
func dateOf(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil && t.Year() >= 1991
}
