package demo

import (
	"context"
	"fmt"
	"time"

	"elk/db"
	"elk/db/money"
)

// alerts are the SMS balance alerts «Такси Пример» had this year.
var alerts = []struct {
	daysAgo int
	kind    string
	balance money.Kopecks
}{
	{97, db.NoticeSMSLow, 41_250},
	{96, db.NoticeSMSNegative, -3_480},
	{23, db.NoticeSMSLow, 47_900},
}

// seedNotices gives a company a history of delivered balance alerts, to
// each of its notification contacts, so that О компании and the back
// office's outbox have something to show. Seeding again adds nothing.
func seedNotices(ctx context.Context, s *db.Store, companyID int64) error {
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
	var to [][2]string
	for _, e := range contacts.Emails {
		to = append(to, [2]string{db.ChannelEmail, e})
	}
	for _, p := range contacts.Phones {
		to = append(to, [2]string{db.ChannelSMS, p})
	}
	now := s.Now()
	var notices []db.Notice
	for _, a := range alerts {
		at := now.AddDate(0, 0, -a.daysAgo).Truncate(time.Hour).Add(10*time.Hour + 17*time.Minute)
		sent := at.Add(3 * time.Second)
		params := db.NoticeParams{Company: co.Name, ServiceID: services[0].ID, Balance: a.balance, Threshold: co.SMSAlertThreshold}
		for _, r := range to {
			notices = append(notices, db.Notice{CompanyID: companyID, Channel: r[0], Recipient: r[1], Kind: a.kind, Params: params,
				DedupeKey: fmt.Sprintf("demo:%s:%d:%s:%s", a.kind, a.daysAgo, r[0], r[1]), Status: db.NoticeSent, Attempts: 1,
				NextAttemptAt: at, CreatedAt: at, SentAt: &sent})
		}
	}
	return s.ImportNotices(ctx, notices)
}
