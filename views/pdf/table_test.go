package pdf

import "testing"

// The tables span the landscape page between its margins exactly.
func TestTablesSpanThePage(t *testing.T) {
	for name, cols := range map[string][]column{"счёт-фактура": vatInvoiceColumns, "УПД": updColumns} {
		width := 0
		for _, c := range cols {
			width += c.width
		}
		if width != pageWidth {
			t.Errorf("the %s's table is %d mm wide, not %d", name, width, pageWidth)
		}
	}
}
