package handlers

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"elk/db"
)

// The JSON API for the client's servers: TMServer reports sent SMS and their
// delivery, and reads balances. A per-company bearer token says who calls.

// apiError is an API refusal: its status, a message for the sender's
// developers and, for bad input, the field at fault.
type apiError struct {
	Status  int    `json:"-"`
	Message string `json:"error"`
	Field   string `json:"field,omitempty"`
}

func (e *apiError) Error() string { return e.Message }

func apiFail(status int, field, format string, args ...any) *apiError {
	return &apiError{Status: status, Message: fmt.Sprintf(format, args...), Field: field}
}

//go:embed openapi.json
var openAPI []byte

const apiCompanyKey = "elk.api.company"

// apiAuth admits a request carrying a live company token.
func (s *Server) apiAuth(c *fiber.Ctx) error {
	ip, now := s.clientIP(c), time.Now()
	if s.apiFailures.blocked(ip, now) {
		return errAuthFailures()
	}
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || token == "" {
		s.apiFailures.fail(ip, now)
		c.Set(fiber.HeaderWWWAuthenticate, "Bearer")
		return apiFail(fiber.StatusUnauthorized, "", "missing bearer token")
	}
	companyID, err := s.store.APITokenCompany(c.UserContext(), token)
	if errors.Is(err, db.ErrNotFound) {
		s.apiFailures.fail(ip, now)
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
		return apiFail(fiber.StatusUnauthorized, "", "unknown or revoked token")
	}
	if err != nil {
		return err
	}
	c.Locals(apiCompanyKey, companyID)
	return c.Next()
}

// errAuthFailures refuses an address that failed to authenticate too often.
func errAuthFailures() error {
	return apiFail(fiber.StatusTooManyRequests, "", "too many failed authentications from this address: wait a minute")
}

// apiRateLimit refuses a token (or, before one is known, an address) that
// calls too often: a runaway retry loop must not starve everyone else.
func (s *Server) apiRateLimit() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:        max(s.cfg.APIRequestsPerMinute, 1),
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			// Per token; a request without one is counted by its address.
			key := c.Get(fiber.HeaderAuthorization)
			if key == "" {
				key = s.clientIP(c)
			}
			sum := sha256.Sum256([]byte(key))
			return hex.EncodeToString(sum[:8])
		},
		LimitReached: func(c *fiber.Ctx) error {
			return apiFail(fiber.StatusTooManyRequests, "", "too many requests: at most %d a minute per token", s.cfg.APIRequestsPerMinute)
		},
	})
}

func apiCompany(c *fiber.Ctx) int64 { return c.Locals(apiCompanyKey).(int64) }

// smsMessage is one message of POST /api/v1/sms.
type smsMessage struct {
	ID     string `json:"id"`
	Phone  string `json:"phone"`
	Parts  int    `json:"parts"`
	SentAt string `json:"sent_at"`
	Status string `json:"status"`
}

// recordSMS takes a batch of sent SMS. One bad message refuses the whole
// batch, naming it; a repeated batch records and charges nothing twice.
func (s *Server) recordSMS(c *fiber.Ctx) error {
	messages, err := decodeBatch[smsMessage](c, "messages")
	if err != nil {
		return err
	}
	now := s.store.Now()
	batch := make([]db.SentSMS, len(messages))
	for i, m := range messages {
		field := func(name string) string { return fmt.Sprintf("messages[%d].%s", i, name) }
		if err := cmp.Or(apiText(field("id"), m.ID, true, maxSenderID), apiText(field("phone"), m.Phone, true, maxPhoneText),
			apiText(field("sent_at"), m.SentAt, true, maxTimeText)); err != nil {
			return err
		}
		phone, ok := normalizePhone(m.Phone)
		sentAt, err := time.Parse(time.RFC3339, m.SentAt)
		status := m.Status
		if status == "" {
			status = db.SMSSent
		}
		switch {
		case !ok:
			return apiFail(fiber.StatusBadRequest, field("phone"), "%s: an international number like +79001234567 is required", field("phone"))
		case m.Parts < minParts || m.Parts > maxParts:
			return apiFail(fiber.StatusBadRequest, field("parts"), "%s: from %d to %d", field("parts"), minParts, maxParts)
		case err != nil || sentAt.Year() < 2000 || sentAt.After(now.Add(clockSkew)):
			return apiFail(fiber.StatusBadRequest, field("sent_at"), "%s: an RFC 3339 time, not in the future, is required", field("sent_at"))
		case !slices.Contains(db.SMSStatuses, status):
			return apiFail(fiber.StatusBadRequest, field("status"), "%s: one of %s", field("status"), strings.Join(db.SMSStatuses, ", "))
		}
		batch[i] = db.SentSMS{SenderID: m.ID, Phone: phone, Parts: m.Parts, Status: status, SentAt: sentAt.UTC()}
	}
	res, err := s.store.RecordSMS(c.UserContext(), apiCompany(c), batch)
	if errors.Is(err, db.ErrSMSNotConnected) {
		return apiFail(fiber.StatusConflict, "", "the SMS service is not connected for this company")
	}
	if err != nil {
		return err
	}
	smsIngested.Add(res.Accepted)
	return c.JSON(fiber.Map{"accepted": res.Accepted, "duplicates": res.Duplicates, "balance_kopecks": int64(res.Balance)})
}

// statusUpdate is one report of POST /api/v1/sms/status.
type statusUpdate struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	At     string `json:"at"`
}

// updateSMSStatuses takes delivery reports; ids never reported come back as unknown.
func (s *Server) updateSMSStatuses(c *fiber.Ctx) error {
	in, err := decodeBatch[statusUpdate](c, "updates")
	if err != nil {
		return err
	}
	now := s.store.Now()
	updates := make([]db.SMSStatusUpdate, len(in))
	for i, u := range in {
		field := func(name string) string { return fmt.Sprintf("updates[%d].%s", i, name) }
		if err := cmp.Or(apiText(field("id"), u.ID, true, maxSenderID), apiText(field("at"), u.At, true, maxTimeText)); err != nil {
			return err
		}
		at, err := time.Parse(time.RFC3339, u.At)
		switch {
		case !slices.Contains(db.SMSStatuses, u.Status):
			return apiFail(fiber.StatusBadRequest, field("status"), "%s: one of %s", field("status"), strings.Join(db.SMSStatuses, ", "))
		case err != nil || at.After(now.Add(clockSkew)):
			// A report from the future would make every later real one look stale.
			return apiFail(fiber.StatusBadRequest, field("at"), "%s: an RFC 3339 time, not in the future, is required", field("at"))
		}
		updates[i] = db.SMSStatusUpdate{SenderID: u.ID, Status: u.Status, At: at.UTC()}
	}
	updated, unknown, err := s.store.UpdateSMSStatuses(c.UserContext(), apiCompany(c), updates)
	if err != nil {
		return err
	}
	if unknown == nil {
		unknown = []string{}
	}
	return c.JSON(fiber.Map{"updated": updated, "unknown": unknown})
}

// apiBalance is one service in GET /api/v1/balances.
type apiBalance struct {
	Service        string `json:"service"`
	Name           string `json:"name"`
	BalanceKopecks int64  `json:"balance_kopecks"`
	// DaysLeft is how many whole days the balance lasts at the average
	// daily spending of the last two weeks; 0 when spent; null when a
	// balance is left but nothing was spent.
	DaysLeft *int `json:"days_left"`
	Active   bool `json:"active"`
	Tariff   struct {
		Name         string `json:"name"`
		PriceKopecks int64  `json:"price_kopecks"`
		Unit         string `json:"unit"`
	} `json:"tariff"`
}

// listBalances answers the company's connected services and their balances.
func (s *Server) listBalances(c *fiber.Ctx) error {
	services, err := s.store.CompanyServices(c.UserContext(), apiCompany(c), false)
	if err != nil {
		return err
	}
	forecasts, err := s.store.ServiceForecasts(c.UserContext(), apiCompany(c))
	if err != nil {
		return err
	}
	ru := s.catalogs.Get("ru")
	out := make([]apiBalance, len(services))
	for i, cs := range services {
		b := apiBalance{Service: cs.ServiceCode, Name: ru.T("service." + cs.ServiceCode), BalanceKopecks: int64(cs.Balance),
			DaysLeft: forecasts[cs.ID].DaysLeft, Active: cs.Active}
		b.Tariff.Name, b.Tariff.PriceKopecks, b.Tariff.Unit = cs.Tariff.Name, int64(cs.Tariff.Price), cs.Tariff.Unit
		out[i] = b
	}
	return c.JSON(fiber.Map{"services": out})
}

// showOpenAPI serves the API's OpenAPI 3 description.
func (s *Server) showOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPI)
}

// clockSkew is how far ahead of ours a sender's clock may run.
const clockSkew = 5 * time.Minute

// decodeBatch reads a JSON object whose field key holds 1 to maxAPIBatch
// items of T, decoding item by item so that an error names the item.
func decodeBatch[T any](c *fiber.Ctx, key string) ([]T, error) {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return nil, apiFail(fiber.StatusBadRequest, "", "Content-Type must be application/json")
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(c.Body(), &body); err != nil {
		return nil, apiFail(fiber.StatusBadRequest, "", "malformed JSON: the body must be an object with %q", key)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body[key], &raw); err != nil || body[key] == nil {
		return nil, apiFail(fiber.StatusBadRequest, key, "%s: an array is required", key)
	}
	if len(raw) == 0 || len(raw) > maxAPIBatch {
		return nil, apiFail(fiber.StatusBadRequest, key, "%s: from 1 to %d per request, got %d", key, maxAPIBatch, len(raw))
	}
	out := make([]T, len(raw))
	for i, item := range raw {
		if err := json.Unmarshal(item, &out[i]); err != nil {
			field := fmt.Sprintf("%s[%d]", key, i)
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) && typeErr.Field != "" {
				field += "." + typeErr.Field
			}
			return nil, apiFail(fiber.StatusBadRequest, field, "%s: wrong type or not an object", field)
		}
	}
	return out, nil
}
