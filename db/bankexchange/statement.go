// Package bankexchange reads bank statements in the 1CClientBankExchange
// format («Формат обмена данными 1С:Предприятие с системой "Клиент
// банка"», versions 1.02 and 1.03), which every Russian bank and 1C export.
package bankexchange

import (
	"time"

	"elk/db/money"
)

// Statement is a bank statement: the accounts it covers and its documents.
type Statement struct {
	Version   string // ВерсияФормата
	Encoding  string // Кодировка as found: "Windows", "DOS" or "UTF-8"
	Sender    string // Отправитель
	From, To  time.Time
	Accounts  []string // РасчСчет of each СекцияРасчСчет, and the header's РасчСчет lines
	Documents []Document
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
	Purpose          string     // НазначениеПлатежа, its continuation lines joined
	Received         *time.Time // ДатаПоступило: money in
	Debited          *time.Time // ДатаСписано: money out
}

// Error is a statement that cannot be read, with the line at fault (0 for
// the file as a whole) and why, as a key of the portal's messages
// ("bank.not_statement", "bank.section_open", "bank.bad_amount",
// "bank.bad_date", "bank.bad_encoding", "bank.too_big") and the offending
// text.
type Error struct {
	Line   int
	Reason string
	Text   string
}

func (e *Error) Error() string { return e.Reason }
