package handlers

import (
	"html/template"
	"strconv"
	"strings"

	"elk/db"
)

// options writes a select's options for values, each labelled by the
// translation of prefix+value, the chosen one selected:
// {{ options $ .Statuses .Status "invoice.status_" }}. Selects are on most
// pages, and each option costs a template several reflective calls.
func options(d withPage, values []string, chosen, prefix string) template.HTML {
	p := d.base()
	var b strings.Builder
	for _, v := range values {
		writeOption(&b, v, p.T(prefix+v), v == chosen)
	}
	return template.HTML(b.String())
}

// serviceOptions writes the options of a select of connected services,
// named in the page's language: {{ serviceOptions $ .Services .ServiceID }}.
func serviceOptions(d withPage, services []db.CompanyService, chosen int64) template.HTML {
	p := d.base()
	var b strings.Builder
	for _, cs := range services {
		writeOption(&b, strconv.FormatInt(cs.ID, 10), p.T("service."+cs.ServiceCode), cs.ID == chosen)
	}
	return template.HTML(b.String())
}

// tariffOptions writes the options of a select of tariffs, each with its
// price and unit: {{ tariffOptions $ .Form.Tariffs .Form.TariffID }}.
func tariffOptions(d withPage, tariffs []db.Tariff, chosen int64) template.HTML {
	p := d.base()
	var b strings.Builder
	for _, t := range tariffs {
		writeOption(&b, strconv.FormatInt(t.ID, 10), t.Name+" — "+t.Price.String()+" "+p.T("unit."+t.Unit), t.ID == chosen)
	}
	return template.HTML(b.String())
}

func writeOption(b *strings.Builder, value, label string, selected bool) {
	b.WriteString("<option")
	writeAttr(b, "value", value)
	if selected {
		b.WriteString(" selected")
	}
	b.WriteString(">")
	escapeTo(b, label)
	b.WriteString("</option>")
}
