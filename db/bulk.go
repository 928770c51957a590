package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// multiRow is an INSERT of many rows at once, prepared once for each
// number of rows in a transaction: parsing a statement of hundreds of rows'
// placeholders costs about a tenth of running it, and would be paid again
// for every batch.
type multiRow struct {
	tx         *sql.Tx
	head, tail string // around the VALUES list
	cols       int
	stmts      map[int]*sql.Stmt
}

func newMultiRow(tx *sql.Tx, head string, cols int, tail string) *multiRow {
	return &multiRow{tx: tx, head: head, tail: tail, cols: cols, stmts: map[int]*sql.Stmt{}}
}

// stmt returns the statement for n rows, preparing it the first time.
func (m *multiRow) stmt(ctx context.Context, n int) (*sql.Stmt, error) {
	if st := m.stmts[n]; st != nil {
		return st, nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", m.cols), ", ") + ")"
	st, err := m.tx.PrepareContext(ctx, m.head+strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")+m.tail)
	if err != nil {
		return nil, err
	}
	m.stmts[n] = st
	return st, nil
}

// close closes the prepared statements (before the transaction ends).
func (m *multiRow) close() {
	for _, st := range m.stmts {
		st.Close()
	}
}

// buildIndexesAfter runs load with the tables' own secondary indexes
// dropped, then creates them again from their stored definitions, so the
// schema ends as it began. Filling an index row by row costs far more than
// building it at once from sorted keys: the SMS phone index is filled in
// random order, and the indexes newest-first grow at their left edge, where
// every page split leaves half a page empty. That holds only while the new
// rows are all an index will hold, so only an empty table's indexes are
// dropped: the demo's first history («Такси Пример»'s SMS) gains, the
// later ones load into tables that have rows. Indexes that enforce
// uniqueness always stay. Everything happens in the caller's transaction,
// and SQLite's DDL is transactional: a failure or a crash midway rolls the
// drops back with the rows.
func buildIndexesAfter(ctx context.Context, tx *sql.Tx, tables []string, load func() error) error {
	var creates []string
	for _, table := range tables {
		dropped, err := dropIndexesOfEmpty(ctx, tx, table)
		if err != nil {
			return fmt.Errorf("db: indexes of %s: %w", table, err)
		}
		creates = append(creates, dropped...)
	}
	if err := load(); err != nil {
		return err
	}
	for _, create := range creates {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("db: build index %q: %w", create, err)
		}
	}
	return nil
}

// dropIndexesOfEmpty drops the secondary indexes of a table without rows
// and returns the statements that create them. The table's and indexes'
// names go into the SQL as text, which placeholders cannot name: they are
// the store's own, from its callers' constants and from sqlite_schema.
func dropIndexesOfEmpty(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	var empty bool
	if err := tx.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM "`+table+`")`).Scan(&empty); err != nil || !empty {
		return nil, err
	}
	type index struct{ name, create string }
	indexes, err := queryAll(ctx, tx, func(r scanner) (index, error) {
		var ix index
		return ix, r.Scan(&ix.name, &ix.create)
	}, `SELECT il.name, s.sql FROM pragma_index_list(?) il JOIN sqlite_schema s ON s.type = 'index' AND s.name = il.name
		WHERE il.origin = 'c' AND NOT il."unique" ORDER BY il.name`, table)
	if err != nil {
		return nil, err
	}
	var creates []string
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+ix.name+`"`); err != nil {
			return nil, err
		}
		creates = append(creates, ix.create)
	}
	return creates, nil
}
