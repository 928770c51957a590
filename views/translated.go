package views

import (
	"bytes"
	"html"
	"io"
	"io/fs"
	"regexp"
	"strings"
)

// constantT is a template action that only translates a fixed key:
// {{ .T "key" }}, {{ $.T "key" }}, {{ .P.T "key" }}, {{ $.P.T "key" }}.
var constantT = regexp.MustCompile(`\{\{ \$?\.?(?:P\.)?T "([a-z0-9_.]+)" \}\}`)

// TranslatedTemplates are the templates with every fixed translation
// written in, in one language: the text a call would give, HTML-escaped so
// that it reads the same in text and in attributes. A call costs a
// reflective method call per render; most of a page's are fixed keys.
func TranslatedTemplates(cat *Catalog) fs.FS { return translatedFS{cat: cat} }

type translatedFS struct{ cat *Catalog }

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
	out := constantT.ReplaceAllFunc(src, func(action []byte) []byte {
		text := t.cat.T(string(constantT.FindSubmatch(action)[1]))
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
