package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"elk/db/money"
)

// issueForPayment issues what a payment calls for under the vendor's policy
// on the day: for ClosingOnPayment, the УПД for the amount; for
// ClosingMonthly, the advance счёт-фактура when VAT is charged (the month's
// УПД comes on the first of the next month). It returns the number issued,
// "" for none. The VAT is the payment's share of the invoice's, so that the
// documents of one invoice add up to it exactly.
func (s *Store) issueForPayment(ctx context.Context, tx *sql.Tx, inv Invoice, paymentID int64, p NewPayment, at time.Time) (string, error) {
	v, err := vendorOf(ctx, tx)
	if err != nil {
		return "", err
	}
	vat := money.VATOfPart(inv.Paid, p.Amount, inv.VATRate)
	d := ClosingDoc{CompanyID: inv.CompanyID, Basis: BasisPayment, InvoiceID: inv.ID, PaymentID: paymentID,
		PeriodFrom: p.PaidOn, PeriodTo: p.PaidOn, Item: inv.Item, Amount: p.Amount, VATRate: inv.VATRate, VAT: vat}
	if v.ClosingPolicyOn(Today(at, VendorLocation)) == ClosingMonthly {
		if inv.VATRate == money.NoVAT || inv.VATRate == 0 {
			return "", nil // no VAT to account for in advance
		}
		d.Form = FormAdvance
		d.Lines = []DocLine{{Name: "Предварительная оплата: " + inv.Item, Service: inv.ServiceCode, Quantity: 1, Price: p.Amount, Amount: p.Amount, VAT: vat}}
		return s.insertClosingDoc(ctx, tx, d, at)
	}
	d.Form, d.UPDStatus = FormUPD, updStatus(inv.VATRate)
	line, err := paymentLine(ctx, tx, inv, p.Amount, vat)
	if err != nil {
		return "", err
	}
	d.Lines = []DocLine{line}
	if line.Unit == UnitMonth {
		// Months paid for are rendered from the first of the payment's month.
		d.PeriodFrom = p.PaidOn.AddDate(0, 0, 1-p.PaidOn.Day())
		d.PeriodTo = d.PeriodFrom.AddDate(0, int(line.Quantity), -1)
	}
	return s.insertClosingDoc(ctx, tx, d, at)
}

// paymentLine is the line of a payment's УПД: so many units of the
// invoice's tariff when the amount is a whole number of them, else the
// amount as a prepayment under the tariff.
func paymentLine(ctx context.Context, tx *sql.Tx, inv Invoice, amount, vat money.Kopecks) (DocLine, error) {
	line := DocLine{Name: inv.Item, Service: inv.ServiceCode, Quantity: 1, Price: amount, Amount: amount, VAT: vat}
	if inv.TariffID == 0 {
		return line, nil
	}
	var name, unit string
	var price money.Kopecks
	err := tx.QueryRowContext(ctx, `SELECT name, price, unit FROM tariffs WHERE id = ?`, inv.TariffID).Scan(&name, &price, &unit)
	if errors.Is(err, sql.ErrNoRows) {
		return line, nil
	}
	if err != nil {
		return line, err
	}
	if price > 0 && amount%price == 0 {
		line.Unit, line.Quantity, line.Price = unit, int64(amount/price), price
		return line, nil
	}
	line.Name = "Услуги по тарифу «" + name + "» (предоплата)"
	return line, nil
}
