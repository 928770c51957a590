package handlers

import (
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Request bodies arrive as a stream (fiber.Config.StreamRequestBody), so
// nothing is read before a handler asks. limitBody reads an ordinary body
// whole, at most requestBodyLimit; a form with files is left on the wire
// for readUpload, which keeps its files on disk as they come.
const requestBodyLimit = 1 << 20

const uploadKey = "elk.upload"

// limitBody refuses a body over its route's limit before reading a byte of
// it, reads an ordinary one into memory, and leaves an upload's to its
// handler, behind the session and the CSRF token.
func (s *Server) limitBody(c *fiber.Ctx) error {
	limit := int64(requestBodyLimit)
	rules, upload := uploadRulesFor(c.Method(), c.Path())
	// Only a logged-in browser (a stored session, not just a cookie) may
	// send files; anyone else keeps the ordinary limit.
	upload = upload && isMultipart(c) && s.hasSession(c.Cookies(sessionCookie))
	if upload {
		limit = rules.bodyLimit()
	}
	if n := c.Request().Header.ContentLength(); n > 0 && int64(n) > limit {
		return fiber.ErrRequestEntityTooLarge
	}
	stream := c.Request().BodyStream()
	if stream == nil {
		return c.Next()
	}
	// A body without a length (chunked) is cut at the limit as it is read.
	capped := &cappedReader{r: stream, left: limit}
	if upload {
		c.Locals(uploadKey, capped)
		return c.Next()
	}
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

// cappedReader reads at most left bytes and notes a body that had more.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body that ends at the limit from a longer one.
		if n, _ := c.r.Read(make([]byte, 1)); n > 0 {
			c.over = true
			return 0, fiber.ErrRequestEntityTooLarge
		}
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), c.left)]
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// streamedUpload returns an upload's body still on the wire, or nil when
// the body was read already (an ordinary form).
func streamedUpload(c *fiber.Ctx) *cappedReader {
	r, _ := c.Locals(uploadKey).(*cappedReader)
	return r
}

// discardUpload reads what is left of an upload without keeping it, so
// that the browser, still sending, gets the answer rather than a reset
// connection.
func discardUpload(c *fiber.Ctx) {
	if r := streamedUpload(c); r != nil {
		_, _ = io.Copy(io.Discard, r) // the answer goes out whether or not the rest arrived
	}
}

func isMultipart(c *fiber.Ctx) bool {
	return strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm)
}
