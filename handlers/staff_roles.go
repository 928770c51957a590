package handlers

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// The back office's roles that may change things; routes.go names, route
// by route, which of them may.
var (
	editorRoles = []string{db.RoleAdmin, db.RoleManager}
	moneyRoles  = []string{db.RoleAdmin, db.RoleManager, db.RoleAccountant}
	// bookRoles load bank statements: one statement pays invoices of every
	// company, so it is not a manager's.
	bookRoles = []string{db.RoleAdmin, db.RoleAccountant}
)

// canEdit: admins and managers change what is the vendor's as a whole
// (tariffs, news, the outbox) and may add companies.
func canEdit(u *db.User) bool { return slices.Contains(editorRoles, u.Role) }

// canHandleMoney: admins, managers and accountants issue invoices, record
// payments and cancel invoices.
func canHandleMoney(u *db.User) bool { return slices.Contains(moneyRoles, u.Role) }

// mayChange reports whether staff user u may make a change open to roles
// to a company managed by managerID: a manager only to the companies
// assigned to them, admins and accountants to any.
func mayChange(u *db.User, roles []string, managerID int64) bool {
	return slices.Contains(roles, u.Role) && (u.Role != db.RoleManager || managerID == u.ID)
}

// companyWrite admits staff with one of roles to change the object of kind
// that the URL's :id names, once it is found: a manager only when its
// company is assigned to them. Whatever the object (a user, a service, an
// invoice…), its company is read from the database, never from the form.
func (s *Server) companyWrite(roles []string, kind db.Owned) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := state(c).user
		if !slices.Contains(roles, u.Role) {
			return fiber.NewError(fiber.StatusForbidden, "error.forbidden")
		}
		id, err := idParam(c)
		if err != nil {
			return err
		}
		owner, err := s.store.CompanyOf(c.UserContext(), kind, id)
		if err != nil {
			return err
		}
		if !mayChange(u, roles, owner.ManagerID) {
			return fiber.NewError(fiber.StatusForbidden, notYoursMessage(owner))
		}
		return c.Next()
	}
}

// notYoursMessage says why a manager may not change an object of owner's.
func notYoursMessage(owner db.Owner) string {
	switch {
	case owner.CompanyID == 0:
		return "error.forbidden" // a staff account: the admins'
	case owner.ManagerID == 0:
		return "error.company_unassigned"
	}
	return "error.not_your_company"
}

// mayAssignManager: only admins choose whom a company is assigned to, so
// that no manager takes a company over.
func mayAssignManager(u *db.User) bool { return u.Role == db.RoleAdmin }
