package bankexchange

import (
	"strings"
	"time"
)

// Build writes a statement in the exchange format as a bank sends it:
// lines ending in CRLF, in windows-1251 when Encoding is "Windows", cp866
// when "DOS" and UTF-8 otherwise (saying so in Кодировка), version 1.03
// when Version is empty. Every Document is written with the keys Parse
// reads, Плательщик and Получатель in the «ИНН … name» form banks use
// beside Плательщик1 and Получатель1, and ДатаПоступило and ДатаСписано
// both, one left empty. A header РасчСчет line is written for each of
// Accounts and a СекцияРасчСчет for each of Balances.
//
// So Parse(Build(s)) is s again, Document.Line aside, for a statement
// Parse would take (each document with Номер, Дата and a sum not below
// zero), whose Accounts list the accounts of its Balances, whose text has
// no edge spaces and whose characters the encoding has: a line break
// in a value becomes a space, so no value can add a line of its own, and a
// character the encoding lacks becomes «?».
func Build(s Statement) []byte {
	enc, ok := encodingNamed(s.Encoding)
	if !ok {
		enc = utf8Text
	}
	version := s.Version
	if version == "" {
		version = "1.03"
	}
	w := writer{enc: enc, buf: make([]byte, 0, 512+700*len(s.Documents))}
	w.line("1CClientBankExchange")
	w.pair("ВерсияФормата", version)
	w.pair("Кодировка", enc.name)
	w.pair("Отправитель", s.Sender)
	w.pair("ДатаНачала", day(s.From))
	w.pair("ДатаКонца", day(s.To))
	for _, a := range s.Accounts {
		w.pair("РасчСчет", a)
	}
	for _, b := range s.Balances {
		w.line("СекцияРасчСчет")
		w.pair("ДатаНачала", day(b.From))
		w.pair("ДатаКонца", day(b.To))
		w.pair("РасчСчет", b.Account)
		w.pair("НачальныйОстаток", b.Opening.Plain())
		w.pair("ВсегоПоступило", b.In.Plain())
		w.pair("ВсегоСписано", b.Out.Plain())
		w.pair("КонечныйОстаток", b.Closing.Plain())
		w.line("КонецРасчСчет")
	}
	for _, d := range s.Documents {
		w.pair("СекцияДокумент", d.Kind)
		w.pair("Номер", d.Number)
		w.pair("Дата", day(d.Date))
		w.pair("Сумма", d.Amount.Plain())
		w.pair("ПлательщикСчет", d.PayerAccount)
		w.pair("ДатаСписано", dayOrNone(d.Debited))
		w.pair("Плательщик", withINN(d.PayerINN, d.PayerName))
		w.pair("ПлательщикИНН", d.PayerINN)
		w.pair("Плательщик1", d.PayerName)
		w.pair("ПлательщикКПП", d.PayerKPP)
		w.pair("ПолучательСчет", d.RecipientAccount)
		w.pair("ДатаПоступило", dayOrNone(d.Received))
		w.pair("Получатель", withINN(d.RecipientINN, d.RecipientName))
		w.pair("ПолучательИНН", d.RecipientINN)
		w.pair("Получатель1", d.RecipientName)
		w.pair("НазначениеПлатежа", d.Purpose)
		w.line("КонецДокумента")
	}
	w.line("КонецФайла")
	return w.buf
}

// writer appends the lines of a statement in its encoding.
type writer struct {
	enc textEncoding
	buf []byte
}

func (w *writer) line(s string) {
	w.buf = append(w.enc.encode(w.buf, s), '\r', '\n')
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

func (w *writer) pair(key, value string) {
	w.buf = w.enc.encode(w.buf, key)
	w.buf = append(w.buf, '=')
	w.line(lineBreaks.Replace(value))
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func dayOrNone(t *time.Time) string {
	if t == nil {
		return ""
	}
	return day(*t)
}

// withINN is Плательщик or Получатель as banks write it: «ИНН 7701234567
// ООО Ромашка».
func withINN(inn, name string) string {
	if inn == "" || name == "" {
		return name
	}
	return "ИНН " + inn + " " + name
}
