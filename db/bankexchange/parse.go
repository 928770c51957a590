package bankexchange

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"elk/db/money"
)

// sniffSize is how much of a statement's beginning tells its encoding:
// the header, where Кодировка stands, is a few hundred bytes.
const sniffSize = 16 << 10

// Parse reads a statement line by line, holding one line and the documents
// read so far. A file that breaks the format is refused whole with an
// *Error naming the line: a payment half read is worse than none. Keys the
// portal has no use for (banks' BIC, the payment's priority, budget codes…)
// are passed over.
func Parse(r io.Reader) (Statement, error) {
	in := bufio.NewReaderSize(r, sniffSize)
	head, err := in.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return Statement{}, fmt.Errorf("bankexchange: read: %w", err)
	}
	p := parser{enc: sniffEncoding(head, err != nil)}
	if bytes.HasPrefix(head, byteOrderMark) {
		_, _ = in.Discard(len(byteOrderMark))
	}
	lines := bufio.NewScanner(in)
	lines.Buffer(make([]byte, 0, 4<<10), MaxLine+len("\r\n"))
	for !p.ended && lines.Scan() {
		p.line++
		if err := p.take(p.enc.decode(lines.Bytes())); err != nil {
			return Statement{}, err
		}
	}
	if err := lines.Err(); errors.Is(err, bufio.ErrTooLong) {
		return Statement{}, &Error{Line: p.line + 1, Reason: "bank.line_too_long"}
	} else if err != nil {
		return Statement{}, fmt.Errorf("bankexchange: read: %w", err)
	}
	return p.finish()
}

// section is the part of the file a line belongs to.
type section int

const (
	inHeader section = iota
	inAccount
	inDocument
)

// parser is the state of a statement being read.
type parser struct {
	enc   textEncoding
	line  int
	ended bool // КонецФайла is read
	st    Statement

	section     section
	sectionLine int    // where the open section starts
	sectionText string // and its first line, for the message
	balance     Balance
	doc         document
}

func (p *parser) fail(reason, text string) error {
	return &Error{Line: p.line, Reason: reason, Text: clip(text)}
}

// take reads one line of the file.
func (p *parser) take(text string) error {
	text = strings.TrimSpace(text)
	if p.line == 1 {
		if text != "1CClientBankExchange" {
			return p.fail("bank.not_statement", text)
		}
		return nil
	}
	if text == "" {
		return nil
	}
	key, value, isPair := strings.Cut(text, "=")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	switch key {
	case "СекцияРасчСчет":
		return p.open(inAccount, text)
	case "СекцияДокумент":
		return p.open(inDocument, text)
	case "КонецРасчСчет":
		return p.close(inAccount, text)
	case "КонецДокумента":
		return p.close(inDocument, text)
	case "КонецФайла":
		if p.section != inHeader {
			return p.unclosed()
		}
		p.ended = true
		return nil
	}
	if !isPair {
		return p.fail("bank.bad_line", text)
	}
	switch p.section {
	case inAccount:
		return p.takeBalance(key, value)
	case inDocument:
		return p.takeDocument(key, value)
	}
	return p.takeHeader(key, value)
}

// unclosed is the error of the open section, met by a line it cannot hold.
func (p *parser) unclosed() error {
	return &Error{Line: p.sectionLine, Reason: "bank.section_open", Text: clip(p.sectionText)}
}

func (p *parser) open(s section, text string) error {
	if p.section != inHeader {
		return p.unclosed()
	}
	switch s {
	case inAccount:
		if len(p.st.Balances) == MaxAccounts {
			return p.fail("bank.too_big", text)
		}
		p.balance = Balance{}
	case inDocument:
		if len(p.st.Documents) == MaxDocuments {
			return p.fail("bank.too_big", text)
		}
		_, kind, _ := strings.Cut(text, "=")
		p.doc = document{Document: Document{Line: p.line, Kind: strings.TrimSpace(kind)}}
	}
	p.section, p.sectionLine, p.sectionText = s, p.line, text
	return nil
}

func (p *parser) close(s section, text string) error {
	switch {
	case p.section == inHeader:
		return p.fail("bank.section_not_open", text)
	case p.section != s:
		return p.unclosed()
	}
	p.section = inHeader
	if s == inAccount {
		p.st.Balances = append(p.st.Balances, p.balance)
		return p.addAccount(p.balance.Account)
	}
	doc, missing := p.doc.finish()
	if missing != "" {
		return &Error{Line: p.sectionLine, Reason: "bank.missing_field", Text: missing}
	}
	p.st.Documents = append(p.st.Documents, doc)
	return nil
}

func (p *parser) takeHeader(key, value string) error {
	switch key {
	case "ВерсияФормата":
		p.st.Version = value
	case "Кодировка":
		named, ok := encodingNamed(value)
		if !ok || (named == utf8Text && p.enc != utf8Text) {
			return p.fail("bank.bad_encoding", value)
		}
	case "Отправитель":
		p.st.Sender = value
	case "ДатаНачала":
		return p.date(&p.st.From, value)
	case "ДатаКонца":
		return p.date(&p.st.To, value)
	case "РасчСчет":
		return p.addAccount(value)
	}
	return nil
}

func (p *parser) takeBalance(key, value string) error {
	b := &p.balance
	amount, read := (*money.Kopecks)(nil), parseSum
	switch key {
	case "РасчСчет":
		b.Account = value
		return nil
	case "ДатаНачала":
		return p.date(&b.From, value)
	case "ДатаКонца":
		return p.date(&b.To, value)
	case "НачальныйОстаток":
		amount, read = &b.Opening, parseBalance
	case "КонечныйОстаток":
		amount, read = &b.Closing, parseBalance
	case "ВсегоПоступило":
		amount = &b.In
	case "ВсегоСписано":
		amount = &b.Out
	default:
		return nil
	}
	if value == "" {
		return nil // some banks leave a turnover of nothing empty
	}
	k, ok := read(value)
	if !ok {
		return p.fail("bank.bad_amount", value)
	}
	*amount = k
	return nil
}

// date reads a date of the header or of an account section, where an
// empty one is no date.
func (p *parser) date(dst *time.Time, value string) error {
	if value == "" {
		return nil
	}
	t, ok := parseDate(value)
	if !ok {
		return p.fail("bank.bad_date", value)
	}
	*dst = t
	return nil
}

// addAccount lists an account once, in the order first met.
func (p *parser) addAccount(account string) error {
	if account == "" {
		return nil
	}
	for _, a := range p.st.Accounts {
		if a == account {
			return nil
		}
	}
	if len(p.st.Accounts) == MaxAccounts {
		return p.fail("bank.too_big", account)
	}
	p.st.Accounts = append(p.st.Accounts, account)
	return nil
}

// finish checks the file is complete once its lines are read.
func (p *parser) finish() (Statement, error) {
	switch {
	case p.line == 0:
		return Statement{}, &Error{Line: 1, Reason: "bank.not_statement"}
	case p.section != inHeader:
		return Statement{}, p.unclosed()
	case !p.ended:
		return Statement{}, p.fail("bank.no_file_end", "")
	}
	p.st.Encoding = p.enc.name
	return p.st, nil
}

// clip shortens text quoted in a message.
func clip(s string) string {
	const most = 100
	if utf8.RuneCountInString(s) <= most {
		return s
	}
	return string([]rune(s)[:most]) + "…"
}
