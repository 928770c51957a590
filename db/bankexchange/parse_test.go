package bankexchange_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"golang.org/x/text/encoding/charmap"

	"elk/db/bankexchange"
	"elk/db/money"
)

// A statement's dates in these tests are its own, as a bank wrote them.
func day(s string) time.Time {
	t, err := time.Parse("02.01.2006", s)
	if err != nil {
		panic(err)
	}
	return t
}

func dayPtr(s string) *time.Time {
	t := day(s)
	return &t
}

// sampleText is a statement as 1C and banks write one: two accounts, a
// payment in, a payment out with its purpose cut into lines, a bank's own
// order, and keys the portal passes over.
func sampleText(version, encoding string) []string {
	return []string{
		"1CClientBankExchange",
		"ВерсияФормата=" + version,
		"Кодировка=" + encoding,
		"Отправитель=Бухгалтерия предприятия, редакция 3.0",
		"Получатель=",
		"ДатаСоздания=05.12.2026",
		"ВремяСоздания=09:15:02",
		"ДатаНачала=01.12.2026",
		"ДатаКонца=04.12.2026",
		"РасчСчет=40702810900000012345",
		"Документ=Платежное поручение",
		"Документ=Банковский ордер",
		"СекцияРасчСчет",
		"ДатаНачала=01.12.2026",
		"ДатаКонца=04.12.2026",
		"РасчСчет=40702810900000012345",
		"НачальныйОстаток=100000.00",
		"ВсегоПоступило=12345.67",
		"ВсегоСписано=2500",
		"КонечныйОстаток=109845.67",
		"КонецРасчСчет",
		"СекцияРасчСчет",
		"ДатаНачала=01.12.2026",
		"ДатаКонца=04.12.2026",
		"РасчСчет=40702810200000067890",
		"НачальныйОстаток=-150,00",
		"ВсегоПоступило=2654,8",
		"ВсегоСписано=",
		"КонечныйОстаток=2504.80",
		"КонецРасчСчет",
		"СекцияДокумент=Платежное поручение", // line 31
		"Номер=123",
		"Дата=02.12.2026",
		"Сумма=12345.67",
		"ПлательщикСчет=40702810400000011111",
		"ДатаСписано=",
		`Плательщик=ИНН 7701234567 ООО "Ромашка"`,
		"ПлательщикИНН=7701234567",
		`Плательщик1=ООО "Ромашка"`,
		"ПлательщикРасчСчет=40702810400000011111",
		"ПлательщикБанк1=ПАО СБЕРБАНК",
		"ПлательщикБИК=044525225",
		"ПлательщикКорсчет=30101810400000000225",
		"ПлательщикКПП=770101001",
		"ПолучательСчет=40702810900000012345",
		"ДатаПоступило=03.12.2026",
		`Получатель=ИНН 7709876543 ООО "Вендор"`,
		"ПолучательИНН=7709876543",
		`Получатель1=ООО "Вендор"`,
		"ПолучательКПП=770901001",
		"ВидОплаты=01",
		"Очередность=5",
		"НазначениеПлатежа=Оплата по счёту № 2026-000123 от 01.12.2026 за услуги связи. В т.ч. НДС (20%) 2057-61",
		"НазначениеПлатежа1=Оплата по счёту № 2026-000123 от 01.12.2026 за услуги связи.",
		"НазначениеПлатежа2=В т.ч. НДС (20%) 2057-61",
		"КонецДокумента",
		"СекцияДокумент=Платежное поручение", // line 57
		"Номер=77",
		"Дата=03.12.2026",
		"Сумма=2500",
		"ПлательщикСчет=40702810900000012345",
		"ДатаСписано=03.12.2026",
		`Плательщик=ООО "Вендор"`,
		"ПлательщикИНН=7709876543",
		"ПолучательСчет=40702810500000022222",
		"ДатаПоступило=",
		`Получатель=ИНН 7705555555 АО "Аренда"`,
		"ПолучательИНН=7705555555",
		"НазначениеПлатежа=",
		"НазначениеПлатежа3=Без НДС",
		"НазначениеПлатежа1=Аренда офиса за декабрь 2026",
		"НазначениеПлатежа2=по договору № 5-А от 01.01.2026.",
		"КонецДокумента",
		"",
		"СекцияДокумент=Банковский ордер", // line 75
		"Номер=9001",
		"Дата=04.12.2026",
		"Сумма=2654,8",
		"ПлательщикСчет=30232810000000000001",
		"Плательщик1=ПАО СБЕРБАНК",
		"ПолучательСчет=40702810200000067890",
		"ДатаПоступило=04.12.2026",
		`Получатель1=ООО "Вендор"`,
		"ПолучательИНН=7709876543",
		"НазначениеПлатежа=Возмещение по операциям эквайринга за 03.12.2026",
		"КонецДокумента",
		"КонецФайла",
	}
}

func sampleStatement(version, encoding string) bankexchange.Statement {
	return bankexchange.Statement{
		Version:  version,
		Encoding: encoding,
		Sender:   "Бухгалтерия предприятия, редакция 3.0",
		From:     day("01.12.2026"),
		To:       day("04.12.2026"),
		Accounts: []string{"40702810900000012345", "40702810200000067890"},
		Balances: []bankexchange.Balance{
			{Account: "40702810900000012345", From: day("01.12.2026"), To: day("04.12.2026"),
				Opening: 10_000_000, In: 1_234_567, Out: 250_000, Closing: 10_984_567},
			{Account: "40702810200000067890", From: day("01.12.2026"), To: day("04.12.2026"),
				Opening: -15_000, In: 265_480, Closing: 250_480},
		},
		Documents: []bankexchange.Document{{
			Line: 31, Kind: "Платежное поручение", Number: "123", Date: day("02.12.2026"), Amount: 1_234_567,
			PayerAccount: "40702810400000011111", PayerINN: "7701234567", PayerKPP: "770101001", PayerName: `ООО "Ромашка"`,
			RecipientAccount: "40702810900000012345", RecipientINN: "7709876543", RecipientName: `ООО "Вендор"`,
			Purpose:  "Оплата по счёту № 2026-000123 от 01.12.2026 за услуги связи. В т.ч. НДС (20%) 2057-61",
			Received: dayPtr("03.12.2026"),
		}, {
			Line: 57, Kind: "Платежное поручение", Number: "77", Date: day("03.12.2026"), Amount: 250_000,
			PayerAccount: "40702810900000012345", PayerINN: "7709876543", PayerName: `ООО "Вендор"`,
			RecipientAccount: "40702810500000022222", RecipientINN: "7705555555", RecipientName: `ИНН 7705555555 АО "Аренда"`,
			Purpose: "Аренда офиса за декабрь 2026 по договору № 5-А от 01.01.2026. Без НДС",
			Debited: dayPtr("03.12.2026"),
		}, {
			Line: 75, Kind: "Банковский ордер", Number: "9001", Date: day("04.12.2026"), Amount: 265_480,
			PayerAccount: "30232810000000000001", PayerName: "ПАО СБЕРБАНК",
			RecipientAccount: "40702810200000067890", RecipientINN: "7709876543", RecipientName: `ООО "Вендор"`,
			Purpose:  "Возмещение по операциям эквайринга за 03.12.2026",
			Received: dayPtr("04.12.2026"),
		}},
	}
}

func in1251(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func in866(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.CodePage866.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func inUTF8(_ testing.TB, s string) []byte { return []byte(s) }

func withBOM(_ testing.TB, s string) []byte { return append([]byte("\uFEFF"), s...) }

func TestParseReadsEveryEncodingAndVersion(t *testing.T) {
	for _, c := range []struct {
		name, version, label, eol string
		bytes                     func(testing.TB, string) []byte
		want                      string
	}{
		{"1.02 windows-1251 CRLF", "1.02", "Windows", "\r\n", in1251, "Windows"},
		{"1.03 windows-1251 LF", "1.03", "Windows", "\n", in1251, "Windows"},
		{"1.03 cp866", "1.03", "DOS", "\r\n", in866, "DOS"},
		{"1.02 cp866 LF", "1.02", "dos", "\n", in866, "DOS"},
		{"1.03 UTF-8 said so", "1.03", "UTF-8", "\n", inUTF8, "UTF-8"},
		{"1.02 UTF-8 marked Windows", "1.02", "Windows", "\r\n", inUTF8, "UTF-8"},
		{"1.03 UTF-8 with a byte order mark", "1.03", "Windows", "\r\n", withBOM, "UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Join(sampleText(c.version, c.label), c.eol) + c.eol
			got, err := bankexchange.Parse(bytes.NewReader(c.bytes(t, text)))
			if err != nil {
				t.Fatalf("Parse: %#v", err)
			}
			if want := sampleStatement(c.version, c.want); !reflect.DeepEqual(got, want) {
				t.Errorf("Parse gave\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestParseReadsSums(t *testing.T) {
	for sum, want := range map[string]money.Kopecks{
		"12345.67": 1_234_567, "12345,67": 1_234_567, "12345": 1_234_500, "0.5": 50, "0": 0,
		"007.05": 705, "9999999999999.99": 999_999_999_999_999,
	} {
		text := strings.Join([]string{"1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows",
			"СекцияДокумент=Платежное поручение", "Номер=1", "Дата=02.12.2026", "Сумма=" + sum,
			"КонецДокумента", "КонецФайла"}, "\r\n")
		st, err := bankexchange.Parse(bytes.NewReader(in1251(t, text)))
		if err != nil {
			t.Errorf("Сумма=%s: %#v", sum, err)
			continue
		}
		if got := st.Documents[0].Amount; got != want {
			t.Errorf("Сумма=%s gave %d kopecks, want %d", sum, got, want)
		}
	}
}

// header is the start of the broken statements below; their own lines
// start at line 4.
var header = []string{"1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows"}

// payment is a whole document with fields changed («Сумма=1»), added or
// dropped («Сумма»).
func payment(change ...string) []string {
	fields := []string{"СекцияДокумент=Платежное поручение", "Номер=123", "Дата=02.12.2026", "Сумма=100.00",
		"ПлательщикИНН=7701234567", "НазначениеПлатежа=Оплата по счёту 123", "КонецДокумента"}
	for _, c := range change {
		key, _, set := strings.Cut(c, "=")
		i := slices.IndexFunc(fields, func(f string) bool {
			k, _, _ := strings.Cut(f, "=")
			return k == key
		})
		switch {
		case i < 0 && set:
			fields = slices.Insert(fields, len(fields)-1, c)
		case i < 0:
			panic("no field " + key)
		case set:
			fields[i] = c
		default:
			fields = slices.Delete(fields, i, i+1)
		}
	}
	return fields
}

func joined(parts ...[]string) string {
	var all []string
	for _, p := range parts {
		all = append(all, p...)
	}
	return strings.Join(all, "\r\n") + "\r\n"
}

func TestParseNamesTheLineOfABrokenStatement(t *testing.T) {
	end := []string{"КонецФайла"}
	for _, c := range []struct {
		name string
		text string
		want bankexchange.Error
	}{
		{"empty file", "", bankexchange.Error{Line: 1, Reason: "bank.not_statement"}},
		{"a web page", "<html><body>Выписка</body></html>\r\n",
			bankexchange.Error{Line: 1, Reason: "bank.not_statement", Text: "<html><body>Выписка</body></html>"}},
		{"a blank first line", "\r\n" + joined(header, end), bankexchange.Error{Line: 1, Reason: "bank.not_statement"}},
		{"an unknown encoding", joined(header[:2], []string{"Кодировка=KOI8-R"}, end),
			bankexchange.Error{Line: 3, Reason: "bank.bad_encoding", Text: "KOI8-R"}},
		{"a document not closed before the next", joined(header, payment("КонецДокумента"), payment(), end),
			bankexchange.Error{Line: 4, Reason: "bank.section_open", Text: "СекцияДокумент=Платежное поручение"}},
		{"a document not closed before the file's end", joined(header, payment(), payment("КонецДокумента"), end),
			bankexchange.Error{Line: 11, Reason: "bank.section_open", Text: "СекцияДокумент=Платежное поручение"}},
		{"a document cut off", joined(header, payment(), payment("КонецДокумента")),
			bankexchange.Error{Line: 11, Reason: "bank.section_open", Text: "СекцияДокумент=Платежное поручение"}},
		{"an account section not closed", joined(header, []string{"СекцияРасчСчет", "РасчСчет=40702810900000012345"}, payment(), end),
			bankexchange.Error{Line: 4, Reason: "bank.section_open", Text: "СекцияРасчСчет"}},
		{"an account section closing a document", joined(header, payment("КонецДокумента"), []string{"КонецРасчСчет"}, end),
			bankexchange.Error{Line: 4, Reason: "bank.section_open", Text: "СекцияДокумент=Платежное поручение"}},
		{"an end without a start", joined(header, payment(), payment("СекцияДокумент"), end),
			bankexchange.Error{Line: 16, Reason: "bank.section_not_open", Text: "КонецДокумента"}},
		{"a sum with a letter", joined(header, payment(), payment("Сумма=12a"), end),
			bankexchange.Error{Line: 14, Reason: "bank.bad_amount", Text: "12a"}},
		{"a negative sum", joined(header, payment("Сумма=-100.00"), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount", Text: "-100.00"}},
		{"an empty sum", joined(header, payment("Сумма="), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount"}},
		{"three decimals", joined(header, payment("Сумма=1.234"), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount", Text: "1.234"}},
		{"a spaced sum", joined(header, payment("Сумма=1 000.00"), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount", Text: "1 000.00"}},
		{"an exponent", joined(header, payment("Сумма=1e3"), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount", Text: "1e3"}},
		{"a dot and nothing", joined(header, payment("Сумма=12."), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount", Text: "12."}},
		{"a sum beyond any account", joined(header, payment("Сумма=99999999999999"), end),
			bankexchange.Error{Line: 7, Reason: "bank.bad_amount", Text: "99999999999999"}},
		{"a bad turnover", joined(header, []string{"СекцияРасчСчет", "ВсегоПоступило=сто", "КонецРасчСчет"}, end),
			bankexchange.Error{Line: 5, Reason: "bank.bad_amount", Text: "сто"}},
		{"a negative turnover", joined(header, []string{"СекцияРасчСчет", "ВсегоСписано=-5.00", "КонецРасчСчет"}, end),
			bankexchange.Error{Line: 5, Reason: "bank.bad_amount", Text: "-5.00"}},
		{"a day that does not exist", joined(header, payment("Дата=31.11.2026"), end),
			bankexchange.Error{Line: 6, Reason: "bank.bad_date", Text: "31.11.2026"}},
		{"an empty date", joined(header, payment("Дата="), end),
			bankexchange.Error{Line: 6, Reason: "bank.bad_date"}},
		{"a date written the ISO way", joined(header, payment("ДатаПоступило=2026-12-03"), end),
			bankexchange.Error{Line: 10, Reason: "bank.bad_date", Text: "2026-12-03"}},
		{"a header date of one digit", joined(header, []string{"ДатаНачала=1.12.2026"}, end),
			bankexchange.Error{Line: 4, Reason: "bank.bad_date", Text: "1.12.2026"}},
		{"no sum", joined(header, payment(), payment("Сумма"), end),
			bankexchange.Error{Line: 11, Reason: "bank.missing_field", Text: "Сумма"}},
		{"no number", joined(header, payment("Номер"), end),
			bankexchange.Error{Line: 4, Reason: "bank.missing_field", Text: "Номер"}},
		{"an empty number", joined(header, payment("Номер="), end),
			bankexchange.Error{Line: 4, Reason: "bank.missing_field", Text: "Номер"}},
		{"no date", joined(header, payment("Дата"), end),
			bankexchange.Error{Line: 4, Reason: "bank.missing_field", Text: "Дата"}},
		{"a line of no key", joined(header, payment(), []string{"Оплата по счёту 5"}, end),
			bankexchange.Error{Line: 11, Reason: "bank.bad_line", Text: "Оплата по счёту 5"}},
		{"no end of file", joined(header, payment()),
			bankexchange.Error{Line: 10, Reason: "bank.no_file_end"}},
		{"a line too long", joined(header, payment("НазначениеПлатежа="+strings.Repeat("я", bankexchange.MaxLine)), end),
			bankexchange.Error{Line: 9, Reason: "bank.line_too_long"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := bankexchange.Parse(bytes.NewReader(in1251(t, c.text)))
			var got *bankexchange.Error
			if !errors.As(err, &got) {
				t.Fatalf("Parse gave %v, want %+v", err, c.want)
			}
			if *got != c.want {
				t.Errorf("Parse gave %+v, want %+v", *got, c.want)
			}
		})
	}
}

func TestParseRefusesUTF8SaidOfOtherBytes(t *testing.T) {
	text := joined([]string{"1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=UTF-8"}, payment(), []string{"КонецФайла"})
	_, err := bankexchange.Parse(bytes.NewReader(in1251(t, text)))
	var got *bankexchange.Error
	if !errors.As(err, &got) || *got != (bankexchange.Error{Line: 3, Reason: "bank.bad_encoding", Text: "UTF-8"}) {
		t.Errorf("Parse gave %#v, want bank.bad_encoding on line 3", err)
	}
}

func TestParseKeepsHostileTextAsText(t *testing.T) {
	hostile := []string{
		`<script>alert("выписка")</script>`,
		`'; DROP TABLE payments; --`,
		`{{ template "layout" . }}`,
		`=Сумма=1000000.00`,
		`КонецДокумента`,
		"\u202eтекст справа налево",
		`%s%n%x ${jndi:ldap://x}`,
	}
	var docs []string
	for i, h := range hostile {
		docs = append(docs, payment(
			fmt.Sprintf("Номер=%d", i+1),
			"НазначениеПлатежа="+h,
			"Плательщик1="+h,
			"ПлательщикИНН="+h,
		)...)
	}
	st, err := bankexchange.Parse(strings.NewReader(joined(header, docs, []string{"КонецФайла"})))
	if err != nil {
		t.Fatalf("Parse: %#v", err)
	}
	if len(st.Documents) != len(hostile) {
		t.Fatalf("Parse read %d documents, want %d", len(st.Documents), len(hostile))
	}
	for i, h := range hostile {
		d := st.Documents[i]
		if d.Purpose != h || d.PayerName != h || d.PayerINN != h {
			t.Errorf("document %d: purpose %q, payer %q, ИНН %q; want %q each", i+1, d.Purpose, d.PayerName, d.PayerINN, h)
		}
	}
}

func TestParseMakesInvalidUTF8Valid(t *testing.T) {
	text := joined(header, payment("НазначениеПлатежа=Оплата \xff\xfe счёта"), []string{"КонецФайла"})
	st, err := bankexchange.Parse(bytes.NewReader(withBOM(t, text)))
	if err != nil {
		t.Fatalf("Parse: %#v", err)
	}
	if got := st.Documents[0].Purpose; got != "Оплата \uFFFD счёта" {
		t.Errorf("purpose %q", got)
	}
}

func TestParseStopsAtTheEndOfFile(t *testing.T) {
	// Files from DOS days end with Ctrl-Z; anything after КонецФайла is not
	// the statement's.
	text := joined(header, payment(), []string{"КонецФайла"}) + "\x1a" + "мусор без ключа\r\n"
	st, err := bankexchange.Parse(bytes.NewReader(in1251(t, text)))
	if err != nil {
		t.Fatalf("Parse: %#v", err)
	}
	if len(st.Documents) != 1 {
		t.Errorf("Parse read %d documents, want 1", len(st.Documents))
	}
}

// endless is a reader that never ends: Parse must stop at a broken line
// without reading on.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '\n'
	}
	return len(p), nil
}

func TestParseStopsAtTheFirstBrokenLineWithoutReadingOn(t *testing.T) {
	start := in1251(t, joined(header, payment("Сумма=сто")))
	_, err := bankexchange.Parse(io.MultiReader(bytes.NewReader(start), endless{}))
	var got *bankexchange.Error
	if !errors.As(err, &got) || got.Line != 7 || got.Reason != "bank.bad_amount" {
		t.Errorf("Parse gave %#v, want bank.bad_amount on line 7", err)
	}
}

func TestParseReportsAFailedRead(t *testing.T) {
	broken := errors.New("connection reset")
	for _, documents := range []int{0, 500} { // within the first bytes Parse looks at, and after
		read := joined(header) + strings.Repeat(joined(payment()), documents)
		_, err := bankexchange.Parse(io.MultiReader(strings.NewReader(read), iotest.ErrReader(broken)))
		var bad *bankexchange.Error
		if !errors.Is(err, broken) || errors.As(err, &bad) {
			t.Errorf("after %d documents Parse gave %v, want the read's error", documents, err)
		}
	}
}

func TestParseRefusesTooManyDocuments(t *testing.T) {
	doc := "СекцияДокумент=Платежное поручение\nНомер=1\nДата=02.12.2026\nСумма=1\nКонецДокумента\n"
	var b strings.Builder
	b.WriteString(strings.Join(header, "\n") + "\n")
	for range bankexchange.MaxDocuments + 1 {
		b.WriteString(doc)
	}
	b.WriteString("КонецФайла\n")
	_, err := bankexchange.Parse(strings.NewReader(b.String()))
	var got *bankexchange.Error
	want := bankexchange.Error{Line: 4 + 5*bankexchange.MaxDocuments, Reason: "bank.too_big", Text: "СекцияДокумент=Платежное поручение"}
	if !errors.As(err, &got) || *got != want {
		t.Errorf("Parse gave %#v, want %+v", err, want)
	}
}

func TestParseRefusesTooManyAccounts(t *testing.T) {
	lines := append([]string{}, header...)
	for i := range bankexchange.MaxAccounts + 1 {
		lines = append(lines, fmt.Sprintf("РасчСчет=407028109%011d", i))
	}
	_, err := bankexchange.Parse(strings.NewReader(joined(lines, []string{"КонецФайла"})))
	var got *bankexchange.Error
	if !errors.As(err, &got) || got.Reason != "bank.too_big" || got.Line != len(lines) {
		t.Errorf("Parse gave %#v, want bank.too_big on line %d", err, len(lines))
	}
}

func TestErrorQuotesLongTextShort(t *testing.T) {
	long := strings.Repeat("9", 500)
	_, err := bankexchange.Parse(strings.NewReader(joined(header, payment("Сумма="+long), []string{"КонецФайла"})))
	var got *bankexchange.Error
	if !errors.As(err, &got) || got.Text != strings.Repeat("9", 100)+"…" {
		t.Errorf("Parse gave %#v, want the sum quoted in 100 characters", err)
	}
}

// BenchmarkParse10000 reads a windows-1251 statement of 10 000 payment
// orders, the size the import must parse and preview within 2 s.
func BenchmarkParse10000(b *testing.B) {
	st := bankexchange.Statement{Version: "1.03", Encoding: "Windows", Sender: "Сбербанк Бизнес Онлайн",
		From: day("01.12.2026"), To: day("31.12.2026"), Accounts: []string{"40702810900000012345"}}
	for i := range 10_000 {
		st.Documents = append(st.Documents, bankexchange.Document{
			Kind: "Платежное поручение", Number: fmt.Sprint(i + 1), Date: day("02.12.2026"),
			Amount:       money.Kopecks(100_000 + i),
			PayerAccount: "40702810400000011111", PayerINN: fmt.Sprintf("77%08d", i), PayerKPP: "770101001",
			PayerName:        fmt.Sprintf("ООО «Клиент номер %d»", i),
			RecipientAccount: "40702810900000012345", RecipientINN: "7709876543", RecipientName: "ООО «Вендор»",
			Purpose:  fmt.Sprintf("Оплата по счёту № 2026-%06d от 01.12.2026 за услуги связи. В т.ч. НДС (20%%) 166-67", i),
			Received: dayPtr("03.12.2026"),
		})
	}
	file := bankexchange.Build(st)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := bankexchange.Parse(bytes.NewReader(file))
		if err != nil || len(got.Documents) != 10_000 {
			b.Fatalf("Parse: %d documents, %v", len(got.Documents), err)
		}
	}
}
