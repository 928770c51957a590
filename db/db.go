// Package db is ELK's storage: one SQLite file, hand-written SQL, one file per aggregate.
//
// Tenancy: a method that takes a companyID reads or changes only that
// company's rows, and another company's row is ErrNotFound, as a missing
// one is. The back office's twin takes no company and is named for the key
// it goes by: Invoice and InvoiceByID, CancelInvoice and CancelInvoiceByID,
// Heartbeat (a company's monitor by name) and HeartbeatBySecret. A companyID
// of 0 never means "any company".
package db

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Page cache sizes: the writer's is shared by nobody, the readers' by up to
// four connections. Beyond them the operating system's file cache serves
// the pages, outside the process's memory: ELK stays small however large
// the file grows.
const (
	writerCacheKiB = 32 << 10
	readerCacheKiB = 8 << 10
)

// ErrNotFound is returned when a looked-up row does not exist (or belongs to another company).
var ErrNotFound = errors.New("db: not found")

// Store is the database: a single writer connection, so that writes never
// fight over SQLite's lock, and a pool of readers that WAL lets run beside it.
type Store struct {
	w      *sql.DB
	r      *readers
	now    func() time.Time
	sealer cipher.AEAD // seals second-factor secrets under the secret key
}

// Open opens (creating if needed) the SQLite file at path, applies every
// migration and seals second-factor secrets with the key kept in its key
// file (KeyFile), which the first start creates (DatabaseKey).
func Open(ctx context.Context, path string) (*Store, error) {
	key, err := DatabaseKey(ctx, path)
	if err != nil {
		return nil, err
	}
	return OpenWithKey(ctx, path, key)
}

// OpenWithKey is Open with the secret key given (ELK_SECRET_KEY) instead of
// a key file. A key other than the one the database first started with is
// ErrWrongSecretKey.
func OpenWithKey(ctx context.Context, path string, key []byte) (*Store, error) {
	return open(ctx, path, key, nil)
}

// open opens the database with the key; before the key is checked, prepare
// (when given) may change the database.
func open(ctx context.Context, path string, key []byte, prepare func(*Store) error) (*Store, error) {
	sealer, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, writerCacheKiB))
	if err != nil {
		return nil, fmt.Errorf("db: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", dsn(path, readerCacheKiB))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open: %w", err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	s := &Store{w: w, r: &readers{DB: r}, now: time.Now, sealer: sealer}
	if err := s.migrate(ctx, path); err != nil {
		s.Close()
		return nil, err
	}
	if prepare != nil {
		if err := prepare(s); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.adoptKey(ctx, keyCheck(key)); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dsn sets the per-connection pragmas: incremental auto_vacuum, which
// takes on a new file before its first table (an older one keeps its mode
// until Vacuum), WAL for readers beside the writer, FULL
// sync because money and document numbers must survive a power loss, foreign
// keys on, and BEGIN IMMEDIATE so a write transaction takes the lock up front.
// Each connection keeps a page cache; the single writer a larger one, so
// that a big batch's index pages stay in memory until its commit. No memory
// map: its pages would count in the process's memory four times over.
func dsn(path string, cacheKiB int) string {
	q := url.Values{}
	for _, p := range []string{"auto_vacuum(INCREMENTAL)", "busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)",
		fmt.Sprintf("cache_size(-%d)", cacheKiB)} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// migrate brings the schema up to date. A database made by an older
// version is first copied beside itself (elk.db.before-v8-20261127-101500.bak),
// so an upgrade that goes wrong can be undone by putting the copy back.
func (s *Store) migrate(ctx context.Context, path string) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.w, sub)
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("db: migrations: %w", err)
	}
	if current > 0 && current < target {
		copyPath := fmt.Sprintf("%s.before-v%d-%s.bak", path, current, s.Now().Format("20060102-150405"))
		if err := s.Backup(ctx, copyPath); err != nil {
			return fmt.Errorf("db: backup before upgrading from version %d: %w", current, err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("db: migrate: %w", err)
	}
	return nil
}

// Close closes both connection pools, checkpointing the WAL into the main file.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// Ping checks that the database answers on both pools.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("db: ping reader: %w", err)
	}
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("db: ping writer: %w", err)
	}
	return nil
}

// SetClock replaces the store's clock; tests use it to move time forward.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Now is the store's current time in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// WithTx runs fn in one write transaction on the writer connection: committed
// if fn returns nil, rolled back otherwise, so nothing half-written remains.
func (s *Store) WithTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// timeLayout stores instants as sortable UTC text with millisecond precision.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads a stored instant. The fixed layout is read by hand: a
// statistics page or an export parses a million of them.
func parseTime(s string) time.Time {
	if len(s) == len(timeLayout) && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[23] == 'Z' {
		n := func(i, j int) int {
			v := 0
			for _, c := range s[i:j] {
				v = v*10 + int(c-'0')
			}
			return v
		}
		return time.Date(n(0, 4), time.Month(n(5, 7)), n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 23)*int(time.Millisecond), time.UTC)
	}
	// Rows written by SQLite's own strftime defaults have no milliseconds.
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func parseNullTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}
