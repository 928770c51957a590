package handlers

import (
	"context"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/views"
)

// accountPage is the user's own profile: name and contacts, language,
// password, the second factor and the logged-in browsers.
type accountPage struct {
	*Page
	Profile   profileForm
	Form      struct{ Errors Errors } // the password form
	TwoFactor twoFactorPart
	Sessions  []db.SessionInfo
}

// Device names a browser from its User-Agent: «Chrome, Windows».
func (accountPage) Device(userAgent string) string { return describeDevice(userAgent) }

// profileForm is the user's name and contacts as typed.
type profileForm struct {
	Name, Email, Phone string
	Errors             Errors
}

func (s *Server) showAccount(c *fiber.Ctx) error {
	u := state(c).user
	return s.renderAccount(c, fiber.StatusOK, profileForm{Name: u.Name, Email: u.Email, Phone: formatPhone(u.Phone)}, nil)
}

func (s *Server) renderAccount(c *fiber.Ctx, status int, profile profileForm, passwordErrors Errors) error {
	return s.renderAccountPage(c, status, profile, passwordErrors, nil)
}

// renderAccountWith shows the account page with the second-factor section
// changed: an error, or the recovery codes just made.
func (s *Server) renderAccountWith(c *fiber.Ctx, status int, change func(*twoFactorPart)) error {
	u := state(c).user
	return s.renderAccountPage(c, status, profileForm{Name: u.Name, Email: u.Email, Phone: formatPhone(u.Phone)}, nil, change)
}

func (s *Server) renderAccountPage(c *fiber.Ctx, status int, profile profileForm, passwordErrors Errors, change func(*twoFactorPart)) error {
	st := state(c)
	p := s.page(c, "", "account.title")
	p.Path = "/account"
	data := accountPage{Page: p, Profile: profile}
	data.Form.Errors = passwordErrors
	var err error
	if data.TwoFactor, err = s.twoFactorPart(c, *st.user); err != nil {
		return err
	}
	if change != nil {
		change(&data.TwoFactor)
	}
	if data.Sessions, err = s.store.UserSessions(c.UserContext(), st.user.ID, st.token); err != nil {
		return err
	}
	return s.render(c, status, "account/show", p, data)
}

// updateProfile saves the user's own name, e-mail and phone; a manager's
// contacts are what their clients see on the company tab.
func (s *Server) updateProfile(c *fiber.Ctx) error {
	u := *state(c).user
	in := readForm(c)
	f := profileForm{Name: in.text("name"), Errors: in.Errors}
	f.Errors.checkText("name", f.Name, true, 100)
	f.Email, f.Phone = f.Errors.optionalContacts(in.text("email"), in.text("phone"))
	if len(f.Errors) > 0 {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, f, nil)
	}
	if err := s.store.UpdateProfile(c.UserContext(), s.actor(c), u, f.Name, f.Email, f.Phone); err != nil {
		return err
	}
	s.setFlash(c, "account.profile_saved")
	return c.Redirect("/account", fiber.StatusSeeOther)
}

// changePassword replaces the user's password after checking the current one.
// Every session of the user ends, and this browser gets a fresh one.
func (s *Server) changePassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := *state(c).user
	current, next, confirm := c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm")
	errs := Errors{}
	if current == "" {
		errs["current"] = "form.required"
	} else {
		key, err := s.checkCurrentPassword(ctx, u, current)
		if err != nil {
			return err
		}
		if key != "" {
			errs["current"] = key
		}
	}
	refused, err := s.checkNewPassword(ctx, next, u.CompanyID, u.Login, u.Name, u.Email)
	if err != nil {
		return err
	}
	if refused != "" {
		errs["new"] = refused
	} else if next == current {
		errs["new"] = "account.same_password"
	}
	if confirm != next {
		errs["confirm"] = "account.mismatch"
	}
	if len(errs) > 0 {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, profileForm{Name: u.Name, Email: u.Email, Phone: formatPhone(u.Phone)}, errs)
	}
	if err := s.store.SetPassword(ctx, s.actor(c), u, next, db.AuditPasswordChanged); err != nil {
		return err
	}
	sess, err := s.store.RenewSession(ctx, u, s.clientIP(c), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, sess.Token, s.cfg.Sessions.Absolute)
	s.setFlash(c, "account.password_changed")
	return c.Redirect("/account", fiber.StatusSeeOther)
}

// checkCurrentPassword verifies the current password under the login
// throttle's rule, so a stolen session cannot guess it at leisure. It returns
// the translation key of the refusal, or "" when the password is right.
func (s *Server) checkCurrentPassword(ctx context.Context, u db.User, password string) (string, error) {
	attempt, wait, err := s.store.StartLoginAttempt(ctx, s.cfg.Throttle, "password:"+strconv.FormatInt(u.ID, 10))
	if err != nil {
		return "", err
	}
	if wait > 0 {
		return "account.throttled", nil
	}
	ok, err := s.store.CheckPassword(ctx, u.ID, password)
	if err != nil || !ok {
		return "account.wrong_current", err
	}
	return "", s.store.ReleaseLoginAttempt(ctx, attempt)
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
