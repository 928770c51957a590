package testutil

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/handlers"
)

// Portal is ELK serving a copy of the brief demo on a loopback port, as a
// test's HTTP client or browser meets it.
type Portal struct {
	URL   string
	Store *db.Store
	Path  string // the database file
	Clock *Clock
	// Config is what the portal serves with: change it, then Restart.
	Config handlers.Config
	App    *fiber.App // the web app, for its routes
	t      testing.TB
	stop   func()
}

// StartPortal serves a fresh copy of the brief demo with the default
// configuration, on a new test clock, until the test ends.
func StartPortal(t testing.TB) *Portal {
	t.Helper()
	p := &Portal{Path: DemoCopy(t), Clock: NewClock(t), Config: handlers.DefaultConfig(), t: t}
	p.start()
	return p
}

// start opens the database file and serves the portal on a loopback port.
func (p *Portal) start() {
	t := p.t
	t.Helper()
	store, err := db.Open(context.Background(), p.Path)
	if err != nil {
		t.Fatal(err)
	}
	store.SetClock(p.Clock.Now)
	app, err := handlers.New(context.Background(), store, p.Config)
	if err != nil {
		store.Close()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		t.Fatal(err)
	}
	go app.Listener(ln)
	stopped := false
	p.stop = func() {
		if !stopped {
			stopped = true
			app.ShutdownWithTimeout(5 * time.Second)
			store.Close()
		}
	}
	t.Cleanup(p.stop)
	p.URL, p.Store, p.App = "http://"+ln.Addr().String(), store, app
}

// Restart stops the portal and serves the same file again with Config.
func (p *Portal) Restart() {
	p.t.Helper()
	p.stop()
	p.start()
}
