package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// managerScope is the manager whose companies a back-office list shows
// (&manager=, as the home's figures link), named above the list with a link
// to the same list over every company (partials/manager_scope).
type managerScope struct {
	ID       int64
	Mark     string // «Компании менеджера …»
	All      string // the same list without the manager
	AllLabel string
}

// managerScopeOf reads &manager=: absent, every company (nil); a staff
// user's id, their companies; anything else is not a list there is (404),
// rather than an empty list or every company passed off as theirs.
func (s *Server) managerScopeOf(c *fiber.Ctx, p *Page) (*managerScope, error) {
	v := c.Query("manager")
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, fiber.ErrNotFound
	}
	u, err := s.store.UserByID(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if !u.IsStaff() {
		return nil, fiber.ErrNotFound
	}
	return &managerScope{ID: id, Mark: p.T("home.manager_scope", u.Name), All: urlWithout(c, "manager"), AllLabel: p.T("home.all_companies")}, nil
}

// urlWithout is the request's path and query less one parameter: the link
// that takes a filter off.
func urlWithout(c *fiber.Ctx, name string) string {
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Del(name)
	if args.Len() == 0 {
		return c.Path()
	}
	return c.Path() + "?" + args.String()
}

// managerID is the scope's manager, 0 for every company.
func (m *managerScope) managerID() int64 {
	if m == nil {
		return 0
	}
	return m.ID
}
