package bankexchange

import (
	"strings"
	"time"
)

// document is a document being read: the lines that make one field are
// kept until its end.
type document struct {
	Document
	hasDate, hasAmount    bool
	payer, payer1         string // Плательщик, Плательщик1
	recipient, recipient1 string // Получатель, Получатель1
	purpose               string
	purposeLines          [6]string // НазначениеПлатежа1…6
}

// takeDocument reads a line of a СекцияДокумент.
func (p *parser) takeDocument(key, value string) error {
	d := &p.doc
	switch key {
	case "Номер":
		d.Number = value
	case "Дата":
		t, ok := parseDate(value)
		if !ok {
			return p.fail("bank.bad_date", value)
		}
		d.Date, d.hasDate = t, true
	case "Сумма":
		k, ok := parseSum(value)
		if !ok {
			return p.fail("bank.bad_amount", value)
		}
		d.Amount, d.hasAmount = k, true
	case "ПлательщикСчет":
		d.PayerAccount = value
	case "ПлательщикИНН":
		d.PayerINN = value
	case "ПлательщикКПП":
		d.PayerKPP = value
	case "Плательщик":
		d.payer = value
	case "Плательщик1":
		d.payer1 = value
	case "ПолучательСчет":
		d.RecipientAccount = value
	case "ПолучательИНН":
		d.RecipientINN = value
	case "Получатель":
		d.recipient = value
	case "Получатель1":
		d.recipient1 = value
	case "НазначениеПлатежа":
		d.purpose = value
	case "НазначениеПлатежа1", "НазначениеПлатежа2", "НазначениеПлатежа3",
		"НазначениеПлатежа4", "НазначениеПлатежа5", "НазначениеПлатежа6":
		d.purposeLines[key[len(key)-1]-'1'] = value
	case "ДатаПоступило":
		return p.dayOf(&d.Received, value)
	case "ДатаСписано":
		return p.dayOf(&d.Debited, value)
	}
	return nil
}

// dayOf reads ДатаПоступило or ДатаСписано: banks write both keys and
// leave the one that did not happen empty.
func (p *parser) dayOf(dst **time.Time, value string) error {
	if value == "" {
		*dst = nil
		return nil
	}
	var t time.Time
	if err := p.date(&t, value); err != nil {
		return err
	}
	*dst = &t
	return nil
}

// finish gives the document read, or the name of a key it lacks.
//
// Плательщик is often «ИНН 7701234567 ООО Ромашка» while Плательщик1 is
// the name alone, so the latter wins; the same for Получатель.
// НазначениеПлатежа is the purpose in one line and НазначениеПлатежа1…6 the
// same purpose cut into the lines of the paper form, so banks that write
// both write it twice: the one line wins, the cut lines are joined only
// when it is missing.
func (d *document) finish() (Document, string) {
	switch {
	case d.Number == "":
		return Document{}, "Номер"
	case !d.hasDate:
		return Document{}, "Дата"
	case !d.hasAmount:
		return Document{}, "Сумма"
	}
	doc := d.Document
	doc.PayerName = firstOf(d.payer1, d.payer)
	doc.RecipientName = firstOf(d.recipient1, d.recipient)
	doc.Purpose = d.purpose
	if doc.Purpose == "" {
		var parts []string
		for _, line := range d.purposeLines {
			if line != "" {
				parts = append(parts, line)
			}
		}
		doc.Purpose = strings.Join(parts, " ")
	}
	return doc, ""
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
