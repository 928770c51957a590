package pdf_test

import (
	"strings"
	"testing"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
	"elk/views/pdf"
)

// statement is a quarter in which the buyer paid 20 000,00 and was rendered
// 11 000,00 and 10 234,50 against an opening debt of 1 000,00.
func statement() db.Reconciliation {
	signed := date(2026, 2, 1)
	s, b := supplier, buyer
	s.Country, s.DirectorPosition = "RU", "Генеральный директор"
	b.Country, b.Contract = "RU", &db.Contract{Number: "15/2026", Date: &signed}
	return db.Reconciliation{From: date(2026, 10, 1), To: date(2026, 12, 31), Supplier: s, Buyer: b, Opening: 100000,
		Entries: []db.ReconEntry{
			{Day: date(2026, 10, 5), Number: "п/п № 4512", Credit: 2000000},
			{Day: date(2026, 10, 5), Form: db.FormUPD, Number: "А-2026-000101", Debit: 1100000},
			{Day: date(2026, 11, 30), Form: db.FormAct, Number: "А-2026-000150", Debit: 1023450},
		},
		Debit: 2123450, Credit: 2000000}
}

func TestReconciliationPDF(t *testing.T) {
	r := statement()
	b, err := pdf.Reconciliation(r)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{
		"Акт сверки взаимных расчётов за период с 01.10.2026 по 31.12.2026 между ООО «ТаксиСофт» и ООО «Такси Пример»",
		"по договору № 15/2026 от 01.02.2026",
		"ООО «ТаксиСофт», ИНН 7728123459, КПП 772801001",
		"По данным ООО «ТаксиСофт», руб.", "По данным ООО «Такси Пример», руб.",
		"Сальдо начальное 1 000,00",
		"05.10.2026 Оплата (п/п № 4512 от 05.10.2026) 20 000,00",
		"05.10.2026 УПД № А-2026-000101 от 05.10.2026 11 000,00",
		"30.11.2026 Акт № А-2026-000150 от 30.11.2026 10 234,50",
		"Обороты за период 21 234,50 20 000,00",
		"Сальдо конечное 2 234,50",
		"По данным ООО «ТаксиСофт» на 31.12.2026 задолженность в пользу ООО «ТаксиСофт» составляет 2 234,50 руб. " +
			"(две тысячи двести тридцать четыре рубля 50 копеек).",
		"От ООО «ТаксиСофт»:", "От ООО «Такси Пример»:", "Генеральный директор", "/ Соколов А. В. /",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if n := strings.Count(text, "М. П."); n != 2 {
		t.Errorf("%d seals, want both sides'", n)
	}
	if again, _ := pdf.Reconciliation(r); len(again) != len(b) || testutil.PDFText(t, again) != text {
		t.Error("the same statement drawn twice differs")
	}
}

// The buyer's side signs as its card says, or by hand on blank lines; the
// vendor's proxy signs by its power of attorney.
func TestReconciliationSigners(t *testing.T) {
	r := statement()
	r.Buyer.Director, r.Buyer.DirectorPosition = "Орлов Павел Сергеевич", "Директор"
	issued := date(2026, 1, 15)
	r.Supplier.Proxy = &db.Proxy{Signer: db.Signer{Name: "Петрова Анна Игоревна", Position: "Финансовый директор"},
		Number: "12", Date: &issued}
	b, err := pdf.Reconciliation(r)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{"Финансовый директор по доверенности № 12 от", "15.01.2026", "/ Петрова А. И. /",
		"Директор", "/ Орлов П. С. /"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "Соколов") {
		t.Errorf("the director signs although a proxy does:\n%s", text)
	}
}

// Who owes whom follows the closing balance's sign.
func TestReconciliationOutcome(t *testing.T) {
	for _, tc := range []struct {
		opening money.Kopecks
		want    string
	}{
		{-123450, "на 31.12.2026 задолженность отсутствует."},
		{-223450, "задолженность в пользу ООО «Такси Пример» составляет 1 000,00 руб. (одна тысяча рублей 00 копеек)."},
	} {
		r := statement()
		r.Opening = tc.opening
		b, err := pdf.Reconciliation(r)
		if err != nil {
			t.Fatal(err)
		}
		if text := testutil.PDFText(t, b); !strings.Contains(text, tc.want) {
			t.Errorf("opening %d: no %q in\n%s", tc.opening, tc.want, text)
		}
	}
}

// A Kazakh buyer's number is its БИН; a buyer without one gets no label.
func TestReconciliationForeignBuyer(t *testing.T) {
	r := statement()
	r.Buyer = db.Requisites{Name: "ТОО «Алма Такси»", Country: "KZ", INN: "123456789012"}
	b, err := pdf.Reconciliation(r)
	if err != nil {
		t.Fatal(err)
	}
	if text := testutil.PDFText(t, b); !strings.Contains(text, "ТОО «Алма Такси», БИН 123456789012") || strings.Contains(text, "по договору") {
		t.Errorf("Kazakh buyer:\n%s", text)
	}
	r.Buyer.INN = ""
	b, err = pdf.Reconciliation(r)
	if err != nil {
		t.Fatal(err)
	}
	if text := testutil.PDFText(t, b); strings.Contains(text, "БИН") || strings.Contains(text, "ИНН ,") {
		t.Errorf("an empty label:\n%s", text)
	}
}
