package handlers

import (
	"html"
	"html/template"
	"strings"
)

// tableRows writes the rows of a long table as markup in Go: a page of 50
// rows has hundreds of values, and html/template spends a reflective call
// or two on each. Every text is escaped here.
type tableRows struct {
	b      strings.Builder
	labels []string // each column's name, shown before the value on a phone
	n      int
}

// cell is one value of a row: its text, the cell's class, the class of a
// span around the text (a badge), if any, and a muted note after it.
type cell struct {
	text, class, span, note string
}

func newTableRows(labels ...string) *tableRows { return &tableRows{labels: labels} }

// row adds a row of cells, one per label.
func (t *tableRows) row(cells ...cell) {
	t.n++
	t.b.WriteString("<tr>")
	for i, c := range cells {
		t.b.WriteString(`<td data-label="` + html.EscapeString(t.labels[i]) + `"`)
		if c.class != "" {
			t.b.WriteString(` class="` + html.EscapeString(c.class) + `"`)
		}
		t.b.WriteString(">")
		text := html.EscapeString(c.text)
		if c.span != "" {
			text = `<span class="` + html.EscapeString(c.span) + `">` + text + "</span>"
		}
		if c.note != "" {
			text = "<div>" + text + ` <span class="muted">` + html.EscapeString(c.note) + "</span></div>"
		}
		t.b.WriteString(text)
		t.b.WriteString("</td>")
	}
	t.b.WriteString("</tr>\n")
}

// HTML is the rows' markup.
func (t *tableRows) HTML() template.HTML { return template.HTML(t.b.String()) }
