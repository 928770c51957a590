package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/auth"
	"elk/views"
)

// Login failures are counted so that no stranger can lock anyone out
// (OWASP «Blocking Brute Force Attacks», device cookies):
//   - per login and address: past the throttle's limit a guesser at one
//     address is slowed down, never locked, with a delay that doubles
//     with each failure (loginDelay up to loginMaxDelay), and one user
//     failing in an office does not stop the others behind its address;
//   - per address, at ten times the limit: one address trying many logins;
//   - per login from browsers that never logged in to it, at four times
//     the limit: guessing from many addresses;
//   - a browser that has logged in to the login before (a signed device
//     cookie) counts apart from all of these, slowed down like a login
//     and address, so its owner gets in while strangers hammer the login.
const deviceCookie = "elk_device"

// The delays of a login from one browser or address past the limit.
const (
	loginDelay    = time.Second
	loginMaxDelay = time.Minute
)

// deviceLife is how long a browser is remembered after a login.
const deviceLife = 365 * 24 * time.Hour

// loginTry is one count a login attempt is held to.
type loginTry struct {
	key  string
	rule auth.Throttle
}

// loginTries are the counts an attempt at the login is held to.
func (s *Server) loginTries(c *fiber.Ctx, login string) []loginTry {
	rule, ip := s.cfg.Throttle, s.clientIP(c)
	slowed := auth.Throttle{Limit: rule.Limit, Window: rule.Window, Delay: loginDelay, MaxDelay: loginMaxDelay}
	if device, ok := s.deviceOf(c, login); ok {
		return []loginTry{{"device:" + device, slowed}}
	}
	return []loginTry{
		{"login:" + login + "|ip:" + ip, slowed},
		{"ip:" + ip, auth.Throttle{Limit: rule.Limit * 10, Window: rule.Window}},
		{"login:" + login, auth.Throttle{Limit: rule.Limit * 4, Window: rule.Window}},
	}
}

// startLoginTries counts a failure in advance against each try; a refusal
// by any returns how long to wait and counts nothing.
func (s *Server) startLoginTries(ctx context.Context, tries []loginTry) ([]db.LoginAttempt, time.Duration, error) {
	var attempts []db.LoginAttempt
	for _, t := range tries {
		a, wait, err := s.store.StartLoginAttempt(ctx, t.rule, t.key)
		if err == nil && wait == 0 {
			attempts = append(attempts, a)
			continue
		}
		if release := s.releaseLoginTries(ctx, attempts); err == nil {
			err = release
		}
		return nil, wait, err
	}
	return attempts, 0, nil
}

// releaseLoginTries un-counts attempts that were no failure, and forgets
// the failures counted against clearKeys.
func (s *Server) releaseLoginTries(ctx context.Context, attempts []db.LoginAttempt, clearKeys ...string) error {
	for i, a := range attempts {
		var clear []string
		if i == 0 {
			clear = clearKeys
		}
		if err := s.store.ReleaseLoginAttempt(ctx, a, clear...); err != nil {
			return err
		}
	}
	if len(attempts) == 0 && len(clearKeys) > 0 {
		return s.store.ReleaseLoginAttempt(ctx, db.LoginAttempt{}, clearKeys...)
	}
	return nil
}

// deviceMAC signs a browser's id for a login.
func (s *Server) deviceMAC(login, id string) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte("device:" + login + ":" + id))
	return hex.EncodeToString(mac.Sum(nil))
}

// deviceOf is the browser's id when it has logged in to the login before.
func (s *Server) deviceOf(c *fiber.Ctx, login string) (string, bool) {
	id, mac, ok := strings.Cut(c.Cookies(deviceCookie), ".")
	if !ok || len(id) != 32 || !hmac.Equal([]byte(mac), []byte(s.deviceMAC(login, id))) {
		return "", false
	}
	return id, true
}

// rememberDevice marks the browser as one that has logged in to the login.
func (s *Server) rememberDevice(c *fiber.Ctx, login string) {
	b := make([]byte, 16)
	rand.Read(b)
	id := hex.EncodeToString(b)
	s.setCookie(c, deviceCookie, id+"."+s.deviceMAC(login, id), deviceLife)
}

// waitText says how long until the next try: in seconds under two
// minutes, so that a slowed login reads «1 секунду», not «1 минуту».
func waitText(cat *views.Catalog, wait time.Duration) string {
	if wait < 2*time.Minute {
		return cat.N("unit.seconds", int(math.Ceil(wait.Seconds())))
	}
	return cat.N("unit.minutes", int(math.Ceil(wait.Minutes())))
}
