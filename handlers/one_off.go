package handlers

import "strconv"

// oneOffCard is what partials/one_off takes: the offer of a one-off support
// request, ready to print.
type oneOffCard struct {
	*Page
	Price   string
	Action  string // where the purchase is posted
	Key     string // the purchase form's idempotency key
	Confirm string
	Error   string // why the purchase failed; "" when it did not
	// TopUp leads to the Документы tab, where the balance is topped up with
	// an invoice: who may create one is told to, anyone else whom to ask.
	TopUp string
}

// OneOffCard prepares the card of an offer; errKey is the translation key
// of why buying failed, "" for none:
// {{ with .OneOff }}{{ template "partials/one_off" ($.OneOffCard . $.OneOffError) }}{{ end }}.
func (p *Page) OneOffCard(o *oneOffOffer, errKey string) oneOffCard {
	price := o.Tariff.Price.String()
	card := oneOffCard{Page: p, Price: price, Action: "/services/" + strconv.FormatInt(o.Service.ID, 10) + "/one-off",
		Key: o.Key, Confirm: p.T("services.one_off_confirm", price)}
	switch errKey {
	case "services.insufficient":
		card.Error = p.T(errKey, o.Missing.String())
		card.TopUp = p.T("services.top_up_ask")
		if p.may("POST /documents") {
			card.TopUp = p.T("services.top_up")
		}
	case "services.one_off_open":
		card.Error = p.T(errKey, p.Day(o.Until))
	}
	return card
}
