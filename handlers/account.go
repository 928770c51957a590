package handlers

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/views"
)

// accountPage is the user's own profile: language and password.
type accountPage struct {
	*Page
	Form struct{ Errors Errors }
}

func (s *Server) showAccount(c *fiber.Ctx) error {
	p := s.page(c, "", "account.title")
	return render(c, fiber.StatusOK, "account/show", p, accountPage{Page: p})
}

// changePassword replaces the user's password after checking the current one.
// Every session of the user ends, and this browser gets a fresh one.
func (s *Server) changePassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := *state(c).user
	current, next, confirm := c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm")
	errs := Errors{}
	ok, err := s.store.CheckPassword(ctx, u.ID, current)
	if err != nil {
		return err
	}
	switch {
	case current == "":
		errs["current"] = "form.required"
	case !ok:
		errs["current"] = "account.wrong_current"
	}
	if err := db.CheckPasswordPolicy(next, u.Login); err != nil {
		errs["new"] = err.Error()
	} else if next == current {
		errs["new"] = "account.same_password"
	}
	if confirm != next {
		errs["confirm"] = "account.mismatch"
	}
	if len(errs) > 0 {
		p := s.page(c, "", "account.title")
		p.Path = "/account"
		data := accountPage{Page: p}
		data.Form.Errors = errs
		return render(c, fiber.StatusUnprocessableEntity, "account/show", p, data)
	}
	if err := s.store.SetPassword(ctx, actor(c), u, next, db.AuditPasswordChanged); err != nil {
		return err
	}
	sess, err := s.store.RenewSession(ctx, u, c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, sess.Token, s.cfg.Sessions.Absolute)
	s.setFlash(c, "account.password_changed")
	return c.Redirect("/account", fiber.StatusSeeOther)
}

// changeLanguage stores the user's interface language.
func (s *Server) changeLanguage(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	if !slices.Contains(views.Languages, lang) {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "error.bad_request")
	}
	if err := s.store.SetUserLanguage(c.UserContext(), state(c).user.ID, lang); err != nil {
		return err
	}
	s.setFlash(c, "account.language_changed")
	return c.Redirect("/account", fiber.StatusSeeOther)
}
