// Command size tells what a database spends on each stored SMS, each
// ledger transaction and each day of the daily roll-ups: the bytes of their tables' pages and their indexes'
// (SQLite's dbstat), divided by the rows. It opens the file read-only.
//
//	go run ./bench/size -db /tmp/elk-sms/bench.db
//	go run ./bench/size -demo   # the brief demo the tests use, seeded afresh
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"text/tabwriter"

	"elk/db"
	"elk/db/demo"
)

func main() {
	path := flag.String("db", "elk.db", "the database file to measure")
	brief := flag.Bool("demo", false, "measure the brief demo, seeded into a temporary file")
	flag.Parse()
	ctx := context.Background()
	if *brief {
		dir, err := os.MkdirTemp("", "elk-size")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*path = filepath.Join(dir, "demo.db")
		if err := seed(ctx, *path); err != nil {
			log.Fatal(err)
		}
	}
	if err := measure(ctx, *path); err != nil {
		log.Fatal(err)
	}
}

// seed fills a new database with the brief demo and closes it, folding the
// WAL into the file.
func seed(ctx context.Context, path string) error {
	store, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	_, err = demo.Seed(ctx, store, demo.Options{Brief: true})
	return errors.Join(err, store.Close())
}

// tables are those measured, each with its indexes: the roll-ups' rows are
// a company's (sms_day_totals) or a service's (spending_days) day.
var tables = []string{"sms", "transactions", "sms_day_totals", "spending_days"}

func measure(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	w := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	defer w.Flush()
	var fileBytes int64
	if err := conn.QueryRowContext(ctx, `SELECT page_count * page_size FROM pragma_page_count, pragma_page_size`).Scan(&fileBytes); err != nil {
		return err
	}
	fmt.Fprintf(w, "file\t%d bytes\t\n", fileBytes)
	for _, table := range tables {
		var rows int64
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&rows); err != nil {
			return err
		}
		parts, err := conn.QueryContext(ctx, `SELECT s.name, sum(s.pgsize) FROM dbstat s JOIN sqlite_schema m ON m.name = s.name
			WHERE m.tbl_name = ? GROUP BY s.name ORDER BY m.type DESC, s.name`, table)
		if err != nil {
			return err
		}
		var total int64
		for parts.Next() {
			var name string
			var bytes int64
			if err := parts.Scan(&name, &bytes); err != nil {
				parts.Close()
				return err
			}
			total += bytes
			fmt.Fprintf(w, "  %s\t%d bytes\t%.1f a row\t\n", name, bytes, float64(bytes)/float64(max(rows, 1)))
		}
		if err := parts.Close(); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d rows\t%d bytes\t%.1f a row\t\n", table, rows, total, float64(total)/float64(max(rows, 1)))
	}
	return nil
}
