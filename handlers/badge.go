package handlers

// badge is a status as partials/badge shows it: a coloured label, and a
// muted note after it (when a notice was sent, how much of an invoice is
// paid), if any.
type badge struct {
	Class, Text string
	Note        string
}
