package handlers

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/views/pdf"
)

// documentsPage is the Документы tab: the company's invoices and acts, and
// the «Создать документ» form.
type documentsPage struct {
	*Page
	Table     documentTable
	Services  []db.CompanyService // every connected one, for the filter
	Kinds     []string
	Statuses  []string
	Kind      string
	Status    string
	ServiceID int64
	Period    period
	Form      invoiceForm
	OpenForm  bool
	// AskBookkeeper, to a user who may not issue invoices but was sent to
	// the form (a balance alert's link), says who may.
	AskBookkeeper string
	// ServiceOff says that the service a balance alert's link named is
	// switched off, and whom to ask.
	ServiceOff string
	Created    int64 // the invoice just issued, marked in the list
	Part       bool  // only the results are sent, to swap under the form as typed
	// Reconciliation asks for the акт сверки of a period.
	Reconciliation reconciliationPart
}

// invoiceFormAction is where the client's invoice form posts: with ?new=1,
// so the address a refused form is shown at opens the form again on reload.
const invoiceFormAction = "/documents?new=1"

func (s *Server) listDocuments(c *fiber.Ctx) error {
	co := *state(c).company
	form, err := s.newInvoiceForm(c, co, invoiceFormAction, "/documents/invoice-form")
	if err != nil {
		return err
	}
	form.untouched = true
	if c.Query("service_id") != "" {
		if err := s.prefillInvoiceForm(c, &form); err != nil {
			return err
		}
	}
	return s.renderDocuments(c, fiber.StatusOK, form, c.Query("new") != "")
}

func (s *Server) renderDocuments(c *fiber.Ctx, status int, form invoiceForm, open bool) error {
	ctx := c.UserContext()
	co := state(c).company
	p := s.page(c, "documents", "documents.title")
	p.Path = "/documents"
	// The filter lists every connected service, as the form has read them.
	if form.switchedOff != "" {
		open = false
	}
	data := documentsPage{Page: p, Form: form, OpenForm: open || len(form.Errors) > 0, Services: form.connected,
		Kinds: []string{db.DocInvoice, db.DocClosing}, Statuses: db.InvoiceStatuses,
		Kind: pick(c.Query("kind"), []string{db.DocInvoice, db.DocClosing}), Status: pick(c.Query("status"), db.InvoiceStatuses),
		Period: parsePeriod(c, time.UTC), Created: int64(max(c.QueryInt("created"), 0)),
		Reconciliation: s.newReconciliationPart(p, "/documents/reconciliation.pdf")}
	if form.switchedOff != "" {
		data.ServiceOff = p.T("documents.service_off", p.T("service."+form.switchedOff))
	}
	if open && !p.may("POST /documents") {
		hint, err := s.bookkeepersHint(c, p)
		if err != nil {
			return err
		}
		data.AskBookkeeper = hint
	}
	f := db.DocFilter{Kind: data.Kind, Status: data.Status}
	if raw := c.Query("service"); raw != "" {
		// Like an object in the path: another company's service is a 404.
		id, _ := strconv.ParseInt(raw, 10, 64)
		if !slices.ContainsFunc(data.Services, func(cs db.CompanyService) bool { return cs.ID == id }) {
			return fiber.ErrNotFound
		}
		data.ServiceID, f.CompanyServiceID = id, id
	}
	f.From, f.To = data.Period.days()
	var docs []db.Document
	if data.Period.Error == "" { // a wrong period shows no list, not one for another period
		var err error
		if docs, err = s.store.ListDocuments(ctx, co.ID, f); err != nil {
			return err
		}
	}
	data.Table = newDocumentTable(p, docs, clientDocuments, data.Created)
	switch {
	case data.Period.Error != "":
		data.Table.Empty = periodFix(p, "/documents")
	case data.Kind != "" || data.Status != "" || data.ServiceID != 0 || data.Period.From != "" || data.Period.To != "":
		data.Table.Empty = emptyList(p, "documents.none", true, "/documents")
	}
	data.Part = isPartRequest(c)
	whole := func() error {
		if form.untouched {
			if err := s.choose(c, &data.Form, 0, 0, "", "service_id"); err != nil {
				return err
			}
		}
		return s.render(c, status, "documents/list", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"documents", "documents/results", data})
}

// invoiceChoice answers the form's service or tariff change with the
// tariff list and the amount that go with it.
func (s *Server) invoiceChoice(c *fiber.Ctx) error {
	form, err := s.newInvoiceForm(c, *state(c).company, invoiceFormAction, "/documents/invoice-form")
	if err != nil {
		return err
	}
	return s.renderInvoiceChoice(c, form)
}

func (s *Server) renderInvoiceChoice(c *fiber.Ctx, form invoiceForm) error {
	serviceID, _ := strconv.ParseInt(c.Query("service_id"), 10, 64)
	tariffID, _ := strconv.ParseInt(c.Query("tariff_id"), 10, 64)
	if err := s.choose(c, &form, serviceID, tariffID, clone(cleanText(c.Query("amount"))), c.Get("HX-Trigger-Name")); err != nil {
		return err
	}
	p := s.page(c, "documents", "documents.title")
	return s.fragment(c, "partials/invoice_choice", invoiceFormData{Page: p, Form: form})
}

// invoiceFormData is what the form's partials take.
type invoiceFormData struct {
	*Page
	Form invoiceForm
}

// createInvoice issues an invoice from the client's form.
func (s *Server) createInvoice(c *fiber.Ctx) error {
	form, err := s.newInvoiceForm(c, *state(c).company, invoiceFormAction, "/documents/invoice-form")
	if err != nil {
		return err
	}
	if err := s.parseInvoiceForm(c, &form); err != nil {
		return err
	}
	if len(form.Errors) > 0 {
		return s.renderDocuments(c, fiber.StatusUnprocessableEntity, form, true)
	}
	inv, ok, err := s.issue(c, &form, false)
	if err != nil {
		return err
	}
	if !ok {
		return s.renderDocuments(c, fiber.StatusUnprocessableEntity, form, true)
	}
	s.setFlash(c, "documents.created")
	return c.Redirect(fmt.Sprintf("/documents?created=%d#invoice-%d", inv.ID, inv.ID), fiber.StatusSeeOther)
}

// invoicePage is one invoice with its payments' acts.
type invoicePage struct {
	*Page
	Invoice  db.Invoice
	Acts     []db.ClosingDoc
	Payments []db.Payment
	PDF      string // the invoice's PDF URL
	ActPDF   string // the acts' PDF URL prefix
	// The back office's forms.
	CanPay      bool
	PaymentForm paymentForm
	Cancel      cancelForm
}

func (s *Server) showInvoice(c *fiber.Ctx) error {
	inv, err := s.invoiceParam(c)
	if err != nil {
		return err
	}
	acts, err := s.store.InvoiceClosingDocs(c.UserContext(), inv.ID)
	if err != nil {
		return err
	}
	p := s.page(c, "documents", "documents.title")
	p.Title = p.T("documents.invoice_title", inv.Number)
	return s.render(c, fiber.StatusOK, "documents/invoice", p, invoicePage{Page: p, Invoice: inv, Acts: acts,
		PDF: fmt.Sprintf("/documents/invoices/%d/pdf", inv.ID), ActPDF: "/documents/acts/"})
}

// invoiceParam is the :id invoice of the client's company; another's is a 404.
func (s *Server) invoiceParam(c *fiber.Ctx) (db.Invoice, error) {
	id, err := idParam(c)
	if err != nil {
		return db.Invoice{}, err
	}
	return s.store.Invoice(c.UserContext(), state(c).company.ID, id)
}

func (s *Server) invoicePDF(c *fiber.Ctx) error {
	inv, err := s.invoiceParam(c)
	if err != nil {
		return err
	}
	return s.sendInvoicePDF(c, inv)
}

func (s *Server) actPDF(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, err := s.store.ClosingDoc(c.UserContext(), state(c).company.ID, id)
	if err != nil {
		return err
	}
	return s.sendActPDF(c, a)
}

func (s *Server) sendInvoicePDF(c *fiber.Ctx, inv db.Invoice) error {
	b, err := pdf.KeptInvoice(c.UserContext(), s.store, inv)
	if err != nil {
		return err
	}
	return sendPDF(c, b, "Счёт "+inv.Number, "invoice-"+inv.Number)
}

func (s *Server) sendActPDF(c *fiber.Ctx, a db.ClosingDoc) error {
	b, err := pdf.Kept(c.UserContext(), s.store, db.DocClosing, a.ID, a, func() ([]byte, error) { return pdf.ClosingDoc(a) })
	if err != nil {
		return err
	}
	name := map[string]string{db.FormAct: "Акт ", db.FormUPD: "УПД ", db.FormAdvance: "Счёт-фактура "}[a.Form]
	return sendPDF(c, b, name+a.Number, a.Form+"-"+strings.Replace(a.Number, "А-", "A-", 1))
}

// sendPDF answers with a document: opened in the browser to print, or saved
// as a file with ?download=1, under its Russian name (and a Latin one for
// old clients).
func sendPDF(c *fiber.Ctx, b []byte, name, asciiName string) error {
	disposition := "inline"
	if c.Query("download") != "" {
		disposition = "attachment"
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`%s; filename="%s.pdf"; filename*=UTF-8''%s`,
		disposition, asciiName, url.PathEscape(name+".pdf")))
	return c.Send(b)
}

// cancelInvoice lets a client withdraw an invoice it has not paid.
func (s *Server) cancelInvoice(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	err = s.store.CancelInvoice(c.UserContext(), s.actor(c), state(c).company.ID, id, "")
	if errors.Is(err, db.ErrInvoiceNotCancel) {
		s.setFailedFlash(c, "documents.not_cancellable")
	} else if err != nil {
		return err
	} else {
		s.setFlash(c, "documents.cancelled")
	}
	return c.Redirect(fmt.Sprintf("/documents/invoices/%d", id), fiber.StatusSeeOther)
}
