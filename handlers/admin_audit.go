package handlers

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

const auditPageSize = 50

// auditPage is the audit log, newest first, a page at a time, optionally
// narrowed to one company or one login.
type auditPage struct {
	*Page
	Entries   []db.AuditEntry
	Companies []db.Company
	Filter    db.AuditFilter
	NextURL   string // the next page with the same filter; empty on the last page
}

func (s *Server) listAudit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	offset := max(c.QueryInt("offset"), 0)
	f := db.AuditFilter{CompanyID: int64(max(c.QueryInt("company"), 0)), Login: clone(cleanText(c.Query("login")))}
	entries, more, err := s.store.ListAudit(ctx, f, offset, auditPageSize)
	if err != nil {
		return err
	}
	p := s.page(c, "audit", "admin.audit")
	data := auditPage{Page: p, Entries: entries, Filter: f}
	if more {
		q := url.Values{"offset": {strconv.Itoa(offset + auditPageSize)}}
		if f.CompanyID != 0 {
			q.Set("company", strconv.FormatInt(f.CompanyID, 10))
		}
		if f.Login != "" {
			q.Set("login", f.Login)
		}
		data.NextURL = "/admin/audit?" + q.Encode()
	}
	whole := func() error {
		if data.Companies, err = s.store.ListCompanies(ctx, ""); err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "admin/audit", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"audit-more", "admin/audit_rows", data})
}
