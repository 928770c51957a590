package pdf

import (
	"time"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"elk/db"
)

// The lower half of the УПД is split down the middle: who handed over on
// the left, who received on the right, each half 137 mm.
const halfWidth = (pageWidth - 3) / 2

var (
	halfRule = &props.Cell{BorderType: border.Left, BorderThickness: 0.4}
	sealText = props.Text{Size: 7, Top: 1.5, Bottom: 1, Left: 25}
)

// transferRows are the transfer document under the счёт-фактура: its
// basis [8] and transport [9], then side by side the vendor who handed
// the services over [10]–[14] and the buyer who received them [15]–[19].
func transferRows(d db.ClosingDoc) []core.Row {
	sPosition, sName := supplierSigner(d.Supplier)
	bPosition, bName := buyerSigner(d.Buyer)
	other := ""
	if !d.PeriodFrom.IsZero() && !d.PeriodFrom.Equal(d.PeriodTo) {
		other = "Период оказания услуг: с " + day(d.PeriodFrom) + " по " + day(d.PeriodTo)
	}
	const labelWidth = 62
	wide := func(label, value, code, under string) []core.Row {
		return []core.Row{
			row.New().Add(textCol(labelWidth, label, formText), filled(pageWidth-labelWidth-10, value, formText), mark(code)),
			row.New().Add(blank(labelWidth), textCol(pageWidth-labelWidth-10, under, caption), blank(10)),
		}
	}
	rows := append(wide("Основание передачи (сдачи) / получения (приёмки)", transferBasis(d), "[8]",
		"(договор; доверенность и др.)"),
		wide("Данные о транспортировке и грузе", dash, "[9]", "(транспортная накладная, поручение экспедитору, "+
			"экспедиторская / складская расписка и др. / масса нетто/ брутто груза, если не приведены ссылки на "+
			"транспортные документы, содержащие эти сведения)")...)
	return append(rows,
		halves(said("Товар (груз) передал / услуги, результаты работ, права сдал", formBold),
			said("Товар (груз) получил / услуги, результаты работ, права принял", formBold)),
		halves(signed(sPosition, initials(sName), "[10]"), signed(bPosition, initials(bName), "[15]")),
		halves(signCaptions(), signCaptions()),
		halves(dated("Дата отгрузки, передачи (сдачи)", longDate(shippedOn(d)), "[11]"),
			dated("Дата получения (приёмки)", "«____» ______________ 20___ г.", "[16]")),
		halves(dated("Иные сведения об отгрузке, передаче", other, "[12]"), dated("Иные сведения о получении, приёмке", "", "[17]")),
		halves(captionAfter(50, "(ссылки на неотъемлемые приложения, сопутствующие документы, иные документы и т.п.)"),
			captionAfter(50, "(информация о наличии/отсутствии претензии; ссылки на неотъемлемые приложения, и другие документы и т.п.)")),
		halves(said("Ответственный за правильность оформления факта хозяйственной жизни", formText),
			said("Ответственный за правильность оформления факта хозяйственной жизни", formText)),
		halves(signed(sPosition, initials(sName), "[13]"), signed("", "", "[18]")),
		halves(signCaptions(), signCaptions()),
		halves(said("Наименование экономического субъекта – составителя документа (в т.ч. комиссионера / агента)", formText),
			said("Наименование экономического субъекта – составителя документа", formText)),
		halves(valueLine(namedWithIDs(d.Supplier), "[14]"), valueLine(namedWithIDs(d.Buyer), "[19]")),
		halves(captionLine("(может не заполняться при проставлении печати в М.П., может быть указан ИНН / КПП)"),
			captionLine("(может не заполняться при проставлении печати в М.П., может быть указан ИНН / КПП)")),
		halves(said("М.П.", sealText), said("М.П.", sealText)),
	)
}

// transferBasis is line [8]: the buyer's contract when it has one, else the
// invoice paid; a month's document adds the month to the contract.
func transferBasis(d db.ClosingDoc) string {
	contract := basisLine(d.Buyer)
	if d.Basis == db.BasisMonth {
		period := "период с " + day(d.PeriodFrom) + " по " + day(d.PeriodTo)
		if contract == "" {
			return "Услуги за " + period
		}
		return contract + ", " + period
	}
	if contract != "" {
		return contract
	}
	return "Счёт на оплату № " + d.InvoiceNumber + " от " + day(d.InvoiceDate)
}

// shippedOn is line [11], the day the services were handed over: the last
// day of their period, but never after the document's own day (months paid
// ahead are handed over as paid).
func shippedOn(d db.ClosingDoc) time.Time {
	if d.PeriodTo.IsZero() || d.PeriodTo.After(d.IssuedOn) {
		return d.IssuedOn
	}
	return d.PeriodTo
}

// halves is a row of the lower half: the vendor's side, the rule down the
// middle, the buyer's side.
func halves(left, right []core.Col) core.Row {
	return row.New().Add(join(left, []core.Col{blank(3).WithStyle(halfRule)}, right)...)
}

// said is a half's text across it.
func said(s string, p props.Text) []core.Col { return []core.Col{textCol(halfWidth, s, p)} }

// signed is a half's place to sign: the position, the signature and the
// name over their rules, and the line's number.
func signed(position, name, code string) []core.Col {
	return []core.Col{filled(45, position, centered(formText)), blank(3), filled(30, "", formText), blank(3),
		filled(46, name, centered(formText)), mark(code)}
}

// signCaptions name the parts of a place to sign.
func signCaptions() []core.Col {
	return []core.Col{textCol(45, "(должность)", caption), blank(3), textCol(30, "(подпись)", caption), blank(3),
		textCol(46, "(ф.и.о.)", caption), blank(10)}
}

// dated is a half's line with its label before it: a date, other details.
func dated(label, value, code string) []core.Col {
	return []core.Col{textCol(50, label, formText), filled(halfWidth-60, value, formText), mark(code)}
}

// valueLine is a half's line to fill, with its number.
func valueLine(value, code string) []core.Col {
	return []core.Col{filled(halfWidth-10, value, formText), mark(code)}
}

// captionLine says under a half's line what goes on it.
func captionLine(s string) []core.Col { return captionAfter(0, s) }

// captionAfter says what goes on a half's line that has a label of width before it.
func captionAfter(width int, s string) []core.Col {
	return []core.Col{blank(width), textCol(halfWidth-10-width, s, caption), blank(10)}
}

// mark is the number of a line of the lower half, 10 mm at its right end.
func mark(s string) core.Col { return code(10, s) }
