package handlers

import (
	"html/template"
	"math"
	"strconv"
	"strings"
)

// svgShapes writes a chart's shapes as markup in Go: a chart has hundreds
// of numbers, and html/template spends a reflective call or two on each.
type svgShapes struct{ b strings.Builder }

// rect adds a rectangle of a class with a tooltip ("" for none).
func (s *svgShapes) rect(class string, x, y, w, h float64, title string) {
	s.b.WriteString(`<rect class="`)
	escapeTo(&s.b, class)
	s.b.WriteByte('"')
	s.attr(" x=\"", x)
	s.attr(" y=\"", y)
	s.attr(" width=\"", w)
	s.attr(" height=\"", h)
	s.b.WriteByte('>')
	if title != "" {
		s.b.WriteString("<title>")
		escapeTo(&s.b, title)
		s.b.WriteString("</title>")
	}
	s.b.WriteString("</rect>")
}

// attr writes a number attribute to a tenth, as integers: the charts'
// coordinates are most of their markup. opening is ` name="`.
func (s *svgShapes) attr(opening string, v float64) {
	tenths := int64(math.Round(v * 10))
	var buf [24]byte
	out := append(buf[:0], opening...)
	if tenths < 0 {
		out, tenths = append(out, '-'), -tenths
	}
	out = strconv.AppendInt(out, tenths/10, 10)
	out = append(out, '.', byte('0'+tenths%10), '"')
	s.b.Write(out)
}

// line adds a line of a class between two points.
func (s *svgShapes) line(class string, x1, y1, x2, y2 int) {
	s.b.WriteString(`<line class="`)
	escapeTo(&s.b, class)
	s.b.WriteString(`" x1="` + strconv.Itoa(x1) + `" y1="` + strconv.Itoa(y1) + `" x2="` + strconv.Itoa(x2) + `" y2="` + strconv.Itoa(y2) + `"></line>`)
}

// text adds a label of a class at a point, ending there when end is set.
func (s *svgShapes) text(class string, x, y int, end bool, label string) {
	s.b.WriteString(`<text class="`)
	escapeTo(&s.b, class)
	s.b.WriteString(`" x="` + strconv.Itoa(x) + `" y="` + strconv.Itoa(y) + `"`)
	if end {
		s.b.WriteString(` text-anchor="end"`)
	}
	s.b.WriteByte('>')
	escapeTo(&s.b, label)
	s.b.WriteString("</text>")
}

// group opens a group of shapes with one tooltip, written from its parts;
// end closes it.
func (s *svgShapes) group(title ...string) {
	s.b.WriteString("<g><title>")
	for _, part := range title {
		escapeTo(&s.b, part)
	}
	s.b.WriteString("</title>")
}
func (s *svgShapes) end() { s.b.WriteString("</g>") }

// HTML is the markup, every text in it escaped.
func (s *svgShapes) HTML() template.HTML { return template.HTML(s.b.String()) }
