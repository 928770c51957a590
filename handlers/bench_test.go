package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"elk/bench/scale"
	"elk/db"
	"elk/db/bankexchange"
	"elk/db/money"
)

// The Транзакции page and its CSV export over a million transactions of one
// company. Run (about a minute, most of it loading the rows):
//
//	go test ./handlers -run '^$' -bench Transactions -benchtime 20x
const benchRows = 1_000_000

func benchEnv(b *testing.B) (*env, *client, db.CompanyService) {
	b.Helper()
	e := newEnv(b)
	sms := serviceOf(b, e, 1, db.ServiceSMS)
	if err := scale.Transactions(context.Background(), e.Store, sms.ID, benchRows); err != nil {
		b.Fatal(err)
	}
	return e, e.loggedIn("taxi", "taxi123"), sms
}

func BenchmarkTransactionsPage(b *testing.B) {
	e, c, sms := benchEnv(b)
	now := e.Clock.Now()
	deep := db.TxCursor{At: now.AddDate(0, -11, 0), ID: 1 << 62}.String()
	pages := map[string]string{
		"first":          "/transactions",
		"deep":           "/transactions?after=" + deep,
		"service+source": fmt.Sprintf("/transactions?service=%d&source=payment", sms.ID),
		"period":         "/transactions?from=" + now.AddDate(0, -6, 0).Format("2006-01-02") + "&to=" + now.AddDate(0, -5, 0).Format("2006-01-02"),
	}
	for name, path := range pages {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if r := c.get(path); r.Status != http.StatusOK || r.Find("#tx-rows tr").Length() < 2 {
					b.Fatalf("%s: %d", path, r.Status)
				}
			}
		})
	}
}

func BenchmarkTransactionsCSV(b *testing.B) {
	e, c, _ := benchEnv(b)
	c.http.Timeout = 5 * time.Minute
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/transactions.csv", nil)
		res, err := c.http.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || n < benchRows*40 {
			b.Fatalf("export: %d bytes, %v", n, err)
		}
		b.SetBytes(n)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchRows, "ns/row")
}

// SMS ingestion through the real HTTP API in batches of 1, 10, 100 and 1,000
// (each batch a ledger transaction):
//
//	go test ./handlers -run '^$' -bench SMSIngestion -benchtime 2s
func BenchmarkSMSIngestion(b *testing.B) {
	e := newEnv(b)
	e.Config.APIRequestsPerMinute = 1 << 30
	e.Restart()
	sent := e.Clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, size := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			batch := 0
			for b.Loop() {
				var body strings.Builder
				body.WriteString(`{"messages":[`)
				for i := range size {
					if i > 0 {
						body.WriteByte(',')
					}
					fmt.Fprintf(&body, `{"id":"b%d-%d-%d","phone":"+7900%07d","parts":%d,"sent_at":%q,"status":"sent"}`, size, batch, i, i, 1+i%3, sent)
				}
				body.WriteString(`]}`)
				batch++
				status, out := e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", body.String())
				if status != 200 || out["accepted"] != float64(size) {
					b.Fatalf("batch %d: %d %v", batch, status, out)
				}
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "sms/s")
		})
	}
}

// The SMS statistics page and the SMS list at 100 thousand and at 5 million
// messages of one company; the larger should cost about the same:
//
//	go test ./handlers -run '^$' -bench SMSStats -benchtime 20x -timeout 30m
func BenchmarkSMSStats(b *testing.B) {
	for _, n := range []int{100_000, 5_000_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			e := newEnv(b)
			sms := serviceOf(b, e, 1, db.ServiceSMS)
			fillSMS(b, e, n)
			c := e.loggedIn("taxi", "taxi123")
			base := "/services/" + strconv.FormatInt(sms.ID, 10) + "/sms"
			pages := map[string]string{
				"stats+list":  base,
				"failed":      base + "?status=failed",
				"phone":       base + "?phone=8912",
				"year+failed": base + "?status=failed&from=" + e.Clock.Now().AddDate(-1, 0, 0).Format("2006-01-02"),
			}
			for name, path := range pages {
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						if r := c.get(path); r.Status != http.StatusOK {
							b.Fatalf("%s: %d", path, r.Status)
						}
					}
				})
			}
		})
	}
}

// fillSMS adds n SMS to «Такси Пример» spread over the last year.
func fillSMS(b *testing.B, e *env, n int) {
	b.Helper()
	if err := scale.SMS(context.Background(), e.Path, []int64{1}, n, e.Clock.Now(), 365*24*time.Hour); err != nil {
		b.Fatal(err)
	}
}

// Downloading a kept invoice and act PDF as the client, through HTTP; the
// floor is 2 ms a download:
//
//	go test ./handlers -run '^$' -bench KeptPDF
func BenchmarkKeptPDF(b *testing.B) {
	e := newEnv(b)
	c := e.loggedIn("taxi", "taxi123")
	invoice, act := firstDocuments(e, 1)
	for name, path := range map[string]string{"invoice": "/documents/invoices/" + invoice + "/pdf", "act": "/documents/acts/" + act + "/pdf"} {
		b.Run(name, func(b *testing.B) {
			kept := c.get(path).Body // drawn and kept
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodGet, e.URL+path, nil)
				res, err := c.http.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK || n != int64(len(kept)) {
					b.Fatalf("%s: %d, %d bytes of %d, %v", path, res.StatusCode, n, len(kept), err)
				}
				b.SetBytes(n)
			}
		})
	}
}

// A statement of 10,000 payment orders loaded and previewed as staff do:
// a third naming invoices, a third from a client's ИНН, a third from
// payers unknown. Run:
//
//	go test ./handlers -run '^$' -bench StatementPreview -benchtime 5x
func BenchmarkStatementPreview(b *testing.B) {
	e := newEnv(b)
	acc := e.loggedIn("admin", "admin123")
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	docs := make([]bankexchange.Document, 10_000)
	for i := range docs {
		inn, purpose := "7704123450", "Оплата за услуги СМС"
		switch i % 3 {
		case 0:
			purpose = fmt.Sprintf("Оплата по счёту № %d от %s", i, today.Format("02.01.2006"))
		case 2:
			inn = fmt.Sprintf("77%08d", i)
		}
		docs[i] = income(strconv.Itoa(10_000+i), inn, "ООО «Плательщик»", money.Kopecks(1000+i), purpose, today)
	}
	file := statementFor(b, e, "Windows", docs...)
	for b.Loop() {
		r := acc.postMultipart("/admin/payments/import", "file", nil, upload{"big.txt", file})
		if r.Status != http.StatusSeeOther {
			b.Fatalf("upload: %d %s", r.Status, r.Text(".alert"))
		}
		if p := acc.get(r.Location()); p.Status != http.StatusOK || p.Find("#preview tbody tr").Length() != len(docs) {
			b.Fatalf("preview: %d", p.Status)
		}
	}
}

// A ticket with ten hostile messages, each at the length a message may
// have, opened by the client and by staff; the target is 200 ms a page:
//
//	go test ./handlers -run '^$' -bench HostileTicket -benchmem
func BenchmarkHostileTicket(b *testing.B) {
	for name, bodies := range map[string][]string{"quotes": slices.Repeat([]string{strings.Repeat(">", 19_999)}, 10), "mixed": hostileMessages()} {
		b.Run(name, func(b *testing.B) {
			e := newEnv(b)
			taxi := e.loggedIn("taxi", "taxi123")
			r := taxi.postFiles("/tickets", url.Values{"subject": {"Разметка"}, "priority": {"normal"}, "body": {"Открываю"}})
			if r.Status != http.StatusSeeOther {
				b.Fatalf("open: %d %s", r.Status, r.Text(".error"))
			}
			path := r.Location()
			for i, body := range bodies {
				if r := taxi.postFiles(path+"/replies", url.Values{"body": {body}}); r.Status != http.StatusSeeOther {
					b.Fatalf("message %d of %d characters: %d %s", i, utf8.RuneCountInString(body), r.Status, r.Text(".error"))
				}
			}
			staff := e.loggedIn("support", "support123")
			id := strings.TrimPrefix(path, "/tickets/")
			for who, page := range map[string]struct {
				c    *client
				path string
			}{"client": {taxi, path}, "staff": {staff, "/admin/tickets/" + id}} {
				b.Run(who, func(b *testing.B) {
					var n int64
					for b.Loop() {
						req, _ := http.NewRequest(http.MethodGet, e.URL+page.path, nil)
						res, err := page.c.http.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						n, err = io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if err != nil || res.StatusCode != http.StatusOK {
							b.Fatalf("%s: %d, %v", page.path, res.StatusCode, err)
						}
					}
					b.ReportMetric(float64(n), "page-bytes")
				})
			}
		})
	}
}

// hostileMessages are fifteen ways Markdown amplifies a message of at most
// 20,000 characters, nine shown as plain text past the bounds, six
// rendered at them.
func hostileMessages() []string {
	fill := func(unit string) string { return strings.Repeat(unit, 19_999/len(unit)) }
	var deep, bounded strings.Builder
	for d := 0; deep.Len() < 19_900; d = (d + 1) % 40 {
		deep.WriteString(strings.Repeat("  ", d) + "- a\n")
	}
	for d := 0; bounded.Len() < 19_900; d = (d + 1) % 16 {
		bounded.WriteString(strings.Repeat("  ", d) + "- a\n")
	}
	table := strings.Repeat("|a", 50) + "|\n" + strings.Repeat("|-", 50) + "|\n" + strings.Repeat(strings.Repeat("|x", 50)+"|\n", 190)
	return []string{
		// Past the bounds, shown as plain text: quotes 20,000 deep, lists
		// 40 deep, 540 links in one paragraph, links and emphasis left open,
		// lists and quotes thousands deep on one line.
		strings.Repeat(">", 19_999), deep.String(), fill("[ссылка](https://example.ru/a) "), fill("[]("), fill("*a_ "),
		fill("+ "), fill("1. "), fill("> - "), fill("- 1. > + "),
		// At the bounds, rendered: lists 16 deep, 526 links a paragraph
		// each, a table of 50 columns and 190 rows, emphasis 16 quotes
		// deep, as many links left open as render, lists 16 deep on each
		// line.
		bounded.String(), fill("[ссылка](https://example.ru/a)\n\n"), table,
		strings.Repeat(">", 16) + " " + strings.Repeat("**a** ", 990), strings.Repeat("[a](b"+strings.Repeat("x", 10), 730),
		fill(strings.Repeat("- ", 16) + "a\n"),
	}
}
