package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"elk/db/money"
)

// Transaction is one row of the ledger as a client sees it.
type Transaction struct {
	ID               int64
	CompanyServiceID int64
	ServiceCode      string
	Amount           money.Kopecks
	Source           string
	Description      string
	CreatedAt        time.Time
}

// TxFilter narrows a company's transactions; zero values mean "any".
type TxFilter struct {
	CompanyServiceID int64
	Source           string
	From, To         time.Time // instants: From inclusive, To exclusive
}

// TxCursor is where a page of transactions ends: the next page starts after
// it. Keyset pagination stays as fast on the last page as on the first.
type TxCursor struct {
	At time.Time
	ID int64
}

// String encodes the cursor for a URL.
func (c TxCursor) String() string {
	return strconv.FormatInt(c.At.UnixMilli(), 36) + "." + strconv.FormatInt(c.ID, 36)
}

// ParseTxCursor decodes a cursor from a URL; ok is false for anything malformed.
func ParseTxCursor(s string) (TxCursor, bool) {
	at, id, found := strings.Cut(s, ".")
	ms, err1 := strconv.ParseInt(at, 36, 64)
	n, err2 := strconv.ParseInt(id, 36, 64)
	if !found || err1 != nil || err2 != nil || n <= 0 {
		return TxCursor{}, false
	}
	return TxCursor{At: time.UnixMilli(ms).UTC(), ID: n}, true
}

// txQuery builds the query for a company's filtered transactions, newest first.
func txQuery(companyID int64, f TxFilter, after *TxCursor) (string, []any) {
	var b strings.Builder
	// No joins: the few services' codes are looked up once (serviceCodes), not per row.
	b.WriteString(`SELECT t.id, t.company_service_id, t.amount, t.source, t.description, t.created_at
		FROM transactions t WHERE t.company_id = ?`)
	args := []any{companyID}
	if f.CompanyServiceID != 0 {
		b.WriteString(` AND t.company_service_id = ?`)
		args = append(args, f.CompanyServiceID)
	}
	if f.Source != "" {
		b.WriteString(` AND t.source = ?`)
		args = append(args, f.Source)
	}
	if !f.From.IsZero() {
		b.WriteString(` AND t.created_at >= ?`)
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		b.WriteString(` AND t.created_at < ?`)
		args = append(args, formatTime(f.To))
	}
	if after != nil {
		b.WriteString(` AND (t.created_at, t.id) < (?, ?)`)
		args = append(args, formatTime(after.At), after.ID)
	}
	b.WriteString(` ORDER BY t.created_at DESC, t.id DESC`)
	return b.String(), args
}

func scanTransaction(rows *sql.Rows) (Transaction, error) {
	var t Transaction
	var at string
	err := rows.Scan(&t.ID, &t.CompanyServiceID, &t.Amount, &t.Source, &t.Description, &at)
	t.CreatedAt = parseTime(at)
	return t, err
}

// serviceCodes maps a company's connected services to their catalog codes.
func (s *Store) serviceCodes(ctx context.Context, companyID int64) (map[int64]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT cs.id, sv.code FROM company_services cs
		JOIN services sv ON sv.id = cs.service_id WHERE cs.company_id = ?`, companyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	codes := map[int64]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		codes[id] = code
	}
	return codes, rows.Err()
}

// Transactions returns one page of a company's filtered transactions, newest
// first, after the cursor (nil for the first page), and the cursor of the
// next page (nil on the last).
func (s *Store) Transactions(ctx context.Context, companyID int64, f TxFilter, after *TxCursor, limit int) ([]Transaction, *TxCursor, error) {
	q, args := txQuery(companyID, f, after)
	rows, err := s.r.QueryContext(ctx, q+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, nil, fmt.Errorf("db: transactions: %w", err)
	}
	defer rows.Close()
	out := make([]Transaction, 0, limit+1) // the one past the page tells there is a next
	for rows.Next() {
		t, err := scanTransaction(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("db: transactions: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("db: transactions: %w", err)
	}
	rows.Close() // before naming the services, which may read
	if err := s.nameServices(ctx, companyID, out); err != nil {
		return nil, nil, fmt.Errorf("db: transactions: %w", err)
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, &TxCursor{At: last.CreatedAt, ID: last.ID}, nil
}

// nameServices sets each transaction's service code.
func (s *Store) nameServices(ctx context.Context, companyID int64, txs []Transaction) error {
	if len(txs) == 0 {
		return nil
	}
	codes, err := s.serviceCodes(ctx, companyID)
	if err != nil {
		return err
	}
	for i := range txs {
		txs[i].ServiceCode = codes[txs[i].CompanyServiceID]
	}
	return nil
}

// EachTransaction calls fn for every one of a company's filtered
// transactions, newest first, reading them as it goes (for exports).
func (s *Store) EachTransaction(ctx context.Context, companyID int64, f TxFilter, fn func(Transaction) error) error {
	codes, err := s.serviceCodes(ctx, companyID)
	if err != nil {
		return fmt.Errorf("db: export transactions: %w", err)
	}
	q, args := txQuery(companyID, f, nil)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("db: export transactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTransaction(rows)
		if err != nil {
			return fmt.Errorf("db: export transactions: %w", err)
		}
		t.ServiceCode = codes[t.CompanyServiceID]
		if err := fn(t); err != nil {
			return err
		}
	}
	return rows.Err()
}
