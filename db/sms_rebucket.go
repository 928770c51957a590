package db

import (
	"context"
	"database/sql"
	"time"

	"elk/db/money"
)

// rebucketSMSDays counts the company's kept SMS into its days anew after
// its time zone changed from old to loc: the daily roll-up is by the
// company's calendar, and a later delivery report moves a message within
// the day its zone gives now. Days before the kept SMS keep their totals.
// When the list was pruned (the roll-up holds days before its first SMS),
// the first kept day may be partly gone, so counting starts a day later.
func rebucketSMSDays(ctx context.Context, tx *sql.Tx, companyID int64, old, loc *time.Location) error {
	var first sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT min(sent_at) FROM sms WHERE company_id = ?`, companyID).Scan(&first); err != nil || !first.Valid {
		return err
	}
	y, m, d := time.Unix(first.Int64, 0).In(loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	var pruned bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sms_day_totals WHERE company_id = ? AND day < ?)`,
		companyID, smsDay(first.Int64, old)).Scan(&pruned); err != nil {
		return err
	}
	if pruned {
		start = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	}
	rows, err := tx.QueryContext(ctx, `SELECT sent_at, status, cost FROM sms WHERE company_id = ? AND sent_at >= ?`, companyID, start.Unix())
	if err != nil {
		return err
	}
	days := smsDayChanges{}
	for rows.Next() {
		var sent, cost int64
		var status int
		if err := rows.Scan(&sent, &status, &cost); err != nil {
			rows.Close()
			return err
		}
		days.add(smsDay(sent, loc), smsStatusName(status), money.Kopecks(cost))
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sms_day_totals WHERE company_id = ? AND day >= ?`, companyID, start.Format(dateLayout)); err != nil {
		return err
	}
	return addSMSDays(ctx, tx, companyID, days, 1)
}
