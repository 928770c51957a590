package handlers

import (
	"bytes"
	"crypto/hmac"
	"errors"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// uploadRules say what one form with files accepts.
type uploadRules struct {
	field    string // the file input's name
	maxFiles int
	maxSize  int64 // of one file
	// check names a file's content type from its name and first bytes, or
	// gives the translation key of why it is refused.
	check func(name string, head []byte) (contentType, problem string)
}

// An upload's text is small: a ticket's message is at most
// maxMessageLength characters of up to four bytes.
const (
	maxUploadText  = 256 << 10 // all text fields together
	maxUploadParts = 64
	fileHeadSize   = 8192 // what a rule's check sees of a file
)

// bodyLimit is the most a form of these rules may send: its files and room
// for its text.
func (r uploadRules) bodyLimit() int64 {
	return int64(r.maxFiles)*r.maxSize + 1<<20
}

var (
	ticketUploads    = uploadRules{field: attachmentField, maxFiles: maxAttachments, maxSize: maxAttachmentSize, check: checkAttachment}
	statementUploads = uploadRules{field: "file", maxFiles: 1, maxSize: db.MaxStatementSize,
		check: func(string, []byte) (string, string) { return "text/plain", "" }}
)

// uploadRulesFor names the routes whose forms carry files, exactly as
// routes.go declares them (Fiber matches paths regardless of case and a
// trailing slash): each one's handler reads its form with readUpload. It
// is asked before routing, for the body's limit and the time it may take.
func uploadRulesFor(method, path string) (uploadRules, bool) {
	if method != fiber.MethodPost {
		return uploadRules{}, false
	}
	parts := strings.Split(strings.Trim(strings.ToLower(path), "/"), "/")
	switch {
	case slices.Equal(parts, []string{"tickets"}),
		len(parts) == 3 && parts[0] == "tickets" && isID(parts[1]) && parts[2] == "replies",
		len(parts) == 4 && parts[0] == "admin" && parts[1] == "tickets" && isID(parts[2]) && parts[3] == "replies":
		return ticketUploads, true
	case slices.Equal(parts, []string{"admin", "payments", "import"}):
		return statementUploads, true
	}
	return uploadRules{}, false
}

func isID(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// uploadForm is a form read from the wire: its text in memory, its files
// in temporary files (in $TMPDIR) until the handler has stored them.
type uploadForm struct {
	values  url.Values
	files   []spooledFile
	problem string // translation key of the first file refused
}

type spooledFile struct {
	name, contentType string
	size              int64
	file              *os.File
}

// Value is a text field as sent.
func (f *uploadForm) Value(name string) string { return f.values.Get(name) }

// attachments are the form's files, ready to be stored.
func (f *uploadForm) attachments() ([]db.Attachment, error) {
	out := make([]db.Attachment, 0, len(f.files))
	for _, sf := range f.files {
		if _, err := sf.file.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		out = append(out, db.Attachment{Name: sf.name, ContentType: sf.contentType, Size: sf.size, Content: sf.file})
	}
	return out, nil
}

// close lets go of the form's files (already unlinked, see spool).
func (f *uploadForm) close() { f.dropFiles() }

// readUpload reads a form with files part by part, once a form still on
// the wire has an upload slot (uploadGate; a small form, read whole, needs
// none). The CSRF token, when no header carried it, must come before any
// file (the forms send it first), and is checked before a byte of a file
// is kept. Files go to disk as they arrive, each checked by the rules.
// The caller closes the form.
func (s *Server) readUpload(c *fiber.Ctx, rules uploadRules) (*uploadForm, error) {
	form := &uploadForm{values: url.Values{}}
	if !isMultipart(c) {
		// An ordinary form (no file input), read by limitBody.
		for k, v := range c.Request().PostArgs().All() {
			form.values.Add(string(k), string(v))
		}
		return form, s.checkUploadToken(c, form)
	}
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return nil, fiber.ErrBadRequest
	}
	capped := streamedUpload(c)
	var body io.Reader = capped
	if capped == nil {
		body = bytes.NewReader(c.Request().Body()) // read whole by limitBody
	} else {
		if capped.leave, err = s.enterUpload(c); err != nil {
			return nil, err
		}
	}
	if err := form.read(c, s, multipart.NewReader(body, params["boundary"]), capped, rules); err != nil {
		form.close()
		return nil, uploadError(capped, err)
	}
	return form, nil
}

// uploadError is what the sender is told of a form that could not be read:
// too long, too slow, refused (CSRF, no slot), or broken; a server's own
// trouble (the disk) stays an error of its own.
func uploadError(capped *cappedReader, err error) error {
	var pathErr *fs.PathError
	var fe *fiber.Error
	switch {
	case capped != nil && capped.over:
		return fiber.ErrRequestEntityTooLarge
	case capped != nil && capped.slow:
		return fiber.ErrRequestTimeout
	case errors.As(err, &pathErr), errors.Is(err, errCSRF):
		return err
	case errors.As(err, &fe):
		return fe
	}
	return fiber.ErrBadRequest
}

func (form *uploadForm) read(c *fiber.Ctx, s *Server, mr *multipart.Reader, capped *cappedReader, rules uploadRules) error {
	tokenChecked, text := false, 0
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if parts == maxUploadParts {
			return fiber.ErrRequestEntityTooLarge
		}
		if part.FileName() == "" && part.Header.Get(fiber.HeaderContentType) == "" {
			value, err := io.ReadAll(io.LimitReader(part, int64(maxUploadText-text+1)))
			if err != nil {
				return err
			}
			if text += len(value); text > maxUploadText {
				return fiber.ErrRequestEntityTooLarge
			}
			form.values.Add(part.FormName(), string(value))
			continue
		}
		if !tokenChecked {
			if err := s.checkUploadToken(c, form); err != nil {
				return err
			}
			tokenChecked = true
		}
		if part.FormName() == rules.field && form.problem == "" {
			if err := form.spool(part, capped, rules); err != nil {
				return err
			}
		}
	}
	if !tokenChecked {
		return s.checkUploadToken(c, form)
	}
	return nil
}

// spool writes one file to disk, or notes why it is refused.
func (form *uploadForm) spool(part *multipart.Part, capped *cappedReader, rules uploadRules) error {
	tmp, err := os.CreateTemp("", "elk-upload-*")
	if err != nil {
		return err
	}
	// Gone from the directory at once, kept by the open file: a crash
	// leaves nothing behind.
	if err := os.Remove(tmp.Name()); err != nil {
		tmp.Close()
		return err
	}
	sf := spooledFile{name: cleanFileName(part.FileName()), file: tmp}
	form.files = append(form.files, sf)
	head := &headWriter{max: fileHeadSize}
	capped.copyingFile(true)
	n, err := io.Copy(io.MultiWriter(tmp, head), io.LimitReader(part, rules.maxSize+1))
	capped.copyingFile(false)
	if err != nil {
		return err
	}
	last := &form.files[len(form.files)-1]
	last.size = n
	switch {
	case n == 0 && part.FileName() == "":
		form.files = form.files[:len(form.files)-1] // the browser's empty file input
		tmp.Close()
	case len(form.files) > rules.maxFiles:
		form.problem = "tickets.too_many_files"
	case n > rules.maxSize:
		form.problem = "tickets.file_too_big"
	default:
		last.contentType, form.problem = rules.check(last.name, head.buf)
	}
	if form.problem != "" {
		form.dropFiles()
	}
	return nil
}

// dropFiles lets go of the files of a form refused for one of them.
func (f *uploadForm) dropFiles() {
	for _, sf := range f.files {
		sf.file.Close()
	}
	f.files = nil
}

// checkUploadToken checks an upload's CSRF token: from the header, checked
// by checkCSRF already, or from the form's first field.
func (s *Server) checkUploadToken(c *fiber.Ctx, form *uploadForm) error {
	want := state(c).uploadToken
	if want == "" {
		return nil
	}
	if hmac.Equal([]byte(form.Value(csrfField)), []byte(want)) {
		state(c).uploadToken = ""
		return nil
	}
	return errCSRF
}

// headWriter keeps the first bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
