package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
)

// forecastCompany is a new company in Vladivostok (UTC+10, so that its day
// and UTC's differ) with the SMS service connected connectedDaysAgo days
// before its today, and a way to post at an hour of its days.
type forecastCompany struct {
	s       *db.Store
	cs      db.CompanyService
	loc     *time.Location
	clock   *testutil.Clock
	entries int
}

func newForecastCompany(t *testing.T, connectedDaysAgo int) *forecastCompany {
	t.Helper()
	s, clock := testutil.OpenDemo(t)
	ctx := context.Background()
	id, err := s.CreateCompany(ctx, db.Actor{}, db.Company{Name: "Такси Восток", Country: "RU", Timezone: "Asia/Vladivostok"})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Vladivostok")
	tariffID, err := s.CreateTariff(ctx, db.Actor{}, db.Tariff{ServiceID: 1, Name: "Восток", Price: 250, Unit: db.UnitSMSPart,
		ValidFrom: db.Today(s.Now(), loc).AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	tariff, err := s.TariffByID(ctx, tariffID)
	if err != nil {
		t.Fatal(err)
	}
	csID, err := s.ConnectService(ctx, db.Actor{}, id, tariff, db.Today(s.Now(), loc).AddDate(0, 0, -connectedDaysAgo), nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.CompanyService(ctx, id, csID)
	if err != nil {
		t.Fatal(err)
	}
	return &forecastCompany{s: s, cs: cs, loc: loc, clock: clock}
}

// post records amount daysAgo days before the company's today, at hour
// o'clock its time.
func (f *forecastCompany) post(t *testing.T, daysAgo, hour int, amount money.Kopecks, source string) {
	t.Helper()
	y, m, d := f.s.Now().In(f.loc).Date()
	at := time.Date(y, m, d-daysAgo, hour, 0, 0, 0, f.loc)
	f.entries++
	if _, _, err := f.s.Post(context.Background(), db.Entry{CompanyServiceID: f.cs.ID, Amount: amount, Source: source,
		IdempotencyKey: fmt.Sprintf("forecast:%d", f.entries), At: at}); err != nil {
		t.Fatal(err)
	}
}

func (f *forecastCompany) forecast(t *testing.T) db.Forecast {
	t.Helper()
	all, err := f.s.ServiceForecasts(context.Background(), f.cs.CompanyID)
	if err != nil {
		t.Fatal(err)
	}
	return all[f.cs.ID]
}

func daysLeft(f db.Forecast) string {
	if f.DaysLeft == nil {
		return "unknown"
	}
	return fmt.Sprint(*f.DaysLeft)
}

func TestForecastAveragesTheLastTwoWeeksOfSMSCharges(t *testing.T) {
	f := newForecastCompany(t, 100)
	f.post(t, 30, 12, 100_000, db.SourcePayment)
	for day := 1; day <= db.ForecastWindow; day++ {
		f.post(t, day, 12, -1_000, db.SourceSMS) // 10 ₽ a day
	}
	// None of these is the two weeks' SMS spending: today's (not a whole
	// day yet), one before the window, a subscription, a correction, a
	// payment and a refund.
	f.post(t, 0, 9, -50_000, db.SourceSMS)
	f.post(t, db.ForecastWindow+1, 12, -7_000, db.SourceSMS)
	f.post(t, 3, 12, -5_000, db.SourceSubscription)
	f.post(t, 3, 13, -1_000, db.SourceCorrection)
	f.post(t, 2, 12, 2_000, db.SourceRefund)
	// The window's first and last minutes are the company's: 00:30 of its
	// 14th day back and 23:30 of yesterday, both in another UTC day.
	f.post(t, db.ForecastWindow, 0, -500, db.SourceSMS)
	f.post(t, 1, 23, -500, db.SourceSMS)
	// Balance: 100 000 + 2 000 − 14 000 − 50 000 − 7 000 − 5 000 − 1 000 − 1 000 = 24 000 kopecks;
	// spent in the window: 15 000 over 14 days, 1 071,43 kopecks a day.
	got := f.forecast(t)
	if daysLeft(got) != "22" || got.DailySpend != 1071 {
		t.Fatalf("forecast = %s days at %v a day, want 22 days at 10,71 ₽", daysLeft(got), got.DailySpend)
	}
}

func TestForecastOfANewServiceAveragesItsDaysOnly(t *testing.T) {
	f := newForecastCompany(t, 100) // connected long ago, used since four days
	f.post(t, 4, 12, 10_000, db.SourcePayment)
	f.post(t, 2, 12, -2_000, db.SourceSMS)
	// 8 000 kopecks left, 2 000 spent over the four whole days since its
	// first top-up: 500 a day, 16 days.
	if got := f.forecast(t); daysLeft(got) != "16" || got.DailySpend != 500 {
		t.Fatalf("forecast = %s days at %v a day, want 16 at 5 ₽", daysLeft(got), got.DailySpend)
	}
}

func TestForecastWithoutSpendingIsUnknown(t *testing.T) {
	f := newForecastCompany(t, 100)
	f.post(t, 5, 12, 10_000, db.SourcePayment)
	f.post(t, 0, 1, -2_000, db.SourceSMS) // today's only
	if got := f.forecast(t); got.DaysLeft != nil {
		t.Fatalf("days left = %d, want unknown", *got.DaysLeft)
	}
}

func TestForecastOfASpentBalanceIsZeroDays(t *testing.T) {
	f := newForecastCompany(t, 100)
	f.post(t, 3, 12, 1_000, db.SourcePayment)
	f.post(t, 2, 12, -1_500, db.SourceSMS)
	if got := daysLeft(f.forecast(t)); got != "0" {
		t.Fatalf("days left = %s, want 0", got)
	}
	// 500 left at 500 a day (1 500 over the three days since the first
	// top-up): 1 day.
	f.post(t, 1, 12, 1_000, db.SourcePayment)
	if got := daysLeft(f.forecast(t)); got != "1" {
		t.Fatalf("days left = %s, want 1", got)
	}
}

// An import rolls spending up as posting one by one does.
func TestImportedChargesCountInTheForecast(t *testing.T) {
	f := newForecastCompany(t, 100)
	y, m, d := f.s.Now().In(f.loc).Date()
	var entries []db.Entry
	for day := 1; day <= 7; day++ {
		entries = append(entries, db.Entry{Amount: -700, Source: db.SourceSMS, IdempotencyKey: fmt.Sprintf("import:%d", day),
			At: time.Date(y, m, d-day, 23, 59, 0, 0, f.loc)})
	}
	entries = append(entries, db.Entry{Amount: 9_800, Source: db.SourcePayment, IdempotencyKey: "import:pay",
		At: time.Date(y, m, d-20, 12, 0, 0, 0, f.loc)})
	if err := f.s.ImportTransactions(context.Background(), f.cs.ID, entries); err != nil {
		t.Fatal(err)
	}
	// 4 900 left, 4 900 spent over 14 days: 350 a day, 14 days.
	if got := f.forecast(t); daysLeft(got) != "14" || got.DailySpend != 350 {
		t.Fatalf("forecast = %s days at %v a day, want 14 at 3,50 ₽", daysLeft(got), got.DailySpend)
	}
}

// The low-balance alert carries the forecast of the moment it was written.
func TestLowBalanceAlertCarriesTheForecast(t *testing.T) {
	f := newForecastCompany(t, 100)
	ctx := context.Background()
	f.post(t, 10, 12, 100_000, db.SourcePayment)
	applyAlertStep(t, f.s, f.cs, 0, alertStep{enable: ptr(true), threshold: ptr(db.DefaultSMSAlertThreshold),
		contacts: &db.NotificationContacts{Emails: []string{"dispatch@east.example"}}})
	for day := 1; day <= 9; day++ {
		f.post(t, day, 12, -1_000, db.SourceSMS)
	}
	f.post(t, 0, 8, -45_000, db.SourceSMS) // 46 000 left, below 50 000
	notices, err := f.s.CompanyNotices(ctx, f.cs.CompanyID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].Kind != db.NoticeSMSLow {
		t.Fatalf("notices: %+v", notices)
	}
	// 9 000 spent over the ten days since the first top-up: 900 a day, 51 days.
	if p := notices[0].Params; p.DaysLeft == nil || *p.DaysLeft != 51 || p.DailySpend != 900 {
		t.Errorf("alert's forecast: %v days at %v a day, want 51 at 9 ₽", p.DaysLeft, p.DailySpend)
	}
}

// A spent balance lasts no days, whether or not anything was spent lately;
// a balance left with nothing spent cannot be told.
func TestForecastOfASpentBalanceWithoutSpendingIsZeroDays(t *testing.T) {
	f := newForecastCompany(t, 100)
	if got := daysLeft(f.forecast(t)); got != "0" {
		t.Fatalf("a service without entries: days left = %s, want 0", got)
	}
	f.post(t, 30, 12, -500, db.SourceCorrection)
	if got := daysLeft(f.forecast(t)); got != "0" {
		t.Fatalf("a debt without spending: days left = %s, want 0", got)
	}
	f.post(t, 29, 12, 1_000, db.SourcePayment)
	if got := daysLeft(f.forecast(t)); got != "unknown" {
		t.Fatalf("a balance left without spending: days left = %s, want unknown", got)
	}
}

// A service at a monthly tariff has no forecast, whatever its balance: a
// subscription spends it once a month.
func TestMonthlyServicesHaveNoForecast(t *testing.T) {
	s, _ := testutil.OpenDemo(t)
	ctx := context.Background()
	services, err := s.CompanyServices(ctx, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	forecasts, err := s.ServiceForecasts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	monthly := 0
	for _, cs := range services {
		if cs.Tariff.Unit != db.UnitMonth {
			continue
		}
		monthly++
		if _, _, err := s.Post(ctx, db.Entry{CompanyServiceID: cs.ID, Amount: -cs.Balance - 100, Source: db.SourceCorrection,
			IdempotencyKey: fmt.Sprintf("monthly-debt:%d", cs.ID)}); err != nil {
			t.Fatal(err)
		}
		if f := forecasts[cs.ID]; f.DaysLeft != nil {
			t.Errorf("%s at a monthly tariff: %d days left", cs.ServiceCode, *f.DaysLeft)
		}
	}
	after, err := s.ServiceForecasts(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range services {
		if f := after[cs.ID]; cs.Tariff.Unit == db.UnitMonth && f.DaysLeft != nil {
			t.Errorf("%s in debt at a monthly tariff: %d days left", cs.ServiceCode, *f.DaysLeft)
		}
	}
	if monthly == 0 {
		t.Fatal("the demo's company has no monthly service")
	}
}
