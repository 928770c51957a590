package jobs

import (
	"context"

	"elk/db"
	"elk/views"
	"elk/views/pdf"
)

// KeptInvoices are the invoices' PDFs as Документы serves them: drawn once
// and kept (pdf.Kept), so that the attached file is the downloaded one.
type KeptInvoices struct{ Store *db.Store }

// InvoiceFile implements InvoiceFiles.
func (k KeptInvoices) InvoiceFile(ctx context.Context, companyID, invoiceID int64) (views.Attachment, error) {
	inv, err := k.Store.Invoice(ctx, companyID, invoiceID)
	if err != nil {
		return views.Attachment{}, err
	}
	b, err := pdf.KeptInvoice(ctx, k.Store, inv)
	if err != nil {
		return views.Attachment{}, err
	}
	return views.Attachment{Name: "Счёт " + inv.Number + ".pdf", ContentType: "application/pdf", Data: b}, nil
}
