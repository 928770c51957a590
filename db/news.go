package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Audiences of a news item.
const (
	AudienceAll       = "all"
	AudienceCompanies = "companies"
)

// News is a post of the vendor to its clients.
type News struct {
	ID          int64
	Title       string
	Body        string     // Markdown
	PublishedAt *time.Time // nil for a draft
	Pinned      bool
	Audience    string
	CompanyIDs  []int64 // the companies it is for, when not for all
	CreatedBy   string
	UpdatedAt   time.Time
	Read        bool // by the user it was read for
}

const newsColumns = `n.id, n.title, n.body, n.published_at, n.pinned, n.audience, n.created_by, n.updated_at`

// scanNewsRow scans newsColumns alone.
func scanNewsRow(row scanner) (News, error) { return scanNews(row) }

func scanNews(row scanner, extra ...any) (News, error) {
	var n News
	var published sql.NullString
	var updated string
	err := row.Scan(append([]any{&n.ID, &n.Title, &n.Body, &published, &n.Pinned, &n.Audience, &n.CreatedBy, &updated}, extra...)...)
	n.PublishedAt, n.UpdatedAt = parseNullTime(published), parseTime(updated)
	return n, err
}

// visibleNews is the condition for the news a company's users see now.
const visibleNews = ` n.published_at IS NOT NULL AND n.published_at <= ? AND (n.audience = 'all'
	OR EXISTS (SELECT 1 FROM news_companies nc WHERE nc.news_id = n.id AND nc.company_id = ?))`

// CompanyNews returns the news a company's user sees, pinned first, then
// newest first, each marked read or not for the user.
func (s *Store) CompanyNews(ctx context.Context, companyID, userID int64, limit int) ([]News, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (News, error) {
		var read bool
		n, err := scanNews(row, &read)
		n.Read = read
		return n, err
	}, `SELECT `+newsColumns+`, EXISTS (SELECT 1 FROM news_reads r WHERE r.user_id = ? AND r.news_id = n.id)
		FROM news n WHERE`+visibleNews+` ORDER BY n.pinned DESC, n.published_at DESC, n.id DESC LIMIT ?`,
		userID, formatTime(s.Now()), companyID, limit)
	if err != nil {
		return nil, fmt.Errorf("db: news: %w", err)
	}
	return out, nil
}

// OpenNews returns a news item the company sees and marks it read by the user.
func (s *Store) OpenNews(ctx context.Context, companyID, userID, id int64) (News, error) {
	n, err := queryOne(ctx, s.r, scanNewsRow, fmt.Sprintf("news %d", id),
		`SELECT `+newsColumns+` FROM news n WHERE n.id = ? AND`+visibleNews, id, formatTime(s.Now()), companyID)
	if err != nil {
		return n, err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO news_reads (user_id, news_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		userID, id, formatTime(s.Now()))
	if err != nil {
		return n, fmt.Errorf("db: read news %d: %w", id, err)
	}
	n.Read = true
	return n, nil
}

// UnreadNews counts the news a company's user sees and has not opened.
func (s *Store) UnreadNews(ctx context.Context, companyID, userID int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM news n WHERE`+visibleNews+`
		AND NOT EXISTS (SELECT 1 FROM news_reads r WHERE r.user_id = ? AND r.news_id = n.id)`,
		formatTime(s.Now()), companyID, userID).Scan(intInto{&n})
	if err != nil {
		return 0, fmt.Errorf("db: unread news: %w", err)
	}
	return n, nil
}

// ReadAllNews marks every news item the user sees as read.
func (s *Store) ReadAllNews(ctx context.Context, companyID, userID int64) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO news_reads (user_id, news_id, read_at)
		SELECT ?, n.id, ? FROM news n WHERE`+visibleNews+` ON CONFLICT DO NOTHING`,
		userID, formatTime(s.Now()), formatTime(s.Now()), companyID)
	if err != nil {
		return fmt.Errorf("db: read all news: %w", err)
	}
	return nil
}

// AllNews returns every news item, drafts too, newest first (back office).
func (s *Store) AllNews(ctx context.Context) ([]News, error) {
	out, err := queryAll(ctx, s.r, scanNewsRow,
		`SELECT `+newsColumns+` FROM news n ORDER BY n.published_at IS NOT NULL, n.published_at DESC, n.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("db: all news: %w", err)
	}
	return out, nil
}

// NewsByID returns any news item with its companies (back office).
func (s *Store) NewsByID(ctx context.Context, id int64) (News, error) {
	n, err := queryOne(ctx, s.r, scanNewsRow, fmt.Sprintf("news %d", id), `SELECT `+newsColumns+` FROM news n WHERE n.id = ?`, id)
	if err != nil {
		return n, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT company_id FROM news_companies WHERE news_id = ? ORDER BY company_id`, id)
	if err != nil {
		return n, fmt.Errorf("db: news %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return n, err
		}
		n.CompanyIDs = append(n.CompanyIDs, c)
	}
	return n, rows.Err()
}

// SaveNews creates (ID 0) or changes a news item with its audience, audited.
func (s *Store) SaveNews(ctx context.Context, a Actor, n News) (int64, error) {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.Now())
		if n.ID == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO news (title, body, published_at, pinned, audience, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.Title, n.Body, nullTime(n.PublishedAt), n.Pinned, n.Audience,
				a.Login, now, now).Scan(&n.ID); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE news SET title = ?, body = ?, published_at = ?, pinned = ?, audience = ?, updated_at = ?
				WHERE id = ?`, n.Title, n.Body, nullTime(n.PublishedAt), n.Pinned, n.Audience, now, n.ID)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return ErrNotFound
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM news_companies WHERE news_id = ?`, n.ID); err != nil {
				return err
			}
		}
		if n.Audience == AudienceCompanies {
			for _, c := range n.CompanyIDs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO news_companies (news_id, company_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, n.ID, c); err != nil {
					return err
				}
			}
		}
		return s.writeAudit(ctx, tx, a, 0, AuditNewsSaved, strings.TrimSpace(n.Title))
	})
	if err != nil {
		return 0, fmt.Errorf("db: save news: %w", err)
	}
	return n.ID, nil
}
