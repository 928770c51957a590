package pages

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"

	"github.com/valyala/fasthttp"

	"elk/db"
	"elk/handlers"
)

// BenchmarkAdminHome measures the back office's home, GET /admin, for the
// demo's admin (all companies) and its manager (their own), over a copy
// of the load test's database. The copy, never the load test's own file,
// since opening it migrates it:
//
//	cp /tmp/elk-bench/bench.db /tmp/elk-dash/bench.db
//	go test ./bench/pages -run '^$' -bench AdminHome -benchtime 200x
//
// ELK_DASH_DB names another copy.
func BenchmarkAdminHome(b *testing.B) {
	path := os.Getenv("ELK_DASH_DB")
	if path == "" {
		path = "/tmp/elk-dash/bench.db"
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("no copy of the load test's database: %v", err)
	}
	ctx := context.Background()
	store, err := db.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	cfg := handlers.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := handlers.New(ctx, store, cfg)
	if err != nil {
		b.Fatal(err)
	}
	serve := app.Handler()
	for _, login := range []string{"admin", "manager"} {
		u, err := store.UserByLogin(ctx, login)
		if err != nil {
			b.Fatal(err)
		}
		session, err := store.Login(ctx, u, "127.0.0.1", "bench")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(login, func(b *testing.B) {
			var req fasthttp.RequestCtx
			for b.Loop() {
				req.Request.Reset()
				req.Response.Reset()
				req.Request.SetRequestURI("/admin")
				req.Request.Header.SetCookie("elk_session", session.Token)
				serve(&req)
				if code := req.Response.StatusCode(); code != http.StatusOK {
					b.Fatalf("/admin as %s: %d", login, code)
				}
			}
		})
	}
}
