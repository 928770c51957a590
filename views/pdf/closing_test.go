package pdf_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
	"elk/views/pdf"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

var (
	vendor = db.Requisites{Name: "ООО «ТаксиСофт»", Country: "RU", INN: "7728123459", KPP: "772801001", OGRN: "1027700132195",
		Address: "117342, г. Москва, ул. Профсоюзная, д. 65, корп. 1", Director: "Соколов Андрей Викторович",
		DirectorPosition: "Генеральный директор", Accountant: "Кузнецова Марина Олеговна"}
	russianBuyer = db.Requisites{Name: "ООО «Такси Пример»", Country: "RU", INN: "7704123450", KPP: "770401001",
		Address: "119019, г. Москва, ул. Арбат, д. 10, офис 5", Director: "Петров Иван Сергеевич", DirectorPosition: "Директор",
		Contract: &db.Contract{Number: "15/2026", Date: ptr(date(2026, 1, 12))}}
	kazakhBuyer = db.Requisites{Name: "ТОО «Алма Такси»", Country: "KZ", INN: "050540004455",
		Address: "050000, Республика Казахстан, г. Алматы, пр. Абая, д. 1", Director: "Ахметов Ерлан Маратович",
		DirectorPosition: "Директор", VATReason: "НДС не облагается: место реализации услуг — Республика Казахстан (п. 29 Протокола, приложение № 18 к Договору о ЕАЭС)"}
)

// paymentUPD is the УПД with status 1 a payment of 4 000 SMS parts at 2,50 calls for.
func paymentUPD() db.ClosingDoc {
	return db.ClosingDoc{Form: db.FormUPD, UPDStatus: db.UPDWithVAT, Basis: db.BasisPayment,
		InvoiceID: 1, InvoiceNumber: "2026-000123", InvoiceDate: date(2026, 11, 27), PaymentID: 7, PaymentReference: "512",
		PaidOn: date(2026, 11, 28), Number: "А-2026-000046", IssuedOn: date(2026, 11, 30),
		PeriodFrom: date(2026, 11, 28), PeriodTo: date(2026, 11, 28), Amount: 1000000, VATRate: 22, VAT: 180328,
		Lines: []db.DocLine{{Name: "Услуга «СМС», тариф «Стандарт»", Unit: db.UnitSMSPart, Quantity: 4000, Price: 250,
			Amount: 1000000, VAT: 180328}},
		Supplier: vendor, Buyer: russianBuyer}
}

// monthLine is a line of a month's УПД: so many units at a price with VAT.
func monthLine(name, unit string, qty int64, price money.Kopecks) db.DocLine {
	amount := price * money.Kopecks(qty)
	return db.DocLine{Name: name, Unit: unit, Quantity: qty, Price: price, Amount: amount, VAT: money.VATOf(amount, 22)}
}

// monthUPD is a month's УПД with a line per service and tariff.
func monthUPD(lines ...db.DocLine) db.ClosingDoc {
	d := db.ClosingDoc{Form: db.FormUPD, UPDStatus: db.UPDWithVAT, Basis: db.BasisMonth, Number: "А-2026-000051",
		IssuedOn: date(2026, 12, 1), PeriodFrom: date(2026, 11, 1), PeriodTo: date(2026, 11, 30), VATRate: 22,
		Lines: lines, Supplier: vendor, Buyer: russianBuyer}
	for _, l := range lines {
		d.Amount, d.VAT = d.Amount+l.Amount, d.VAT+l.VAT
	}
	return d
}

// closingText draws a closing document and reads it back.
func closingText(t *testing.T, d db.ClosingDoc) string {
	t.Helper()
	b, err := pdf.ClosingDoc(d)
	if err != nil {
		t.Fatal(err)
	}
	return testutil.PDFText(t, b)
}

func assertHas(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, text)
		}
	}
}

func assertHasNot(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if strings.Contains(text, s) {
			t.Errorf("%s has %q:\n%s", what, s, text)
		}
	}
}

// headLines are the numbered lines of the счёт-фактура's head every УПД
// and счёт-фактура prints, with what they hold for the Russian buyer.
var headLines = []string{
	"Исправление № — от — (1а)", "Продавец: ООО «ТаксиСофт» (2)",
	"Адрес: 117342, г. Москва, ул. Профсоюзная, д. 65, корп. 1 (2а)", "ИНН/КПП продавца: 7728123459/772801001 (2б)",
	"Грузоотправитель и его адрес: — (3)", "Грузополучатель и его адрес: — (4)", "К платёжно-расчётному документу:",
	"Документ об отгрузке:", "(5б)", "Покупатель:", "(6)", "Адрес:", "(6а)", "ИНН/КПП покупателя:", "(6б)",
	"Валюта: наименование, код: Российский рубль, 643 (7)",
	"Идентификатор государственного контракта, договора (соглашения) (при наличии): — (8)",
}

func TestPaymentUPDWithVAT(t *testing.T) {
	d := paymentUPD()
	text := closingText(t, d)
	assertHas(t, "the УПД", text, headLines...)
	assertHas(t, "the УПД", text,
		"Универсальный", "передаточный", "Статус: 1", "1 — счёт-фактура и", "передаточный документ (акт)", "2 — передаточный",
		"Счёт-фактура № А-2026-000046 от 30 ноября 2026 г. (1)",
		"Покупатель: ООО «Такси Пример» (6)", "ИНН/КПП покупателя: 7704123450/770401001 (6б)",
		"К платёжно-расчётному документу: № 512 от 28.11.2026 (5)",
		"Документ об отгрузке: № п/п 1 № А-2026-000046 от 30.11.2026 (5а)",
		// Every column, numbered; the row: ОКЕИ 796 «шт», 4 000 parts at 2,05 without VAT.
		"А 1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а 11 12 12а 13",
		"— 1 Услуга «СМС», тариф «Стандарт» — 796 шт 4 000 2,05 8 196,72 без акциза 22% 1 803,28 10 000,00 — — — — — —",
		"Всего к оплате (9) 8 196,72 Х 1 803,28 10 000,00",
		"Документ составлен на 1 листе",
		"Руководитель организации или иное", "Соколов А. В.", "Главный бухгалтер или иное уполномоченное лицо", "Кузнецова М. О.",
		"Основание передачи (сдачи) / получения (приёмки) Договор № 15/2026 от 12.01.2026 [8]",
		"Данные о транспортировке и грузе — [9]",
		"Генеральный директор Соколов А. В. [10]", "Директор Петров И. С. [15]",
		"Дата отгрузки, передачи (сдачи) 28 ноября 2026 г. [11]", "Дата получения (приёмки)", "[16]", "[17]", "[18]",
		"ООО «ТаксиСофт», ИНН/КПП 7728123459/772801001 [14]", "ООО «Такси Пример», ИНН/КПП 7704123450/770401001 [19]",
		"М.П.", "в редакции постановления Правительства Российской Федерации от 23 января 2026 г. № 26",
	)
	// Columns 5 and 8 add up to 9, and to the document's amount.
	if net := d.Amount - d.VAT; net != 819672 || net+d.VAT != 1000000 {
		t.Errorf("net %d, VAT %d", net, d.VAT)
	}
	// A payment of one day has no period to name.
	assertHasNot(t, "the УПД", text, "Период оказания услуг")
}

func TestKazakhBuyerGetsUPDWithoutVAT(t *testing.T) {
	d := paymentUPD()
	d.UPDStatus, d.VATRate, d.VAT, d.Amount, d.Buyer = db.UPDWithoutVAT, money.NoVAT, 0, 300000, kazakhBuyer
	d.Lines = []db.DocLine{{Name: "Разовое обращение в поддержку", Unit: db.UnitRequest, Quantity: 2, Price: 150000, Amount: 300000}}
	text := closingText(t, d)
	assertHas(t, "the УПД", text, headLines...)
	assertHas(t, "the УПД", text, "Статус: 2",
		"Покупатель: ТОО «Алма Такси» (6)", "Адрес: 050000, Республика Казахстан, г. Алматы, пр. Абая, д. 1 (6а)",
		"ИНН/КПП покупателя: БИН 050540004455 (6б)",
		"— 1 Разовое обращение в поддержку — 796 шт 2 1 500,00 3 000,00 без акциза без НДС без НДС 3 000,00",
		"Всего к оплате (9) 3 000,00 Х без НДС 3 000,00",
		"НДС не облагается: место реализации услуг — Республика Казахстан",
		// Without a contract, the invoice is the basis.
		"Основание передачи (сдачи) / получения (приёмки) Счёт на оплату № 2026-000123 от 27.11.2026 [8]",
		"Генеральный директор Соколов А. В. [10]", "Директор Ахметов Е. М. [15]",
		"ТОО «Алма Такси», БИН 050540004455 [19]", "Документ составлен на 1 листе",
	)
	// No VAT, no empty taxpayer labels, and no счёт-фактура's signatures.
	assertHasNot(t, "the УПД", text, "22%", "ИНН ,", "КПП ,", "Главный бухгалтер", "Кузнецова", "не облагается: НДС не облагается")
}

func TestMonthUPDHasALinePerService(t *testing.T) {
	d := monthUPD(monthLine("СМС, тариф «Стандарт»", db.UnitSMSPart, 12345, 250),
		monthLine("Мониторинг, тариф «Базовый»", db.UnitMonth, 1, 99000),
		monthLine("Разовое обращение в поддержку", db.UnitRequest, 1, 150000))
	d.Supplier.Proxy = &db.Proxy{Signer: db.Signer{Name: "Орлова Дарья Павловна", Position: "Менеджер по работе с клиентами"},
		Number: "7", Date: ptr(date(2026, 2, 1))}
	d.Advances = []db.AdvanceRef{{Number: "А-2026-000047", IssuedOn: date(2026, 11, 18)}, {Number: "А-2026-000049", IssuedOn: date(2026, 11, 25)}}
	text := closingText(t, d)
	assertHas(t, "the month's УПД", text, headLines...)
	assertHas(t, "the month's УПД", text, "Статус: 1", "№ А-2026-000047 от 18.11.2026; №", "А-2026-000049 от 25.11.2026",
		"К платёжно-расчётному документу: — (5)", "Документ об отгрузке: № п/п 1–3 № А-2026-000051 от 01.12.2026 (5а)",
		"— 1 СМС, тариф «Стандарт» — 796 шт 12 345 2,05 25 297,13 без акциза 22% 5 565,37 30 862,50",
		"— 2 Мониторинг, тариф «Базовый» — 362 мес 1 811,48 811,48 без акциза 22% 178,52 990,00",
		"— 3 Разовое обращение в поддержку — 796 шт 1 1 229,51 1 229,51 без акциза 22% 270,49 1 500,00",
		"Всего к оплате (9) 27 338,12 Х 6 014,38 33 352,50",
		"Основание передачи (сдачи) / получения (приёмки) Договор № 15/2026 от 12.01.2026, период с 01.11.2026 по 30.11.2026 [8]",
		"Дата отгрузки, передачи (сдачи) 30 ноября 2026 г. [11]",
		"Период оказания услуг: с 01.11.2026 по 30.11.2026 [12]",
		// The vendor signs by a power of attorney, the chief accountant as always.
		"Орлова Д. П.", "по доверенности № 7 от 01.02.2026", "Кузнецова М. О.", "Менеджер по работе с клиентами по",
		"Директор Петров И. С. [15]", "Документ составлен на 1 листе",
	)
	// Columns 5 and 8 of the lines add up to the totals, and 5 + 8 to 9.
	var net, vat money.Kopecks
	for _, l := range d.Lines {
		net, vat = net+l.Amount-l.VAT, vat+l.VAT
	}
	if net.Format() != "27\u00a0338,12" || vat.Format() != "6\u00a0014,38" || net+vat != d.Amount || d.Amount != 3335250 {
		t.Errorf("totals: net %s, VAT %s, amount %s", net.Format(), vat.Format(), d.Amount.Format())
	}
}

func TestLongUPDBreaksBetweenRows(t *testing.T) {
	var lines []db.DocLine
	for i := range 30 {
		name := fmt.Sprintf("Услуга № %d с длинным наименованием тарифа, которое не помещается в одну строку графы", i+1)
		lines = append(lines, monthLine(name, db.UnitSMSPart, int64(1000*i+7), 250))
	}
	d := monthUPD(lines...)
	b, err := pdf.ClosingDoc(d)
	if err != nil {
		t.Fatal(err)
	}
	text := testutil.PDFText(t, b)
	for i := range 30 {
		assertHas(t, "the long УПД", text, fmt.Sprintf("Услуга № %d с длинным", i+1))
	}
	assertHas(t, "the long УПД", text, "Документ составлен на 3 листах",
		"Всего к оплате (9) 891 823,77 Х 196 201,23 1 088 025,00",
		"Договор № 15/2026 от 12.01.2026, период с 01.11.2026 по 30.11.2026 [8]")
	// The second sheet carries on the table under its column numbers.
	second := testutil.PDFPageText(t, b, 2)
	if !strings.HasPrefix(second, "А 1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а 11 12 12а 13 — 13 Услуга № 13") {
		t.Errorf("the second sheet does not carry on the table:\n%s", second)
	}
	// The transfer, which would not fit after the signatures, is whole on the third.
	assertHasNot(t, "the second sheet", second, "[8]")
	assertHas(t, "the last sheet", testutil.PDFPageText(t, b, 3), "Основание передачи", "[8]", "[10]", "[19]", "М.П.")
}

// advanceDoc is an advance счёт-фактура for a payment of 20 000,00.
func advanceDoc() db.ClosingDoc {
	return db.ClosingDoc{Form: db.FormAdvance, Basis: db.BasisPayment, InvoiceID: 1, InvoiceNumber: "2026-000130",
		InvoiceDate: date(2026, 12, 2), PaymentID: 9, PaymentReference: "77", PaidOn: date(2026, 12, 3), Number: "А-2026-000055",
		IssuedOn: date(2026, 12, 5), PeriodFrom: date(2026, 12, 3), PeriodTo: date(2026, 12, 3), Amount: 2000000, VATRate: 22,
		VAT: money.VATOf(2000000, 22),
		Lines: []db.DocLine{{Name: "Предварительная оплата: Услуга «СМС», тариф «Стандарт»", Quantity: 1, Price: 2000000,
			Amount: 2000000, VAT: money.VATOf(2000000, 22)}},
		Supplier: vendor, Buyer: russianBuyer}
}

func TestAdvanceInvoice(t *testing.T) {
	d := advanceDoc()
	text := closingText(t, d)
	assertHas(t, "the advance счёт-фактура", text, headLines...)
	assertHas(t, "the advance счёт-фактура", text, "Счёт-фактура № А-2026-000055 от 5 декабря 2026 г. (1)",
		"Покупатель: ООО «Такси Пример» (6)",
		"К платёжно-расчётному документу: № 77 от 03.12.2026 (5)", "Документ об отгрузке: — (5а)",
		"1 1а 1б 2 2а 3 4 5 6 7 8 9 10 10а 11 12 12а 13",
		"1 Предварительная оплата: Услуга «СМС», тариф — — — — — — — 22/122 3 606,56 20 000,00 — — — — — —",
		"Всего к оплате (9) — Х 3 606,56 20 000,00",
		"Руководитель организации или иное", "Соколов А. В.", "Главный бухгалтер или иное уполномоченное лицо", "Кузнецова М. О.",
	)
	assertHasNot(t, "the advance счёт-фактура", text, "Универсальный", "Статус", "[8]", "22%")
	if d.VAT != 360656 {
		t.Errorf("VAT of 20 000,00 at 22/122: %s", d.VAT.Format())
	}
}

// A document dated before 2026 is in the form of its day: no line (5б).
func TestFormOfTheDocumentsDay(t *testing.T) {
	d := paymentUPD()
	d.IssuedOn, d.PaidOn, d.PeriodFrom, d.PeriodTo, d.VATRate, d.VAT = date(2025, 11, 30), date(2025, 11, 28),
		date(2025, 11, 28), date(2025, 11, 28), 20, money.VATOf(1000000, 20)
	d.Lines[0].VAT = d.VAT
	text := closingText(t, d)
	assertHas(t, "the 2025 УПД", text, "Документ об отгрузке: № п/п 1 № А-2026-000046 от 30.11.2025 (5а) Покупатель:", "20%",
		"Приложение № 1 к постановлению Правительства Российской Федерации от 26")
	assertHasNot(t, "the 2025 УПД", text, "(5б)", "(в редакции")
}

// A sole trader signs the счёт-фактура himself, with his ОГРНИП.
func TestSoleTraderSignsHimself(t *testing.T) {
	d := paymentUPD()
	d.Supplier = db.Requisites{Name: "ИП Соколов Андрей Викторович", Country: "RU", INN: "772812345678", OGRN: "304770000123456",
		Address: "117342, г. Москва, ул. Профсоюзная, д. 65", Director: "Соколов Андрей Викторович"}
	text := closingText(t, d)
	assertHas(t, "the sole trader's УПД", text, "ИНН/КПП продавца: 772812345678 (2б)", "Соколов А. В.", "304770000123456",
		"Индивидуальный предприниматель Соколов А. В. [10]", "ИП Соколов Андрей Викторович, ИНН 772812345678 [14]")
}

func TestClosingDocPicksTheForm(t *testing.T) {
	a := act
	a.Form = db.FormAct
	if text := closingText(t, a); !strings.Contains(text, "Акт № А-2026-000045") {
		t.Errorf("an act drawn as something else: %s", text)
	}
	if _, err := pdf.ClosingDoc(db.ClosingDoc{Form: "invoice"}); err == nil {
		t.Error("an unknown form drawn")
	}
}

func BenchmarkUPDPDF(b *testing.B) {
	d := paymentUPD()
	for b.Loop() {
		if _, err := pdf.ClosingDoc(d); err != nil {
			b.Fatal(err)
		}
	}
}
