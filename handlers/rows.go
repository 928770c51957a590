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
	labels []string // each column's data-label attribute, escaped; "" for none
	left   int      // rows still expected after the first
}

// cell is one value of a row: its text, the cell's class, the class of a
// span around the text (a badge), if any, a muted note after it, and the
// address the text links to. Markup built with link replaces the text.
type cell struct {
	text, class, span, note, href string
	html                          template.HTML
}

// newTableRows starts n rows under columns of these names, shown before
// each value on a phone. A column without a name has no label there: its
// actions speak for it.
func newTableRows(n int, labels ...string) *tableRows {
	t := &tableRows{labels: make([]string, len(labels)), left: n - 1}
	for i, l := range labels {
		if l != "" {
			t.labels[i] = ` data-label="` + html.EscapeString(l) + `"`
		}
	}
	return t
}

// row adds a row of cells, one per label.
func (t *tableRows) row(cells ...cell) { t.rowWith("", "", cells...) }

// rowWith adds a row with an id and a class, either may be empty.
func (t *tableRows) rowWith(id, class string, cells ...cell) {
	b := &t.b
	b.WriteString("<tr")
	writeAttr(b, "id", id)
	writeAttr(b, "class", class)
	b.WriteString(">")
	for i, c := range cells {
		b.WriteString("<td")
		b.WriteString(t.labels[i])
		writeAttr(b, "class", c.class)
		b.WriteString(">")
		if c.note != "" {
			b.WriteString("<div>")
		}
		if c.span != "" {
			writeTag(b, "span", "class", c.span)
		}
		switch {
		case c.html != "":
			b.WriteString(string(c.html))
		case c.href != "":
			writeTag(b, "a", "href", c.href)
			escapeTo(b, c.text)
			b.WriteString("</a>")
		default:
			escapeTo(b, c.text)
		}
		if c.span != "" {
			b.WriteString("</span>")
		}
		if c.note != "" {
			b.WriteString(` <span class="muted">`)
			escapeTo(b, c.note)
			b.WriteString("</span></div>")
		}
		b.WriteString("</td>")
	}
	b.WriteString("</tr>\n")
	if t.left > 0 {
		// The first row tells the size of the rest: room for them at once,
		// rather than a buffer doubled and copied four times over a page.
		b.Grow(t.left * b.Len() * 5 / 4)
		t.left = 0
	}
}

// writeTag opens an element with one attribute.
func writeTag(b *strings.Builder, tag, name, value string) {
	b.WriteByte('<')
	b.WriteString(tag)
	writeAttr(b, name, value)
	b.WriteByte('>')
}

// writeAttr writes an attribute unless its value is empty.
func writeAttr(b *strings.Builder, name, value string) {
	if value != "" {
		b.WriteByte(' ')
		b.WriteString(name)
		b.WriteString(`="`)
		escapeTo(b, value)
		b.WriteByte('"')
	}
}

// escapeTo writes s escaped as html.EscapeString does, without a copy;
// most texts have nothing to escape.
func escapeTo(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if htmlSpecial[s[i]] {
			htmlEscaper.WriteString(b, s)
			return
		}
	}
	b.WriteString(s)
}

// htmlSpecial marks the bytes html.EscapeString replaces. A table lookup a
// byte, because strings.ContainsAny, decoding each rune of a Russian text,
// was most of escapeTo's cost.
var htmlSpecial = [256]bool{'&': true, '\'': true, '<': true, '>': true, '"': true}

var htmlEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;")

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
