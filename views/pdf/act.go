package pdf

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"elk/db"
	"elk/db/money"
)

// Act lays out an акт оказанных услуг from its stored row with what 402-ФЗ
// art. 9 requires of a primary document: its title and date, the parties
// that drew it up, what was done, its measure in money, and the signatures
// of those responsible on both sides.
func Act(a db.ClosingDoc) ([]byte, error) {
	title := "Акт № " + a.Number + " от " + longDate(a.IssuedOn)
	m, err := newDocument(title, a.IssuedOn)
	if err != nil {
		return nil, err
	}
	vatLabel, vatAmount := vatLine(a.VATRate, a.VAT)
	m.AddRows(
		text.NewRow(9, title, props.Text{Size: 14, Style: bold.Style}),
		text.NewRow(6, "об оказании услуг", plain),
		rule(),
		row.New().Add(text.NewCol(3, "Исполнитель:", plain), text.NewCol(9, party(a.Supplier), bold)),
		row.New().Add(text.NewCol(3, "Заказчик:", plain), text.NewCol(9, party(a.Buyer), bold)),
		row.New().Add(text.NewCol(3, "Основание:", plain), text.NewCol(9, actBasis(a), plain)),
		gap(3),
		row.New().Add(cell(1, "№", centered(bold)), cell(5, "Наименование работ, услуг", centered(bold)), cell(1, "Кол-во", centered(bold)),
			cell(1, "Ед.", centered(bold)), cell(2, "Цена", centered(bold)), cell(2, "Сумма", centered(bold))),
	)
	for i, l := range a.Lines {
		m.AddRows(row.New().Add(cell(1, fmt.Sprint(i+1), centered(plain)), cell(5, l.Name, plain),
			cell(1, fmt.Sprint(l.Quantity), right(plain)), cell(1, unitOf(l.Unit).short, centered(plain)),
			cell(2, l.Price.Format(), right(plain)), cell(2, l.Amount.Format(), right(plain))))
	}
	m.AddRows(
		totalRow("Итого:", a.Amount.Format()),
		totalRow(vatLabel, vatAmount),
	)
	if reason := vatReason(a.VATRate, a.Buyer); reason != "" {
		m.AddRows(text.NewAutoRow(reason, props.Text{Size: 8, Top: 1, Left: 1}))
	}
	supplierPosition, supplierName := supplierSigner(a.Supplier)
	buyerPosition, buyerName := buyerSigner(a.Buyer)
	m.AddRows(
		gap(2),
		text.NewRow(5, fmt.Sprintf("Всего оказано услуг %d, на сумму %s", len(a.Lines), rubles(a.Amount)), plain),
		text.NewRow(6, money.RublesInWords(a.Amount), bold),
		text.NewAutoRow("Вышеперечисленные услуги оказаны полностью и в срок. Заказчик претензий по объёму, качеству и срокам оказания услуг не имеет.",
			props.Text{Size: 9, Top: 2, Left: 1, Bottom: 2}),
		gap(2),
		rule(),
		gap(4),
		row.New(45).Add(
			signature("ИСПОЛНИТЕЛЬ", a.Supplier, supplierPosition, supplierName),
			col.New(1),
			signature("ЗАКАЗЧИК", a.Buyer, buyerPosition, buyerName),
		),
	)
	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: act %s: %w", a.Number, err)
	}
	return doc.GetBytes(), nil
}

// actBasis is what the act is drawn up under: the contract, when the
// buyer has one, and the invoice and the payment it closes.
func actBasis(a db.ClosingDoc) string {
	var parts []string
	if b := basisLine(a.Buyer); b != "" {
		parts = append(parts, b)
	}
	if a.InvoiceNumber != "" {
		parts = append(parts, "счёт на оплату № "+a.InvoiceNumber+" от "+a.InvoiceDate.Format("02.01.2006")+
			", оплата от "+a.PaidOn.Format("02.01.2006"))
	}
	s := strings.Join(parts, ", ")
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// signature is one side's place to sign: its role, name, the signer's
// position, a line for the signature with its transcript, and the seal.
func signature(side string, r db.Requisites, position, signer string) core.Col {
	return col.New(5).Add(
		text.New(side, bold),
		text.New(r.Name, props.Text{Size: 9, Top: 6, Left: 1}),
		text.New(position, props.Text{Size: 9, Top: 16, Left: 1}),
		text.New("______________ / "+transcript(signer)+" /", props.Text{Size: 9, Top: 28, Left: 1}),
		text.New("подпись", props.Text{Size: 7, Top: 32, Left: 8}),
		text.New("М. П.", props.Text{Size: 9, Top: 38, Left: 1}),
	)
}
