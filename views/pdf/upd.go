package pdf

// The УПД and the счёт-фактура are laid out after these sources:
//
//   - Письмо ФНС России от 21.10.2013 № ММВ-20-3/96@, Приложение № 1: the
//     recommended form of the универсальный передаточный документ — the
//     status column (1 — счёт-фактура и передаточный документ (акт),
//     2 — передаточный документ (акт)), the счёт-фактура's head and table,
//     and the transfer's lines [8]–[19]
//     (https://normativ.kontur.ru/document?moduleId=1&documentId=220334).
//   - Постановление Правительства РФ от 26.12.2011 № 1137, Приложение № 1:
//     the form of the счёт-фактура and the rules of filling it in (lines
//     (3), (4) are dashes for services; (5) names the payment order of an
//     advance; columns 2–6 and 10–11 of an advance счёт-фактура are dashes).
//   - Постановление Правительства РФ от 02.04.2021 № 534, from 01.07.2021:
//     line (5а) «Документ об отгрузке», column 1 «№ п/п», 1а the name, 1б
//     «Код вида товара», column 11 the registration number of a declaration
//     or of a traceable batch, columns 12, 12а, 13 for traceability.
//   - Письмо ФНС России от 17.06.2021 № ЗГ-3-3/4368@: a change of the
//     счёт-фактура form is carried into the УПД; in a УПД, line (5а) names
//     the УПД itself with the numbers of its rows.
//   - Письмо ФНС России от 15.10.2021 № СД-4-3/14647@: for goods not
//     traceable, works and services, columns 12–13 of a paper счёт-фактура
//     may be left out or dashed; they are printed with dashes here.
//   - Постановление Правительства РФ от 16.08.2024 № 1096: the edition in
//     which the sole trader's signature names the ОГРНИП and its date.
//   - Федеральный закон от 28.11.2025 № 425-ФЗ: VAT 22 % from 01.01.2026 and
//     пп. 4 п. 5 ст. 169 НК РФ, a счёт-фактура on a shipment names the
//     advance счета-фактуры it offsets; Письмо ФНС России от 26.12.2025
//     № СД-4-3/11730@ recommended the form with line (5б) from 01.01.2026,
//     and Постановление Правительства РФ от 23.01.2026 № 26 made it part of
//     Приложение № 1 from 01.04.2026
//     (https://www.klerk.ru/buh/news/676683/).
//   - НК РФ: п. 3 ст. 168 (an advance счёт-фактура within five days of the
//     payment), п. 4 ст. 164 (its estimated rate 22/122), п. 6 ст. 169 (the
//     signatures of the head and the chief accountant); 402-ФЗ ст. 9 (what
//     a primary document holds).

import (
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"elk/db"
	"elk/db/money"
	"elk/views"
)

// The УПД's status column runs down its left side, ruled off from the rest.
const statusWidth = 30

var (
	statusRule = &props.Cell{BorderType: border.Right, BorderThickness: 0.4}
	titleText  = props.Text{Size: 10, Style: bold.Style, Top: 0.5, Bottom: 1, Left: 2}
	noteText   = props.Text{Size: 5.5, Top: 0.5, Align: align.Right}
	legendText = props.Text{Size: 5.5, Top: 0.8, Bottom: 0.4, Left: 0.5}
	statusText = props.Text{Size: 7, Top: 2, Left: 0.5}
	indented   = props.Text{Size: 7, Top: 1.2, Left: 2}
	noteBelow  = props.Text{Size: 7, Top: 1.5, Bottom: 0.6, Left: 0.5}
)

// UPD lays out a универсальный передаточный документ from its stored row:
// with status 1 a счёт-фактура and an act in one, with status 2 an act
// only, in the form ФНС recommends, on a landscape page.
func UPD(d db.ClosingDoc) ([]byte, error) {
	return drawnOnSheets("УПД "+d.Number, func(ruler core.Maroto, sheets int) (core.Maroto, error) {
		return updPages(d, ruler, sheets)
	})
}

func updPages(d db.ClosingDoc, ruler core.Maroto, sheets int) (core.Maroto, error) {
	p, err := newPager(ruler, "УПД № "+d.Number+" от "+longDate(d.IssuedOn), d.IssuedOn, landscape)
	if err != nil {
		return nil, err
	}
	p.add(
		row.New().Add(
			textCol(statusWidth, "Универсальный передаточный документ", formBold).WithStyle(statusRule),
			textCol(167, "Счёт-фактура № "+d.Number+" от "+longDate(d.IssuedOn)+"  (1)", titleText),
			textCol(80, formNote(d.IssuedOn), noteText),
		),
		row.New().Add(
			textCol(13, "Статус:", statusText), textCol(7, strconv.Itoa(d.UPDStatus), centered(titleText)).WithStyle(boxed),
			blank(statusWidth-20).WithStyle(statusRule),
			textCol(pageWidth-statusWidth, "Исправление № — от —  (1а)", indented),
		),
	)
	shipment := "№ п/п " + rowNumbers(len(d.Lines)) + " № " + d.Number + " от " + day(d.IssuedOn)
	for i, f := range headFields(d, payOrder(d), shipment) {
		p.add(row.New().Add(join([]core.Col{statusLegend(i), blank(2)}, f.cols(pageWidth-statusWidth-2))...))
	}
	p.add(gap(2))
	updTable(p, d)
	lead := func(i int) core.Col {
		if i == 0 {
			return textCol(statusWidth, "Документ составлен на "+sheetCount(sheets), legendText).WithStyle(statusRule)
		}
		return blank(statusWidth).WithStyle(statusRule)
	}
	if d.UPDStatus == db.UPDWithVAT {
		p.keep(nil, vatInvoiceSigners(d.Supplier, lead)...)
	} else {
		// A status 2 document is no счёт-фактура (the status legend of the
		// letter ММВ-20-3/96@), so the signatures п. 6 ст. 169 НК РФ asks of
		// one are not needed: those of the transfer below, [10]–[19], are
		// the primary document's (402-ФЗ ст. 9).
		p.add(row.New().Add(lead(0)))
	}
	p.keep(nil, append([]core.Row{rule()}, transferRows(d)...)...)
	return p.doc, nil
}

// updTable is the УПД's table: a row for each line, kept whole, the column
// numbers repeated over the rows a page break carries to the next sheet,
// and the totals. Without VAT, columns 7 and 8 say so, and the reason the
// buyer pays none follows the table.
func updTable(p *pager, d db.ClosingDoc) {
	header := tableHeader(updColumns)
	numbers := header[len(header)-1:]
	var net, vat money.Kopecks
	for i, l := range d.Lines {
		u := unitOf(l.Unit)
		r := tableRow(updColumns, cells{
			"1": strconv.Itoa(i + 1), "1а": l.Name, "2": u.code, "2а": u.short, "3": quantity(l.Quantity),
			"4": unitPrice(l.Amount-l.VAT, l.Quantity).Format(), "5": (l.Amount - l.VAT).Format(), "6": "без акциза",
			"7": vatLabel(d.VATRate), "8": vatAmount(d.VATRate, l.VAT), "9": l.Amount.Format(),
		})
		if i == 0 {
			p.keep(nil, append(header, r)...)
		} else {
			p.keep(numbers, r)
		}
		net, vat = net+l.Amount-l.VAT, vat+l.VAT
	}
	p.keep(numbers, tableTotal(updColumns, cells{"5": net.Format(), "8": vatAmount(d.VATRate, vat), "9": (net + vat).Format()}))
	if reason := vatReason(d.VATRate, d.Buyer); reason != "" {
		p.add(text.NewAutoRow(reason, noteBelow))
	}
	p.add(gap(2))
}

// statusLegend is the status column beside the i-th line of the head: the
// meaning of each status beside the first two, the rule beside all.
func statusLegend(i int) core.Col {
	legend := []string{"1 — счёт-фактура и", "передаточный документ (акт)", "2 — передаточный", "документ (акт)"}
	if i < len(legend) {
		return textCol(statusWidth, legend[i], legendText).WithStyle(statusRule)
	}
	return blank(statusWidth).WithStyle(statusRule)
}

// rowNumbers are the numbers of a table's rows as line (5а) gives them: «1», «1–3».
func rowNumbers(n int) string {
	if n <= 1 {
		return "1"
	}
	return "1–" + strconv.Itoa(n)
}

// quantity writes a number of units with its thousands apart: «4 000».
func quantity(n int64) string { return views.Count("ru", n) }

// unitPrice is the price of a unit without VAT, rounded half up to the
// kopeck when the amount does not divide by the quantity.
func unitPrice(net money.Kopecks, qty int64) money.Kopecks {
	if qty <= 0 {
		return net
	}
	return money.Kopecks((2*int64(net) + qty) / (2 * qty))
}

// sheetCount says how many sheets a document takes: «1 листе», «2 листах».
func sheetCount(n int) string {
	if n%10 == 1 && n%100 != 11 {
		return strconv.Itoa(n) + " листе"
	}
	return strconv.Itoa(n) + " листах"
}
