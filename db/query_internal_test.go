package db

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestIntIntoScan(t *testing.T) {
	var n int
	if err := (intInto{&n}).Scan(int64(-42)); err != nil || n != -42 {
		t.Errorf("Scan(-42) = %d, %v", n, err)
	}
	for _, src := range []any{nil, "7", 7.0} {
		if err := (intInto{&n}).Scan(src); err == nil {
			t.Errorf("Scan(%#v) took it as %d", src, n)
		}
	}
}

func TestQueryOneNamesWhatItLookedUp(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "elk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scanID := func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}
	_, err = queryOne(ctx, s.r, scanID, "user 42", `SELECT id FROM users WHERE id = ?`, 42)
	if !errors.Is(err, ErrNotFound) || err.Error() != "db: user 42: db: not found" {
		t.Errorf("missing row: %v", err)
	}
	_, err = queryOne(ctx, s.r, scanID, "user 42", `SELECT id FROM no_such_table`)
	if err == nil || errors.Is(err, ErrNotFound) || !strings.HasPrefix(err.Error(), "db: user 42: ") {
		t.Errorf("bad query: %v", err)
	}
	if n, err := queryOne(ctx, s.r, scanID, "one", `SELECT 1`); n != 1 || err != nil {
		t.Errorf("one row: %d, %v", n, err)
	}
}
