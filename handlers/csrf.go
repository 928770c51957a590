package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// CSRF tokens are an HMAC, under the instance's secret, of what identifies the
// browser: its session token once logged in, before that a random anonymous
// cookie (so the login form is protected too). A forged cross-site form cannot
// know it; a new session after login gets a new token.

const (
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// errCSRF is the refusal of a state change that lacks a valid token.
var errCSRF = fiber.NewError(fiber.StatusForbidden, "error.csrf")

// csrfToken returns the token that forms on this page must send back,
// giving a logged-out browser its anonymous cookie if it has none.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if st := state(c); st.token != "" {
		return s.sign(st.token)
	}
	anon := c.Cookies(anonCookie)
	if !isToken(anon) { // only a value ELK made is signed: no chosen text gets a signature
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		anon = hex.EncodeToString(b)
		s.setCookie(c, anonCookie, anon, 0)
		c.Request().Header.SetCookie(anonCookie, anon)
	}
	return s.sign(anon)
}

// isToken tells a random token ELK made (32 hex digits) from anything else.
func isToken(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func (s *Server) sign(binding string) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte("csrf:" + binding))
	return hex.EncodeToString(mac.Sum(nil))
}

// checkCSRF refuses every state-changing request whose token (form field or
// htmx header) does not match the browser's.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if s.crossSite(c) {
		return errCSRF
	}
	binding := state(c).token
	if binding == "" && c.Cookies(sessionCookie) != "" {
		// The session ended (idle, too old, password changed elsewhere) while
		// its page stayed open: nothing is changed, the browser is asked to
		// log in again; after logout that is just where it wanted to go.
		return redirect(c, "/login?expired=1")
	}
	if binding == "" {
		binding = c.Cookies(anonCookie)
	}
	if !isToken(binding) {
		return errCSRF
	}
	want := s.sign(binding)
	if hmac.Equal([]byte(c.Get(csrfHeader)), []byte(want)) {
		return c.Next()
	}
	if streamedUpload(c) != nil {
		// A form with files still on the wire: its handler reads the
		// token from the form's first field before it keeps any file.
		state(c).uploadToken = want
		return c.Next()
	}
	if hmac.Equal([]byte(c.FormValue(csrfField)), []byte(want)) {
		return c.Next()
	}
	return errCSRF
}

// crossSite tells a state change another site's page made, whatever token
// it carries, as defence in depth: browsers name where a request comes
// from in Sec-Fetch-Site (OWASP, «Cross-Site Request Forgery Prevention
// Cheat Sheet», Fetch Metadata), older ones in Origin, which must then be
// the portal's own: the host asked, or the public address's (a proxy may
// pass another Host). A request that says neither (not from a browser) is
// left to the token.
func (s *Server) crossSite(c *fiber.Ctx) bool {
	switch c.Get("Sec-Fetch-Site") {
	case "cross-site":
		return true
	case "same-origin", "same-site", "none":
		return false
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return true
	}
	public, _ := url.Parse(s.cfg.BaseURL)
	return u.Host != string(c.Request().Host()) && (public == nil || u.Host != public.Host)
}
