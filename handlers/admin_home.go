package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// adminHomePage is the back office's home: what a manager works through
// each morning, each figure a link to the list behind it.
type adminHomePage struct {
	*Page
	Scope       homeScope
	Figures     []homeFigure
	LowBalances lowBalanceTable
	LowMore     string // the link to the whole list when the home shows part of it
	SMSChart    *smsChart
	Payments    *barChart
}

// homeScope is whose companies the figures count: a manager's own by
// default, all with ?scope=all.
type homeScope struct {
	Mine      bool
	Switch    bool   // a manager, offered both
	ManagerID int64  // 0 for all
	Query     string // what each link adds to keep the scope: "&manager=7"
}

// homeFigure is one figure of the home, with the list behind it.
type homeFigure struct {
	ID    string
	Title string
	Value string
	Note  string
	URL   string
	Alert bool // asks for action: shown in the warning colour
}

// homeLowRows is how many of the companies running out the home lists.
const homeLowRows = 10

// scopeOf reads the scope: managers see their own companies unless they
// ask for all; the rest of the staff see all.
func scopeOf(c *fiber.Ctx, u *db.User) homeScope {
	manager := u.Role == db.RoleManager
	mine := manager && c.Query("scope") != "all"
	if !mine {
		return homeScope{Switch: manager}
	}
	return homeScope{Mine: true, Switch: true, ManagerID: u.ID, Query: "&manager=" + strconv.FormatInt(u.ID, 10)}
}

func (s *Server) adminHome(c *fiber.Ctx) error {
	u := state(c).user
	scope := scopeOf(c, u)
	d, err := s.store.Dashboard(c.UserContext(), scope.ManagerID)
	if err != nil {
		return err
	}
	p := s.page(c, "home", "home.title")
	today := db.Today(s.store.Now(), db.VendorLocation)
	data := adminHomePage{Page: p, Scope: scope, Figures: homeFigures(p, d, scope, s.store.Now()),
		SMSChart: newSMSChart(p, d.SMSDays, today.AddDate(0, 0, 1-db.DashboardSMSDays), today),
		Payments: newPaymentsChart(p, d.Payments, today)}
	low := d.LowBalances
	if len(low) > homeLowRows {
		data.LowMore = lowBalancesURL(scope)
		low = low[:homeLowRows]
	}
	data.LowBalances = newLowBalanceTable(p, low)
	return s.render(c, fiber.StatusOK, "admin/home", p, data)
}

func lowBalancesURL(scope homeScope) string { return "/admin/companies?balance=low" + scope.Query }

// homeFigures lays the figures out in the order a manager acts on them:
// money first, then support, then servers.
func homeFigures(p *Page, d db.Dashboard, scope homeScope, now time.Time) []homeFigure {
	t := d.Tickets
	waited := p.T("home.nobody_waits")
	if t.WaitingSince != nil {
		waited = p.T("home.longest_wait", p.Duration(now.Sub(*t.WaitingSince)))
	}
	response, responseNote := "—", p.T("home.no_answers", db.FirstResponseDays)
	if t.FirstResponse != nil {
		response, responseNote = p.Duration(*t.FirstResponse), p.T("home.first_response_note", db.FirstResponseDays, p.N("home.tickets", t.Answered))
	}
	q := scope.Query
	return []homeFigure{
		{ID: "low-balances", Title: p.T("home.low_balances", db.LowBalanceDays), Value: p.Count(len(d.LowBalances)),
			Note: p.T("home.low_balances_note"), URL: lowBalancesURL(scope), Alert: len(d.LowBalances) > 0},
		{ID: "unpaid", Title: p.T("home.unpaid"), Value: p.Count(d.Unpaid.Count), Note: d.Unpaid.Due.String(),
			URL: "/admin/invoices?status=" + db.InvoiceUnpaid + q},
		{ID: "overdue", Title: p.T("home.overdue"), Value: p.Count(d.Overdue.Count), Note: d.Overdue.Due.String(),
			URL: "/admin/invoices?overdue=1" + q, Alert: d.Overdue.Count > 0},
		{ID: "waiting", Title: p.T("home.waiting"), Value: p.Count(t.Waiting), Note: waited,
			URL: "/admin/tickets?waiting=1" + q, Alert: t.Waiting > 0},
		{ID: "first-response", Title: p.T("home.first_response"), Value: response, Note: responseNote,
			URL: "/admin/tickets?status=all&first_response=1" + q},
		{ID: "monitors-down", Title: p.T("home.monitors_down"), Value: p.Count(d.MonitorsDown), Note: p.T("home.monitors_down_note"),
			URL: "/admin/monitors?state=down" + q, Alert: d.MonitorsDown > 0},
		{ID: "licenses", Title: p.T("home.licenses", db.LicenseWarnWithin), Value: p.Count(d.LicensesExpiring),
			Note: p.T("home.licenses_note"), URL: "/admin/licenses?within=" + strconv.Itoa(db.LicenseWarnWithin) + q, Alert: d.LicensesExpiring > 0},
	}
}
