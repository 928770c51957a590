package pdf

import (
	"bytes"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/phpdave11/gofpdf"
)

// gofpdf, under maroto, writes its fonts and images in map order unless told
// to sort them; a package default, set before any document is drawn, since
// maroto does not reach the flag of each document. (Images are sorted by
// width, so two of one width would still come in map order; a document has
// at most one, the payment QR code.)
func init() { gofpdf.SetDefaultCatalogSort(true) }

// datedDoc is a document whose ModDate is its own date too: maroto sets only
// the CreationDate, and gofpdf writes the time of drawing as the ModDate.
type datedDoc struct {
	core.Maroto
	date time.Time
}

// Generate draws the document and writes its date over the ModDate's, in
// the info dictionary gofpdf leaves uncompressed; the date is as wide as
// the one it replaces, so the cross-reference offsets stay right.
func (d datedDoc) Generate() (core.Document, error) {
	doc, err := d.Maroto.Generate()
	if err != nil {
		return nil, err
	}
	b := bytes.Clone(doc.GetBytes())
	key := []byte("/ModDate (D:")
	if i := bytes.LastIndex(b, key); i >= 0 {
		copy(b[i+len(key):], d.date.Format(pdfDate))
	}
	return core.NewPDF(b, doc.GetReport()), nil
}

// pdfDate is how gofpdf writes the info dictionary's dates, after «D:».
const pdfDate = "20060102150405"

// layoutVersion is raised with every change to a layout, so that kept PDFs
// are drawn again even by a build that carries no revision (built without
// its repository).
const layoutVersion = 2

// Build names what draws documents: the layouts' version and the build's
// revision, marked when built from a changed tree.
var Build = sync.OnceValue(func() string {
	revision := ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision":
				revision = s.Value + revision
			case s.Key == "vcs.modified" && s.Value == "true":
				revision += "+modified"
			}
		}
	}
	return fmt.Sprintf("layout %d %s", layoutVersion, revision)
})
