package handlers

import (
	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// downMonitorsPage lists the servers down now across companies.
type downMonitorsPage struct {
	*Page
	Monitors []db.Monitor
	Scope    *managerScope
}

// listDownMonitors is /admin/monitors?state=down, of one manager's
// companies with &manager=; down is the one state the list shows.
func (s *Server) listDownMonitors(c *fiber.Ctx) error {
	p := s.page(c, "home", "home.monitors_down")
	scope, err := s.managerScopeOf(c, p)
	if err != nil {
		return err
	}
	monitors, err := s.store.DownMonitors(c.UserContext(), scope.managerID())
	if err != nil {
		return err
	}
	data := downMonitorsPage{Page: p, Monitors: monitors, Scope: scope}
	return s.render(c, fiber.StatusOK, "admin/monitors_down", p, data)
}

// expiringLicensesPage lists the licenses about to expire across companies.
type expiringLicensesPage struct {
	*Page
	Licenses []expiringLicense
	Scope    *managerScope
}

// expiringLicense is one row of the list, ready to print.
type expiringLicense struct {
	db.License
	Expires  string
	DaysLeft string
}

// listExpiringLicenses is /admin/licenses: the licenses that expire within
// db.LicenseWarnWithin days, of one manager's companies with &manager=.
func (s *Server) listExpiringLicenses(c *fiber.Ctx) error {
	p := s.page(c, "home", "home.licenses_title")
	scope, err := s.managerScopeOf(c, p)
	if err != nil {
		return err
	}
	licenses, err := s.store.ExpiringLicenses(c.UserContext(), scope.managerID())
	if err != nil {
		return err
	}
	today := db.Today(s.store.Now(), db.VendorLocation)
	data := expiringLicensesPage{Page: p, Licenses: make([]expiringLicense, len(licenses)), Scope: scope}
	for i, l := range licenses {
		data.Licenses[i] = expiringLicense{License: l, Expires: p.Day(l.ExpiresOn), DaysLeft: p.N("home.days", l.DaysLeft(today))}
	}
	return s.render(c, fiber.StatusOK, "admin/licenses", p, data)
}
