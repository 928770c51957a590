// Package pdf lays out the invoices and acts as PDF documents, in Russian.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"elk/db"
	"elk/db/money"
)

// fonts are the Go fonts, which have every Cyrillic letter, in a copy of
// their own for each document: gofpdf pads the font's tables in place when
// it cuts the subset the document uses, and documents drawn at once would
// write into the same bytes. The copy costs microseconds.
func fonts() ([]*entity.CustomFont, error) {
	return repository.New().
		AddUTF8FontFromBytes("go", fontstyle.Normal, bytes.Clone(goregular.TTF)).
		AddUTF8FontFromBytes("go", fontstyle.Bold, bytes.Clone(gobold.TTF)).Load()
}

// newDocument starts an A4 page in Russian whose metadata carries the
// document's own date, so the same row always gives the same bytes. The
// page is portrait on a grid of 12 columns unless an option says otherwise.
func newDocument(title string, date time.Time, options ...option) (core.Maroto, error) {
	f, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("pdf: fonts: %w", err)
	}
	b := config.NewBuilder().WithPageSize(pagesize.A4).
		WithLeftMargin(15).WithTopMargin(12).WithRightMargin(12).
		WithCustomFonts(f).WithDefaultFont(&props.Font{Family: "go", Size: 9}).
		WithTitle(title, true).WithCreator("ЕЛК", true).WithCreationDate(date)
	for _, o := range options {
		b = o(b)
	}
	return datedDoc{Maroto: maroto.New(b.Build()), date: date}, nil
}

// option changes how a document's pages are set.
type option func(config.Builder) config.Builder

// landscape turns the page for the wide forms (УПД, счёт-фактура) and makes
// a grid column one millimetre of the 277 between the margins, so that their
// tables give every column its width in millimetres.
func landscape(b config.Builder) config.Builder {
	return b.WithOrientation(orientation.Horizontal).WithMaxGridSize(pageWidth).
		WithLeftMargin(10).WithRightMargin(10).WithTopMargin(8).WithBottomMargin(8)
}

// pageWidth is the width between the margins of a landscape page, in millimetres.
const pageWidth = 297 - 10 - 10

var (
	cellBorder = &props.Cell{BorderType: border.Full, BorderThickness: 0.2}
	plain      = props.Text{Size: 9, Left: 1, Top: 1, Right: 1, Bottom: 1}
	bold       = props.Text{Size: 9, Left: 1, Top: 1, Right: 1, Bottom: 1, Style: fontstyle.Bold}
	small      = props.Text{Size: 7, Left: 1, Top: 0.5, Right: 1, Bottom: 1}
)

// cell is a bordered table cell.
func cell(size int, s string, p props.Text) core.Col {
	return col.New(size).Add(text.New(s, p)).WithStyle(cellBorder)
}

// right is a text aligned to the right.
func right(p props.Text) props.Text {
	p.Align = align.Right
	return p
}

// centered is a text centred.
func centered(p props.Text) props.Text {
	p.Align = align.Center
	return p
}

// gap is an empty row of the height in millimetres.
func gap(mm float64) core.Row { return row.New(mm) }

// rule is a horizontal line across the page.
func rule() core.Row { return line.NewRow(4, props.Line{Thickness: 0.6, SizePercent: 100}) }

// party writes a side's requisites on one line, as Russian documents do:
// its name, its numbers as its country names them, and where it is.
func party(r db.Requisites) string {
	parts := append([]string{r.Name}, taxIDs(r)...)
	if p := place(r); p != "" {
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// longDate writes a date the documents' way: «27 ноября 2026 г.».
func longDate(t time.Time) string {
	months := []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
	return fmt.Sprintf("%d %s %d г.", t.Day(), months[t.Month()-1], t.Year())
}

// vatLine is the VAT row's label and amount.
func vatLine(rate int, vat money.Kopecks) (string, string) {
	if rate == money.NoVAT {
		return "Без НДС", "—"
	}
	return fmt.Sprintf("В том числе НДС %d%%:", rate), vat.Format()
}

// initials shortens «Соколов Андрей Викторович» to «Соколов А. В.».
func initials(full string) string {
	words := strings.Fields(full)
	if len(words) == 0 {
		return ""
	}
	out := words[0]
	for _, w := range words[1:] {
		out += " " + string([]rune(w)[0]) + "."
	}
	return out
}

// unit is a unit of measure as documents print it: its code in the
// Общероссийский классификатор единиц измерения (ОК 015-94, ОКЕИ) and its
// short name there.
type unit struct{ code, short string }

// unitOf is the ОКЕИ unit of a tariff's unit: an SMS part and a request are
// pieces (796 «шт»), a month is 362 «мес»; a service paid as a whole is a
// conventional unit (876 «усл. ед»).
func unitOf(u string) unit {
	switch u {
	case db.UnitSMSPart, db.UnitRequest:
		return unit{"796", "шт"}
	case db.UnitMonth:
		return unit{"362", "мес"}
	}
	return unit{"876", "усл. ед"}
}
