package pdf

import (
	"fmt"
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/core"

	"elk/db"
	"elk/db/money"
)

// AdvanceInvoice lays out the счёт-фактура a vendor issues within five
// days of a payment received ahead of the services (п. 3 ст. 168 НК РФ),
// in the form of Приложение № 1 к ПП № 1137: line (5) names the payment
// order; the table has one row for the prepayment with columns 2–6 and
// 10–13 dashed, the estimated rate 22/122 (п. 4 ст. 164 НК РФ) and the tax
// it holds.
func AdvanceInvoice(d db.ClosingDoc) ([]byte, error) {
	title := "Счёт-фактура № " + d.Number + " от " + longDate(d.IssuedOn)
	m, err := newDocument(title, d.IssuedOn, landscape)
	if err != nil {
		return nil, err
	}
	m.AddRows(
		row.New().Add(textCol(pageWidth-80, title+"  (1)", titleText), textCol(80, formNote(d.IssuedOn), noteText)),
		row.New().Add(textCol(pageWidth, "Исправление № — от —  (1а)", indented)),
		gap(2),
	)
	for _, f := range headFields(d, payOrder(d), dash) {
		m.AddRows(row.New().Add(f.cols(pageWidth)...))
	}
	m.AddRows(gap(2))
	m.AddRows(tableHeader(vatInvoiceColumns)...)
	rate := estimatedRate(d.VATRate)
	for i, l := range d.Lines {
		m.AddRows(tableRow(vatInvoiceColumns, cells{"1": strconv.Itoa(i + 1), "1а": l.Name, "7": rate,
			"8": vatAmount(d.VATRate, l.VAT), "9": l.Amount.Format()}))
	}
	m.AddRows(tableTotal(vatInvoiceColumns, cells{"8": vatAmount(d.VATRate, d.VAT), "9": d.Amount.Format()}), gap(4))
	m.AddRows(vatInvoiceSigners(d.Supplier, func(int) core.Col { return blank(statusWidth) })...)
	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: advance invoice %s: %w", d.Number, err)
	}
	return doc.GetBytes(), nil
}

// estimatedRate is the rate of the tax held in an advance, rate/(100+rate):
// «22/122».
func estimatedRate(rate int) string {
	if rate == money.NoVAT {
		return "без НДС"
	}
	return fmt.Sprintf("%d/%d", rate, 100+rate)
}
