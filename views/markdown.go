package views

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders CommonMark with tables, strikethrough and autolinks.
// Raw HTML in the text never passes (goldmark leaves it out unless told
// otherwise), nor do javascript: and other dangerous link targets.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

// Markdown renders text written by staff or clients as safe HTML. The
// rendering depends on the text alone, so recent ones are remembered: the
// same answers and news are shown on every visit to their page.
func Markdown(src string) template.HTML {
	if out, ok := rendered.get(src); ok {
		return out
	}
	var b bytes.Buffer
	out := template.HTML(template.HTMLEscapeString(src))
	if err := markdown.Convert([]byte(src), &b); err == nil {
		out = template.HTML(b.String())
	}
	rendered.put(src, out)
	return out
}

// renderedMemo maps texts to their HTML. It holds up to memoBytes of texts
// and starts afresh when full; long texts are not kept.
type renderedMemo struct {
	mu    sync.Mutex
	bytes int
	html  map[string]template.HTML
}

const (
	memoBytes   = 8 << 20
	memoLongest = 64 << 10
)

var rendered renderedMemo

func (m *renderedMemo) get(src string) (template.HTML, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out, ok := m.html[src]
	return out, ok
}

func (m *renderedMemo) put(src string, out template.HTML) {
	if len(src) > memoLongest {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.html == nil || m.bytes+len(src)+len(out) > memoBytes {
		m.html, m.bytes = make(map[string]template.HTML), 0
	}
	m.html[src] = out
	m.bytes += len(src) + len(out)
}
