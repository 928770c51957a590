package pdf

import (
	"cmp"
	"strings"
	"time"

	"elk/db"
	"elk/db/money"
)

// countryNames are the countries a buyer may come from, by the full names
// of the Общероссийский классификатор стран мира (ОК 025-2001, ОКСМ).
var countryNames = map[string]string{
	"RU": "Российская Федерация", "BY": "Республика Беларусь", "KZ": "Республика Казахстан",
	"UZ": "Республика Узбекистан", "KG": "Киргизская Республика", "AM": "Республика Армения",
	"AZ": "Республика Азербайджан", "GE": "Грузия", "TJ": "Республика Таджикистан", "MD": "Республика Молдова",
}

// russian tells a Russian party; documents stored before countries were
// kept have none, and were all Russian.
func russian(r db.Requisites) bool { return r.Country == "RU" || r.Country == "" }

// taxIDs are a party's numbers as its country names them: the ИНН and КПП
// in Russia, the БИН in Kazakhstan, a registration number elsewhere. A
// number not given is left out, never printed as an empty label.
func taxIDs(r db.Requisites) []string {
	var out []string
	add := func(label, number string) {
		if number != "" {
			out = append(out, label+" "+number)
		}
	}
	switch {
	case russian(r):
		add("ИНН", r.INN)
		add("КПП", r.KPP)
	case r.Country == "KZ":
		add("БИН", r.INN)
	default:
		add("Рег. номер", r.INN)
	}
	return out
}

// place is a party's address, led by its country's name for a foreign one
// (unless the address names it already).
func place(r db.Requisites) string {
	country := cmp.Or(countryNames[r.Country], r.Country)
	switch {
	case russian(r):
		return r.Address
	case r.Address == "":
		return country
	case strings.Contains(r.Address, country):
		return r.Address
	}
	return country + ", " + r.Address
}

// contractRef is the buyer's contract as «№ ЕЛК-7/2025 от 15.01.2025»;
// "" when it has none.
func contractRef(r db.Requisites) string {
	if r.Contract == nil || r.Contract.Number == "" {
		return ""
	}
	return numberAndDate(r.Contract.Number, r.Contract.Date)
}

// numberAndDate writes a document's reference, «№ 12 от 09.01.2026».
func numberAndDate(number string, date *time.Time) string {
	if date == nil {
		return "№ " + number
	}
	return "№ " + number + " от " + date.Format("02.01.2006")
}

// basisLine is the contract a document is issued under, «Договор № … от …»,
// as B2B documents name their basis; "" when the buyer has no contract.
func basisLine(r db.Requisites) string {
	if ref := contractRef(r); ref != "" {
		return "Договор " + ref
	}
	return ""
}

// vatReason is why a buyer pays no VAT (a buyer in another EAEU state, for
// one), printed under «Без НДС»; "" when VAT is charged or no reason is set.
func vatReason(rate int, buyer db.Requisites) string {
	if rate != money.NoVAT {
		return ""
	}
	return buyer.VATReason
}
