package handlers

import (
	"strings"
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

// flash is a one-time message for the page after a redirect: a
// translation key, and whether it tells of a failure (shown as an alert).
type flash struct {
	Key    string
	Failed bool
}

// failedFlashPrefix marks a failure's key in the flash cookie.
const failedFlashPrefix = "failed:"

// setFlash leaves a message (a translation key) for the page after a redirect.
func (s *Server) setFlash(c *fiber.Ctx, key string) {
	s.setCookie(c, flashCookie, key, time.Minute)
}

// setFailedFlash leaves a message that something the user asked for failed.
func (s *Server) setFailedFlash(c *fiber.Ctx, key string) {
	s.setCookie(c, flashCookie, failedFlashPrefix+key, time.Minute)
}

// takeFlash reads and clears the flash message.
func (s *Server) takeFlash(c *fiber.Ctx) flash {
	value := c.Cookies(flashCookie)
	if value == "" {
		return flash{}
	}
	s.clearCookie(c, flashCookie)
	key, failed := strings.CutPrefix(value, failedFlashPrefix)
	return flash{Key: key, Failed: failed}
}
