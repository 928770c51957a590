package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"elk/db"
	"elk/db/money"
)

// tariffs is the demo's catalog, by a name used below.
var tariffs = []struct {
	key string
	db.Tariff
}{
	{"sms", db.Tariff{ServiceID: 1, Name: "СМС — базовый", Price: 250, Unit: db.UnitSMSPart}},
	{"sms-bulk", db.Tariff{ServiceID: 1, Name: "СМС — оптовый", Price: 210, Unit: db.UnitSMSPart}},
	{"support", db.Tariff{ServiceID: 2, Name: "Абонентское обслуживание", Price: 500000, Unit: db.UnitMonth}},
	{"support-once", db.Tariff{ServiceID: 2, Name: "Разовое обращение в техподдержку", Price: 150000, Unit: db.UnitRequest}},
	{"tmdrive-50", db.Tariff{ServiceID: 3, Name: "TMDrive — до 50 водителей", Price: 99000, Unit: db.UnitMonth}},
	{"tmdrive-200", db.Tariff{ServiceID: 3, Name: "TMDrive — до 200 водителей", Price: 290000, Unit: db.UnitMonth}},
}

// connections says which company uses which tariffs and how much history it has (in days).
var connections = map[string]struct {
	tariffs []string
	days    int
}{
	"Такси Пример": {[]string{"sms", "support", "tmdrive-200"}, 365},
	"Такси Восток": {[]string{"sms-bulk", "support"}, 45},
	"Алма Такси":   {[]string{"tmdrive-50"}, 90},
}

// seedServices fills the catalog, connects the demo companies and writes
// their history, each piece only when missing.
func seedServices(ctx context.Context, s *db.Store, companyIDs map[string]int64, opt Options) error {
	now := s.Now()
	yearAgo := db.Today(now, time.UTC).AddDate(-1, 0, 0)
	byKey := map[string]db.Tariff{}
	existing, err := s.Tariffs(ctx, 0)
	if err != nil {
		return err
	}
	for _, dt := range tariffs {
		t := dt.Tariff
		for _, e := range existing {
			if e.Name == t.Name {
				t = e
			}
		}
		if t.ID == 0 {
			t.ValidFrom = yearAgo.AddDate(0, -1, 0)
			if t.ID, err = s.CreateTariff(ctx, actor, t); err != nil {
				return err
			}
		}
		byKey[dt.key] = t
	}
	for _, dc := range companies { // in order, so the demo's ids are the same every time
		conn := connections[dc.Name]
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
			cs, err := ensureService(ctx, s, co, byKey[key], db.Today(start, co.Location()))
			if err != nil {
				return err
			}
			if err := seedHistory(ctx, s, co, cs, start, now, byKey["support-once"]); err != nil {
				return err
			}
		}
	}
	return nil
}

// ensureService connects the tariff's service to the company unless it is.
func ensureService(ctx context.Context, s *db.Store, co db.Company, t db.Tariff, from time.Time) (db.CompanyService, error) {
	_, err := s.ConnectService(ctx, actor, co.ID, t, from, nil)
	if err != nil && !errors.Is(err, db.ErrServiceConnected) {
		return db.CompanyService{}, err
	}
	services, err := s.CompanyServices(ctx, co.ID, false)
	if err != nil {
		return db.CompanyService{}, err
	}
	for _, cs := range services {
		if cs.ServiceID == t.ServiceID {
			return cs, nil
		}
	}
	return db.CompanyService{}, fmt.Errorf("demo: service %s of %s: %w", t.ServiceCode, co.Name, db.ErrNotFound)
}

// seedHistory writes a plausible past for one connected service, at once
// and only if the service has none yet: SMS batches through the day,
// monthly charges with their subscriptions, payments when the balance runs
// low, and now and then a correction or a refund. Nothing is dated after
// now, the instant start was counted back from.
func seedHistory(ctx context.Context, s *db.Store, co db.Company, cs db.CompanyService, start, now time.Time, oneOff db.Tariff) error {
	if txs, _, err := s.Transactions(ctx, co.ID, db.TxFilter{CompanyServiceID: cs.ID}, nil, 1); err != nil || len(txs) > 0 {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(co.ID), uint64(cs.ServiceID)))
	loc := co.Location()
	today := db.Today(now, loc)
	var h db.ServiceHistory
	var balance money.Kopecks
	order := 0
	add := func(at time.Time, amount money.Kopecks, source, description string, units int64) {
		h.Entries = append(h.Entries, db.Entry{CompanyServiceID: cs.ID, Amount: amount, Source: source, Description: description,
			At: at, IdempotencyKey: fmt.Sprintf("demo:%d:%d", cs.ID, len(h.Entries)), Units: units})
		balance += amount
	}
	// A payment without an invoice names the client's payment order, not an
	// invoice: the demo's invoices are paid in seedDocuments, by number.
	pay := func(at time.Time, amount money.Kopecks) {
		order++
		add(at, amount, db.SourcePayment, fmt.Sprintf("Оплата по платёжному поручению № %d от %s",
			100*int(cs.ServiceID)+order, at.In(loc).Format("02.01.2006")), 0)
	}
	subscribe := func(at time.Time, t db.Tariff, kind string, from, to time.Time, description string) {
		status := db.StatusActive
		if to.Before(today) {
			status = db.StatusExpired
		}
		h.Subscriptions = append(h.Subscriptions, db.PastSubscription{Tariff: t, Kind: kind, Status: status, From: from, To: to,
			Key: fmt.Sprintf("demo-sub:%d:%d", cs.ID, len(h.Subscriptions)), Charge: len(h.Entries)})
		add(at, -t.Price, db.SourceSubscription, description, 1)
	}
	switch cs.ServiceCode {
	case db.ServiceSMS:
		pay(start, 15_000_000)
		for day := start; day.Before(now); day = day.Add(24 * time.Hour) {
			y, m, d := day.In(loc).Date()
			at := time.Date(y, m, d, 7, 0, 0, 0, loc)
			end := time.Date(y, m, d, 23, 0, 0, 0, loc)
			// The server reports its SMS in batches every few minutes; each
			// batch is one debit, as through the API.
			for at = at.Add(time.Duration(rng.IntN(180)) * time.Second); at.Before(end) && at.Before(now); at = at.Add(time.Duration(150+rng.IntN(120)) * time.Second) {
				first := len(h.SMS)
				var parts int
				for range 1 + rng.IntN(5) {
					m := smsMessage(rng, len(h.SMS), at.Add(-time.Duration(rng.IntN(200))*time.Second), now)
					m.Entry = len(h.Entries)
					parts += m.Parts
					h.SMS = append(h.SMS, m)
				}
				add(at, -money.Kopecks(parts)*cs.Tariff.Price, db.SourceSMS, fmt.Sprintf("Отправка СМС: %d шт.", len(h.SMS)-first), int64(parts))
			}
			if balance < 3_000_000 && end.Add(30*time.Minute).Before(now) {
				pay(end.Add(30*time.Minute), 15_000_000)
			}
			if d == 15 && m%4 == 0 && end.Add(40*time.Minute).Before(now) {
				add(end.Add(40*time.Minute), 12_500, db.SourceRefund, "Возврат за недоставленные СМС", 0)
			}
		}
	default:
		pay(start, cs.Tariff.Price*3)
		// Each month is charged at its start, paid for beforehand when the
		// balance would not cover it.
		for month := start; !month.After(now); month = month.AddDate(0, 1, 0) {
			if balance < cs.Tariff.Price {
				pay(month.Add(-2*time.Hour), cs.Tariff.Price*3)
			}
			from := db.Today(month, loc)
			subscribe(month, cs.Tariff, db.KindPeriodic, from, from.AddDate(0, 1, -1), cs.Tariff.Name+", "+from.Format("01.2006"))
		}
		if cs.ServiceCode == db.ServiceSupport && co.Country == "RU" {
			// Bought and over before today, so the demo may buy the next one.
			at := now.Add(-(db.OneOffDays + 10) * 24 * time.Hour)
			from, to := db.OneOffPeriod(db.Today(at, loc))
			subscribe(at, oneOff, db.KindOneOff, from, to, oneOff.Name)
			add(now.Add(-9*24*time.Hour+2*time.Hour), 50_000, db.SourceCorrection, "Скидка за задержку ответа по обращению", 0)
		}
	}
	return s.ImportHistory(ctx, cs, h)
}
