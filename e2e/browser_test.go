// Package e2e drives the real portal in headless Chromium.
package e2e

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// browser is the one Chromium every test in this package shares; each test
// opens its own incognito-like browser context in it.
var browser context.Context

func TestMain(m *testing.M) {
	os.Exit(runWithBrowser(m))
}

func runWithBrowser(m *testing.M) int {
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			log.Print("e2e: Chromium is required in CI (apt-get install chromium)")
			return 1
		}
		return testutil.Main(m) // each test says it was skipped, and why
	}
	dir, err := os.MkdirTemp("", "elk-e2e-chromium")
	if err != nil {
		log.Print(err)
		return 1
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Env("TMPDIR="+dir))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		log.Printf("e2e: start Chromium: %v", err)
		return 1
	}
	browser = ctx
	return testutil.Main(m)
}

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserTest starts a test that drives the browser: beside the others, or
// skipped, saying why, on a machine without Chromium (in CI it has failed
// already).
func browserTest(t *testing.T) {
	t.Helper()
	if browser == nil {
		t.Skip("no Chromium found (apt-get install chromium): browser test not run")
	}
	t.Parallel()
}

// tab opens a fresh browser context (own cookies) with a deadline for the test's steps.
func tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func logIn(t *testing.T, ctx context.Context, base, login, password string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("f-login"), login),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
		chromedp.Click(chromedp.CSS("form button[type=submit]")),
	)
}

// screenshot saves the page at a desktop and a phone width when
// ELK_SCREENSHOTS names a folder, for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ELK_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, width := range []int64{1280, 375} {
		do(t, ctx, chromedp.EmulateViewport(width, 900))
		png := run(t, ctx, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
}
