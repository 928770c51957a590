package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"elk/db/money"
)

// Forms of the documents issued after an invoice.
const (
	FormAct     = "act"     // акт оказанных услуг, issued before УПД; kept as issued
	FormUPD     = "upd"     // универсальный передаточный документ
	FormAdvance = "advance" // счёт-фактура on a payment received in advance
)

// What a closing document covers.
const (
	BasisPayment = "payment" // a payment received, under ClosingOnPayment
	BasisMonth   = "month"   // a month's spending, under ClosingMonthly
	BasisBalance = "balance" // the balance paid and not closed when ClosingOnPayment followed ClosingMonthly
)

// UPD statuses: 1 is a счёт-фактура and a transfer document in one, 2 a
// transfer document only, for a seller who charges no VAT.
const (
	UPDWithVAT    = 1
	UPDWithoutVAT = 2
)

// DocLine is a row of a document's table; Amount includes VAT.
type DocLine struct {
	Name     string        `json:"name"`
	Service  string        `json:"service,omitempty"` // the service's code; "" in documents made before it was kept
	Unit     string        `json:"unit"`              // UnitSMSPart, UnitMonth, UnitRequest, or "" for a service as a whole
	Quantity int64         `json:"qty"`
	Price    money.Kopecks `json:"price"`
	Amount   money.Kopecks `json:"amount"`
	VAT      money.Kopecks `json:"vat"`
}

// ClosingDoc is a document issued after an invoice: the УПД (or, issued
// before, the act) for a payment or a month's spending, or the advance
// счёт-фактура for a payment. All are numbered in one numbering.
type ClosingDoc struct {
	ID        int64
	CompanyID int64
	Form      string // FormAct, FormUPD or FormAdvance
	UPDStatus int    // UPDWithVAT or UPDWithoutVAT; 0 unless a УПД
	Basis     string // BasisPayment, BasisMonth or BasisBalance
	// The invoice and payment of a BasisPayment document; zero for a month.
	InvoiceID        int64
	InvoiceNumber    string
	InvoiceDate      time.Time
	PaymentID        int64
	PaymentReference string    // the payment order's number
	PaidOn           time.Time // the payment's own date, which may be before the document's
	ServiceCode      string    // the invoice's service; "" for a month
	Number           string
	IssuedOn         time.Time
	// PeriodFrom..PeriodTo is the period the services were rendered in: a
	// month, the months a payment covers, or the payment's day.
	PeriodFrom, PeriodTo time.Time
	Item                 string // what it is for, in a line: the list shows it
	Amount               money.Kopecks
	VATRate              int
	VAT                  money.Kopecks
	Lines                []DocLine
	Advances             []AdvanceRef  // the advance счета-фактуры a month's УПД offsets
	SoldAhead            money.Kopecks // what a month's УПД left out for payments' УПД having sold it
	Supplier, Buyer      Requisites
}

// AdvanceRef names an advance счёт-фактура: line (5б) of the УПД that offsets it.
type AdvanceRef struct {
	Number   string    `json:"number"`
	IssuedOn time.Time `json:"issued_on"`
}

const closingColumns = `d.id, d.company_id, d.form, COALESCE(d.upd_status, 0), d.basis, COALESCE(d.invoice_id, 0),
	COALESCE(i.number, ''), COALESCE(i.issued_on, ''), COALESCE(d.payment_id, 0), COALESCE(p.reference, ''),
	COALESCE(p.paid_on, ''), COALESCE(sv.code, ''), d.number, d.issued_on, d.period_from, d.period_to, d.item,
	d.amount, d.vat_rate, d.vat, d.lines, d.advances, d.sold_ahead, d.supplier, d.buyer`

const closingFrom = ` FROM closing_documents d LEFT JOIN invoices i ON i.id = d.invoice_id
	LEFT JOIN payments p ON p.id = d.payment_id LEFT JOIN company_services cs ON cs.id = i.company_service_id
	LEFT JOIN services sv ON sv.id = cs.service_id`

func scanClosingDoc(row scanner) (ClosingDoc, error) {
	var d ClosingDoc
	var invoiceDate, paidOn, issued, from, to, lines, advances, supplier, buyer string
	var vat sql.NullInt64
	err := row.Scan(&d.ID, &d.CompanyID, &d.Form, &d.UPDStatus, &d.Basis, &d.InvoiceID, &d.InvoiceNumber, &invoiceDate,
		&d.PaymentID, &d.PaymentReference, &paidOn, &d.ServiceCode, &d.Number, &issued, &from, &to, &d.Item,
		&d.Amount, &vat, &d.VAT, &lines, &advances, &d.SoldAhead, &supplier, &buyer)
	if err != nil {
		return d, err
	}
	d.InvoiceDate, d.PaidOn, d.IssuedOn = parseDate(invoiceDate), parseDate(paidOn), parseDate(issued)
	d.PeriodFrom, d.PeriodTo, d.VATRate = parseDate(from), parseDate(to), vatFromDB(vat)
	return d, errors.Join(json.Unmarshal([]byte(lines), &d.Lines), json.Unmarshal([]byte(advances), &d.Advances),
		json.Unmarshal([]byte(supplier), &d.Supplier), json.Unmarshal([]byte(buyer), &d.Buyer))
}

// ClosingDoc returns one of the company's closing documents.
func (s *Store) ClosingDoc(ctx context.Context, companyID, id int64) (ClosingDoc, error) {
	return queryOne(ctx, s.r, scanClosingDoc, fmt.Sprintf("closing document %d", id),
		`SELECT `+closingColumns+closingFrom+` WHERE d.id = ? AND d.company_id = ?`, id, companyID)
}

// ClosingDocByID returns any company's closing document; only the back office may use it.
func (s *Store) ClosingDocByID(ctx context.Context, id int64) (ClosingDoc, error) {
	return queryOne(ctx, s.r, scanClosingDoc, fmt.Sprintf("closing document %d", id),
		`SELECT `+closingColumns+closingFrom+` WHERE d.id = ?`, id)
}

// InvoiceClosingDocs returns the documents issued on an invoice's payments, oldest first.
func (s *Store) InvoiceClosingDocs(ctx context.Context, invoiceID int64) ([]ClosingDoc, error) {
	out, err := queryAll(ctx, s.r, scanClosingDoc, `SELECT `+closingColumns+closingFrom+` WHERE d.invoice_id = ? ORDER BY d.id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("db: documents of invoice %d: %w", invoiceID, err)
	}
	return out, nil
}

// insertClosingDoc numbers a document in the closing documents' numbering,
// dated the day it is made (at), so that numbers and dates never go back,
// and stores it with both parties as they are on that day.
func (s *Store) insertClosingDoc(ctx context.Context, tx *sql.Tx, d ClosingDoc, at time.Time) (string, error) {
	day := Today(at, VendorLocation)
	number, err := nextNumber(ctx, tx, "act", day)
	if err != nil {
		return "", err
	}
	supplier, buyer, _, err := partiesOn(ctx, tx, d.CompanyID)
	if err != nil {
		return "", err
	}
	lines, err := json.Marshal(d.Lines)
	if err != nil {
		return "", err
	}
	if d.Advances == nil {
		d.Advances = []AdvanceRef{}
	}
	advances, err := json.Marshal(d.Advances)
	if err != nil {
		return "", err
	}
	var updStatus any
	if d.Form == FormUPD {
		updStatus = d.UPDStatus
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO closing_documents (company_id, form, upd_status, basis, invoice_id, payment_id,
		number, issued_on, period_from, period_to, item, amount, vat_rate, vat, lines, advances, sold_ahead, supplier, buyer, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.CompanyID, d.Form, updStatus, d.Basis, nullIfZero(d.InvoiceID), nullIfZero(d.PaymentID), number, formatDate(day),
		formatDate(d.PeriodFrom), formatDate(d.PeriodTo), d.Item, int64(d.Amount), vatToDB(d.VATRate), int64(d.VAT),
		string(lines), string(advances), int64(d.SoldAhead), supplier, buyer, formatTime(at))
	return number, err
}

// updStatus is the status of a УПД at a VAT rate: without VAT it is no
// счёт-фактура.
func updStatus(rate int) int {
	if rate == money.NoVAT {
		return UPDWithoutVAT
	}
	return UPDWithVAT
}
