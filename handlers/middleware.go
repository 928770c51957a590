package handlers

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// requestState is what the session middleware learns about a request.
type requestState struct {
	token   string      // session token; empty when logged out
	user    *db.User    // nil when logged out
	company *db.Company // the user's company; nil for staff
	// uploadToken is the CSRF token a form with files must still show
	// (readUpload); empty once it has, or when a header carried it.
	uploadToken string
}

const stateKey = "elk.state"

func state(c *fiber.Ctx) *requestState {
	if st, ok := c.Locals(stateKey).(*requestState); ok {
		return st
	}
	return &requestState{}
}

// loadSession finds the logged-in user behind the session cookie, if any.
func (s *Server) loadSession(c *fiber.Ctx) error {
	st := &requestState{}
	c.Locals(stateKey, st)
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	sess, u, co, err := s.store.SessionUser(c.UserContext(), token, s.cfg.Sessions)
	if errors.Is(err, db.ErrNotFound) {
		s.clearCookie(c, sessionCookie)
		return c.Next()
	}
	if err != nil {
		return err
	}
	st.token, st.user, st.company = sess.Token, &u, co
	return c.Next()
}

// requireUser sends a visitor who is not logged in to the login page, and back here afterwards.
func (s *Server) requireUser(c *fiber.Ctx) error {
	if state(c).user != nil {
		return c.Next()
	}
	if isPartRequest(c) {
		// A part of a page (a poll, «Показать ещё») asked after the session
		// ended: back to that page after logging in, told why.
		target := "/login?expired=1"
		if page, err := url.Parse(c.Get("HX-Current-URL")); err == nil && safeNext(page.RequestURI()) != "" && page.Path != "/" {
			target += "&next=" + url.QueryEscape(page.RequestURI())
		}
		return redirect(c, target)
	}
	target := "/login"
	if c.Method() == fiber.MethodGet && c.OriginalURL() != "/" {
		target += "?next=" + url.QueryEscape(c.OriginalURL())
	}
	return redirect(c, target)
}

// requireClient admits only users of a client company.
func (s *Server) requireClient(c *fiber.Ctx) error {
	st := state(c)
	if st.user == nil {
		return s.requireUser(c)
	}
	if st.company == nil {
		return fiber.ErrNotFound
	}
	return c.Next()
}

// requireStaff admits only the vendor's staff; to anyone else the back office does not exist.
func (s *Server) requireStaff(c *fiber.Ctx) error {
	st := state(c)
	if st.user == nil {
		return s.requireUser(c)
	}
	if !st.user.IsStaff() {
		return fiber.ErrNotFound
	}
	return c.Next()
}

// requireRole admits staff with one of the roles.
func (s *Server) requireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !slices.Contains(roles, state(c).user.Role) {
			return fiber.NewError(fiber.StatusForbidden, "error.forbidden")
		}
		return c.Next()
	}
}

// noStore keeps pages with private data out of every cache, and tells caches
// that a URL answers differently to htmx.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Vary("HX-Request")
	return c.Next()
}

// securityHeaders forbids inline scripts and framing, among other things.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	return c.Next()
}

// redirect sends the browser elsewhere after a POST (303), and tells htmx to
// load the target as a whole page when the request came from htmx.
func redirect(c *fiber.Ctx, to string) error {
	if isPartRequest(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// actor is who makes the request, for the audit log.
func (s *Server) actor(c *fiber.Ctx) db.Actor {
	a := db.Actor{IP: s.clientIP(c)}
	if u := state(c).user; u != nil {
		a.UserID, a.Login = u.ID, u.Login
	}
	return a
}

// clientIP is the browser's address. Behind trusted reverse proxies it is the
// rightmost X-Forwarded-For address that is not one of them: each proxy
// appends the address it saw, and whatever the client wrote itself stands
// further left. From anyone else the header is ignored.
func (s *Server) clientIP(c *fiber.Ctx) string {
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	remote = remote.Unmap()
	if !s.proxies.contains(remote) {
		return remote.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: trust nothing to its left
		}
		if ip = ip.Unmap(); !s.proxies.contains(ip) {
			return ip.String()
		}
	}
	return remote.String()
}

// proxySet is the trusted reverse proxies' addresses and networks.
type proxySet []netip.Prefix

func parseProxies(list []string) (proxySet, error) {
	var out proxySet
	for _, item := range list {
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("handlers: trusted proxy %q is neither an IP nor a CIDR", item)
		}
		ip = ip.Unmap()
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

func (ps proxySet) contains(ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
