package db

import (
	"context"
	"fmt"
)

// Stats are the figures an operator watches, read when metrics are scraped.
type Stats struct {
	OutboxPending int   // notices waiting to be delivered
	OutboxFailed  int   // notices given up on
	DatabaseBytes int64 // the database file's pages in use and free
}

// Stats reads the figures in one query.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM outbox WHERE status = 'pending'),
		(SELECT count(*) FROM outbox WHERE status = 'failed'),
		(SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size())`).
		Scan(&st.OutboxPending, &st.OutboxFailed, &st.DatabaseBytes)
	if err != nil {
		return st, fmt.Errorf("db: stats: %w", err)
	}
	return st, nil
}
