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
// span around the text (a badge), if any, a muted note after it, and the
// address the text links to. Markup built with link replaces the text.
type cell struct {
	text, class, span, note, href string
	html                          template.HTML
}

func newTableRows(labels ...string) *tableRows { return &tableRows{labels: labels} }

// row adds a row of cells, one per label.
func (t *tableRows) row(cells ...cell) { t.rowWith("", "", cells...) }

// rowWith adds a row with an id and a class, either may be empty. A cell
// whose label is empty has no label on a phone: its actions speak for it.
func (t *tableRows) rowWith(id, class string, cells ...cell) {
	t.n++
	t.b.WriteString("<tr")
	writeAttr(&t.b, "id", id)
	writeAttr(&t.b, "class", class)
	t.b.WriteString(">")
	for i, c := range cells {
		t.b.WriteString("<td")
		writeAttr(&t.b, "data-label", t.labels[i])
		if c.class != "" {
			t.b.WriteString(` class="` + html.EscapeString(c.class) + `"`)
		}
		t.b.WriteString(">")
		text := html.EscapeString(c.text)
		if c.href != "" {
			text = `<a href="` + html.EscapeString(c.href) + `">` + text + "</a>"
		}
		if c.html != "" {
			text = string(c.html)
		}
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

// writeAttr writes an attribute unless its value is empty.
func writeAttr(b *strings.Builder, name, value string) {
	if value != "" {
		b.WriteString(" " + name + `="` + html.EscapeString(value) + `"`)
	}
}

// link is a link for a cell: attrs are name and value pairs, and a name
// with an empty value stands alone (download).
func link(href, text string, attrs ...string) template.HTML {
	var b strings.Builder
	b.WriteString(`<a href="` + html.EscapeString(href) + `"`)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			b.WriteString(" " + attrs[i])
			continue
		}
		writeAttr(&b, attrs[i], attrs[i+1])
	}
	b.WriteString(">" + html.EscapeString(text) + "</a>")
	return template.HTML(b.String())
}

// HTML is the rows' markup.
func (t *tableRows) HTML() template.HTML { return template.HTML(t.b.String()) }
