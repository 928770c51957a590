package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"elk/db"
	"elk/db/auth"
)

// secondStepCookie holds, between the password and the code, who passed
// the password; it is signed and lasts five minutes.
const (
	secondStepCookie = "elk_2fa"
	secondStepTTL    = 5 * time.Minute
)

// codePage asks for the second factor after a right password.
type codePage struct {
	*Page
	Next  string
	Error string // already translated
}

// askForCode remembers that the user passed the password and asks for the code.
func (s *Server) askForCode(c *fiber.Ctx, u db.User, next string) error {
	exp := strconv.FormatInt(s.store.Now().Add(secondStepTTL).Unix(), 10)
	value := strconv.FormatInt(u.ID, 10) + "." + exp
	s.setCookie(c, secondStepCookie, value+"."+s.signStep(u, value), secondStepTTL)
	return s.renderCode(c, fiber.StatusOK, next, "")
}

// signStep signs the step with a key of its own, so that no other
// signature ELK hands out can stand in for it, and with the moment the
// password last changed, so that a new password voids the step.
func (s *Server) signStep(u db.User, value string) string {
	key := hmac.New(sha256.New, s.csrfKey)
	key.Write([]byte("second-step key"))
	mac := hmac.New(sha256.New, key.Sum(nil))
	mac.Write([]byte(value + "." + strconv.FormatInt(u.PasswordChangedAt.UnixNano(), 10)))
	return hex.EncodeToString(mac.Sum(nil))
}

func (s *Server) renderCode(c *fiber.Ctx, status int, next, message string) error {
	p := s.page(c, "", "twofactor.title")
	return s.renderIn(c.Status(status), "layouts/bare", "auth/code", p, codePage{Page: p, Next: safeNext(next), Error: message})
}

// secondStepUser is the user whose password the browser passed, if its
// cookie is genuine and fresh.
func (s *Server) secondStepUser(c *fiber.Ctx) (db.User, bool) {
	parts := strings.Split(c.Cookies(secondStepCookie), ".")
	if len(parts) != 3 {
		return db.User{}, false
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || s.store.Now().Unix() > exp {
		return db.User{}, false
	}
	u, err := s.store.UserByID(c.UserContext(), id)
	if err != nil || u.Disabled() || !u.TwoFactor || !hmac.Equal([]byte(parts[2]), []byte(s.signStep(u, parts[0]+"."+parts[1]))) {
		return db.User{}, false
	}
	return u, true
}

// loginCode checks the second factor, throttled like the password, and
// then logs the user in.
func (s *Server) loginCode(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cat := s.catalogs.Get(s.language(c))
	next := c.FormValue("next")
	u, ok := s.secondStepUser(c)
	if !ok {
		s.clearCookie(c, secondStepCookie)
		return s.renderLogin(c, fiber.StatusUnauthorized, "", cat.T("twofactor.start_again"), next)
	}
	key := codeKey(u)
	attempt, wait, err := s.store.StartLoginAttempt(ctx, s.cfg.Throttle, key, "ip:"+s.clientIP(c))
	if err != nil {
		return err
	}
	if wait > 0 {
		return s.renderCode(c, fiber.StatusTooManyRequests, next, cat.T("login.throttled", waitText(cat, wait)))
	}
	err = s.store.CheckSecondFactor(ctx, u, c.FormValue("code"))
	if errors.Is(err, auth.ErrBadCode) {
		if err := s.store.Audit(ctx, db.Actor{UserID: u.ID, Login: u.Login, IP: s.clientIP(c)}, u.CompanyID, db.AuditLoginFailed, u.Login+": code"); err != nil {
			return err
		}
		return s.renderCode(c, fiber.StatusUnauthorized, next, cat.T("twofactor.bad_code"))
	}
	if err != nil {
		return err
	}
	if err := s.store.ReleaseLoginAttempt(ctx, attempt, key); err != nil {
		return err
	}
	s.clearCookie(c, secondStepCookie)
	return s.startSession(c, u, next)
}

// twoFactorPart is the account page's second-factor section.
type twoFactorPart struct {
	On            bool
	Pending       bool
	Secret        string // the pending secret, to type by hand; its QR code is at /account/2fa/qr.png
	CodesLeft     int
	RecoveryCodes []string // shown once, right after turning it on
	Required      bool     // staff must turn it on (ELK_STAFF_2FA=required)
	Error         string   // a translation key
}

// twoFactorPart reads the user's second-factor state for the account page.
func (s *Server) twoFactorPart(c *fiber.Ctx, u db.User) (twoFactorPart, error) {
	tf := twoFactorPart{On: u.TwoFactor, Pending: u.SettingUpTwoFactor(), Required: s.staffMustUseTwoFactor(u)}
	if tf.On {
		n, err := s.store.RecoveryCodesLeft(c.UserContext(), u.ID)
		if err != nil {
			return tf, err
		}
		tf.CodesLeft = n
	}
	if tf.Pending && !tf.On {
		secret, err := s.store.PendingTwoFactorSecret(u)
		if err != nil {
			return tf, err
		}
		tf.Secret = groupSecret(secret)
	}
	return tf, nil
}

// twoFactorQR is the QR code of the user's pending secret, for an
// authenticator app to scan; there is none once the factor is on.
func (s *Server) twoFactorQR(c *fiber.Ctx) error {
	u := state(c).user
	if !u.SettingUpTwoFactor() || u.TwoFactor {
		return fiber.ErrNotFound
	}
	secret, err := s.store.PendingTwoFactorSecret(*u)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(auth.TOTPURL(u.Login, secret), qrcode.Medium, 200)
	if err != nil {
		return fmt.Errorf("two-factor QR: %w", err)
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}

// groupSecret writes a base32 secret in groups of four, to type it by hand.
func groupSecret(secret string) string {
	var groups []string
	for len(secret) > 4 {
		groups, secret = append(groups, secret[:4]), secret[4:]
	}
	return strings.Join(append(groups, secret), " ")
}

func (s *Server) staffMustUseTwoFactor(u db.User) bool { return s.cfg.StaffTwoFactor && u.IsStaff() }

// setupTwoFactor makes a new secret to scan, for the user who gives the
// password: a borrowed session alone cannot tie the account to someone
// else's phone.
func (s *Server) setupTwoFactor(c *fiber.Ctx) error {
	u := *state(c).user
	if u.TwoFactor {
		return c.Redirect("/account#two-factor", fiber.StatusSeeOther)
	}
	problem, err := s.checkCurrentPassword(c.UserContext(), u, c.FormValue("current"))
	if err != nil {
		return err
	}
	if problem != "" {
		return s.renderAccountWith(c, fiber.StatusUnprocessableEntity, func(tf *twoFactorPart) { tf.Error = problem })
	}
	if err := s.store.StartTwoFactor(c.UserContext(), u); err != nil {
		return err
	}
	return c.Redirect("/account#two-factor", fiber.StatusSeeOther)
}

// codeKey counts a user's tries of second-factor codes: at login, turning
// it on and turning it off share one budget.
func codeKey(u db.User) string { return "2fa:" + strconv.FormatInt(u.ID, 10) }

// codeTry counts a try of a code in advance; ok is false when the user's
// budget is spent for now.
func (s *Server) codeTry(ctx context.Context, u db.User) (attempt db.LoginAttempt, ok bool, err error) {
	attempt, wait, err := s.store.StartLoginAttempt(ctx, s.cfg.Throttle, codeKey(u))
	return attempt, wait == 0, err
}

// enableTwoFactor confirms the secret with a code, ends the user's other
// sessions and shows the recovery codes, once.
func (s *Server) enableTwoFactor(c *fiber.Ctx) error {
	u := *state(c).user
	attempt, ok, err := s.codeTry(c.UserContext(), u)
	if err != nil {
		return err
	}
	if !ok {
		return s.renderAccountWith(c, fiber.StatusTooManyRequests, func(tf *twoFactorPart) { tf.Error = "twofactor.throttled" })
	}
	codes, err := s.store.EnableTwoFactor(c.UserContext(), s.actor(c), u, strings.TrimSpace(c.FormValue("code")), state(c).token)
	if err == nil {
		err = s.store.ReleaseLoginAttempt(c.UserContext(), attempt, codeKey(u))
	}
	if errors.Is(err, auth.ErrBadCode) {
		return s.renderAccountWith(c, fiber.StatusUnprocessableEntity, func(tf *twoFactorPart) { tf.Error = "twofactor.bad_code" })
	}
	if err != nil {
		return err
	}
	if *state(c).user, err = s.store.UserByID(c.UserContext(), u.ID); err != nil {
		return err
	}
	return s.renderAccountWith(c, fiber.StatusOK, func(tf *twoFactorPart) { tf.RecoveryCodes = codes })
}

// disableTwoFactor turns the second factor off, given the password and a
// code; staff who must use it cannot.
func (s *Server) disableTwoFactor(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := *state(c).user
	if s.staffMustUseTwoFactor(u) {
		return fiber.NewError(fiber.StatusForbidden, "error.forbidden")
	}
	problem, err := s.checkCurrentPassword(ctx, u, c.FormValue("current"))
	if err != nil {
		return err
	}
	if problem == "" {
		problem, err = s.checkCode(ctx, u, c.FormValue("code"))
		if err != nil {
			return err
		}
	}
	if problem != "" {
		return s.renderAccountWith(c, fiber.StatusUnprocessableEntity, func(tf *twoFactorPart) { tf.Error = problem })
	}
	if err := s.store.DisableTwoFactor(ctx, s.actor(c), u); err != nil {
		return err
	}
	s.setFlash(c, "twofactor.off")
	return c.Redirect("/account#two-factor", fiber.StatusSeeOther)
}

// checkCode checks a second-factor code within the user's budget of tries,
// returning what is wrong as a translation key, "" when it is right.
func (s *Server) checkCode(ctx context.Context, u db.User, code string) (string, error) {
	attempt, ok, err := s.codeTry(ctx, u)
	if err != nil || !ok {
		return "twofactor.throttled", err
	}
	err = s.store.CheckSecondFactor(ctx, u, code)
	if errors.Is(err, auth.ErrBadCode) {
		return "twofactor.bad_code", nil
	}
	if err != nil {
		return "", err
	}
	return "", s.store.ReleaseLoginAttempt(ctx, attempt, codeKey(u))
}

// requireSecondFactor sends staff without a second factor to set it up when
// ELK_STAFF_2FA=required.
func (s *Server) requireSecondFactor(c *fiber.Ctx) error {
	if u := state(c).user; u != nil && s.staffMustUseTwoFactor(*u) && !u.TwoFactor {
		return redirect(c, "/account?required=2fa#two-factor")
	}
	return c.Next()
}
