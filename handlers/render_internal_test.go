package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofiber/fiber/v2"
	htmlengine "github.com/gofiber/template/html/v2"

	"elk/views"
)

// A page whose template fails is an error, never a 200 page with the error
// printed inside its layout.
func TestRenderInFailsWholeOnAPageError(t *testing.T) {
	t.Parallel()
	files := fstest.MapFS{
		"layouts/main.html": {Data: []byte(`{{ define "layouts/main.top" }}<main>{{ end }}{{ define "layouts/main.bottom" }}</main>{{ end }}`)},
		"good.html":         {Data: []byte(`<p>{{ .Title }}</p>`)},
		"broken.html":       {Data: []byte(`<p>{{ .Missing.Field }}</p>`)},
	}
	type data struct{ *Page }
	engine := htmlengine.NewFileSystem(http.FS(files), ".html")
	if err := engine.Load(); err != nil {
		t.Fatal(err)
	}
	catalogs, err := views.LoadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{templates: engine}
	app := fiber.New(fiber.Config{
		ErrorHandler: func(c *fiber.Ctx, err error) error { return c.Status(500).SendString("failed: " + err.Error()) }})
	app.Get("/:name", func(c *fiber.Ctx) error {
		p := &Page{Title: "<Заголовок>", Lang: "ru", cat: catalogs.Get("ru")}
		return s.renderIn(c, "layouts/main", c.Params("name"), p, data{p})
	})
	for name, want := range map[string]string{"good": "<main><p>&lt;Заголовок&gt;</p></main>", "broken": "failed: render broken"} {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, "/"+name, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		if !strings.HasPrefix(string(body), want) || (name == "broken") != (res.StatusCode == 500) {
			t.Errorf("%s: %d %q", name, res.StatusCode, body)
		}
	}
}

// Dates written by hand read as time.Format writes them, in the page's zone.
func TestDatesAsFormatWritesThem(t *testing.T) {
	t.Parallel()
	vladivostok, err := time.LoadLocation("Asia/Vladivostok")
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{loc: vladivostok}
	for _, at := range []time.Time{
		time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC), // the next day in Vladivostok
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(999, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		{},
	} {
		if got, want := p.DateTime(at), at.In(vladivostok).Format("02.01.2006 15:04"); got != want {
			t.Errorf("DateTime(%v) = %q, want %q", at, got, want)
		}
		if got, want := p.Day(at), at.Format("02.01.2006"); got != want {
			t.Errorf("Day(%v) = %q, want %q", at, got, want)
		}
	}
}
