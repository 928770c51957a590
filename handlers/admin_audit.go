package handlers

import (
	"github.com/gofiber/fiber/v2"

	"elk/db"
)

const auditPageSize = 50

// auditPage is the audit log, newest first, a page at a time.
type auditPage struct {
	*Page
	Entries []db.AuditEntry
	Next    int // offset of the next page; 0 when this is the last
}

func (s *Server) listAudit(c *fiber.Ctx) error {
	offset := max(c.QueryInt("offset"), 0)
	entries, more, err := s.store.ListAudit(c.UserContext(), db.AuditFilter{}, offset, auditPageSize)
	if err != nil {
		return err
	}
	p := s.page(c, "audit", "admin.audit")
	data := auditPage{Page: p, Entries: entries}
	if more {
		data.Next = offset + auditPageSize
	}
	if wantsFragment(c, "audit-more") {
		return fragment(c, "admin/audit_rows", data)
	}
	return render(c, fiber.StatusOK, "admin/audit", p, data)
}
