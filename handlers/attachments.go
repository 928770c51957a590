package handlers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// Attachment limits: a message carries a few files of up to 10 MB each.
const (
	maxAttachmentSize = 10 << 20
	maxAttachments    = 3
	maxAttachmentName = 150
	attachmentField   = "files"
)

// fileKind is an allowed kind of attachment: the type it is served with
// and how its first bytes look (nil for text, which must hold no NUL).
type fileKind struct {
	contentType string
	magic       [][]byte
	inline      bool // shown in the browser rather than saved
}

var (
	textKind = fileKind{contentType: "text/plain; charset=utf-8"}
	gzipKind = fileKind{contentType: "application/gzip", magic: [][]byte{{0x1f, 0x8b}}}
	jpegKind = fileKind{contentType: "image/jpeg", magic: [][]byte{{0xff, 0xd8, 0xff}}, inline: true}
)

// fileKinds are the attachments allowed, by extension: images, PDF, text,
// logs and archives. The sender's own content type is never trusted.
var fileKinds = map[string]fileKind{
	".png":  {contentType: "image/png", magic: [][]byte{[]byte("\x89PNG\r\n\x1a\n")}, inline: true},
	".jpg":  jpegKind,
	".jpeg": jpegKind,
	".gif":  {contentType: "image/gif", magic: [][]byte{[]byte("GIF87a"), []byte("GIF89a")}, inline: true},
	".webp": {contentType: "image/webp", magic: [][]byte{[]byte("RIFF")}, inline: true},
	".pdf":  {contentType: "application/pdf", magic: [][]byte{[]byte("%PDF-")}},
	".txt":  textKind,
	".log":  textKind,
	".csv":  {contentType: "text/csv; charset=utf-8"},
	".zip":  {contentType: "application/zip", magic: [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}},
	".7z":   {contentType: "application/x-7z-compressed", magic: [][]byte{[]byte("7z\xbc\xaf\x27\x1c")}},
	".rar":  {contentType: "application/vnd.rar", magic: [][]byte{[]byte("Rar!\x1a\x07")}},
	".gz":   gzipKind,
	".tgz":  gzipKind,
}

// checkAttachment names a ticket file's content type by its extension, if
// its first bytes look like that kind.
func checkAttachment(name string, head []byte) (contentType, problem string) {
	kind, ok := fileKinds[strings.ToLower(path.Ext(name))]
	switch {
	case len(head) == 0:
		return "", "tickets.file_empty"
	case !ok:
		return "", "tickets.file_type"
	case !kind.matches(head):
		return "", "tickets.file_content"
	}
	return kind.contentType, ""
}

// matches tells whether the contents look like the kind the name says.
func (k fileKind) matches(data []byte) bool {
	if k.magic == nil {
		return bytes.IndexByte(data[:min(len(data), 8192)], 0) < 0
	}
	for _, m := range k.magic {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return false
}

// cleanFileName keeps only the last element of a sent name: no directories
// of either slash, no control characters, no leading dots, a bounded
// length that keeps the extension.
func cleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		// Control and format characters (a right-to-left override shows
		// «x\u202Efdp.zip» as «xpiz.pdf») and line separators go.
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if utf8.RuneCountInString(name) > maxAttachmentName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		name = string([]rune(strings.TrimSuffix(name, ext))[:maxAttachmentName-utf8.RuneCountInString(ext)]) + ext
	}
	if name == "" || strings.HasPrefix(name, ".") {
		return "file" + name
	}
	return name
}

// sendTicketFile sends the file named in the URL, as find finds it: among
// the company's tickets or among all (staff).
func (s *Server) sendTicketFile(c *fiber.Ctx, find func(ctx context.Context, id int64) (db.Attachment, error)) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, err := find(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendAttachment(c, f, s.store.AttachmentContent(f.ID))
}

// sendAttachment answers with a file under its own name: images shown in
// the browser, everything else saved. The sandbox policy keeps even a
// file opened in a tab from running anything on the portal's origin.
func sendAttachment(c *fiber.Ctx, f db.Attachment, content io.Reader) error {
	disposition := "attachment"
	if kind, ok := fileKinds[strings.ToLower(path.Ext(f.Name))]; ok && kind.inline && c.Query("download") == "" {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`,
		disposition, asciiFileName(f.Name), url.PathEscape(f.Name)))
	c.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.SendStream(content, int(f.Size))
}

// asciiFileName is a name for clients that do not read filename*: Latin
// letters, digits and a few signs, the rest as «_».
func asciiFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';' {
			return '_'
		}
		return r
	}, name)
}
