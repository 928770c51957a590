package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// lowBalanceTable lists companies whose SMS balance is spent or runs out
// within db.LowBalanceDays (admin/low_balance_table), on the home and on
// the companies list filtered ?balance=low.
type lowBalanceTable struct {
	*Page
	Rows []lowBalanceRow
}

// lowBalanceRow is one company running out, ready to print.
type lowBalanceRow struct {
	CompanyURL string
	Company    string
	ServiceURL string
	Balance    string
	DailySpend string // "" when nothing was spent lately
	DaysLeft   string // «3 дня», «меньше дня», «исчерпан»
	Spent      bool   // the balance is at or below zero
}

func newLowBalanceTable(p *Page, low []db.LowBalance) lowBalanceTable {
	t := lowBalanceTable{Page: p, Rows: make([]lowBalanceRow, len(low))}
	for i, l := range low {
		r := lowBalanceRow{CompanyURL: "/admin/companies/" + strconv.FormatInt(l.CompanyID, 10), Company: l.CompanyName,
			ServiceURL: "/admin/services/" + strconv.FormatInt(l.CompanyServiceID, 10), Balance: l.Balance.String(), Spent: l.Balance <= 0}
		f := l.Forecast
		if f.DaysLeft != nil {
			r.DailySpend = f.DailySpend.String()
		}
		switch {
		case r.Spent:
			r.DaysLeft = p.T("home.spent")
		case *f.DaysLeft == 0:
			r.DaysLeft = p.T("home.under_a_day")
		default:
			r.DaysLeft = p.N("home.days", *f.DaysLeft)
		}
		t.Rows[i] = r
	}
	return t
}

// lowBalancesPage is the companies list filtered to those running out.
type lowBalancesPage struct {
	*Page
	Table lowBalanceTable
	Scope *managerScope
}

// listLowBalances is /admin/companies?balance=low, of one manager's
// companies with &manager=.
func (s *Server) listLowBalances(c *fiber.Ctx) error {
	p := s.page(c, "companies", "home.low_balances_title")
	scope, err := s.managerScopeOf(c, p)
	if err != nil {
		return err
	}
	low, err := s.store.LowBalances(c.UserContext(), scope.managerID())
	if err != nil {
		return err
	}
	data := lowBalancesPage{Page: p, Table: newLowBalanceTable(p, low), Scope: scope}
	return s.render(c, fiber.StatusOK, "admin/low_balances", p, data)
}
