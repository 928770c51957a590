package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"elk/db"
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
	start := time.Now().AddDate(-1, 0, 0)
	step := time.Duration(int64(365*24*time.Hour) / benchRows)
	const chunk = 50_000
	for done := 0; done < benchRows; done += chunk {
		entries := make([]db.Entry, chunk)
		for i := range entries {
			n := done + i
			source, amount := db.SourceSMS, db.Kopecks(-250*(1+n%5))
			if n%1000 == 0 {
				source, amount = db.SourcePayment, 10_000_000
			}
			entries[i] = db.Entry{CompanyServiceID: sms.ID, Amount: amount, Source: source, Description: "Отправка СМС",
				IdempotencyKey: "bench:" + strconv.Itoa(n), At: start.Add(time.Duration(n) * step)}
		}
		if err := e.Store.ImportTransactions(context.Background(), sms.ID, entries); err != nil {
			b.Fatal(err)
		}
	}
	return e, e.loggedIn("taxi", "taxi123"), sms
}

func BenchmarkTransactionsPage(b *testing.B) {
	_, c, sms := benchEnv(b)
	deep := db.TxCursor{At: time.Now().AddDate(0, -11, 0), ID: 1 << 62}.String()
	pages := map[string]string{
		"first":          "/transactions",
		"deep":           "/transactions?after=" + deep,
		"service+source": fmt.Sprintf("/transactions?service=%d&source=payment", sms.ID),
		"period":         "/transactions?from=" + time.Now().AddDate(0, -6, 0).Format("2006-01-02") + "&to=" + time.Now().AddDate(0, -5, 0).Format("2006-01-02"),
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

// SMS ingestion through the real HTTP API in batches of a thousand:
//
//	go test ./handlers -run '^$' -bench SMSIngestion -benchtime 50x
func BenchmarkSMSIngestion(b *testing.B) {
	e := newEnv(b)
	e.config.APIRequestsPerMinute = 1 << 30
	e.restart()
	batch := 0
	sent := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for b.Loop() {
		var body strings.Builder
		body.WriteString(`{"messages":[`)
		for i := range 1000 {
			if i > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"id":"b%d-%d","phone":"+7900%07d","parts":%d,"sent_at":%q,"status":"sent"}`, batch, i, i, 1+i%3, sent)
		}
		body.WriteString(`]}`)
		batch++
		status, out := e.apiCall("POST", "/api/v1/sms", "demo-taxi-token", body.String())
		if status != 200 || out["accepted"] != 1000.0 {
			b.Fatalf("batch %d: %d %v", batch, status, out)
		}
	}
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "sms/s")
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
				"year+failed": base + "?status=failed&from=" + time.Now().AddDate(-1, 0, 0).Format("2006-01-02"),
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

// fillSMS adds n SMS to «Такси Пример» spread over the last year, straight in
// SQL (the API would take minutes for millions), and rebuilds their roll-up.
func fillSMS(b *testing.B, e *env, n int) {
	b.Helper()
	e.sqlExec(fmt.Sprintf(`
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d)
		INSERT INTO sms (company_id, sender_id, phone, parts, status, sent_at, status_at, day, cost, transaction_id)
		SELECT 1, 'bench-' || i, '+7912' || printf('%%07d', (i * 7919) %% 5000000), 1 + i %% 3,
			CASE WHEN i %% 25 = 0 THEN 'failed' WHEN i %% 50 = 1 THEN 'expired' ELSE 'delivered' END,
			strftime('%%Y-%%m-%%dT%%H:%%M:%%S.000Z', 'now', '-' || (i * 31536 / %d) || ' seconds'),
			strftime('%%Y-%%m-%%dT%%H:%%M:%%S.000Z', 'now', '-' || (i * 31536 / %d) || ' seconds'),
			date('now', '+3 hours', '-' || (i * 31536 / %d) || ' seconds'), 250 * (1 + i %% 3), NULL
		FROM seq`, n, n/1000, n/1000, n/1000))
	e.sqlExec(`DELETE FROM sms_days WHERE company_id = 1`)
	e.sqlExec(`INSERT INTO sms_days (company_id, day, status, count, parts, cost)
		SELECT company_id, day, status, count(*), sum(parts), sum(cost) FROM sms WHERE company_id = 1 GROUP BY day, status`)
	// Fold the bulk load into the main file, as the server's own
	// checkpoints would long before a file reaches millions of rows.
	e.sqlExec(`PRAGMA wal_checkpoint(TRUNCATE)`)
}
