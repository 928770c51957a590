package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kinds of monitored server.
const (
	MonitorTMServer      = "tmserver"
	MonitorMessageServer = "message_server"
	MonitorOther         = "other"
)

// MonitorKinds lists every kind in the order forms offer them.
var MonitorKinds = []string{MonitorTMServer, MonitorMessageServer, MonitorOther}

// Check types.
const (
	CheckTCP  = "tcp"
	CheckHTTP = "http"
	CheckPush = "push"
)

// CheckTypes lists every check type in the order forms offer them.
var CheckTypes = []string{CheckTCP, CheckHTTP, CheckPush}

// Monitor states.
const (
	MonitorPending = "pending"
	MonitorUp      = "up"
	MonitorDown    = "down"
)

// ErrMonitorNameTaken refuses a second monitor of the same name in a company.
var ErrMonitorNameTaken = errors.New("monitor.name_taken")

// Monitor is one watched server.
type Monitor struct {
	ID              int64
	CompanyID       int64
	CompanyName     string
	Name            string
	Kind            string
	CheckType       string
	Target          string
	Interval        time.Duration
	Timeout         time.Duration
	Retries         int
	ExpectStatusMin int
	ExpectStatusMax int
	ExpectWord      string
	PushSecret      string
	Active          bool
	State           string
	StateSince      time.Time
	Failures        int
	LastCheckedAt   *time.Time
	LastLatency     *time.Duration
	LastError       string
	LastHeartbeatAt *time.Time
	Version         string
	CertExpiresAt   *time.Time
	AlertedState    string
	AlertedAt       *time.Time
	CreatedAt       time.Time
}

const monitorColumns = `m.id, m.company_id, c.name, m.name, m.kind, m.check_type, m.target, m.interval_s, m.timeout_ms, m.retries,
	m.expect_status_min, m.expect_status_max, m.expect_word, m.push_secret, m.active, m.state, m.state_since, m.failures,
	m.last_checked_at, m.last_latency_ms, m.last_error, m.last_heartbeat_at, m.version, m.cert_expires_at,
	m.alerted_state, m.alerted_at, m.created_at`

const monitorFrom = ` FROM monitors m JOIN companies c ON c.id = m.company_id`

func scanMonitor(row scanner) (Monitor, error) {
	var m Monitor
	var intervalS, timeoutMS int64
	var since, created string
	var checked, heartbeat, cert, alerted sql.NullString
	var latency sql.NullInt64
	err := row.Scan(&m.ID, &m.CompanyID, &m.CompanyName, &m.Name, &m.Kind, &m.CheckType, &m.Target, &intervalS, &timeoutMS,
		&m.Retries, &m.ExpectStatusMin, &m.ExpectStatusMax, &m.ExpectWord, &m.PushSecret, &m.Active, &m.State, &since,
		&m.Failures, &checked, &latency, &m.LastError, &heartbeat, &m.Version, &cert, &m.AlertedState, &alerted, &created)
	if err != nil {
		return m, err
	}
	m.Interval, m.Timeout = time.Duration(intervalS)*time.Second, time.Duration(timeoutMS)*time.Millisecond
	m.StateSince, m.CreatedAt = parseTime(since), parseTime(created)
	m.LastCheckedAt, m.LastHeartbeatAt, m.CertExpiresAt, m.AlertedAt = parseNullTime(checked), parseNullTime(heartbeat), parseNullTime(cert), parseNullTime(alerted)
	if latency.Valid {
		d := time.Duration(latency.Int64) * time.Millisecond
		m.LastLatency = &d
	}
	return m, nil
}

func (s *Store) queryMonitors(ctx context.Context, q string, args ...any) ([]Monitor, error) {
	out, err := queryAll(ctx, s.r, scanMonitor, `SELECT `+monitorColumns+monitorFrom+q, args...)
	if err != nil {
		return nil, fmt.Errorf("db: monitors: %w", err)
	}
	return out, nil
}

// CompanyMonitors returns a company's monitors by name.
func (s *Store) CompanyMonitors(ctx context.Context, companyID int64) ([]Monitor, error) {
	return s.queryMonitors(ctx, ` WHERE m.company_id = ? ORDER BY m.name, m.id`, companyID)
}

// ActiveMonitors returns every monitor to check.
func (s *Store) ActiveMonitors(ctx context.Context) ([]Monitor, error) {
	return s.queryMonitors(ctx, ` WHERE m.active = 1 ORDER BY m.id`)
}

// DownMonitors returns the active monitors down now (of one manager's
// companies, or all when managerID is 0), the longest down first.
func (s *Store) DownMonitors(ctx context.Context, managerID int64) ([]Monitor, error) {
	scope, args := managerScope(managerID)
	return s.queryMonitors(ctx, ` WHERE `+downMonitor+scope+` ORDER BY m.state_since, m.id`, args...)
}

// MonitorByID returns any company's monitor; only the back office and the jobs may use it.
func (s *Store) MonitorByID(ctx context.Context, id int64) (Monitor, error) {
	return queryOne(ctx, s.r, scanMonitor, fmt.Sprintf("monitor %d", id), `SELECT `+monitorColumns+monitorFrom+` WHERE m.id = ?`, id)
}

// updateMonitor changes a monitor. One switched off, or now checked another
// way or elsewhere, starts again: pending, its incident closed, its
// certificate forgotten, a push monitor given a full interval for its
// first heartbeat.
func (s *Store) updateMonitor(ctx context.Context, tx *sql.Tx, m Monitor) error {
	was, err := queryOne(ctx, tx, scanMonitor, fmt.Sprintf("monitor %d", m.ID),
		`SELECT `+monitorColumns+monitorFrom+` WHERE m.id = ? AND m.company_id = ?`, m.ID, m.CompanyID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE monitors SET name = ?, kind = ?, check_type = ?, target = ?, interval_s = ?,
		timeout_ms = ?, retries = ?, expect_status_min = ?, expect_status_max = ?, expect_word = ?, active = ? WHERE id = ?`,
		m.Name, m.Kind, m.CheckType, m.Target, int64(m.Interval/time.Second), m.Timeout.Milliseconds(), m.Retries,
		m.ExpectStatusMin, m.ExpectStatusMax, m.ExpectWord, m.Active, m.ID); err != nil {
		return err
	}
	if was.Active == m.Active && was.CheckType == m.CheckType && was.Target == m.Target {
		return nil
	}
	now := formatTime(s.Now())
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET ended_at = ? WHERE monitor_id = ? AND ended_at IS NULL`, now, m.ID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE monitors SET state = 'pending', state_since = ?, failures = 0, last_error = '',
		cert_expires_at = NULL, last_heartbeat_at = CASE WHEN check_type = 'push' THEN ? ELSE last_heartbeat_at END,
		alerted_state = 'up', alerted_at = NULL WHERE id = ?`, now, now, m.ID)
	return err
}

// SaveMonitor creates a monitor (ID 0) or changes one, audited. A new
// monitor gets its heartbeat secret and starts pending.
func (s *Store) SaveMonitor(ctx context.Context, a Actor, m Monitor) (int64, error) {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m.ID == 0 {
			now := formatTime(s.Now())
			err = tx.QueryRowContext(ctx, `INSERT INTO monitors (company_id, name, kind, check_type, target, interval_s, timeout_ms,
				retries, expect_status_min, expect_status_max, expect_word, push_secret, active, state_since, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				m.CompanyID, m.Name, m.Kind, m.CheckType, m.Target, int64(m.Interval/time.Second), m.Timeout.Milliseconds(),
				m.Retries, m.ExpectStatusMin, m.ExpectStatusMax, m.ExpectWord, rand.Text(), m.Active, now, now).Scan(&m.ID)
		} else {
			err = s.updateMonitor(ctx, tx, m)
		}
		if err != nil && strings.Contains(err.Error(), "UNIQUE") {
			return ErrMonitorNameTaken
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, m.CompanyID, AuditMonitorSaved, m.Name+" ("+m.CheckType+" "+m.Target+")")
	})
	if err != nil {
		return 0, fmt.Errorf("db: save monitor: %w", err)
	}
	return m.ID, nil
}

// PastMonitor is a monitor with its history, as ImportMonitors takes it.
type PastMonitor struct {
	Monitor   // with its state as of now
	Hours     []MonitorHour
	Incidents []Incident
}

// ImportMonitors records monitors watched before ELK, each in the state
// given, with its hourly roll-up and incidents, in one transaction,
// unaudited. Each gets its heartbeat secret, as SaveMonitor gives.
func (s *Store) ImportMonitors(ctx context.Context, monitors []PastMonitor) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		for _, m := range monitors {
			if err := importMonitor(ctx, tx, m); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("db: import monitors: %w", err)
	}
	return nil
}

func importMonitor(ctx context.Context, tx *sql.Tx, m PastMonitor) error {
	var latency any
	if m.LastLatency != nil {
		latency = m.LastLatency.Milliseconds()
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO monitors (company_id, name, kind, check_type, target, interval_s, timeout_ms, retries,
		expect_status_min, expect_status_max, expect_word, push_secret, active, state, state_since, failures, last_checked_at,
		last_latency_ms, last_error, alerted_state, alerted_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.CompanyID, m.Name, m.Kind, m.CheckType, m.Target, int64(m.Interval/time.Second), m.Timeout.Milliseconds(), m.Retries,
		m.ExpectStatusMin, m.ExpectStatusMax, m.ExpectWord, rand.Text(), m.Active, m.State, formatTime(m.StateSince), m.Failures,
		nullTime(m.LastCheckedAt), latency, m.LastError, m.AlertedState, nullTime(m.AlertedAt), formatTime(m.CreatedAt)).Scan(&id)
	if err != nil {
		return err
	}
	// In parts: an INSERT takes at most 32,766 values, and a year's hours
	// have 52,560.
	for part := range slices.Chunk(m.Hours, 1000) {
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", len(part)), ", ")
		args := make([]any, 0, 6*len(part))
		for _, h := range part {
			args = append(args, id, h.Hour.UTC().Format(hourLayout), h.Checks, h.Ups, int64(h.Ups)*h.AvgLatency.Milliseconds(), h.MaxLatency.Milliseconds())
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_hours (monitor_id, hour, checks, ups, latency_sum, latency_max) VALUES `+rows,
			args...); err != nil {
			return err
		}
	}
	for _, inc := range m.Incidents {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (monitor_id, started_at, ended_at, error) VALUES (?, ?, ?, ?)`,
			id, formatTime(inc.StartedAt), nullTime(inc.EndedAt), inc.Error); err != nil {
			return err
		}
	}
	return nil
}

// RenewPushSecret gives a monitor a new heartbeat secret, for one that
// leaked; the old URL stops working at once. It returns the company's id.
func (s *Store) RenewPushSecret(ctx context.Context, a Actor, id int64) (int64, error) {
	var companyID int64
	var name string
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE monitors SET push_secret = ? WHERE id = ? RETURNING company_id, name`,
			rand.Text(), id).Scan(&companyID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditMonitorSaved, name+": new heartbeat secret")
	})
	if err != nil {
		return 0, fmt.Errorf("db: renew secret of monitor %d: %w", id, err)
	}
	return companyID, nil
}
