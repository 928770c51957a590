package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"elk/db/money"
)

// ForecastWindow is how many past days a balance forecast averages.
const ForecastWindow = 14

// RunningOutDays is how many days' balance is running out: such a forecast
// shows red to the client and lists the company for its manager.
const RunningOutDays = 7

// spendingSources are the ledger's per-unit charges, which spending_days
// rolls up: what a service's balance is spent on day by day. A
// subscription charges a whole period at once and is left out.
var spendingSources = map[string]bool{SourceSMS: true}

// Forecast is how long a service's balance lasts at its recent spending.
type Forecast struct {
	DailySpend money.Kopecks // the average a day over the window, rounded
	// DaysLeft is how many whole days the balance lasts at DailySpend: 0
	// when it is spent (at or below zero) or lasts less than a day; nil
	// when a balance is left but nothing was spent in the window, so
	// nothing can be told.
	DaysLeft *int
}

// RunningOut reports whether the balance lasts at most RunningOutDays.
func (f Forecast) RunningOut() bool { return f.DaysLeft != nil && *f.DaysLeft <= RunningOutDays }

// forecastOf is the forecast of a balance that spent spent over days days.
func forecastOf(balance, spent money.Kopecks, days int) Forecast {
	var f Forecast
	if spent > 0 && days > 0 {
		f.DailySpend = money.Kopecks((int64(spent) + int64(days)/2) / int64(days))
	}
	switch {
	case balance <= 0:
		f.DaysLeft = new(0) // spent, whatever the pace
	case spent > 0 && days > 0:
		f.DaysLeft = new(int(int64(balance) * int64(days) / int64(spent)))
	}
	return f
}

// forecastSpan is the window a forecast averages: the whole days before
// today in the company's time zone, ForecastWindow of them, or fewer when
// the service's ledger began since (its first entry, usually a top-up), so
// that a new client's first days are not averaged with days it had no
// service. from and to are YYYY-MM-DD, to excluded.
func forecastSpan(now time.Time, loc *time.Location, firstEntry time.Time) (from, to string, days int) {
	today := Today(now, loc)
	start := today.AddDate(0, 0, -ForecastWindow)
	if first := Today(firstEntry, loc); first.After(start) {
		start = first
	}
	days = int(today.Sub(start).Hours()+0.5) / 24
	return formatDate(start), formatDate(today), days
}

// ServiceForecasts returns the forecast of each of the company's connected
// services, by company service id.
func (s *Store) ServiceForecasts(ctx context.Context, companyID int64) (map[int64]Forecast, error) {
	out, err := s.forecastsWhere(ctx, s.r, "cs.company_id = ?", companyID)
	if err != nil {
		return nil, fmt.Errorf("db: forecasts of company %d: %w", companyID, err)
	}
	return out, nil
}

// forecastsWhere forecasts the connected services cs that cond selects
// (it may use services sv too), reading two weeks of spending_days rows
// for each and nothing else. A service at a monthly tariff gets none: its
// subscription spends the balance once a month, which no daily pace tells.
func (s *Store) forecastsWhere(ctx context.Context, q querier, cond string, args ...any) (map[int64]Forecast, error) {
	type service struct {
		balance  money.Kopecks
		from, to string
		days     int
		spent    money.Kopecks
	}
	services := map[int64]*service{}
	zones := map[string]*time.Location{}
	earliest := ""
	now := s.Now()
	rows, err := q.QueryContext(ctx, `SELECT cs.id, cs.balance, c.timezone,
			(SELECT min(t.created_at) FROM transactions t WHERE t.company_service_id = cs.id)
		FROM company_services cs JOIN companies c ON c.id = cs.company_id JOIN services sv ON sv.id = cs.service_id
			JOIN tariffs t ON t.id = cs.tariff_id
		WHERE t.unit <> '`+UnitMonth+`' AND `+cond, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var sv service
		var zone string
		var first sql.NullString
		if err := rows.Scan(&id, &sv.balance, &zone, &first); err != nil {
			rows.Close()
			return nil, err
		}
		loc, ok := zones[zone]
		if !ok {
			loc = Company{Timezone: zone}.Location()
			zones[zone] = loc
		}
		firstEntry := now // none yet: an empty window
		if first.Valid {
			firstEntry = parseTime(first.String)
		}
		sv.from, sv.to, sv.days = forecastSpan(now, loc, firstEntry)
		if earliest == "" || sv.from < earliest {
			earliest = sv.from
		}
		services[id] = &sv
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if len(services) == 0 {
		return map[int64]Forecast{}, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT d.company_service_id, d.day, d.spent FROM spending_days d
		JOIN company_services cs ON cs.id = d.company_service_id JOIN services sv ON sv.id = cs.service_id
		JOIN companies c ON c.id = cs.company_id
		WHERE d.day >= ? AND `+cond, append([]any{earliest}, args...)...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var day string
		var spent money.Kopecks
		if err := rows.Scan(&id, &day, &spent); err != nil {
			rows.Close()
			return nil, err
		}
		if sv := services[id]; sv != nil && day >= sv.from && day < sv.to {
			sv.spent += spent
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	out := make(map[int64]Forecast, len(services))
	for id, sv := range services {
		out[id] = forecastOf(sv.balance, sv.spent, sv.days)
	}
	return out, nil
}

// addSpending rolls a ledger entry's per-unit charge into its company's day.
func addSpending(ctx context.Context, tx *sql.Tx, companyServiceID int64, day string, spent money.Kopecks) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO spending_days (company_service_id, day, spent) VALUES (?, ?, ?)
		ON CONFLICT (company_service_id, day) DO UPDATE SET spent = spent + excluded.spent`,
		companyServiceID, day, int64(spent))
	return err
}
