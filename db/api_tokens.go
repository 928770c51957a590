package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// APIToken is a key a company's servers call the API with.
type APIToken struct {
	ID         int64
	CompanyID  int64
	Name       string
	Prefix     string // the first characters, shown to tell tokens apart
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenPrefixLen is how much of a token is kept readable.
const tokenPrefixLen = 8

func hashAPIToken(token string) []byte {
	sum := sha256.Sum256([]byte("elk-api:" + token))
	return sum[:]
}

// CreateAPIToken makes a new random token for a company and returns it: the
// only time it is ever shown, since only its hash is stored.
func (s *Store) CreateAPIToken(ctx context.Context, a Actor, companyID int64, name string) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("db: api token: %w", err)
	}
	token := "elk_" + base64.RawURLEncoding.EncodeToString(b)
	return token, s.ImportAPIToken(ctx, a, companyID, name, token)
}

// ImportAPIToken records a token made elsewhere, such as the demo's
// published ones; CreateAPIToken makes a random one.
func (s *Store) ImportAPIToken(ctx context.Context, a Actor, companyID int64, name, token string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (company_id, name, token_hash, prefix, created_at)
			VALUES (?, ?, ?, ?, ?)`, companyID, name, hashAPIToken(token), token[:min(tokenPrefixLen, len(token))], formatTime(s.Now())); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditTokenCreated, name)
	})
	if err != nil {
		return fmt.Errorf("db: create api token: %w", err)
	}
	return nil
}

// CompanyAPITokens lists a company's tokens, newest first.
func (s *Store) CompanyAPITokens(ctx context.Context, companyID int64) ([]APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, company_id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE company_id = ? ORDER BY revoked_at IS NOT NULL, id DESC`, companyID)
	if err != nil {
		return nil, fmt.Errorf("db: api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created string
		var used, revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.CompanyID, &t.Name, &t.Prefix, &created, &used, &revoked); err != nil {
			return nil, fmt.Errorf("db: api tokens: %w", err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = parseTime(created), parseNullTime(used), parseNullTime(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken stops a token from working; it returns the token's company.
func (s *Store) RevokeAPIToken(ctx context.Context, a Actor, id int64) (int64, error) {
	var companyID int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
			RETURNING company_id, name`, formatTime(s.Now()), id).Scan(&companyID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			// Unknown, or revoked before: say which company it belongs to, change nothing.
			err = tx.QueryRowContext(ctx, `SELECT company_id FROM api_tokens WHERE id = ?`, id).Scan(&companyID)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditTokenRevoked, name)
	})
	if err != nil {
		return 0, fmt.Errorf("db: revoke api token %d: %w", id, err)
	}
	return companyID, nil
}

// APITokenCompany returns the company a live token belongs to and records
// its use (at most once a minute, to spare the writer).
func (s *Store) APITokenCompany(ctx context.Context, token string) (int64, error) {
	var id, companyID int64
	var used sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT id, company_id, last_used_at FROM api_tokens
		WHERE token_hash = ? AND revoked_at IS NULL`, hashAPIToken(token)).Scan(&id, &companyID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("db: api token: %w", err)
	}
	now := s.Now()
	if last := parseNullTime(used); last == nil || now.Sub(*last) >= time.Minute {
		err := s.WithTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(now), id)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("db: api token use: %w", err)
		}
	}
	return companyID, nil
}
