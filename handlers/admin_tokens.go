package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// createAPIToken makes a token for the company's servers and shows it once.
func (s *Server) createAPIToken(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	in := readForm(c)
	name := in.text("name")
	problem := ""
	switch {
	case in.Errors["name"] != "":
		problem = "tokens.bad_chars"
	case name == "" || len([]rune(name)) > 100:
		problem = "tokens.bad_name"
	}
	if problem != "" {
		s.setFailedFlash(c, problem)
		return c.Redirect("/admin/companies/"+strconv.FormatInt(co.ID, 10)+"#tokens", fiber.StatusSeeOther)
	}
	token, err := s.store.CreateAPIToken(c.UserContext(), s.actor(c), co.ID, name)
	if err != nil {
		return err
	}
	shown := &newPassword{Login: name, Password: token, Note: "tokens.created", Hint: "tokens.once"}
	return s.renderAdminCompany(c, fiber.StatusOK, co, companyFormOf(co), userForm{Role: db.RoleDispatcher}, shown)
}

// revokeAPIToken stops a token from working at once.
func (s *Server) revokeAPIToken(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	companyID, err := s.store.RevokeAPIToken(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	s.setFlash(c, "tokens.revoked")
	return c.Redirect("/admin/companies/"+strconv.FormatInt(companyID, 10)+"#tokens", fiber.StatusSeeOther)
}
