package db

import (
	"context"
	"database/sql"
	"fmt"
)

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// querier is where a query runs: the readers (*sql.DB) or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
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
