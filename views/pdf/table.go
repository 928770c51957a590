package pdf

import (
	"slices"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// column is a column of the счёт-фактура's table.
type column struct {
	code  string // its number on the form: «1а», «5»
	title string // its heading; under a group's heading, the part below it
	group string // a heading over this column and the next
	width int    // millimetres
	right bool   // amounts and quantities stand to the right
	text  bool   // the name stands to the left
}

// vatInvoiceColumns are the columns of the счёт-фактура form in force since
// ПП № 534 (01.07.2021), 277 mm wide; a heading's word too long for its
// column is hyphenated.
var vatInvoiceColumns = []column{
	{code: "1", title: "№ п/п", width: 6},
	{code: "1а", title: "Наименование товара (описание выполненных работ, оказанных услуг), имущественного права", width: 56, text: true},
	{code: "1б", title: "Код вида товара", width: 9},
	{code: "2", group: "Единица измерения", title: "код", width: 8},
	{code: "2а", title: "условное обозна- чение (нацио- нальное)", width: 11},
	{code: "3", title: "Количество (объём)", width: 13, right: true},
	{code: "4", title: "Цена (тариф) за единицу измерения", width: 16, right: true},
	{code: "5", title: "Стоимость товаров (работ, услуг), имущественных прав без налога — всего", width: 19, right: true},
	{code: "6", title: "В том числе сумма акциза", width: 14},
	{code: "7", title: "Налоговая ставка", width: 12},
	{code: "8", title: "Сумма налога, предъявляемая покупателю", width: 17, right: true},
	{code: "9", title: "Стоимость товаров (работ, услуг), имущественных прав с налогом — всего", width: 19, right: true},
	{code: "10", group: "Страна происхождения товара", title: "цифро- вой код", width: 8},
	{code: "10а", title: "краткое наимено- вание", width: 11},
	{code: "11", title: "Регистрационный номер декларации на товары или регистрационный номер партии товара, подлежащего прослеживаемости", width: 18},
	{code: "12", group: "Количественная единица измерения товара, используемая в целях осуществления прослеживаемости", title: "код", width: 8},
	{code: "12а", title: "условное обозна- чение", width: 10},
	{code: "13", title: "Количество товара, подлежащего прослеживаемости, в количественной единице измерения товара, используемой в целях осуществления прослеживаемости", width: 22},
}

// updColumns are the same preceded by the УПД's column А, the code of the
// goods or services, taken from the name's width.
var updColumns = func() []column {
	cols := slices.Clone(vatInvoiceColumns)
	cols[1].width -= 10
	return append([]column{{code: "А", title: "Код товара/ работ, услуг", width: 10}}, cols...)
}()

var (
	openBelow = &props.Cell{BorderType: border.Left | border.Top | border.Right, BorderThickness: 0.2}
	openAbove = &props.Cell{BorderType: border.Left | border.Bottom | border.Right, BorderThickness: 0.2}
)

// tableHeader is the table's heading: a row of headings, where a group's
// heading spans its two columns, a row of the grouped columns' own
// headings, and the row of column numbers.
func tableHeader(cols []column) []core.Row {
	top, below, numbers := row.New(), row.New(), row.New()
	for i := 0; i < len(cols); i++ {
		c := cols[i]
		numbers.Add(textCol(c.width, c.code, tableHead).WithStyle(boxed))
		if c.group == "" {
			top.Add(textCol(c.width, c.title, tableHead).WithStyle(openBelow))
			below.Add(col.New(c.width).WithStyle(openAbove))
			continue
		}
		next := cols[i+1]
		numbers.Add(textCol(next.width, next.code, tableHead).WithStyle(boxed))
		top.Add(textCol(c.width+next.width, c.group, tableHead).WithStyle(boxed))
		below.Add(textCol(c.width, c.title, tableHead).WithStyle(boxed), textCol(next.width, next.title, tableHead).WithStyle(boxed))
		i++
	}
	return []core.Row{top, below, numbers}
}

// cells are a row of the table: its cells by column number; a column not
// given is a dash.
type cells map[string]string

// tableRow lays out a row of the table: the name to the left, amounts to
// the right, the rest and every dash centred.
func tableRow(cols []column, l cells) core.Row {
	r := row.New()
	for _, c := range cols {
		v, ok := l[c.code]
		if !ok {
			v = dash
		}
		p := tableText
		switch {
		case c.text && v != dash:
		case c.right && v != dash:
			p.Align = align.Right
		default:
			p.Align = align.Center
		}
		r.Add(textCol(c.width, v, p).WithStyle(boxed))
	}
	return r
}

// tableTotal is the row «Всего к оплате (9)»: the totals of columns 5, 8
// and 9 under them, a cross over 6 and 7, nothing after 9.
func tableTotal(cols []column, l cells) core.Row {
	at := func(code string) int { return slices.IndexFunc(cols, func(c column) bool { return c.code == code }) }
	width := func(from, to int) (w int) {
		for _, c := range cols[from:to] {
			w += c.width
		}
		return w
	}
	five, six, eight, nine := at("5"), at("6"), at("8"), at("9")
	amount := func(i int) core.Col {
		return textCol(cols[i].width, fill(l[cols[i].code]), tableBold(align.Right)).WithStyle(boxed)
	}
	return row.New().Add(
		textCol(width(0, five), "Всего к оплате (9)", tableBold(align.Left)).WithStyle(boxed),
		amount(five),
		textCol(width(six, eight), "Х", tableBold(align.Center)).WithStyle(boxed),
		amount(eight),
		amount(nine),
		blank(width(nine+1, len(cols))),
	)
}

// tableBold is the table's bold text, aligned a.
func tableBold(a align.Type) props.Text {
	p := tableText
	p.Style, p.Align = bold.Style, a
	return p
}
