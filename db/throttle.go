package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"elk/db/auth"
)

// LoginAttempt is a login try counted as a failure in advance, so that
// parallel tries cannot slip past the limit while passwords are checked.
type LoginAttempt struct {
	ids []int64
}

// StartLoginAttempt checks the keys and, if none is refused, counts one
// failure against each in the same transaction. A refusal returns how long
// until a try is allowed again and counts nothing: a locked key waits for
// its failures to leave the window, a slowed one (auth.Throttle.Delay) for
// its growing delay after the last failure.
func (s *Store) StartLoginAttempt(ctx context.Context, t auth.Throttle, keys ...string) (LoginAttempt, time.Duration, error) {
	now := s.Now()
	var a LoginAttempt
	var wait time.Duration
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, key := range keys {
			next, err := nextTry(ctx, tx, t, key, now)
			if err != nil {
				return err
			}
			wait = max(wait, next.Sub(now))
		}
		if wait > 0 {
			return nil
		}
		for _, key := range keys {
			res, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, formatTime(now))
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			a.ids = append(a.ids, id)
		}
		return nil
	})
	if err != nil {
		return LoginAttempt{}, 0, fmt.Errorf("db: login throttle: %w", err)
	}
	return a, wait, nil
}

// nextTry is when the key may be tried again under the rule: the zero time
// when it may be tried at once.
func nextTry(ctx context.Context, tx *sql.Tx, t auth.Throttle, key string, now time.Time) (time.Time, error) {
	since := formatTime(now.Add(-t.Window))
	if t.Delay > 0 {
		// Slowed down: the wait after the last failure grows with their count.
		var n int
		var last sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT count(*), max(at) FROM login_failures WHERE key = ? AND at > ?`, key, since).Scan(&n, &last)
		if err != nil || n < t.Limit {
			return time.Time{}, err
		}
		return parseTime(last.String).Add(t.DelayAfter(n)), nil
	}
	// Locked: the Limit-th newest failure in the window decides when a try is allowed again.
	var at string
	err := tx.QueryRowContext(ctx, `
		SELECT at FROM login_failures WHERE key = ? AND at > ?
		ORDER BY at DESC LIMIT 1 OFFSET ?`, key, since, t.Limit-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return parseTime(at).Add(t.Window), nil
}

// ReleaseLoginAttempt un-counts an attempt whose password was right, and
// forgets every failure counted against clearKeys (the login that succeeded).
func (s *Store) ReleaseLoginAttempt(ctx context.Context, a LoginAttempt, clearKeys ...string) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, id := range a.ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE id = ?`, id); err != nil {
				return fmt.Errorf("db: release login attempt: %w", err)
			}
		}
		if len(clearKeys) == 0 {
			return nil
		}
		q := `DELETE FROM login_failures WHERE key IN (?` + strings.Repeat(", ?", len(clearKeys)-1) + `)`
		args := make([]any, len(clearKeys))
		for i, k := range clearKeys {
			args[i] = k
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("db: clear login failures: %w", err)
		}
		return nil
	})
}

// PruneLoginFailures deletes failures older than the window; they no longer count.
func (s *Store) PruneLoginFailures(ctx context.Context, t auth.Throttle) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at <= ?`, formatTime(s.Now().Add(-t.Window))); err != nil {
			return fmt.Errorf("db: prune login failures: %w", err)
		}
		return nil
	})
}
