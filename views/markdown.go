package views

import (
	"bytes"
	"html/template"
	"strings"
	"sync"

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

const (
	maxCells  = 20_000 // of all tables in one text, counted as lines × the widest row
	memoBytes = 8 << 20
	memoLimit = 64 << 10 // texts and renderings longer than this are not remembered
)

// Markdown renders text written by staff or clients as safe HTML. The
// rendering depends on the text alone, so recent ones are remembered: the
// same answers and news are shown on every visit to their page.
func Markdown(src string) template.HTML {
	if out, ok := rendered.get(src); ok {
		return out
	}
	md := markdown
	if tableCells(src) > maxCells {
		// A table pads every row to its header's width: a wide header
		// over thousands of short lines would make millions of cells.
		md = noTables
	}
	var b bytes.Buffer
	out := template.HTML(template.HTMLEscapeString(src))
	if err := md.Convert([]byte(src), &b); err == nil {
		out = template.HTML(b.String())
	}
	rendered.put(src, out)
	return out
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

// renderedMemo maps texts to their HTML, up to memoBytes of both; when it
// is full, arbitrary entries make way for new ones.
type renderedMemo struct {
	mu    sync.Mutex
	bytes int
	html  map[string]template.HTML
}

// entryOverhead is what the map spends on an entry besides its strings.
const entryOverhead = 64

var rendered renderedMemo

func (m *renderedMemo) get(src string) (template.HTML, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out, ok := m.html[src]
	return out, ok
}

func (m *renderedMemo) put(src string, out template.HTML) {
	size := len(src) + len(out) + entryOverhead
	if len(src) > memoLimit || len(out) > memoLimit {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.html == nil {
		m.html = make(map[string]template.HTML)
	}
	for k, v := range m.html { // map order is random: arbitrary entries
		if m.bytes+size <= memoBytes {
			break
		}
		delete(m.html, k)
		m.bytes -= len(k) + len(v) + entryOverhead
	}
	m.html[src] = out
	m.bytes += size
}
