package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
// (the vendor's calendar; and for the months before it, if a run missed
// them), for every company charged in it, if the monthly policy held on
// that month's first day: a line per service and tariff,
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

// lateMonths is how many months back the run looks for a month not yet
// closed: a server down over a first of the month closes it when it is up.
const lateMonths = 3

func (s *Store) issueMonthlyDocs(ctx context.Context, at time.Time, notify bool) (int, error) {
	v, err := s.Vendor(ctx)
	if err != nil {
		return 0, err
	}
	issued := 0
	var errs []error
	this := MonthStart(Today(at, VendorLocation))
	for back := lateMonths; back >= 1; back-- { // the oldest first, so that numbers follow the months
		month := this.AddDate(0, -back, 0)
		if policy, since := v.closingPolicySpan(month); policy == ClosingMonthly {
			n, err := s.issueMonth(ctx, month, since, at, notify)
			issued += n
			errs = append(errs, err)
		}
	}
	if began, since, ok := v.balanceClosingStart(Today(at, VendorLocation)); ok {
		n, err := s.issueBalanceDocs(ctx, began, since, at, notify)
		issued += n
		errs = append(errs, err)
	}
	return issued, errors.Join(errs...)
}

// issueMonth issues the month's УПД of every company charged in it and not
// yet closed, each in its own transaction, so that one company's trouble
// does not hold the others' documents back.
func (s *Store) issueMonth(ctx context.Context, month time.Time, since *time.Time, at time.Time, notify bool) (int, error) {
	from, to := monthInstants(month)
	// Company by company, each through the ledger's (company, source,
	// time) index, rather than the whole month of the ledger at once.
	// Those closed already are left out, so the hourly run writes nothing.
	ids, err := queryAll(ctx, s.r, scanID, `SELECT co.id FROM companies co WHERE EXISTS (SELECT 1 FROM transactions t
		WHERE t.company_id = co.id AND t.source IN `+monthSources+` AND t.created_at >= ? AND t.created_at < ?)
		AND NOT EXISTS (SELECT 1 FROM closing_documents d WHERE d.company_id = co.id AND d.basis = 'month' AND d.period_from = ?)
		ORDER BY co.id`, from, to, formatDate(month))
	if err != nil {
		return 0, fmt.Errorf("db: monthly documents: %w", err)
	}
	return s.issueEach(ctx, ids, month.Format("01.2006"), func(tx *sql.Tx, companyID int64) (string, error) {
		return s.issueMonthlyDoc(ctx, tx, companyID, month, since, at, notify)
	})
}

// issueEach issues a closing document of each company (for what, as the
// audit names it) in its own transaction, audited as the portal's own
// doing, so that one company's trouble does not hold the others' back; it
// returns how many were issued.
func (s *Store) issueEach(ctx context.Context, companyIDs []int64, what string, issue func(*sql.Tx, int64) (string, error)) (int, error) {
	issued := 0
	var errs []error
	for _, companyID := range companyIDs {
		var number string
		err := s.WithTx(ctx, func(tx *sql.Tx) (err error) {
			if number, err = issue(tx, companyID); err != nil || number == "" {
				return err
			}
			return s.writeAudit(ctx, tx, Actor{Login: "elk"}, companyID, AuditClosingIssued, "№ "+number+", "+what)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("db: closing document of company %d: %w", companyID, err))
		} else if number != "" {
			issued++
		}
	}
	return issued, errors.Join(errs...)
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
// "" for none. since is the day monthly closing began after closing by
// payment (nil: it always held), whose sales ahead the month does not
// bill again.
func (s *Store) issueMonthlyDoc(ctx context.Context, tx *sql.Tx, companyID int64, month time.Time, since *time.Time, at time.Time,
	notify bool) (string, error) {
	var done bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM closing_documents
		WHERE company_id = ? AND basis = 'month' AND period_from = ?)`, companyID, formatDate(month)).Scan(&done); err != nil || done {
		return "", err
	}
	lines, soldAhead, _, err := monthLines(ctx, tx, companyID, month, since)
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
	var advances []AdvanceRef
	if rate != money.NoVAT { // a document without VAT offsets no VAT
		if advances, err = offsetAdvances(ctx, tx, companyID, total, month.AddDate(0, 1, -1)); err != nil {
			return "", err
		}
	}
	months := []string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}
	item := fmt.Sprintf("Услуги за %s %d г.", months[month.Month()-1], month.Year())
	number, err := s.insertClosingDoc(ctx, tx, ClosingDoc{CompanyID: companyID, Form: FormUPD, UPDStatus: updStatus(rate), Basis: BasisMonth,
		PeriodFrom: month, PeriodTo: month.AddDate(0, 1, -1), Item: item, Amount: total, VATRate: rate, VAT: vat, Lines: lines,
		Advances: advances, SoldAhead: soldAhead}, at)
	if err != nil || !notify {
		return number, err
	}
	_, err = s.notifyCompany(ctx, tx, companyID, NoticeClosingIssued, "closing-"+number,
		NoticeParams{Act: number, Amount: total, Subject: item})
	return number, err
}

// offsetAdvances offsets a month's УПД of amount against the company's
// advance счета-фактуры not yet offset and issued by the month's last day,
// oldest first, and names those it took (line (5б), пп. 4 п. 5 ст. 169 НК
// РФ): the vendor deducts their VAT.
func offsetAdvances(ctx context.Context, tx *sql.Tx, companyID int64, amount money.Kopecks, last time.Time) ([]AdvanceRef, error) {
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
		WHERE company_id = ? AND form = 'advance' AND settled < amount AND issued_on <= ? ORDER BY id`, companyID, formatDate(last))
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
