package handlers

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/auth"
	"elk/views"
)

// loginPage is the login form.
type loginPage struct {
	*Page
	Login  string
	Next   string
	Error  string // already translated
	Notice string
}

// showLogin shows the login form; ?lang= switches its language.
func (s *Server) showLogin(c *fiber.Ctx) error {
	if lang := c.Query("lang"); slices.Contains(views.Languages, lang) {
		s.setCookie(c, langCookie, lang, 365*24*time.Hour)
		c.Request().Header.SetCookie(langCookie, lang)
	}
	if st := state(c); st.user != nil {
		return redirect(c, s.page(c, "", "login.title").Home)
	}
	p := s.page(c, "", "login.title")
	data := loginPage{Page: p, Next: safeNext(c.Query("next"))}
	if c.Query("expired") != "" {
		data.Notice = p.T("login.expired")
	}
	return s.renderIn(c, "layouts/bare", "auth/login", p, data)
}

// renderLogin shows the login form again with what went wrong (translated).
func (s *Server) renderLogin(c *fiber.Ctx, status int, login, message, next string) error {
	p := s.page(c, "", "login.title")
	return s.renderIn(c.Status(status), "layouts/bare", "auth/login", p, loginPage{Page: p, Login: login, Next: safeNext(next), Error: message})
}

// login checks the credentials, throttled so that no stranger can lock
// anyone out (see loginTries), and starts a new session: the session id is
// never the one from before login.
func (s *Server) login(c *fiber.Ctx) error {
	ctx := c.UserContext()
	login := db.NormalizeLogin(c.FormValue("login"))
	password := c.FormValue("password")
	next := c.FormValue("next")
	cat := s.catalogs.Get(s.language(c))
	if login == "" || password == "" {
		return s.renderLogin(c, fiber.StatusUnprocessableEntity, login, cat.T("login.empty"), next)
	}
	if len(login) > 64 || len(password) > auth.MaxPasswordLen*4 {
		return s.renderLogin(c, fiber.StatusUnauthorized, "", cat.T("login.bad_credentials"), next)
	}
	login = strings.ToLower(login)
	tries := s.loginTries(c, login)
	attempts, wait, err := s.startLoginTries(ctx, tries)
	if err != nil {
		return err
	}
	if wait > 0 {
		return s.renderLogin(c, fiber.StatusTooManyRequests, login, cat.T("login.throttled", waitText(cat, wait)), next)
	}
	u, err := s.store.Authenticate(ctx, login, password)
	switch {
	case errors.Is(err, db.ErrBadCredentials):
		// The attempt stays counted as a failure.
		if err := s.store.Audit(ctx, db.Actor{IP: s.clientIP(c)}, 0, db.AuditLoginFailed, login); err != nil {
			return err
		}
		return s.renderLogin(c, fiber.StatusUnauthorized, login, cat.T("login.bad_credentials"), next)
	case errors.Is(err, db.ErrUserDisabled):
		if err := s.releaseLoginTries(ctx, attempts); err != nil {
			return err
		}
		return s.renderLogin(c, fiber.StatusForbidden, login, cat.T("login.disabled"), next)
	case err != nil:
		return err
	}
	// The right password forgets this browser's (or address's) failures for
	// the login, not those strangers made elsewhere.
	if err := s.releaseLoginTries(ctx, attempts, tries[0].key); err != nil {
		return err
	}
	if u.TwoFactor {
		return s.askForCode(c, u, next)
	}
	return s.startSession(c, u, next)
}

// startSession logs in a user who has proved who they are and sends them on.
func (s *Server) startSession(c *fiber.Ctx, u db.User, next string) error {
	ctx := c.UserContext()
	if old := state(c).token; old != "" {
		if err := s.store.DeleteSession(ctx, old); err != nil {
			return err
		}
	}
	sess, err := s.store.Login(ctx, u, s.clientIP(c), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, sess.Token, s.cfg.Sessions.Absolute)
	s.clearCookie(c, anonCookie)
	s.rememberDevice(c, strings.ToLower(u.Login))
	target := safeNext(next)
	if target == "" || u.IsStaff() != strings.HasPrefix(target, "/admin") {
		target = homeOf(u)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(c *fiber.Ctx) error {
	st := state(c)
	if st.token != "" {
		if err := s.store.Logout(c.UserContext(), s.actor(c), st.user.CompanyID, st.token); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// home sends a user to the first tab of their side.
func (s *Server) home(c *fiber.Ctx) error {
	return c.Redirect(homeOf(*state(c).user), fiber.StatusSeeOther)
}

func homeOf(u db.User) string {
	if u.IsStaff() {
		return "/admin"
	}
	return clientTabs[0].Path
}

// safeNext keeps a post-login target only when it is a path on this site.
// Browsers drop tabs and newlines from URLs and read "\\" as "/", so any of
// them could turn "/\t/evil.example" into another site: all are refused.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "/login") {
		return ""
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(next, "//") {
		return ""
	}
	return next
}

// health answers 200 while the database answers.
func (s *Server) health(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := s.store.Ping(c.UserContext()); err != nil {
		s.log(c).Error("health check failed", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable\n")
	}
	return c.SendString("ok\n")
}
