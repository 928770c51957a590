package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ForgetSecretKey opens the database at path with a new key when the one it
// was started with is lost. The second-factor secrets sealed with the old
// key can no longer be read, so every user's second factor is turned off
// (they log in with the password alone and may turn it on again), and the
// new key is adopted. It returns the logins whose second factor was turned
// off.
func ForgetSecretKey(ctx context.Context, path string, key []byte, a Actor) ([]string, error) {
	var logins []string
	forget := func(s *Store) error {
		return s.WithTx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(company_id, 0), login FROM users
				WHERE totp_secret <> '' OR totp_pending <> '' ORDER BY login`)
			if err != nil {
				return err
			}
			type user struct {
				id, companyID int64
				login         string
			}
			var users []user
			for rows.Next() {
				var u user
				if err := rows.Scan(&u.id, &u.companyID, &u.login); err != nil {
					rows.Close()
					return err
				}
				users = append(users, u)
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return err
			}
			for _, u := range users {
				if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = '', totp_pending = '', totp_last_step = 0 WHERE id = ?`, u.id); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, u.id); err != nil {
					return err
				}
				if err := s.writeAudit(ctx, tx, a, u.companyID, AuditTwoFactorOff, u.login); err != nil {
					return err
				}
				logins = append(logins, u.login)
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keyCheckSetting)
			return err
		})
	}
	s, err := open(ctx, path, key, forget)
	if err != nil {
		return nil, fmt.Errorf("db: forget the secret key: %w", err)
	}
	return logins, s.Close()
}
