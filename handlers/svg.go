package handlers

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// svgShapes writes a chart's shapes as markup in Go: a chart has hundreds
// of numbers, and html/template spends a reflective call or two on each.
type svgShapes struct{ b strings.Builder }

// rect adds a rectangle of a class with a tooltip ("" for none).
func (s *svgShapes) rect(class string, x, y, w, h float64, title string) {
	fmt.Fprintf(&s.b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f">`, html.EscapeString(class), x, y, w, h)
	if title != "" {
		s.b.WriteString("<title>" + html.EscapeString(title) + "</title>")
	}
	s.b.WriteString("</rect>")
}

// group opens a group of shapes with one tooltip; end closes it.
func (s *svgShapes) group(title string) {
	s.b.WriteString("<g><title>" + html.EscapeString(title) + "</title>")
}
func (s *svgShapes) end() { s.b.WriteString("</g>") }

// HTML is the markup, every text in it escaped.
func (s *svgShapes) HTML() template.HTML { return template.HTML(s.b.String()) }
