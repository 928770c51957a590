package pdf_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
	"elk/views/pdf"
)

var (
	supplier = db.Requisites{Name: "ООО «ТаксиСофт»", INN: "7728123459", KPP: "772801001",
		Address: "117342, г. Москва, ул. Профсоюзная, д. 65, корп. 1", BankName: "ПАО «Банк Пример», г. Москва",
		BIK: "044525999", BankAccount: "40702810600000012345", CorrAccount: "30101810600000000999",
		Director: "Соколов Андрей Викторович"}
	buyer = db.Requisites{Name: "ООО «Такси Пример»", INN: "7704123450", KPP: "770401001",
		Address: "119019, г. Москва, ул. Арбат, д. 10, офис 5"}
	invoice = db.Invoice{Number: "2026-000123", IssuedOn: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Item: "Услуга «СМС», тариф «Стандарт»", Amount: 375200, VATRate: 22, Supplier: supplier, Buyer: buyer}
	act = db.ClosingDoc{Number: "А-2026-000045", IssuedOn: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		InvoiceNumber: invoice.Number, InvoiceDate: invoice.IssuedOn, PaidOn: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), Item: invoice.Item, Amount: 375200, VATRate: 22, VAT: 67659,
		Supplier: supplier, Buyer: buyer}
)

func TestPaymentQR(t *testing.T) {
	want := "ST00012|Name=ООО «ТаксиСофт»|PersonalAcc=40702810600000012345|BankName=ПАО «Банк Пример», г. Москва" +
		"|BIC=044525999|CorrespAcc=30101810600000000999|PayeeINN=7728123459|KPP=772801001|Sum=375200" +
		"|Purpose=Оплата по счёту № 2026-000123 от 27.11.2026, в т.ч. НДС 22% 676,59 руб."
	if got := pdf.PaymentQR(invoice); got != want {
		t.Errorf("payload\n%s\nwant\n%s", got, want)
	}

	// A partly paid invoice asks for the rest with the VAT its last act will
	// carry: the invoice's VAT less that of what was paid, not the VAT of
	// the rest rounded on its own (496,26).
	part := invoice
	part.Paid = 100004
	if got := pdf.PaymentQR(part); !strings.Contains(got, "|Sum=275196|") || !strings.HasSuffix(got, "в т.ч. НДС 22% 496,25 руб.") {
		t.Errorf("the rest of a partly paid invoice: %s", got)
	}

	// A «|» in a value makes another character the separator, declared in the header.
	odd := invoice
	odd.Supplier.Name = "ООО «Такси|Софт»"
	odd.VATRate = money.NoVAT
	got := pdf.PaymentQR(odd)
	if !strings.HasPrefix(got, "ST00012#Name=ООО «Такси|Софт»#PersonalAcc=") || !strings.HasSuffix(got, "#Purpose=Оплата по счёту № 2026-000123 от 27.11.2026, без НДС") {
		t.Errorf("payload with a bar: %s", got)
	}
	// A sole trader has no КПП: the field is left out, not left empty.
	odd.Supplier.KPP = ""
	if got := pdf.PaymentQR(odd); strings.Contains(got, "KPP=") {
		t.Errorf("empty KPP written: %s", got)
	}
}

func TestInvoicePDF(t *testing.T) {
	b, err := pdf.Invoice(invoice)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", b)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{
		"Счёт на оплату № 2026-000123 от 27 ноября 2026 г.", "ПАО «Банк Пример», г. Москва", "БИК 044525999",
		"30101810600000000999", "40702810600000012345", "ИНН 7704123450", "КПП 770401001", "ООО «Такси Пример»",
		"Услуга «СМС», тариф «Стандарт»", "Всего к оплате: 3 752,00", "В том числе НДС 22%: 676,59",
		"Три тысячи семьсот пятьдесят два рубля 00 копеек", "Соколов А. В.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q:\n%s", want, text)
		}
	}
}

func TestInvoiceWithoutVAT(t *testing.T) {
	inv := invoice
	inv.VATRate = money.NoVAT
	b, err := pdf.Invoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	if text := testutil.PDFText(t, b); !strings.Contains(text, "Без НДС") || strings.Contains(text, "НДС 22%") {
		t.Errorf("the VAT line: %s", text)
	}
}

func TestActPDF(t *testing.T) {
	b, err := pdf.Act(act)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{
		"Акт № А-2026-000045 от 30 ноября 2026 г.", "Исполнитель: ООО «ТаксиСофт», ИНН 7728123459",
		"Заказчик: ООО «Такси Пример», ИНН 7704123450", "Счёт на оплату № 2026-000123 от 27.11.2026, оплата от 28.11.2026",
		"Итого: 3 752,00", "В том числе НДС 22%: 676,59", "Три тысячи семьсот пятьдесят два рубля 00 копеек",
		"ИСПОЛНИТЕЛЬ", "ЗАКАЗЧИК", "Соколов А. В.", "М. П.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the act lacks %q:\n%s", want, text)
		}
	}
}

// The QR code read back from the printed invoice is the payment order.
func TestInvoiceQRDecodes(t *testing.T) {
	b, err := pdf.Invoice(invoice)
	if err != nil {
		t.Fatal(err)
	}
	if got := testutil.PDFQR(t, b); got != pdf.PaymentQR(invoice) {
		t.Errorf("decoded\n%s\nwant\n%s", got, pdf.PaymentQR(invoice))
	}
}

func BenchmarkInvoicePDF(b *testing.B) {
	for b.Loop() {
		if _, err := pdf.Invoice(invoice); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkActPDF(b *testing.B) {
	for b.Loop() {
		if _, err := pdf.Act(act); err != nil {
			b.Fatal(err)
		}
	}
}

func TestInvoiceNoLongerPayableIsStamped(t *testing.T) {
	for status, want := range map[string]string{db.InvoicePaid: "СЧЁТ ОПЛАЧЕН", db.InvoiceCancelled: "СЧЁТ АННУЛИРОВАН"} {
		inv := invoice
		inv.Status = status
		b, err := pdf.Invoice(inv)
		if err != nil {
			t.Fatal(err)
		}
		if text := testutil.PDFText(t, b); !strings.Contains(text, want) || strings.Contains(text, "QR-коду") {
			t.Errorf("%s: %s", status, text)
		}
	}
}

// A partly paid invoice asks, in its totals and in its QR code, for the rest.
func TestPartlyPaidInvoiceAsksForTheRest(t *testing.T) {
	inv := invoice
	inv.Status, inv.Paid = db.InvoicePartiallyPaid, 100000
	qr := pdf.PaymentQR(inv)
	if !strings.Contains(qr, "|Sum=275200|") || !strings.HasSuffix(qr, "в т.ч. НДС 22% 496,26 руб.") {
		t.Errorf("payload %s", qr)
	}
	b, err := pdf.Invoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	if !strings.Contains(text, "Всего к оплате: 3 752,00 Оплачено: 1 000,00 Осталось оплатить: 2 752,00") {
		t.Errorf("the rest is not asked for: %s", text)
	}
	// The last figure of the totals is the sum the QR code asks for.
	rest := regexp.MustCompile(`Осталось оплатить: ([\d ]+),(\d\d)`).FindStringSubmatch(text)
	sum := regexp.MustCompile(`\|Sum=(\d+)\|`).FindStringSubmatch(testutil.PDFQR(t, b))
	if rest == nil || sum == nil || strings.ReplaceAll(rest[1], " ", "")+rest[2] != sum[1] {
		t.Errorf("«Осталось оплатить» %q, the QR's sum %q", rest, sum)
	}
	// Nothing more to pay, nothing more to ask.
	inv.Status, inv.Paid = db.InvoicePaid, inv.Amount
	if b, _ := pdf.Invoice(inv); strings.Contains(testutil.PDFText(t, b), "Осталось оплатить") {
		t.Error("a paid invoice still asks for the rest")
	}
}
