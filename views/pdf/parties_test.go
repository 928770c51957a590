package pdf_test

import (
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
	"elk/views/pdf"
)

var (
	contractDay = time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	proxyDay    = time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC)
	// almaReason is the EAEU rule that puts a Kazakh buyer's services out of Russian VAT.
	almaReason = "НДС не облагается: место реализации услуг — Республика Казахстан (пп. 4 п. 29 Протокола, приложение № 18 к Договору о ЕАЭС)"
)

// withContract is the test invoice to a Russian buyer under a contract,
// both sides' signers named.
func withContract() db.Invoice {
	inv := invoice
	inv.Supplier.Country, inv.Supplier.DirectorPosition, inv.Supplier.Accountant = "RU", "Генеральный директор", "Ершова Марина Игоревна"
	inv.Buyer.Country, inv.Buyer.Director, inv.Buyer.DirectorPosition = "RU", "Орлов Павел Сергеевич", "Директор"
	inv.Buyer.Contract = &db.Contract{Number: "ЕЛК-7/2025", Date: &contractDay}
	return inv
}

// kazakh is the test invoice to a Kazakh buyer who pays no VAT.
func kazakh() db.Invoice {
	inv := withContract()
	inv.Buyer = db.Requisites{Name: "ТОО «Алма Такси»", Country: "KZ", INN: "150440012344",
		Address: "050000, г. Алматы, пр. Абая, д. 52", Director: "Серикова Айгуль Маратовна",
		Contract: &db.Contract{Number: "ЕЛК-9/2025", Date: &contractDay}, VATReason: almaReason}
	inv.VATRate = money.NoVAT
	return inv
}

func TestInvoiceNamesContractAndBothSigners(t *testing.T) {
	inv := withContract()
	b, err := pdf.Invoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	purpose := "Оплата по счёту № 2026-000123 от 27.11.2026 по договору № ЕЛК-7/2025 от 15.01.2025, в т.ч. НДС 22% 676,59 руб."
	for _, want := range []string{
		"Покупатель (Заказчик): ООО «Такси Пример», ИНН 7704123450, КПП 770401001, 119019, г. Москва",
		"Основание: Договор № ЕЛК-7/2025 от 15.01.2025",
		"Руководитель ______________ / Соколов А. В. /", "Главный бухгалтер ______________ / Ершова М. И. /",
		"Генеральный директор", "Назначение платежа: " + purpose,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q:\n%s", want, text)
		}
	}
	if got := pdf.PaymentPurpose(inv); got != purpose {
		t.Errorf("purpose %q", got)
	}
	if qr := testutil.PDFQR(t, b); !strings.HasSuffix(qr, "|Purpose="+purpose) {
		t.Errorf("the QR code's purpose: %s", qr)
	}
}

func TestInvoiceSignedByPowerOfAttorney(t *testing.T) {
	inv := withContract()
	inv.Supplier.Proxy = &db.Proxy{Signer: db.Signer{Name: "Петров Пётр Петрович", Position: "Менеджер"}, Number: "12", Date: &proxyDay}
	b, err := pdf.Invoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{"Руководитель ______________ / Петров П. П. /", "Менеджер по доверенности № 12 от 09.01.2026",
		"Главный бухгалтер ______________ / Ершова М. И. /"} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q:\n%s", want, text)
		}
	}
	act := act
	act.Supplier, act.Buyer = inv.Supplier, inv.Buyer
	b, err = pdf.Act(act)
	if err != nil {
		t.Fatal(err)
	}
	if text := testutil.PDFText(t, b); !strings.Contains(text, "Менеджер по доверенности № 12 от 09.01.2026") || !strings.Contains(text, "/ Петров П. П. /") {
		t.Errorf("the act's supplier signature: %s", text)
	}
}

func TestKazakhBuyerGetsBINCountryAndNoVATReason(t *testing.T) {
	inv := kazakh()
	b, err := pdf.Invoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{
		"Покупатель (Заказчик): ТОО «Алма Такси», БИН 150440012344, Республика Казахстан, 050000, г. Алматы",
		"Основание: Договор № ЕЛК-9/2025 от 15.01.2025", "Без НДС", almaReason,
		"по договору № ЕЛК-9/2025 от 15.01.2025, без НДС",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the invoice lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"ИНН ,", "ИНН 150440012344", "НДС 22%", "КПП ,"} {
		if strings.Contains(text, bad) {
			t.Errorf("the invoice has %q:\n%s", bad, text)
		}
	}

	a := act
	a.Supplier, a.Buyer, a.VATRate, a.VAT = inv.Supplier, inv.Buyer, money.NoVAT, 0
	b, err = pdf.Act(a)
	if err != nil {
		t.Fatal(err)
	}
	text = testutil.PDFText(t, b)
	for _, want := range []string{
		"Заказчик: ТОО «Алма Такси», БИН 150440012344, Республика Казахстан",
		"Основание: Договор № ЕЛК-9/2025 от 15.01.2025, счёт на оплату № 2026-000123 от 27.11.2026, оплата от 28.11.2026",
		"Без НДС", almaReason, "/ Серикова А. М. /", "Генеральный директор",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the act lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "ИНН ,") {
		t.Errorf("an empty label on the act:\n%s", text)
	}
}

// A buyer from elsewhere shows its registration number and country; a
// number not given leaves no label behind.
func TestOtherBuyersNeverGetAnEmptyLabel(t *testing.T) {
	cases := []struct {
		buyer      db.Requisites
		want, lack string
	}{
		{db.Requisites{Name: "ООО «Минск Такси»", Country: "BY", INN: "190000001", Address: "220030, г. Минск"},
			"ООО «Минск Такси», Рег. номер 190000001, Республика Беларусь, 220030, г. Минск", ""},
		{db.Requisites{Name: "ООО «Минск Такси»", Country: "BY"}, "Покупатель (Заказчик): ООО «Минск Такси», Республика Беларусь", "Рег. номер"},
		{db.Requisites{Name: "ТОО «Алма Такси»", Country: "KZ", Address: "Республика Казахстан, г. Алматы"},
			"ТОО «Алма Такси», Республика Казахстан, г. Алматы Основание", "БИН"},
		{db.Requisites{Name: "ИП Иванов", Country: "RU", INN: "500100732259"}, "ИП Иванов, ИНН 500100732259 ", "КПП"},
		{db.Requisites{Name: "ООО «Без номера»"}, "Покупатель (Заказчик): ООО «Без номера» ", "ИНН"},
	}
	for _, tc := range cases {
		inv := invoice
		inv.Buyer = tc.buyer
		inv.Buyer.Contract = &db.Contract{Number: "1"}
		b, err := pdf.Invoice(inv)
		if err != nil {
			t.Fatal(err)
		}
		text := testutil.PDFText(t, b)
		buyer := text[strings.Index(text, "Покупатель"):strings.Index(text, "Товары")]
		if !strings.Contains(text, tc.want) || tc.lack != "" && strings.Contains(buyer, tc.lack) {
			t.Errorf("%s: %s", tc.buyer.Name, buyer)
		}
	}
}

func TestActSignersComeFromTheCards(t *testing.T) {
	inv := withContract()
	a := act
	a.Supplier, a.Buyer = inv.Supplier, inv.Buyer
	a.Supplier.DirectorPosition = "Директор по развитию"
	b, err := pdf.Act(a)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for _, want := range []string{"Директор по развитию", "/ Соколов А. В. /", "Директор", "/ Орлов П. С. /",
		"Основание: Договор № ЕЛК-7/2025 от 15.01.2025, счёт на оплату № 2026-000123"} {
		if !strings.Contains(text, want) {
			t.Errorf("the act lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Генеральный директор") {
		t.Errorf("a fixed position is printed:\n%s", text)
	}
}

// A contract number too long for the QR code's purpose gives way to the VAT.
func TestPurposeKeepsWithinTheQRLimit(t *testing.T) {
	inv := withContract()
	inv.Buyer.Contract.Number = strings.Repeat("Д", 200)
	got := pdf.PaymentPurpose(inv)
	if got != "Оплата по счёту № 2026-000123 от 27.11.2026, в т.ч. НДС 22% 676,59 руб." {
		t.Errorf("purpose %q", got)
	}
	if qr := pdf.PaymentQR(inv); !strings.HasSuffix(qr, "|Purpose="+got) {
		t.Errorf("QR %s", qr)
	}
}
