package handlers

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/auth"
)

// usersPage is the Пользователи tab.
type usersPage struct {
	*Page
	Users     userTable
	CanManage bool
	Form      userFormData
	Created   *shownSecret
}

// newPassword is a secret shown once: a user's password after it was created
// or reset, or an API token.
type newPassword struct {
	Login    string
	Password string // empty when the password was chosen, not generated
	Note     string // translation key, formatted with the login
	Hint     string // translation key of the advice under it; the password one when empty
}

// shownSecret is what partials/new_password takes: the secret in the page's language.
type shownSecret struct {
	*Page
	Note     string
	Password string
	Hint     string
}

// showSecret prepares a secret for the page, or nil when there is none.
func showSecret(p *Page, n *newPassword) *shownSecret {
	if n == nil {
		return nil
	}
	hint := n.Hint
	if hint == "" {
		hint = "users.password_once"
	}
	return &shownSecret{Page: p, Note: p.T(n.Note, n.Login), Password: n.Password, Hint: p.T(hint)}
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	return s.renderUsers(c, fiber.StatusOK, userForm{Role: db.RoleDispatcher}, nil)
}

func (s *Server) renderUsers(c *fiber.Ctx, status int, form userForm, created *newPassword) error {
	st := state(c)
	users, err := s.store.CompanyUsers(c.UserContext(), st.company.ID)
	if err != nil {
		return err
	}
	p := s.page(c, "users", "users.title")
	p.Path = "/users"
	owner := st.user.Role == db.RoleOwner
	return s.render(c, status, "users/list", p, usersPage{
		Page: p, Users: newUserTable(p, users, userActions{Prefix: "/users", Manage: owner, Reset: owner}), CanManage: owner,
		Form: userFormData{Page: p, Action: "/users", Roles: db.ClientRoles, Form: form}, Created: showSecret(p, created),
	})
}

// createUser adds a user to the owner's company, with the password the owner
// chose or a generated one shown once.
func (s *Server) createUser(c *fiber.Ctx) error {
	form := parseUserForm(c, db.ClientRoles)
	created, err := s.createFromForm(c, &form, state(c).company.ID)
	if err != nil {
		return err
	}
	if created == nil {
		return s.renderUsers(c, fiber.StatusUnprocessableEntity, form, nil)
	}
	return s.renderUsers(c, fiber.StatusOK, userForm{Role: db.RoleDispatcher}, created)
}

func (s *Server) disableUser(c *fiber.Ctx) error { return s.setCompanyUserDisabled(c, true) }
func (s *Server) enableUser(c *fiber.Ctx) error  { return s.setCompanyUserDisabled(c, false) }

// setCompanyUserDisabled looks the user up within the owner's company only:
// another company's user id is a 404.
func (s *Server) setCompanyUserDisabled(c *fiber.Ctx, disabled bool) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := s.store.CompanyUser(c.UserContext(), state(c).company.ID, id)
	if err != nil {
		return err
	}
	if err := s.applyDisabled(c, u, disabled); err != nil {
		return err
	}
	return c.Redirect("/users", fiber.StatusSeeOther)
}

// resetCompanyUserPassword gives a user of the owner's company a new
// generated password, shown once: the way back in for one who forgot it.
func (s *Server) resetCompanyUserPassword(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u, err := s.store.CompanyUser(c.UserContext(), state(c).company.ID, id)
	if err != nil {
		return err
	}
	created, err := s.resetPasswordOf(c, u)
	if err != nil || created == nil {
		return err
	}
	return s.renderUsers(c, fiber.StatusOK, userForm{Role: db.RoleDispatcher}, created)
}

// resetPasswordOf sets a generated password and ends the user's sessions. One's
// own password is changed on the profile page, knowing the current one: then
// it returns nil after sending the browser there.
func (s *Server) resetPasswordOf(c *fiber.Ctx, u db.User) (*newPassword, error) {
	if u.ID == state(c).user.ID {
		s.setFailedFlash(c, db.ErrResetSelf.Error())
		return nil, c.Redirect("/account#password", fiber.StatusSeeOther)
	}
	password := auth.GeneratePassword()
	if err := s.store.SetPassword(c.UserContext(), s.actor(c), u, password, db.AuditPasswordReset); err != nil {
		return nil, err
	}
	return &newPassword{Login: u.Login, Password: password, Note: "users.password_reset"}, nil
}

// applyDisabled changes the user and leaves the outcome as a flash message.
func (s *Server) applyDisabled(c *fiber.Ctx, u db.User, disabled bool) error {
	err := s.store.SetUserDisabled(c.UserContext(), s.actor(c), u, disabled)
	for _, refusal := range []error{db.ErrLastOwner, db.ErrLastAdmin, db.ErrDisableSelf} {
		if errors.Is(err, refusal) {
			s.setFailedFlash(c, refusal.Error())
			return nil
		}
	}
	if err != nil {
		return err
	}
	if disabled {
		s.setFlash(c, "users.disabled_done")
	} else {
		s.setFlash(c, "users.enabled_done")
	}
	return nil
}

// userFormData is what partials/user_form takes: the form that adds a user.
type userFormData struct {
	*Page
	Action string
	Prefix string // for its ids when the page has another form with the same fields
	Roles  []string
	Form   userForm
}

// userForm is the add-user form as typed.
type userForm struct {
	Name     string
	Login    string
	Role     string
	Email    string
	Phone    string
	Password string
	Errors   Errors
}

func parseUserForm(c *fiber.Ctx, roles []string) userForm {
	in := readForm(c)
	f := userForm{
		Name:     in.text("name"),
		Login:    db.NormalizeLogin(c.FormValue("login")),
		Role:     c.FormValue("role"),
		Email:    in.text("email"),
		Phone:    in.text("phone"),
		Password: c.FormValue("password"),
		Errors:   in.Errors,
	}
	f.Errors.checkText("name", f.Name, true, 100)
	switch {
	case f.Login == "":
		f.Errors["login"] = "form.required"
	case !loginPattern.MatchString(f.Login):
		f.Errors["login"] = "users.bad_login"
	}
	if !slices.Contains(roles, f.Role) {
		f.Errors["role"] = "users.bad_role"
		f.Role = roles[len(roles)-1]
	}
	f.Email, f.Phone = f.Errors.optionalContacts(f.Email, f.Phone)
	// Fiber reuses the request's memory: keep copies, never the originals.
	f.Name, f.Login, f.Role, f.Password = clone(f.Name), clone(f.Login), clone(f.Role), clone(f.Password)
	f.Email, f.Phone = clone(f.Email), clone(f.Phone)
	return f
}

// createFromForm creates the user a valid add-user form describes (staff when
// companyID is 0), generating a password when none was chosen. It returns
// what to show once, or nil with the form's errors set.
func (s *Server) createFromForm(c *fiber.Ctx, f *userForm, companyID int64) (*newPassword, error) {
	if f.Password != "" {
		refused, err := s.checkNewPassword(c.UserContext(), f.Password, companyID, f.Login, f.Name, f.Email)
		if err != nil {
			return nil, err
		}
		if refused != "" {
			f.Errors["password"] = refused
		}
	}
	if len(f.Errors) > 0 {
		return nil, nil
	}
	created := &newPassword{Login: f.Login, Note: "users.created"}
	password := f.Password
	if password == "" {
		password = auth.GeneratePassword()
		created.Password = password
	}
	_, err := s.store.CreateUser(c.UserContext(), s.actor(c), db.NewUser{
		CompanyID: companyID, Login: f.Login, Name: f.Name, Role: f.Role, Email: f.Email, Phone: f.Phone,
		Password: password,
	})
	if errors.Is(err, db.ErrLoginTaken) {
		f.Errors["login"] = db.ErrLoginTaken.Error()
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return created, nil
}

// idParam reads the :id URL parameter; anything but a positive number is a 404.
func idParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

func clone(s string) string { return string([]byte(s)) }
