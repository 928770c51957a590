package handlers

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/sync/semaphore"
)

// Request bodies arrive as a stream (fiber.Config.StreamRequestBody), so
// nothing is read before a handler asks. limitBody reads an ordinary body
// whole; a form with files is left on the wire for readUpload, which keeps
// its files on disk as they come.
const (
	// requestBodyLimit bounds a body from a logged-in browser or an API
	// client with a live token: a batch of a thousand SMS fits.
	requestBodyLimit = 1 << 20
	// anonymousBodyLimit bounds anyone else's: a login form needs far less.
	anonymousBodyLimit = 64 << 10
	// heldBodiesBudget bounds the bodies over anonymousBodyLimit held in
	// memory at once; a request that finds it spent waits a little, then
	// is told to come back.
	heldBodiesBudget = 64 << 20
	heldBodiesWait   = 10 * time.Second
)

const uploadKey = "elk.upload"

// limitBody refuses a body over its sender's limit before reading it (past
// the few KB the server reads with the header), reads an ordinary one into
// memory within a budget shared by all requests, and leaves a form with
// files to its handler, behind the session and the CSRF token.
func (s *Server) limitBody(c *fiber.Ctx) error {
	stream := c.Request().BodyStream()
	if stream == nil {
		return c.Next()
	}
	length := int64(c.Request().Header.ContentLength()) // -1: chunked, length unknown
	if length >= 0 && length <= anonymousBodyLimit {
		return s.readBody(c, stream, anonymousBodyLimit)
	}
	if !s.knownCaller(c) {
		return fiber.ErrRequestEntityTooLarge
	}
	if rules, upload := uploadRulesFor(c.Method(), c.Path()); upload && isMultipart(c) {
		if length > rules.bodyLimit() {
			return fiber.ErrRequestEntityTooLarge
		}
		c.Locals(uploadKey, &cappedReader{r: stream, left: rules.bodyLimit(), conn: c.Context()})
		return c.Next()
	}
	if length > requestBodyLimit {
		return fiber.ErrRequestEntityTooLarge
	}
	weight := int64(requestBodyLimit)
	if length >= 0 {
		weight = length
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), heldBodiesWait)
	defer cancel()
	if err := s.heldBodies.Acquire(ctx, weight); err != nil {
		retryAfter(c, 5*time.Second)
		return fiber.ErrTooManyRequests
	}
	defer s.heldBodies.Release(weight)
	return s.readBody(c, stream, requestBodyLimit)
}

func newHeldBodies() *semaphore.Weighted { return semaphore.NewWeighted(heldBodiesBudget) }

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

// knownCaller tells a logged-in browser (a stored session, not just a
// cookie) or an API client with a live token from anyone else.
func (s *Server) knownCaller(c *fiber.Ctx) bool {
	if s.hasSession(c.Cookies(sessionCookie)) {
		return true
	}
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || token == "" || !strings.HasPrefix(strings.ToLower(c.Path()), "/api/") {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := s.store.APITokenCompany(ctx, token)
	return err == nil
}

// A form with files must keep coming: a pause this long, or a pace under
// minUploadRate once it holds a slot for a minute, ends it, so that a
// trickle cannot keep a slot for the whole five minutes.
const (
	uploadPause   = 30 * time.Second
	minUploadRate = 8 << 10 // bytes a second: a very poor mobile link
	rateGrace     = time.Minute
)

// deadliner sets a connection's read deadline (fasthttp.RequestCtx).
type deadliner interface{ SetReadDeadline(time.Time) error }

// cappedReader reads at most left bytes and notes a body that had more.
// For an upload (conn set) it also ends a sender that stalls or crawls.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool

	conn      deadliner
	slow      bool      // the sender paused or crawled
	paceFrom  time.Time // when the pace began to count: the upload got its slot
	paceBytes int64     // read since then
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
	if c.conn != nil {
		_ = c.conn.SetReadDeadline(time.Now().Add(uploadPause)) // the server's own timeout stays if it cannot be set
	}
	p = p[:min(int64(len(p)), c.left)]
	n, err := c.r.Read(p)
	c.left -= int64(n)
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		c.slow = true
	}
	if !c.paceFrom.IsZero() {
		c.paceBytes += int64(n)
		if took := time.Since(c.paceFrom); took > rateGrace && float64(c.paceBytes)/took.Seconds() < minUploadRate {
			c.slow = true
			return n, fiber.ErrRequestTimeout
		}
	}
	return n, err
}

// startPace starts counting the upload's pace.
func (c *cappedReader) startPace() {
	if c != nil {
		c.paceFrom, c.paceBytes = time.Now(), 0
	}
}

// streamedUpload returns an upload's body still on the wire, or nil when
// the body was read already (an ordinary form, or a small one).
func streamedUpload(c *fiber.Ctx) *cappedReader {
	r, _ := c.Locals(uploadKey).(*cappedReader)
	return r
}

// discardUpload reads what is left of an upload without keeping it, so
// that the browser, still sending, gets the answer rather than a reset
// connection.
func discardUpload(c *fiber.Ctx) {
	if r := streamedUpload(c); r != nil && !r.slow {
		_, _ = io.Copy(io.Discard, r) // the answer goes out whether or not the rest arrived
	}
}

func isMultipart(c *fiber.Ctx) bool {
	return strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm)
}

// retryAfter tells a refused sender when to come back.
func retryAfter(c *fiber.Ctx, wait time.Duration) {
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())))
}
