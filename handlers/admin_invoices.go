package handlers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

const invoicesPageSize = 200

// adminInvoicesPage is every company's invoices, newest first; those
// awaiting money oldest first.
type adminInvoicesPage struct {
	*Page
	Invoices  []adminInvoiceRow
	Companies []db.Company
	Statuses  []string
	Filter    db.InvoiceFilter
	Scope     *managerScope
	Shown     string        // «Показаны 200 из 209» when the list is cut, else ""
	Registry  *registryPart // the реестр документов's form, for those who handle money
	// Statements: the user may load bank statements.
	Statements bool
}

// adminInvoiceRow is an invoice of the list, marked when it is overdue.
type adminInvoiceRow struct {
	db.Invoice
	Overdue bool
}

// invoiceFilterStatuses are the statuses the list filters by: each one, and
// all those awaiting money together.
var invoiceFilterStatuses = append([]string{db.InvoiceUnpaid}, db.InvoiceStatuses...)

func (s *Server) listAdminInvoices(c *fiber.Ctx) error {
	p := s.page(c, "invoices", "invoices.title")
	scope, err := s.managerScopeOf(c, p)
	if err != nil {
		return err
	}
	f := db.InvoiceFilter{Status: pick(c.Query("status"), invoiceFilterStatuses), CompanyID: int64(max(c.QueryInt("company"), 0)),
		Number: clone(cleanText(c.Query("number"))), Overdue: c.Query("overdue") == "1", ManagerID: scope.managerID(), Limit: invoicesPageSize}
	list, err := s.store.ListInvoices(c.UserContext(), f)
	if err != nil {
		return err
	}
	vendor, err := s.store.Vendor(c.UserContext())
	if err != nil {
		return err
	}
	today := db.Today(s.store.Now(), db.VendorLocation)
	invoices := make([]adminInvoiceRow, len(list))
	for i, inv := range list {
		invoices[i] = adminInvoiceRow{Invoice: inv, Overdue: inv.Overdue(vendor, today)}
	}
	companies, err := s.store.ListCompanies(c.UserContext(), "")
	if err != nil {
		return err
	}
	data := adminInvoicesPage{Page: p, Invoices: invoices, Companies: companies, Statuses: invoiceFilterStatuses, Filter: f, Scope: scope}
	if len(list) == f.Limit {
		total, err := s.store.CountInvoices(c.UserContext(), f)
		if err != nil {
			return err
		}
		if total > len(list) {
			data.Shown = p.T("lists.shown", p.Count(len(list)), p.Count(total))
		}
	}
	if canHandleMoney(state(c).user) {
		data.Registry = s.newRegistryPart(p)
	}
	data.Statements = slices.Contains(bookRoles, state(c).user.Role)
	return s.render(c, fiber.StatusOK, "admin/invoices", p, data)
}

// paymentForm is a payment as staff type it.
type paymentForm struct {
	PaidOn    string
	Amount    string
	Reference string
	Errors    Errors
}

func (s *Server) showAdminInvoice(c *fiber.Ctx) error {
	inv, err := s.adminInvoiceParam(c)
	if err != nil {
		return err
	}
	return s.renderAdminInvoice(c, fiber.StatusOK, inv, s.paymentFormFor(inv), cancelForm{})
}

// paymentFormFor starts the payment form: today, the whole amount due.
func (s *Server) paymentFormFor(inv db.Invoice) paymentForm {
	return paymentForm{PaidOn: db.Today(s.store.Now(), db.VendorLocation).Format(time.DateOnly), Amount: inv.Due().Format(), Errors: Errors{}}
}

// cancelForm is the staff's cancellation as typed.
type cancelForm struct {
	Reason string
	Error  string
}

// Errors are the form's errors by field, as partials/field reads them.
func (f cancelForm) Errors() Errors { return Errors{"reason": f.Error} }

func (s *Server) renderAdminInvoice(c *fiber.Ctx, status int, inv db.Invoice, form paymentForm, cancel cancelForm) error {
	ctx := c.UserContext()
	acts, err := s.store.InvoiceClosingDocs(ctx, inv.ID)
	if err != nil {
		return err
	}
	payments, err := s.store.InvoicePayments(ctx, inv.ID)
	if err != nil {
		return err
	}
	owner, err := s.store.CompanyOf(ctx, db.OwnedInvoice, inv.ID)
	if err != nil {
		return err
	}
	p := s.page(c, "invoices", "invoices.title")
	p.Title = p.T("documents.invoice_title", inv.Number)
	return s.render(c, status, "admin/invoice", p, invoicePage{Page: p, Invoice: inv, Acts: acts, Payments: payments,
		PDF: fmt.Sprintf("/admin/invoices/%d/pdf", inv.ID), ActPDF: "/admin/acts/", CanPay: mayChange(state(c).user, moneyRoles, owner.ManagerID),
		PaymentForm: form, Cancel: cancel})
}

func (s *Server) adminInvoiceParam(c *fiber.Ctx) (db.Invoice, error) {
	id, err := idParam(c)
	if err != nil {
		return db.Invoice{}, err
	}
	return s.store.InvoiceByID(c.UserContext(), id)
}

// recordPayment marks an invoice paid, wholly or in part.
func (s *Server) recordPayment(c *fiber.Ctx) error {
	inv, err := s.adminInvoiceParam(c)
	if err != nil {
		return err
	}
	in := readForm(c)
	f := paymentForm{PaidOn: clone(c.FormValue("paid_on")), Amount: in.text("amount"), Reference: in.text("reference"), Errors: in.Errors}
	today := db.Today(s.store.Now(), db.VendorLocation)
	paidOn, ok := parseDay(f.PaidOn)
	switch {
	case !ok || paidOn.IsZero():
		f.Errors["paid_on"] = "payments.bad_date"
	case paidOn.After(today) || paidOn.Before(inv.IssuedOn):
		f.Errors["paid_on"] = "payments.date_out_of_range"
	}
	amount, err := money.ParseKopecks(f.Amount)
	if (err != nil || amount <= 0) && f.Errors["amount"] == "" {
		f.Errors["amount"] = "documents.bad_amount"
	}
	f.Errors.checkText("reference", f.Reference, true, 100)
	if len(f.Errors) == 0 {
		var created bool
		created, err = s.store.RecordPayment(c.UserContext(), s.actor(c), inv.ID, db.NewPayment{Amount: amount, PaidOn: paidOn, Reference: f.Reference})
		var tooLarge db.PaymentTooLarge
		switch {
		case errors.As(err, &tooLarge):
			f.Errors["amount"] = "payments.too_large"
		case errors.Is(err, db.ErrPaymentElsewhere):
			f.Errors["reference"] = "payments.reference_used"
		case errors.Is(err, db.ErrPaymentFromStatement):
			f.Errors["reference"] = "payments.from_statement"
		case errors.Is(err, db.ErrInvoiceNotPayable):
			f.Errors["amount"] = "payments.not_payable"
		case errors.Is(err, db.ErrBadPaymentDate):
			f.Errors["paid_on"] = "payments.date_out_of_range"
		case err != nil:
			return err
		case created:
			s.setFlash(c, "payments.recorded")
			return c.Redirect(fmt.Sprintf("/admin/invoices/%d", inv.ID), fiber.StatusSeeOther)
		default:
			s.setFlash(c, "payments.already")
			return c.Redirect(fmt.Sprintf("/admin/invoices/%d", inv.ID), fiber.StatusSeeOther)
		}
	}
	return s.renderAdminInvoice(c, fiber.StatusUnprocessableEntity, inv, f, cancelForm{})
}

// cancelAdminInvoice cancels what an invoice still awaits, with the reason.
func (s *Server) cancelAdminInvoice(c *fiber.Ctx) error {
	inv, err := s.adminInvoiceParam(c)
	if err != nil {
		return err
	}
	in := readForm(c)
	cf := cancelForm{Reason: in.text("reason")}
	switch {
	case in.Errors["reason"] != "":
		cf.Error = in.Errors["reason"]
	case cf.Reason == "":
		cf.Error = "invoices.reason_required"
	case len([]rune(cf.Reason)) > 500:
		cf.Error = "invoices.reason_too_long"
	}
	if cf.Error == "" {
		err = s.store.CancelInvoiceByID(c.UserContext(), s.actor(c), inv.ID, cf.Reason)
		if errors.Is(err, db.ErrInvoiceNotCancel) {
			cf.Error = "documents.not_cancellable"
		} else if err != nil {
			return err
		}
	}
	if cf.Error != "" {
		return s.renderAdminInvoice(c, fiber.StatusUnprocessableEntity, inv, s.paymentFormFor(inv), cf)
	}
	s.setFlash(c, "documents.cancelled")
	return c.Redirect(fmt.Sprintf("/admin/invoices/%d", inv.ID), fiber.StatusSeeOther)
}

func (s *Server) adminInvoicePDF(c *fiber.Ctx) error {
	inv, err := s.adminInvoiceParam(c)
	if err != nil {
		return err
	}
	return s.sendInvoicePDF(c, inv)
}

func (s *Server) adminActPDF(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, err := s.store.ClosingDocByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.sendActPDF(c, a)
}

// adminInvoiceForm is the form to issue an invoice on the :id company's behalf.
func (s *Server) adminInvoiceForm(c *fiber.Ctx) (db.Company, invoiceForm, error) {
	co, err := s.companyParam(c)
	if err != nil {
		return co, invoiceForm{}, err
	}
	base := "/admin/companies/" + strconv.FormatInt(co.ID, 10)
	form, err := s.newInvoiceForm(c, co, base+"/invoices", base+"/invoice-form")
	return co, form, err
}

// newAdminInvoice shows the form to issue an invoice for the company.
func (s *Server) newAdminInvoice(c *fiber.Ctx) error {
	co, form, err := s.adminInvoiceForm(c)
	if err != nil {
		return err
	}
	if err := s.choose(c, &form, 0, 0, "", "service_id"); err != nil {
		return err
	}
	return s.renderNewAdminInvoice(c, fiber.StatusOK, co, form)
}

// newAdminInvoicePage is the back office's «Выставить счёт» for a company.
type newAdminInvoicePage struct {
	*Page
	Form    invoiceForm
	Company db.Company
}

func (s *Server) renderNewAdminInvoice(c *fiber.Ctx, status int, co db.Company, form invoiceForm) error {
	p := s.page(c, "invoices", "invoices.issue")
	return s.render(c, status, "admin/invoice_new", p, newAdminInvoicePage{Page: p, Form: form, Company: co})
}

// adminInvoiceChoice is invoiceChoice for the back office's form.
func (s *Server) adminInvoiceChoice(c *fiber.Ctx) error {
	_, form, err := s.adminInvoiceForm(c)
	if err != nil {
		return err
	}
	return s.renderInvoiceChoice(c, form)
}

// issueInvoice issues an invoice on a company's behalf and tells the company.
func (s *Server) issueInvoice(c *fiber.Ctx) error {
	co, form, err := s.adminInvoiceForm(c)
	if err != nil {
		return err
	}
	if err := s.parseInvoiceForm(c, &form); err != nil {
		return err
	}
	if len(form.Errors) > 0 {
		return s.renderNewAdminInvoice(c, fiber.StatusUnprocessableEntity, co, form)
	}
	inv, ok, err := s.issue(c, &form, true)
	if err != nil {
		return err
	}
	if !ok {
		return s.renderNewAdminInvoice(c, fiber.StatusUnprocessableEntity, co, form)
	}
	s.setFlash(c, "documents.created")
	return c.Redirect(fmt.Sprintf("/admin/invoices/%d", inv.ID), fiber.StatusSeeOther)
}
