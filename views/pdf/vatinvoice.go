package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/core"

	"elk/db"
	"elk/db/money"
)

// The pieces of the счёт-фактура form (Приложение № 1 к ПП № 1137) that
// the УПД repeats: the head's lines (1)–(8), the table and the signatures
// of the head and the chief accountant. Sources are listed in upd.go.

// advanceLineFrom is the day from which a счёт-фактура names the advance
// счета-фактуры it offsets (пп. 4 п. 5 ст. 169 НК РФ as of 425-ФЗ): line
// (5б), recommended by ФНС from 01.01.2026 and part of the form from
// 01.04.2026 (ПП № 26 of 23.01.2026).
var advanceLineFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// editionFrom is the day ПП № 26 of 23.01.2026 put the form in its edition.
var editionFrom = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// formNote is the form's reference printed at its top right.
func formNote(issued time.Time) string {
	s := "Приложение № 1 к постановлению Правительства Российской Федерации от 26 декабря 2011 г. № 1137"
	if !issued.Before(editionFrom) {
		s += " (в редакции постановления Правительства Российской Федерации от 23 января 2026 г. № 26)"
	}
	return s
}

// field is a numbered line of the head: «Продавец: … (2)».
type field struct {
	label, value, code string
	labelWidth         int  // millimetres; a short label's by default
	bold               bool // the parties' names stand out
}

// cols lays the line out across width millimetres.
func (f field) cols(width int) []core.Col {
	lw := f.labelWidth
	if lw == 0 {
		lw = 50
	}
	p := formText
	if f.bold {
		p = formBold
	}
	return []core.Col{textCol(lw, f.label+":", formText), filled(width-lw-10, f.value, p), code(10, f.code)}
}

// headFields are the lines (2)–(8): the parties, the payment and shipment
// documents, the currency and the state contract. Consignor and consignee
// (3), (4) are dashes: services are not shipped.
func headFields(d db.ClosingDoc, payment, shipment string) []field {
	f := []field{
		{label: "Продавец", value: d.Supplier.Name, code: "(2)", bold: true},
		{label: "Адрес", value: fill(d.Supplier.Address), code: "(2а)"},
		{label: "ИНН/КПП продавца", value: innKPP(d.Supplier), code: "(2б)"},
		{label: "Грузоотправитель и его адрес", value: dash, code: "(3)"},
		{label: "Грузополучатель и его адрес", value: dash, code: "(4)"},
		{label: "К платёжно-расчётному документу", value: payment, code: "(5)"},
		{label: "Документ об отгрузке", value: shipment, code: "(5а)"},
	}
	if !d.IssuedOn.Before(advanceLineFrom) {
		f = append(f, field{label: "К счёту-фактуре (счетам-фактурам), выставленному (выставленным) при получении оплаты, " +
			"частичной оплаты или иных платежей в счёт предстоящих поставок товаров (выполнения работ, оказания услуг), " +
			"передачи имущественных прав", value: advanceRefs(d.Advances), code: "(5б)", labelWidth: 175})
	}
	return append(f,
		field{label: "Покупатель", value: d.Buyer.Name, code: "(6)", bold: true},
		field{label: "Адрес", value: fill(d.Buyer.Address), code: "(6а)"},
		field{label: "ИНН/КПП покупателя", value: innKPP(d.Buyer), code: "(6б)"},
		field{label: "Валюта: наименование, код", value: "Российский рубль, 643", code: "(7)"},
		field{label: "Идентификатор государственного контракта, договора (соглашения) (при наличии)", value: dash,
			code: "(8)", labelWidth: 100},
	)
}

// advanceRefs are the advance счета-фактуры a document offsets, as line
// (5б) prints them: «№ А-2026-000007 от 18.11.2026; …», a dash for none.
func advanceRefs(refs []db.AdvanceRef) string {
	if len(refs) == 0 {
		return dash
	}
	s := make([]string, len(refs))
	for i, r := range refs {
		s[i] = "№ " + r.Number + " от " + day(r.IssuedOn)
	}
	return strings.Join(s, "; ")
}

// payOrder is a payment order as lines (5) print it: «№ 512 от 28.11.2026».
func payOrder(d db.ClosingDoc) string {
	if d.PaymentID == 0 {
		return dash
	}
	return "№ " + orNoNumber(d.PaymentReference) + " от " + day(d.PaidOn)
}

// orNoNumber is a document's number, «б/н» when it has none.
func orNoNumber(n string) string {
	if n == "" {
		return "б/н"
	}
	return n
}

// innKPP is a party's taxpayer numbers as lines (2б), (6б) print them:
// «ИНН/КПП» of a Russian organisation, the ИНН alone of a sole trader, the
// БИН of a Kazakh buyer, the registration number of another foreign one.
func innKPP(r db.Requisites) string {
	switch {
	case r.INN == "":
		return dash
	case r.Country == "KZ":
		return "БИН " + r.INN
	case !russian(r):
		return "рег. № " + r.INN + " (" + cmp.Or(countryNames[r.Country], r.Country) + ")"
	case r.KPP == "":
		return r.INN
	}
	return r.INN + "/" + r.KPP
}

// namedWithIDs is a party's name with its numbers, as the blocks of
// signatures name the parties: «ООО «ТаксиСофт», ИНН/КПП 7728123459/772801001».
func namedWithIDs(r db.Requisites) string {
	switch {
	case r.INN == "":
		return r.Name
	case !russian(r):
		return r.Name + ", " + innKPP(r)
	case r.KPP == "":
		return r.Name + ", ИНН " + r.INN
	}
	return r.Name + ", ИНН/КПП " + innKPP(r)
}

// vatLabel is the rate as column 7 prints it.
func vatLabel(rate int) string {
	if rate == money.NoVAT {
		return "без НДС"
	}
	return fmt.Sprintf("%d%%", rate)
}

// vatAmount is the tax as column 8 prints it.
func vatAmount(rate int, vat money.Kopecks) string {
	if rate == money.NoVAT {
		return "без НДС"
	}
	return vat.Format()
}

// isSoleTrader tells a Russian sole trader, who signs the счёт-фактура
// himself, by his twelve-digit ИНН.
func isSoleTrader(r db.Requisites) bool {
	return len(r.INN) == 12 && russian(r)
}

// vatInvoiceSigners are the signatures п. 6 ст. 169 НК РФ requires of a
// счёт-фактура, 247 mm wide after lead: the head (or who acts for him by a
// power of attorney) and the chief accountant of an organisation, or the
// sole trader with his ОГРНИП. An organisation without a chief accountant
// has its head keep the books (402-ФЗ ст. 7 ч. 3), so he signs for both.
func vatInvoiceSigners(s db.Requisites, lead func(i int) core.Col) []core.Row {
	head, accountant, trader, ogrn := "", "", "", ""
	if isSoleTrader(s) {
		trader, ogrn = initials(s.Director), s.OGRN
	} else {
		_, name := supplierSigner(s)
		head = initials(name)
		accountant = initials(s.Accountant)
		if accountant == "" {
			accountant = initials(s.Director)
		}
	}
	// Each label takes two lines; the name is written level with the second,
	// on the rule.
	onRule := centered(formText)
	onRule.Top = 3.1
	sign := func(label, name string) []core.Col {
		return []core.Col{textCol(46, label, formText), filled(28, "", onRule), filled(36, name, onRule)}
	}
	under := []core.Col{blank(46), textCol(28, "(подпись)", caption), textCol(36, "(ф.и.о.)", caption)}
	rows := [][]core.Col{
		join(sign("Руководитель организации или иное уполномоченное лицо", head), []core.Col{blank(8)},
			sign("Главный бухгалтер или иное уполномоченное лицо", accountant), []core.Col{blank(19)}),
		join(under, []core.Col{blank(8)}, under, []core.Col{blank(19)}),
		join(sign("Индивидуальный предприниматель или иное уполномоченное лицо", trader),
			[]core.Col{blank(8), filled(110, ogrn, onRule), blank(19)}),
		join(under, []core.Col{blank(8), textCol(110, "(основной государственный регистрационный номер индивидуального "+
			"предпринимателя и дата присвоения такого номера)", caption), blank(19)}),
	}
	if note := proxyNote(s); note != "" {
		rows = slices.Insert(rows, 2, []core.Col{blank(74), textCol(36, note, caption), blank(137)})
	}
	out := make([]core.Row, len(rows))
	for i, cols := range rows {
		out[i] = row.New().Add(append([]core.Col{lead(i)}, cols...)...)
	}
	return out
}

// join puts pieces of a row side by side.
func join(parts ...[]core.Col) []core.Col {
	var out []core.Col
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
