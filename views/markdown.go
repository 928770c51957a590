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

// Bounds of a text rendered as Markdown; beyond them it is shown as the
// plain text it is. Nesting (quotes in quotes, lists in lists) deeper than
// anyone writes costs the renderer and the browser dearly: 20,000 «>»
// make half a megabyte of HTML that takes a browser seconds to lay out.
const (
	maxNesting  = 16
	maxRendered = 256 << 10 // bytes of HTML
)

// Markdown renders text written by staff or clients as safe HTML. It is the
// one place that marks a string as safe HTML for the templates: goldmark's
// output with raw HTML and dangerous links left out, or the text escaped
// and shown as written, its lines kept, when it is beyond the bounds.
func Markdown(src string) template.HTML {
	if out, ok := render(src); ok {
		return template.HTML(out)
	}
	return template.HTML(`<p class="plain">` + template.HTMLEscapeString(src) + `</p>`)
}

// render converts Markdown within the bounds; ok is false beyond them.
func render(src string) (out string, ok bool) {
	if nesting(src) > maxNesting {
		return "", false
	}
	md := markdown
	if tableCells(src) > maxCells {
		// A table pads every row to its header's width: a wide header
		// over thousands of short lines would make millions of cells.
		md = noTables
	}
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil || b.Len() > maxRendered {
		return "", false
	}
	return b.String(), true
}

// nesting bounds how deep the text nests its blocks: on any line, its
// quote markers and every two spaces of indent (a list item in a list).
func nesting(src string) int {
	deepest := 0
	for line := range strings.Lines(src) {
		depth, spaces := 0, 0
	scan:
		for _, r := range line {
			switch r {
			case '>':
				depth++
			case ' ':
				spaces++
			case '\t':
				spaces += 4
			default:
				break scan
			}
		}
		deepest = max(deepest, depth+spaces/2)
	}
	return deepest
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
