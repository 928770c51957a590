package handlers

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// The sets of a client company's roles that routes.go grants routes to
// (README.md, «Роли»).
var (
	everyClient = db.ClientRoles
	ownerOnly   = []string{db.RoleOwner}
	// bookkeeping is money: issuing and cancelling invoices, the
	// reconciliation act, the transactions.
	bookkeeping = []string{db.RoleOwner, db.RoleAccountant}
	// operations is the services' daily work: SMS, monitoring, tickets and
	// the one-off support request they use.
	operations = []string{db.RoleOwner, db.RoleDispatcher}
)

// clientAccess is, for each client route ("POST /documents"), the client
// roles that may call it.
type clientAccess map[string][]string

// clientRoutes registers a client company's routes, each with the client
// roles that may call it, and keeps that table: a page offers a tab, a
// button or a form only to whom its route admits.
type clientRoutes struct {
	s   *Server
	app *fiber.App
}

// get adds a page (HEAD too, as fiber's Get does).
func (r clientRoutes) get(path string, roles []string, h ...fiber.Handler) {
	r.s.clientAccess[fiber.MethodGet+" "+path] = roles
	r.app.Get(path, r.guarded(roles, h)...)
}

func (r clientRoutes) post(path string, roles []string, h ...fiber.Handler) {
	r.s.clientAccess[fiber.MethodPost+" "+path] = roles
	r.app.Post(path, r.guarded(roles, h)...)
}

func (r clientRoutes) guarded(roles []string, h []fiber.Handler) []fiber.Handler {
	return append([]fiber.Handler{r.s.requireClient, allowClients(roles)}, h...)
}

// allowClients admits a client company's users of the roles; the others
// are told their role does not allow it.
func allowClients(roles []string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !slices.Contains(roles, state(c).user.Role) {
			return fiber.NewError(fiber.StatusForbidden, "error.role_forbidden")
		}
		return c.Next()
	}
}

// May reports whether the page's user, of a client company, may call the
// client route ("POST /documents") — for the templates, which show a tab, a
// button or a form only then. A route that does not exist fails the page.
func (p *Page) May(route string) (bool, error) {
	roles, ok := p.access[route]
	if !ok {
		return false, fmt.Errorf("handlers: no client route %q", route)
	}
	return !p.Staff && slices.Contains(roles, p.User.Role), nil
}

// may is May for handlers: a route they name that does not exist is a
// mistake in the code.
func (p *Page) may(route string) bool {
	ok, err := p.May(route)
	if err != nil {
		panic(err)
	}
	return ok
}
