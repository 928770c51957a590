// Command bare is the load test's yardstick: one Fiber page rendering one
// template over one SQLite query on the same database file, and nothing
// else (no session, no middleware, no layout).
package main

import (
	"database/sql"
	"embed"
	"flag"
	"log"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	_ "modernc.org/sqlite"
)

//go:embed page.html
var pages embed.FS

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	path := flag.String("db", "elk.db", "the database file to read")
	flag.Parse()
	conn, err := sql.Open("sqlite", "file:"+*path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		log.Fatal(err)
	}
	app := fiber.New(fiber.Config{Views: html.NewFileSystem(http.FS(pages), ".html"), DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error {
		var name, inn string
		if err := conn.QueryRowContext(c.UserContext(), `SELECT name, inn FROM companies WHERE id = 1`).Scan(&name, &inn); err != nil {
			return err
		}
		return c.Render("page", fiber.Map{"Name": name, "INN": inn})
	})
	log.Fatal(app.Listen(*addr))
}
