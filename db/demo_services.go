package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// demoTariffs is the demo's catalog, by a name used below.
var demoTariffs = []struct {
	key string
	Tariff
}{
	{"sms", Tariff{ServiceID: 1, Name: "СМС — базовый", Price: 250, Unit: UnitSMSPart}},
	{"sms-bulk", Tariff{ServiceID: 1, Name: "СМС — оптовый", Price: 210, Unit: UnitSMSPart}},
	{"support", Tariff{ServiceID: 2, Name: "Абонентское обслуживание", Price: 500000, Unit: UnitMonth}},
	{"support-once", Tariff{ServiceID: 2, Name: "Разовое обращение в техподдержку", Price: 150000, Unit: UnitRequest}},
	{"tmdrive-50", Tariff{ServiceID: 3, Name: "TMDrive — до 50 водителей", Price: 99000, Unit: UnitMonth}},
	{"tmdrive-200", Tariff{ServiceID: 3, Name: "TMDrive — до 200 водителей", Price: 290000, Unit: UnitMonth}},
}

// demoConnections says which company uses which tariffs and how much history it has (in days).
var demoConnections = map[string]struct {
	tariffs []string
	days    int
}{
	"Такси Пример": {[]string{"sms", "support", "tmdrive-200"}, 365},
	"Такси Восток": {[]string{"sms-bulk", "support"}, 45},
	"Алма Такси":   {[]string{"tmdrive-50"}, 20},
}

// seedDemoServices fills the catalog, connects the demo companies and writes
// their history, each piece only when missing.
func (s *Store) seedDemoServices(ctx context.Context, companyIDs map[string]int64, opt DemoOptions) error {
	now := s.Now()
	yearAgo := Today(now, time.UTC).AddDate(-1, 0, 0)
	tariffs := map[string]Tariff{}
	existing, err := s.Tariffs(ctx, 0)
	if err != nil {
		return err
	}
	for _, dt := range demoTariffs {
		t := dt.Tariff
		for _, e := range existing {
			if e.Name == t.Name {
				t = e
			}
		}
		if t.ID == 0 {
			t.ValidFrom = yearAgo.AddDate(0, -1, 0)
			if t.ID, err = s.CreateTariff(ctx, demoActor, t); err != nil {
				return err
			}
		}
		tariffs[dt.key] = t
	}
	for _, dc := range demoCompanies { // in order, so the demo's ids are the same every time
		conn := demoConnections[dc.Name]
		co, err := s.Company(ctx, companyIDs[dc.Name])
		if err != nil {
			return err
		}
		days := conn.days
		if opt.Brief {
			days = min(days, 3)
		}
		start := now.AddDate(0, 0, -days)
		for _, key := range conn.tariffs {
			cs, err := s.ensureDemoService(ctx, co, tariffs[key], Today(start, co.Location()))
			if err != nil {
				return err
			}
			if err := s.seedDemoHistory(ctx, co, cs, start, tariffs["support-once"]); err != nil {
				return err
			}
		}
	}
	return nil
}

// ensureDemoService connects the tariff's service to the company unless it is.
func (s *Store) ensureDemoService(ctx context.Context, co Company, t Tariff, from time.Time) (CompanyService, error) {
	_, err := s.ConnectService(ctx, demoActor, co.ID, t, from, nil)
	if err != nil && !errors.Is(err, ErrServiceConnected) {
		return CompanyService{}, err
	}
	services, err := s.CompanyServices(ctx, co.ID, false)
	if err != nil {
		return CompanyService{}, err
	}
	for _, cs := range services {
		if cs.ServiceID == t.ServiceID {
			return cs, nil
		}
	}
	return CompanyService{}, fmt.Errorf("db: demo service %s of %s: %w", t.ServiceCode, co.Name, ErrNotFound)
}

// demoSubscription is a subscription of the demo's history; charge is the
// index of the entry that paid for it.
type demoSubscription struct {
	tariff   Tariff
	kind     string
	from, to time.Time
	charge   int
}

// seedDemoHistory writes a plausible past for one connected service, in one
// transaction and only if the service has none yet: SMS batches through the
// day, monthly charges with their subscriptions, payments when the balance
// runs low, and now and then a correction or a refund.
func (s *Store) seedDemoHistory(ctx context.Context, co Company, cs CompanyService, start time.Time, oneOff Tariff) error {
	var has bool
	if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM transactions WHERE company_service_id = ?)`, cs.ID).Scan(&has); err != nil || has {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(co.ID), uint64(cs.ServiceID)))
	loc := co.Location()
	now := s.Now()
	today := Today(now, loc)
	var entries []Entry
	var subs []demoSubscription
	var messages []SentSMS
	var batches []demoBatch
	var balance Kopecks
	invoice := 0
	add := func(at time.Time, amount Kopecks, source, description string) {
		entries = append(entries, Entry{CompanyServiceID: cs.ID, Amount: amount, Source: source, Description: description,
			At: at, IdempotencyKey: fmt.Sprintf("demo:%d:%d", cs.ID, len(entries))})
		balance += amount
	}
	pay := func(at time.Time, amount Kopecks) {
		invoice++
		add(at, amount, SourcePayment, fmt.Sprintf("Оплата по счёту № %d от %s", invoice, at.In(loc).Format("02.01.2006")))
	}
	subscribe := func(at time.Time, t Tariff, kind string, from, to time.Time, description string) {
		subs = append(subs, demoSubscription{tariff: t, kind: kind, from: from, to: to, charge: len(entries)})
		add(at, -t.Price, SourceSubscription, description)
	}
	switch cs.ServiceCode {
	case ServiceSMS:
		pay(start, 15_000_000)
		for day := start; day.Before(now); day = day.Add(24 * time.Hour) {
			y, m, d := day.In(loc).Date()
			at := time.Date(y, m, d, 7, 0, 0, 0, loc)
			end := time.Date(y, m, d, 23, 0, 0, 0, loc)
			// The server reports its SMS in batches every few minutes; each
			// batch is one debit, as through the API.
			for at = at.Add(time.Duration(rng.IntN(180)) * time.Second); at.Before(end) && at.Before(now); at = at.Add(time.Duration(150+rng.IntN(120)) * time.Second) {
				first := len(messages)
				var parts int
				for range 1 + rng.IntN(5) {
					m := demoSMSMessage(rng, len(messages), at.Add(-time.Duration(rng.IntN(200))*time.Second), now)
					parts += m.Parts
					messages = append(messages, m)
				}
				batches = append(batches, demoBatch{entry: len(entries), first: first, last: len(messages)})
				add(at, -Kopecks(parts)*cs.Tariff.Price, SourceSMS, fmt.Sprintf("Отправка СМС: %d шт.", len(messages)-first))
			}
			if balance < 3_000_000 {
				pay(end.Add(30*time.Minute), 15_000_000)
			}
			if d == 15 && m%4 == 0 {
				add(end.Add(40*time.Minute), 12_500, SourceRefund, "Возврат за недоставленные СМС")
			}
		}
	default:
		pay(start, cs.Tariff.Price*3)
		for month := start; month.Before(now); month = month.AddDate(0, 1, 0) {
			from := Today(month, loc)
			subscribe(month.Add(time.Hour), cs.Tariff, KindPeriodic, from, from.AddDate(0, 1, -1), cs.Tariff.Name+", "+from.Format("01.2006"))
			if balance < cs.Tariff.Price {
				pay(month.Add(26*time.Hour), cs.Tariff.Price*3)
			}
		}
		if cs.ServiceCode == ServiceSupport && co.Country == "RU" {
			at := now.Add(-9 * 24 * time.Hour)
			from, to := OneOffPeriod(Today(at, loc))
			subscribe(at, oneOff, KindOneOff, from, to, oneOff.Name)
			add(at.Add(2*time.Hour), 50_000, SourceCorrection, "Скидка за задержку ответа по обращению")
		}
	}
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		for i, sub := range subs {
			status := StatusActive
			if sub.to.Before(today) {
				status = StatusExpired
			}
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO subscriptions (company_id, company_service_id, tariff_id, kind, status, price,
				period_from, period_to, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				cs.CompanyID, cs.ID, sub.tariff.ID, sub.kind, status, int64(sub.tariff.Price), formatDate(sub.from), formatDate(sub.to),
				fmt.Sprintf("demo-sub:%d:%d", cs.ID, i), formatTime(entries[sub.charge].At)).Scan(&id)
			if err != nil {
				return fmt.Errorf("db: demo subscription: %w", err)
			}
			entries[sub.charge].Ref = "subscription:" + strconv.FormatInt(id, 10)
		}
		return buildIndexesAfter(ctx, tx, []string{"transactions", "sms"}, func() error {
			txIDs, err := s.importTransactions(ctx, tx, cs.ID, entries)
			if err != nil {
				return err
			}
			return s.importDemoSMS(ctx, tx, co, cs, txIDs, messages, batches)
		})
	})
}
