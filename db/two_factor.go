package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts are the usual authenticator settings: six digits every 30 s.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// RecoveryCodeCount is how many one-time recovery codes a user gets.
const RecoveryCodeCount = 10

// ErrBadCode refuses a second-factor code that is wrong, stale or used.
var ErrBadCode = errors.New("twofactor.bad_code")

// StartTwoFactor makes a new secret for a user to scan and keeps it as
// pending until a code from it confirms it.
func (s *Store) StartTwoFactor(ctx context.Context, u User) error {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Login})
	if err == nil {
		err = s.WithTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET totp_pending = ? WHERE id = ?`, key.Secret(), u.ID)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("db: start two-factor: %w", err)
	}
	return nil
}

// totpIssuer names the portal in the user's authenticator.
const totpIssuer = "ELK"

// TOTPURL is the otpauth:// address of a user's pending secret, for the QR
// code an authenticator scans.
func TOTPURL(u User) string {
	q := url.Values{"secret": {u.TOTPPending}, "issuer": {totpIssuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + u.Login, RawQuery: q.Encode()}).String()
}

// EnableTwoFactor confirms the pending secret with a code from it, turns the
// second factor on, ends the user's sessions but the current one (keepToken)
// and returns fresh recovery codes, shown once.
func (s *Store) EnableTwoFactor(ctx context.Context, a Actor, u User, code, keepToken string) ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var pending string
		if err := tx.QueryRowContext(ctx, `SELECT totp_pending FROM users WHERE id = ?`, u.ID).Scan(&pending); err != nil {
			return err
		}
		step, ok := totpStep(pending, code, s.Now())
		if pending == "" || !ok {
			return ErrBadCode
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = totp_pending, totp_pending = '', totp_last_step = ?
			WHERE id = ?`, step, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, u.ID, hashToken(keepToken)); err != nil {
			return err
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, u.ID, hashCode(c)); err != nil {
				return err
			}
		}
		return s.writeAudit(ctx, tx, a, u.CompanyID, AuditTwoFactorOn, u.Login)
	})
	if err != nil {
		return nil, fmt.Errorf("db: enable two-factor: %w", err)
	}
	return codes, nil
}

// DisableTwoFactor turns the second factor off and drops the recovery codes.
func (s *Store) DisableTwoFactor(ctx context.Context, a Actor, u User) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = '', totp_pending = '', totp_last_step = 0 WHERE id = ?`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, u.CompanyID, AuditTwoFactorOff, u.Login)
	})
	if err != nil {
		return fmt.Errorf("db: disable two-factor: %w", err)
	}
	return nil
}

// CheckSecondFactor takes a code from the user's authenticator, never one
// already taken (nor an older one), or an unused recovery code, which is
// then used up.
func (s *Store) CheckSecondFactor(ctx context.Context, u User, code string) error {
	code = strings.ToLower(strings.Join(strings.Fields(code), ""))
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var secret string
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = ?`, u.ID).Scan(&secret, &last); err != nil {
			return err
		}
		if secret == "" {
			return ErrBadCode
		}
		if step, ok := totpStep(secret, code, s.Now()); ok {
			if step <= last {
				return ErrBadCode // replayed
			}
			_, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ?`, step, u.ID)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
			formatTime(s.Now()), u.ID, hashCode(code))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrBadCode
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrBadCode) {
		return fmt.Errorf("db: second factor: %w", err)
	}
	return err
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("db: recovery codes: %w", err)
	}
	return n, nil
}

// totpStep finds the 30-second step, now or one either side (clocks drift),
// whose code is the one given.
func totpStep(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(d) * 30 * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / 30, true
		}
	}
	return 0, false
}

// newRecoveryCode is ten random letters and digits as «abcde-fghij».
func newRecoveryCode() string {
	b := make([]byte, 7)
	rand.Read(b)
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
	return s[:5] + "-" + s[5:]
}

// hashCode keeps a recovery code's hash, typed with or without its dash.
func hashCode(code string) []byte {
	sum := sha256.Sum256([]byte(strings.ReplaceAll(code, "-", "")))
	return sum[:]
}
