package views

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders CommonMark with tables, strikethrough and autolinks.
// Raw HTML in the text never passes (goldmark leaves it out unless told
// otherwise), nor do javascript: and other dangerous link targets.
var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	noTables = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Linkify))
)

// maxCells bounds the cells of all tables in one text, counted as lines ×
// the widest row.
const maxCells = 20_000

// Markdown renders text written by staff or clients as safe HTML. It is the
// one place that marks a string as safe HTML for the templates: goldmark's
// output with raw HTML and dangerous links left out, or the text escaped.
func Markdown(src string) template.HTML {
	md := markdown
	if tableCells(src) > maxCells {
		// A table pads every row to its header's width: a wide header
		// over thousands of short lines would make millions of cells.
		md = noTables
	}
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String())
}

// tableCells bounds the cells the tables of src could have.
func tableCells(src string) int {
	lines, widest := 0, 0
	for line := range strings.Lines(src) {
		lines++
		widest = max(widest, strings.Count(line, "|")+1)
	}
	return lines * widest
}
