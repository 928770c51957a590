package pdf

import (
	"testing"
	"time"

	"elk/db"
)

// The helpers every layout signs and names its basis with.
func TestSignersAndBasis(t *testing.T) {
	day := time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC)
	director := db.Requisites{Director: "Соколов Андрей Викторович", DirectorPosition: "Генеральный директор"}
	withProxy := director
	withProxy.Proxy = &db.Proxy{Signer: db.Signer{Name: "Петров Пётр Петрович", Position: "Менеджер"}, Number: "12", Date: &day}
	undated := director
	undated.Proxy = &db.Proxy{Signer: db.Signer{Name: "Петров Пётр Петрович"}, Number: "12"}
	for _, tc := range []struct {
		signer         func(db.Requisites) (string, string)
		r              db.Requisites
		position, name string
	}{
		{supplierSigner, director, "Генеральный директор", "Соколов Андрей Викторович"},
		{supplierSigner, withProxy, "Менеджер по доверенности № 12 от 09.01.2026", "Петров Пётр Петрович"},
		{supplierSigner, undated, "Представитель по доверенности № 12", "Петров Пётр Петрович"},
		{supplierSigner, db.Requisites{}, "Руководитель", ""},
		{buyerSigner, db.Requisites{Director: "Орлов Павел Сергеевич"}, "Руководитель", "Орлов Павел Сергеевич"},
		{buyerSigner, withProxy, "Генеральный директор", "Соколов Андрей Викторович"}, // a buyer signs for itself
	} {
		if position, name := tc.signer(tc.r); position != tc.position || name != tc.name {
			t.Errorf("%+v: %q, %q", tc.r, position, name)
		}
	}
	for _, tc := range []struct {
		contract *db.Contract
		want     string
	}{
		{nil, ""},
		{&db.Contract{}, ""},
		{&db.Contract{Number: "ЕЛК-7/2025"}, "Договор № ЕЛК-7/2025"},
		{&db.Contract{Number: "ЕЛК-7/2025", Date: &day}, "Договор № ЕЛК-7/2025 от 09.01.2026"},
	} {
		if got := basisLine(db.Requisites{Contract: tc.contract}); got != tc.want {
			t.Errorf("%+v: %q", tc.contract, got)
		}
	}
}

// An act names the contract and the invoice it closes; without either it
// names nothing rather than a stray letter.
func TestActBasis(t *testing.T) {
	day := time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC)
	invoice := db.ClosingDoc{InvoiceNumber: "2026-000001", InvoiceDate: day, PaidOn: day}
	contract := db.ClosingDoc{Buyer: db.Requisites{Contract: &db.Contract{Number: "ЕЛК-7/2025"}}}
	both := invoice
	both.Buyer = contract.Buyer
	for doc, want := range map[*db.ClosingDoc]string{
		&invoice:         "Счёт на оплату № 2026-000001 от 09.01.2026, оплата от 09.01.2026",
		&contract:        "Договор № ЕЛК-7/2025",
		&both:            "Договор № ЕЛК-7/2025, счёт на оплату № 2026-000001 от 09.01.2026, оплата от 09.01.2026",
		{Basis: "month"}: "",
	} {
		if got := actBasis(*doc); got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}
