package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// endSession logs one of the user's own browsers out.
func (s *Server) endSession(c *fiber.Ctx) error {
	if err := s.store.EndSession(c.UserContext(), s.actor(c), *state(c).user, c.Params("id")); err != nil {
		return err
	}
	s.setFlash(c, "sessions.ended")
	return c.Redirect("/account#sessions", fiber.StatusSeeOther)
}

// endUserSessions logs a user out everywhere (back office).
func (s *Server) endUserSessions(c *fiber.Ctx) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if _, err := s.store.EndUserSessions(c.UserContext(), s.actor(c), u); err != nil {
		return err
	}
	s.setFlash(c, "sessions.ended_all")
	if u.IsStaff() {
		return c.Redirect("/admin/staff", fiber.StatusSeeOther)
	}
	return c.Redirect("/admin/companies/"+strconv.FormatInt(u.CompanyID, 10)+"#users", fiber.StatusSeeOther)
}

// resetTwoFactor turns off a user's second factor (a lost phone without its
// recovery codes) and ends their sessions; they log in with the password
// and may set it up again.
func (s *Server) resetTwoFactor(c *fiber.Ctx) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if err := s.store.DisableTwoFactor(c.UserContext(), s.actor(c), u); err != nil {
		return err
	}
	return s.endUserSessions(c)
}

// describeDevice names a browser and its system from a User-Agent, enough
// for a person to tell their sessions apart.
func describeDevice(ua string) string {
	find := func(pairs [][2]string) string {
		for _, p := range pairs {
			if strings.Contains(ua, p[0]) {
				return p[1]
			}
		}
		return ""
	}
	browser := find([][2]string{{"YaBrowser", "Яндекс Браузер"}, {"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}})
	system := find([][2]string{{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"Linux", "Linux"}})
	switch {
	case browser != "" && system != "":
		return browser + ", " + system
	case browser != "" || system != "":
		return browser + system
	}
	return "—"
}
