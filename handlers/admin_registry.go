package handlers

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// maxRegistryYears bounds the period of a реестр документов as an акт
// сверки's is: accounting records are kept five years (402-ФЗ art. 29).
const maxRegistryYears = 5

// registryPart is the registry's period with the page it is on, as
// partials/registry_form takes it.
type registryPart struct {
	*Page
	Form dayRange
}

// registryPage answers a period that cannot be used: the form again, as
// typed, with what is wrong, under the way back to the invoices.
type registryPage struct {
	*Page
	Registry registryPart
}

// newRegistryPart is the form as the Счета page first shows it: the year
// so far, as the акт сверки's.
func (s *Server) newRegistryPart(p *Page) *registryPart {
	return &registryPart{Page: p, Form: yearSoFar(db.Today(s.store.Now(), db.VendorLocation))}
}

// exportRegistry streams the реестр документов of a period: every invoice,
// payment and closing document dated in it, for the vendor's books, as CSV
// for Excel like the portal's other exports. A period that cannot be used
// gets the form again (422).
func (s *Server) exportRegistry(c *fiber.Ctx) error {
	p := s.page(c, "invoices", "registry.title")
	form := parseDayRange(c)
	if len(form.Errors) == 0 && form.spans(maxRegistryYears) {
		form.Errors["from"] = "registry.too_long"
	}
	if len(form.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "admin/registry", p,
			registryPage{Page: p, Registry: registryPart{Page: p, Form: form}})
	}
	words := newRegistryWords(p)
	from, to := form.from, form.to
	name := "registry-" + from.Format(time.DateOnly) + "-" + to.Format(time.DateOnly)
	return s.streamCSV(c, name, words.header, func(row func([]string) error) error {
		return s.store.EachRegistryEntry(context.Background(), from, to, func(e db.RegistryEntry) error {
			return row(words.cells(e))
		})
	})
}

// registryWords are the registry's words in the page's language, made safe
// for CSV once, before the stream starts: it runs after the handler has
// returned.
type registryWords struct {
	header    []string
	kinds     map[string]string // by kind, a closing document's by form; a УПД's by "upd" and its status
	statuses  map[string]string // an invoice's
	bases     map[string]string // a closing document's
	countries map[string]string
	noVAT     string
}

func newRegistryWords(p *Page) registryWords {
	w := registryWords{
		header: []string{p.T("documents.document"), p.T("invoices.number"), p.T("documents.date"), p.T("registry.company"),
			p.T("company.country"), p.T("registry.tax_id"), p.T("company.kpp"), p.T("documents.amount"), p.T("registry.vat_rate"),
			p.T("documents.vat"), p.T("documents.status"), p.T("registry.invoice"), p.T("registry.payment"), p.T("registry.basis"),
			p.T("registry.period")},
		kinds: map[string]string{
			db.DocInvoice: p.T("registry.kind_invoice"), db.DocPayment: p.T("registry.kind_payment"),
			db.FormAct: p.T("registry.kind_act"), db.FormAdvance: p.T("registry.kind_advance"),
			updKind(db.UPDWithVAT): p.T("registry.kind_upd", db.UPDWithVAT), updKind(db.UPDWithoutVAT): p.T("registry.kind_upd", db.UPDWithoutVAT),
		},
		statuses:  map[string]string{},
		bases:     map[string]string{},
		countries: map[string]string{},
		noVAT:     csvText(p.T("registry.no_vat")),
	}
	for k, v := range w.kinds {
		w.kinds[k] = csvText(v)
	}
	for _, st := range db.InvoiceStatuses {
		w.statuses[st] = csvText(p.T("invoice.status_" + st))
	}
	for _, b := range []string{db.BasisPayment, db.BasisMonth, db.BasisBalance} {
		w.bases[b] = csvText(p.T("registry.basis_" + b))
	}
	for _, code := range countries {
		w.countries[code] = csvText(p.T("country." + code))
	}
	return w
}

// updKind is the key of a УПД of a status among registryWords.kinds.
func updKind(status int) string { return db.FormUPD + strconv.Itoa(status) }

// cells are an entry's row: text through csvText, identifiers through
// csvCode, money as numbers.
func (w registryWords) cells(e db.RegistryEntry) []string {
	kind := e.Kind
	switch {
	case e.Kind == db.DocClosing && e.Form == db.FormUPD:
		kind = updKind(e.UPDStatus)
	case e.Kind == db.DocClosing:
		kind = e.Form
	}
	rate, vat := w.noVAT, ""
	if e.VATRate != money.NoVAT {
		rate, vat = strconv.Itoa(e.VATRate)+"%", csvAmount(e.VAT)
	}
	country, ok := w.countries[e.Buyer.Country]
	if !ok {
		country = csvText(e.Buyer.Country)
	}
	return []string{w.kinds[kind], csvCode(e.Number), csvDay(e.Date), csvText(e.Buyer.Name), country, csvCode(e.Buyer.INN),
		csvCode(e.Buyer.KPP), csvAmount(e.Amount), rate, vat, w.statuses[e.Status], csvCode(e.InvoiceNumber),
		csvCode(e.PaymentReference), w.bases[e.Basis], csvPeriod(e.PeriodFrom, e.PeriodTo)}
}

// csvDay writes a day as Excel reads a date in a Russian locale; "" for none.
func csvDay(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("02.01.2006")
}

// csvPeriod writes the days a closing document covers: one day, or the
// first and the last.
func csvPeriod(from, to time.Time) string {
	if from.IsZero() || !to.After(from) {
		return csvDay(from)
	}
	return csvDay(from) + "–" + csvDay(to)
}

// csvCode writes an identifier (a number, an ИНН, a КПП, a payment order's
// number) so that Excel keeps it as it is: digits alone would become a
// number, dropping an ИНН's leading zero and showing a twelve-digit one as
// 1,5E+11, and digits with a dash may become a date. ="…" is a text
// constant; only digits, dashes and slashes go inside it, so nothing typed
// ever runs. Any other identifier is text, through csvText.
func csvCode(s string) string {
	if s == "" || strings.Trim(s, "0123456789-/") != "" {
		return csvText(s)
	}
	return `"=""` + s + `"""`
}
