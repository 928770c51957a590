package handlers

import (
	"html/template"

	"elk/db"
)

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
	balance := "balance"
	if cs.Balance < 0 {
		balance += " neg"
	}
	m.elem("span", cs.Balance.String(), "class", balance, "id", "balance")
	m.close("section")

	stat("services.tariff")
	m.elem("span", cs.Tariff.Name, "class", "stat-value")
	m.elem("span", cs.Tariff.Price.String()+" "+p.T("unit."+cs.Tariff.Unit))
	m.close("section")

	stat("services.period")
	until := p.T("services.open_ended")
	if cs.PeriodTo != nil {
		until = p.Day(*cs.PeriodTo)
	}
	m.elem("span", p.Day(cs.PeriodFrom)+" — "+until, "class", "stat-value")
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
