package handlers

import (
	"html/template"
	"strconv"

	"elk/db"
)

// serviceCards writes the Услуги tab's cards, one a service linking to its
// page: name, balance (red when in debt), tariff and period.
func serviceCards(p *Page, services []db.CompanyService) template.HTML {
	var m markup
	for _, cs := range services {
		id := strconv.FormatInt(cs.ID, 10)
		m.open("a", "class", "card service-card", "href", "/services/"+id, "id", "service-"+id)
		m.elem("span", p.T("service."+cs.ServiceCode), "class", "service-name")
		m.elem("span", cs.Balance.String(), "class", balanceClass(cs.Balance))
		m.elem("span", p.T("services.balance"), "class", "muted small")
		m.elem("span", cs.Tariff.Name+" · "+tariffPrice(p, cs.Tariff), "class", "service-meta")
		m.elem("span", p.T("services.period")+": "+servicePeriod(p, cs), "class", "service-meta muted")
		m.close("a")
	}
	return m.HTML()
}

// serviceSummary writes a connected service's balance, tariff and period as
// three cards, as {{ serviceSummary $ .Service }} in a template; staff also
// see whether it is on. It is the top of the service's page for the client
// and in the back office.
func serviceSummary(d withPage, cs db.CompanyService) template.HTML {
	p := d.base()
	var m markup
	m.open("div", "class", "grid3")
	stat := func(label string) {
		m.open("section", "class", "card stat")
		m.elem("span", p.T(label), "class", "muted small")
	}
	stat("services.balance")
	m.elem("span", cs.Balance.String(), "class", balanceClass(cs.Balance), "id", "balance")
	m.close("section")

	stat("services.tariff")
	m.elem("span", cs.Tariff.Name, "class", "stat-value")
	m.elem("span", tariffPrice(p, cs.Tariff))
	m.close("section")

	stat("services.period")
	m.elem("span", servicePeriod(p, cs), "class", "stat-value")
	if p.Staff {
		state := "services.inactive"
		if cs.Active {
			state = "services.active"
		}
		m.elem("span", p.T(state))
	}
	m.close("section")
	m.close("div")
	return m.HTML()
}

// balanceClass marks a debt red.
func balanceClass(balance db.Kopecks) string {
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
