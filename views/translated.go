package views

import (
	"bytes"
	"html"
	"io"
	"io/fs"
	"regexp"
	"strings"
)

// constantAction is a template action whose result is fixed for the
// binary and language: a fixed key's translation, {{ .T "key" }},
// {{ $.T "key" }}, {{ .P.T "key" }}, {{ $.P.T "key" }}, or a static
// file's address, {{ asset "name" }}.
var constantAction = regexp.MustCompile(`\{\{ (?:\$?\.?(?:P\.)?T|(asset)) "([a-z0-9_.-]+)" \}\}`)

// ResolvedTemplates are the templates with every constant action written
// in, for one language: the text a call would give, HTML-escaped so that it
// reads the same in text and in attributes. A call costs a reflective call
// and an escaper per render; most of a page's are constant. assetURL gives
// a static file's versioned address.
func ResolvedTemplates(cat *Catalog, assetURL func(name string) string) fs.FS {
	return translatedFS{cat: cat, assetURL: assetURL}
}

type translatedFS struct {
	cat      *Catalog
	assetURL func(string) string
}

func (t translatedFS) Open(name string) (fs.File, error) {
	f, err := templates.Open(name)
	if err != nil || !strings.HasSuffix(name, ".html") {
		return f, err
	}
	defer f.Close()
	src, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	out := constantAction.ReplaceAllFunc(src, func(action []byte) []byte {
		m := constantAction.FindSubmatch(action)
		text := t.cat.T(string(m[2]))
		if len(m[1]) > 0 {
			text = t.assetURL(string(m[2]))
		}
		if strings.Contains(text, "{{") {
			return action // would read as an action: keep the call
		}
		return []byte(html.EscapeString(text))
	})
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(out), info: sizedInfo{info, int64(len(out))}}, nil
}

// ReadDir lists the folders as they are.
func (t translatedFS) ReadDir(name string) ([]fs.DirEntry, error) { return templates.ReadDir(name) }

// memFile is a rewritten template file.
type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m.info, nil }
func (m *memFile) Close() error               { return nil }

// sizedInfo is a file's information with its rewritten size.
type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }
