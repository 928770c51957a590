package db

import (
	"context"
	"fmt"
	"slices"

	"elk/db/money"
)

// usualPayments is how many of a service's latest payments its usual top-up
// is taken from.
const usualPayments = 5

// minTopUpParts is how many SMS parts the smallest top-up of a per-part
// tariff buys.
const minTopUpParts = 1000

// MinTopUp is the smallest top-up the tariff suggests: one month or one
// request of a tariff priced so, a thousand SMS parts of a per-part one.
func (t Tariff) MinTopUp() money.Kopecks {
	if t.Unit == UnitSMSPart {
		return t.Price * minTopUpParts
	}
	return t.Price
}

// median is the middle of the amounts; of an even count, the lower of the
// two middle ones, so that the usual top-up is always a sum once paid.
func median(amounts []money.Kopecks) money.Kopecks {
	s := slices.Clone(amounts)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// usualTopUp is what the company usually pays for a connected service: the
// median of the latest payments on its invoices for it (of fewer when fewer
// were made), or the tariff's minimum top-up when none were; below zero,
// that and the debt rounded up to whole rubles, so that paying it leaves
// the usual balance rather than one just above zero and alerted again;
// never more than one invoice may ask.
func usualTopUp(ctx context.Context, q querier, cs CompanyService) (money.Kopecks, error) {
	amounts, err := queryAll(ctx, q, func(row scanner) (money.Kopecks, error) {
		var k money.Kopecks
		return k, row.Scan(&k)
	}, `SELECT p.amount FROM payments p JOIN invoices i ON i.id = p.invoice_id
		WHERE i.company_service_id = ? AND i.company_id = ?
		ORDER BY p.paid_on DESC, p.id DESC LIMIT ?`, cs.ID, cs.CompanyID, usualPayments)
	if err != nil {
		return 0, fmt.Errorf("db: usual top-up of service %d: %w", cs.ID, err)
	}
	k := cs.Tariff.MinTopUp()
	if len(amounts) > 0 {
		k = median(amounts)
	}
	if cs.Balance < 0 {
		k += debtInRubles(cs.Balance)
	}
	return min(k, MaxInvoiceAmount), nil
}

// debtInRubles is a negative balance's debt rounded up to whole rubles.
func debtInRubles(balance money.Kopecks) money.Kopecks {
	return (-balance + 99) / 100 * 100
}

// UsualTopUp is usualTopUp for one of the company's connected services.
func (s *Store) UsualTopUp(ctx context.Context, cs CompanyService) (money.Kopecks, error) {
	return usualTopUp(ctx, s.r, cs)
}
