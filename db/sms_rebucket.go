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
// the day its zone gives now. Every message stays counted once. With every
// SMS kept, all days are counted again. When the list was pruned (the
// roll-up holds days before its first SMS), the days up to the first kept
// SMS's (old) day keep their totals, which include messages no longer
// kept; the messages after that day are counted into the new zone's days,
// added to what a day at the seam holds.
func rebucketSMSDays(ctx context.Context, tx *sql.Tx, companyID int64, old, loc *time.Location) error {
	var first sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT min(sent_at) FROM sms WHERE company_id = ?`, companyID).Scan(&first); err != nil || !first.Valid {
		return err
	}
	seam := smsDay(first.Int64, old)
	var pruned bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sms_day_totals WHERE company_id = ? AND day < ?)`,
		companyID, seam).Scan(&pruned); err != nil {
		return err
	}
	from := first.Int64
	if pruned {
		y, m, d := time.Unix(first.Int64, 0).In(old).Date()
		from = time.Date(y, m, d+1, 0, 0, 0, 0, old).Unix()
		_, err := tx.ExecContext(ctx, `DELETE FROM sms_day_totals WHERE company_id = ? AND day > ?`, companyID, seam)
		if err != nil {
			return err
		}
	} else if _, err := tx.ExecContext(ctx, `DELETE FROM sms_day_totals WHERE company_id = ?`, companyID); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT sent_at, status, cost FROM sms WHERE company_id = ? AND sent_at >= ?`, companyID, from)
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
	return addSMSDays(ctx, tx, companyID, days, 1)
}
