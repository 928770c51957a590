// Package scale fills a database with a year of history at the sizes the
// benchmarks and the load test measure.
package scale

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"elk/db"
	"elk/db/money"
)

// Transactions adds n SMS charges and payments to a connected service,
// spread evenly over the year up to the store's now, through its bulk import.
func Transactions(ctx context.Context, store *db.Store, serviceID int64, n int) error {
	start := store.Now().AddDate(-1, 0, 0)
	step := time.Duration(int64(365*24*time.Hour) / int64(n))
	const chunk = 50_000
	for done := 0; done < n; done += chunk {
		entries := make([]db.Entry, min(chunk, n-done))
		for i := range entries {
			k := done + i
			source, amount := db.SourceSMS, money.Kopecks(-250*(1+k%5))
			if k%1000 == 0 {
				source, amount = db.SourcePayment, 10_000_000
			}
			entries[i] = db.Entry{CompanyServiceID: serviceID, Amount: amount, Source: source, Description: "Отправка СМС",
				IdempotencyKey: "bench:" + strconv.Itoa(k), At: start.Add(time.Duration(k) * step)}
		}
		if err := store.ImportTransactions(ctx, serviceID, entries); err != nil {
			return fmt.Errorf("scale: transactions: %w", err)
		}
	}
	return nil
}

// SMS adds n SMS of a company spread over the year up to now straight in SQL
// on the database file at path (the API would take minutes for millions),
// rebuilds their daily roll-up and folds the load into the main file.
func SMS(ctx context.Context, path string, companyID int64, n int, now time.Time) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{
		// A message every few seconds: each the first of its second but
		// where the demo sent one then too.
		fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %[2]d)
			INSERT INTO sms (company_id, sent_at, seq, sender_id, phone, parts, status, status_after, cost)
			SELECT %[1]d, sent, 1 + coalesce((SELECT max(seq) FROM sms WHERE company_id = %[1]d AND sent_at = sent), 0),
				'bench-' || i, '+7912' || printf('%%07d', (i * 7919) %% 5000000), 1 + i %% 3,
				CASE WHEN i %% 25 = 0 THEN %[5]d WHEN i %% 50 = 1 THEN %[6]d ELSE %[7]d END, 0, 250 * (1 + i %% 3)
			FROM (SELECT i, unixepoch('%[4]s') - i * 31536 / %[3]d AS sent FROM seq)`,
			companyID, n, max(n/1000, 1), now.UTC().Format("2006-01-02 15:04:05"),
			statusCode(db.SMSFailed), statusCode(db.SMSExpired), statusCode(db.SMSDelivered)),
		fmt.Sprintf(`DELETE FROM sms_day_totals WHERE company_id = %d`, companyID),
		// The days in Moscow, «Такси Пример»'s zone.
		fmt.Sprintf(`INSERT INTO sms_day_totals (company_id, day, %[2]s)
			SELECT company_id, date(sent_at, 'unixepoch', '+3 hours') AS day, %[3]s FROM sms WHERE company_id = %[1]d GROUP BY day`,
			companyID, dayTotalColumns(), dayTotalSums()),
		// As the server's own checkpoints would, long before millions of rows.
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("scale: sms: %w", err)
		}
	}
	return nil
}

// Monitors adds n TCP monitors of a company, checked every minute, to target.
func Monitors(ctx context.Context, store *db.Store, companyID int64, n int, target string) error {
	for i := range n {
		m := db.Monitor{CompanyID: companyID, Kind: db.MonitorTMServer, Name: fmt.Sprintf("Сервер %04d", i+1), CheckType: db.CheckTCP,
			Target: target, Interval: time.Minute, Timeout: 5 * time.Second, Active: true}
		if _, err := store.SaveMonitor(ctx, db.Actor{Login: "bench"}, m); err != nil {
			return fmt.Errorf("scale: monitor %d: %w", i, err)
		}
	}
	return nil
}

// dayTotalColumns are the SMS roll-up's columns: a count and a cost a status.
func dayTotalColumns() string {
	var cols []string
	for _, st := range db.SMSStatuses {
		cols = append(cols, st, st+"_cost")
	}
	return strings.Join(cols, ", ")
}

// dayTotalSums fill dayTotalColumns from the messages of a day.
func dayTotalSums() string {
	var sums []string
	for i := range db.SMSStatuses {
		sums = append(sums, fmt.Sprintf("count(*) FILTER (WHERE status = %d)", i), fmt.Sprintf("coalesce(sum(cost) FILTER (WHERE status = %d), 0)", i))
	}
	return strings.Join(sums, ", ")
}

// benchCompany matches the names of the companies Companies adds.
const benchCompany = "Такси [0-9][0-9][0-9][0-9]"

// Companies adds n companies straight in SQL on the database file at path,
// every other one assigned to managerID, each with the SMS service of
// tariff tariffID and, over the days up to now, a day's SMS and spending
// in the roll-ups and a payment a month on invoice invoiceID: the back
// office's home at a vendor's largest.
func Companies(ctx context.Context, path string, n, days int, managerID, tariffID, invoiceID int64, now time.Time) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer conn.Close()
	at, today := now.UTC().Format("2006-01-02T15:04:05.000Z"), now.UTC().Format("2006-01-02")
	for _, q := range []string{
		fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %[1]d)
			INSERT INTO companies (name, legal_name, inn, country, timezone, manager_id, created_at)
			SELECT 'Такси ' || printf('%%04d', i), 'ООО «Такси ' || printf('%%04d', i) || '»', printf('77%%08d', i), 'RU', 'Europe/Moscow',
				CASE WHEN i %% 2 = 0 THEN %[2]d END, '%[3]s' FROM seq`, n, managerID, at),
		fmt.Sprintf(`INSERT INTO company_services (company_id, service_id, tariff_id, balance, period_from, created_at)
			SELECT c.id, t.service_id, t.id, (c.id * 7919) %% 200000 - 20000, date('%[2]s', '-%[3]d days'), '%[4]s'
			FROM companies c JOIN tariffs t ON t.id = %[1]d WHERE c.name GLOB '`+benchCompany+`'`,
			tariffID, today, days, at),
		fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < %[1]d - 1)
			INSERT INTO sms_day_totals (company_id, day, delivered, delivered_cost, failed, failed_cost)
			SELECT cs.company_id, date('%[2]s', '-' || i || ' days'), 100 + (cs.id * i) %% 400, 25000, 3, 750
			FROM company_services cs JOIN companies c ON c.id = cs.company_id, seq WHERE c.name GLOB '`+benchCompany+`'`, days, today),
		fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %[1]d)
			INSERT INTO spending_days (company_service_id, day, spent)
			SELECT cs.id, date('%[2]s', '-' || i || ' days'), 1000 + (cs.id * 131) %% 5000
			FROM company_services cs JOIN companies c ON c.id = cs.company_id, seq WHERE c.name GLOB '`+benchCompany+`'`, days, today),
		fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < %[1]d - 1)
			INSERT INTO payments (invoice_id, reference, amount, paid_on, transaction_id, created_at)
			SELECT %[2]d, 'bench-' || c.id || '-' || i, 500000, date('%[3]s', '-' || (i * 30) || ' days'),
				(SELECT max(id) FROM transactions), '%[4]s'
			FROM companies c, seq WHERE c.name GLOB '`+benchCompany+`'`, min(days/30, 12), invoiceID, today, at),
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("scale: companies: %w", err)
		}
	}
	return nil
}

// statusCode is how the table sms stores a status: its place in SMSStatuses.
func statusCode(status string) int { return slices.Index(db.SMSStatuses, status) }
