package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"elk/db/money"
)

// DefaultSMSAlertThreshold is a new company's SMS balance alert threshold: 500 ₽.
const DefaultSMSAlertThreshold money.Kopecks = 50000

// Levels of the SMS balance alert: what the company has been told since its
// balance was last at or above the threshold.
const (
	alertNone     = 0 // nothing: the balance is fine, or nobody could be told
	alertLow      = 1 // the balance is below the threshold
	alertNegative = 2 // the balance is below zero
)

// smsAlertStep decides what a balance means for the alert: the new level and
// the notice to send now ("" for none). A balance back at or above the
// threshold re-arms the alerts, one back at or above zero re-arms the
// negative one. A fall is told only when someone can be told (canTell);
// otherwise the level stays, and the next change tells it. A balance that
// skips from above the threshold to below zero is told once, as the more
// urgent alert.
func smsAlertStep(level int, balance, threshold money.Kopecks, canTell bool) (newLevel int, kind string) {
	want := alertNone
	switch {
	case balance < 0:
		want = alertNegative
	case balance < threshold:
		want = alertLow
	}
	switch {
	case want < level:
		return want, ""
	case want > level && canTell:
		if want == alertNegative {
			return want, NoticeSMSNegative
		}
		return want, NoticeSMSLow
	}
	return level, ""
}

// checkSMSAlert brings the company's SMS balance alert up to date inside the
// transaction that changed the balance, the threshold, the switch or the
// recipients (contacts or linked chats), writing the alert to the outbox
// when one is due.
func (s *Store) checkSMSAlert(ctx context.Context, tx *sql.Tx, companyID int64) error {
	var name string
	var enabled bool
	var threshold, balance money.Kopecks
	var level, seq int
	var serviceID int64
	var withInvoice bool
	err := tx.QueryRowContext(ctx, `
		SELECT c.name, c.notify_enabled, c.sms_alert_threshold, c.sms_alert_level, c.sms_alert_seq, cs.id, cs.balance, c.alert_invoice
		FROM companies c
		JOIN company_services cs ON cs.company_id = c.id
		JOIN services sv ON sv.id = cs.service_id AND sv.code = ?
		WHERE c.id = ?`, ServiceSMS, companyID).Scan(&name, &enabled, &threshold, &level, &seq, &serviceID, &balance, &withInvoice)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no SMS service: nothing to watch
	}
	if err != nil {
		return fmt.Errorf("db: sms alert of company %d: %w", companyID, err)
	}
	var hasRecipients bool
	if enabled {
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM notification_contacts WHERE company_id = ?)`,
			companyID).Scan(&hasRecipients); err != nil {
			return fmt.Errorf("db: sms alert of company %d: %w", companyID, err)
		}
		if !hasRecipients { // a linked chat is a recipient too
			chats, err := s.telegramRecipients(ctx, tx, companyID, NoticeSMSLow)
			if err != nil {
				return fmt.Errorf("db: sms alert of company %d: %w", companyID, err)
			}
			hasRecipients = len(chats) > 0
		}
	}
	newLevel, kind := smsAlertStep(level, balance, threshold, enabled && hasRecipients)
	if kind != "" {
		seq++
		forecasts, err := s.forecastsWhere(ctx, tx, "cs.id = ?", serviceID)
		if err != nil {
			return fmt.Errorf("db: sms alert of company %d: %w", companyID, err)
		}
		f := forecasts[serviceID]
		p := NoticeParams{Company: name, ServiceID: serviceID, Balance: balance, Threshold: threshold,
			DaysLeft: f.DaysLeft, DailySpend: f.DailySpend}
		if err := s.alertPayment(ctx, tx, serviceID, withInvoice, &p); err != nil {
			return err
		}
		event := strconv.FormatInt(companyID, 10) + "-" + strconv.Itoa(seq)
		if _, err := s.notifyCompany(ctx, tx, companyID, kind, event, p); err != nil {
			return err
		}
	}
	if newLevel == level && kind == "" {
		return nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE companies SET sms_alert_level = ?, sms_alert_seq = ? WHERE id = ?`, newLevel, seq, companyID)
	if err != nil {
		return fmt.Errorf("db: sms alert of company %d: %w", companyID, err)
	}
	return nil
}

// checkSMSAlertOfService is checkSMSAlert after a change to one connected
// service's balance; other services than SMS have no alert.
func (s *Store) checkSMSAlertOfService(ctx context.Context, tx *sql.Tx, companyServiceID int64) error {
	var companyID int64
	err := tx.QueryRowContext(ctx, `SELECT cs.company_id FROM company_services cs JOIN services sv ON sv.id = cs.service_id
		WHERE cs.id = ? AND sv.code = ?`, companyServiceID, ServiceSMS).Scan(&companyID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("db: sms alert of service %d: %w", companyServiceID, err)
	}
	return s.checkSMSAlert(ctx, tx, companyID)
}
