package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// AlertGap is the least time between two alerts about one monitor: a
// flapping server sends one message, then its settled state.
const AlertGap = 5 * time.Minute

// CheckResult is the outcome of one check of a monitor.
type CheckResult struct {
	MonitorID     int64
	At            time.Time
	OK            bool
	Latency       time.Duration
	Error         string
	CertExpiresAt *time.Time // an HTTPS target's certificate
	// HeartbeatSeen is the last heartbeat a push check found too old; a
	// newer one stored meanwhile voids the check.
	HeartbeatSeen time.Time
}

// monitorState is what one check changes in a monitor.
type monitorState struct {
	State        string
	Since        time.Time
	Failures     int
	AlertedState string
	AlertedAt    *time.Time
}

// stepMonitor applies a check to the state: pending → up → down (after more
// failures in a row than retries) → up. It reports whether an incident
// opens or closes, and the alert to send ("up", "down" or ""): one when the
// state differs from what the company was last told, at most one per
// AlertGap; a state that settles during the gap is told when it ends.
func stepMonitor(m monitorState, ok bool, retries int, at time.Time) (next monitorState, opened, closed bool, alert string) {
	next = m
	if ok {
		next.Failures = 0
		if m.State != MonitorUp {
			closed = m.State == MonitorDown
			next.State, next.Since = MonitorUp, at
		}
	} else {
		next.Failures++
		if m.State != MonitorDown && next.Failures > retries {
			opened = true
			next.State, next.Since = MonitorDown, at
		}
	}
	if next.State != MonitorPending && next.State != next.AlertedState && (next.AlertedAt == nil || at.Sub(*next.AlertedAt) >= AlertGap) {
		alert = next.State
		next.AlertedState, next.AlertedAt = next.State, &at
	}
	return next, opened, closed, alert
}

// RecordChecks stores a batch of check results in one transaction: the raw
// checks, the hourly roll-up, each monitor's state with its incidents, and
// the alerts to the outbox.
func (s *Store) RecordChecks(ctx context.Context, results []CheckResult) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, r := range results {
			if err := s.recordCheck(ctx, tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("db: record checks: %w", err)
	}
	return nil
}

func (s *Store) recordCheck(ctx context.Context, tx *sql.Tx, r CheckResult) error {
	var m monitorState
	var companyID int64
	var name, since string
	var retries int
	var alertedAt, heartbeat sql.NullString
	var active bool
	err := tx.QueryRowContext(ctx, `SELECT company_id, name, state, state_since, failures, retries, alerted_state, alerted_at,
		active, last_heartbeat_at FROM monitors WHERE id = ?`, r.MonitorID).Scan(&companyID, &name, &m.State, &since, &m.Failures,
		&retries, &m.AlertedState, &alertedAt, &active, &heartbeat)
	if err == sql.ErrNoRows {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if last := parseNullTime(heartbeat); !active || (!r.HeartbeatSeen.IsZero() && last != nil && last.After(r.HeartbeatSeen)) {
		return nil // switched off, or a heartbeat came after the check looked
	}
	m.Since, m.AlertedAt = parseTime(since), parseNullTime(alertedAt)
	next, opened, closed, alert := stepMonitor(m, r.OK, retries, r.At)
	at, latency := formatTime(r.At), r.Latency.Milliseconds()
	if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_checks (monitor_id, at, ok, latency_ms, error) VALUES (?, ?, ?, ?, ?)`,
		r.MonitorID, at, r.OK, latency, truncate(r.Error, 500)); err != nil {
		return err
	}
	up, upLatency := 0, int64(0)
	if r.OK {
		up, upLatency = 1, latency
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_hours (monitor_id, hour, checks, ups, latency_sum, latency_max)
		VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (monitor_id, hour) DO UPDATE SET checks = checks + 1, ups = ups + excluded.ups,
		latency_sum = latency_sum + excluded.latency_sum, latency_max = max(latency_max, excluded.latency_max)`,
		r.MonitorID, r.At.UTC().Format(hourLayout), up, upLatency, upLatency); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE monitors SET state = ?, state_since = ?, failures = ?, last_checked_at = ?,
		last_latency_ms = ?, last_error = ?, alerted_state = ?, alerted_at = ?, cert_expires_at = COALESCE(?, cert_expires_at)
		WHERE id = ?`, next.State, formatTime(next.Since), next.Failures, at, latency, truncate(r.Error, 500),
		next.AlertedState, nullTime(next.AlertedAt), nullTime(r.CertExpiresAt), r.MonitorID); err != nil {
		return err
	}
	if opened {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (monitor_id, started_at, error) VALUES (?, ?, ?)`,
			r.MonitorID, at, truncate(r.Error, 500)); err != nil {
			return err
		}
	} else if !r.OK && next.State == MonitorDown {
		// The incident keeps the last error, which may have changed.
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET error = ? WHERE monitor_id = ? AND ended_at IS NULL`,
			truncate(r.Error, 500), r.MonitorID); err != nil {
			return err
		}
	}
	if closed {
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET ended_at = ? WHERE monitor_id = ? AND ended_at IS NULL`,
			at, r.MonitorID); err != nil {
			return err
		}
	}
	if alert == "" {
		return nil
	}
	kind := NoticeServerUp
	if alert == MonitorDown {
		kind = NoticeServerDown
	}
	_, err = s.notifyCompany(ctx, tx, companyID, kind, "monitor-"+strconv.FormatInt(r.MonitorID, 10)+"-"+at,
		NoticeParams{Server: name, Error: truncate(r.Error, 200)})
	return err
}

const hourLayout = "2006-01-02T15"

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

// Uptime is the share of successful checks over a period, from the hourly
// roll-up; Checks is 0 when there were none.
type Uptime struct {
	Checks, Ups int
}

// Percent is the uptime in percent.
func (u Uptime) Percent() float64 {
	if u.Checks == 0 {
		return 0
	}
	return 100 * float64(u.Ups) / float64(u.Checks)
}

// MonitorUptime returns a monitor's uptime over the hours since from.
func (s *Store) MonitorUptime(ctx context.Context, monitorID int64, from time.Time) (Uptime, error) {
	var u Uptime
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(sum(checks), 0), COALESCE(sum(ups), 0) FROM monitor_hours
		WHERE monitor_id = ? AND hour >= ?`, monitorID, from.UTC().Format(hourLayout)).Scan(&u.Checks, &u.Ups)
	if err != nil {
		return u, fmt.Errorf("db: uptime of monitor %d: %w", monitorID, err)
	}
	return u, nil
}

// MonitorHour is one hour of a monitor's checks.
type MonitorHour struct {
	Hour       time.Time
	Checks     int
	Ups        int
	AvgLatency time.Duration // of the successful checks
	MaxLatency time.Duration
}

// MonitorHours returns a monitor's hours since from, oldest first.
func (s *Store) MonitorHours(ctx context.Context, monitorID int64, from time.Time) ([]MonitorHour, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT hour, checks, ups, latency_sum, latency_max FROM monitor_hours
		WHERE monitor_id = ? AND hour >= ? ORDER BY hour`, monitorID, from.UTC().Format(hourLayout))
	if err != nil {
		return nil, fmt.Errorf("db: hours of monitor %d: %w", monitorID, err)
	}
	defer rows.Close()
	var out []MonitorHour
	for rows.Next() {
		var h MonitorHour
		var hour string
		var sum, most int64
		if err := rows.Scan(&hour, &h.Checks, &h.Ups, &sum, &most); err != nil {
			return nil, err
		}
		h.MaxLatency = time.Duration(most) * time.Millisecond
		h.Hour, _ = time.Parse(hourLayout, hour)
		if h.Ups > 0 {
			h.AvgLatency = time.Duration(sum/int64(h.Ups)) * time.Millisecond
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Incident is a time a monitor was down.
type Incident struct {
	ID          int64
	MonitorID   int64
	MonitorName string
	StartedAt   time.Time
	EndedAt     *time.Time // nil while it lasts
	Error       string
}

// Duration is how long the incident lasted, or has lasted until now.
func (i Incident) Duration(now time.Time) time.Duration {
	if i.EndedAt != nil {
		return i.EndedAt.Sub(i.StartedAt)
	}
	return now.Sub(i.StartedAt)
}

// CompanyIncidents returns the company's latest incidents, newest first.
func (s *Store) CompanyIncidents(ctx context.Context, companyID int64, limit int) ([]Incident, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT i.id, i.monitor_id, m.name, i.started_at, i.ended_at, i.error
		FROM incidents i JOIN monitors m ON m.id = i.monitor_id WHERE m.company_id = ?
		ORDER BY i.started_at DESC, i.id DESC LIMIT ?`, companyID, limit)
	if err != nil {
		return nil, fmt.Errorf("db: incidents of company %d: %w", companyID, err)
	}
	defer rows.Close()
	var out []Incident
	for rows.Next() {
		var i Incident
		var started string
		var ended sql.NullString
		if err := rows.Scan(&i.ID, &i.MonitorID, &i.MonitorName, &started, &ended, &i.Error); err != nil {
			return nil, err
		}
		i.StartedAt, i.EndedAt = parseTime(started), parseNullTime(ended)
		out = append(out, i)
	}
	return out, rows.Err()
}

// PruneChecks deletes raw checks older than rawBefore and hourly roll-ups
// older than hoursBefore, a batch at a time so that writers are not held up.
func (s *Store) PruneChecks(ctx context.Context, rawBefore, hoursBefore time.Time) (int64, error) {
	var total int64
	for {
		res, err := s.w.ExecContext(ctx, `DELETE FROM monitor_checks WHERE id IN
			(SELECT id FROM monitor_checks WHERE at < ? ORDER BY at LIMIT 5000)`, formatTime(rawBefore))
		if err != nil {
			return total, fmt.Errorf("db: prune checks: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
		if n < 5000 {
			break
		}
	}
	// The roll-up is keyed by monitor: one short delete each uses the key.
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM monitors`)
	if err != nil {
		return total, fmt.Errorf("db: prune hours: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return total, err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return total, err
	}
	hour := hoursBefore.UTC().Format(hourLayout)
	for _, id := range ids {
		res, err := s.w.ExecContext(ctx, `DELETE FROM monitor_hours WHERE monitor_id = ? AND hour < ?`, id, hour)
		if err != nil {
			return total, fmt.Errorf("db: prune hours: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// HeartbeatResult is a recorded heartbeat: its monitor, and why the
// license it brought was not stored, if it was not.
type HeartbeatResult struct {
	Monitor Monitor
	// LicenseErr is ErrTooManyLicenseKeys when the heartbeat's license key
	// would have been the monitor's LicenseKeysPerDay+1st different one in
	// 24 hours: the heartbeat is recorded all the same (the server is up),
	// and the license rows stay as they were.
	LicenseErr error
}

// Heartbeat records a heartbeat of the company's push monitor of that name
// (an API token's company): an up check with the version the server
// reports, and its license key when it sends one and the monitor may bring
// that key (see HeartbeatResult).
func (s *Store) Heartbeat(ctx context.Context, companyID int64, name, version string, lic *License) (HeartbeatResult, error) {
	return s.heartbeat(ctx, ` WHERE m.company_id = ? AND m.name = ?`, []any{companyID, name}, version, lic)
}

// HeartbeatBySecret records a heartbeat of the push monitor whose secret is
// given, as Heartbeat does.
func (s *Store) HeartbeatBySecret(ctx context.Context, secret, version string, lic *License) (HeartbeatResult, error) {
	return s.heartbeat(ctx, ` WHERE m.push_secret = ?`, []any{secret}, version, lic)
}

// heartbeat records a heartbeat of the active push monitor the condition finds.
func (s *Store) heartbeat(ctx context.Context, where string, args []any, version string, lic *License) (HeartbeatResult, error) {
	var out HeartbeatResult
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		m, err := queryOne(ctx, tx, scanMonitor, "push monitor", `SELECT `+monitorColumns+monitorFrom+where+` AND m.check_type = 'push' AND m.active = 1`, args...)
		if err != nil {
			return err
		}
		out.Monitor = m
		now := s.Now()
		// A heartbeat without a version keeps the one known.
		if _, err := tx.ExecContext(ctx, `UPDATE monitors SET last_heartbeat_at = ?, version = COALESCE(NULLIF(?, ''), version) WHERE id = ?`,
			formatTime(now), version, m.ID); err != nil {
			return err
		}
		if lic != nil {
			l := *lic
			l.CompanyID, l.Source = m.CompanyID, LicenseByHeartbeat
			switch err := s.reportLicense(ctx, tx, m.ID, l.Key); {
			case errors.Is(err, ErrTooManyLicenseKeys):
				out.LicenseErr = err
			case err != nil:
				return err
			default:
				if err := s.saveLicense(ctx, tx, l); err != nil {
					return err
				}
			}
		}
		return s.recordCheck(ctx, tx, CheckResult{MonitorID: m.ID, At: now, OK: true})
	})
	if err != nil {
		return out, fmt.Errorf("db: heartbeat: %w", err)
	}
	return out, nil
}
