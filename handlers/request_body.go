package handlers

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Request bodies arrive as a stream (fiber.Config.StreamRequestBody), so
// nothing is read before a handler asks. limitBody reads an ordinary body
// whole, within its sender's limit and share of memory; a form with files
// is left on the wire for readUpload, which keeps its files on disk.
const (
	// smallBody is read for anyone at once: nearly every form.
	smallBody = 8 << 10
	// requestBodyLimit bounds a body from a logged-in browser or an API
	// client with a live token: a batch of a thousand SMS fits.
	requestBodyLimit = 1 << 20
	// strangerBodyLimit bounds anyone else's: a login form or a heartbeat
	// on a secret URL needs far less.
	strangerBodyLimit = 32 << 10
	// streamUploadsOver is the size past which a form with files is read
	// as it arrives.
	streamUploadsOver = 64 << 10
)

const uploadKey = "elk.upload"

// errEncodedBody refuses a compressed body, which would be unpacked whole:
// neither the forms nor the API send one.
var errEncodedBody = fiber.NewError(fiber.StatusUnsupportedMediaType, "error.bad_request")

// limitBody refuses a body over its sender's limit before reading it (past
// the few KB the server reads with the header), reads an ordinary one
// into memory within the sender's share (heldBodies), and leaves a form
// with files, once it has an upload slot, to its handler, behind the
// session and the CSRF token.
func (s *Server) limitBody(c *fiber.Ctx) error {
	stream := c.Request().BodyStream()
	if stream == nil {
		return c.Next()
	}
	if enc := c.Get(fiber.HeaderContentEncoding); enc != "" && !strings.EqualFold(enc, "identity") {
		return errEncodedBody
	}
	length := int64(c.Request().Header.ContentLength()) // -1: chunked, length unknown
	if length >= 0 && length <= smallBody {
		return s.readBody(c, stream, smallBody)
	}
	caller, known := s.caller(c)
	limit := int64(strangerBodyLimit)
	if known {
		limit = requestBodyLimit
		// A form with files is read as it arrives; one this small (a reply
		// without files) is read whole and takes no upload slot.
		if rules, upload := uploadRulesFor(c.Method(), c.Path()); upload && isMultipart(c) && (length < 0 || length > streamUploadsOver) {
			return s.streamUpload(c, stream, rules, length)
		}
	}
	if length > limit {
		return fiber.ErrRequestEntityTooLarge
	}
	weight := limit
	if length >= 0 {
		weight = length
	}
	release, err := s.heldBodies.take(c.UserContext(), caller, known, weight)
	if err != nil {
		retryAfter(c, 5*time.Second)
		return err
	}
	defer release()
	return s.readBody(c, stream, limit)
}

// readBody reads a body whole, at most limit bytes, for the handlers.
func (s *Server) readBody(c *fiber.Ctx, stream io.Reader, limit int64) error {
	capped := &cappedReader{r: stream, left: limit}
	body, err := io.ReadAll(capped)
	switch {
	case capped.over:
		return fiber.ErrRequestEntityTooLarge
	case err != nil:
		return fiber.ErrBadRequest
	}
	c.Request().SetBodyRaw(body)
	return c.Next()
}

// streamUpload hands a form with files to its handler still on the wire.
// Whatever the handler leaves unread is read afterwards, within the
// upload's time, so that the browser, still sending, gets the answer; the
// upload's slot is given back even if the handler panics.
func (s *Server) streamUpload(c *fiber.Ctx, stream io.Reader, rules uploadRules, length int64) error {
	if length > rules.bodyLimit() {
		return fiber.ErrRequestEntityTooLarge
	}
	capped := newUploadReader(stream, rules.bodyLimit(), c.Context())
	defer capped.finish()
	c.Locals(uploadKey, capped)
	return c.Next()
}

// caller names who sends a body, for its share of memory: a logged-in
// browser (a stored session, not just a cookie) or an API client with a
// live token, known; anyone else by address.
func (s *Server) caller(c *fiber.Ctx) (key string, known bool) {
	if token := c.Cookies(sessionCookie); s.hasSession(token) {
		return "session:" + token, true
	}
	ip := s.clientIP(c)
	if token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok && token != "" &&
		strings.HasPrefix(strings.ToLower(c.Path()), "/api/") && s.knownToken(c, ip, token) {
		return "token:" + token, true
	}
	return "ip:" + ip, false
}

// knownToken tells a live API token; a wrong one counts as a failed
// authentication of the address, as apiAuth counts it.
func (s *Server) knownToken(c *fiber.Ctx, ip, token string) bool {
	now := time.Now()
	if s.apiFailures.blocked(ip, now) {
		return false
	}
	if _, err := s.store.APITokenCompany(c.UserContext(), token); err != nil {
		s.apiFailures.fail(ip, now)
		return false
	}
	return true
}

// An upload must keep coming: a pause this long, or a pace under
// minUploadRate after the first minute, ends it, and it never takes longer
// than slowTransfer (30 MB over a 1 Mbit/s uplink). Its text and part
// headers, all but the files, are at most uploadOverhead.
const (
	uploadPause    = 30 * time.Second
	minUploadRate  = 8 << 10 // bytes a second: a very poor mobile link
	rateGrace      = time.Minute
	uploadOverhead = 2 * maxUploadText
)

// deadliner sets a connection's read deadline (fasthttp.RequestCtx).
type deadliner interface{ SetReadDeadline(time.Time) error }

// cappedReader reads at most left bytes and notes a body that had more.
// An upload's (conn set) also ends a sender that stalls, crawls or sends
// more than uploadOverhead outside its files.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool

	conn     deadliner
	slow     bool // the sender paused, crawled or ran out of time
	start    time.Time
	read     int64
	inFile   bool   // set by spool while it copies a file
	overhead int64  // what may still be read outside files
	leave    func() // gives back the upload's slot, once it has one
}

func newUploadReader(r io.Reader, limit int64, conn deadliner) *cappedReader {
	return &cappedReader{r: r, left: limit, conn: conn, start: time.Now(), overhead: uploadOverhead}
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.slow {
		return 0, fiber.ErrRequestTimeout
	}
	if c.left <= 0 {
		// One byte more tells a body that ends at the limit from a longer one.
		if n, _ := c.r.Read(make([]byte, 1)); n > 0 {
			c.over = true
			return 0, fiber.ErrRequestEntityTooLarge
		}
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), c.left)]
	if c.conn != nil {
		// Each read waits at most uploadPause, and never past the end of
		// the upload's time; the server's own timeout stays if unset.
		_ = c.conn.SetReadDeadline(minTime(time.Now().Add(uploadPause), c.start.Add(slowTransfer)))
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.conn == nil {
		return n, err
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		c.slow = true
	}
	c.read += int64(n)
	if took := time.Since(c.start); took > rateGrace && float64(c.read)/took.Seconds() < minUploadRate {
		c.slow = true
		return n, fiber.ErrRequestTimeout
	}
	if !c.inFile {
		if c.overhead -= int64(n); c.overhead < 0 {
			c.over = true
			return n, fiber.ErrRequestEntityTooLarge
		}
	}
	return n, err
}

// finish gives back the upload's slot, then reads what is left of it
// without keeping it, within its time, so that the browser, still
// sending, gets the answer rather than a reset connection.
func (c *cappedReader) finish() {
	if c.leave != nil {
		c.leave()
	}
	c.inFile = true // what is left is not kept, so it is not counted
	if !c.over {
		_, _ = io.Copy(io.Discard, c) // the answer goes out whether or not the rest arrived
	}
}

// copyingFile tells the reader whether what it reads now is a file's.
func (c *cappedReader) copyingFile(yes bool) {
	if c != nil {
		c.inFile = yes
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// streamedUpload returns an upload's body still on the wire, or nil when
// the body was read already (an ordinary form, or a small one).
func streamedUpload(c *fiber.Ctx) *cappedReader {
	r, _ := c.Locals(uploadKey).(*cappedReader)
	return r
}

func isMultipart(c *fiber.Ctx) bool {
	return strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm)
}

// retryAfter tells a refused sender when to come back.
func retryAfter(c *fiber.Ctx, wait time.Duration) {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())))
}
