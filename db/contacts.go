package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Kinds of notification contact.
const (
	ContactEmail = "email"
	ContactPhone = "phone"
)

// NotificationContacts are the addresses a company's notifications go to.
type NotificationContacts struct {
	Emails []string
	Phones []string
}

// CompanyContacts returns a company's notification e-mails and phones in the order they were entered.
func (s *Store) CompanyContacts(ctx context.Context, companyID int64) (NotificationContacts, error) {
	var nc NotificationContacts
	rows, err := s.r.QueryContext(ctx,
		`SELECT kind, value FROM notification_contacts WHERE company_id = ? ORDER BY position, id`, companyID)
	if err != nil {
		return nc, fmt.Errorf("db: contacts of %d: %w", companyID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		if err := rows.Scan(&kind, &value); err != nil {
			return nc, fmt.Errorf("db: contacts of %d: %w", companyID, err)
		}
		if kind == ContactEmail {
			nc.Emails = append(nc.Emails, value)
		} else {
			nc.Phones = append(nc.Phones, value)
		}
	}
	return nc, rows.Err()
}

// SetCompanyContacts replaces a company's notification contacts as a whole.
// The caller has validated and de-duplicated them.
func (s *Store) SetCompanyContacts(ctx context.Context, a Actor, companyID int64, nc NotificationContacts) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		return s.setCompanyContacts(ctx, tx, a, companyID, nc)
	})
}

func (s *Store) setCompanyContacts(ctx context.Context, tx *sql.Tx, a Actor, companyID int64, nc NotificationContacts) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM notification_contacts WHERE company_id = ?`, companyID); err != nil {
		return fmt.Errorf("db: set contacts of %d: %w", companyID, err)
	}
	if err := insertContacts(ctx, tx, companyID, ContactEmail, nc.Emails); err != nil {
		return fmt.Errorf("db: set contacts of %d: %w", companyID, err)
	}
	if err := insertContacts(ctx, tx, companyID, ContactPhone, nc.Phones); err != nil {
		return fmt.Errorf("db: set contacts of %d: %w", companyID, err)
	}
	details := strings.Join(append(append([]string{}, nc.Emails...), nc.Phones...), ", ")
	if err := s.writeAudit(ctx, tx, a, companyID, AuditContactsUpdated, details); err != nil {
		return err
	}
	// An alert nobody could be told yet goes to the new recipients.
	return s.checkSMSAlert(ctx, tx, companyID)
}

func insertContacts(ctx context.Context, tx *sql.Tx, companyID int64, kind string, values []string) error {
	for i, v := range values {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO notification_contacts (company_id, kind, value, position) VALUES (?, ?, ?, ?)`,
			companyID, kind, v, i); err != nil {
			return err
		}
	}
	return nil
}
