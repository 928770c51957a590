package handlers

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
)

// A page whose template fails is an error, never a 200 page with the error
// printed inside its layout.
func TestRenderInFailsWholeOnAPageError(t *testing.T) {
	files := fstest.MapFS{
		"layouts/main.html": {Data: []byte(`<main>{{ .Content }}</main>`)},
		"good.html":         {Data: []byte(`<p>{{ .Title }}</p>`)},
		"broken.html":       {Data: []byte(`<p>{{ .Missing.Field }}</p>`)},
	}
	type data struct{ *Page }
	engine := html.NewFileSystem(http.FS(files), ".html")
	if err := engine.Load(); err != nil {
		t.Fatal(err)
	}
	s := &Server{pages: map[string]*html.Engine{"ru": engine}}
	app := fiber.New(fiber.Config{
		ErrorHandler: func(c *fiber.Ctx, err error) error { return c.Status(500).SendString("failed: " + err.Error()) }})
	app.Get("/:name", func(c *fiber.Ctx) error {
		p := &Page{Title: "<Заголовок>", Lang: "ru"}
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
