package views

import "elk/db"

// Lasts says how long a balance lasts by its forecast, to follow «хватит»:
// «примерно на 12 дней», «меньше чем на день»; "" when the forecast knows
// nothing (no spending) or the balance is already spent.
func (c *Catalog) Lasts(balanceLeft bool, f db.Forecast) string {
	switch {
	case f.DaysLeft == nil || !balanceLeft:
		return ""
	case *f.DaysLeft == 0:
		return c.T("forecast.under_a_day")
	}
	return c.N("forecast.days", *f.DaysLeft)
}
