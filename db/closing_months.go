package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"elk/db/money"
)

// serviceTitles name the catalog's services as documents print them, in Russian.
var serviceTitles = map[string]string{ServiceSMS: "СМС", ServiceSupport: "Техническая поддержка", ServiceTMDrive: "TMDrive"}

// ServiceItem is how a document names a service and its tariff:
// «Услуга «СМС», тариф «Базовый»»; tariff may be "".
func ServiceItem(serviceCode, tariff string) string {
	item := "Услуга «" + serviceTitles[serviceCode] + "»"
	if tariff != "" {
		item += ", тариф «" + tariff + "»"
	}
	return item
}

// monthSources are the ledger's sources that a month's closing document
// covers: what was spent, less what was returned. Payments and staff
// corrections are not services rendered.
const monthSources = `('sms', 'subscription', 'refund')`

// MonthStart is the first day of the month the day falls in.
func MonthStart(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// IssueMonthlyDocs issues the УПД for the month before the one at falls in
// (the vendor's calendar), for every company charged in it, if the monthly
// policy held on that month's first day: a line per service and tariff,
// totalling what the ledger charged. A company's month is issued once, each
// in its own transaction, audited as the portal's own doing, and the
// company is told; it returns how many were issued.
func (s *Store) IssueMonthlyDocs(ctx context.Context, at time.Time) (int, error) {
	return s.issueMonthlyDocs(ctx, at, true)
}

// IssueMonthlyDocsAt issues as IssueMonthlyDocs does without telling the
// companies: history entered afterwards (the demo's).
func (s *Store) IssueMonthlyDocsAt(ctx context.Context, at time.Time) (int, error) {
	return s.issueMonthlyDocs(ctx, at, false)
}

func (s *Store) issueMonthlyDocs(ctx context.Context, at time.Time, notify bool) (int, error) {
	a := Actor{Login: "elk"}
	v, err := s.Vendor(ctx)
	if err != nil {
		return 0, err
	}
	month := MonthStart(Today(at, VendorLocation)).AddDate(0, -1, 0)
	if v.ClosingPolicyOn(month) != ClosingMonthly {
		return 0, nil
	}
	from, to := monthInstants(month)
	ids, err := queryAll(ctx, s.r, scanID, `SELECT DISTINCT company_id FROM transactions
		WHERE source IN `+monthSources+` AND created_at >= ? AND created_at < ? ORDER BY company_id`, from, to)
	if err != nil {
		return 0, fmt.Errorf("db: monthly documents: %w", err)
	}
	issued := 0
	for _, companyID := range ids {
		var number string
		err := s.WithTx(ctx, func(tx *sql.Tx) (err error) {
			number, err = s.issueMonthlyDoc(ctx, tx, companyID, month, at, notify)
			if err != nil || number == "" {
				return err
			}
			return s.writeAudit(ctx, tx, a, companyID, AuditClosingIssued, "№ "+number+", "+month.Format("01.2006"))
		})
		if err != nil {
			return issued, fmt.Errorf("db: monthly document of company %d: %w", companyID, err)
		}
		if number != "" {
			issued++
		}
	}
	return issued, nil
}

// monthInstants are the instants a month of the vendor's calendar starts
// and ends at, as stored.
func monthInstants(month time.Time) (string, string) {
	start := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, VendorLocation)
	return formatTime(start), formatTime(start.AddDate(0, 1, 0))
}

func scanID(row scanner) (int64, error) {
	var id int64
	return id, row.Scan(&id)
}

// issueMonthlyDoc issues a company's УПД for the month unless it has one or
// nothing was spent, telling the company if notify; it returns the number,
// "" for none.
func (s *Store) issueMonthlyDoc(ctx context.Context, tx *sql.Tx, companyID int64, month, at time.Time, notify bool) (string, error) {
	var done bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM closing_documents
		WHERE company_id = ? AND basis = 'month' AND period_from = ?)`, companyID, formatDate(month)).Scan(&done); err != nil || done {
		return "", err
	}
	lines, err := monthLines(ctx, tx, companyID, month)
	if err != nil {
		return "", err
	}
	var total money.Kopecks
	for _, l := range lines {
		total += l.Amount
	}
	if total <= 0 {
		return "", nil
	}
	_, _, rate, err := partiesOn(ctx, tx, companyID)
	if err != nil {
		return "", err
	}
	vat := spreadVAT(lines, rate)
	advances, err := offsetAdvances(ctx, tx, companyID, total)
	if err != nil {
		return "", err
	}
	months := []string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}
	item := fmt.Sprintf("Услуги за %s %d г.", months[month.Month()-1], month.Year())
	number, err := s.insertClosingDoc(ctx, tx, ClosingDoc{CompanyID: companyID, Form: FormUPD, UPDStatus: updStatus(rate), Basis: BasisMonth,
		PeriodFrom: month, PeriodTo: month.AddDate(0, 1, -1), Item: item, Amount: total, VATRate: rate, VAT: vat, Lines: lines,
		Advances: advances}, at)
	if err != nil || !notify {
		return number, err
	}
	_, err = s.notifyCompany(ctx, tx, companyID, NoticeClosingIssued, "closing-"+number,
		NoticeParams{Act: number, Amount: total, Subject: item})
	return number, err
}

// offsetAdvances offsets a month's УПД of amount against the company's
// advance счета-фактуры not yet offset, oldest first, and names those it
// took (line (5б), пп. 4 п. 5 ст. 169 НК РФ): the vendor deducts their VAT.
func offsetAdvances(ctx context.Context, tx *sql.Tx, companyID int64, amount money.Kopecks) ([]AdvanceRef, error) {
	type advance struct {
		id       int64
		ref      AdvanceRef
		unoffset money.Kopecks
	}
	open, err := queryAll(ctx, tx, func(row scanner) (advance, error) {
		var a advance
		var issued string
		err := row.Scan(&a.id, &a.ref.Number, &issued, &a.unoffset)
		a.ref.IssuedOn = parseDate(issued)
		return a, err
	}, `SELECT id, number, issued_on, amount - settled FROM closing_documents
		WHERE company_id = ? AND form = 'advance' AND settled < amount ORDER BY id`, companyID)
	if err != nil {
		return nil, err
	}
	var refs []AdvanceRef
	for _, a := range open {
		if amount == 0 {
			break
		}
		take := min(amount, a.unoffset)
		if _, err := tx.ExecContext(ctx, `UPDATE closing_documents SET settled = settled + ? WHERE id = ?`, int64(take), a.id); err != nil {
			return nil, err
		}
		amount -= take
		refs = append(refs, a.ref)
	}
	return refs, nil
}

// spreadVAT sets each line's VAT at the rate, the last line taking what
// rounding leaves so that they add up to the total's VAT, which it returns.
func spreadVAT(lines []DocLine, rate int) money.Kopecks {
	var total, spread money.Kopecks
	for _, l := range lines {
		total += l.Amount
	}
	vat := money.VATOf(total, rate)
	for i := range lines {
		lines[i].VAT = money.VATOf(lines[i].Amount, rate)
		if i == len(lines)-1 {
			lines[i].VAT = vat - spread
		}
		spread += lines[i].VAT
	}
	return vat
}

// monthCharge is one ledger entry of a month as its closing document sees
// it: a charge (positive) or a refund (negative) of units at a price.
type monthCharge struct {
	serviceCode string
	source      string
	tariff      string // the subscription's tariff; "" for SMS
	unit        string
	charge      money.Kopecks
	units       int64
}

// monthLines sums a company's month of charges into lines: SMS parts by
// price, subscriptions by tariff; a refund of a subscription takes one off
// its line, any other refund comes off its service's largest line (in
// whole units when it divides). Lines without units (entries from before
// units were kept) print as one service each.
func monthLines(ctx context.Context, tx *sql.Tx, companyID int64, month time.Time) ([]DocLine, error) {
	from, to := monthInstants(month)
	charges, err := queryAll(ctx, tx, func(row scanner) (monthCharge, error) {
		var c monthCharge
		return c, row.Scan(&c.serviceCode, &c.source, &c.tariff, &c.unit, &c.charge, &c.units)
	}, `SELECT sv.code, t.source, COALESCE(tf.name, ''), COALESCE(tf.unit, CASE WHEN sv.code = 'sms' THEN 'sms_part' ELSE '' END),
			-t.amount, COALESCE(t.units, 0)
		FROM transactions t JOIN company_services cs ON cs.id = t.company_service_id JOIN services sv ON sv.id = cs.service_id
		LEFT JOIN subscriptions su ON t.ref LIKE 'subscription:%' AND su.id = CAST(substr(t.ref, 14) AS INTEGER)
		LEFT JOIN tariffs tf ON tf.id = su.tariff_id
		WHERE t.company_id = ? AND t.source IN `+monthSources+` AND t.created_at >= ? AND t.created_at < ?
		ORDER BY sv.id, t.id`, companyID, from, to)
	if err != nil {
		return nil, err
	}
	smsTariffs, err := smsTariffNames(ctx, tx, companyID)
	if err != nil {
		return nil, err
	}
	type key struct {
		service, tariff, unit string
		price                 money.Kopecks
	}
	var keys []key
	lines := map[key]*DocLine{}
	var loose []monthCharge // refunds of no subscription
	for _, c := range charges {
		var k key
		switch {
		case c.source == SourceRefund && c.tariff == "":
			loose = append(loose, c)
			continue
		case c.units == 0:
			k = key{service: c.serviceCode, tariff: c.tariff}
		default:
			k = key{c.serviceCode, c.tariff, c.unit, c.charge / money.Kopecks(c.units)}
			if k.price < 0 {
				k.price = -k.price
			}
		}
		l := lines[k]
		if l == nil {
			name := c.tariff
			if c.serviceCode == ServiceSMS && c.units != 0 {
				name = smsTariffs[k.price]
			}
			l = &DocLine{Name: ServiceItem(c.serviceCode, name), Unit: k.unit, Price: k.price}
			lines[k] = l
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
		out = append(out, *lines[k])
	}
	for _, r := range loose {
		out = takeRefund(out, r)
	}
	out = slices.DeleteFunc(out, func(l DocLine) bool { return l.Amount == 0 })
	for i := range out {
		if out[i].Quantity <= 0 || money.Kopecks(out[i].Quantity)*out[i].Price != out[i].Amount {
			out[i] = DocLine{Name: out[i].Name, Quantity: 1, Price: out[i].Amount, Amount: out[i].Amount}
		}
	}
	return out, nil
}

// takeRefund takes a refund off the largest line of its service: whole
// units of it when the refund divides by its price.
func takeRefund(lines []DocLine, r monthCharge) []DocLine {
	prefix := ServiceItem(r.serviceCode, "")
	best := -1
	for i, l := range lines {
		if strings.HasPrefix(l.Name, prefix) && (best < 0 || l.Amount > lines[best].Amount) {
			best = i
		}
	}
	if best < 0 {
		// Nothing of the service to take it from: a document cannot bill
		// less than nothing, and elk check reports the month.
		return lines
	}
	l := &lines[best]
	l.Amount += r.charge
	if l.Price > 0 && r.charge%l.Price == 0 {
		l.Quantity += int64(r.charge / l.Price)
	}
	return lines
}

// smsTariffNames names the SMS prices by the company's SMS tariffs: its
// current one first, then any of the catalog's at that price.
func smsTariffNames(ctx context.Context, tx *sql.Tx, companyID int64) (map[money.Kopecks]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT tf.price, tf.name FROM tariffs tf JOIN services sv ON sv.id = tf.service_id
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
