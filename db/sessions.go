package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Session is a logged-in browser.
type Session struct {
	Token      string // the cookie value; only its hash is stored
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// SessionLimits end sessions that sat unused for Idle or that began more than Absolute ago.
type SessionLimits struct {
	Idle     time.Duration
	Absolute time.Duration
}

// touchEvery bounds how often a busy session's last-seen time is written.
const touchEvery = time.Minute

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// Login starts a session for a user whose password was just checked,
// records the login time and writes the login to the audit log.
func (s *Store) Login(ctx context.Context, u User, ip, userAgent string) (Session, error) {
	return s.startSession(ctx, u, ip, userAgent, true)
}

// RenewSession starts a fresh session for a user who is already logged in,
// such as after a password change ended all the old ones.
func (s *Store) RenewSession(ctx context.Context, u User, ip, userAgent string) (Session, error) {
	return s.startSession(ctx, u, ip, userAgent, false)
}

// startSession returns a new random 128-bit token for the cookie.
func (s *Store) startSession(ctx context.Context, u User, ip, userAgent string, isLogin bool) (Session, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return Session{}, fmt.Errorf("db: session token: %w", err)
	}
	now := s.Now()
	sess := Session{Token: hex.EncodeToString(b), UserID: u.ID, CreatedAt: now, LastSeenAt: now}
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)`,
			hashToken(sess.Token), u.ID, formatTime(now), formatTime(now), ip, truncate(userAgent, 256)); err != nil {
			return err
		}
		if !isLogin {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, formatTime(now), u.ID); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, Actor{UserID: u.ID, Login: u.Login, IP: ip}, u.CompanyID, AuditLogin, "")
	})
	if err != nil {
		return Session{}, fmt.Errorf("db: start session: %w", err)
	}
	return sess, nil
}

// SessionUser returns the session behind a token, its user and, for a
// client's user, the company. A token that is unknown, idle or too old, or
// whose user is disabled, is ErrNotFound; an expired session is deleted on
// the way.
func (s *Store) SessionUser(ctx context.Context, token string, lim SessionLimits) (Session, User, *Company, error) {
	sess := Session{Token: token}
	u, co, created, seen, err := s.sessionRow(ctx, token)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, User{}, nil, ErrNotFound
	}
	if err != nil {
		return sess, User{}, nil, fmt.Errorf("db: session: %w", err)
	}
	sess.UserID, sess.CreatedAt, sess.LastSeenAt = u.ID, parseTime(created), parseTime(seen)
	now := s.Now()
	if now.Sub(sess.LastSeenAt) > lim.Idle || now.Sub(sess.CreatedAt) > lim.Absolute {
		return sess, User{}, nil, errors.Join(ErrNotFound, s.DeleteSession(ctx, token))
	}
	if u.Disabled() {
		return sess, User{}, nil, ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		err := s.WithTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, formatTime(now), hashToken(token))
			return err
		})
		if err != nil {
			return sess, User{}, nil, fmt.Errorf("db: touch session: %w", err)
		}
		sess.LastSeenAt = now
	}
	return sess, u, co, nil
}

// sessionQuery reads a session with its user; every request asks, so the
// company of a client's user comes in the same query.
const sessionQuery = `WITH session AS (SELECT user_id, created_at AS session_created, last_seen_at AS session_seen
	FROM sessions WHERE id_hash = ?) SELECT session_created, session_seen, ` + userColumns

// sessionRow reads a session's user and, for a client's user, its company:
// a client's in one query, staff (who have no company) in a second.
func (s *Store) sessionRow(ctx context.Context, token string) (u User, co *Company, created, seen string, err error) {
	var ur userRow
	var cr companyRow
	err = s.r.QueryRowContext(ctx, sessionQuery+`, `+companyColumns+` FROM users u JOIN session ON u.id = session.user_id
		JOIN companies co ON co.id = u.company_id`, hashToken(token)).Scan(append(append([]any{&created, &seen}, ur.dest()...), cr.dest()...)...)
	if err == nil {
		c := cr.company()
		return ur.user(), &c, created, seen, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return u, nil, created, seen, err
	}
	err = s.r.QueryRowContext(ctx, sessionQuery+` FROM users u JOIN session ON u.id = session.user_id WHERE u.company_id IS NULL`,
		hashToken(token)).Scan(append([]any{&created, &seen}, ur.dest()...)...)
	return ur.user(), nil, created, seen, err
}

// DeleteSession ends one session without a record: it expired, or a login replaces it.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hashToken(token)); err != nil {
			return fmt.Errorf("db: delete session: %w", err)
		}
		return nil
	})
}

// Logout ends a session and records it, in one transaction.
func (s *Store) Logout(ctx context.Context, a Actor, companyID int64, token string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hashToken(token)); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditLogout, "")
	})
	if err != nil {
		return fmt.Errorf("db: logout: %w", err)
	}
	return nil
}

// PruneSessions deletes the sessions that the limits have ended; it returns how many.
func (s *Store) PruneSessions(ctx context.Context, lim SessionLimits) (int64, error) {
	now := s.Now()
	var n int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`,
			formatTime(now.Add(-lim.Idle)), formatTime(now.Add(-lim.Absolute)))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("db: prune sessions: %w", err)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// SessionInfo is one of a user's logged-in browsers, as the user sees it.
type SessionInfo struct {
	ID         string // the hex of the token's hash: names it without revealing it
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
	Current    bool // the one asking
}

// UserSessions lists a user's sessions, the most recently used first;
// currentToken marks the asking browser's.
func (s *Store) UserSessions(ctx context.Context, userID int64, currentToken string) ([]SessionInfo, error) {
	current := hex.EncodeToString(hashToken(currentToken))
	out, err := queryAll(ctx, s.r, func(row scanner) (SessionInfo, error) {
		var si SessionInfo
		var created, seen string
		err := row.Scan(&si.ID, &created, &seen, &si.IP, &si.UserAgent)
		si.CreatedAt, si.LastSeenAt, si.Current = parseTime(created), parseTime(seen), si.ID == current
		return si, err
	}, `SELECT lower(hex(id_hash)), created_at, last_seen_at, ip, user_agent FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("db: sessions of user %d: %w", userID, err)
	}
	return out, nil
}

// EndSession ends one of the user's own sessions by its ID; another user's
// is not found.
func (s *Store) EndSession(ctx context.Context, a Actor, u User, id string) error {
	hash, err := hex.DecodeString(id)
	if err != nil || len(hash) != sha256.Size {
		return ErrNotFound
	}
	err = s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ? AND user_id = ?`, hash, u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		return s.writeAudit(ctx, tx, a, u.CompanyID, AuditSessionsEnded, u.Login+": 1")
	})
	if err != nil {
		return fmt.Errorf("db: end session: %w", err)
	}
	return nil
}

// EndUserSessions logs a user out everywhere (staff's doing); it returns how
// many sessions ended.
func (s *Store) EndUserSessions(ctx context.Context, a Actor, u User) (int64, error) {
	var n int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return s.writeAudit(ctx, tx, a, u.CompanyID, AuditSessionsEnded, fmt.Sprintf("%s: %d", u.Login, n))
	})
	if err != nil {
		return 0, fmt.Errorf("db: end sessions of %s: %w", u.Login, err)
	}
	return n, nil
}

// SessionExists tells whether a token names a stored session, cheaply, for
// deciding before a request's body is read; SessionUser checks it fully.
func (s *Store) SessionExists(ctx context.Context, token string) bool {
	var one int
	return s.r.QueryRowContext(ctx, `SELECT 1 FROM sessions WHERE id_hash = ?`, hashToken(token)).Scan(&one) == nil
}
