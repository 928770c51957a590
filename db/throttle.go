package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Throttle is the rule for refusing logins: after Limit failures for one key
// (a login or an IP address) within Window, that key is refused until its
// oldest counted failure leaves the window.
type Throttle struct {
	Limit  int
	Window time.Duration
}

// LoginRetryAfter returns how long the keys are still refused; zero means a try is allowed.
func (s *Store) LoginRetryAfter(ctx context.Context, t Throttle, keys ...string) (time.Duration, error) {
	now := s.Now()
	var wait time.Duration
	for _, key := range keys {
		// The Limit-th newest failure in the window decides when a try is allowed again.
		var at string
		err := s.r.QueryRowContext(ctx, `
			SELECT at FROM login_failures WHERE key = ? AND at > ?
			ORDER BY at DESC LIMIT 1 OFFSET ?`,
			key, formatTime(now.Add(-t.Window)), t.Limit-1).Scan(&at)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("db: login throttle: %w", err)
		}
		wait = max(wait, parseTime(at).Add(t.Window).Sub(now))
	}
	return wait, nil
}

// RecordLoginFailure counts one failed login against each key.
func (s *Store) RecordLoginFailure(ctx context.Context, keys ...string) error {
	now := formatTime(s.Now())
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, key := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, now); err != nil {
				return fmt.Errorf("db: record login failure: %w", err)
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures counted against a key, after a successful login.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key); err != nil {
			return fmt.Errorf("db: clear login failures: %w", err)
		}
		return nil
	})
}

// PruneLoginFailures deletes failures older than the window; they no longer count.
func (s *Store) PruneLoginFailures(ctx context.Context, t Throttle) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, formatTime(s.Now().Add(-t.Window))); err != nil {
			return fmt.Errorf("db: prune login failures: %w", err)
		}
		return nil
	})
}
