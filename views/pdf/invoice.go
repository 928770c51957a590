package pdf

import (
	"fmt"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/image"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"elk/db"
	"elk/db/money"
)

// Invoice lays out a счёт на оплату from its stored row: the supplier's bank
// details in the usual box, the title, both parties, the table, the totals
// with VAT and in words, the payment QR code and the place to sign.
func Invoice(inv db.Invoice) ([]byte, error) {
	title := "Счёт на оплату № " + inv.Number + " от " + longDate(inv.IssuedOn)
	m, err := newDocument(title, inv.IssuedOn)
	if err != nil {
		return nil, err
	}
	s := inv.Supplier
	m.AddRows(
		row.New().Add(cell(7, s.BankName, plain), cell(1, "БИК", plain), cell(4, s.BIK, plain)),
		row.New().Add(cell(7, "Банк получателя", small), cell(1, "Сч. №", plain), cell(4, s.CorrAccount, plain)),
		row.New().Add(cell(3, "ИНН "+s.INN, plain), cell(4, kppOrDash(s.KPP), plain), cell(1, "Сч. №", plain), cell(4, s.BankAccount, plain)),
		row.New().Add(cell(7, s.Name, plain), cell(1, "", plain), cell(4, "", plain)),
		row.New().Add(cell(7, "Получатель", small), cell(1, "", plain), cell(4, "", plain)),
		gap(6),
		text.NewRow(9, title, props.Text{Size: 14, Style: bold.Style}),
		rule(),
		row.New().Add(text.NewCol(3, "Поставщик (Исполнитель):", plain), text.NewCol(9, party(inv.Supplier), bold)),
		row.New().Add(text.NewCol(3, "Покупатель (Заказчик):", plain), text.NewCol(9, party(inv.Buyer), bold)),
	)
	if basis := basisLine(inv.Buyer); basis != "" {
		m.AddRows(row.New().Add(text.NewCol(3, "Основание:", plain), text.NewCol(9, basis, plain)))
	}
	m.AddRows(
		gap(3),
		row.New().Add(cell(1, "№", centered(bold)), cell(5, "Товары (работы, услуги)", centered(bold)), cell(1, "Кол-во", centered(bold)),
			cell(1, "Ед.", centered(bold)), cell(2, "Цена", centered(bold)), cell(2, "Сумма", centered(bold))),
		row.New().Add(cell(1, "1", centered(plain)), cell(5, inv.Item, plain), cell(1, "1", right(plain)), cell(1, "усл.", centered(plain)),
			cell(2, inv.Amount.Format(), right(plain)), cell(2, inv.Amount.Format(), right(plain))),
	)
	vatLabel, vatAmount := vatLine(inv.VATRate, inv.VAT())
	m.AddRows(
		totalRow("Итого:", inv.Amount.Format()),
		totalRow(vatLabel, vatAmount),
		totalRow("Всего к оплате:", inv.Amount.Format()),
	)
	// A part-paid invoice ends its totals with what its QR code asks for.
	if inv.Paid > 0 && inv.Due() > 0 {
		m.AddRows(totalRow("Оплачено:", inv.Paid.Format()), totalRow("Осталось оплатить:", inv.Due().Format()))
	}
	if reason := vatReason(inv.VATRate, inv.Buyer); reason != "" {
		m.AddRows(text.NewAutoRow(reason, props.Text{Size: 8, Top: 1, Left: 1}))
	}
	m.AddRows(
		gap(2),
		text.NewRow(5, fmt.Sprintf("Всего наименований 1, на сумму %s", rubles(inv.Amount)), plain),
		text.NewRow(6, money.RublesInWords(inv.Amount), bold),
		rule(),
		gap(2),
	)
	switch inv.Status {
	case db.InvoicePaid:
		m.AddRows(stamp("СЧЁТ ОПЛАЧЕН"))
	case db.InvoiceCancelled:
		m.AddRows(stamp("СЧЁТ АННУЛИРОВАН"))
	default:
		qr, err := qrImage(PaymentQR(inv))
		if err != nil {
			return nil, fmt.Errorf("pdf: invoice %s QR: %w", inv.Number, err)
		}
		m.AddRows(row.New(40).Add(
			col.New(8).Add(
				text.New("Оплатите счёт по реквизитам выше или по QR-коду в приложении банка.", plain),
				text.New("Назначение платежа: "+PaymentPurpose(inv), props.Text{Size: 9, Left: 1, Top: 10, Right: 1}),
			),
			image.NewFromBytesCol(4, qr, extension.Png, props.Rect{Center: true, Percent: 100}),
		))
	}
	m.AddRows(invoiceSignatures(s))
	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: invoice %s: %w", inv.Number, err)
	}
	return doc.GetBytes(), nil
}

// stamp marks an invoice that is no longer to be paid, where its QR code was.
func stamp(s string) core.Row {
	return text.NewRow(14, s, props.Text{Size: 16, Style: bold.Style, Align: align.Center, Top: 3,
		Color: &props.Color{Red: 190, Green: 30, Blue: 30}})
}

// totalRow is a line of the totals under the table, right-aligned.
func totalRow(label, amount string) core.Row {
	return row.New().Add(text.NewCol(10, label, right(bold)), text.NewCol(2, amount, right(bold)))
}

func kppOrDash(kpp string) string {
	if kpp == "" {
		return "КПП —"
	}
	return "КПП " + kpp
}

// invoiceSignatures are the supplier's two signatures a счёт carries: its
// head (or whoever signs by power of attorney, named under the line) and
// its chief accountant.
func invoiceSignatures(s db.Requisites) core.Row {
	position, name := supplierSigner(s)
	line := func(label, name, caption string) core.Col {
		c := col.New(6).Add(text.New(label+" ______________ / "+transcript(name)+" /", props.Text{Size: 9, Left: 1, Top: 6}))
		if caption != label {
			c.Add(text.New(caption, props.Text{Size: 7, Left: 1, Top: 11}))
		}
		return c
	}
	return row.New(18).Add(line("Руководитель", name, position), line("Главный бухгалтер", s.Accountant, "Главный бухгалтер"))
}
