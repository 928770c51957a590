package pdf

import (
	"time"

	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/core"
)

// pager adds a form's rows to its document keeping blocks of them whole:
// a block that would not fit in what is left of a page starts the next one,
// so that a table row or a block of signatures is never split. Rows are
// measured on a ruler, a scratch document of the same page.
type pager struct {
	doc, ruler core.Maroto
}

// newPager starts a document; a ruler may be shared by the documents of one
// form, as by the passes of drawnOnSheets.
func newPager(ruler core.Maroto, title string, date time.Time, options ...option) (*pager, error) {
	doc, err := newDocument(title, date, options...)
	if err != nil {
		return nil, err
	}
	return &pager{doc: doc, ruler: ruler}, nil
}

// add adds rows that may part at a page's end.
func (p *pager) add(rows ...core.Row) { p.doc.AddRows(rows...) }

// keep adds rows on one page; on a page it starts, the rows of heading
// come first (a table's column numbers).
func (p *pager) keep(heading []core.Row, rows ...core.Row) {
	p.ruler.AddRows(rows...)
	height := 0.0
	for _, r := range rows {
		h, _ := r.GetStructure().GetData().Value.(float64)
		height += h
	}
	if !p.doc.FitlnCurrentPage(height) {
		p.doc.AddPages(page.New())
		p.doc.AddRows(heading...)
	}
	p.doc.AddRows(rows...)
}
