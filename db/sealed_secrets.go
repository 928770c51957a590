package db

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sealedPrefix marks a sealed secret and its format; a value without it is
// a secret an older version kept in plain text (base32 never has a colon).
const sealedPrefix = "v1:"

// newSealer is AES-256-GCM under the secret key.
func newSealer(key []byte) (cipher.AEAD, error) {
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("db: a secret key is %d bytes, not %d", SecretKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// secretLabel binds a sealed secret to its user: one copied onto another
// user's row does not open.
func secretLabel(userID int64) []byte {
	return []byte("elk totp user " + strconv.FormatInt(userID, 10))
}

// seal encrypts a user's TOTP secret with a fresh random nonce; the empty
// secret (none) stays empty.
func (s *Store) seal(userID int64, secret string) (string, error) {
	if secret == "" {
		return "", nil
	}
	nonce := make([]byte, s.sealer.NonceSize(), s.sealer.NonceSize()+len(secret)+s.sealer.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(s.sealer.Seal(nonce, nonce, []byte(secret), secretLabel(userID))), nil
}

// unseal decrypts a user's TOTP secret as stored.
func (s *Store) unseal(userID int64, stored string) (string, error) {
	if stored == "" {
		return "", nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if !strings.HasPrefix(stored, sealedPrefix) || err != nil || len(raw) < s.sealer.NonceSize() {
		return "", fmt.Errorf("db: user %d: second-factor secret is not sealed", userID)
	}
	n := s.sealer.NonceSize()
	plain, err := s.sealer.Open(nil, raw[:n], raw[n:], secretLabel(userID))
	if err != nil {
		return "", fmt.Errorf("db: user %d: second-factor secret does not open: %w", userID, err)
	}
	return string(plain), nil
}

// adoptKey makes the store's key the one the database's secrets are sealed
// with: the first time its check (keyCheck) is remembered; later a
// different key is ErrWrongSecretKey. Secrets an older version kept in plain text are then
// sealed in place, in the same transaction, with SQLite overwriting the
// bytes they leave behind and the write-ahead log emptied after, so the
// file keeps no plain copy.
func (s *Store) adoptKey(ctx context.Context, check string) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: secret key: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return fmt.Errorf("db: secret key: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`) // SQLite's default
	sealed, err := s.sealPlainSecrets(ctx, conn, check)
	if err != nil {
		return err
	}
	if sealed > 0 {
		if _, err := conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return fmt.Errorf("db: secret key: %w", err)
		}
	}
	return nil
}

// sealPlainSecrets checks the key and seals the plain secrets in one
// transaction; it returns how many users' secrets it sealed.
func (s *Store) sealPlainSecrets(ctx context.Context, conn *sql.Conn, check string) (int, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("db: secret key: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var stored string
	err = tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, keyCheckSetting).Scan(&stored)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, keyCheckSetting, check); err != nil {
			return 0, fmt.Errorf("db: secret key: %w", err)
		}
	case err != nil:
		return 0, fmt.Errorf("db: secret key: %w", err)
	case stored != check:
		return 0, ErrWrongSecretKey
	}
	type plain struct {
		id              int64
		secret, pending string
	}
	var found []plain
	rows, err := tx.QueryContext(ctx, `SELECT id, totp_secret, totp_pending FROM users
		WHERE (totp_secret <> '' AND totp_secret NOT LIKE 'v1:%') OR (totp_pending <> '' AND totp_pending NOT LIKE 'v1:%')`)
	if err != nil {
		return 0, fmt.Errorf("db: seal secrets: %w", err)
	}
	for rows.Next() {
		var p plain
		if err := rows.Scan(&p.id, &p.secret, &p.pending); err != nil {
			rows.Close()
			return 0, fmt.Errorf("db: seal secrets: %w", err)
		}
		found = append(found, p)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("db: seal secrets: %w", err)
	}
	for _, p := range found {
		secret, err := s.sealIfPlain(p.id, p.secret)
		if err != nil {
			return 0, err
		}
		pending, err := s.sealIfPlain(p.id, p.pending)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = ?, totp_pending = ? WHERE id = ?`, secret, pending, p.id); err != nil {
			return 0, fmt.Errorf("db: seal secrets: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("db: seal secrets: %w", err)
	}
	return len(found), nil
}

func (s *Store) sealIfPlain(userID int64, stored string) (string, error) {
	if strings.HasPrefix(stored, sealedPrefix) {
		return stored, nil
	}
	return s.seal(userID, stored)
}
