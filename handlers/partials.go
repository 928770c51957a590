package handlers

// The view models of the small partials many pages share.

// navLink is one link of a navigation, the header's tabs or a filter's
// choices, as partials/nav_links prints it.
type navLink struct {
	Label, Href string
	Current     bool // the tab or the filter shown now
}

// filterLinks are a filter's links: one for all (labelled by the key all)
// and one per value (labelled by prefix+value), the chosen one current.
// href makes a link's address from its value, "" for all. The page puts
// them in its own labelled nav: {{ template "partials/nav_links" .Chips }}.
func filterLinks(p *Page, all string, values []string, chosen, prefix string, href func(value string) string) []navLink {
	out := make([]navLink, 0, 1+len(values))
	out = append(out, navLink{Label: p.T(all), Href: href(""), Current: chosen == ""})
	for _, v := range values {
		out = append(out, navLink{Label: p.T(prefix + v), Href: href(v), Current: v == chosen})
	}
	return out
}

// badge is a status as partials/badge shows it: a coloured label, and a
// muted note after it (when a notice was sent, how much of an invoice is
// paid), if any.
type badge struct {
	Class, Text string
	Note        string
}
