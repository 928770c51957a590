package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// Secret returns the instance's random secret with the given name, creating
// it on first use, so that tokens signed with it survive a restart.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	value, err := s.randomSetting(ctx, "secret:"+name, 32)
	if err != nil {
		return nil, fmt.Errorf("db: secret %s: %w", name, err)
	}
	return hex.DecodeString(value)
}

// DatabaseID is the database's random id, made on first use. It goes with
// the database into its backups and replica, and tells a replica of this
// database from another's.
func (s *Store) DatabaseID(ctx context.Context) (string, error) {
	id, err := s.randomSetting(ctx, "database-id", 16)
	if err != nil {
		return "", fmt.Errorf("db: database id: %w", err)
	}
	return id, nil
}

// randomSetting is the settings row key, size random bytes in hexadecimal
// written the first time it is asked for.
func (s *Store) randomSetting(ctx context.Context, key string, size int) (string, error) {
	var value string
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		b := make([]byte, size)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		value = hex.EncodeToString(b)
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, key, value)
		return err
	})
	return value, err
}
