package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// alertActor issues the invoices low-balance alerts carry.
var alertActor = Actor{Login: "elk"}

// openManualDays is how recent an unpaid invoice issued by hand must be
// for a low-balance alert to carry it instead of issuing its own.
const openManualDays = 30

// alertPayment fills in what a due low-balance alert offers to pay with:
// the service's tariff and the company's usual top-up for it, and, when the
// company has asked for it (withInvoice), the invoice for that amount — an
// unpaid one for the service (see openManualDays), else a fresh one, issued
// in the alert's transaction. An invoice that cannot be issued (the service
// is switched off, nothing to ask, the vendor's bank details are missing)
// leaves the alert with its link alone.
func (s *Store) alertPayment(ctx context.Context, tx *sql.Tx, companyServiceID int64, withInvoice bool, p *NoticeParams) error {
	cs, err := queryOne(ctx, tx, scanCompanyService, fmt.Sprintf("company service %d", companyServiceID),
		`SELECT `+companyServiceColumns+companyServiceFrom+`WHERE cs.id = ?`, companyServiceID)
	if err != nil {
		return err
	}
	// A retired tariff gives way to the service's current one, as the
	// invoice form does.
	today := Today(s.Now(), VendorLocation)
	tariff, err := currentTariff(ctx, tx, cs, today)
	if err != nil {
		return err
	}
	if tariff != nil {
		cs.Tariff, p.TariffID = *tariff, tariff.ID
	}
	if p.Amount, err = usualTopUp(ctx, tx, cs); err != nil {
		return err
	}
	if !withInvoice {
		return nil
	}
	// An unpaid invoice for the service is offered again rather than a
	// second one: the alert's own while it is unpaid, or one issued by hand
	// within the last openManualDays days (an older one is likely forgotten).
	var number string
	err = tx.QueryRowContext(ctx, `SELECT id, number, amount FROM invoices
		WHERE company_service_id = ? AND status IN ('issued', 'partially_paid') AND (auto = 1 OR issued_on >= ?)
		ORDER BY issued_on DESC, id DESC LIMIT 1`, cs.ID, formatDate(today.AddDate(0, 0, -openManualDays))).
		Scan(&p.InvoiceID, &number, &p.Amount)
	switch {
	case err == nil:
		p.Number = number
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("db: open alert invoice of service %d: %w", cs.ID, err)
	case p.Amount <= 0:
		return nil
	}
	// An invoice without the vendor's bank details cannot be paid: the
	// alert keeps its link until they are filled in.
	if v, err := vendorOf(ctx, tx); err != nil {
		return fmt.Errorf("db: vendor for the alert invoice: %w", err)
	} else if len(v.MissingPayeeDetails()) > 0 {
		return nil
	}
	ni := NewInvoice{Service: cs, Item: ServiceItem(cs.ServiceCode, ""), Amount: p.Amount, Auto: true}
	if tariff != nil {
		ni.Tariff, ni.Item = tariff, ServiceItem(cs.ServiceCode, tariff.Name)
	}
	id, err := s.createInvoice(ctx, tx, alertActor, ni, today)
	if errors.Is(err, ErrServiceNotInvoiced) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("db: alert invoice of service %d: %w", cs.ID, err)
	}
	p.InvoiceID = id
	return tx.QueryRowContext(ctx, `SELECT number FROM invoices WHERE id = ?`, id).Scan(&p.Number)
}

// onOff is a switch's new state as the audit log records it.
func onOff(on bool) string {
	if on {
		return "включено"
	}
	return "выключено"
}
