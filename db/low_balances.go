package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"elk/db/money"
)

// LowBalanceDays is how close to running out an SMS balance is listed in
// the back office: it lasts this many days or fewer.
const LowBalanceDays = 7

// LowBalance is a company whose SMS balance is spent or about to be.
type LowBalance struct {
	CompanyID        int64
	CompanyName      string
	CompanyServiceID int64
	Balance          money.Kopecks
	Forecast         Forecast
}

// LowBalances returns the companies (of one manager, or all when managerID
// is 0) whose active SMS service's balance is negative or lasts
// LowBalanceDays or fewer at its forecast, the soonest to run out first.
// It reads the balances and two weeks of spending_days, nothing else.
func (s *Store) LowBalances(ctx context.Context, managerID int64) ([]LowBalance, error) {
	cond, args := "sv.code = ? AND cs.active = 1", []any{ServiceSMS}
	if managerID != 0 {
		cond, args = cond+" AND c.manager_id = ?", append(args, managerID)
	}
	forecasts, err := s.forecastsWhere(ctx, s.r, cond, args...)
	if err != nil {
		return nil, fmt.Errorf("db: low balances: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT cs.id, c.id, c.name, cs.balance FROM company_services cs
		JOIN companies c ON c.id = cs.company_id JOIN services sv ON sv.id = cs.service_id WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("db: low balances: %w", err)
	}
	defer rows.Close()
	var out []LowBalance
	for rows.Next() {
		var l LowBalance
		if err := rows.Scan(&l.CompanyServiceID, &l.CompanyID, &l.CompanyName, &l.Balance); err != nil {
			return nil, fmt.Errorf("db: low balances: %w", err)
		}
		l.Forecast = forecasts[l.CompanyServiceID]
		if l.Balance < 0 || l.Forecast.DaysLeft != nil && *l.Forecast.DaysLeft <= LowBalanceDays {
			out = append(out, l)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: low balances: %w", err)
	}
	slices.SortFunc(out, func(a, b LowBalance) int {
		return cmp.Or(cmp.Compare(a.daysLeft(), b.daysLeft()), cmp.Compare(a.Balance, b.Balance), cmp.Compare(a.CompanyID, b.CompanyID))
	})
	return out, nil
}

// daysLeft orders the list: a spent balance with no recent spending first.
func (l LowBalance) daysLeft() int {
	if l.Forecast.DaysLeft == nil {
		return -1
	}
	return *l.Forecast.DaysLeft
}
