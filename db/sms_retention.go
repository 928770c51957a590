package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// DefaultSMSRawMonths is how many months the list of SMS goes back unless
// ELK_SMS_RAW_MONTHS says otherwise.
const DefaultSMSRawMonths = 13

// SMSKeptFrom is the first day, in loc, of the list of SMS when it keeps
// months months; the zero time when months is 0 or less (kept for good).
// A day the month back lacks is its last (31 March less a month is 28 or
// 29 February), so that the first day never moves back as days go on.
func SMSKeptFrom(now time.Time, months int, loc *time.Location) time.Time {
	if months <= 0 {
		return time.Time{}
	}
	y, m, d := Today(now, loc).Date()
	first := time.Date(y, m-time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, min(d, first.AddDate(0, 1, -1).Day())-1)
}

// SMSPruneBefore is the instant before which PruneSMS may delete, at or
// before every zone's first kept day: the zone furthest behind UTC is on
// the day before UTC's, and a day more covers the zone furthest ahead.
func SMSPruneBefore(now time.Time, months int) time.Time {
	return SMSKeptFrom(now.AddDate(0, 0, -1), months, time.UTC).AddDate(0, 0, -1)
}

// smsPruneBatch is how many SMS one delete takes at most, so that the
// writer is never held for long (a test makes it smaller).
var smsPruneBatch = 10_000

// PruneSMS deletes the SMS sent before the instant, a company and a batch
// at a time, each batch its own short transaction. Their statistics stay:
// the daily roll-up is written with each message (RecordSMS, its status
// updates, ImportHistory) and the documents count the ledger, so nothing
// read for an older period comes from these rows. Then the pages they
// freed go back to the file system (VacuumFreePages).
func (s *Store) PruneSMS(ctx context.Context, before time.Time) (deleted, freedPages int64, err error) {
	companies, err := queryAll(ctx, s.r, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT id FROM companies ORDER BY id`)
	if err != nil {
		return 0, 0, fmt.Errorf("db: prune sms: %w", err)
	}
	cut := before.Unix()
	for _, companyID := range companies {
		for {
			// The batch ends at the second of its last message, whole.
			var last int64
			err := s.r.QueryRowContext(ctx, `SELECT sent_at FROM sms WHERE company_id = ? AND sent_at < ?
				ORDER BY sent_at LIMIT 1 OFFSET ?`, companyID, cut, smsPruneBatch-1).Scan(&last)
			if errors.Is(err, sql.ErrNoRows) {
				last = cut - 1 // fewer than a batch are left
			} else if err != nil {
				return deleted, 0, fmt.Errorf("db: prune sms: %w", err)
			}
			res, err := s.w.ExecContext(ctx, `DELETE FROM sms WHERE company_id = ? AND sent_at <= ?`, companyID, last)
			if err != nil {
				return deleted, 0, fmt.Errorf("db: prune sms: %w", err)
			}
			n, _ := res.RowsAffected()
			deleted += n
			if last == cut-1 || n == 0 {
				break
			}
		}
	}
	if deleted == 0 {
		return 0, 0, nil
	}
	freedPages, err = s.VacuumFreePages(ctx)
	return deleted, freedPages, err
}

// vacuumStep is how many free pages one step of the incremental vacuum
// returns (8 MB of 4 KiB pages): each step holds the writer.
const vacuumStep = 2048

// VacuumFreePages gives the file's free pages back to the file system in
// short steps, and returns how many. A database made before auto_vacuum
// was set (see Vacuum) keeps them for its new rows instead.
func (s *Store) VacuumFreePages(ctx context.Context) (int64, error) {
	var mode int
	if err := s.w.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil || mode != 2 {
		return 0, err
	}
	var freed int64
	for left := int64(-1); ; {
		var free int64
		if err := s.w.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil {
			return freed, fmt.Errorf("db: vacuum: %w", err)
		}
		if free == 0 || free == left { // none left, or none returned
			return freed, nil
		}
		left = free
		if _, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA incremental_vacuum(%d)`, vacuumStep)); err != nil {
			return freed, fmt.Errorf("db: vacuum: %w", err)
		}
		freed += min(free, vacuumStep)
	}
}

// Vacuum rewrites the whole file, without its free pages, and with
// auto_vacuum INCREMENTAL from then on, which a file made before this
// version lacks: SQLite turns it on only by such a rewrite. It holds the
// writer throughout (about a minute for 2 GB) and needs the file's size
// again free beside it.
func (s *Store) Vacuum(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return fmt.Errorf("db: vacuum: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("db: vacuum: %w", err)
	}
	return nil
}
