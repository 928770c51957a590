package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"elk/db/auth"
)

// StartTwoFactor makes a new secret for a user to scan and keeps it as
// pending until a code from it confirms it.
func (s *Store) StartTwoFactor(ctx context.Context, u User) error {
	secret, err := auth.NewTOTPSecret(u.Login)
	if err == nil {
		secret, err = s.seal(u.ID, secret)
	}
	if err == nil {
		err = s.WithTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE users SET totp_pending = ? WHERE id = ?`, secret, u.ID)
			return err
		})
	}
	if err != nil {
		return fmt.Errorf("db: start two-factor: %w", err)
	}
	return nil
}

// EnableTwoFactor confirms the pending secret with a code from it, turns the
// second factor on, ends the user's sessions but the current one (keepToken)
// and returns fresh recovery codes, shown once.
func (s *Store) EnableTwoFactor(ctx context.Context, a Actor, u User, code, keepToken string) ([]string, error) {
	codes := make([]string, auth.RecoveryCodeCount)
	for i := range codes {
		codes[i] = auth.NewRecoveryCode()
	}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var sealed string
		if err := tx.QueryRowContext(ctx, `SELECT totp_pending FROM users WHERE id = ?`, u.ID).Scan(&sealed); err != nil {
			return err
		}
		pending, err := s.unseal(u.ID, sealed)
		if err != nil {
			return err
		}
		step, ok := auth.TOTPStep(pending, code, s.Now())
		if pending == "" || !ok {
			return auth.ErrBadCode
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
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, u.ID, auth.HashRecoveryCode(c)); err != nil {
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
		var sealed string
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = ?`, u.ID).Scan(&sealed, &last); err != nil {
			return err
		}
		secret, err := s.unseal(u.ID, sealed)
		if err != nil {
			return err
		}
		if secret == "" {
			return auth.ErrBadCode
		}
		if step, ok := auth.TOTPStep(secret, code, s.Now()); ok {
			if step <= last {
				return auth.ErrBadCode // replayed
			}
			_, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ?`, step, u.ID)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
			formatTime(s.Now()), u.ID, auth.HashRecoveryCode(code))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return auth.ErrBadCode
		}
		return nil
	})
	if err != nil && !errors.Is(err, auth.ErrBadCode) {
		return fmt.Errorf("db: second factor: %w", err)
	}
	return err
}

// PendingTwoFactorSecret is the secret a user setting up the second factor
// scans or types, "" when there is none.
func (s *Store) PendingTwoFactorSecret(u User) (string, error) {
	return s.unseal(u.ID, u.totpPending)
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
