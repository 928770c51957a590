package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// secretHeartbeatPath is where a push monitor's secret URL begins.
const secretHeartbeatPath = "/api/v1/heartbeat/"

// loggedPath is the request's path as logs may keep it: a monitor's secret
// heartbeat URL works without a token, so its secret never reaches a log.
func loggedPath(c *fiber.Ctx) string {
	// Routes ignore case, so the secret may come as /API/V1/HEARTBEAT/….
	if p := c.Path(); len(p) >= len(secretHeartbeatPath) && strings.EqualFold(p[:len(secretHeartbeatPath)], secretHeartbeatPath) {
		return secretHeartbeatPath + "…"
	}
	return c.Path()
}

const (
	requestIDKey     = "requestID"
	requestLoggerKey = "requestLogger"
)

// traceRequests gives each request an id, sent back as X-Request-ID, shown
// on the error page and carried by every log line of the request; with
// AccessLog it also logs the request itself once answered; either way the
// request is counted for /metrics. It comes first,
// so it sees the answer an error turned into.
func (s *Server) traceRequests(c *fiber.Ctx) error {
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Locals(requestIDKey, id)
	c.Set("X-Request-ID", id)
	start := time.Now()
	if err := c.Next(); err != nil {
		if err := c.App().ErrorHandler(c, err); err != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	took := time.Since(start)
	countRequest(c, took)
	if s.cfg.AccessLog {
		// Typed attributes: every request writes this line, and boxing each value costs an allocation.
		s.cfg.Logger.LogAttrs(c.UserContext(), slog.LevelInfo, "request", slog.String("request_id", id), slog.String("method", c.Method()),
			slog.String("path", loggedPath(c)), slog.Int("status", c.Response().StatusCode()),
			slog.Duration("duration", took.Round(time.Microsecond)), slog.String("ip", s.clientIP(c)))
	}
	return nil
}

// log is the request's logger, tagged with its id; made when first asked
// for, as most requests log only their access line.
func (s *Server) log(c *fiber.Ctx) *slog.Logger {
	if l, ok := c.Locals(requestLoggerKey).(*slog.Logger); ok {
		return l
	}
	id := requestID(c)
	if id == "" {
		return s.cfg.Logger
	}
	l := s.cfg.Logger.With("request_id", id)
	c.Locals(requestLoggerKey, l)
	return l
}

// requestID is the request's id, for the error page.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}
