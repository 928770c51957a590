package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// License is a company's TMServer license key.
type License struct {
	ID        int64
	CompanyID int64
	// CompanyName is the company's, for lists across companies.
	CompanyName string
	Key         string
	Product     string
	IssuedOn    time.Time
	ExpiresOn   time.Time
	Limits      map[string]int // "operators": 20, "drivers": 300, "cars": Unlimited
	Modules     []string
	Source      string // "staff" or "heartbeat"
	UpdatedAt   time.Time
}

// Sources of license details.
const (
	LicenseByStaff     = "staff"
	LicenseByHeartbeat = "heartbeat"
)

// Unlimited is a limit of a license that does not limit («без
// ограничений»), as TMServer writes it.
const Unlimited = -1

// LicenseKeysPerDay bounds the different license keys one push monitor's
// heartbeats may bring in 24 hours: a server has one, a renewal brings a
// second, and a stream of new ones would fill the database.
const LicenseKeysPerDay = 5

// ErrTooManyLicenseKeys refuses the license of a heartbeat whose key would
// be its monitor's LicenseKeysPerDay+1st different one in 24 hours.
var ErrTooManyLicenseKeys = errors.New("db: too many different license keys from one monitor in 24 hours")

// LicenseWarnDays are how many days before expiry the company is warned.
var LicenseWarnDays = []int{30, 7}

// MaskedKey shows the key's first and last four characters only.
func (l License) MaskedKey() string {
	r := []rune(l.Key)
	if len(r) <= 8 {
		return strings.Repeat("•", len(r))
	}
	return string(r[:4]) + strings.Repeat("•", min(len(r)-8, 12)) + string(r[len(r)-4:])
}

// DaysLeft is how many days the license has from today (negative once expired).
func (l License) DaysLeft(today time.Time) int {
	return int(l.ExpiresOn.Sub(today).Hours() / 24)
}

// CompanyLicenses returns a company's licenses, the latest to expire first.
func (s *Store) CompanyLicenses(ctx context.Context, companyID int64) ([]License, error) {
	out, err := queryAll(ctx, s.r, scanLicense, `SELECT `+licenseColumns+` FROM license_keys l
		JOIN companies c ON c.id = l.company_id WHERE l.company_id = ? ORDER BY l.expires_on DESC, l.id DESC`, companyID)
	if err != nil {
		return nil, fmt.Errorf("db: licenses of company %d: %w", companyID, err)
	}
	return out, nil
}

// ExpiringLicenses returns the licenses that expire within
// LicenseWarnWithin days and no later key of their product renews (of one
// manager's companies, or all when managerID is 0), the soonest first.
func (s *Store) ExpiringLicenses(ctx context.Context, managerID int64) ([]License, error) {
	scope, args := managerScope(managerID)
	out, err := queryAll(ctx, s.r, scanLicense, `SELECT `+licenseColumns+` FROM license_keys l
		JOIN companies c ON c.id = l.company_id WHERE `+expiringLicense+scope+` ORDER BY l.expires_on, c.name, l.id`,
		append(expiringArgs(Today(s.Now(), VendorLocation)), args...)...)
	if err != nil {
		return nil, fmt.Errorf("db: expiring licenses: %w", err)
	}
	return out, nil
}

const licenseColumns = `l.id, l.company_id, l.license_key, l.product, l.issued_on, l.expires_on, l.limits, l.modules, l.source, l.updated_at, c.name`

// scanLicense reads licenseColumns, of license_keys l joined with companies c.
func scanLicense(row scanner) (License, error) {
	var l License
	var issued, expires, limits, modules, updated string
	dest := []any{&l.ID, &l.CompanyID, &l.Key, &l.Product, &issued, &expires, &limits, &modules, &l.Source, &updated, &l.CompanyName}
	if err := row.Scan(dest...); err != nil {
		return l, err
	}
	l.IssuedOn, l.ExpiresOn, l.UpdatedAt = parseDate(issued), parseDate(expires), parseTime(updated)
	if err := json.Unmarshal([]byte(limits), &l.Limits); err != nil {
		return l, fmt.Errorf("db: license %d limits: %w", l.ID, err)
	}
	if modules != "" {
		l.Modules = strings.Split(modules, ",")
	}
	return l, nil
}

// SaveLicense records a license as staff enter it, audited.
func (s *Store) SaveLicense(ctx context.Context, a Actor, l License) error {
	l.Source = LicenseByStaff
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if err := s.saveLicense(ctx, tx, l); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, l.CompanyID, AuditLicenseSaved, l.Product+" "+l.MaskedKey()+" до "+formatDate(l.ExpiresOn))
	})
	if err != nil {
		return fmt.Errorf("db: save license: %w", err)
	}
	return nil
}

// ImportLicense records a license known before ELK, unaudited; warned
// lists the warnings (days of LicenseWarnDays) already sent for it, which
// are not sent again.
func (s *Store) ImportLicense(ctx context.Context, l License, warned ...int) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if err := s.saveLicense(ctx, tx, l); err != nil {
			return err
		}
		for _, days := range warned {
			if !slices.Contains(LicenseWarnDays, days) {
				return fmt.Errorf("no warning %d days before expiry", days)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE license_keys SET warned_`+strconv.Itoa(days)+` = 1
				WHERE company_id = ? AND license_key = ?`, l.CompanyID, l.Key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("db: import license: %w", err)
	}
	return nil
}

// saveLicense inserts or updates a license by its key; a new expiry date
// (a renewal) arms the expiry warnings again.
func (s *Store) saveLicense(ctx context.Context, tx *sql.Tx, l License) error {
	limits, _ := json.Marshal(l.Limits)
	if l.Limits == nil {
		limits = []byte("{}")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO license_keys (company_id, license_key, product, issued_on, expires_on, limits, modules, source, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, license_key) DO UPDATE SET product = excluded.product, issued_on = excluded.issued_on,
			limits = excluded.limits, modules = excluded.modules, source = excluded.source, updated_at = excluded.updated_at,
			warned_30 = CASE WHEN expires_on = excluded.expires_on THEN warned_30 ELSE 0 END,
			warned_7 = CASE WHEN expires_on = excluded.expires_on THEN warned_7 ELSE 0 END,
			expires_on = excluded.expires_on`,
		l.CompanyID, l.Key, l.Product, formatDate(l.IssuedOn), formatDate(l.ExpiresOn), string(limits),
		strings.Join(l.Modules, ","), l.Source, formatTime(s.Now()))
	return err
}

// reportLicense remembers that a monitor's heartbeat brought a key, and
// refuses a key that would be its LicenseKeysPerDay+1st different one in
// 24 hours. The monitor's older reports go at the same time.
func (s *Store) reportLicense(ctx context.Context, tx *sql.Tx, monitorID int64, key string) error {
	now := s.Now()
	if _, err := tx.ExecContext(ctx, `DELETE FROM license_reports WHERE monitor_id = ? AND reported_at <= ?`,
		monitorID, formatTime(now.Add(-24*time.Hour))); err != nil {
		return err
	}
	var keys int
	var known bool
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(license_key = ?), 0) FROM license_reports WHERE monitor_id = ?`,
		key, monitorID).Scan(&keys, &known); err != nil {
		return err
	}
	if !known && keys >= LicenseKeysPerDay {
		return ErrTooManyLicenseKeys
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO license_reports (monitor_id, license_key, reported_at) VALUES (?, ?, ?)
		ON CONFLICT (monitor_id, license_key) DO UPDATE SET reported_at = excluded.reported_at`, monitorID, key, formatTime(now))
	return err
}

// WarnExpiringLicenses writes one warning to the outbox for each license
// 30 days before it expires and one 7 days before; it returns how many.
func (s *Store) WarnExpiringLicenses(ctx context.Context) (int, error) {
	today := Today(s.Now(), VendorLocation)
	warned := 0
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		for i, days := range LicenseWarnDays {
			// A key first seen within the next warning's days gets that one only.
			after := today
			if i+1 < len(LicenseWarnDays) {
				after = today.AddDate(0, 0, LicenseWarnDays[i+1]+1)
			}
			column := "warned_" + strconv.Itoa(days)
			rows, err := tx.QueryContext(ctx, `SELECT id, company_id, license_key, product, expires_on FROM license_keys
				WHERE `+column+` = 0 AND expires_on <= ? AND expires_on >= ?`, formatDate(today.AddDate(0, 0, days)), formatDate(after))
			if err != nil {
				return err
			}
			var due []License
			for rows.Next() {
				var l License
				var expires string
				if err := rows.Scan(&l.ID, &l.CompanyID, &l.Key, &l.Product, &expires); err != nil {
					rows.Close()
					return err
				}
				l.ExpiresOn = parseDate(expires)
				due = append(due, l)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			for _, l := range due {
				if _, err := s.notifyCompany(ctx, tx, l.CompanyID, NoticeLicenseExpiring,
					fmt.Sprintf("license-%d-%s-%d", l.ID, formatDate(l.ExpiresOn), days),
					NoticeParams{Product: l.Product, Key: l.MaskedKey(), Days: l.DaysLeft(today), Expires: formatDate(l.ExpiresOn)}); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE license_keys SET `+column+` = 1 WHERE id = ?`, l.ID); err != nil {
					return err
				}
				warned++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("db: license warnings: %w", err)
	}
	return warned, nil
}
