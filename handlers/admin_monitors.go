package handlers

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/views"
)

// adminMonitoringPage is a company's monitors and license keys in the back office.
type adminMonitoringPage struct {
	*Page
	Company    db.Company
	Monitors   []db.Monitor
	Licenses   []licenseView
	Form       monitorForm
	License    licenseForm
	Kinds      []string
	CheckTypes []string
	CanEdit    bool
	BaseURL    string // for the push monitors' secret URLs
}

// monitorForm is a monitor as typed.
type monitorForm struct {
	ID         int64
	Name       string
	Kind       string
	CheckType  string
	Target     string
	Interval   string // seconds
	Timeout    string // milliseconds
	Retries    string
	StatusMin  string
	StatusMax  string
	ExpectWord string
	Active     bool
	Errors     Errors
}

func newMonitorForm() monitorForm {
	return monitorForm{Kind: db.MonitorTMServer, CheckType: db.CheckTCP, Interval: "60", Timeout: "5000", Retries: "2",
		StatusMin: "200", StatusMax: "399", Active: true, Errors: Errors{}}
}

func monitorFormOf(m db.Monitor) monitorForm {
	return monitorForm{ID: m.ID, Name: m.Name, Kind: m.Kind, CheckType: m.CheckType, Target: m.Target,
		Interval: strconv.Itoa(int(m.Interval / time.Second)), Timeout: strconv.FormatInt(m.Timeout.Milliseconds(), 10),
		Retries: strconv.Itoa(m.Retries), StatusMin: strconv.Itoa(m.ExpectStatusMin), StatusMax: strconv.Itoa(m.ExpectStatusMax),
		ExpectWord: m.ExpectWord, Active: m.Active, Errors: Errors{}}
}

// licenseForm is a license key as typed.
type licenseForm struct {
	Key, Product, Issued, Expires, Limits, Modules string
	Errors                                         Errors
}

func (s *Server) showAdminMonitoring(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	form := newMonitorForm()
	if id := int64(c.QueryInt("edit")); id > 0 {
		m, err := s.store.MonitorByID(c.UserContext(), id)
		if err != nil || m.CompanyID != co.ID {
			return fiber.ErrNotFound
		}
		form = monitorFormOf(m)
	}
	return s.renderAdminMonitoring(c, fiber.StatusOK, co, form, licenseForm{Product: "TMServer", Errors: Errors{}})
}

func (s *Server) renderAdminMonitoring(c *fiber.Ctx, status int, co db.Company, form monitorForm, lf licenseForm) error {
	ctx := c.UserContext()
	p := s.page(c, "companies", "monitoring.title")
	p.Title = co.Name + " — " + p.T("monitoring.title")
	data := adminMonitoringPage{Page: p, Company: co, Form: form, License: lf, Kinds: db.MonitorKinds, CheckTypes: db.CheckTypes,
		CanEdit: mayChange(state(c).user, editorRoles, co.ManagerID), BaseURL: s.cfg.BaseURL}
	var err error
	if data.Monitors, err = s.store.CompanyMonitors(ctx, co.ID); err != nil {
		return err
	}
	licenses, err := s.store.CompanyLicenses(ctx, co.ID)
	if err != nil {
		return err
	}
	data.Licenses = licenseViews(p, licenses, db.Today(s.store.Now(), co.Location()))
	return s.render(c, status, "admin/monitoring", p, data)
}

// saveMonitor adds a monitor to the company or changes one of its own.
func (s *Server) saveMonitor(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	in := readForm(c)
	f := monitorForm{Name: in.text("name"), Kind: clone(c.FormValue("kind")), CheckType: clone(c.FormValue("check_type")),
		Target: in.text("target"), Interval: clone(c.FormValue("interval")), Timeout: clone(c.FormValue("timeout")),
		Retries: clone(c.FormValue("retries")), StatusMin: clone(c.FormValue("status_min")), StatusMax: clone(c.FormValue("status_max")),
		ExpectWord: in.text("expect_word"), Active: c.FormValue("active") == "1", Errors: in.Errors}
	f.ID, _ = strconv.ParseInt(c.FormValue("id"), 10, 64)
	m, ok := f.monitor(co.ID)
	if ok && f.ID != 0 {
		existing, err := s.store.MonitorByID(c.UserContext(), f.ID)
		if err != nil || existing.CompanyID != co.ID {
			return fiber.ErrNotFound
		}
	}
	if ok {
		_, err = s.store.SaveMonitor(c.UserContext(), s.actor(c), m)
		if errors.Is(err, db.ErrMonitorNameTaken) {
			f.Errors["name"] = "monitoring.name_taken"
		} else if err != nil {
			return err
		}
	}
	if len(f.Errors) > 0 {
		return s.renderAdminMonitoring(c, fiber.StatusUnprocessableEntity, co, f, licenseForm{Product: "TMServer", Errors: Errors{}})
	}
	s.setFlash(c, "monitoring.saved")
	return c.Redirect(fmt.Sprintf("/admin/companies/%d/monitoring", co.ID), fiber.StatusSeeOther)
}

// monitor checks the form and returns the monitor it describes.
func (f *monitorForm) monitor(companyID int64) (db.Monitor, bool) {
	e := f.Errors
	e.checkText("name", f.Name, true, 100)
	if !slices.Contains(db.MonitorKinds, f.Kind) {
		e["kind"] = "monitoring.bad_choice"
	}
	if !slices.Contains(db.CheckTypes, f.CheckType) {
		e["check_type"] = "monitoring.bad_choice"
	}
	switch f.CheckType {
	case db.CheckTCP:
		if host, port, err := net.SplitHostPort(f.Target); err != nil || host == "" || port == "" || len(f.Target) > 500 {
			e["target"] = "monitoring.bad_tcp_target"
		}
	case db.CheckHTTP:
		if u, err := url.Parse(f.Target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(f.Target) > 500 {
			e["target"] = "monitoring.bad_http_target"
		}
	case db.CheckPush:
		f.Target = ""
	}
	number := func(field, raw string, lo, hi int) int {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || n < lo || n > hi {
			e[field] = "monitoring.bad_" + field
		}
		return n
	}
	interval := number("interval", f.Interval, 10, 3600)
	timeout := number("timeout", f.Timeout, 100, 60000)
	retries := number("retries", f.Retries, 0, 10)
	statusMin, statusMax := 200, 399
	if f.CheckType == db.CheckHTTP {
		statusMin = number("status_min", f.StatusMin, 100, 599)
		statusMax = number("status_max", f.StatusMax, 100, 599)
		if statusMax < statusMin {
			e["status_max"] = "monitoring.bad_status_max"
		}
	}
	if timeout > interval*1000 {
		e["timeout"] = "monitoring.bad_timeout"
	}
	e.checkText("expect_word", f.ExpectWord, false, 100)
	return db.Monitor{ID: f.ID, CompanyID: companyID, Name: f.Name, Kind: f.Kind, CheckType: f.CheckType, Target: f.Target,
		Interval: time.Duration(interval) * time.Second, Timeout: time.Duration(timeout) * time.Millisecond, Retries: retries,
		ExpectStatusMin: statusMin, ExpectStatusMax: statusMax, ExpectWord: f.ExpectWord, Active: f.Active}, len(e) == 0
}

// renewPushSecret replaces a monitor's heartbeat secret.
func (s *Server) renewPushSecret(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	companyID, err := s.store.RenewPushSecret(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	s.setFlash(c, "monitoring.secret_renewed")
	return c.Redirect(fmt.Sprintf("/admin/companies/%d/monitoring", companyID), fiber.StatusSeeOther)
}

// saveLicense records a license key for the company.
func (s *Server) saveLicense(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	in := readForm(c)
	lf := licenseForm{Key: in.text("key"), Product: in.text("product"), Issued: clone(c.FormValue("issued")),
		Expires: clone(c.FormValue("expires")), Limits: in.text("limits"), Modules: in.text("modules"), Errors: in.Errors}
	e := lf.Errors
	e.checkText("key", lf.Key, true, 200)
	e.checkText("product", lf.Product, true, 100)
	e.checkText("limits", lf.Limits, false, 500)
	e.checkText("modules", lf.Modules, false, 500)
	issued, okIssued := parseDay(lf.Issued)
	expires, okExpires := parseDay(lf.Expires)
	switch {
	case !okIssued || issued.IsZero():
		e["issued"] = "monitoring.bad_date"
	case !okExpires || expires.IsZero() || expires.Before(issued):
		e["expires"] = "monitoring.bad_expires"
	}
	limits := map[string]int{}
	for _, part := range splitComma(lf.Limits) {
		i := strings.IndexAny(part, "=:")
		if i < 0 {
			e["limits"] = "monitoring.bad_limits"
			break
		}
		name := s.limitName(part[:i])
		n, err := strconv.Atoi(strings.TrimSpace(part[i+1:]))
		if name == "" || err != nil || !validLimit(n) {
			e["limits"] = "monitoring.bad_limits"
			break
		}
		limits[name] = n
	}
	if len(e) > 0 {
		return s.renderAdminMonitoring(c, fiber.StatusUnprocessableEntity, co, newMonitorForm(), lf)
	}
	err = s.store.SaveLicense(c.UserContext(), s.actor(c), db.License{CompanyID: co.ID, Key: lf.Key, Product: lf.Product,
		IssuedOn: issued, ExpiresOn: expires, Limits: limits, Modules: splitComma(lf.Modules)})
	if err != nil {
		return err
	}
	s.setFlash(c, "monitoring.license_saved")
	return c.Redirect(fmt.Sprintf("/admin/companies/%d/monitoring#licenses", co.ID), fiber.StatusSeeOther)
}

// knownLimits are the license limits with a name in the catalogs ("monitoring.limit_operators").
var knownLimits = []string{"operators", "drivers", "cars"}

// limitName is the limit a typed name stands for: «Операторов», «operators»
// and «Operators» are all "operators"; an unknown name stays as typed.
func (s *Server) limitName(typed string) string {
	typed = strings.TrimSpace(typed)
	for _, name := range knownLimits {
		if strings.EqualFold(typed, name) {
			return name
		}
		for _, lang := range views.Languages {
			if strings.EqualFold(typed, s.catalogs.Get(lang).T("monitoring.limit_"+name)) {
				return name
			}
		}
	}
	return typed
}

// splitComma splits a comma-separated list, dropping empty items.
func splitComma(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
