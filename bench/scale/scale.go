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
			// Keys are unique across the ledger: the service's id in them.
			entries[i] = db.Entry{CompanyServiceID: serviceID, Amount: amount, Source: source, Description: "Отправка СМС",
				IdempotencyKey: "bench:" + strconv.FormatInt(serviceID, 10) + ":" + strconv.Itoa(k), At: start.Add(time.Duration(k) * step)}
		}
		if err := store.ImportTransactions(ctx, serviceID, entries); err != nil {
			return fmt.Errorf("scale: transactions: %w", err)
		}
	}
	return nil
}

// SMS adds n SMS to each of the companies, spread evenly over the span up
// to now, straight in SQL on the database file at path (the API would take
// minutes for millions), rebuilds the daily roll-up of the days they fall
// on and folds the load into the main file. The messages go in oldest
// first, the companies' interleaved, as the API stores them: the table's
// pages fill as they do in use.
func SMS(ctx context.Context, path string, companyIDs []int64, n int, now time.Time, span time.Duration) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	ids := make([]string, len(companyIDs))
	for i, id := range companyIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	companies := strings.Join(ids, ", ")
	for _, q := range []string{
		// A message every few seconds: each the first of its second but
		// where the demo sent one then too. CROSS JOIN keeps the time the
		// outer loop.
		fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %[2]d)
			INSERT INTO sms (company_id, sent_at, seq, sender_id, phone, parts, status, status_after, cost)
			SELECT c.id, sent, 1 + coalesce((SELECT max(seq) FROM sms WHERE company_id = c.id AND sent_at = sent), 0),
				'bench-' || i, '+7912' || printf('%%07d', (i * 7919) %% 5000000), 1 + i %% 3,
				CASE WHEN i %% 25 = 0 THEN %[5]d WHEN i %% 50 = 1 THEN %[6]d ELSE %[7]d END, 0, 250 * (1 + i %% 3)
			FROM (SELECT i, unixepoch('%[4]s') - %[3]d + i * %[3]d / %[2]d AS sent FROM seq)
				CROSS JOIN (SELECT id FROM companies WHERE id IN (%[1]s)) c`,
			companies, n, int64(span/time.Second), now.UTC().Format("2006-01-02 15:04:05"),
			statusCode(db.SMSFailed), statusCode(db.SMSExpired), statusCode(db.SMSDelivered)),
		// The days in Moscow, «Такси Пример»'s zone; a day without
		// messages keeps its roll-up. An upsert, not a replace: the
		// managers' roll-up follows by its update trigger.
		fmt.Sprintf(`INSERT INTO sms_day_totals (company_id, day, %[2]s)
			SELECT company_id, date(sent_at, 'unixepoch', '+3 hours') AS day, %[3]s FROM sms WHERE company_id IN (%[1]s) GROUP BY company_id, day
			ON CONFLICT (company_id, day) DO UPDATE SET %[4]s`,
			companies, dayTotalColumns(), dayTotalSums(), dayTotalUpdates()),
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

// dayTotalUpdates set dayTotalColumns to those of the row upserted.
func dayTotalUpdates() string {
	var sets []string
	for _, st := range db.SMSStatuses {
		sets = append(sets, st+" = excluded."+st, st+"_cost = excluded."+st+"_cost")
	}
	return strings.Join(sets, ", ")
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

// SMSService is a company's connected SMS service.
func SMSService(ctx context.Context, store *db.Store, companyID int64) (db.CompanyService, error) {
	services, err := store.CompanyServices(ctx, companyID, false)
	if err != nil {
		return db.CompanyService{}, err
	}
	for _, s := range services {
		if s.ServiceCode == db.ServiceSMS {
			return s, nil
		}
	}
	return db.CompanyService{}, fmt.Errorf("scale: company %d has no SMS service", companyID)
}

// Service is a connected service of a company Companies added.
type Service struct {
	CompanyID, ID int64
	Balance       money.Kopecks
}

// Services are the connected services of the companies Companies added.
func Services(ctx context.Context, path string) ([]Service, error) {
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT cs.company_id, cs.id, cs.balance FROM company_services cs JOIN companies c ON c.id = cs.company_id
		WHERE c.name GLOB '`+benchCompany+`' ORDER BY cs.company_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var services []Service
	for rows.Next() {
		var s Service
		if err := rows.Scan(&s.CompanyID, &s.ID, &s.Balance); err != nil {
			return nil, err
		}
		services = append(services, s)
	}
	return services, rows.Err()
}

// OpeningBalances turns the balances Companies set into an opening
// correction each in the ledger, a year before the store's now, so that
// every balance is the sum of its transactions and elk check passes.
func OpeningBalances(ctx context.Context, store *db.Store, path string) error {
	services, err := Services(ctx, path)
	if err != nil {
		return err
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `UPDATE company_services SET balance = 0
		WHERE company_id IN (SELECT id FROM companies WHERE name GLOB '`+benchCompany+`')`); err != nil {
		return fmt.Errorf("scale: opening balances: %w", err)
	}
	at := store.Now().AddDate(-1, 0, 0)
	for _, sv := range services {
		if sv.Balance == 0 {
			continue
		}
		opening := db.Entry{CompanyServiceID: sv.ID, Amount: sv.Balance, Source: db.SourceCorrection, Description: "Начальный остаток",
			IdempotencyKey: "bench:opening:" + strconv.FormatInt(sv.ID, 10), At: at}
		if err := store.ImportTransactions(ctx, sv.ID, []db.Entry{opening}); err != nil {
			return fmt.Errorf("scale: opening balances: %w", err)
		}
	}
	return nil
}

// statusCode is how the table sms stores a status: its place in SMSStatuses.
func statusCode(status string) int { return slices.Index(db.SMSStatuses, status) }
