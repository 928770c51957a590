package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"elk/db"
)

// phones are the demo's passengers: a few thousand numbers that recur.
const phones = 4000

// smsMessage makes the n-th plausible SMS: mostly delivered, some failed
// or expired, the last hour's still on their way; its status came a few
// seconds after it was sent.
func smsMessage(rng *rand.Rand, n int, sentAt, now time.Time) db.PastSMS {
	status := db.SMSDelivered
	switch r := rng.IntN(100); {
	case now.Sub(sentAt) < time.Hour && r < 30:
		status = db.SMSSent
	case r < 4:
		status = db.SMSFailed
	case r < 6:
		status = db.SMSExpired
	}
	m := db.SentSMS{SenderID: fmt.Sprintf("tm-%07d", n), Phone: fmt.Sprintf("+79%09d", 100000000+rng.IntN(phones)*7919%900000000),
		Parts: 1 + rng.IntN(3), Status: status, SentAt: sentAt.UTC().Truncate(time.Second)}
	return db.PastSMS{SentSMS: m, StatusAt: m.SentAt.Add(time.Duration(5+len(m.SenderID)%40) * time.Second)}
}
