package handlers

// emptyState is what a list without rows says (partials/empty_state): that
// there is nothing yet or, when a filter is on, that nothing matches it,
// with a link to the list without its filter. A newcomer told «Документов
// нет» under a forgotten filter believes there are none.
type emptyState struct {
	Text       string
	Reset      string // the list's address without its filter; "" when none is on
	ResetLabel string
}

// emptyList is what an empty list says: the words of none, or, when a
// filter is on, that nothing matches it, with reset to take the filter off.
func emptyList(p *Page, none string, filtered bool, reset string) emptyState {
	if !filtered {
		return emptyState{Text: p.T(none)}
	}
	return emptyState{Text: p.T("filter.nothing_matches"), Reset: reset, ResetLabel: p.T("filter.reset")}
}

// periodFix stands in for a list whose period cannot be used (an end before
// its start, a malformed day): no list rather than one for another period.
// What is wrong is said once, beside the period's inputs.
func periodFix(p *Page, reset string) emptyState {
	return emptyState{Text: p.T("period.fix"), Reset: reset, ResetLabel: p.T("filter.reset")}
}
