package handlers

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// maxContacts bounds the notification addresses of each kind a company keeps.
const maxContacts = 5

// companyPage is the О компании tab.
type companyPage struct {
	*Page
	Manager *db.User
	Form    contactsForm
}

// contactsForm is the notification e-mails and phones as typed.
type contactsForm struct {
	Emails []string
	Phones []string
	Errors Errors
}

// withBlank adds an empty input of each kind (while there is room), through
// which a new address is added without any script.
func (f contactsForm) withBlank() contactsForm {
	if len(f.Emails) < maxContacts {
		f.Emails = append(slices.Clone(f.Emails), "")
	}
	if len(f.Phones) < maxContacts {
		f.Phones = append(slices.Clone(f.Phones), "")
	}
	return f
}

func (s *Server) showCompany(c *fiber.Ctx) error {
	nc, err := s.store.CompanyContacts(c.UserContext(), state(c).company.ID)
	if err != nil {
		return err
	}
	form := contactsForm{Emails: nc.Emails, Phones: nc.Phones}
	for i, p := range form.Phones {
		form.Phones[i] = formatPhone(p)
	}
	return s.renderCompany(c, fiber.StatusOK, form)
}

func (s *Server) renderCompany(c *fiber.Ctx, status int, form contactsForm) error {
	co := state(c).company
	p := s.page(c, "company", "company.title")
	p.Path = "/company"
	data := companyPage{Page: p, Form: form.withBlank()}
	if co.ManagerID != 0 {
		m, err := s.store.UserByID(c.UserContext(), co.ManagerID)
		if err != nil {
			return err
		}
		data.Manager = &m
	}
	return render(c, status, "company/show", p, data)
}

// updateContacts replaces the company's notification e-mails and phones.
// Empty inputs are ignored; at least one of each kind is required.
func (s *Server) updateContacts(c *fiber.Ctx) error {
	form, nc := parseContacts(formValues(c, "email"), formValues(c, "phone"))
	if len(form.Errors) > 0 {
		return s.renderCompany(c, fiber.StatusUnprocessableEntity, form)
	}
	if err := s.store.SetCompanyContacts(c.UserContext(), actor(c), state(c).company.ID, nc); err != nil {
		return err
	}
	s.setFlash(c, "company.contacts_saved")
	return c.Redirect("/company#notifications", fiber.StatusSeeOther)
}

// parseContacts validates typed addresses and returns them normalised and
// de-duplicated, together with the form to show again if anything is wrong.
func parseContacts(emails, phones []string) (contactsForm, db.NotificationContacts) {
	form := contactsForm{Errors: Errors{}}
	var nc db.NotificationContacts
	for _, raw := range emails {
		raw = cleanText(raw)
		if raw == "" {
			continue
		}
		i := len(form.Emails)
		form.Emails = append(form.Emails, raw)
		v, ok := normalizeEmail(raw)
		switch {
		case !ok:
			form.Errors[fmt.Sprintf("email.%d", i)] = "company.bad_email"
		case !slices.Contains(nc.Emails, v):
			nc.Emails = append(nc.Emails, v)
		}
	}
	for _, raw := range phones {
		raw = cleanText(raw)
		if raw == "" {
			continue
		}
		i := len(form.Phones)
		form.Phones = append(form.Phones, raw)
		v, ok := normalizePhone(raw)
		switch {
		case !ok:
			form.Errors[fmt.Sprintf("phone.%d", i)] = "company.bad_phone"
		case !slices.Contains(nc.Phones, v):
			nc.Phones = append(nc.Phones, v)
		}
	}
	switch {
	case len(form.Emails) == 0:
		form.Errors["emails"] = "company.need_email"
	case len(form.Emails) > maxContacts:
		form.Errors["emails"] = "company.too_many"
	}
	switch {
	case len(form.Phones) == 0:
		form.Errors["phones"] = "company.need_phone"
	case len(form.Phones) > maxContacts:
		form.Errors["phones"] = "company.too_many"
	}
	return form, nc
}

// formValues returns every value of a repeated form field, copied out of
// Fiber's reusable buffers.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == name {
			out = append(out, string(v))
		}
	})
	return out
}
