package handlers

import "html/template"

// chips writes a filter's links: one for all (labelled by the key all) and
// one per value (labelled by prefix+value), the chosen one marked current.
// href makes a link's address from its value, "" for all. Statuses filter
// several lists this way, and each link costs a template a handful of
// reflective calls.
func chips(p *Page, all string, values []string, chosen, prefix string, href func(value string) string) template.HTML {
	var m markup
	chip := func(value, label string) {
		if value == chosen {
			m.elem("a", label, "href", href(value), "class", "active", "aria-current", "page")
		} else {
			m.elem("a", label, "href", href(value))
		}
	}
	chip("", p.T(all))
	for _, v := range values {
		chip(v, p.T(prefix+v))
	}
	return m.HTML()
}
