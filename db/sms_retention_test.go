package db_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"elk/db"
	"elk/testutil"
)

// SMS sent before the instant are deleted in batches, the later ones kept;
// the daily roll-up, and so the statistics of every day, stays as it was;
// the pages they took go back to the file system.
func TestPruneSMSKeepsTheRollUpAndReturnsTheSpace(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	s := testutil.Open(t, path, testutil.NewClock(t))
	db.SetSMSPruneBatch(t, 50)
	const taxi = 1
	messages := allSMS(t, s, taxi) // newest first
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	days, err := s.SMSDays(ctx, taxi, from, to, "")
	if err != nil {
		t.Fatal(err)
	}
	// The midnight (UTC) of the middle message's day, or the next: some are
	// due, some kept.
	mid, oldest := messages[len(messages)/2].SentAt, messages[len(messages)-1].SentAt
	before := time.Date(mid.Year(), mid.Month(), mid.Day(), 0, 0, 0, 0, time.UTC)
	if !before.After(oldest) {
		before = before.AddDate(0, 0, 1)
	}
	due := 0
	for _, m := range messages {
		if m.SentAt.Before(before) {
			due++
		}
	}
	if due == 0 || due == len(messages) {
		t.Fatalf("%d of %d SMS due: the test wants some of either", due, len(messages))
	}
	pages := func() (count, free int64) {
		t.Helper()
		conn, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := conn.QueryRow(`SELECT page_count, freelist_count FROM pragma_page_count, pragma_freelist_count`).Scan(&count, &free); err != nil {
			t.Fatal(err)
		}
		return count, free
	}
	pagesBefore, _ := pages()

	deleted, freed, err := s.PruneSMS(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	left := allSMS(t, s, taxi)
	if int(deleted) < due || len(left) != len(messages)-due || slices.ContainsFunc(left, func(m db.SMSMessage) bool { return m.SentAt.Before(before) }) {
		t.Errorf("%d deleted, %d left of %d; %d were due", deleted, len(left), len(messages), due)
	}
	if after, err := s.SMSDays(ctx, taxi, from, to, ""); err != nil || !slices.EqualFunc(days, after, func(a, b db.SMSDay) bool {
		return a.Day.Equal(b.Day) && a.Counts == b.Counts && a.Cost == b.Cost
	}) {
		t.Errorf("the roll-up changed: %d days before, %d after (%v)", len(days), len(after), err)
	}
	if count, free := pages(); freed == 0 || free != 0 || count > pagesBefore-freed {
		t.Errorf("%d pages returned; the file has %d pages of %d before, %d of them free", freed, count, pagesBefore, free)
	}
	if again, _, err := s.PruneSMS(ctx, before); err != nil || again != 0 {
		t.Errorf("pruning again deleted %d (%v)", again, err)
	}
}

// A file made before incremental vacuum keeps the pages it frees, until
// Vacuum rewrites it with the mode on.
func TestVacuumTurnsIncrementalVacuumOn(t *testing.T) {
	ctx := context.Background()
	path := testutil.DemoCopy(t)
	mode := func() int { // read afresh: a connection keeps the mode it read
		conn, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var m int
		if err := conn.QueryRow(`PRAGMA auto_vacuum`).Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if mode() != 2 {
		t.Fatalf("a new file's auto_vacuum is %d, want 2 (incremental)", mode())
	}
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = old.Exec(`PRAGMA auto_vacuum = NONE; VACUUM`)
	old.Close()
	if err != nil || mode() != 0 {
		t.Fatalf("made an old file: mode %d, %v", mode(), err)
	}
	s := testutil.Open(t, path, testutil.NewClock(t))
	if n, err := s.VacuumFreePages(ctx); err != nil || n != 0 {
		t.Errorf("an old file returned %d pages (%v)", n, err)
	}
	if err := s.Vacuum(ctx); err != nil || mode() != 2 {
		t.Errorf("after Vacuum: mode %d, %v", mode(), err)
	}
}

// The list keeps whole days: from the day months back in the company's
// zone; pruning never reaches into that day, whatever the zone, the hour,
// or the month's end (checked over a year of days at two hours each).
func TestSMSKeptFromAndPruneBefore(t *testing.T) {
	start := testutil.NewClock(t).Now()
	if !db.SMSKeptFrom(start, 0, time.UTC).IsZero() || !db.SMSKeptFrom(start, -1, time.UTC).IsZero() {
		t.Error("0 or fewer months keep every SMS: no first day")
	}
	var zones []*time.Location
	for _, zone := range []string{"Europe/Kaliningrad", "Europe/Moscow", "Asia/Kamchatka", "Pacific/Kiritimati", "Etc/GMT+12"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	day := db.Today(start, time.UTC)
	for i := range 366 {
		for _, hour := range []time.Duration{10 * time.Minute, 20*time.Hour + 30*time.Minute} {
			now := day.AddDate(0, 0, i).Add(hour)
			before := db.SMSPruneBefore(now, 13)
			for _, loc := range zones {
				first := db.SMSKeptFrom(now, 13, loc)
				if start := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc); start.Before(before) {
					t.Fatalf("at %s in %s: the list starts %s, pruned before %s", now, loc, start, before)
				}
			}
		}
	}
}
