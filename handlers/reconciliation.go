package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/views/pdf"
)

// maxReconciliationYears bounds the period of an акт сверки: five years is
// the least time accounting records are kept (402-ФЗ art. 29), beyond
// which neither side could check the figures.
const maxReconciliationYears = 5

// reconciliationForm is the period of an акт сверки as typed, and what is
// wrong with it.
type reconciliationForm struct {
	Action string // the PDF's URL, which the form GETs
	dayRange
	NewTab bool // the PDF opens beside the page the form is on
}

// reconciliationPart is the form with the page it is on, as
// partials/reconciliation_form takes it.
type reconciliationPart struct {
	*Page
	Form reconciliationForm
}

// reconciliationPage answers a period that cannot be used: the form again,
// as typed, with what is wrong, and the way back to where it was sent from.
type reconciliationPage struct {
	*Page
	Back           string
	BackLabel      string
	Reconciliation reconciliationPart
}

// newReconciliationPart is the form as a page first shows it: the current
// year so far, the vendor's calendar dating the documents it lists.
func (s *Server) newReconciliationPart(p *Page, action string) reconciliationPart {
	return reconciliationPart{Page: p, Form: reconciliationForm{Action: action,
		dayRange: yearSoFar(db.Today(s.store.Now(), db.VendorLocation)), NewTab: true}}
}

// parseReconciliationForm reads the period, which may not end after
// today, since the statement reports operations already made, nor span
// maxReconciliationYears.
func parseReconciliationForm(c *fiber.Ctx, action string, today time.Time) reconciliationForm {
	f := reconciliationForm{Action: action, dayRange: parseDayRange(c)}
	switch {
	case len(f.Errors) > 0:
	case f.to.After(today):
		f.Errors["to"] = "reconciliation.future"
	case f.spans(maxReconciliationYears):
		f.Errors["from"] = "reconciliation.too_long"
	}
	return f
}

// reconciliationPlace is where a period's form is: the tab, the page and
// its name (a translation key), and the PDF's URL.
type reconciliationPlace struct{ tab, page, pageName, action string }

// reconciliationPDF is the client's акт сверки with the vendor.
func (s *Server) reconciliationPDF(c *fiber.Ctx) error {
	return s.sendReconciliation(c, state(c).company.ID,
		reconciliationPlace{"documents", "/documents", "documents.title", "/documents/reconciliation.pdf"})
}

// adminReconciliationPDF is a company's акт сверки for the vendor's staff.
func (s *Server) adminReconciliationPDF(c *fiber.Ctx) error {
	co, err := s.companyParam(c)
	if err != nil {
		return err
	}
	page := "/admin/companies/" + strconv.FormatInt(co.ID, 10)
	return s.sendReconciliation(c, co.ID, reconciliationPlace{"companies", page, "reconciliation.company", page + "/reconciliation.pdf"})
}

// sendReconciliation answers with the акт сверки of a company for the
// period asked, or with the period's form again (422) when it cannot be
// used.
func (s *Server) sendReconciliation(c *fiber.Ctx, companyID int64, at reconciliationPlace) error {
	form := parseReconciliationForm(c, at.action, db.Today(s.store.Now(), db.VendorLocation))
	if len(form.Errors) > 0 {
		p := s.page(c, at.tab, "reconciliation.title")
		return s.render(c, fiber.StatusUnprocessableEntity, "documents/reconciliation", p, reconciliationPage{Page: p,
			Back: at.page, BackLabel: p.T(at.pageName), Reconciliation: reconciliationPart{Page: p, Form: form}})
	}
	r, err := s.store.Reconciliation(c.UserContext(), companyID, form.from, form.to)
	if err != nil {
		return err
	}
	b, err := pdf.Reconciliation(r)
	if err != nil {
		return err
	}
	period := form.from.Format("02.01.2006") + "–" + form.to.Format("02.01.2006")
	return sendPDF(c, b, "Акт сверки "+r.Buyer.Name+" "+period, "reconciliation-"+form.From+"-"+form.To)
}
