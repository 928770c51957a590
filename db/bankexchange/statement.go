// Package bankexchange reads bank statements in the 1CClientBankExchange
// format («Формат обмена данными 1С:Предприятие с системой "Клиент
// банка"», versions 1.02 and 1.03), which every Russian bank and 1C export.
//
// The format is described by 1C at
// https://v8.1c.ru/tekhnologii/obmen-dannymi-i-integratsiya/standarty-i-formaty/standart-obmena-s-sistemami-klient-banka/formaty-obmena/
// (the table of version 1.03, with its changes from 1.02, at
// http://v8.1c.ru/edi/edi_stnd/100/101.htm): a text file of «Ключ=Значение»
// lines that opens with «1CClientBankExchange», a header, sections
// «СекцияРасчСчет»…«КонецРасчСчет» with an account's balances,
// «СекцияДокумент=<вид>»…«КонецДокумента» with one payment document each,
// and «КонецФайла».
package bankexchange

import (
	"time"

	"elk/db/money"
)

// Limits that keep a statement's reading bounded in memory and time.
const (
	MaxLine      = 64 << 10 // bytes in one line
	MaxDocuments = 100_000  // documents in one statement
	MaxAccounts  = 1_000    // accounts, and account sections, in one statement
)

// Statement is a bank statement: the accounts it covers and its documents.
type Statement struct {
	Version   string // ВерсияФормата
	Encoding  string // the encoding the file was read in: "Windows", "DOS" or "UTF-8"
	Sender    string // Отправитель
	From, To  time.Time
	Accounts  []string // РасчСчет of each СекцияРасчСчет, and the header's РасчСчет lines
	Balances  []Balance
	Documents []Document
}

// Balance is one СекцияРасчСчет: an account's balances and turnovers over
// a period, as the bank counts them.
type Balance struct {
	Account  string    // РасчСчет
	From, To time.Time // ДатаНачала, ДатаКонца
	Opening  money.Kopecks
	In, Out  money.Kopecks // ВсегоПоступило, ВсегоСписано
	Closing  money.Kopecks // КонечныйОстаток
}

// Document is one payment document of a statement (СекцияДокумент).
type Document struct {
	Line             int    // the line its section starts on, for messages
	Kind             string // СекцияДокумент: «Платежное поручение», «Банковский ордер»…
	Number           string
	Date             time.Time
	Amount           money.Kopecks
	PayerAccount     string // ПлательщикСчет
	PayerINN         string
	PayerKPP         string
	PayerName        string // Плательщик1, else Плательщик
	RecipientAccount string // ПолучательСчет
	RecipientINN     string
	RecipientName    string     // Получатель1, else Получатель
	Purpose          string     // НазначениеПлатежа, else its lines НазначениеПлатежа1…6 joined
	Received         *time.Time // ДатаПоступило: money in
	Debited          *time.Time // ДатаСписано: money out
}

// Error is a statement that cannot be read, with the line at fault and why,
// as a key of the portal's messages, and the offending text (cut short):
//
//   - "bank.not_statement": line 1 is not «1CClientBankExchange»;
//   - "bank.bad_encoding": Кодировка names no known encoding, or UTF-8 for
//     bytes that are not;
//   - "bank.section_open": a section not closed before the next one or the
//     end of the file; the line is where it starts;
//   - "bank.section_not_open": an end of a section that was not begun;
//   - "bank.missing_field": a document without Номер, Дата or Сумма (the
//     text names it); the line is where the document starts;
//   - "bank.bad_amount": a sum that is empty, negative or not a number;
//   - "bank.bad_date": a date not written ДД.ММ.ГГГГ;
//   - "bank.bad_line": a line that is neither «Ключ=Значение» nor a section
//     mark;
//   - "bank.line_too_long": a line longer than MaxLine;
//   - "bank.too_big": more than MaxDocuments documents or MaxAccounts
//     accounts;
//   - "bank.no_file_end": the file stops before КонецФайла (a download cut
//     short); the line is its last.
type Error struct {
	Line   int
	Reason string
	Text   string
}

func (e *Error) Error() string { return e.Reason }
