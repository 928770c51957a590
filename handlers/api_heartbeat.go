package handlers

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// heartbeat is the body of POST /api/v1/heartbeat: the push monitor's name
// (not needed on its secret URL), and optionally the server's version and
// license key.
type heartbeat struct {
	Monitor string `json:"monitor"`
	Version string `json:"version"`
	License *struct {
		Key     string         `json:"key"`
		Product string         `json:"product"`
		Issued  string         `json:"issued"`
		Expires string         `json:"expires"`
		Limits  map[string]int `json:"limits"`
		Modules []string       `json:"modules"`
	} `json:"license"`
}

// tokenHeartbeat takes a heartbeat from a server with the company's token.
func (s *Server) tokenHeartbeat(c *fiber.Ctx) error {
	return s.takeHeartbeat(c, apiCompany(c), "")
}

// secretHeartbeat takes a heartbeat on a monitor's own secret URL, for a
// server that has no token.
func (s *Server) secretHeartbeat(c *fiber.Ctx) error {
	return s.takeHeartbeat(c, 0, clone(c.Params("secret")))
}

func (s *Server) takeHeartbeat(c *fiber.Ctx, companyID int64, secret string) error {
	var hb heartbeat
	if body := c.Body(); len(body) > 0 {
		if err := json.Unmarshal(body, &hb); err != nil {
			return apiFail(fiber.StatusBadRequest, "", "the body is not valid JSON: %v", err)
		}
	}
	if secret == "" && (hb.Monitor == "" || len(hb.Monitor) > 100) {
		return apiFail(fiber.StatusBadRequest, "monitor", "monitor: the push monitor's name is required")
	}
	if len(hb.Version) > 100 {
		return apiFail(fiber.StatusBadRequest, "version", "version: at most 100 characters")
	}
	var lic *db.License
	if l := hb.License; l != nil {
		issued, errIssued := time.Parse(time.DateOnly, l.Issued)
		expires, errExpires := time.Parse(time.DateOnly, l.Expires)
		switch {
		case l.Key == "" || len(l.Key) > 200:
			return apiFail(fiber.StatusBadRequest, "license.key", "license.key: required, at most 200 characters")
		case l.Product == "" || len(l.Product) > 100:
			return apiFail(fiber.StatusBadRequest, "license.product", "license.product: required, at most 100 characters")
		case errIssued != nil:
			return apiFail(fiber.StatusBadRequest, "license.issued", "license.issued: a date YYYY-MM-DD is required")
		case errExpires != nil || expires.Before(issued):
			return apiFail(fiber.StatusBadRequest, "license.expires", "license.expires: a date YYYY-MM-DD, not before issued, is required")
		case len(l.Limits) > 20 || len(l.Modules) > 50:
			return apiFail(fiber.StatusBadRequest, "license", "license: at most 20 limits and 50 modules")
		}
		lic = &db.License{Key: l.Key, Product: l.Product, IssuedOn: issued, ExpiresOn: expires, Limits: l.Limits, Modules: l.Modules}
	}
	var m db.Monitor
	var err error
	if secret != "" {
		m, err = s.store.HeartbeatBySecret(c.UserContext(), secret, hb.Version, lic)
	} else {
		m, err = s.store.Heartbeat(c.UserContext(), companyID, hb.Monitor, hb.Version, lic)
	}
	if errors.Is(err, db.ErrNotFound) && secret != "" {
		return apiFail(fiber.StatusNotFound, "monitor", "no active push monitor at this address")
	}
	if errors.Is(err, db.ErrNotFound) {
		return apiFail(fiber.StatusNotFound, "monitor", "no active push monitor of that name for this company")
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"monitor": m.Name, "interval_seconds": int(m.Interval / time.Second)})
}
