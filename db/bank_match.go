package db

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"elk/db/bankexchange"
	"elk/db/money"
)

// How a statement's payment meets the portal's invoices.
const (
	MatchInvoice  = "matched"   // an invoice of the payer's company that awaits at least the amount
	MatchWarning  = "warning"   // an invoice, with Warnings to read
	MatchNone     = "unmatched" // no invoice named: staff choose where it goes
	MatchRecorded = "recorded"  // this payment was recorded before
	MatchOutgoing = "outgoing"  // not money into the vendor's account: skipped
)

// Warnings of a matched payment.
const (
	WarnINNDiffers    = "inn_differs"    // the payer is not the invoice's company
	WarnExceedsDue    = "exceeds_due"    // more than is due: the rest tops the service up
	WarnInvoiceClosed = "invoice_closed" // the invoice is paid or cancelled: the money tops its service up
)

// BankMatch is a statement's payment as the preview shows it.
type BankMatch struct {
	Index    int // in the statement's documents
	Doc      bankexchange.Document
	Kind     string
	Warnings []string
	Invoice  *Invoice // the invoice its purpose names
	Company  *Company // the invoice's company, else the payer's
	Payer    *Company // the company whose ИНН paid, if one has it
}

// Key is what makes a payment the same in two statements.
func bankKey(payerINN, number string, paidOn time.Time, amount money.Kopecks) string {
	return payerINN + "|" + number + "|" + formatDate(paidOn) + "|" + strconv.FormatInt(int64(amount), 10)
}

// invoiceNamed is an invoice named the usual ways: «счёт 123», «сч. № 123
// от 02.12.2026», «по счету 2026-000123», «счет на оплату N 123» — «сч» as
// a word of its own, not inside «расчет».
var invoiceNamed = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:сч[её]т[ауе]?|сч\.)\s*(?:на\s+оплату\s*)?(?:№|n|#)?\s*` +
	`(?:(20\d\d)[-/])?(\d{1,6})\b(?:\s*от\s*\d{2}\.\d{2}\.(\d{4}))?`)

// invoiceNumber is a number in the portal's own form, 2026-000123, not a
// date's beginning (2026-12-01).
var invoiceNumber = regexp.MustCompile(`\b(20\d\d)-(\d{1,6})\b(-\d)?`)

// invoiceNumbersIn are the invoices a payment's purpose may name, in the
// portal's numbering, likeliest first: an invoice named as one before a
// bare number; a year written, else the payment's and then the year before
// (a January payment of a December invoice).
func invoiceNumbersIn(purpose string, paidOn time.Time) []string {
	format := func(year string, n string) string {
		v, _ := strconv.Atoi(n)
		return fmt.Sprintf("%s-%06d", year, v)
	}
	if m := invoiceNamed.FindStringSubmatch(purpose); m != nil {
		switch {
		case m[1] != "":
			return []string{format(m[1], m[2])}
		case m[3] != "":
			return []string{format(m[3], m[2])}
		}
		return []string{format(strconv.Itoa(paidOn.Year()), m[2]), format(strconv.Itoa(paidOn.Year()-1), m[2])}
	}
	for _, m := range invoiceNumber.FindAllStringSubmatch(purpose, -1) {
		if m[3] == "" {
			return []string{format(m[1], m[2])}
		}
	}
	return nil
}

// MatchStatement previews a statement: which of its payments pay which
// invoices, which need staff to choose, which came before, which are not
// money in. It writes nothing. Companies, payments recorded before and the
// invoices named are read once, so a statement of thousands reads fast.
func (s *Store) MatchStatement(ctx context.Context, st bankexchange.Statement) ([]BankMatch, error) {
	v, err := s.Vendor(ctx)
	if err != nil {
		return nil, err
	}
	companies, err := queryAll(ctx, s.r, scanCompanyRow, `SELECT `+companyColumns+` FROM companies co ORDER BY co.id`)
	if err != nil {
		return nil, fmt.Errorf("db: match statement: %w", err)
	}
	byINN := map[string]*Company{}
	byID := map[int64]*Company{}
	for i := range companies {
		c := &companies[i]
		byID[c.ID] = c
		if c.INN != "" && byINN[c.INN] == nil {
			byINN[c.INN] = c
		}
	}
	seen, err := s.paymentsSeen(ctx, st)
	if err != nil {
		return nil, err
	}
	invoices := map[string]*Invoice{}
	out := make([]BankMatch, len(st.Documents))
	for i, d := range st.Documents {
		m := BankMatch{Index: i, Doc: d}
		paidOn := d.Date
		if d.Received != nil {
			paidOn = *d.Received
		}
		switch {
		// The accounts decide, not the dates: some banks fill both. The
		// vendor moving its own money is no client's payment.
		case d.RecipientAccount != v.BankAccount || d.PayerAccount == v.BankAccount || d.PayerINN == v.INN || d.Amount <= 0:
			m.Kind = MatchOutgoing
		case seen[bankKey(d.PayerINN, d.Number, paidOn, d.Amount)] || seen[handKey(d.Number, paidOn, d.Amount)]:
			m.Kind = MatchRecorded
		}
		m.Payer = byINN[d.PayerINN]
		m.Company = m.Payer
		if m.Kind == "" {
			// Of the invoices it may name, the payer's own open one first.
			for _, number := range invoiceNumbersIn(d.Purpose, paidOn) {
				inv, ok := invoices[number]
				if !ok {
					found, err := queryAll(ctx, s.r, scanInvoice, `SELECT `+invoiceColumns+invoiceFrom+` WHERE i.number = ?`, number)
					if err != nil {
						return nil, fmt.Errorf("db: match statement: %w", err)
					}
					if len(found) == 1 {
						inv = &found[0]
					}
					invoices[number] = inv
				}
				if inv == nil {
					continue
				}
				if m.Invoice == nil {
					m.Invoice = inv
				}
				if c := byID[inv.CompanyID]; c != nil && c.INN == d.PayerINN && inv.Due() > 0 {
					m.Invoice = inv
					break
				}
			}
		}
		if m.Kind == "" {
			m.Kind, m.Warnings = invoiceMatch(m.Invoice, d, byID)
			if m.Invoice != nil {
				m.Company = byID[m.Invoice.CompanyID]
			}
		}
		out[i] = m
	}
	return out, nil
}

// invoiceMatch says how a payment meets the invoice its purpose names.
func invoiceMatch(inv *Invoice, d bankexchange.Document, companies map[int64]*Company) (string, []string) {
	if inv == nil {
		return MatchNone, nil
	}
	var warnings []string
	if c := companies[inv.CompanyID]; c == nil || c.INN != d.PayerINN {
		warnings = append(warnings, WarnINNDiffers)
	}
	switch {
	case inv.Due() == 0:
		warnings = append(warnings, WarnInvoiceClosed)
	case d.Amount > inv.Due():
		warnings = append(warnings, WarnExceedsDue)
	}
	if len(warnings) > 0 {
		return MatchWarning, warnings
	}
	return MatchInvoice, nil
}

// handKey is a payment staff recorded by hand as a statement would name
// it: its reference's digits as the number, on its day, for its amount —
// whichever company's invoice it was put on, since one company often pays
// for another.
func handKey(number string, paidOn time.Time, amount money.Kopecks) string {
	return "hand|" + bankKey("", digits(number), paidOn, amount)
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// paymentsSeen are the keys of the payments recorded before within the
// statement's dates: from earlier statements, and by hand.
func (s *Store) paymentsSeen(ctx context.Context, st bankexchange.Statement) (map[string]bool, error) {
	seen := map[string]bool{}
	if len(st.Documents) == 0 {
		return seen, nil
	}
	first, last := st.Documents[0].Date, st.Documents[0].Date
	for _, d := range st.Documents {
		for _, day := range []*time.Time{&d.Date, d.Received} {
			if day != nil && day.Before(first) {
				first = *day
			}
			if day != nil && day.After(last) {
				last = *day
			}
		}
	}
	// Payments a statement made are found by their bank key; the others
	// were recorded by hand.
	rows, err := s.r.QueryContext(ctx, `SELECT 'bank', payer_inn, number, paid_on, amount FROM bank_payments WHERE paid_on BETWEEN ?1 AND ?2
		UNION ALL SELECT 'hand', '', p.reference, p.paid_on, p.amount FROM payments p WHERE p.paid_on BETWEEN ?1 AND ?2
			AND p.id NOT IN (SELECT payment_id FROM bank_payments)`, formatDate(first), formatDate(last))
	if err != nil {
		return nil, fmt.Errorf("db: payments seen: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, inn, number, paidOn string
		var amount money.Kopecks
		if err := rows.Scan(&kind, &inn, &number, &paidOn, &amount); err != nil {
			return nil, err
		}
		if kind == "bank" {
			seen[bankKey(inn, number, parseDate(paidOn), amount)] = true
		} else {
			seen[handKey(number, parseDate(paidOn), amount)] = true
		}
	}
	return seen, rows.Err()
}
