package handlers

// filterChip is one link of a filter, as partials/chips prints it.
type filterChip struct {
	Label, Href string
	Current     bool // the filter chosen now
}

// filterChips are a filter's links: one for all (labelled by the key all)
// and one per value (labelled by prefix+value), the chosen one current.
// href makes a link's address from its value, "" for all. The page puts
// them in its own labelled nav: {{ template "partials/chips" .Chips }}.
func filterChips(p *Page, all string, values []string, chosen, prefix string, href func(value string) string) []filterChip {
	out := make([]filterChip, 0, 1+len(values))
	out = append(out, filterChip{Label: p.T(all), Href: href(""), Current: chosen == ""})
	for _, v := range values {
		out = append(out, filterChip{Label: p.T(prefix + v), Href: href(v), Current: v == chosen})
	}
	return out
}
