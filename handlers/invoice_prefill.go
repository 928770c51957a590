package handlers

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// prefillInvoiceForm fills the new-invoice form from the address a
// low-balance alert links to (views.InvoiceFormLink): ?service_id= names one
// of the company's services — another's is a 404 like any object in the
// address —, ?tariff_id= one of its current tariffs and ?amount= the sum.
// Anything else is ignored, not shown: an unknown or retired tariff gives
// the service's current one, a bad amount the company's usual top-up; a
// service switched off since opens no form (on another service) but says so.
func (s *Server) prefillInvoiceForm(c *fiber.Ctx, f *invoiceForm) error {
	serviceID, err := strconv.ParseInt(c.Query("service_id"), 10, 64)
	if err != nil || !slices.ContainsFunc(f.connected, func(cs db.CompanyService) bool { return cs.ID == serviceID }) {
		return fiber.ErrNotFound
	}
	if i := slices.IndexFunc(f.connected, func(cs db.CompanyService) bool { return cs.ID == serviceID }); !f.connected[i].Active {
		f.switchedOff = f.connected[i].ServiceCode
		return nil
	}
	if err := s.choose(c, f, serviceID, 0, "", "service_id"); err != nil {
		return err
	}
	tariffID, _ := strconv.ParseInt(c.Query("tariff_id"), 10, 64)
	if j := slices.IndexFunc(f.Tariffs, func(t db.Tariff) bool { return t.ID == tariffID }); j >= 0 {
		f.TariffID, f.tariff = tariffID, &f.Tariffs[j]
	}
	k, err := money.ParseKopecks(strings.TrimSpace(c.Query("amount")))
	if err != nil || k <= 0 || k > db.MaxInvoiceAmount {
		// The full row: its balance, below zero, raises the top-up to the debt.
		cs, err := s.store.CompanyService(c.UserContext(), f.service.CompanyID, f.service.ID)
		if err != nil {
			return err
		}
		if f.tariff != nil {
			cs.Tariff = *f.tariff
		}
		if k, err = s.store.UsualTopUp(c.UserContext(), cs); err != nil {
			return err
		}
	}
	f.Amount, f.untouched = k.Format(), false
	return nil
}

// bookkeepersHint says, to a user whose role cannot issue invoices, who in
// the company can: the roles, and the names of its active users who have them.
func (s *Server) bookkeepersHint(c *fiber.Ctx, p *Page) (string, error) {
	users, err := s.store.CompanyUsers(c.UserContext(), state(c).company.ID)
	if err != nil {
		return "", err
	}
	var names []string
	for _, u := range users {
		if u.DisabledAt == nil && slices.Contains(bookkeeping, u.Role) {
			names = append(names, u.Name)
		}
	}
	if len(names) == 0 {
		return p.T("documents.ask_bookkeeper"), nil
	}
	return p.T("documents.ask_bookkeeper_named", strings.Join(names, ", ")), nil
}
