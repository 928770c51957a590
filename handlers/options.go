package handlers

import (
	"strconv"

	"elk/db"
)

// selectOption is one option of a select, as partials/options prints it.
type selectOption struct {
	Value, Label string
	Selected     bool
}

// Options are a select's options for values, each labelled by the
// translation of prefix+value, the chosen one selected:
// {{ template "partials/options" ($.Options .Statuses .Status "invoice.status_") }}.
func (p *Page) Options(values []string, chosen, prefix string) []selectOption {
	out := make([]selectOption, len(values))
	for i, v := range values {
		out[i] = selectOption{Value: v, Label: p.T(prefix + v), Selected: v == chosen}
	}
	return out
}

// ServiceOptions are the options of a select of connected services, named
// in the page's language.
func (p *Page) ServiceOptions(services []db.CompanyService, chosen int64) []selectOption {
	out := make([]selectOption, len(services))
	for i, cs := range services {
		out[i] = selectOption{Value: strconv.FormatInt(cs.ID, 10), Label: p.T("service." + cs.ServiceCode), Selected: cs.ID == chosen}
	}
	return out
}

// TariffOptions are the options of a select of tariffs, each with its price and unit.
func (p *Page) TariffOptions(tariffs []db.Tariff, chosen int64) []selectOption {
	out := make([]selectOption, len(tariffs))
	for i, t := range tariffs {
		out[i] = selectOption{Value: strconv.FormatInt(t.ID, 10), Label: t.Name + " — " + t.Price.String() + " " + p.T("unit."+t.Unit),
			Selected: t.ID == chosen}
	}
	return out
}
