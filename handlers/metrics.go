package handlers

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/gofiber/fiber/v2"
)

// smsIngested counts the SMS the API recorded (not the duplicates).
var smsIngested = metrics.NewCounter("elk_sms_ingested_total")

// showMetrics answers in the Prometheus text format: requests, the jobs'
// figures, the outbox and the database as they are now, and the process.
// Only a scraper on this machine or one presenting ELK_METRICS_TOKEN gets
// it; to anyone else the URL does not exist.
func (s *Server) showMetrics(c *fiber.Ctx) error {
	if !s.metricsAllowed(c) {
		return fiber.ErrNotFound
	}
	st, err := s.store.Stats(c.UserContext())
	if err != nil {
		return err
	}
	var b bytes.Buffer
	metrics.WritePrometheus(&b, true)
	metrics.WriteGaugeUint64(&b, "elk_outbox_pending", uint64(st.OutboxPending))
	metrics.WriteGaugeUint64(&b, "elk_outbox_failed", uint64(st.OutboxFailed))
	metrics.WriteGaugeUint64(&b, "elk_database_bytes", uint64(st.DatabaseBytes))
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.Send(b.Bytes())
}

// metricsAllowed admits the token, or a direct request from loopback: one
// a reverse proxy on this machine forwarded carries its forwarding header.
func (s *Server) metricsAllowed(c *fiber.Ctx) bool {
	if token := s.cfg.MetricsToken; token != "" {
		got, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1 {
			return true
		}
	}
	direct := c.Get(fiber.HeaderXForwardedFor) == "" && c.Get("Forwarded") == "" && c.Get("X-Real-Ip") == ""
	return direct && c.Context().RemoteIP().IsLoopback()
}

// countRequest records an answered request by its route (the pattern, so
// ids do not multiply the series), method and status.
func countRequest(c *fiber.Ctx, took time.Duration) {
	route := c.Route().Path
	metrics.GetOrCreateCounter(fmt.Sprintf(`elk_http_requests_total{method=%q,route=%q,status="%d"}`,
		c.Method(), route, c.Response().StatusCode())).Inc()
	metrics.GetOrCreatePrometheusHistogram(fmt.Sprintf(`elk_http_request_duration_seconds{method=%q,route=%q}`,
		c.Method(), route)).Update(took.Seconds())
}
