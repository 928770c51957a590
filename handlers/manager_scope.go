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
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Del("manager")
	all := c.Path()
	if args.Len() > 0 {
		all += "?" + args.String()
	}
	return &managerScope{ID: id, Mark: p.T("home.manager_scope", u.Name), All: all, AllLabel: p.T("home.all_companies")}, nil
}

// managerID is the scope's manager, 0 for every company.
func (m *managerScope) managerID() int64 {
	if m == nil {
		return 0
	}
	return m.ID
}
