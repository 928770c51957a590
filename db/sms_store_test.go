package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"elk/db"
	"elk/testutil"
)

// allSMS reads every SMS of a company, newest first, as an export does.
func allSMS(t *testing.T, s *db.Store, companyID int64) []db.SMSMessage {
	t.Helper()
	var out []db.SMSMessage
	if err := s.EachSMS(context.Background(), companyID, db.SMSFilter{}, func(m db.SMSMessage) error {
		out = append(out, m)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// The compact SMS table's migration taken back gives the old table, each
// message with its times, its day in its company's zone and its status as
// text; applied again, every message reads back as it was.
func TestCompactSMSSurvivesItsMigration(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	const moscow, vladivostok = 1, 2 // the demo's «Такси Пример» and «Восток»
	before := map[int64][]db.SMSMessage{moscow: allSMS(t, s, moscow), vladivostok: allSMS(t, s, vladivostok)}
	s.Close()
	if len(before[moscow]) == 0 || len(before[vladivostok]) == 0 {
		t.Fatalf("the demo's SMS: %d and %d", len(before[moscow]), len(before[vladivostok]))
	}

	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sub, _ := fs.Sub(db.Migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, conn, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 23); err != nil {
		t.Fatal(err)
	}
	for companyID, zone := range map[int64]string{moscow: "Europe/Moscow", vladivostok: "Asia/Vladivostok"} {
		loc, _ := time.LoadLocation(zone)
		m := before[companyID][0]
		var sentAt, statusAt, day, status string
		var cost int64
		if err := conn.QueryRow(`SELECT sent_at, status_at, day, status, cost FROM sms WHERE company_id = ? AND sender_id = ?`,
			companyID, m.SenderID).Scan(&sentAt, &statusAt, &day, &status, &cost); err != nil {
			t.Fatal(err)
		}
		want := []string{m.SentAt.Format("2006-01-02T15:04:05.000Z"), m.StatusAt.Format("2006-01-02T15:04:05.000Z"),
			m.SentAt.In(loc).Format("2006-01-02"), m.Status, fmt.Sprint(int64(m.Cost))}
		if got := []string{sentAt, statusAt, day, status, fmt.Sprint(cost)}; !slices.Equal(got, want) {
			t.Errorf("company %d, the old row of %s: %v, want %v", companyID, m.SenderID, got, want)
		}
	}
	var rows int
	if err := conn.QueryRow(`SELECT count(*) FROM sms`).Scan(&rows); err != nil || rows < len(before[moscow])+len(before[vladivostok]) {
		t.Errorf("the old table holds %d SMS (%v)", rows, err)
	}

	s, err = db.Open(ctx, path) // applies it again
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for companyID, want := range before {
		got := allSMS(t, s, companyID)
		if !slices.EqualFunc(got, want, func(a, b db.SMSMessage) bool {
			return a.SenderID == b.SenderID && a.Phone == b.Phone && a.Parts == b.Parts && a.Status == b.Status &&
				a.SentAt.Equal(b.SentAt) && a.StatusAt.Equal(b.StatusAt) && a.Cost == b.Cost
		}) {
			t.Errorf("company %d: %d SMS after the round trip, %d before, or they differ", companyID, len(got), len(want))
		}
	}
}

// Messages sent in the same second are numbered apart, batch after batch:
// pages of the list give each once, and a status report finds each.
func TestSMSOfOneSecondAreEachListed(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	sent := s.Now().Add(-time.Hour).Truncate(time.Second)
	ids := map[string]bool{}
	for batch := range 2 {
		var msgs []db.SentSMS
		for i := range 70 {
			id := fmt.Sprintf("same-%d-%d", batch, i)
			ids[id] = true
			msgs = append(msgs, db.SentSMS{SenderID: id, Phone: "+79001112233", Parts: 1, Status: db.SMSSent, SentAt: sent})
		}
		if res, err := s.RecordSMS(ctx, cs.CompanyID, msgs); err != nil || res.Accepted != 70 {
			t.Fatalf("batch %d: %+v, %v", batch, res, err)
		}
	}
	seen := map[string]bool{}
	var after *db.TxCursor
	for {
		page, next, err := s.ListSMS(ctx, cs.CompanyID, db.SMSFilter{}, after, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page {
			if seen[m.Phone+m.SentAt.String()+fmt.Sprint(m.ID)] {
				t.Errorf("%d of %s listed twice", m.ID, m.SentAt)
			}
			seen[m.Phone+m.SentAt.String()+fmt.Sprint(m.ID)] = true
		}
		if after = next; next == nil {
			break
		}
	}
	if len(seen) != len(ids) {
		t.Errorf("%d SMS listed, %d sent", len(seen), len(ids))
	}
	updated, unknown, err := s.UpdateSMSStatuses(ctx, cs.CompanyID, []db.SMSStatusUpdate{
		{SenderID: "same-1-69", Status: db.SMSDelivered, At: sent.Add(time.Minute)}})
	if err != nil || updated != 1 || len(unknown) != 0 {
		t.Fatalf("status report: %d updated, unknown %v, %v", updated, unknown, err)
	}
	delivered := allSMS(t, s, cs.CompanyID)
	n := 0
	for _, m := range delivered {
		if m.Status == db.SMSDelivered {
			n++
			if m.SenderID != "same-1-69" || !m.StatusAt.Equal(sent.Add(time.Minute)) {
				t.Errorf("delivered: %s at %s", m.SenderID, m.StatusAt)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d delivered, want 1", n)
	}
}

// Delivery reports within one second, kept in whole seconds: an older one
// arriving after a newer one does not move the status back, whichever order
// they come in the status ends furthest along, and the roll-up follows.
func TestSameSecondReportsKeepTheFurthestStatus(t *testing.T) {
	s, cs := connected(t)
	ctx := context.Background()
	sent := s.Now().Add(-time.Hour).Truncate(time.Second)
	at := sent.Add(5 * time.Second)
	report := func(id, status string, ms int) int {
		t.Helper()
		n, _, err := s.UpdateSMSStatuses(ctx, cs.CompanyID, []db.SMSStatusUpdate{{SenderID: id, Status: status, At: at.Add(time.Duration(ms) * time.Millisecond)}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := s.RecordSMS(ctx, cs.CompanyID, []db.SentSMS{
		{SenderID: "late-older", Phone: "+79001112233", Parts: 1, Status: db.SMSQueued, SentAt: sent},
		{SenderID: "in-order", Phone: "+79001112234", Parts: 1, Status: db.SMSQueued, SentAt: sent},
	}); err != nil {
		t.Fatal(err)
	}
	report("late-older", db.SMSDelivered, 900)
	if n := report("late-older", db.SMSSent, 100); n != 0 {
		t.Errorf("an older report of the same second arriving last updated %d", n)
	}
	report("in-order", db.SMSSent, 100)
	if n := report("in-order", db.SMSDelivered, 900); n != 1 {
		t.Errorf("a newer report of the same second updated %d", n)
	}
	for _, m := range allSMS(t, s, cs.CompanyID) {
		if m.Status != db.SMSDelivered {
			t.Errorf("%s: %s, want delivered", m.SenderID, m.Status)
		}
	}
	days, err := s.SMSDays(ctx, cs.CompanyID, sent.AddDate(0, 0, -1), sent.AddDate(0, 0, 1), "")
	if err != nil {
		t.Fatal(err)
	}
	var counts db.SMSCounts
	for _, d := range days {
		for i, n := range d.Counts {
			counts[i] += n
		}
	}
	if counts != (db.SMSCounts{0, 0, 2, 0, 0}) {
		t.Errorf("the roll-up counts %v, want both delivered", counts)
	}
}
