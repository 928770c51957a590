package pdf

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"elk/db"
	"elk/db/money"
)

// Reconciliation lays out an акт сверки взаимных расчётов: the operations of
// the period in the vendor's books on the left, the same columns left blank
// on the right for the buyer to fill from its own, the balances, who owes
// whom, and both parties' signatures: signed by the buyer it acknowledges
// the debt (ГК РФ art. 203; Постановление Пленума ВС РФ от 29.09.2015 № 43,
// п. 20). No law prescribes its form, so it follows the layout accountants
// exchange every quarter. It is dated its period's last day, which it
// speaks of, so that the same period gives the same bytes.
func Reconciliation(r db.Reconciliation) ([]byte, error) {
	title := "Акт сверки взаимных расчётов за период с " + day(r.From) + " по " + day(r.To) +
		" между " + r.Supplier.Name + " и " + r.Buyer.Name
	m, err := newDocument(title, r.To)
	if err != nil {
		return nil, err
	}
	m.AddRows(text.NewAutoRow(title, props.Text{Size: 12, Style: bold.Style, Align: align.Center, Bottom: 1}))
	if ref := contractRef(r.Buyer); ref != "" {
		m.AddRows(text.NewRow(6, "по договору "+ref, centered(plain)))
	}
	m.AddRows(
		rule(),
		row.New().Add(text.NewCol(2, "Поставщик:", plain), text.NewCol(10, party(r.Supplier), plain)),
		row.New().Add(text.NewCol(2, "Покупатель:", plain), text.NewCol(10, party(r.Buyer), plain)),
		text.NewAutoRow("Мы, нижеподписавшиеся, составили настоящий акт сверки в том, что состояние взаимных расчётов "+
			"по данным учёта следующее:", props.Text{Size: 9, Top: 3, Left: 1, Bottom: 2}),
		row.New().Add(cell(6, "По данным "+r.Supplier.Name+", руб.", centered(statementBold)),
			cell(6, "По данным "+r.Buyer.Name+", руб.", centered(statementBold))),
		row.New().Add(append(columnHeads(), columnHeads()...)...),
		balanceRow("Сальдо начальное", r.Opening),
	)
	for _, e := range r.Entries {
		m.AddRows(operationRow(day(e.Day), entryDocument(e), amountOrBlank(e.Debit), amountOrBlank(e.Credit)))
	}
	signerPosition, signerName := supplierSigner(r.Supplier)
	buyerPosition, buyerName := buyerSigner(r.Buyer)
	m.AddRows(
		row.New().Add(append([]core.Col{cell(4, "Обороты за период", statementBold), amountCell(r.Debit.Format(), statementBold),
			amountCell(r.Credit.Format(), statementBold)}, blankSide()...)...),
		balanceRow("Сальдо конечное", r.Closing()),
		text.NewAutoRow(outcome(r), props.Text{Size: 9, Style: bold.Style, Top: 4, Left: 1, Bottom: 2}),
		gap(4),
		row.New(42).Add(
			reconSignature(r.Supplier.Name, signerPosition, signerName),
			col.New(1),
			reconSignature(r.Buyer.Name, buyerPosition, buyerName),
		),
	)
	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: reconciliation %s–%s: %w", day(r.From), day(r.To), err)
	}
	return doc.GetBytes(), nil
}

// The table is set smaller than the other documents': eight columns of
// dates and amounts share the width of the page.
var (
	statementPlain = props.Text{Size: 7, Left: 0.5, Top: 0.8, Right: 0.5, Bottom: 0.8}
	statementBold  = props.Text{Size: 7, Left: 0.5, Top: 0.8, Right: 0.5, Bottom: 0.8, Style: bold.Style}
)

// columnHeads are one side's columns.
func columnHeads() []core.Col {
	return []core.Col{cell(1, "Дата", centered(statementBold)), cell(3, "Документ", centered(statementBold)),
		cell(1, "Дебет", centered(statementBold)), cell(1, "Кредит", centered(statementBold))}
}

// blankSide is the buyer's half of a row, for it to fill in.
func blankSide() []core.Col {
	return []core.Col{cell(1, "", statementPlain), cell(3, "", statementPlain), cell(1, "", statementPlain), cell(1, "", statementPlain)}
}

// operationRow is a payment or a document on the vendor's side.
func operationRow(date, document, debit, credit string) core.Row {
	return row.New().Add(append([]core.Col{cell(1, date, centered(statementPlain)), cell(3, document, statementPlain),
		amountCell(debit, statementPlain), amountCell(credit, statementPlain)}, blankSide()...)...)
}

// amountCell is an amount in its narrow column: set smaller from ten
// million rubles up, so that it stays within its cell.
func amountCell(amount string, p props.Text) core.Col {
	if n := utf8.RuneCountInString(amount); n > 12 {
		p.Size = p.Size * 12 / float64(n)
	}
	return cell(1, amount, right(p))
}

// balanceRow is an opening or closing balance: in the debit column when
// the buyer owes, in the credit column when the vendor holds its advance,
// in neither when they are even.
func balanceRow(label string, balance money.Kopecks) core.Row {
	debit, credit := "", ""
	switch {
	case balance > 0:
		debit = balance.Format()
	case balance < 0:
		credit = (-balance).Format()
	}
	return row.New().Add(append([]core.Col{cell(4, label, statementBold), amountCell(debit, statementBold),
		amountCell(credit, statementBold)}, blankSide()...)...)
}

// entryDocument names what an operation was booked on.
func entryDocument(e db.ReconEntry) string {
	switch e.Form {
	case db.FormUPD:
		return "УПД № " + e.Number + " от " + day(e.Day)
	case db.FormAct:
		return "Акт № " + e.Number + " от " + day(e.Day)
	}
	return "Оплата (п/п № " + orderNumber(e.Number) + " от " + day(e.Day) + ")"
}

// orderNumber is a payment order's number as staff recorded it, without
// the «п/п» or «№» they may have typed before it.
func orderNumber(reference string) string {
	n := strings.TrimSpace(reference)
	for _, prefix := range []string{"п/п", "№"} {
		n = strings.TrimSpace(strings.TrimPrefix(n, prefix))
	}
	return n
}

// amountOrBlank leaves the column an operation does not touch empty.
func amountOrBlank(k money.Kopecks) string {
	if k == 0 {
		return ""
	}
	return k.Format()
}

// outcome says who owes whom at the end of the period, in figures and in
// words.
func outcome(r db.Reconciliation) string {
	head := "По данным " + r.Supplier.Name + " на " + day(r.To)
	creditor, debt := r.Supplier.Name, r.Closing()
	switch {
	case debt == 0:
		return head + " задолженность отсутствует."
	case debt < 0:
		creditor, debt = r.Buyer.Name, -debt // the vendor holds an advance
	}
	words := []rune(money.RublesInWords(debt))
	return fmt.Sprintf("%s задолженность в пользу %s составляет %s (%s).", head, creditor, rubles(debt),
		strings.ToLower(string(words[:1]))+string(words[1:]))
}

// reconSignature is one side's signature block.
func reconSignature(party, position, name string) core.Col {
	if position == "" {
		position = "______________________________"
	}
	return col.New(5).Add(
		text.New("От "+party+":", bold),
		text.New(position, props.Text{Size: 9, Top: 8, Left: 1}),
		text.New("______________ / "+transcript(name)+" /", props.Text{Size: 9, Top: 22, Left: 1}),
		text.New("подпись", props.Text{Size: 7, Top: 26, Left: 8}),
		text.New("М. П.", props.Text{Size: 9, Top: 33, Left: 1}),
	)
}
