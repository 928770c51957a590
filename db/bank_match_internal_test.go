package db

import (
	"testing"
	"time"
)

// Invoice numbers are found in a payment's purpose however payers write them.
func TestInvoiceNumberInPurpose(t *testing.T) {
	paidOn := time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)
	for purpose, want := range map[string]string{
		"Оплата по счёту 2026-000123, в т.ч. НДС 22%":      "2026-000123",
		"Оплата по счету № 2026-123 от 28.12.2026":         "2026-000123",
		"Оплата сч. № 123 от 02.12.2026 за услуги СМС":     "2026-000123",
		"по счету 45 за техподдержку":                      "2027-000045",
		"ОПЛАТА ПО СЧЁТУ N 7":                              "2027-000007",
		"Оплата счета на оплату №12 от 03.01.2027":         "2027-000012",
		"Оплата по договору ЕЛК-7/2025, НДС не облагается": "",
		"Оплата за услуги связи 2026 г.":                   "",
		"Счет 40702810600000012345":                        "",
	} {
		if got := invoiceNumberIn(purpose, paidOn); got != want {
			t.Errorf("%q: %q, want %q", purpose, got, want)
		}
	}
}
