package pdf

import (
	"fmt"
	"time"

	"github.com/johnfercher/maroto/v2/pkg/core"

	"elk/db"
)

// ClosingDoc lays out a closing document in its form: the act issued
// before УПД, the УПД, or the advance счёт-фактура.
func ClosingDoc(d db.ClosingDoc) ([]byte, error) {
	switch d.Form {
	case db.FormAct:
		return Act(d)
	case db.FormUPD:
		return UPD(d)
	case db.FormAdvance:
		return AdvanceInvoice(d)
	}
	return nil, fmt.Errorf("pdf: closing document %s: unknown form %q", d.Number, d.Form)
}

// drawnOnSheets draws a landscape form that says how many sheets it takes:
// laid out once to count them, then again with the count, which takes no
// room of its own, printed. Both passes measure their rows on one ruler.
func drawnOnSheets(name string, draw func(ruler core.Maroto, sheets int) (core.Maroto, error)) ([]byte, error) {
	ruler, err := newDocument(name, time.Time{}, landscape)
	if err != nil {
		return nil, err
	}
	m, err := draw(ruler, 1)
	if err != nil {
		return nil, err
	}
	if m, err = draw(ruler, len(m.GetStructure().GetNexts())); err != nil {
		return nil, err
	}
	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: %s: %w", name, err)
	}
	return doc.GetBytes(), nil
}
