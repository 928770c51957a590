package handlers

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// adminServicePage is one company's connected service in the back office:
// its settings, a balance correction, its subscriptions and latest transactions.
type adminServicePage struct {
	*Page
	Company       db.Company
	Service       db.CompanyService
	Summary       serviceSummary
	Tariffs       []db.Tariff // of this service still on offer, and the current one
	Subscriptions []db.Subscription
	Transactions  txRowsData
	Kinds         []string
	CanEdit       bool
	Settings      serviceForm
	Correction    correctionForm
	Subscribe     subscribeForm
}

type serviceForm struct {
	TariffID             int64
	PeriodFrom, PeriodTo string
	Active               bool
	Errors               Errors
}

type correctionForm struct {
	Amount, Reason, Key string
	Errors              Errors
}

type subscribeForm struct {
	TariffID             int64
	Kind                 string
	PeriodFrom, PeriodTo string
	Key                  string
	Errors               Errors
}

func serviceFormOf(cs db.CompanyService) serviceForm {
	f := serviceForm{TariffID: cs.Tariff.ID, PeriodFrom: cs.PeriodFrom.Format("2006-01-02"), Active: cs.Active}
	if cs.PeriodTo != nil {
		f.PeriodTo = cs.PeriodTo.Format("2006-01-02")
	}
	return f
}

func (s *Server) showAdminService(c *fiber.Ctx) error {
	cs, err := s.adminServiceParam(c)
	if err != nil {
		return err
	}
	return s.renderAdminService(c, fiber.StatusOK, cs, adminServicePage{Settings: serviceFormOf(cs)})
}

// renderAdminService fills the page around whichever form the handler passes in data.
func (s *Server) renderAdminService(c *fiber.Ctx, status int, cs db.CompanyService, data adminServicePage) error {
	ctx := c.UserContext()
	co, err := s.store.Company(ctx, cs.CompanyID)
	if err != nil {
		return err
	}
	p := s.page(c, "companies", "admin.companies")
	p.Title = co.Name + " — " + p.T("service."+cs.ServiceCode)
	p.Path = "/admin/services/" + strconv.FormatInt(cs.ID, 10)
	data.Page, data.Company, data.Service, data.Kinds, data.CanEdit = p, co, cs, []string{db.KindPeriodic, db.KindOneOff},
		mayChange(state(c).user, editorRoles, co.ManagerID)
	forecasts, err := s.store.ServiceForecasts(ctx, co.ID)
	if err != nil {
		return err
	}
	data.Summary = newServiceSummary(p, cs, forecasts[cs.ID])
	if data.Settings.Errors == nil && data.Settings.TariffID == 0 {
		data.Settings = serviceFormOf(cs)
	}
	if data.Correction.Key == "" {
		data.Correction.Key = newFormKey()
	}
	if data.Subscribe.Key == "" {
		today := db.Today(s.store.Now(), co.Location())
		data.Subscribe = subscribeForm{TariffID: cs.Tariff.ID, Kind: db.KindPeriodic, Key: newFormKey(),
			PeriodFrom: today.Format("2006-01-02"), PeriodTo: today.AddDate(0, 1, -1).Format("2006-01-02")}
	}
	tariffs, err := s.store.Tariffs(ctx, cs.ServiceID)
	if err != nil {
		return err
	}
	today := db.Today(s.store.Now(), co.Location())
	for _, t := range tariffs {
		if t.Offered(today) || t.ID == cs.Tariff.ID {
			data.Tariffs = append(data.Tariffs, t)
		}
	}
	if data.Subscriptions, err = s.store.Subscriptions(ctx, co.ID, cs.ID, ""); err != nil {
		return err
	}
	txs, _, err := s.store.Transactions(ctx, co.ID, db.TxFilter{CompanyServiceID: cs.ID}, nil, cardTxPageSize)
	if err != nil {
		return err
	}
	data.Transactions = serviceTxRows(p, txs, "")
	return s.render(c, status, "admin/service", p, data)
}

// connectService connects a service to a company at one of its tariffs.
func (s *Server) connectService(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	t, ok := s.tariffParam(c, "tariff_id")
	from, okFrom := parseDay(c.FormValue("period_from"))
	if !ok || !okFrom || from.IsZero() || !t.ValidOn(from) {
		s.setFailedFlash(c, "services.connect_invalid")
		return c.Redirect("/admin/companies/"+strconv.FormatInt(co.ID, 10)+"#services", fiber.StatusSeeOther)
	}
	id, err := s.store.ConnectService(c.UserContext(), s.actor(c), co.ID, t, from, nil)
	for _, refusal := range []error{db.ErrServiceConnected, db.ErrTariffArchived} {
		if errors.Is(err, refusal) {
			s.setFailedFlash(c, refusal.Error())
			return c.Redirect("/admin/companies/"+strconv.FormatInt(co.ID, 10)+"#services", fiber.StatusSeeOther)
		}
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "services.connected")
	return c.Redirect("/admin/services/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// updateAdminService changes a connected service's tariff, period and state.
func (s *Server) updateAdminService(c *fiber.Ctx) error {
	cs, err := s.adminServiceParam(c)
	if err != nil {
		return err
	}
	f := serviceForm{PeriodFrom: clone(c.FormValue("period_from")), PeriodTo: clone(c.FormValue("period_to")),
		Active: c.FormValue("active") == "1", Errors: Errors{}}
	t, ok := s.tariffParam(c, "tariff_id")
	f.TariffID = t.ID
	today := db.Today(s.store.Now(), db.VendorLocation)
	if !ok || t.ServiceID != cs.ServiceID || (t.ID != cs.Tariff.ID && !t.Offered(today)) {
		f.Errors["tariff_id"] = "services.bad_tariff"
	}
	from, okFrom := parseDay(f.PeriodFrom)
	to, okTo := parseDay(f.PeriodTo)
	switch {
	case !okFrom || from.IsZero():
		f.Errors["period_from"] = "period.bad_date"
	case !okTo:
		f.Errors["period_to"] = "period.bad_date"
	case !to.IsZero() && to.Before(from):
		f.Errors["period_to"] = "period.reversed"
	}
	if len(f.Errors) > 0 {
		return s.renderAdminService(c, fiber.StatusUnprocessableEntity, cs, adminServicePage{Settings: f})
	}
	cs.PeriodFrom, cs.PeriodTo, cs.Active = from, nil, f.Active
	if !to.IsZero() {
		cs.PeriodTo = &to
	}
	if err := s.store.UpdateCompanyService(c.UserContext(), s.actor(c), cs, t); err != nil {
		return err
	}
	s.setFlash(c, "services.saved")
	return c.Redirect("/admin/services/"+strconv.FormatInt(cs.ID, 10), fiber.StatusSeeOther)
}

// correctBalance posts a manual correction: a signed amount and its reason.
func (s *Server) correctBalance(c *fiber.Ctx) error {
	cs, err := s.adminServiceParam(c)
	if err != nil {
		return err
	}
	in := readForm(c)
	f := correctionForm{Amount: clone(c.FormValue("amount")), Reason: in.text("reason"), Key: clone(c.FormValue("key")), Errors: in.Errors}
	amount, err := money.ParseKopecks(f.Amount)
	switch {
	case err != nil:
		f.Errors["amount"] = err.Error()
	case amount == 0:
		f.Errors["amount"] = "money.zero"
	}
	f.Errors.checkText("reason", f.Reason, true, 300)
	if !formKeyPattern.MatchString(f.Key) {
		return fiber.ErrBadRequest
	}
	if len(f.Errors) > 0 {
		return s.renderAdminService(c, fiber.StatusUnprocessableEntity, cs, adminServicePage{Correction: f})
	}
	if err := s.store.Correct(c.UserContext(), s.actor(c), cs, amount, f.Reason, "correction:"+f.Key); err != nil {
		return err
	}
	s.setFlash(c, "services.corrected")
	return c.Redirect("/admin/services/"+strconv.FormatInt(cs.ID, 10), fiber.StatusSeeOther)
}

// createAdminSubscription subscribes the company and charges the price; the
// back office may take the balance below zero.
func (s *Server) createAdminSubscription(c *fiber.Ctx) error {
	cs, err := s.adminServiceParam(c)
	if err != nil {
		return err
	}
	co, err := s.store.Company(c.UserContext(), cs.CompanyID)
	if err != nil {
		return err
	}
	f := subscribeForm{Kind: clone(c.FormValue("kind")), PeriodFrom: clone(c.FormValue("period_from")),
		PeriodTo: clone(c.FormValue("period_to")), Key: clone(c.FormValue("key")), Errors: Errors{}}
	t, ok := s.tariffParam(c, "tariff_id")
	f.TariffID = t.ID
	if !ok || t.ServiceID != cs.ServiceID || t.ArchivedAt != nil {
		f.Errors["tariff_id"] = "services.bad_tariff"
	}
	if !slices.Contains([]string{db.KindPeriodic, db.KindOneOff}, f.Kind) {
		f.Errors["kind"] = "services.bad_kind"
	}
	from, okFrom := parseDay(f.PeriodFrom)
	to, okTo := parseDay(f.PeriodTo)
	switch {
	case !okFrom || from.IsZero():
		f.Errors["period_from"] = "period.bad_date"
	case !okTo || to.IsZero():
		f.Errors["period_to"] = "period.bad_date"
	case to.Before(from):
		f.Errors["period_to"] = "period.reversed"
	case f.Errors["tariff_id"] == "" && !t.ValidOn(from):
		f.Errors["tariff_id"] = "services.tariff_not_valid" // the tariff must be in force when the subscription starts
	}
	if !formKeyPattern.MatchString(f.Key) {
		return fiber.ErrBadRequest
	}
	if len(f.Errors) > 0 {
		return s.renderAdminService(c, fiber.StatusUnprocessableEntity, cs, adminServicePage{Subscribe: f})
	}
	_, err = s.store.Subscribe(c.UserContext(), s.actor(c), db.NewSubscription{Service: cs, Tariff: t, Kind: f.Kind,
		PeriodFrom: from, PeriodTo: to, Today: db.Today(s.store.Now(), co.Location()), Key: "subscribe:" + f.Key})
	if err != nil {
		return err
	}
	s.setFlash(c, "services.subscribed")
	return c.Redirect("/admin/services/"+strconv.FormatInt(cs.ID, 10)+"#subscriptions", fiber.StatusSeeOther)
}

// cancelAdminSubscription cancels a subscription, refunding its price when asked.
func (s *Server) cancelAdminSubscription(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	su, err := s.store.SubscriptionByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := s.store.CancelSubscription(c.UserContext(), s.actor(c), su, c.FormValue("refund") == "1"); err != nil {
		return err
	}
	s.setFlash(c, "services.unsubscribed")
	return c.Redirect("/admin/services/"+strconv.FormatInt(su.CompanyServiceID, 10)+"#subscriptions", fiber.StatusSeeOther)
}

func (s *Server) adminServiceParam(c *fiber.Ctx) (db.CompanyService, error) {
	id, err := idParam(c)
	if err != nil {
		return db.CompanyService{}, err
	}
	return s.store.CompanyServiceByID(c.UserContext(), id)
}
