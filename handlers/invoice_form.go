package handlers

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// invoiceForm is the «Создать документ» form as typed, for a client's own
// company or for staff issuing on a company's behalf.
type invoiceForm struct {
	Action    string              // where the form posts
	ChoiceURL string              // where the tariff and amount come from when the service changes
	Services  []db.CompanyService // the active ones, to invoice
	Tariffs   []db.Tariff         // the chosen service's current tariffs
	ServiceID int64
	TariffID  int64
	Amount    string
	Errors    Errors
	company   db.Company          // whose calendar says which tariffs are current
	connected []db.CompanyService // every service of the company, active or not, as choices (see CompanyServiceChoices)
	service   db.CompanyService
	tariff    *db.Tariff
	amount    money.Kopecks
	untouched bool // a new form, whose first service and its tariff are chosen only when the whole page shows it
	// switchedOff is the code of the service a balance alert's link named
	// when that service is switched off: the page says so and opens no form.
	switchedOff string
}

// newInvoiceForm starts the form for a company over its active services.
func (s *Server) newInvoiceForm(c *fiber.Ctx, co db.Company, action, choiceURL string) (invoiceForm, error) {
	connected, err := s.store.CompanyServiceChoices(c.UserContext(), co.ID)
	if err != nil {
		return invoiceForm{}, err
	}
	var active []db.CompanyService
	for _, cs := range connected {
		if cs.Active {
			active = append(active, cs)
		}
	}
	return invoiceForm{Action: action, ChoiceURL: choiceURL, Services: active, Errors: Errors{}, company: co, connected: connected}, nil
}

// choose fills the form for a chosen service and tariff. trigger names the
// input the user just changed: a new service starts from its own tariff, a
// new tariff brings its price; a typed amount stays otherwise.
func (s *Server) choose(c *fiber.Ctx, f *invoiceForm, serviceID, tariffID int64, amount, trigger string) error {
	f.ServiceID, f.TariffID, f.Amount = serviceID, tariffID, amount
	i := slices.IndexFunc(f.Services, func(cs db.CompanyService) bool { return cs.ID == serviceID })
	if i < 0 {
		if len(f.Services) == 0 {
			return nil
		}
		i = 0 // the first, as the form starts; a posted form reports the mistake
	}
	f.service = f.Services[i]
	f.ServiceID = f.service.ID
	all, err := s.store.Tariffs(c.UserContext(), f.service.ServiceID)
	if err != nil {
		return err
	}
	today := db.Today(s.store.Now(), f.company.Location())
	f.Tariffs = slices.DeleteFunc(all, func(t db.Tariff) bool { return !t.ValidOn(today) })
	if trigger == "service_id" {
		f.TariffID = 0
		if t := db.CurrentTariff(f.service.Tariff, f.Tariffs); t != nil {
			f.TariffID = t.ID
		}
	}
	if j := slices.IndexFunc(f.Tariffs, func(t db.Tariff) bool { return t.ID == f.TariffID }); j >= 0 {
		f.tariff = &f.Tariffs[j]
	} else {
		f.TariffID = 0 // none, or one no longer offered
	}
	if (trigger == "service_id" || trigger == "tariff_id") && f.tariff != nil && f.tariff.Unit != db.UnitSMSPart {
		f.Amount = f.tariff.Price.Format()
	}
	return nil
}

// parseInvoiceForm reads a posted form and checks it.
func (s *Server) parseInvoiceForm(c *fiber.Ctx, f *invoiceForm) error {
	serviceID, _ := strconv.ParseInt(c.FormValue("service_id"), 10, 64)
	tariffID, _ := strconv.ParseInt(c.FormValue("tariff_id"), 10, 64)
	amount := readFormInto(c, f.Errors).text("amount")
	if err := s.choose(c, f, serviceID, tariffID, amount, ""); err != nil {
		return err
	}
	if f.service.ID == 0 || f.service.ID != serviceID {
		f.Errors["service_id"] = "documents.bad_service"
	}
	if tariffID != 0 && f.tariff == nil {
		f.Errors["tariff_id"] = "documents.bad_tariff"
	}
	k, err := money.ParseKopecks(amount)
	switch {
	case f.Errors["amount"] != "":
	case err == money.ErrMoneyEmpty:
		f.Errors["amount"] = "documents.amount_required"
	case err != nil || k <= 0 || k > db.MaxInvoiceAmount:
		f.Errors["amount"] = "documents.bad_amount"
	}
	f.amount = k
	return nil
}

// invoiceItem is what the invoice is for, printed in Russian whatever the
// interface's language: «Услуга «СМС», тариф «Стандарт»».
func invoiceItem(f invoiceForm) string {
	tariff := ""
	if f.tariff != nil {
		tariff = f.tariff.Name
	}
	return db.ServiceItem(f.service.ServiceCode, tariff)
}

// issue issues the invoice of a checked form. A refusal the form could not
// foresee (the service switched off meanwhile) becomes a form error and
// ok is false.
func (s *Server) issue(c *fiber.Ctx, f *invoiceForm, notify bool) (inv db.Invoice, ok bool, err error) {
	inv, err = s.store.CreateInvoice(c.UserContext(), s.actor(c),
		db.NewInvoice{Service: f.service, Tariff: f.tariff, Item: invoiceItem(*f), Amount: f.amount, Notify: notify})
	switch {
	case errors.Is(err, db.ErrServiceNotInvoiced):
		f.Errors["service_id"] = "documents.bad_service"
	case errors.Is(err, db.ErrBadInvoiceAmount):
		f.Errors["amount"] = "documents.bad_amount"
	default:
		return inv, err == nil, err
	}
	return inv, false, nil
}
