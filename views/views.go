// Package views holds the HTML templates and the translation catalogs, embedded in the binary.
package views

import (
	"embed"
	"io/fs"
)

//go:embed layouts partials auth account company users admin errors services transactions documents monitoring news questions tickets
var templates embed.FS

// Templates returns the template files, named by their path without the ".html" suffix.
func Templates() fs.FS { return templates }
