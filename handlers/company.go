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
	Manager  *db.User
	Form     contactsForm
	Notices  []noticeRow // the latest notifications sent to the company
	Telegram telegramCard
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
	return s.showCompanyWith(c, fiber.StatusOK, nil, "")
}

// showCompanyWith shows the page with the saved contacts, and a Telegram
// code just issued or why none was.
func (s *Server) showCompanyWith(c *fiber.Ctx, status int, code *telegramCode, telegramErr string) error {
	nc, err := s.store.CompanyContacts(c.UserContext(), state(c).company.ID)
	if err != nil {
		return err
	}
	form := contactsForm{Emails: nc.Emails, Phones: nc.Phones}
	for i, p := range form.Phones {
		form.Phones[i] = formatPhone(p)
	}
	return s.renderCompany(c, status, form, code, telegramErr)
}

func (s *Server) renderCompany(c *fiber.Ctx, status int, form contactsForm, code *telegramCode, telegramErr string) error {
	co := state(c).company
	p := s.page(c, "company", "company.title")
	p.Path = "/company"
	notices, err := s.store.CompanyNotices(c.UserContext(), co.ID, recentNotices)
	if err != nil {
		return err
	}
	data := companyPage{Page: p, Form: form, Notices: s.noticeRows(p, notices)}
	if data.Telegram, err = s.telegramCard(c, p, code); err != nil {
		return err
	}
	data.Telegram.Error = telegramErr
	if p.may("POST /company/contacts") {
		data.Form = form.withBlank()
	}
	if co.ManagerID != 0 {
		m, err := s.store.UserByID(c.UserContext(), co.ManagerID)
		if err != nil {
			return err
		}
		data.Manager = &m
	}
	return s.render(c, status, "company/show", p, data)
}

// updateContacts replaces the company's notification e-mails and phones.
// Empty inputs are ignored; at least one of each kind is required.
func (s *Server) updateContacts(c *fiber.Ctx) error {
	form, nc := parseContacts(formValues(c, "email"), formValues(c, "phone"))
	if len(form.Errors) > 0 {
		return s.renderCompany(c, fiber.StatusUnprocessableEntity, form, nil, "")
	}
	if err := s.store.SetCompanyContacts(c.UserContext(), s.actor(c), state(c).company.ID, nc); err != nil {
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
	form.Emails, nc.Emails = parseContactList(form.Errors, "email", emails, normalizeEmail, "company.bad_email", "company.need_email")
	form.Phones, nc.Phones = parseContactList(form.Errors, "phone", phones, normalizePhone, "company.bad_phone", "company.need_phone")
	return form, nc
}

// parseContactList checks one kind of contact: it returns the non-empty
// values as typed and the valid ones normalised, recording errors under
// "<kind>.<index>" for a value and "<kind>s" for the list as a whole.
func parseContactList(errs Errors, kind string, raw []string, normalize func(string) (string, bool), badKey, needKey string) (typed, valid []string) {
	for _, v := range raw {
		field := fmt.Sprintf("%s.%d", kind, len(typed))
		if v = errs.typedText(field, v, false); v == "" {
			continue
		}
		typed = append(typed, v)
		n, ok := normalize(v)
		switch {
		case errs[field] != "":
		case !ok:
			errs[field] = badKey
		case !slices.Contains(valid, n):
			valid = append(valid, n)
		}
	}
	switch {
	case len(typed) == 0:
		errs[kind+"s"] = needKey
	case len(typed) > maxContacts:
		errs[kind+"s"] = "company.too_many"
	}
	return typed, valid
}

// formValues returns every value of a repeated form field, copied out of
// Fiber's reusable buffers.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}
