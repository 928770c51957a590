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

// maxInlineWork bounds the inline parser's work on a text, counted as each
// paragraph's marks times its length. Links, emphasis and code spans left
// open make the parser look for their end over the rest of the paragraph:
// 20,000 characters of «[](» take it 80 ms, ten such messages most of a
// second. A paragraph of 20,000 characters may still hold 1,200 marks, and
// rendering within the bound takes a few milliseconds at most.
const maxInlineWork = 24_000_000

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
	if nesting(src) > maxNesting || inlineWork(src) > maxInlineWork {
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

// inlineMarks open or close links, emphasis, code spans and autolinks.
const inlineMarks = "[]()*_~`<\\"

// inlineWork bounds what the inline parser may scan: for each paragraph
// (lines up to a blank one), the marks that open or close something inline
// times the paragraph's bytes.
func inlineWork(src string) int {
	work, marks, size := 0, 0, 0
	for line := range strings.Lines(src) {
		if strings.TrimSpace(line) == "" {
			work, marks, size = work+marks*size, 0, 0
			continue
		}
		for i := range len(line) {
			if strings.IndexByte(inlineMarks, line[i]) >= 0 {
				marks++
			}
		}
		size += len(line)
	}
	return work + marks*size
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
