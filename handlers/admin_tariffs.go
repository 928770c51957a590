package handlers

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// tariffsPage is the back office's catalog of tariffs.
type tariffsPage struct {
	*Page
	Tariffs  []db.Tariff
	Services []string
	Units    []string
	Form     tariffForm
	CanEdit  bool
}

// tariffForm is a new tariff as typed.
type tariffForm struct {
	Service, Name, Price, Unit, ValidFrom, ValidTo string
	Errors                                         Errors
}

func (s *Server) listTariffs(c *fiber.Ctx) error {
	today := db.Today(s.store.Now(), db.VendorLocation).Format("2006-01-02")
	return s.renderTariffs(c, fiber.StatusOK, tariffForm{Service: db.ServiceSMS, Unit: db.UnitSMSPart, ValidFrom: today})
}

func (s *Server) renderTariffs(c *fiber.Ctx, status int, form tariffForm) error {
	tariffs, err := s.store.Tariffs(c.UserContext(), 0)
	if err != nil {
		return err
	}
	p := s.page(c, "tariffs", "admin.tariffs")
	p.Path = "/admin/tariffs"
	return s.render(c, status, "admin/tariffs", p, tariffsPage{Page: p, Tariffs: tariffs, Services: db.ServiceCodes,
		Units: db.Units, Form: form, CanEdit: canEdit(state(c).user)})
}

func (s *Server) createTariff(c *fiber.Ctx) error {
	in := readForm(c)
	f := tariffForm{
		Service: clone(c.FormValue("service")), Name: in.text("name"), Price: clone(c.FormValue("price")),
		Unit: clone(c.FormValue("unit")), ValidFrom: clone(c.FormValue("valid_from")), ValidTo: clone(c.FormValue("valid_to")),
		Errors: in.Errors,
	}
	t := db.Tariff{Name: f.Name, Unit: f.Unit}
	t.ServiceID = int64(slices.Index(db.ServiceCodes, f.Service) + 1)
	if t.ServiceID == 0 {
		f.Errors["service"] = "tariffs.bad_service"
	}
	f.Errors.checkText("name", f.Name, true, 200)
	if !slices.Contains(db.Units, f.Unit) {
		f.Errors["unit"] = "tariffs.bad_unit"
	}
	price, err := money.ParseKopecks(f.Price)
	switch {
	case err != nil:
		f.Errors["price"] = err.Error()
	case price < 0:
		f.Errors["price"] = "money.negative"
	}
	t.Price = price
	from, okFrom := parseDay(f.ValidFrom)
	if !okFrom || from.IsZero() {
		f.Errors["valid_from"] = "period.bad_date"
	}
	t.ValidFrom = from
	if to, ok := parseDay(f.ValidTo); !ok {
		f.Errors["valid_to"] = "period.bad_date"
	} else if !to.IsZero() {
		if to.Before(from) {
			f.Errors["valid_to"] = "period.reversed"
		}
		t.ValidTo = &to
	}
	if len(f.Errors) > 0 {
		return s.renderTariffs(c, fiber.StatusUnprocessableEntity, f)
	}
	if _, err := s.store.CreateTariff(c.UserContext(), s.actor(c), t); err != nil {
		return err
	}
	s.setFlash(c, "tariffs.created")
	return c.Redirect("/admin/tariffs", fiber.StatusSeeOther)
}

// retireTariff archives a tariff in use or deletes an unused one.
func (s *Server) retireTariff(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := s.store.TariffByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := s.store.RetireTariff(c.UserContext(), s.actor(c), t); err != nil {
		return err
	}
	if t.InUse {
		s.setFlash(c, "tariffs.archived")
	} else {
		s.setFlash(c, "tariffs.deleted")
	}
	return c.Redirect("/admin/tariffs", fiber.StatusSeeOther)
}

// parseDay reads a YYYY-MM-DD date input; empty is the zero time, ok is false when malformed.
func parseDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil && t.Year() >= 2000 && t.Year() <= 2100
}

// tariffParam reads a tariff id from a form field.
func (s *Server) tariffParam(c *fiber.Ctx, field string) (db.Tariff, bool) {
	id, err := strconv.ParseInt(c.FormValue(field), 10, 64)
	if err != nil {
		return db.Tariff{}, false
	}
	t, err := s.store.TariffByID(c.UserContext(), id)
	return t, err == nil
}
