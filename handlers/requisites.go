package handlers

import "elk/db"

// taxIDLabel is one kind of a company's tax number, shown for the
// countries its rule (data-when) names.
type taxIDLabel struct {
	When string // "country=KZ"
	Key  string // the label's translation key; its hint is Key+"_hint"
}

// taxIDLabels are the kinds of the tax number: the ИНН in Russia, the БИН
// in Kazakhstan, a registration number elsewhere.
var taxIDLabels = []taxIDLabel{
	{"country=RU", "company.inn"},
	{"country=KZ", "company.bin"},
	{"country!=RU,KZ", "company.reg_number"},
}

// TaxIDLabels are the tax number's labels, of which the form shows the
// one of the country chosen.
func (companyForm) TaxIDLabels() []taxIDLabel { return taxIDLabels }

// taxIDKey is the translation key of the tax number's name in a country;
// documents stored before countries were kept have none and are Russian.
func taxIDKey(country string) string {
	switch country {
	case "RU", "":
		return "company.inn"
	case "KZ":
		return "company.bin"
	}
	return "company.reg_number"
}

// TaxIDLabel names a company's tax number as its country does: ИНН, БИН,
// or a registration number.
func (p *Page) TaxIDLabel(country string) string { return p.T(taxIDKey(country)) }

// Contract writes a contract as «№ ЕЛК-7/2025 от 15.01.2025».
func (p *Page) Contract(c db.Contract) string {
	if c.Date == nil {
		return p.T("company.contract_no", c.Number)
	}
	return p.T("company.contract_of", c.Number, p.Day(*c.Date))
}
