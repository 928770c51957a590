package handlers

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// heartbeat is the body of POST /api/v1/heartbeat: the push monitor's name
// (not needed on its secret URL), and optionally the server's version and
// license. The license is read apart (see licenseOf): a bad one must not
// cost the heartbeat.
type heartbeat struct {
	Monitor string          `json:"monitor"`
	Version string          `json:"version"`
	License json.RawMessage `json:"license"`
}

// heartbeatLicense is the license a heartbeat reports.
type heartbeatLicense struct {
	Key     string         `json:"key"`
	Product string         `json:"product"`
	Issued  string         `json:"issued"`
	Expires string         `json:"expires"`
	Limits  map[string]int `json:"limits"`
	Modules []string       `json:"modules"`
}

// heartbeatAnswer is the answer to a recorded heartbeat. LicenseRefused
// names the field of the license that kept it from being stored, and why.
type heartbeatAnswer struct {
	Monitor         string    `json:"monitor"`
	IntervalSeconds int       `json:"interval_seconds"`
	LicenseRefused  *apiError `json:"license_refused,omitempty"`
}

// tokenHeartbeat takes a heartbeat from a server with the company's token.
func (s *Server) tokenHeartbeat(c *fiber.Ctx) error {
	return s.takeHeartbeat(c, apiCompany(c), "")
}

// secretHeartbeat takes a heartbeat on a monitor's own secret URL, for a
// server that has no token.
// The secret is its credential: a wrong one counts as a failed
// authentication of the address, as a wrong token does.
func (s *Server) secretHeartbeat(c *fiber.Ctx) error {
	ip := s.clientIP(c)
	if s.apiFailures.blocked(ip, time.Now()) {
		return errAuthFailures()
	}
	secret := clone(c.Params("secret"))
	if err := apiText("secret", secret, true, maxPushSecret); err != nil {
		return err
	}
	err := s.takeHeartbeat(c, 0, secret)
	if errors.Is(err, errUnknownSecret) {
		s.apiFailures.fail(ip, time.Now())
	}
	return err
}

var errUnknownSecret = apiFail(fiber.StatusNotFound, "monitor", "no active push monitor at this address")

func (s *Server) takeHeartbeat(c *fiber.Ctx, companyID int64, secret string) error {
	var hb heartbeat
	if body := c.Body(); len(body) > 0 {
		if err := json.Unmarshal(body, &hb); err != nil {
			return jsonFail(err, "")
		}
	}
	if err := cmp.Or(apiText("monitor", hb.Monitor, secret == "", maxMonitorName), apiText("version", hb.Version, false, maxVersion)); err != nil {
		return err
	}
	if len(hb.License) > 0 && hb.License[0] != '{' && string(hb.License) != "null" {
		return apiFail(fiber.StatusBadRequest, "license", "license: wrong type")
	}
	lic, refused := licenseOf(hb.License)
	var beat db.HeartbeatResult
	var err error
	if secret != "" {
		beat, err = s.store.HeartbeatBySecret(c.UserContext(), secret, hb.Version, lic)
	} else {
		beat, err = s.store.Heartbeat(c.UserContext(), companyID, hb.Monitor, hb.Version, lic)
	}
	switch {
	case errors.Is(err, db.ErrNotFound) && secret != "":
		return errUnknownSecret
	case errors.Is(err, db.ErrNotFound):
		return apiFail(fiber.StatusNotFound, "monitor", "no active push monitor of that name for this company")
	case err != nil:
		return err
	case errors.Is(beat.LicenseErr, db.ErrTooManyLicenseKeys):
		refused = apiFail(fiber.StatusTooManyRequests, "license.key",
			"license.key: this monitor has reported %d different license keys in the last 24 hours, the most it may", db.LicenseKeysPerDay)
	}
	m := beat.Monitor
	return c.JSON(heartbeatAnswer{Monitor: m.Name, IntervalSeconds: int(m.Interval / time.Second), LicenseRefused: refused})
}

// jsonFail is the 400 for a body that does not decode, naming the field of
// the wrong type (under prefix) when there is one.
func jsonFail(err error, prefix string) *apiError {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		field := prefix + typeErr.Field
		return apiFail(fiber.StatusBadRequest, field, "%s: wrong type", field)
	}
	return apiFail(fiber.StatusBadRequest, "", "the body is not valid JSON: %v", err)
}

// licenseOf reads a heartbeat's license, a JSON object or nothing. A
// license that breaks a rule is refused (the refusal names the field) and
// not stored, while the heartbeat still is: its server is up, and a
// monitor gone down over its license would alarm the client for nothing.
func licenseOf(raw json.RawMessage) (*db.License, *apiError) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var hl heartbeatLicense
	if err := json.Unmarshal(raw, &hl); err != nil {
		return nil, jsonFail(err, "license.")
	}
	l, err := hl.check()
	if err != nil {
		refused := &apiError{Field: "license", Message: err.Error()}
		errors.As(err, &refused) // check's refusals name their field
		return nil, refused
	}
	return &l, nil
}

// check validates a reported license within the API's limits, naming the
// field at fault, and returns it as stored.
func (l *heartbeatLicense) check() (db.License, error) {
	err := cmp.Or(apiText("license.key", l.Key, true, maxLicenseKey), apiText("license.product", l.Product, true, maxProduct),
		apiText("license.issued", l.Issued, true, maxDateText), apiText("license.expires", l.Expires, true, maxDateText))
	if err != nil {
		return db.License{}, err
	}
	issued, errIssued := time.Parse(time.DateOnly, l.Issued)
	expires, errExpires := time.Parse(time.DateOnly, l.Expires)
	switch {
	case errIssued != nil:
		return db.License{}, apiFail(fiber.StatusBadRequest, "license.issued", "license.issued: a date YYYY-MM-DD is required")
	case errExpires != nil || expires.Before(issued):
		return db.License{}, apiFail(fiber.StatusBadRequest, "license.expires", "license.expires: a date YYYY-MM-DD, not before issued, is required")
	case len(l.Limits) > maxLicenseLimits:
		return db.License{}, apiFail(fiber.StatusBadRequest, "license.limits", "license.limits: at most %d, got %d", maxLicenseLimits, len(l.Limits))
	case len(l.Modules) > maxModules:
		return db.License{}, apiFail(fiber.StatusBadRequest, "license.modules", "license.modules: at most %d, got %d", maxModules, len(l.Modules))
	}
	// In order of name, so that the same body is always refused the same way.
	for _, name := range slices.Sorted(maps.Keys(l.Limits)) {
		if name == "" || utf8.RuneCountInString(name) > maxLimitName || hasControl(name, false) {
			return db.License{}, apiFail(fiber.StatusBadRequest, "license.limits", "license.limits: each name of 1 to %d characters, without control characters", maxLimitName)
		}
		if !validLimit(l.Limits[name]) {
			return db.License{}, apiFail(fiber.StatusBadRequest, "license.limits", "license.limits: each from 0 to %d, or %d for no limit", maxLimitValue, db.Unlimited)
		}
	}
	for i, module := range l.Modules {
		field := fmt.Sprintf("license.modules[%d]", i)
		if err := apiText(field, module, true, maxModuleName); err != nil {
			return db.License{}, err
		}
		// The modules are stored as one comma-separated list.
		if strings.Contains(module, ",") {
			return db.License{}, apiFail(fiber.StatusBadRequest, field, "%s: a comma is not allowed in a module's name", field)
		}
	}
	return db.License{Key: l.Key, Product: l.Product, IssuedOn: issued, ExpiresOn: expires, Limits: l.Limits, Modules: l.Modules}, nil
}
