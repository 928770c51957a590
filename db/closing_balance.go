package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"elk/db/money"
)

// dayStart is the instant a day of the vendor's calendar starts at, as stored.
func dayStart(day time.Time) string {
	return formatTime(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, VendorLocation))
}

// balanceClosingStart is the day closing by payment began after monthly
// closing, if that was within lateMonths before today, and the day that
// monthly closing had itself begun after closing by payment (nil: it
// always held). ok is false when there is no such change to close.
func (v Vendor) balanceClosingStart(today time.Time) (began time.Time, monthlySince *time.Time, ok bool) {
	policy, from := v.closingPolicySpan(today)
	if policy != ClosingOnPayment || from == nil || !today.Before(from.AddDate(0, lateMonths, 0)) {
		return time.Time{}, nil, false
	}
	before, since := v.closingPolicySpan(from.AddDate(0, 0, -1))
	return *from, since, before == ClosingMonthly
}

// issueBalanceDocs closes, when closing by payment follows monthly closing,
// what companies paid under monthly closing and had not spent: under the
// new policy no later document would, since a payment's УПД covers only
// its own payment. Each company's УПД, once, in its own transaction.
func (s *Store) issueBalanceDocs(ctx context.Context, began time.Time, monthlySince *time.Time, at time.Time, notify bool) (int, error) {
	ids, err := queryAll(ctx, s.r, scanID, `SELECT co.id FROM companies co WHERE NOT EXISTS (SELECT 1 FROM closing_documents d
		WHERE d.company_id = co.id AND d.basis = 'balance' AND d.period_from = ?) ORDER BY co.id`, formatDate(began))
	if err != nil {
		return 0, fmt.Errorf("db: balance documents: %w", err)
	}
	return s.issueEach(ctx, ids, began.Format("02.01.2006"), func(tx *sql.Tx, companyID int64) (string, error) {
		return s.issueBalanceDoc(ctx, tx, companyID, began, monthlySince, at, notify)
	})
}

// issueBalanceDoc issues a company's УПД of its balance on the day closing
// by payment began, less what payments' УПД sold before monthly closing,
// and at most what it paid under monthly closing (a discount is no
// payment), a line per service; "" when there is none.
func (s *Store) issueBalanceDoc(ctx context.Context, tx *sql.Tx, companyID int64, began time.Time, monthlySince *time.Time,
	at time.Time, notify bool) (string, error) {
	monthlyStart := ""
	if monthlySince != nil {
		monthlyStart = dayStart(*monthlySince)
	}
	var done bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM closing_documents
		WHERE company_id = ? AND basis = 'balance' AND period_from = ?)`, companyID, formatDate(began)).Scan(&done); err != nil || done {
		return "", err
	}
	type service struct {
		id           int64
		code, tariff string
		balance      money.Kopecks
		paid         money.Kopecks // under monthly closing
	}
	services, err := queryAll(ctx, tx, func(row scanner) (service, error) {
		var sv service
		return sv, row.Scan(&sv.id, &sv.code, &sv.tariff, &sv.balance, &sv.paid)
	}, `SELECT cs.id, sv.code, COALESCE(tf.name, ''),
			(SELECT COALESCE(sum(t.amount), 0) FROM transactions t WHERE t.company_service_id = cs.id AND t.created_at < ?1),
			(SELECT COALESCE(sum(t.amount), 0) FROM transactions t WHERE t.company_service_id = cs.id AND t.source = 'payment'
				AND t.created_at >= ?2 AND t.created_at < ?1)
		FROM company_services cs JOIN services sv ON sv.id = cs.service_id LEFT JOIN tariffs tf ON tf.id = cs.tariff_id
		WHERE cs.company_id = ?3 ORDER BY sv.id`, dayStart(began), monthlyStart, companyID)
	if err != nil {
		return "", err
	}
	var lines []DocLine
	var total money.Kopecks
	for _, sv := range services {
		open := sv.balance
		if monthlySince != nil {
			ahead, _, err := aheadOfMonth(ctx, tx, sv.id, *monthlySince, began)
			if err != nil {
				return "", err
			}
			open -= ahead
		}
		open = min(open, sv.paid)
		if open <= 0 {
			continue
		}
		name := ServiceItem(sv.code, "") + " (предоплата)"
		if sv.tariff != "" {
			name = "Услуги по тарифу «" + sv.tariff + "» (предоплата)"
		}
		lines = append(lines, DocLine{Name: name, Service: sv.code, Quantity: 1, Price: open, Amount: open})
		total += open
	}
	if total == 0 {
		return "", nil
	}
	_, _, rate, err := partiesOn(ctx, tx, companyID)
	if err != nil {
		return "", err
	}
	vat := spreadVAT(lines, rate)
	var advances []AdvanceRef
	if rate != money.NoVAT {
		if advances, err = offsetAdvances(ctx, tx, companyID, total, began.AddDate(0, 0, -1)); err != nil {
			return "", err
		}
	}
	item := "Предоплата, не закрытая на " + began.Format("02.01.2006")
	number, err := s.insertClosingDoc(ctx, tx, ClosingDoc{CompanyID: companyID, Form: FormUPD, UPDStatus: updStatus(rate),
		Basis: BasisBalance, PeriodFrom: began, PeriodTo: began, Item: item, Amount: total, VATRate: rate, VAT: vat,
		Lines: lines, Advances: advances}, at)
	if err != nil || !notify {
		return number, err
	}
	_, err = s.notifyCompany(ctx, tx, companyID, NoticeClosingIssued, "closing-"+number, NoticeParams{Act: number, Amount: total, Subject: item})
	return number, err
}
