package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// querier is where a query runs: the readers (*sql.DB) or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// rowQuerier is where a one-row query runs: the readers, the writer or a transaction.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryOne runs a query for one row and scans it with scan. No row is
// ErrNotFound; every error comes back wrapped with what was looked up
// ("db: invoice 12: …").
func queryOne[T any](ctx context.Context, db rowQuerier, scan func(scanner) (T, error), what, query string, args ...any) (T, error) {
	v, err := scan(db.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("db: %s: %w", what, err)
	}
	return v, nil
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, db querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// intInto scans an integer column into an int. database/sql gets there by
// formatting the number as text and parsing it back, with an allocation;
// counts fill the SMS and statistics pages.
type intInto struct{ p *int }

func (d intInto) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("db: %T is not an integer", src)
	}
	*d.p = int(v)
	return nil
}
