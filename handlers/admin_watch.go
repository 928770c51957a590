package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// downMonitorsPage lists the servers down now across companies.
type downMonitorsPage struct {
	*Page
	Monitors []db.Monitor
	All      string // the same list over every company, when it shows one manager's
}

// listDownMonitors is /admin/monitors?state=down, of one manager's
// companies with &manager=; down is the one state the list shows.
func (s *Server) listDownMonitors(c *fiber.Ctx) error {
	managerID := managerParam(c)
	monitors, err := s.store.DownMonitors(c.UserContext(), managerID)
	if err != nil {
		return err
	}
	p := s.page(c, "home", "home.monitors_down")
	data := downMonitorsPage{Page: p, Monitors: monitors}
	if managerID != 0 {
		data.All = "/admin/monitors?state=down"
	}
	return s.render(c, fiber.StatusOK, "admin/monitors_down", p, data)
}

// expiringLicensesPage lists the licenses about to expire across companies.
type expiringLicensesPage struct {
	*Page
	Licenses []expiringLicense
	All      string
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
	managerID := managerParam(c)
	licenses, err := s.store.ExpiringLicenses(c.UserContext(), managerID)
	if err != nil {
		return err
	}
	p := s.page(c, "home", "home.licenses_title")
	today := db.Today(s.store.Now(), db.VendorLocation)
	data := expiringLicensesPage{Page: p, Licenses: make([]expiringLicense, len(licenses))}
	for i, l := range licenses {
		data.Licenses[i] = expiringLicense{License: l, Expires: p.Day(l.ExpiresOn), DaysLeft: p.N("home.days", l.DaysLeft(today))}
	}
	if managerID != 0 {
		data.All = "/admin/licenses?within=" + strconv.Itoa(db.LicenseWarnWithin)
	}
	return s.render(c, fiber.StatusOK, "admin/licenses", p, data)
}

// managerParam is the manager whose companies a list is narrowed to, 0 for all.
func managerParam(c *fiber.Ctx) int64 { return int64(max(c.QueryInt("manager"), 0)) }
