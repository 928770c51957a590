package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// staffPage is the back office's list of the vendor's staff.
type staffPage struct {
	*Page
	Users   userTable
	Form    userFormData
	Created *shownSecret
}

func (s *Server) listStaff(c *fiber.Ctx) error {
	return s.renderStaff(c, fiber.StatusOK, userForm{Role: db.RoleManager}, nil)
}

func (s *Server) renderStaff(c *fiber.Ctx, status int, form userForm, created *newPassword) error {
	users, err := s.store.StaffUsers(c.UserContext())
	if err != nil {
		return err
	}
	p := s.page(c, "staff", "admin.staff")
	p.Path = "/admin/staff"
	return s.render(c, status, "admin/staff", p, staffPage{Page: p,
		Users:   newUserTable(p, users, userActions{Prefix: "/admin/users", Manage: true, Reset: true, Sessions: true}),
		Form:    userFormData{Page: p, Action: "/admin/staff", Roles: db.StaffRoles, Form: form},
		Created: showSecret(p, created)})
}

func (s *Server) createStaff(c *fiber.Ctx) error {
	form := parseUserForm(c, db.StaffRoles)
	created, err := s.createFromForm(c, &form, 0)
	if err != nil {
		return err
	}
	if created == nil {
		return s.renderStaff(c, fiber.StatusUnprocessableEntity, form, nil)
	}
	return s.renderStaff(c, fiber.StatusOK, userForm{Role: db.RoleManager}, created)
}

// managedUser looks up the user an /admin/users/:id action is about. Only an
// admin may act on staff accounts; managers act on clients' users.
func (s *Server) managedUser(c *fiber.Ctx) (db.User, error) {
	id, err := idParam(c)
	if err != nil {
		return db.User{}, err
	}
	u, err := s.store.UserByID(c.UserContext(), id)
	if err != nil {
		return db.User{}, err
	}
	if u.IsStaff() && state(c).user.Role != db.RoleAdmin {
		return db.User{}, fiber.NewError(fiber.StatusForbidden, "error.forbidden")
	}
	return u, nil
}

// resetPassword gives a user a new generated password, shown once, and ends their sessions.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	created, err := s.resetPasswordOf(c, u)
	if err != nil || created == nil {
		return err
	}
	if u.IsStaff() {
		return s.renderStaff(c, fiber.StatusOK, userForm{Role: db.RoleManager}, created)
	}
	co, err := s.store.Company(c.UserContext(), u.CompanyID)
	if err != nil {
		return err
	}
	return s.renderAdminCompany(c, fiber.StatusOK, co, companyFormOf(co), userForm{Role: db.RoleDispatcher}, created)
}

func (s *Server) disableAnyUser(c *fiber.Ctx) error { return s.setAnyUserDisabled(c, true) }
func (s *Server) enableAnyUser(c *fiber.Ctx) error  { return s.setAnyUserDisabled(c, false) }

func (s *Server) setAnyUserDisabled(c *fiber.Ctx, disabled bool) error {
	u, err := s.managedUser(c)
	if err != nil {
		return err
	}
	if err := s.applyDisabled(c, u, disabled); err != nil {
		return err
	}
	if u.IsStaff() {
		return c.Redirect("/admin/staff", fiber.StatusSeeOther)
	}
	return c.Redirect("/admin/companies/"+strconv.FormatInt(u.CompanyID, 10)+"#users", fiber.StatusSeeOther)
}
