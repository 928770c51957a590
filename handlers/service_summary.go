package handlers

import (
	"elk/db"
	"elk/db/money"
)

// serviceCard is one card of the Услуги tab, linking to the service's page.
type serviceCard struct {
	ID           int64
	Name         string
	Balance      string
	BalanceClass string // red when in debt
	Tariff       string // «СМС — базовый · 2,50 ₽ за часть СМС»
	Period       string
	Forecast     forecastLine
}

// serviceCards are the Услуги tab's cards, one a service.
func serviceCards(p *Page, services []db.CompanyService, forecasts map[int64]db.Forecast) []serviceCard {
	cards := make([]serviceCard, len(services))
	for i, cs := range services {
		cards[i] = serviceCard{ID: cs.ID, Name: p.T("service." + cs.ServiceCode), Balance: cs.Balance.String(),
			BalanceClass: balanceClass(cs.Balance), Tariff: cs.Tariff.Name + " · " + tariffPrice(p, cs.Tariff),
			Period: servicePeriod(p, cs), Forecast: newForecastLine(p, cs.Balance, forecasts[cs.ID])}
	}
	return cards
}

// forecastLine is how long a balance lasts, shown under it: «хватит
// примерно на 12 дней», with what the forecast rests on as its hint.
// Both are empty when nothing was spent lately or the balance is spent.
type forecastLine struct {
	Lasts string
	Basis string
	Class string // red when it runs out within a week
}

func newForecastLine(p *Page, balance money.Kopecks, f db.Forecast) forecastLine {
	lasts := p.cat.Lasts(balance > 0, f)
	if lasts == "" {
		return forecastLine{}
	}
	line := forecastLine{Lasts: p.T("forecast.lasts", lasts), Basis: p.T("forecast.basis", f.DailySpend.String()), Class: "forecast"}
	if f.RunningOut() {
		line.Class = "forecast neg"
	}
	return line
}

// serviceSummary is the top of a service's page, for the client and in the
// back office: balance, tariff and period as three cards (partials/service_summary).
type serviceSummary struct {
	*Page
	Balance      string
	BalanceClass string
	Forecast     forecastLine
	TariffName   string
	TariffPrice  string
	Period       string
	State        string // whether the service is on, for staff only
}

func newServiceSummary(p *Page, cs db.CompanyService, f db.Forecast) serviceSummary {
	sum := serviceSummary{Page: p, Balance: cs.Balance.String(), BalanceClass: balanceClass(cs.Balance), Forecast: newForecastLine(p, cs.Balance, f),
		TariffName: cs.Tariff.Name, TariffPrice: tariffPrice(p, cs.Tariff), Period: servicePeriod(p, cs)}
	if p.Staff {
		sum.State = p.T("services.inactive")
		if cs.Active {
			sum.State = p.T("services.active")
		}
	}
	return sum
}

// balanceClass marks a debt red.
func balanceClass(balance money.Kopecks) string {
	if balance < 0 {
		return "balance neg"
	}
	return "balance"
}

// tariffPrice is a tariff's price with its unit: «2,50 ₽ за часть СМС».
func tariffPrice(p *Page, t db.Tariff) string { return t.Price.String() + " " + p.T("unit."+t.Unit) }

// servicePeriod is a service's period: «24.11.2026 — бессрочно».
func servicePeriod(p *Page, cs db.CompanyService) string {
	until := p.T("services.open_ended")
	if cs.PeriodTo != nil {
		until = p.Day(*cs.PeriodTo)
	}
	return p.Day(cs.PeriodFrom) + " — " + until
}
