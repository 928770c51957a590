package handlers

import (
	"html/template"
	"strings"
)

// markup writes HTML in Go for the parts every request of a hot page
// repeats, where html/template would spend reflective calls on each value.
// Texts and attribute values are escaped; names and tags are the caller's
// constants.
type markup struct{ b strings.Builder }

// open writes a start tag with attributes as name, value pairs; an empty
// value leaves its attribute out.
func (m *markup) open(tag string, attrs ...string) {
	m.b.WriteString("<" + tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		writeAttr(&m.b, attrs[i], attrs[i+1])
	}
	m.b.WriteString(">")
}

// close writes an end tag.
func (m *markup) close(tag string) { m.b.WriteString("</" + tag + ">") }

// text writes escaped text.
func (m *markup) text(s string) { escapeTo(&m.b, s) }

// elem writes an element holding only text.
func (m *markup) elem(tag, text string, attrs ...string) {
	m.open(tag, attrs...)
	m.text(text)
	m.close(tag)
}

// raw writes markup that is already safe.
func (m *markup) raw(h template.HTML) { m.b.WriteString(string(h)) }

// HTML is what was written.
func (m *markup) HTML() template.HTML { return template.HTML(m.b.String()) }
