package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"elk/db"
	"elk/db/demo"
)

// BenchmarkSeedDemo times the full demo fill (a year of history) on a fresh
// file, as the first `elk -demo` does before it serves.
func BenchmarkSeedDemo(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		s, err := db.Open(ctx, filepath.Join(b.TempDir(), "elk.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := demo.Seed(ctx, s, demo.Options{Addr: "127.0.0.1:8080"}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
