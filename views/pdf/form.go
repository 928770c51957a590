package pdf

import (
	"time"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// The wide forms (УПД, счёт-фактура) are laid out on the landscape page's
// millimetre grid in the small type of the official blanks: the text of the
// form, a caption under a line to fill, a heading of the table and its cells.
var (
	formText  = props.Text{Size: 7, Top: 0.4, Bottom: 0.3, Left: 0.5, Right: 0.5}
	formBold  = props.Text{Size: 7, Top: 0.4, Bottom: 0.3, Left: 0.5, Right: 0.5, Style: fontstyle.Bold}
	caption   = props.Text{Size: 5, Top: 0.2, Bottom: 0.4, Left: 0.5, Right: 0.5, Align: align.Center}
	tableHead = props.Text{Size: 5, Top: 0.6, Bottom: 0.6, Left: 0.4, Right: 0.4, Align: align.Center}
	tableText = props.Text{Size: 6.5, Top: 0.8, Bottom: 0.8, Left: 0.6, Right: 0.6}
)

var (
	underline = &props.Cell{BorderType: border.Bottom, BorderThickness: 0.2}
	boxed     = &props.Cell{BorderType: border.Full, BorderThickness: 0.2}
)

// dash fills a field the document has nothing for, as the rules of the
// счёт-фактура form ask.
const dash = "—"

// day writes a date as the forms do: «30.11.2026».
func day(t time.Time) string { return t.Format("02.01.2006") }

// textCol is a column of the grid holding a text.
func textCol(width int, s string, p props.Text) core.Col {
	return col.New(width).Add(text.New(s, p))
}

// filled is a line filled in on the form: the value over a rule.
func filled(width int, s string, p props.Text) core.Col {
	return textCol(width, s, p).WithStyle(underline)
}

// code is the number of a line of the form, printed at its right end: «(2а)», «[11]».
func code(width int, s string) core.Col {
	return textCol(width, s, props.Text{Size: 6, Top: 1, Right: 1, Align: align.Right})
}

// blank is an empty stretch of a row.
func blank(width int) core.Col { return col.New(width) }

// fill is the text of a field, or a dash when there is none.
func fill(s string) string {
	if s == "" {
		return dash
	}
	return s
}
