package db

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// readers is the pool of read connections with a cache of prepared
// statements: parsing a query costs SQLite more than running most of ELK's,
// and the same few hundred queries serve every page. Parsing also
// allocates through modernc libc's malloc, which one global lock guards:
// without the cache, two cores served the tabs two to four times slower
// than with it.
type readers struct {
	*sql.DB
	stmts sync.Map // query text → *sql.Stmt
	count atomic.Int32
}

// maxStatements bounds the cache; queries past it run unprepared.
const maxStatements = 1000

// stmt returns the query prepared, or nil when the cache is full.
func (r *readers) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := r.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	if r.count.Load() >= maxStatements {
		return nil, nil
	}
	st, err := r.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := r.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	r.count.Add(1)
	return st, nil
}

// QueryContext runs a query through its prepared statement.
func (r *readers) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, query)
	if err != nil || st == nil {
		return r.DB.QueryContext(ctx, query, args...) // reports the same error, or runs uncached
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs a one-row query through its prepared statement.
func (r *readers) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := r.stmt(ctx, query)
	if err != nil || st == nil {
		return r.DB.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
