package db

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"
)

// demoBatch is a run of demo SMS messages[first:last] paid by entries[entry].
type demoBatch struct{ entry, first, last int }

// demoPhones are the demo's passengers: a few thousand numbers that recur.
const demoPhones = 4000

// demoSMSMessage makes one plausible SMS: mostly delivered, some failed or
// expired, the last hour's still on their way.
func demoSMSMessage(rng *rand.Rand, n int, sentAt, now time.Time) SentSMS {
	status := SMSDelivered
	switch r := rng.IntN(100); {
	case now.Sub(sentAt) < time.Hour && r < 30:
		status = SMSSent
	case r < 4:
		status = SMSFailed
	case r < 6:
		status = SMSExpired
	}
	return SentSMS{SenderID: fmt.Sprintf("tm-%07d", n), Phone: fmt.Sprintf("+79%09d", 100000000+rng.IntN(demoPhones)*7919%900000000),
		Parts: 1 + rng.IntN(3), Status: status, SentAt: sentAt.UTC().Truncate(time.Second)}
}

// importDemoSMS stores the demo's messages against the debits that paid for
// them (txIDs has each entry's transaction id), with their daily roll-up
// written once at the end, in the history's transaction.
func (s *Store) importDemoSMS(ctx context.Context, tx *sql.Tx, co Company, cs CompanyService, txIDs []int64, messages []SentSMS, batches []demoBatch) error {
	const cols, chunk = 10, 500
	ins := newMultiRow(tx, `INSERT INTO sms (company_id, sender_id, phone, parts, status, sent_at, status_at, day, cost, transaction_id) VALUES `, cols, "")
	defer ins.close()
	args := make([]any, 0, chunk*cols)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		stmt, err := ins.stmt(ctx, len(args)/cols)
		if err == nil {
			_, err = stmt.ExecContext(ctx, args...)
		}
		args = args[:0]
		return err
	}
	loc := co.Location()
	days := smsDayChanges{}
	for _, b := range batches {
		txID := nullID(txIDs[b.entry])
		for _, m := range messages[b.first:b.last] {
			day := m.SentAt.In(loc).Format(dateLayout)
			cost := Kopecks(m.Parts) * cs.Tariff.Price
			statusAt := m.SentAt.Add(time.Duration(5+len(m.SenderID)%40) * time.Second)
			args = append(args, co.ID, m.SenderID, m.Phone, m.Parts, m.Status, formatTime(m.SentAt), formatTime(statusAt), day, int64(cost), txID)
			days.add(day, m.Status, cost)
			if len(args) == chunk*cols {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	return addSMSDays(ctx, tx, co.ID, days, 1)
}
