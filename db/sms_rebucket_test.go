package db_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"elk/db"
)

// When a company's time zone changes, its kept SMS are counted into the
// days of the new zone, so that a later delivery report moves a message
// within the day that holds it: no day goes below zero, and every message
// is counted once.
func TestZoneChangeRecountsTheDays(t *testing.T) {
	s, cs := connected(t) // Europe/Moscow
	ctx := context.Background()
	msk, _ := time.LoadLocation("Europe/Moscow")
	y, mo, d := s.Now().In(msk).AddDate(0, 0, -3).Date()
	late := time.Date(y, mo, d, 23, 30, 0, 0, msk) // 06:30 of the next day in Vladivostok
	early := time.Date(y, mo, d, 9, 0, 0, 0, msk)
	if _, err := s.RecordSMS(ctx, cs.CompanyID, []db.SentSMS{
		{SenderID: "z1", Phone: "+79001112233", Parts: 1, Status: db.SMSSent, SentAt: late},
		{SenderID: "z2", Phone: "+79001112233", Parts: 1, Status: db.SMSSent, SentAt: early},
	}); err != nil {
		t.Fatal(err)
	}
	setZone(t, s, cs.CompanyID, "Asia/Vladivostok")
	if _, _, err := s.UpdateSMSStatuses(ctx, cs.CompanyID, []db.SMSStatusUpdate{{SenderID: "z1", Status: db.SMSDelivered, At: late.Add(time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	vvo, _ := time.LoadLocation("Asia/Vladivostok")
	days, err := s.SMSDays(ctx, cs.CompanyID, late.AddDate(0, 0, -2), late.AddDate(0, 0, 2), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]db.SMSCounts{}
	for _, dd := range days {
		for i, n := range dd.Counts {
			if n < 0 {
				t.Errorf("%s: %s count %d", dd.Day.Format("2006-01-02"), db.SMSStatuses[i], n)
			}
		}
		got[dd.Day.Format("2006-01-02")] = dd.Counts
	}
	sentDay, lateDay := early.In(vvo).Format("2006-01-02"), late.In(vvo).Format("2006-01-02")
	want := map[string]db.SMSCounts{sentDay: counts(db.SMSSent), lateDay: counts(db.SMSDelivered)}
	for day, w := range want {
		if got[day] != w {
			t.Errorf("%s: counts %v, want %v (all days %v)", day, got[day], w, got)
		}
	}
}

// counts is one message of the status, as a day's counts.
func counts(status string) db.SMSCounts {
	var out db.SMSCounts
	for i, st := range db.SMSStatuses {
		if st == status {
			out[i] = 1
		}
	}
	return out
}

// The company's first kept SMS is late in the Moscow evening: the next day
// in Vladivostok. After the zone change it must be counted once.
func TestZoneChangeCountsALateFirstSMSOnce(t *testing.T) {
	s, cs := connected(t) // Europe/Moscow
	ctx := context.Background()
	msk, _ := time.LoadLocation("Europe/Moscow")
	y, mo, d := s.Now().In(msk).AddDate(0, 0, -3).Date()
	late := time.Date(y, mo, d, 23, 30, 0, 0, msk)
	if _, err := s.RecordSMS(ctx, cs.CompanyID, []db.SentSMS{
		{SenderID: "z1", Phone: "+79001112233", Parts: 1, Status: db.SMSSent, SentAt: late},
	}); err != nil {
		t.Fatal(err)
	}
	setZone(t, s, cs.CompanyID, "Asia/Vladivostok")
	days, err := s.SMSDays(ctx, cs.CompanyID, late.AddDate(0, 0, -2), late.AddDate(0, 0, 2), "")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, dd := range days {
		for _, n := range dd.Counts {
			total += int(n)
		}
	}
	if total != 1 {
		t.Errorf("one SMS counted %d times", total)
	}
}

// After pruning (the steady state of a company older than the kept
// months), a zone change must keep the total of the daily roll-up.
func TestZoneChangeAfterPruningKeepsTheTotal(t *testing.T) {
	for _, zone := range []string{"Asia/Vladivostok", "Europe/Kaliningrad", "America/New_York"} {
		t.Run(zone, func(t *testing.T) {
			s, cs := connected(t) // Europe/Moscow
			ctx := context.Background()
			msk, _ := time.LoadLocation("Europe/Moscow")
			y, mo, d := s.Now().In(msk).AddDate(0, 0, -8).Date()
			from := time.Date(y, mo, d, 0, 30, 0, 0, msk)
			var batch []db.SentSMS
			for h := 0; h < 24*5; h++ {
				batch = append(batch, db.SentSMS{SenderID: fmt.Sprint("p", h), Phone: "+79001112233", Parts: 1, Status: db.SMSSent, SentAt: from.Add(time.Duration(h) * time.Hour)})
			}
			if _, err := s.RecordSMS(ctx, cs.CompanyID, batch); err != nil {
				t.Fatal(err)
			}
			cut := time.Date(y, mo, d+2, 12, 0, 0, 0, time.UTC)
			if _, _, err := s.PruneSMS(ctx, cut); err != nil {
				t.Fatal(err)
			}
			sum := func() int {
				days, err := s.SMSDays(ctx, cs.CompanyID, from.AddDate(0, 0, -2), from.AddDate(0, 0, 8), "")
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, dd := range days {
					for _, c := range dd.Counts {
						n += int(c)
					}
				}
				return n
			}
			before := sum()
			setZone(t, s, cs.CompanyID, zone)
			if after := sum(); after != before || before != len(batch) {
				t.Errorf("%d SMS: roll-up total %d before the zone change, %d after", len(batch), before, after)
			}
		})
	}
}

// setZone moves the company to another time zone, as its manager does.
func setZone(t *testing.T, s *db.Store, companyID int64, zone string) {
	t.Helper()
	ctx := context.Background()
	c, err := s.Company(ctx, companyID)
	if err != nil {
		t.Fatal(err)
	}
	c.Timezone = zone
	if err := s.UpdateCompany(ctx, db.Actor{}, c); err != nil {
		t.Fatal(err)
	}
}
