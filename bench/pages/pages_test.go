// Package pages profiles ELK's tabs in process, over the database that
// bench/run.sh fills, without wrk and the network in the way:
//
//	bash bench/run.sh    # once, to fill /tmp/elk-bench/bench.db and log in
//	GOGC=200 GOMEMLIMIT=128MiB go test ./bench/pages -bench . -cpu 1 -cpuprofile cpu.out
//	go tool pprof -top -cum pages.test cpu.out
//
// With -cpu 1, a page's ns/op is the CPU it costs, the collector's share
// included; the floor is 2 ms a page. ELK_BENCH_DIR names another work
// folder; PAGES="/news /documents" picks tabs.
package pages

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"elk/db"
	"elk/handlers"
)

func BenchmarkPages(b *testing.B) {
	dir := os.Getenv("ELK_BENCH_DIR")
	if dir == "" {
		dir = "/tmp/elk-bench"
	}
	session := loggedInSession(b, filepath.Join(dir, "cookies"))
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	cfg := handlers.DefaultConfig()
	cfg.AccessLog = true // as served, into nowhere
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := handlers.New(ctx, store, cfg)
	if err != nil {
		b.Fatal(err)
	}
	serve := app.Handler()
	pages := strings.Fields(os.Getenv("PAGES"))
	if len(pages) == 0 {
		pages = []string{"/company", "/news", "/services", "/services/1", "/services/1/sms", "/users", "/documents",
			"/transactions", "/monitoring", "/questions", "/tickets"}
	}
	for _, page := range pages {
		b.Run(page, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				// One context a goroutine, reset between requests, as the
				// server reuses its own: pooled buffers go back to their pools.
				var req fasthttp.RequestCtx
				for pb.Next() {
					req.Request.Reset()
					req.Response.Reset()
					req.Request.SetRequestURI(page)
					req.Request.Header.SetCookie("elk_session", session)
					serve(&req)
					if code := req.Response.StatusCode(); code != http.StatusOK {
						b.Fatalf("%s: %d", page, code)
					}
				}
			})
		})
	}
}

// loggedInSession is the owner's session that bench/run.sh left in its cookie jar.
func loggedInSession(b *testing.B, jar string) string {
	raw, err := os.ReadFile(jar)
	if err != nil {
		b.Skipf("no load-test database to profile (run bash bench/run.sh first): %v", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) == 7 && f[5] == "elk_session" {
			return f[6]
		}
	}
	b.Skip("the load test's cookie jar holds no session")
	return ""
}
