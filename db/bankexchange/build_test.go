package bankexchange_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"elk/db/bankexchange"
)

func withoutLines(st bankexchange.Statement) bankexchange.Statement {
	docs := make([]bankexchange.Document, len(st.Documents))
	for i, d := range st.Documents {
		d.Line = 0
		docs[i] = d
	}
	st.Documents = docs
	return st
}

func TestBuildWritesWhatParseReadsBack(t *testing.T) {
	for _, c := range []struct{ version, encoding string }{
		{"1.03", "Windows"}, {"1.02", "Windows"}, {"1.03", "DOS"}, {"1.03", "UTF-8"},
	} {
		t.Run(c.version+" "+c.encoding, func(t *testing.T) {
			want := sampleStatement(c.version, c.encoding)
			if c.encoding != "DOS" { // cp866 has no guillemets
				want.Documents[0].PayerName = "ООО «Ромашка» & сыновья"
			}
			want.Documents = append(want.Documents, bankexchange.Document{
				Kind: "Платежное поручение", Number: "5", Date: day("04.12.2026"), Amount: 1,
			})
			got, err := bankexchange.Parse(bytes.NewReader(bankexchange.Build(want)))
			if err != nil {
				t.Fatalf("Parse: %#v", err)
			}
			if want := withoutLines(want); !reflect.DeepEqual(withoutLines(got), want) {
				t.Errorf("Parse(Build(s)) gave\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestBuildWritesWindows1251WithCRLF(t *testing.T) {
	file := bankexchange.Build(sampleStatement("1.03", "Windows"))
	text, err := charmap.Windows1251.NewDecoder().String(string(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"1CClientBankExchange\r\n", "Кодировка=Windows\r\n", "СекцияДокумент=Банковский ордер\r\n",
		"Сумма=12345.67\r\n", "Сумма=2654.80\r\n", "ДатаПоступило=03.12.2026\r\n",
		`Плательщик=ИНН 7701234567 ООО "Ромашка"` + "\r\n", "КонецФайла\r\n",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("no line %q in\n%s", line, text)
		}
	}
	if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
		t.Error("a line ends in LF alone")
	}
}

func TestBuildKeepsEveryValueOnItsLine(t *testing.T) {
	st := bankexchange.Statement{Version: "1.03", Encoding: "Windows", Documents: []bankexchange.Document{{
		Kind: "Платежное поручение", Number: "1", Date: day("02.12.2026"), Amount: 100,
		Purpose:   "Оплата\r\nКонецДокумента\nКонецФайла\rСумма=1",
		PayerName: "ООО 😀 Смайл",
	}}}
	got, err := bankexchange.Parse(bytes.NewReader(bankexchange.Build(st)))
	if err != nil {
		t.Fatalf("Parse: %#v", err)
	}
	d := got.Documents[0]
	if d.Purpose != "Оплата КонецДокумента КонецФайла Сумма=1" || d.Amount != 100 {
		t.Errorf("purpose %q, amount %d", d.Purpose, d.Amount)
	}
	if d.PayerName != "ООО ? Смайл" {
		t.Errorf("payer %q: a character windows-1251 lacks is not «?»", d.PayerName)
	}
}

func TestBuildDefaultsToVersion103InUTF8(t *testing.T) {
	got, err := bankexchange.Parse(bytes.NewReader(bankexchange.Build(bankexchange.Statement{})))
	if err != nil {
		t.Fatalf("Parse: %#v", err)
	}
	if got.Version != "1.03" || got.Encoding != "UTF-8" {
		t.Errorf("version %q, encoding %q", got.Version, got.Encoding)
	}
}
