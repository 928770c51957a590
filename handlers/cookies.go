package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// Cookie names.
const (
	sessionCookie = "elk_session"
	anonCookie    = "elk_anon"  // binds the login form's CSRF token before a session exists
	langCookie    = "elk_lang"  // language chosen on the login page
	flashCookie   = "elk_flash" // one message for the next page, after a redirect
)

// setCookie sets an HttpOnly, SameSite=Lax cookie; maxAge 0 makes it last
// for the browser session. Secure when configured or when served over TLS.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
		Secure:   s.cfg.SecureCookies || c.Protocol() == "https",
	}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge.Seconds())
	}
	c.Cookie(ck)
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: s.cfg.SecureCookies || c.Protocol() == "https", MaxAge: -1,
		Expires: time.Unix(0, 0),
	})
}

// setFlash leaves a message (a translation key) for the page after a redirect.
// An error message starts with "!".
func (s *Server) setFlash(c *fiber.Ctx, key string) {
	s.setCookie(c, flashCookie, key, time.Minute)
}

// takeFlash reads and clears the flash message.
func (s *Server) takeFlash(c *fiber.Ctx) string {
	key := c.Cookies(flashCookie)
	if key != "" {
		s.clearCookie(c, flashCookie)
	}
	return key
}
