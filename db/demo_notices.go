package db

import (
	"context"
	"fmt"
	"time"
)

// demoAlerts are the SMS balance alerts «Такси Пример» had this year.
var demoAlerts = []struct {
	daysAgo int
	kind    string
	balance Kopecks
}{
	{97, NoticeSMSLow, 41_250},
	{96, NoticeSMSNegative, -3_480},
	{23, NoticeSMSLow, 47_900},
}

// seedDemoNotices gives a company a history of delivered balance alerts, to
// each of its notification contacts, so that О компании and the back
// office's outbox have something to show. Seeding again adds nothing.
func (s *Store) seedDemoNotices(ctx context.Context, companyID int64) error {
	co, err := s.Company(ctx, companyID)
	if err != nil {
		return err
	}
	contacts, err := s.CompanyContacts(ctx, companyID)
	if err != nil {
		return err
	}
	services, err := s.CompanyServices(ctx, companyID, false)
	if err != nil || len(services) == 0 {
		return err
	}
	var rows [][2]string
	for _, e := range contacts.Emails {
		rows = append(rows, [2]string{ChannelEmail, e})
	}
	for _, p := range contacts.Phones {
		rows = append(rows, [2]string{ChannelSMS, p})
	}
	now := s.Now()
	for _, a := range demoAlerts {
		at := now.AddDate(0, 0, -a.daysAgo).Truncate(time.Hour).Add(10*time.Hour + 17*time.Minute)
		params := fmt.Sprintf(`{"company":%q,"service_id":%d,"balance":%d,"threshold":%d}`,
			co.Name, services[0].ID, a.balance, co.SMSAlertThreshold)
		for _, r := range rows {
			_, err := s.w.ExecContext(ctx, `
				INSERT INTO outbox (company_id, channel, recipient, kind, params, dedupe_key, status, attempts, next_attempt_at, created_at, sent_at)
				VALUES (?, ?, ?, ?, ?, ?, 'sent', 1, ?, ?, ?)
				ON CONFLICT (dedupe_key) DO NOTHING`,
				companyID, r[0], r[1], a.kind, params, fmt.Sprintf("demo:%s:%d:%s:%s", a.kind, a.daysAgo, r[0], r[1]),
				formatTime(at), formatTime(at), formatTime(at.Add(3*time.Second)))
			if err != nil {
				return fmt.Errorf("db: demo notices: %w", err)
			}
		}
	}
	return nil
}
