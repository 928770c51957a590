// Package static holds the front-end files, embedded in the binary: htmx.min.js
// is htmx.org 2.0.11 from the npm registry (`npm pack htmx.org@2.0.11`, its
// dist/htmx.min.js), app.css and app.js are ELK's own, icons.svg a sprite.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

//go:embed *.js *.css *.svg
var files embed.FS

// FS returns the static files.
func FS() fs.FS { return files }

// Versions maps each file name to a short hash of its content. Pages link
// files as name?v=hash, so a file can be cached for a year and a new
// release still reaches every browser at once.
func Versions() (map[string]string, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		b, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		out[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return out, nil
}
