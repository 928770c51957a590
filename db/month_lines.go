package db

import (
	"cmp"
	"context"
	"slices"
	"time"

	"elk/db/money"
)

// monthCharge is one ledger entry of a month as its closing document sees
// it: a charge (positive) or a refund (negative) of units at a price.
type monthCharge struct {
	serviceID   int64
	serviceCode string
	source      string
	tariff      string // the subscription's tariff; "" for SMS
	unit        string
	charge      money.Kopecks
	units       int64
}

// monthLines are what a company's month of charges bills: SMS parts by
// price, subscriptions by tariff, a line each; a refund of a subscription
// takes one off its line, any other refund (and what nets below nothing)
// comes off its service's lines, as does what closing by payment sold
// ahead before monthly closing began on since (nil: it always held).
// Lines without units (entries from before units were kept) print as one
// service each. A document never bills less than nothing: what cannot be
// taken off is returned as left (a refund of a month billed before with
// nothing to take it from), for elk check to report; soldAhead is what was
// not billed for having been sold ahead.
func monthLines(ctx context.Context, q querier, companyID int64, month time.Time, since *time.Time) (
	lines []DocLine, soldAhead, left money.Kopecks, err error) {
	from, to := monthInstants(month)
	charges, err := queryAll(ctx, q, func(row scanner) (monthCharge, error) {
		var c monthCharge
		return c, row.Scan(&c.serviceID, &c.serviceCode, &c.source, &c.tariff, &c.unit, &c.charge, &c.units)
	}, `SELECT cs.id, sv.code, t.source, COALESCE(tf.name, ''), COALESCE(tf.unit, CASE WHEN sv.code = 'sms' THEN 'sms_part' ELSE '' END),
			-t.amount, COALESCE(t.units, 0)
		FROM transactions t JOIN company_services cs ON cs.id = t.company_service_id JOIN services sv ON sv.id = cs.service_id
		LEFT JOIN subscriptions su ON t.ref LIKE 'subscription:%' AND su.id = CAST(substr(t.ref, 14) AS INTEGER)
		LEFT JOIN tariffs tf ON tf.id = su.tariff_id
		WHERE t.company_id = ? AND t.source IN `+monthSources+` AND t.created_at >= ? AND t.created_at < ?
		ORDER BY sv.id, t.id`, companyID, from, to)
	if err != nil {
		return nil, 0, 0, err
	}
	smsTariffs, err := smsTariffNames(ctx, q, companyID)
	if err != nil {
		return nil, 0, 0, err
	}
	type key struct {
		service, tariff, unit string
		price                 money.Kopecks
	}
	var keys []key
	byKey := map[key]*DocLine{}
	takeOffs := map[string]money.Kopecks{} // by service code
	var services []int64
	for _, c := range charges {
		if !slices.Contains(services, c.serviceID) {
			services = append(services, c.serviceID)
		}
		var k key
		switch {
		case c.source == SourceRefund && c.tariff == "":
			takeOffs[c.serviceCode] -= c.charge
			continue
		case c.units == 0:
			k = key{service: c.serviceCode, tariff: c.tariff}
		default:
			k = key{c.serviceCode, c.tariff, c.unit, c.charge / money.Kopecks(c.units)}
			if k.price < 0 {
				k.price = -k.price
			}
		}
		l := byKey[k]
		if l == nil {
			name := c.tariff
			if c.serviceCode == ServiceSMS && c.units != 0 {
				name = smsTariffs[k.price]
			}
			l = &DocLine{Name: ServiceItem(c.serviceCode, name), Service: c.serviceCode, Unit: k.unit, Price: k.price}
			byKey[k] = l
			keys = append(keys, k)
		}
		l.Amount += c.charge
		if c.charge < 0 {
			l.Quantity -= c.units
		} else {
			l.Quantity += c.units
		}
	}
	out := make([]DocLine, 0, len(keys))
	for _, k := range keys {
		if l := *byKey[k]; l.Amount < 0 {
			takeOffs[l.Service] -= l.Amount // a refund of a month billed before
		} else {
			out = append(out, l)
		}
	}
	if since != nil {
		for _, id := range services {
			ahead, code, err := aheadOfMonth(ctx, q, id, *since, month)
			if err != nil {
				return nil, 0, 0, err
			}
			ahead = max(0, min(ahead, serviceTotal(out, code)-takeOffs[code]))
			takeOffs[code] += ahead
			soldAhead += ahead
		}
	}
	for code, amount := range takeOffs {
		left += takeOff(out, code, amount)
	}
	out = slices.DeleteFunc(out, func(l DocLine) bool { return l.Amount <= 0 })
	for i, l := range out {
		if l.Quantity <= 0 || money.Kopecks(l.Quantity)*l.Price != l.Amount {
			out[i] = DocLine{Name: l.Name, Service: l.Service, Quantity: 1, Price: l.Amount, Amount: l.Amount}
		}
	}
	return out, soldAhead, left, nil
}

func serviceTotal(lines []DocLine, code string) money.Kopecks {
	var total money.Kopecks
	for _, l := range lines {
		if l.Service == code {
			total += l.Amount
		}
	}
	return total
}

// takeOff takes an amount off a service's lines: first a line whose price
// it divides (whole units of it), then the largest; it returns what no line
// held.
func takeOff(lines []DocLine, code string, amount money.Kopecks) money.Kopecks {
	order := make([]int, 0, len(lines))
	for i, l := range lines {
		if l.Service == code {
			order = append(order, i)
		}
	}
	divides := func(i int) bool { return lines[i].Price > 0 && amount%lines[i].Price == 0 }
	slices.SortStableFunc(order, func(a, b int) int {
		if da, db := divides(a), divides(b); da != db {
			if da {
				return -1
			}
			return 1
		}
		return cmp.Compare(lines[b].Amount, lines[a].Amount)
	})
	for _, i := range order {
		if amount <= 0 {
			break
		}
		l := &lines[i]
		take := min(amount, l.Amount)
		l.Amount -= take
		if l.Price > 0 && take%l.Price == 0 {
			l.Quantity -= int64(take / l.Price)
		}
		amount -= take
	}
	return max(amount, 0)
}

// aheadOfMonth is what closing by payment sold of a service (its payments'
// УПД and acts, and the balances closed when it began, before monthly
// closing began on since) that was not spent before the month: the balance
// then, at most what was sold, less what was spent since. A month's УПД
// does not bill it again.
func aheadOfMonth(ctx context.Context, q querier, serviceID int64, since, month time.Time) (money.Kopecks, string, error) {
	began := dayStart(since)
	monthFrom, _ := monthInstants(month)
	var balance, sold, spent money.Kopecks
	var code string
	rows, err := q.QueryContext(ctx, `SELECT
		(SELECT COALESCE(sum(amount), 0) FROM transactions WHERE company_service_id = ?1 AND created_at < ?2),
		(SELECT COALESCE(sum(d.amount), 0) FROM closing_documents d JOIN invoices i ON i.id = d.invoice_id
			WHERE i.company_service_id = ?1 AND d.form IN ('act', 'upd') AND d.issued_on < ?3)
		+ (SELECT COALESCE(sum(json_extract(l.value, '$.amount')), 0)
			FROM company_services cs JOIN services sv ON sv.id = cs.service_id
			JOIN closing_documents d ON d.company_id = cs.company_id AND d.basis = 'balance' AND d.issued_on < ?3, json_each(d.lines) l
			WHERE cs.id = ?1 AND json_extract(l.value, '$.service') = sv.code),
		(SELECT COALESCE(-sum(amount), 0) FROM transactions WHERE company_service_id = ?1 AND source IN `+monthSources+`
			AND created_at >= ?2 AND created_at < ?4),
		(SELECT sv.code FROM company_services cs JOIN services sv ON sv.id = cs.service_id WHERE cs.id = ?1)`,
		serviceID, began, formatDate(since), monthFrom)
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	if rows.Next() {
		err = rows.Scan(&balance, &sold, &spent, &code)
	}
	return max(0, min(balance, sold)-spent), code, cmp.Or(err, rows.Err())
}

// smsTariffNames names the SMS prices by the company's SMS tariffs: its
// current one first, then any of the catalog's at that price.
func smsTariffNames(ctx context.Context, q querier, companyID int64) (map[money.Kopecks]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT tf.price, tf.name FROM tariffs tf JOIN services sv ON sv.id = tf.service_id
		WHERE sv.code = 'sms' ORDER BY tf.id IN (SELECT tariff_id FROM company_services WHERE company_id = ?), tf.id`, companyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[money.Kopecks]string{}
	for rows.Next() {
		var price money.Kopecks
		var name string
		if err := rows.Scan(&price, &name); err != nil {
			return nil, err
		}
		names[price] = name // later rows win: the company's own tariff last
	}
	return names, rows.Err()
}
