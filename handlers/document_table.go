package handlers

import (
	"strconv"

	"elk/db"
)

// documentTable is a list of invoices and closing documents, as
// documents/rows prints it: the client's Документы, a company's closing
// documents in the back office.
type documentTable struct {
	*Page
	Rows  []documentRow
	Empty emptyState // what an empty list says
}

// documentRow is an invoice or a closing document in the list, ready to print.
type documentRow struct {
	ID         string // the row's id: invoice-7 or act-3, the target of a link to it
	Class      string // hl for the invoice just issued
	Title      string
	Href       string // an invoice's page, or a closing document's PDF, which it has no page besides
	OpensPDF   bool   // Href is a PDF, opened beside the portal
	ForInvoice string // a closing document's «по счёту № …»; "" for an invoice or a month's
	Auto       string // an invoice's «выставлен автоматически», when a balance alert issued it
	Date       string
	Service    string
	Amount     string
	Status     badge // with how much of a partly paid invoice is paid
	PDF        string
}

// Where a list's documents open: the client's pages or the back office's.
const (
	clientDocuments = "/documents"
	staffDocuments  = "/admin"
)

// newDocumentTable prints documents as rows whose links lead under base
// (clientDocuments or staffDocuments), the invoice just issued (created)
// marked.
func newDocumentTable(p *Page, docs []db.Document, base string, created int64) documentTable {
	rows := make([]documentRow, len(docs))
	for i, d := range docs {
		id := strconv.FormatInt(d.ID, 10)
		r := documentRow{Date: p.Day(d.IssuedOn), Amount: d.Amount.String()}
		if d.ServiceCode != "" {
			r.Service = p.T("service." + d.ServiceCode)
		}
		if d.Kind == db.DocClosing {
			r.ID, r.Title = "act-"+id, p.DocTitle(d.Form, d.Number)
			if d.InvoiceNumber != "" {
				r.ForInvoice = p.T("documents.for_invoice", d.InvoiceNumber)
			} else {
				r.Service = p.T("documents.all_services")
			}
			r.PDF = base + "/acts/" + id + "/pdf"
			r.Href, r.OpensPDF = r.PDF, true
			r.Status = badge{Class: "badge act", Text: p.T("documents.form_" + d.Form)}
		} else {
			r.ID, r.Title, r.Href = "invoice-"+id, p.T("documents.invoice_no", d.Number), base+"/invoices/"+id
			r.PDF = base + "/invoices/" + id + "/pdf"
			r.Status = badge{Class: "badge inv-" + d.Status, Text: p.T("invoice.status_" + d.Status)}
			if d.Status == db.InvoicePartiallyPaid {
				r.Status.Note = p.T("documents.paid_of", d.Paid)
			}
			if d.ID == created {
				r.Class = "hl"
			}
			if d.Auto {
				r.Auto = p.T("documents.auto_invoice")
			}
		}
		rows[i] = r
	}
	return documentTable{Page: p, Rows: rows, Empty: emptyList(p, "documents.none", false, "")}
}

// DocTitle names a closing document of the form: «УПД № …».
func (p *Page) DocTitle(form, number string) string {
	return p.T("documents."+form+"_no", number)
}
