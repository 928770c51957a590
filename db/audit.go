package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Actor is who makes a change, as the audit log records it.
type Actor struct {
	UserID int64
	Login  string
	IP     string
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID          int64
	At          time.Time
	ActorLogin  string
	IP          string
	CompanyID   int64
	CompanyName string
	Action      string
	Details     string
}

// Audit actions. The text is also a translation key ("audit.<action>").
const (
	AuditLogin            = "login"
	AuditLoginFailed      = "login_failed"
	AuditLogout           = "logout"
	AuditPasswordChanged  = "password_changed"
	AuditPasswordReset    = "password_reset"
	AuditUserCreated      = "user_created"
	AuditUserDisabled     = "user_disabled"
	AuditUserEnabled      = "user_enabled"
	AuditCompanyCreated   = "company_created"
	AuditCompanyUpdated   = "company_updated"
	AuditContactsUpdated  = "contacts_updated"
	AuditVendorUpdated    = "vendor_updated"
	AuditClosingPolicy    = "closing_policy"
	AuditPaymentTerm      = "payment_term"
	AuditClosingIssued    = "closing_issued"
	AuditProfileUpdated   = "profile_updated"
	AuditTariffCreated    = "tariff_created"
	AuditTariffArchived   = "tariff_archived"
	AuditTariffDeleted    = "tariff_deleted"
	AuditServiceAdded     = "service_connected"
	AuditServiceChanged   = "service_changed"
	AuditCorrection       = "correction"
	AuditSubscribed       = "subscription_created"
	AuditUnsubscribed     = "subscription_cancelled"
	AuditTokenCreated     = "api_token_created"
	AuditTokenRevoked     = "api_token_revoked"
	AuditNoticeResent     = "notice_resent"
	AuditTestEmail        = "test_email"
	AuditInvoiceCreated   = "invoice_created"
	AuditInvoicePaid      = "invoice_paid"
	AuditInvoiceCancelled = "invoice_cancelled"
	AuditMonitorSaved     = "monitor_saved"
	AuditLicenseSaved     = "license_saved"
	AuditNewsSaved        = "news_saved"
	AuditQuestionAsked    = "question_asked"
	AuditQuestionSaved    = "question_saved"
	AuditTicketOpened     = "ticket_opened"
	AuditTicketReplied    = "ticket_replied"
	AuditTicketStatus     = "ticket_status"
	AuditTicketAssigned   = "ticket_assigned"
	AuditTwoFactorOn      = "two_factor_on"
	AuditTwoFactorOff     = "two_factor_off"
	AuditSessionsEnded    = "sessions_ended"
	// AuditAlertInvoice: the switch that makes the low-balance alert carry an invoice.
	AuditAlertInvoice     = "alert_invoice"
	AuditTelegramLinked   = "telegram_linked"
	AuditTelegramUnlinked = "telegram_unlinked"
)

// writeAudit appends an audit line inside the transaction that makes the change,
// so a change is never without its record, nor a record without its change.
func (s *Store) writeAudit(ctx context.Context, tx *sql.Tx, a Actor, companyID int64, action, details string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO audit_log (at, actor_id, actor_login, ip, company_id, action, details) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		formatTime(s.Now()), nullIfZero(a.UserID), a.Login, a.IP, nullIfZero(companyID), action, details)
	if err != nil {
		return fmt.Errorf("db: audit %s: %w", action, err)
	}
	return nil
}

// Audit records an event that changes nothing else, such as a failed login.
func (s *Store) Audit(ctx context.Context, a Actor, companyID int64, action, details string) error {
	return s.WithTx(ctx, func(tx *sql.Tx) error {
		return s.writeAudit(ctx, tx, a, companyID, action, details)
	})
}

// AuditFilter narrows the audit log; zero values mean "any".
type AuditFilter struct {
	CompanyID int64
	Login     string // who acted, without case
}

// ListAudit returns one page of the audit log, newest first, and whether an older page exists.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter, offset, limit int) ([]AuditEntry, bool, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT a.id, a.at, a.actor_login, a.ip, COALESCE(a.company_id, 0), COALESCE(c.name, ''), a.action, a.details
		FROM audit_log a LEFT JOIN companies c ON c.id = a.company_id
		WHERE (?1 = 0 OR a.company_id = ?1) AND (?2 = '' OR a.actor_login = ?2 COLLATE NOCASE)
		ORDER BY a.id DESC LIMIT ?3 OFFSET ?4`,
		f.CompanyID, f.Login, limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("db: list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.ActorLogin, &e.IP, &e.CompanyID, &e.CompanyName, &e.Action, &e.Details); err != nil {
			return nil, false, fmt.Errorf("db: list audit: %w", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("db: list audit: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// nullIfZero stores 0 as NULL: an optional reference or count.
func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
