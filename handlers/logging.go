package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// secretHeartbeatPath is where a push monitor's secret URL begins.
const secretHeartbeatPath = "/api/v1/heartbeat/"

// loggedPath is the request's path as logs may keep it: a monitor's secret
// heartbeat URL works without a token, so its secret never reaches a log.
func loggedPath(c *fiber.Ctx) string {
	if p := c.Path(); strings.HasPrefix(p, secretHeartbeatPath) {
		return secretHeartbeatPath + "…"
	}
	return c.Path()
}
