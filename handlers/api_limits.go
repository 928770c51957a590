package handlers

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// The bounds of every field the API takes; text is counted in characters.
// openapi.json lists the same numbers (TestOpenAPIListsTheLimits holds
// them equal), so that a sender's developers know them before a request is
// refused, and the largest request they allow stays well under the
// server's 1 MiB body limit.
const (
	maxAPIBatch = 1000 // messages of POST /sms, reports of POST /sms/status

	maxSenderID  = 64 // a message's own id
	maxPhoneText = 32 // a phone number as sent, separators included
	minParts     = 1  // an SMS's parts
	maxParts     = 255
	maxTimeText  = 35 // an RFC 3339 time, with nanoseconds and an offset

	maxPushSecret    = 64 // the secret of a heartbeat URL
	maxMonitorName   = 100
	maxVersion       = 100
	maxLicenseKey    = 200
	maxProduct       = 100
	maxDateText      = 10 // YYYY-MM-DD
	maxLicenseLimits = 20 // named limits of a license ("operators": 20)
	maxLimitName     = 64
	maxLimitValue    = 1_000_000 // or db.Unlimited (-1)
	maxModules       = 50
	maxModuleName    = 64
)

// apiText checks a text field of a request: given when required, at most
// max characters and free of control characters (none of the API's fields
// is free text, so not even a tab or a line break). A refusal names the field.
func apiText(field, value string, required bool, max int) error {
	switch n := utf8.RuneCountInString(value); {
	case required && value == "":
		return apiFail(fiber.StatusBadRequest, field, "%s: required", field)
	case n > max:
		return apiFail(fiber.StatusBadRequest, field, "%s: at most %d characters, got %d", field, max, n)
	case hasControl(value, false):
		return apiFail(fiber.StatusBadRequest, field, "%s: control characters (such as NUL) are not allowed", field)
	}
	return nil
}

// validLimit tells whether n may be a license's limit, from a heartbeat or
// the back office: a count up to maxLimitValue, or db.Unlimited.
func validLimit(n int) bool {
	return n == db.Unlimited || (n >= 0 && n <= maxLimitValue)
}
